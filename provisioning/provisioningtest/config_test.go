package provisioningtest_test

import (
	"flag"
	"fmt"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/usertype"
)

// A case the weights of a Config draw: the weight, and what a drawn value
// shows of the case, written from the field docs of Config.
type weighed struct {
	name   string
	set    func(c *provisioningtest.Config, w int)
	user   func(u *provisioning.User) bool
	lic    func(l *provisioning.License) bool
	record func(r *provisioning.Record) bool
	env    func(e *provisioning.Environment) bool
}

func weighedCases() []weighed {
	return []weighed{
		{name: "Guest", set: func(c *provisioningtest.Config, w int) { c.Guest = w }, user: func(u *provisioning.User) bool { return u.Guest }},
		{name: "Admin", set: func(c *provisioningtest.Config, w int) { c.Admin = w }, user: func(u *provisioning.User) bool { return u.Roles != 0 }},
		{name: "GroupAdmin", set: func(c *provisioningtest.Config, w int) { c.GroupAdmin = w }, user: func(u *provisioning.User) bool { return u.GroupRoles != 0 }},
		{name: "Owner", set: func(c *provisioningtest.Config, w int) { c.Owner = w }, user: func(u *provisioning.User) bool { return len(u.OwnedGroups) > 0 }},
		{name: "Nested", set: func(c *provisioningtest.Config, w int) { c.Nested = w }, user: func(u *provisioning.User) bool { return len(u.NestedGroups) > 0 }},
		{name: "Application", set: func(c *provisioningtest.Config, w int) { c.Application = w },
			user: func(u *provisioning.User) bool { return u.ApplicationID != "" }, record: func(r *provisioning.Record) bool { return r.ApplicationID != "" }},
		{name: "Disabled", set: func(c *provisioningtest.Config, w int) { c.Disabled = w }, user: func(u *provisioning.User) bool { return !u.Enabled || u.Deleted || u.SoftDeleted }},
		{name: "InactiveLicense", set: func(c *provisioningtest.Config, w int) { c.InactiveLicense = w }, lic: func(l *provisioning.License) bool { return l.Inactive }},
		{name: "NonInteractive", set: func(c *provisioningtest.Config, w int) { c.NonInteractive = w },
			record: func(r *provisioning.Record) bool { return r.Mode == usertype.NonInteractive && r.ApplicationID == "" }},
		{name: "NotSynced", set: func(c *provisioningtest.Config, w int) { c.NotSynced = w },
			record: func(r *provisioning.Record) bool {
				return r.Stub || r.UPN == usertype.SupportUPN || r.UPN == usertype.DelegatedAdminUPN
			}},
		{name: "SoftDeleted", set: func(c *provisioningtest.Config, w int) { c.SoftDeleted = w }, record: func(r *provisioning.Record) bool { return r.SoftDeleted }},
		{name: "OnDemand", set: func(c *provisioningtest.Config, w int) { c.OnDemand = w }, record: func(r *provisioning.Record) bool { return r.OnDemand }},
		{name: "Teams", set: func(c *provisioningtest.Config, w int) { c.Teams = w }, env: func(e *provisioning.Environment) bool { return len(e.Teams) > 0 }},
	}
}

// count returns how many of n draws of c show case w (Example by seed:
// the same every run).
func (w weighed) count(c provisioningtest.Config, n int) int {
	k := 0
	switch {
	case w.user != nil:
		g := c.Users()
		for i := range n {
			if u := g.Example(i); w.user(&u) {
				k++
			}
		}
	case w.lic != nil:
		g := c.Licenses()
		for i := range n {
			if l := g.Example(i); w.lic(&l) {
				k++
			}
		}
	case w.record != nil:
		g := c.Records()
		for i := range n {
			if r := g.Example(i); w.record(&r) {
				k++
			}
		}
	default:
		g := c.Environments()
		for i := range n {
			if e := g.Example(i); w.env(&e) {
				k++
			}
		}
	}
	return k
}

// within reports whether k of n is within four standard deviations of p
// percent.
func within(k, n int, p float64) bool {
	sd := math.Sqrt(p*(100-p)/float64(n)) * 4
	return math.Abs(float64(k)*100/float64(n)-p) <= max(sd, 0.5)
}

// Each weight is the rate of its case: with the other weights at 0, so
// that no case excludes another, n draws show the case about w times in a
// hundred (within four standard deviations), exactly never for weight 0,
// and every time for weight 100.
func TestWeightsAreRates(t *testing.T) {
	const n = 1000
	for _, wc := range weighedCases() {
		for _, w := range []int{0, 10, 50, 85, 100} {
			var c provisioningtest.Config
			wc.set(&c, w)
			k := wc.count(c, n)
			switch {
			case w == 0 && k != 0, w == 100 && k != n:
				t.Errorf("%s = %d: %d of %d draws", wc.name, w, k, n)
			case !within(k, n, float64(w)):
				t.Errorf("%s = %d: %.1f %% of %d draws", wc.name, w, float64(k)*100/n, n)
			}
			t.Logf("%-16s weight %3d: %5.1f %%", wc.name, w, float64(k)*100/n)
		}
	}
}

// A weight of 0 draws its case never, whatever the other weights: with
// every other at EdgeCases' level, no draw shows it.
func TestZeroWeightIsNever(t *testing.T) {
	for _, wc := range weighedCases() {
		c := provisioningtest.EdgeCases()
		wc.set(&c, 0)
		if k := wc.count(c, 500); k != 0 {
			t.Errorf("%s = 0 in EdgeCases: %d of 500 draws show it", wc.name, k)
		}
	}
}

// EdgeCases draws each case at the rate its doc says, where cases exclude
// each other as Config's doc says: a service principal is never a guest;
// a record of a kind the sync never changes is no application user's and
// neither non-interactive nor marked on demand, and an application record
// is not marked non-interactive by NonInteractive.
func TestEdgeCasesRates(t *testing.T) {
	const n = 2000
	want := map[string]float64{
		"Guest": 40 * 0.85, "Admin": 40, "GroupAdmin": 20, "Owner": 40, "Nested": 40, "Disabled": 30,
		"InactiveLicense": 20, "NotSynced": 30, "OnDemand": 30 * 0.70, "Teams": 50,
		"NonInteractive": 30 * 0.70 * 0.85,
	}
	for _, wc := range weighedCases() {
		p, ok := want[wc.name]
		if !ok {
			continue
		}
		k := wc.count(provisioningtest.EdgeCases(), n)
		if !within(k, n, p) {
			t.Errorf("EdgeCases %s: %.1f %% of %d draws, want %.1f", wc.name, float64(k)*100/n, n, p)
		}
	}
}

// A weight that is not a percentage makes the generators panic.
func TestWeightOutOfRangePanics(t *testing.T) {
	for _, c := range []provisioningtest.Config{{Guest: -1}, {Teams: 101}, {Size: -1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%+v: no panic", c)
				}
			}()
			c.Users()
		}()
	}
}

// recorder is a rapid.TB that keeps what rapid.Check reports instead of
// failing the test that runs it.
type recorder struct {
	name   string
	failed bool
	logs   []string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Name() string                 { return r.name }
func (r *recorder) Logf(f string, args ...any)   { r.logs = append(r.logs, fmt.Sprintf(f, args...)) }
func (r *recorder) Log(args ...any)              { r.logs = append(r.logs, fmt.Sprint(args...)) }
func (r *recorder) Skipf(string, ...any)         { panic("skip") }
func (r *recorder) Skip(...any)                  { panic("skip") }
func (r *recorder) SkipNow()                     { panic("skip") }
func (r *recorder) Errorf(f string, args ...any) { r.failed = true; r.Logf(f, args...) }
func (r *recorder) Error(args ...any)            { r.failed = true; r.Log(args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.failed = true; r.Logf(f, args...) }
func (r *recorder) Fatal(args ...any)            { r.failed = true; r.Log(args...) }
func (r *recorder) FailNow()                     { r.failed = true }
func (r *recorder) Fail()                        { r.failed = true }
func (r *recorder) Failed() bool                 { return r.failed }

// minimal runs under rapid.Check the property "no value of gen fails", for
// a fails that some values fail, and returns the counterexample rapid
// shrinks it to: after a failure rapid runs the minimal counterexample
// last. It writes no fail file.
func minimal[V any](t *testing.T, gen *rapid.Generator[V], fails func(V) bool) V {
	t.Helper()
	f := flag.Lookup("rapid.nofailfile")
	old := f.Value.String()
	if err := f.Value.Set("true"); err != nil {
		t.Fatal(err)
	}
	defer f.Value.Set(old)
	var last V
	r := &recorder{name: t.Name()}
	rapid.Check(r, func(rt *rapid.T) {
		last = gen.Draw(rt, "value")
		if fails(last) {
			rt.Fatalf("counterexample")
		}
	})
	if !r.failed {
		t.Fatalf("the property never failed: %v", r.logs)
	}
	return last
}

// plainUser reports what makes u other than a plain user: an edge case of
// Config.
func plainUser(u *provisioning.User) []string {
	var why []string
	if !u.Enabled || u.Deleted || u.SoftDeleted {
		why = append(why, "disabled")
	}
	if u.Guest || u.HomeTenant != "" {
		why = append(why, "guest")
	}
	if u.Roles != 0 || u.GroupRoles != 0 {
		why = append(why, "admin")
	}
	if len(u.OwnedGroups) > 0 || len(u.NestedGroups) > 0 {
		why = append(why, "owner or nested")
	}
	if u.ApplicationID != "" {
		why = append(why, "service principal")
	}
	if slices.ContainsFunc(u.Licenses, func(l provisioning.License) bool { return l.Inactive }) {
		why = append(why, "inactive license")
	}
	return why
}

// Shrinking goes toward plain users: the counterexample to "no user holds
// two licenses", drawn with every edge case often, is a plain user with
// two licenses.
func TestShrinksToPlainUser(t *testing.T) {
	u := minimal(t, provisioningtest.EdgeCases().Users(), func(u provisioning.User) bool { return len(u.Licenses) >= 2 })
	if why := plainUser(&u); len(why) > 0 || len(u.Licenses) != 2 {
		t.Errorf("minimal counterexample %+v: %v", u, why)
	}
}

// Shrinking goes toward plain environments: the counterexample to "no
// environment has a group team" is a production environment with
// Dataverse and nothing else, whose one team is a security group team of
// an assigned group that exists, of members and guests, with no role.
func TestShrinksToPlainEnvironment(t *testing.T) {
	env := minimal(t, provisioningtest.EdgeCases().Environments(), func(e provisioning.Environment) bool { return len(e.Teams) > 0 })
	plain := provisioning.Environment{ID: env.ID, Tenant: provisioningtest.Tenants()[0], Type: provisioning.EnvProduction, Dataverse: true,
		Teams: []provisioning.GroupTeam{{Group: env.Teams[0].Group, Name: env.Teams[0].Name, Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned,
			Membership: provisioning.MembersAndGuests}}}
	if fmt.Sprint(env) != fmt.Sprint(plain) {
		t.Errorf("minimal counterexample\n%+v\nwant\n%+v", env, plain)
	}
}

// Shrinking goes toward plain records: the counterexample to "no record
// holds a security role" is an enabled read-write record of a user, not
// soft-deleted, not marked on demand, in no team, with one role.
func TestShrinksToPlainRecord(t *testing.T) {
	r := minimal(t, provisioningtest.EdgeCases().Records(), func(r provisioning.Record) bool { return len(r.Roles) > 0 })
	k, err := r.Kind()
	if err != nil || k != usertype.KindRegular || r.Mode != usertype.ReadWrite || r.Disabled || r.SoftDeleted || r.OnDemand ||
		len(r.Teams) > 0 || len(r.Roles) != 1 || r.ObjectID == "" {
		t.Errorf("minimal counterexample %+v (%v, %v)", r, k, err)
	}
}
