package provisioningtest_test

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// WhatIf accepts every change Changes draws, and the environment it makes
// is valid.
func TestChangesAreAccepted(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			s := c.Snapshots().Draw(t, "snapshot")
			ch := c.Changes(&s).Draw(t, "change")
			if _, err := tenant.WhatIf(&s, ch, tenant.Options{}); err != nil {
				t.Fatalf("WhatIf(%s): %v", ch, err)
			}
			for _, env := range s.Environments {
				if env.ID != ch.Environment {
					continue
				}
				if after := ch.Apply(env); after.Validate() != nil {
					t.Fatalf("%s: %v", ch, after.Validate())
				}
			}
		}))
	}
}

// Changes draws every kind of change, in 500 draws.
func TestChangesDrawEveryKind(t *testing.T) {
	c := provisioningtest.EdgeCases()
	snapshots := c.Snapshots()
	seen := map[string]bool{}
	for i := range 500 {
		s := snapshots.Example(i)
		ch := c.Changes(&s).Example(i)
		for what, set := range map[string]bool{
			"type": ch.Type != nil, "security group": ch.SecurityGroup != nil && *ch.SecurityGroup != "",
			"cleared security group": ch.SecurityGroup != nil && *ch.SecurityGroup == "", "app pass": ch.AppPass != nil,
			"marketing": ch.TenantMarketing != nil, "creator": ch.Creator != nil, "team": ch.AddTeam != nil,
			"team roles": ch.TeamRoles != nil, "deleted team group": ch.DeleteTeamGroup != nil,
			"nothing": ch.String() == "leaving environment "+ch.Environment+" as it is",
		} {
			seen[what] = seen[what] || set
		}
	}
	for _, what := range []string{"type", "security group", "cleared security group", "app pass", "marketing", "creator", "team", "team roles", "deleted team group", "nothing"} {
		if !seen[what] {
			t.Errorf("500 changes: none with %s", what)
		}
	}
}
