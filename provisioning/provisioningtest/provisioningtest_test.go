package provisioningtest_test

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/usertype"
)

// configs are the Configs the validity properties hold for.
func configs() map[string]provisioningtest.Config {
	return map[string]provisioningtest.Config{"zero": {}, "default": provisioningtest.Default(), "edge cases": provisioningtest.EdgeCases()}
}

// checkSnapshot fails t unless s is valid as a whole: Validate accepts it,
// its health check finds no error, Plan under every trigger (with the
// default Options) plans it and gives no action an error, service principals
// have application IDs of their own and only application users' records,
// guests keep UPNs of the #EXT# form, no user lists a group twice or both
// directly and through nesting, and every record is well formed and, when
// its object ID is a user's, that user's.
func checkSnapshot(t *rapid.T, s *tenant.Snapshot) {
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	found, err := tenant.Diagnose(s)
	if err != nil {
		t.Fatalf("Diagnose: %v", err)
	}
	for _, f := range found {
		if f.Severity == tenant.SeverityError {
			t.Fatalf("health check: %v", f)
		}
	}
	for _, tr := range provisioning.Triggers() {
		b, err := tenant.Plan(s, tr, tenant.Options{})
		if err != nil {
			t.Fatalf("Plan %v: %v", tr, err)
		}
		for _, a := range b.Actions {
			if a.Err != nil {
				t.Fatalf("Plan %v: %s in %s: %v", tr, a.User, a.Environment, a.Err)
			}
		}
	}
	apps := map[string]string{}
	users := map[string]*provisioning.User{}
	for i := range s.Users {
		u := &s.Users[i]
		users[u.ObjectID] = u
		if u.ApplicationID != "" {
			if other, dup := apps[u.ApplicationID]; dup {
				t.Fatalf("service principals %s and %s share application ID %s", other, u.ObjectID, u.ApplicationID)
			}
			apps[u.ApplicationID] = u.ObjectID
		}
		if u.Guest && !strings.Contains(u.UPN, "#EXT#@") {
			t.Fatalf("guest %s has UPN %q", u.ObjectID, u.UPN)
		}
		for name, list := range map[string][]string{"Groups": u.Groups, "NestedGroups": u.NestedGroups, "OwnedGroups": u.OwnedGroups} {
			sorted := slices.Sorted(slices.Values(list))
			if len(slices.Compact(sorted)) != len(list) {
				t.Fatalf("user %s lists a group twice in %s: %v", u.ObjectID, name, list)
			}
		}
		for _, g := range u.NestedGroups {
			if slices.Contains(u.Groups, g) {
				t.Fatalf("user %s reaches %s both directly and through nesting", u.ObjectID, g)
			}
		}
	}
	for env, records := range s.Records {
		for i := range records {
			r := &records[i]
			if err := r.Validate(); err != nil {
				t.Fatalf("record %s of %s: %v", r.Key(), env, err)
			}
			u := users[r.ObjectID]
			if u == nil {
				continue
			}
			k, _ := r.Kind()
			switch {
			case !provisioning.Match(u, r):
				t.Fatalf("record %s of %s does not match user %s", r.Key(), env, u.ObjectID)
			case u.ApplicationID != "" && (k != usertype.KindApplication || r.ApplicationID != u.ApplicationID):
				t.Fatalf("service principal %s has a %v record of application ID %q in %s", u.ObjectID, k, r.ApplicationID, env)
			case u.ApplicationID == "" && r.ApplicationID != "" && k != usertype.KindStub:
				t.Fatalf("user %s, no service principal, has a record of application ID %q in %s", u.ObjectID, r.ApplicationID, env)
			}
		}
	}
}

// Every snapshot is valid as a whole, with every Config.
func TestSnapshotsAreValid(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			s := c.Snapshots().Draw(t, "snapshot")
			checkSnapshot(t, &s)
		}))
	}
}

// Snapshots of realistic size are valid too: with Size 200, tens to
// hundreds of users, and the records of most.
func TestLargeSnapshotsAreValid(t *testing.T) {
	c := provisioningtest.EdgeCases()
	c.Size = 200
	g := c.Snapshots()
	rapid.Check(t, func(t *rapid.T) {
		s := g.Draw(t, "snapshot")
		if n := len(s.Users); n < 50 || n > 200 {
			t.Fatalf("%d users, want tens to hundreds", n)
		}
		records := 0
		for _, list := range s.Records {
			records += len(list)
		}
		if records < len(s.Environments)*len(s.Users)/4 {
			t.Fatalf("%d records in %d environments of %d users", records, len(s.Environments), len(s.Users))
		}
		checkSnapshot(t, &s)
	})
}

// Every user, environment, record and pair is valid: each passes its
// Validate, a pair's record is its user's, and Reconcile decides a pair
// under every trigger without an error.
func TestGeneratorsAreValid(t *testing.T) {
	for name, c := range configs() {
		t.Run(name, rapid.MakeCheck(func(t *rapid.T) {
			u := c.Users().Draw(t, "user")
			if err := u.Validate(); err != nil {
				t.Fatalf("user: %v", err)
			}
			env := c.Environments().Draw(t, "env")
			if err := env.Validate(); err != nil {
				t.Fatalf("environment: %v", err)
			}
			r := c.Records().Draw(t, "record")
			if err := r.Validate(); err != nil {
				t.Fatalf("record: %v", err)
			}
			p := c.Pairs().Draw(t, "pair")
			if !provisioning.Match(&p.User, &p.Record) {
				t.Fatalf("record %s is not user %s's", p.Record.Key(), p.User.ObjectID)
			}
			for _, tr := range provisioning.Triggers() {
				if rec := provisioning.Reconcile(&p.User, &p.Environment, &p.Record, tr); rec.Action.Err != nil {
					t.Fatalf("Reconcile %v: %v", tr, rec.Action.Err)
				}
			}
		}))
	}
}

// EdgeCases reaches every kind of record in 500 draws, and a pair of every
// kind a user's record can be (Example draws by a fixed seed: the test is
// the same every run).
func TestEdgeCasesReachEveryKind(t *testing.T) {
	records, pairs := provisioningtest.EdgeCases().Records(), provisioningtest.EdgeCases().Pairs()
	seen := map[usertype.Kind]bool{}
	seenPair := map[usertype.Kind]bool{}
	for i := range 500 {
		r := records.Example(i)
		k, _ := r.Kind()
		seen[k] = true
		p := pairs.Example(i)
		k, _ = p.Record.Kind()
		seenPair[k] = true
	}
	for _, k := range usertype.Kinds() {
		if !seen[k] {
			t.Errorf("500 records of EdgeCases: no %v record", k)
		}
	}
	for _, k := range []usertype.Kind{usertype.KindRegular, usertype.KindSetup, usertype.KindNonInteractive, usertype.KindApplication, usertype.KindStub} {
		if !seenPair[k] {
			t.Errorf("500 pairs of EdgeCases: no %v record", k)
		}
	}
}
