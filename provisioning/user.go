package provisioning

import (
	"strings"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/syncfields"
)

// User is a directory user (an Entra ID user, or a service principal when
// ApplicationID is set) as the admission rules see it. Its zero value is a
// disabled user with no ID, which Validate rejects and Evaluate never
// admits.
//
// The order of Licenses, Groups, NestedGroups and OwnedGroups does not
// matter.
type User struct {
	// ObjectID is the directory object ID, the join key with a SystemUser
	// record (LIFE-MATCH). Required.
	ObjectID string `json:"objectId"`
	// UPN is the user principal name. Required unless ApplicationID is set.
	UPN string `json:"upn,omitempty"`
	// Enabled is the directory account's accountEnabled.
	Enabled bool `json:"enabled"`
	// Deleted means hard deleted from the directory.
	Deleted bool `json:"deleted,omitempty"`
	// SoftDeleted means deleted but still restorable.
	SoftDeleted bool `json:"softDeleted,omitempty"`
	// Guest is a user whose home tenant is HomeTenant, not the tenant it is
	// a guest in.
	Guest bool `json:"guest,omitempty"`
	// HomeTenant is a guest's home tenant ID. Required for a guest.
	HomeTenant string `json:"homeTenant,omitempty"`
	// Licenses are the licenses assigned to the user, each in a tenant.
	Licenses []License `json:"licenses,omitempty"`
	// Roles are the directory admin roles assigned to the user itself, at
	// directory scope ("/"). A role scoped to an administrative unit or an
	// application makes nobody a tenant admin.
	Roles AdminRoles `json:"roles,omitempty"`
	// GroupRoles are admin roles the user holds only through a
	// role-assignable group it is a member of. Microsoft's Power Platform
	// documentation does not say that these count for the provisioning
	// rules, so they do not (fail closed); a decision says when a role came
	// this way.
	GroupRoles AdminRoles `json:"groupRoles,omitempty"`
	// Groups are the IDs of the groups the user is a direct member of.
	Groups []string `json:"groups,omitempty"`
	// NestedGroups are the IDs of groups the user reaches only through
	// nested groups (Microsoft Graph's transitive membership less the direct
	// one). They never count (SG-NESTED); they are kept so that a decision
	// can say so.
	NestedGroups []string `json:"nestedGroups,omitempty"`
	// OwnedGroups are the IDs of the groups the user owns (SG-OWNER).
	OwnedGroups []string `json:"ownedGroups,omitempty"`
	// ApplicationID is set for a service principal, which becomes an
	// application user (UT-APPLICATION).
	ApplicationID string `json:"applicationId,omitempty"`
	// Attributes are the user's profile attributes, projected onto the
	// SystemUser columns by syncfields.Online().Source. Reconcile writes
	// them into the record by the field-sync rules. The object ID and the
	// UPN are not among them: their one home is ObjectID and UPN, from
	// which Reconcile writes azureactivedirectoryobjectid and domainname,
	// and Validate refuses Attributes that carry either. Renaming a user
	// is setting UPN.
	Attributes syncfields.Values `json:"attributes,omitzero"`
}

// License is one license assigned to a user.
type License struct {
	// Plan is what kind of license it is.
	Plan LicensePlan `json:"plan"`
	// Tenant is the tenant ID in which the license was assigned. Only a
	// license assigned in the environment's tenant counts
	// (LIC-GUEST-TENANT).
	Tenant string `json:"tenant"`
	// Inactive reports a license that is assigned but not active: none of
	// its service plans has provisioningStatus Success (they are pending,
	// in error or disabled). It never counts (LIC-REQUIRED).
	Inactive bool `json:"inactive,omitempty"`
}

// LicensePlan is the kind of a license, as far as admission cares. The
// zero LicensePlan is invalid.
type LicensePlan uint8

// The license plans.
const (
	// PlanDynamics365 is a Dynamics 365 license; it supports
	// pre-provisioning (LIC-REQUIRED).
	PlanDynamics365 LicensePlan = iota + 1
	// PlanPowerAppsPremium is a Power Apps premium license (per user or per
	// app); it supports pre-provisioning (LIC-REQUIRED).
	PlanPowerAppsPremium
	// PlanFreeDataverse is the free Dataverse plan that comes with a
	// Microsoft 365 license, honored on demand only (LIC-FREE-M365).
	PlanFreeDataverse
	// PlanOther is any other license, such as Office or Microsoft 365 without
	// a Dataverse plan. It never admits anyone (LIC-REQUIRED).
	PlanOther
)

var planNames = []string{
	PlanDynamics365:      "dynamics-365",
	PlanPowerAppsPremium: "power-apps-premium",
	PlanFreeDataverse:    "free-dataverse",
	PlanOther:            "other",
}

// LicensePlans lists every license plan.
func LicensePlans() []LicensePlan {
	return []LicensePlan{PlanDynamics365, PlanPowerAppsPremium, PlanFreeDataverse, PlanOther}
}

// IsValid reports whether p is one of the plans.
func (p LicensePlan) IsValid() bool { return enum.Valid(planNames, p) }

// String returns the plan's name, such as "dynamics-365".
func (p LicensePlan) String() string { return enum.Name(planNames, "LicensePlan", p) }

// MarshalText returns the plan's name. It fails for an invalid plan.
func (p LicensePlan) MarshalText() ([]byte, error) {
	return enum.Marshal(planNames, "provisioning.LicensePlan", p)
}

// UnmarshalText accepts a plan's name in any case; anything else is an
// error wrapping ErrUnknown and leaves p unchanged.
func (p *LicensePlan) UnmarshalText(text []byte) error {
	return enum.Unmarshal(planNames, "provisioning.LicensePlan", text, p)
}

// AdminRoles is a set of directory admin roles. The zero value holds none.
type AdminRoles uint8

// The admin roles that matter to admission.
const (
	// GlobalAdmin is the Global Administrator (tenant admin) role.
	GlobalAdmin AdminRoles = 1 << iota
	// PowerPlatformAdmin is the Power Platform Administrator role.
	PowerPlatformAdmin
	// Dynamics365Admin is the Dynamics 365 service administrator role. It
	// exempts from the license but not from the security group.
	Dynamics365Admin

	allRoles = GlobalAdmin | PowerPlatformAdmin | Dynamics365Admin
)

var roleNames = []string{"global", "power-platform", "dynamics-365"}

// AllAdminRoles lists every admin role, one by one.
func AllAdminRoles() []AdminRoles {
	return []AdminRoles{GlobalAdmin, PowerPlatformAdmin, Dynamics365Admin}
}

// Has reports whether r holds every role in x.
func (r AdminRoles) Has(x AdminRoles) bool { return r&x == x && x != 0 }

// Any reports whether r holds at least one role in x.
func (r AdminRoles) Any(x AdminRoles) bool { return r&x != 0 }

// IsValid reports whether r holds only the known roles.
func (r AdminRoles) IsValid() bool { return r&^allRoles == 0 }

// String returns the roles' names joined by "+", "none" for the empty set,
// or "AdminRoles(N)" when r holds an unknown role.
func (r AdminRoles) String() string {
	if !r.IsValid() {
		return enum.Name(nil, "AdminRoles", uint8(r))
	}
	return string(r.appendText(nil))
}

// appendText appends r's names as String writes them, for a valid r; it
// allocates nothing once b has room.
func (r AdminRoles) appendText(b []byte) []byte {
	if r == 0 {
		return append(b, "none"...)
	}
	first := true
	for i, name := range roleNames {
		if r&(1<<i) != 0 {
			if !first {
				b = append(b, '+')
			}
			first = false
			b = append(b, name...)
		}
	}
	return b
}

// MarshalText returns the roles as String does. It fails for unknown
// roles.
func (r AdminRoles) MarshalText() ([]byte, error) {
	if !r.IsValid() {
		return nil, enum.Unknown(roleNames, "provisioning.AdminRoles", r.String())
	}
	return []byte(r.String()), nil
}

// UnmarshalText accepts role names joined by "+" (in any case), or "none".
// An unknown name is an error wrapping ErrUnknown and leaves r unchanged.
func (r *AdminRoles) UnmarshalText(text []byte) error {
	s := string(text)
	if strings.EqualFold(s, "none") {
		*r = 0
		return nil
	}
	var v AdminRoles
	for part := range strings.SplitSeq(s, "+") {
		i, err := enum.Parse[uint8](roleNames, "provisioning.AdminRoles", []byte(part))
		if err != nil {
			return err
		}
		v |= 1 << i
	}
	*r = v
	return nil
}
