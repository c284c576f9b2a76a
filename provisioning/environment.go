package provisioning

import "github.com/provisionrules/provisionrules/internal/enum"

// Environment is a Power Platform environment as the admission rules see
// it. Its zero value has no type, which Validate rejects and Evaluate never
// admits into: it does not silently mean "production with Dataverse".
type Environment struct {
	// ID is the environment ID. Required.
	ID string `json:"id"`
	// Tenant is the ID of the tenant that owns the environment. Required.
	Tenant string `json:"tenant"`
	// Type is the environment type. Required.
	Type EnvironmentType `json:"type"`
	// Dataverse reports whether the environment has a Dataverse database
	// (ENV-DATAVERSE).
	Dataverse bool `json:"dataverse"`
	// SecurityGroup is the ID of the environment's security group, or empty
	// for none (SG-MEMBER). A developer environment cannot have one
	// (ENV-NO-GROUP).
	SecurityGroup string `json:"securityGroup,omitempty"`
	// AppPass reports whether the environment has app-pass capacity
	// (LIC-EXEMPT-APP-PASS).
	AppPass bool `json:"appPass,omitempty"`
	// TenantMarketing reports whether the tenant has a tenant-level
	// Marketing license (LIC-EXEMPT-MARKETING).
	TenantMarketing bool `json:"tenantMarketing,omitempty"`
	// Creator is the object ID of the user who created the environment.
	// Required for a developer environment, which admits only that user
	// (ENV-DEVELOPER).
	Creator string `json:"creator,omitempty"`
	// DynamicsApps reports whether Dynamics 365 apps are installed; it
	// decides the default role of an imported stub (UT-STUB).
	DynamicsApps bool `json:"dynamicsApps,omitempty"`
	// RootBusinessUnit is the ID (businessunitid) of the environment's
	// root business unit, the one with no parent. Every Dataverse user
	// belongs to one business unit, which its create must bind; a user
	// the sync adds goes in the root one (as GT-JIT-ADD says of a team's
	// member; the rules name no other), so the write of a create binds
	// this one (Action.Write). Optional: the rules decide without it, but
	// a create cannot be written without it.
	RootBusinessUnit string `json:"rootBusinessUnit,omitempty"`
	// Settings are the environment's org settings.
	Settings OrgSettings `json:"settings,omitzero"`
	// Teams are the environment's group teams (GT-TEAM), each tied to one
	// Entra group.
	Teams []GroupTeam `json:"teams,omitempty"`
}

// OrgSettings are the org settings of an environment that the rules read.
type OrgSettings struct {
	// AllowRoleAssignmentOnDisabledUsers lets a security role be assigned
	// to a disabled user (LIFE-ROLE-ON-DISABLED).
	AllowRoleAssignmentOnDisabledUsers bool `json:"allowRoleAssignmentOnDisabledUsers,omitempty"`
	// DeleteDisabledUsers is the feature setting "Enable delete disabled
	// users", without which no record is permanently deleted
	// (DEL-PERMANENT).
	DeleteDisabledUsers bool `json:"deleteDisabledUsers,omitempty"`
}

// EnvironmentType is the type of a Power Platform environment. The zero
// EnvironmentType is invalid.
type EnvironmentType uint8

// The environment types.
const (
	EnvProduction EnvironmentType = iota + 1 // a production environment
	EnvSandbox                               // a sandbox environment
	EnvTrial                                 // users added on demand only (ENV-TRIAL)
	EnvDeveloper                             // only its creator (ENV-DEVELOPER), no security group (ENV-NO-GROUP)
	EnvTeams                                 // Dataverse for Teams: added at first access only (ENV-TEAMS)
	EnvDefault                               // the tenant's default environment
)

var envTypeNames = []string{
	EnvProduction: "production",
	EnvSandbox:    "sandbox",
	EnvTrial:      "trial",
	EnvDeveloper:  "developer",
	EnvTeams:      "teams",
	EnvDefault:    "default",
}

// EnvironmentTypes lists every environment type.
func EnvironmentTypes() []EnvironmentType {
	return []EnvironmentType{EnvProduction, EnvSandbox, EnvTrial, EnvDeveloper, EnvTeams, EnvDefault}
}

// IsValid reports whether t is one of the environment types.
func (t EnvironmentType) IsValid() bool { return enum.Valid(envTypeNames, t) }

// String returns the type's name, such as "teams".
func (t EnvironmentType) String() string { return enum.Name(envTypeNames, "EnvironmentType", t) }

// MarshalText returns the type's name. It fails for an invalid type.
func (t EnvironmentType) MarshalText() ([]byte, error) {
	return enum.Marshal(envTypeNames, "provisioning.EnvironmentType", t)
}

// UnmarshalText accepts a type's name in any case; anything else is an
// error wrapping ErrUnknown and leaves t unchanged.
func (t *EnvironmentType) UnmarshalText(text []byte) error {
	return enum.Unmarshal(envTypeNames, "provisioning.EnvironmentType", text, t)
}
