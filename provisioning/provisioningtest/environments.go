package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
)

// Environments returns a generator of valid environments drawn as Default
// says.
func Environments() *rapid.Generator[provisioning.Environment] { return Default().Environments() }

// Environments returns a generator of valid environments drawn as c says:
// an ID "env-" and up to six letters; a tenant of Tenants; any type; a
// Dataverse database but one time in seven or so (15 in a hundred);
// app-pass capacity, a tenant Marketing license, Dynamics 365 apps and
// each org setting one time in two; its root business unit's ID (a GUID
// of its ID) one time in two; a developer environment has a creator
// of c.ObjectIDs and no security group (ENV-NO-GROUP), any other a
// security group of Groups one time in two; with weight c.Teams, group
// teams (Team) of one to all of Groups, each group once. It shrinks toward
// a production environment with Dataverse and nothing else.
func (c Config) Environments() *rapid.Generator[provisioning.Environment] {
	c.check()
	return rapid.Custom(func(t *rapid.T) provisioning.Environment {
		env := provisioning.Environment{
			ID:     "env-" + rapid.StringMatching(`[a-z]{1,6}`).Draw(t, "id"),
			Tenant: rapid.SampledFrom(Tenants()).Draw(t, "tenant"),
			Type:   rapid.SampledFrom(provisioning.EnvironmentTypes()).Draw(t, "type"),
			// ENV-DATAVERSE: 15 in a hundred have no database; the draw
			// shrinks to one that has.
			Dataverse:       !edge(t, 15, "without Dataverse?"),
			AppPass:         rapid.Bool().Draw(t, "appPass"),
			TenantMarketing: rapid.Bool().Draw(t, "marketing"),
			DynamicsApps:    rapid.Bool().Draw(t, "dynamicsApps"),
			Settings: provisioning.OrgSettings{
				AllowRoleAssignmentOnDisabledUsers: rapid.Bool().Draw(t, "allowRoleOnDisabled"),
			},
		}
		if env.Type == provisioning.EnvDeveloper {
			env.Creator = rapid.SampledFrom(c.ObjectIDs()).Draw(t, "creator")
		} else if rapid.Bool().Draw(t, "group?") {
			env.SecurityGroup = rapid.SampledFrom(Groups()).Draw(t, "group")
		}
		env.Settings.DeleteDisabledUsers = rapid.Bool().Draw(t, "deleteDisabledUsers")
		if rapid.Bool().Draw(t, "root business unit known?") {
			env.RootBusinessUnit = systemUserID(env.ID, "root business unit")
		}
		if edge(t, c.Teams, "teams?") {
			groups := rapid.SliceOfNDistinct(rapid.SampledFrom(Groups()), 1, len(Groups()), rapid.ID[string]).Draw(t, "team groups")
			for _, g := range groups {
				env.Teams = append(env.Teams, Team(g).Draw(t, "team "+g))
			}
		}
		return env
	})
}

// Team returns a generator of valid group teams of group g: of either
// kind, any membership rule and type, in the environment's security group
// or not, with up to two roles from Roles, its group deleted one time in
// ten. It shrinks toward a security group team of members and guests, of
// an assigned group that exists, with no role.
func Team(g string) *rapid.Generator[provisioning.GroupTeam] {
	return rapid.Custom(func(t *rapid.T) provisioning.GroupTeam {
		team := provisioning.GroupTeam{
			Group:           g,
			Name:            "team " + g,
			Kind:            rapid.SampledFrom(provisioning.GroupKinds()).Draw(t, "kind"),
			Rule:            rapid.SampledFrom(provisioning.MembershipRules()).Draw(t, "rule"),
			Membership:      rapid.SampledFrom(provisioning.TeamMemberships()).Draw(t, "membership"),
			InSecurityGroup: rapid.Bool().Draw(t, "inSecurityGroup"),
			GroupDeleted:    edge(t, 10, "group deleted?"),
		}
		for _, name := range rapid.SliceOfNDistinct(rapid.SampledFrom(Roles()), 0, 2, rapid.ID[string]).Draw(t, "roles") {
			team.Roles = append(team.Roles, provisioning.TeamRole{Name: name, Inherited: rapid.Bool().Draw(t, "inherited")})
		}
		return team
	})
}
