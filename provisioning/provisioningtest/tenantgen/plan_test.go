package tenantgen_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// A generated tenant of 20,000 users, read as a service reads a real one
// (load.Read of its environments file, its Graph export and the
// Dataverse export of each environment), is what the last sync left plus
// Stale per thousand changed since. With its own, correct environments,
// the health check finds no error and the background sync plans with the
// default options, within the disable threshold: it creates about Stale/2
// per thousand of the users each environment admits automatically (the
// admitted users without a record), enables and updates about Stale/4
// per thousand each, and disables about Stale per thousand of them (users
// who left the security group, lost their license, or were disabled or
// deleted) and of the orphaned records that are not soft-deleted. With
// nothing changed it writes nothing at all. With a mistake in the
// environments file (a domain for the tenant ID, a mistyped security
// group), the health check has an error finding and the plan is refused.
//
// Each count is a sum of independent draws, one per user (or orphan) from
// its own stream, so it is close to a Poisson count of mean λ, whose
// standard deviation is √λ. The tolerance, 4√λ + 3, holds for all but a
// few seeds in 10,000: the test is not tuned to its seed.
func TestGeneratedTenantPlans(t *testing.T) {
	e := tenantgen.Export{Seed: 1, Users: 20_000}
	graph := written(t, e.WriteGraph)
	envs := e.Environments()
	correct := tenantFile(t, e.TenantID(), envs)

	for _, c := range []struct {
		name  string
		stale int // Export.Stale
		per   int // changed users per thousand
	}{
		{"default staleness", 0, tenantgen.DefaultStale},
		{"5 % changed", 50, 50},
		{"nothing changed", -1, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := e
			e.Stale = c.stale
			s := loadTenant(t, correct, graph, exports(t, e, envs))
			if findings, err := tenant.Diagnose(s); err != nil || hasError(findings) {
				t.Fatalf("health check: %v, %v", err, findings)
			}
			b, err := tenant.Plan(s, provisioning.BackgroundSync, tenant.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if b.Totals.All.Errors() != 0 {
				t.Fatalf("%d pairs in error", b.Totals.All.Errors())
			}
			lapse := provisioning.RuleSetOf(provisioning.RuleSGMember, provisioning.RuleLicRequired, provisioning.RuleDirEnabled, provisioning.RuleLifeMatch)
			for i := range b.Actions {
				a := &b.Actions[i]
				if c.per == 0 && a.Writes() {
					t.Fatalf("nothing changed, yet %s of %s in %s (%v)", a.Verb, a.User, a.Environment, a.Rules)
				}
				if a.Verb == provisioning.Disable && a.Rules&lapse == 0 {
					t.Errorf("%s in %s disabled by %v: not a lapse", a.User, a.Environment, a.Rules)
				}
			}
			automatic, orphans := base(s)
			per := float64(c.per) / 1000
			all := b.Totals.All
			for _, want := range []struct {
				verb   provisioning.Verb
				lambda float64
			}{
				{provisioning.Create, per * float64(automatic) / 2},
				{provisioning.Enable, per * float64(automatic) / 4},
				{provisioning.Update, per * float64(automatic) / 4},
				{provisioning.Disable, per * float64(automatic+orphans)},
			} {
				got := all.Of(want.verb)
				if math.Abs(float64(got)-want.lambda) > 4*math.Sqrt(want.lambda)+3 {
					t.Errorf("%d records to %s, want about %.1f", got, want.verb, want.lambda)
				}
			}
			for _, env := range b.Totals.Environments {
				t.Logf("%s: %d created, %d enabled, %d updated, %d disabled, %d left", env.Environment, env.Counts.Of(provisioning.Create),
					env.Counts.Of(provisioning.Enable), env.Counts.Of(provisioning.Update), env.Counts.Of(provisioning.Disable), env.Counts.Of(provisioning.Leave))
			}
			t.Logf("%d pairs admitted automatically, %d orphaned records not soft-deleted", automatic, orphans)
		})
	}

	for _, c := range []struct {
		name    string
		mistake func(env *provisioning.Environment)
		rule    tenant.Rule
	}{
		{"a domain for the tenant ID", func(env *provisioning.Environment) { env.Tenant = "contoso.onmicrosoft.com" }, tenant.RuleTenant},
		{"a mistyped security group", func(env *provisioning.Environment) {
			if env.SecurityGroup != "" {
				env.SecurityGroup = mistyped(env.SecurityGroup)
			}
		}, tenant.RuleGroupExists},
	} {
		t.Run(c.name, func(t *testing.T) {
			wrong := make([]provisioning.Environment, len(envs))
			for i, env := range envs {
				c.mistake(&env)
				wrong[i] = env
			}
			s := loadTenant(t, tenantFile(t, e.TenantID(), wrong), graph, exports(t, e, envs))
			findings, err := tenant.Diagnose(s)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range findings {
				found = found || f.Severity == tenant.SeverityError && f.Rule == c.rule
			}
			if !found {
				t.Errorf("no error finding of %s: %v", c.rule, findings)
			}
			if _, err := tenant.Plan(s, provisioning.BackgroundSync, tenant.Options{}); !errors.Is(err, tenant.ErrUnhealthy) {
				t.Errorf("plan: %v, want %v", err, tenant.ErrUnhealthy)
			}
		})
	}
}

// written returns what write writes.
func written(t *testing.T, write func(io.Writer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// exports returns e's Dataverse export of each environment.
func exports(t *testing.T, e tenantgen.Export, envs []provisioning.Environment) [][]byte {
	t.Helper()
	var out [][]byte
	for _, env := range envs {
		out = append(out, written(t, func(w io.Writer) error { return e.WriteDataverse(w, env.ID) }))
	}
	return out
}

// tenantFile returns the tenant file of envs in tenant id, as
// examples/gentenant -environments writes it.
func tenantFile(t *testing.T, id string, envs []provisioning.Environment) []byte {
	t.Helper()
	data, err := json.Marshal(map[string]any{"tenant": id, "environments": envs, "users": []provisioning.User{}, "records": map[string][]provisioning.Record{}})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// loadTenant reads a tenant file, a Graph export and Dataverse exports
// into a snapshot.
func loadTenant(t *testing.T, file, graph []byte, dataverse [][]byte) *tenant.Snapshot {
	t.Helper()
	f := load.Files{Tenant: load.Source{Name: "envs.json", Reader: bytes.NewReader(file)}, Directory: load.Source{Name: "tenant.json", Reader: bytes.NewReader(graph)}}
	for _, x := range dataverse {
		f.Dataverse = append(f.Dataverse, load.Source{Name: "dataverse.json", Reader: bytes.NewReader(x)})
	}
	s, err := load.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// base returns how many pairs of a user and an environment of s the rules
// admit automatically (provisioning.Evaluate), and how many records of s
// that are not soft-deleted belong to no user of the directory.
func base(s *tenant.Snapshot) (automatic, orphans int) {
	users := map[string]bool{}
	for i := range s.Users {
		users[s.Users[i].ObjectID] = true
		for k := range s.Environments {
			if provisioning.Evaluate(&s.Users[i], &s.Environments[k]).Admission() == provisioning.AdmissionAutomatic {
				automatic++
			}
		}
	}
	for _, records := range s.Records {
		for _, r := range records {
			if r.ObjectID != "" && r.ApplicationID == "" && !r.SoftDeleted && !users[r.ObjectID] {
				orphans++
			}
		}
	}
	return automatic, orphans
}

func hasError(findings []tenant.Finding) bool {
	for _, f := range findings {
		if f.Severity == tenant.SeverityError {
			return true
		}
	}
	return false
}

// mistyped returns id with two of its characters swapped, as a hand
// copying it might.
func mistyped(id string) string {
	b := []byte(id)
	i := strings.IndexFunc(id[1:], func(r rune) bool { return byte(r) != id[0] }) + 1
	b[0], b[i] = b[i], b[0]
	return string(b)
}
