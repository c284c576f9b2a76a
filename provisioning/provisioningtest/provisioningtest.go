// Package provisioningtest provides rapid generators of the inputs of
// package provisioning, for this module's property tests and for other
// modules' own, as net/http/httptest serves tests of HTTP code.
//
// Every generated value is valid by construction: User.Validate and
// Environment.Validate accept it. The generators draw object IDs, tenants
// and groups from small pools, so that the interesting coincidences happen
// often: a user who is a member of the environment's group, a guest whose
// license was assigned in the environment's tenant, the creator of a
// developer environment. A Config biases the draws toward the edge cases a
// suite cares about.
//
// The writer of synthetic tenants for scale tests and benchmarks is
// package tenantgen, which a program can import without linking rapid;
// Export is its old name here.
package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
)

// The pools the default Config draws from.
var (
	// Tenants are the tenant IDs values are drawn from; an environment's
	// tenant and a guest's home tenant are among them.
	Tenants = []string{"contoso", "fabrikam"}
	// Groups are the group IDs values are drawn from.
	Groups = []string{"g-sales", "g-hr", "g-it"}
	// ObjectIDs are the directory object IDs values are drawn from; an
	// environment's creator is one of them.
	ObjectIDs = []string{"u-1", "u-2", "u-3", "u-4"}
)

// Config sets how often the generators draw the edge cases. Each field is
// a weight from 0 (never) to 100 (always) for one kind of draw; the zero
// Config draws every edge case rarely but still draws it.
type Config struct {
	Guest          int // a guest user
	Admin          int // a user with admin roles
	Owner          int // a user that owns groups
	Nested         int // a user that reaches groups only through nesting
	Application    int // a service principal (application user)
	NonInteractive int // a record marked non-interactive
	Disabled       int // a user disabled, deleted or soft-deleted in the directory
	Teams          int // an environment with group teams, and records in them
	SoftDeleted    int // a record soft-deleted by an administrator
}

// EdgeCases is a Config that draws every edge case often.
var EdgeCases = Config{Guest: 40, Admin: 40, Owner: 40, Nested: 40, Application: 15, NonInteractive: 30, Disabled: 30, Teams: 50, SoftDeleted: 15}

// weight draws true with probability w percent, or 10 percent when w is 0.
func weight(t *rapid.T, w int, label string) bool {
	if w == 0 {
		w = 10
	}
	return rapid.IntRange(0, 99).Draw(t, label) < w
}

// Licenses returns a generator of licenses of any plan, each assigned in
// one of Tenants.
func Licenses() *rapid.Generator[provisioning.License] {
	return rapid.Custom(func(t *rapid.T) provisioning.License {
		return provisioning.License{
			Plan:     rapid.SampledFrom(provisioning.LicensePlans()).Draw(t, "plan"),
			Tenant:   rapid.SampledFrom(Tenants).Draw(t, "tenant"),
			Inactive: rapid.IntRange(0, 9).Draw(t, "inactive") == 0,
		}
	})
}

// Users returns a generator of valid directory users drawn as c says.
func (c Config) Users() *rapid.Generator[provisioning.User] {
	return rapid.Custom(func(t *rapid.T) provisioning.User {
		u := provisioning.User{
			ObjectID: rapid.SampledFrom(ObjectIDs).Draw(t, "objectID"),
			Enabled:  true,
			Licenses: rapid.SliceOfN(Licenses(), 0, 3).Draw(t, "licenses"),
			Groups:   rapid.SliceOfN(rapid.SampledFrom(Groups), 0, 3).Draw(t, "groups"),
		}
		u.UPN = u.ObjectID + "@contoso.com"
		if weight(t, c.Disabled, "disabled?") {
			switch rapid.IntRange(0, 2).Draw(t, "how") {
			case 0:
				u.Enabled = false
			case 1:
				u.Deleted = true
			default:
				u.SoftDeleted = true
			}
		}
		if weight(t, c.Guest, "guest?") {
			u.Guest = true
			u.HomeTenant = rapid.SampledFrom(Tenants).Draw(t, "homeTenant")
			u.UPN = u.ObjectID + "_" + u.HomeTenant + "#EXT#@contoso.com"
		}
		if weight(t, c.Admin, "admin?") {
			u.Roles = provisioning.AdminRoles(rapid.IntRange(1, 7).Draw(t, "roles"))
		}
		if weight(t, c.Owner, "owner?") {
			u.OwnedGroups = rapid.SliceOfN(rapid.SampledFrom(Groups), 1, 2).Draw(t, "owned")
		}
		if weight(t, c.Nested, "nested?") {
			u.NestedGroups = rapid.SliceOfN(rapid.SampledFrom(Groups), 1, 2).Draw(t, "nested")
		}
		if c.Application > 0 && weight(t, c.Application, "application?") {
			u.ApplicationID = "app-" + u.ObjectID
			u.UPN = ""
		}
		return u
	})
}

// Users returns a generator of valid directory users with the default
// Config.
func Users() *rapid.Generator[provisioning.User] { return Config{}.Users() }

// Environments returns a generator of valid environments of every type
// with the default Config.
func Environments() *rapid.Generator[provisioning.Environment] { return Config{}.Environments() }

// Environments returns a generator of valid environments of every type
// drawn as c says. A developer environment has no security group and a
// creator from ObjectIDs; group teams, when drawn, are of groups from
// Groups, each group once, of every kind, rule and membership type.
func (c Config) Environments() *rapid.Generator[provisioning.Environment] {
	return rapid.Custom(func(t *rapid.T) provisioning.Environment {
		env := provisioning.Environment{
			ID:              "env-" + rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "id"),
			Tenant:          rapid.SampledFrom(Tenants).Draw(t, "tenant"),
			Type:            rapid.SampledFrom(provisioning.EnvironmentTypes()).Draw(t, "type"),
			Dataverse:       rapid.IntRange(0, 9).Draw(t, "dataverse") > 0,
			AppPass:         rapid.Bool().Draw(t, "appPass"),
			TenantMarketing: rapid.Bool().Draw(t, "marketing"),
			DynamicsApps:    rapid.Bool().Draw(t, "dynamicsApps"),
			Settings: provisioning.OrgSettings{
				AllowRoleAssignmentOnDisabledUsers: rapid.Bool().Draw(t, "allowRoleOnDisabled"),
			},
		}
		if env.Type == provisioning.Developer {
			env.Creator = rapid.SampledFrom(ObjectIDs).Draw(t, "creator")
		} else if rapid.Bool().Draw(t, "group?") {
			env.SecurityGroup = rapid.SampledFrom(Groups).Draw(t, "group")
		}
		env.Settings.DeleteDisabledUsers = rapid.Bool().Draw(t, "deleteDisabledUsers")
		if weight(t, c.Teams, "teams?") {
			groups := rapid.SliceOfNDistinct(rapid.SampledFrom(Groups), 1, len(Groups), rapid.ID[string]).Draw(t, "team groups")
			for _, g := range groups {
				env.Teams = append(env.Teams, Team(g).Draw(t, "team "+g))
			}
		}
		return env
	})
}

// Team returns a generator of valid group teams of group g: of either
// kind, any membership rule and type, in the environment's security group
// or not, with up to two roles, its group now and then deleted.
func Team(g string) *rapid.Generator[provisioning.GroupTeam] {
	return rapid.Custom(func(t *rapid.T) provisioning.GroupTeam {
		team := provisioning.GroupTeam{
			Group:           g,
			Name:            "team " + g,
			Kind:            rapid.SampledFrom(provisioning.GroupKinds()).Draw(t, "kind"),
			Rule:            rapid.SampledFrom(provisioning.MembershipRules()).Draw(t, "rule"),
			Membership:      rapid.SampledFrom(provisioning.TeamMemberships()).Draw(t, "membership"),
			InSecurityGroup: rapid.Bool().Draw(t, "inSecurityGroup"),
			GroupDeleted:    rapid.IntRange(0, 9).Draw(t, "groupDeleted") == 0,
		}
		for _, name := range rapid.SliceOfNDistinct(rapid.SampledFrom(Roles), 0, 2, rapid.ID[string]).Draw(t, "roles") {
			team.Roles = append(team.Roles, provisioning.TeamRole{Name: name, Inherited: rapid.Bool().Draw(t, "inherited")})
		}
		return team
	})
}
