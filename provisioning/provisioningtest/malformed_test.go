package provisioningtest_test

import (
	"errors"
	"regexp"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
)

// refusedAs fails t unless err is a *provisioning.FieldError of m's input
// and field that wraps m's sentinel.
func refusedAs(t *rapid.T, m *provisioningtest.Malformed, by string, err error) {
	t.Helper()
	var fe *provisioning.FieldError
	if !errors.As(err, &fe) || fe.Input != m.Input || fe.Field != m.Field || !errors.Is(err, m.Err) {
		t.Fatalf("%s: %v, want a refusal of %s field %s wrapping %q", by, err, m.Input, m.Field, m.Err)
	}
}

// Every malformed input is refused exactly as Malformed says: by its own
// Validate and Check function (a record well formed alone is accepted by
// them, and refused by a CheckedEnvironment's EvaluateRecord), by Evaluate
// for a user or an environment, by EvaluateRecord of the pair, and by
// Reconcile and NextAction under the trigger.
func TestMalformedIsRefusedAsSaid(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			m := c.Malformed().Draw(t, "malformed")
			switch m.Input {
			case "user":
				refusedAs(t, &m, "User.Validate", m.User.Validate())
				_, err := provisioning.CheckUser(&m.User)
				refusedAs(t, &m, "CheckUser", err)
				d := provisioning.Evaluate(&m.User, &m.Environment)
				refusedAs(t, &m, "Evaluate", d.Err())
			case "environment":
				refusedAs(t, &m, "Environment.Validate", m.Environment.Validate())
				_, err := provisioning.CheckEnvironment(&m.Environment)
				refusedAs(t, &m, "CheckEnvironment", err)
				d := provisioning.Evaluate(&m.User, &m.Environment)
				refusedAs(t, &m, "Evaluate", d.Err())
			case "record":
				_, err := provisioning.CheckRecord(&m.Record)
				if !m.Paired {
					refusedAs(t, &m, "Record.Validate", m.Record.Validate())
					refusedAs(t, &m, "CheckRecord", err)
					break
				}
				if err := m.Record.Validate(); err != nil {
					t.Fatalf("Record.Validate of a record well formed alone: %v", err)
				}
				if err != nil {
					t.Fatalf("CheckRecord of a record well formed alone: %v", err)
				}
				u, errU := provisioning.CheckUser(&m.User)
				env, errE := provisioning.CheckEnvironment(&m.Environment)
				r, _ := provisioning.CheckRecord(&m.Record)
				if errU != nil || errE != nil {
					t.Fatalf("CheckUser %v, CheckEnvironment %v", errU, errE)
				}
				refusedAs(t, &m, "CheckedEnvironment.EvaluateRecord", env.EvaluateRecord(u, r).Err())
			case "trigger":
			default:
				t.Fatalf("input %q", m.Input)
			}
			if m.Input != "trigger" {
				refusedAs(t, &m, "EvaluateRecord", provisioning.EvaluateRecord(&m.User, &m.Environment, &m.Record).Err())
			}
			r := provisioning.Reconcile(&m.User, &m.Environment, &m.Record, m.Trigger)
			refusedAs(t, &m, "Reconcile", r.Action.Err)
			a, _ := provisioning.NextAction(&m.User, &m.Environment, &m.Record, m.Trigger)
			refusedAs(t, &m, "NextAction", a.Err)
		}))
	}
}

// Malformed draws every kind of malformation its doc lists, in 3,000
// draws (Example by seed: the same every run).
func TestMalformedDrawsEveryKind(t *testing.T) {
	digits := regexp.MustCompile(`\[\d+\]`)
	seen := map[string]bool{}
	g := provisioningtest.EdgeCases().Malformed()
	for i := range 3000 {
		m := g.Example(i)
		key := m.Input + " " + digits.ReplaceAllString(m.Field, "[]") + " " + m.Err.Error()
		if m.Paired {
			key += " paired"
		}
		seen[key] = true
	}
	missing, malformed, unknown, contradiction := provisioning.ErrMissing.Error(), provisioning.ErrMalformed.Error(),
		provisioning.ErrUnknown.Error(), provisioning.ErrContradiction.Error()
	for _, want := range []string{
		"user ObjectID " + missing, "user UPN " + missing, "user SoftDeleted " + contradiction, "user HomeTenant " + missing,
		"user Licenses[].Plan " + unknown, "user Licenses[].Tenant " + missing, "user Roles " + unknown, "user GroupRoles " + unknown,
		"user Groups[] " + missing, "user OwnedGroups[] " + missing, "user NestedGroups[] " + missing,
		"user ObjectID " + malformed, "user UPN " + malformed, "user HomeTenant " + malformed, "user ApplicationID " + malformed,
		"user Licenses[].Tenant " + malformed, "user Groups[] " + malformed, "user OwnedGroups[] " + malformed, "user NestedGroups[] " + malformed,
		"user Attributes " + malformed, "user Attributes[azureactivedirectoryobjectid] " + contradiction, "user Attributes[domainname] " + contradiction,
		"environment ID " + missing, "environment Tenant " + missing, "environment Type " + unknown,
		"environment SecurityGroup " + provisioning.ErrDeveloperGroup.Error(), "environment Creator " + missing,
		"environment ID " + malformed, "environment Tenant " + malformed, "environment SecurityGroup " + malformed, "environment Creator " + malformed,
		"environment Teams[].Group " + missing, "environment Teams[].Group " + provisioning.ErrDuplicate.Error(),
		"environment Teams[].Group " + malformed, "environment Teams[].Name " + malformed, "environment Teams[].Kind " + unknown,
		"environment Teams[].Rule " + unknown, "environment Teams[].Membership " + unknown, "environment Teams[].Roles[].Name " + missing,
		"record Mode " + unknown, "record UPN " + contradiction, "record Mode " + contradiction, "record ObjectID " + missing,
		"record Fields.Columns[azureactivedirectoryobjectid] " + contradiction, "record Roles[] " + missing, "record Teams[] " + missing,
		"record OwnedRecords " + malformed, "record Disabled " + contradiction, "record SoftDeleted " + contradiction,
		"record ObjectID " + malformed, "record UPN " + malformed, "record Roles[] " + malformed, "record Teams[] " + malformed,
		"record ObjectID " + provisioning.ErrObjectMismatch.Error() + " paired", "record ApplicationID " + contradiction + " paired",
		"trigger Trigger " + unknown,
	} {
		if !seen[want] {
			t.Errorf("3,000 draws: never %s", want)
		}
	}
}
