package provisioningtest_test

import (
	"errors"
	"reflect"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/usertype"
)

// checkOrg fails t unless o is a valid state: every record well formed,
// no two with one key, at most 7 non-interactive users that are not
// application users (UT-NONINTERACTIVE-LIMIT).
func checkOrg(t *rapid.T, o provisioning.Org) {
	if err := o.Environment.Validate(); err != nil {
		t.Fatalf("environment: %v", err)
	}
	keys := map[string]bool{}
	for i := range o.Records {
		r := &o.Records[i]
		if err := r.Validate(); err != nil {
			t.Fatalf("record %s: %v", r.Key(), err)
		}
		if keys[r.Key()] {
			t.Fatalf("two records of key %s", r.Key())
		}
		keys[r.Key()] = true
	}
	if n := o.NonInteractiveCount(); n > usertype.NonInteractiveLimit {
		t.Fatalf("%d non-interactive users", n)
	}
}

// A state machine applies the operations Ops draws to a state Orgs draws:
// every state is valid, every refused operation leaves the state as it
// was (RULES.md invariant 1), and none is refused as malformed input.
func TestOpsApplyToOrgs(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			o := c.Orgs().Draw(t, "org")
			checkOrg(t, o)
			t.Repeat(map[string]func(*rapid.T){
				"op": func(t *rapid.T) {
					op := c.Ops(o).Draw(t, "op")
					next, err := op.Apply(o)
					var fe *provisioning.FieldError
					switch {
					case errors.As(err, &fe):
						t.Fatalf("%v refused as malformed input: %v", op, err)
					case err != nil && !reflect.DeepEqual(next, o):
						t.Fatalf("%v refused (%v), yet the state changed", op, err)
					}
					o = next
					checkOrg(t, o)
				},
			})
		}))
	}
}

// Ops draws every operation, each both accepted and refused, in 3,000
// draws on states of Orgs.
func TestOpsDrawEveryOperation(t *testing.T) {
	c := provisioningtest.EdgeCases()
	orgs := c.Orgs()
	accepted, refused := map[string]bool{}, map[string]bool{}
	for i := range 3000 {
		o := orgs.Example(i)
		op := c.Ops(o).Example(i)
		if _, err := op.Apply(o); err != nil {
			refused[op.Name] = true
		} else {
			accepted[op.Name] = true
		}
	}
	for _, name := range []string{"MarkNonInteractive", "SetAccessMode", "AssignRole", "RemoveRoles", "ImportStub", "Sync", "SyncGone",
		"Access", "AddTeam", "SetTeamRoles", "DeleteTeamGroup", "RemoveTeamMember", "SoftDelete", "PermanentDelete"} {
		if !accepted[name] {
			t.Errorf("3,000 draws: %s never accepted", name)
		}
		if !refused[name] && name != "Sync" {
			t.Errorf("3,000 draws: %s never refused", name)
		}
	}
}
