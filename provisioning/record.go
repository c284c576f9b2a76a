package provisioning

import (
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Record is a user's existing SystemUser record in one environment, as the
// rules see it.
type Record struct {
	// ObjectID is azureactivedirectoryobjectid: the directory object ID the
	// record belongs to, the only key a directory user matches it by
	// (LIFE-MATCH). Empty on the support and delegated-admin records and
	// on a stub; required on every other record, but an application user's
	// may lack it.
	ObjectID string `json:"objectId,omitempty"`
	// UPN is domainname.
	UPN string `json:"upn,omitempty"`
	// Mode is accessmode.
	Mode usertype.AccessMode `json:"accessMode"`
	// Disabled is isdisabled.
	Disabled bool `json:"disabled,omitempty"`
	// ApplicationID is applicationid, set on an application user.
	ApplicationID string `json:"applicationId,omitempty"`
	// Stub marks a placeholder created by data import (UT-STUB).
	Stub bool `json:"stub,omitempty"`
	// SystemUserID is systemuserid, the row's key in Dataverse, when it is
	// known: a write to the record addresses it (Write).
	SystemUserID string `json:"systemUserId,omitempty"`
	// Roles are the security roles assigned to the user directly.
	Roles []string `json:"roles,omitempty"`
	// Teams are the group IDs of the environment's group teams the user is
	// a member of, as Dataverse holds it: as of the user's last access
	// (GT-AT-ACCESS). The user holds the roles of these teams (GT-ROLES)
	// while their groups exist.
	Teams []string `json:"teams,omitempty"`
	// SoftDeleted marks a record an administrator has deleted
	// (DEL-SOFT): it stays in the environment, disabled, with no role and
	// no team, and nothing changes it again (DEL-SOFT-EFFECT).
	SoftDeleted bool `json:"softDeleted,omitempty"`
	// OwnedRecords is how many records of the environment the user still
	// owns; a record is permanently deleted only when it is 0
	// (DEL-PERMANENT).
	OwnedRecords int `json:"ownedRecords,omitempty"`
	// Fields are the columns the field sync reads and writes, the custom
	// columns it never touches, and whether the customer edited the primary
	// email. The sync takes its azureactivedirectoryobjectid and domainname
	// from ObjectID and UPN; a Fields object ID other than ObjectID is
	// malformed.
	Fields syncfields.Fields `json:"fields,omitzero"`
	// OnDemand marks a record added on demand for a user entitled only on
	// demand (app pass, tenant Marketing license, free Microsoft 365 plan).
	// Losing that entitlement does not make the background sync disable it
	// (LIFE-ON-DEMAND-KEEP). Reconcile sets and clears it; a record whose
	// origin is unknown is not marked, so that losing a license disables it
	// (LIFE-DISABLE).
	OnDemand bool `json:"onDemand,omitempty"`
}

// Key returns the key that tells r apart from the other records of its
// environment: its object ID, or for a record without one (the support,
// delegated-admin and stub records, and an application user without an
// object ID) its UPN, else its application ID.
func (r *Record) Key() string {
	switch {
	case r.ObjectID != "":
		return r.ObjectID
	case r.UPN != "":
		return r.UPN
	}
	return r.ApplicationID
}

// Match reports whether record r belongs to directory user u: whether its
// azureactivedirectoryobjectid is u's object ID (LIFE-MATCH). It never
// matches by UPN, which is how duplicate and stub records arise. A record
// without an object ID matches nobody. This is the one place the library
// pairs users with records; Org, Plan and WhatIf all use it.
func Match(u *User, r *Record) bool {
	return u != nil && r != nil && r.ObjectID != "" && r.ObjectID == u.ObjectID
}

// Kind returns the record's kind, as usertype.Classify reads it.
func (r *Record) Kind() (usertype.Kind, error) {
	if r == nil {
		return 0, missing("record", "*Record")
	}
	return usertype.Classify(r.classifyFacts())
}

func (r *Record) classifyFacts() usertype.Traits {
	return usertype.Traits{UPN: r.UPN, Mode: r.Mode, ApplicationID: r.ApplicationID, Stub: r.Stub}
}
