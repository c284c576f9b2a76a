package provisioningtest

import (
	"slices"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// Changes returns a generator of what-if changes to the environments of s
// that tenant.WhatIf accepts, drawn as c says; s must hold an environment,
// and pass Snapshot.Check. A group of s.Groups keeps its kind: a security
// group set is a security group, and a team added is of its group's kind. Each change names one environment of s and,
// each one time in two: sets its type (any type), its security group (one
// of Groups, or none), its app-pass capacity, its tenant Marketing
// license or its creator (one of c.ObjectIDs); adds a group team (Team) of
// a group of Groups that has none there; gives a team of it (one it has,
// or the one added) up to two roles of Roles; deletes the group of one of
// its teams. A change that makes a developer environment clears its
// security group and names a creator, if it has none (ENV-NO-GROUP,
// ENV-DEVELOPER). It shrinks toward a change that changes nothing.
func (c Config) Changes(s *tenant.Snapshot) *rapid.Generator[tenant.Change] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) tenant.Change {
		env := rapid.SampledFrom(s.Environments).Draw(t, "environment")
		kinds := map[string]provisioning.GroupKind{}
		for _, g := range s.Groups {
			kinds[g.ID] = g.Kind
		}
		ch := tenant.Change{Environment: env.ID}
		set := func(what string) bool { return rapid.Bool().Draw(t, "set "+what+"?") }
		if typ := rapid.SampledFrom(provisioning.EnvironmentTypes()).Draw(t, "type"); set("type") {
			ch.Type = &typ
		}
		if g := rapid.SampledFrom(append([]string{""}, Groups()...)).Draw(t, "group"); set("group") && (g == "" || kinds[g] != provisioning.GroupKindMicrosoft365) {
			ch.SecurityGroup = &g
		}
		if on := rapid.Bool().Draw(t, "app pass"); set("app pass") {
			ch.AppPass = &on
		}
		if on := rapid.Bool().Draw(t, "marketing"); set("marketing") {
			ch.TenantMarketing = &on
		}
		if id := rapid.SampledFrom(ids).Draw(t, "creator"); set("creator") {
			ch.Creator = &id
		}
		var groups []string
		for _, team := range env.Teams {
			groups = append(groups, team.Group)
		}
		g := rapid.SampledFrom(Groups()).Draw(t, "team group")
		if team := Team(g).Draw(t, "team"); set("team") && !slices.Contains(groups, g) {
			if k, ok := kinds[g]; ok {
				team.Kind = k
			}
			ch.AddTeam = &team
			groups = append(groups, g)
		}
		if len(groups) > 0 {
			g := rapid.SampledFrom(groups).Draw(t, "roles of")
			roles := []provisioning.TeamRole{}
			for _, name := range rapid.SliceOfNDistinct(rapid.SampledFrom(Roles()), 0, 2, rapid.ID[string]).Draw(t, "team roles") {
				roles = append(roles, provisioning.TeamRole{Name: name, Inherited: rapid.Bool().Draw(t, "inherited")})
			}
			if set("team roles") {
				ch.TeamRoles = &tenant.TeamRoles{Group: g, Roles: roles}
			}
			if g := rapid.SampledFrom(groups).Draw(t, "deleted group"); set("deleted group") {
				ch.DeleteTeamGroup = &g
			}
		}
		if after := ch.Apply(env); after.Type == provisioning.EnvDeveloper {
			if after.SecurityGroup != "" {
				none := ""
				ch.SecurityGroup = &none
			}
			if after.Creator == "" {
				ch.Creator = &ids[0]
			}
		}
		return ch
	})
}
