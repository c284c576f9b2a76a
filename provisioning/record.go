package provisioning

import (
	"errors"

	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Record is a user's existing SystemUser record in one environment, as the
// rules see it.
type Record struct {
	// ObjectID is azureactivedirectoryobjectid: the directory object ID the
	// record belongs to, the only key a directory user matches it by
	// (LIFE-MATCH). Empty on the support, delegated-admin and stub records.
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
	// Roles are the security roles assigned to the user directly.
	Roles []string `json:"roles,omitempty"`
	// TeamRoles are the security roles the user has through group teams.
	TeamRoles []string `json:"teamRoles,omitempty"`
	// Fields are the columns the field sync reads and writes, the custom
	// columns it never touches, and whether the customer edited the primary
	// email. The sync takes its azureactivedirectoryobjectid and domainname
	// from ObjectID and UPN; a Fields object ID other than ObjectID is
	// malformed.
	Fields syncfields.Record `json:"fields,omitzero"`
	// OnDemand marks a record added on demand for a user entitled only on
	// demand (app pass, tenant Marketing license, free Microsoft 365 plan).
	// Losing that entitlement does not make the background sync disable it
	// (LIFE-ON-DEMAND-KEEP). Reconcile sets and clears it; a record whose
	// origin is unknown is not marked, so that losing a license disables it
	// (LIFE-DISABLE).
	OnDemand bool `json:"onDemand,omitempty"`
}

// Kind returns the record's kind, as usertype.Classify reads it.
func (r *Record) Kind() (usertype.Kind, error) {
	if r == nil {
		return 0, &FieldError{Record: "record", Field: "*Record", Value: "nil", Err: ErrMissing}
	}
	return usertype.Classify(usertype.Facts{UPN: r.UPN, Mode: r.Mode, ApplicationID: r.ApplicationID, Stub: r.Stub})
}

// scan validates r as the record of u and returns its kind. A record
// belongs to u only by object ID (LIFE-MATCH), and carries u's application
// ID, if any; a stub, which stands for a user that does not exist, may
// carry anything.
func (r *Record) scan(u *User) (usertype.Kind, *FieldError) {
	if err := r.validate(); err != nil {
		return 0, err
	}
	if r.ObjectID != u.ObjectID && !r.Stub {
		return 0, &FieldError{Record: "record", Key: r.ObjectID, Field: "ObjectID", Value: r.ObjectID, Err: ErrRecordMismatch}
	}
	if r.ApplicationID != u.ApplicationID && !r.Stub {
		// A service principal's record carries its application ID, and only
		// a service principal's does (UT-APPLICATION).
		return 0, &FieldError{Record: "record", Key: r.ObjectID, Field: "ApplicationID", Value: r.ApplicationID, Err: ErrContradiction}
	}
	k, _ := r.Kind() // validated above
	return k, nil
}

// facts returns what the rules read of a well-formed record.
func (r *Record) facts() facts {
	f := fRecord
	if len(r.Roles) > 0 || len(r.TeamRoles) > 0 {
		f |= fRoles
	}
	// MODE-KEEP: the modes only an administrator sets.
	switch r.Mode {
	case usertype.Administrative, usertype.Read, usertype.NonInteractive:
		f |= fKeepMode
	}
	return f
}

// Validate reports the first malformed field of r: as a *FieldError, an
// access mode Dataverse does not define, facts that contradict each other
// about the record's kind (see usertype.Classify), an empty role name or a
// Fields object ID other than ObjectID; as a *syncfields.ColumnError, a
// malformed column of Fields. It returns nil for a well-formed record.
func (r *Record) Validate() error {
	if r == nil {
		return &FieldError{Record: "record", Field: "*Record", Value: "nil", Err: ErrMissing}
	}
	if err := r.validate(); err != nil {
		return err
	}
	return r.Fields.Validate()
}

// validate returns a *FieldError for a malformed record, or nil.
func (r *Record) validate() *FieldError {
	if _, err := r.Kind(); err != nil {
		fe := &FieldError{Record: "record", Key: r.ObjectID, Field: "Mode", Value: r.Mode.String(), Err: err}
		var facts *usertype.FactsError
		if errors.As(err, &facts) {
			fe.Field, fe.Value, fe.Err = facts.Field, facts.Value, facts.Err
		}
		return fe
	}
	if id := r.Fields.Columns[syncfields.ObjectID]; id != "" && id != r.ObjectID {
		return &FieldError{Record: "record", Key: r.ObjectID, Field: "Fields.Columns[azureactivedirectoryobjectid]", Value: id, Err: ErrContradiction}
	}
	if _, i := scanIDs(r.Roles, ""); i >= 0 {
		return &FieldError{Record: "record", Key: r.ObjectID, Field: indexed("Roles", i, ""), Err: ErrMissing}
	}
	if _, i := scanIDs(r.TeamRoles, ""); i >= 0 {
		return &FieldError{Record: "record", Key: r.ObjectID, Field: indexed("TeamRoles", i, ""), Err: ErrMissing}
	}
	return nil
}
