package provisioning_test

import (
	"strconv"

	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
)

// The action that disables the record of a user the directory no longer
// lets in cites why: DIR-ENABLED, LIFE-DISABLE and LIFE-NEVER-DELETE (the
// record is disabled, never deleted), and DEL-DIRECTORY when the user was
// deleted from the directory.
func TestDisableCitesWhy(t *testing.T) {
	for _, c := range []struct {
		name string
		user func(*provisioning.User)
		want []provisioning.Rule
		not  []provisioning.Rule
	}{
		{"disabled in the directory", func(u *provisioning.User) { u.Enabled = false },
			[]provisioning.Rule{provisioning.RuleDirEnabled, provisioning.RuleLifeDisable, provisioning.RuleLifeNeverDelete},
			[]provisioning.Rule{provisioning.RuleDelDirectory}},
		{"deleted from the directory", func(u *provisioning.User) { u.Enabled, u.Deleted = false, true },
			[]provisioning.Rule{provisioning.RuleDirEnabled, provisioning.RuleLifeDisable, provisioning.RuleLifeNeverDelete, provisioning.RuleDelDirectory}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			u, env, rec := licensed(), production(), anaRecord()
			c.user(&u)
			a, _ := provisioning.NextAction(&u, &env, &rec, bg)
			if a.Err != nil || a.Verb != provisioning.Disable {
				t.Fatalf("NextAction = %s, %v; want disable", a.Verb, a.Err)
			}
			for _, r := range c.want {
				if !a.Rules.Has(r) {
					t.Errorf("rules %s do not cite %s", a.Rules, r)
				}
			}
			for _, r := range c.not {
				if a.Rules.Has(r) {
					t.Errorf("rules %s cite %s", a.Rules, r)
				}
			}
		})
	}
}

// A team type written as its Dataverse value, a digit, reads as that type.
func TestTeamMembershipDigits(t *testing.T) {
	all := provisioning.TeamMemberships()
	for i, m := range all {
		got := all[(i+1)%len(all)]
		if err := got.UnmarshalText([]byte(strconv.Itoa(int(m)))); err != nil || got != m {
			t.Errorf("UnmarshalText(%d) = %v, %v; want %v", int(m), got, err, m)
		}
	}
}

// Rules lists every rule once, each a rule of the catalogue.
func TestRulesAreTheCatalogue(t *testing.T) {
	seen := map[provisioning.Rule]bool{}
	for _, r := range provisioning.Rules() {
		if !r.IsValid() || seen[r] {
			t.Errorf("Rules() holds %v (valid %v, seen before %v)", r, r.IsValid(), seen[r])
		}
		seen[r] = true
	}
}
