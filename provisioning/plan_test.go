package provisioning_test

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/syncfields"
)

// errText compares errors by their text: a plan and a Reconcile of the
// same input make equal, not identical, errors.
var errText = cmp.Comparer(func(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
})

// The plan is exactly the per-user Reconcile results, and lists every user
// in every environment and every record no user matches.
func TestPlanEqualsReconcile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases.Snapshots().Draw(t, "snapshot")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		b, err := provisioning.Plan(&s, tr, provisioning.PlanOptions{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		var want []provisioning.Action
		envs := slices.Clone(s.Environments)
		slices.SortFunc(envs, func(a, b provisioning.Environment) int { return compare(a.ID, b.ID) })
		for _, env := range envs {
			var actions []provisioning.Action
			matched := map[string]bool{}
			for _, u := range s.Users {
				var rec *provisioning.Record
				for i, r := range s.Records[env.ID] {
					if r.ObjectID != "" && !r.Stub && r.ObjectID == u.ObjectID {
						rec, matched[key(r)] = &s.Records[env.ID][i], true
					}
				}
				actions = append(actions, provisioning.Reconcile(&u, &env, rec, tr).Action)
			}
			for i, r := range s.Records[env.ID] {
				if !matched[key(r)] {
					actions = append(actions, provisioning.Reconcile(nil, &env, &s.Records[env.ID][i], tr).Action)
				}
			}
			slices.SortStableFunc(actions, func(a, b provisioning.Action) int { return compare(a.User, b.User) })
			want = append(want, actions...)
		}
		if diff := cmp.Diff(want, b.Actions, errText, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("plan differs from Reconcile (-reconcile +plan):\n%s", diff)
		}
		var total provisioning.Counts
		for _, e := range b.Environments {
			for _, v := range provisioning.Verbs() {
				total[v] += e.Counts.Of(v)
			}
		}
		if total != b.Totals || b.Totals.Total() != len(b.Actions) {
			t.Fatalf("totals %v do not add up to %d actions", b.Totals, len(b.Actions))
		}
	})
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// The plan does not depend on the order of users, environments or records,
// nor on the number of workers.
func TestPlanIgnoresInputOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases.Snapshots().Draw(t, "snapshot")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		b1, err := provisioning.Plan(&s, tr, provisioning.PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p := provisioning.Snapshot{
			Users:        rapid.Permutation(s.Users).Draw(t, "users"),
			Environments: rapid.Permutation(s.Environments).Draw(t, "environments"),
			Records:      map[string][]provisioning.Record{},
		}
		for id, records := range s.Records {
			p.Records[id] = rapid.Permutation(records).Draw(t, "records "+id)
		}
		b2, err := provisioning.Plan(&p, tr, provisioning.PlanOptions{Workers: rapid.IntRange(1, 4).Draw(t, "workers")})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(b1, b2, errText); diff != "" {
			t.Fatalf("order changed the plan (-first +permuted):\n%s", diff)
		}
	})
}

func TestPlanRefusesAmbiguousSnapshots(t *testing.T) {
	env := production()
	u := licensed()
	for _, c := range []struct {
		name string
		s    provisioning.Snapshot
	}{
		{"two users, one object ID", provisioning.Snapshot{Users: []provisioning.User{u, u}, Environments: []provisioning.Environment{env}}},
		{"two environments, one ID", provisioning.Snapshot{Environments: []provisioning.Environment{env, env}}},
		{"two records, one key", provisioning.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {anaRecord(), anaRecord()}}}},
		{"records of no environment", provisioning.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{"elsewhere": nil}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var fe *provisioning.FieldError
			if _, err := provisioning.Plan(&c.s, bg, provisioning.PlanOptions{}); !errors.As(err, &fe) {
				t.Errorf("Plan = %v, want a *FieldError", err)
			}
		})
	}
}

func TestSnapshotValidate(t *testing.T) {
	env := production()
	bad := licensed()
	bad.Licenses = []provisioning.License{{Plan: 9, Tenant: tenant}}
	s := provisioning.Snapshot{
		Users:        []provisioning.User{licensed(), bad},
		Environments: []provisioning.Environment{env, {ID: "env-x", Tenant: tenant}},
		Records:      map[string][]provisioning.Record{env.ID: {{ObjectID: "u-x", Mode: 7}}, "elsewhere": nil},
	}
	err := s.Validate()
	for _, want := range []string{"Licenses[0].Plan", `environment "env-x": field Type`, `record "u-x": field Mode`, `Records = "elsewhere"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want it to name %s", err, want)
		}
	}
	good := whatIfSnapshot()
	if err := good.Validate(); err != nil {
		t.Errorf("a well-formed snapshot: %v", err)
	}
}

func ExamplePlan() {
	env := production()
	ana, bob := licensed(), licensed()
	bob.ObjectID, bob.UPN, bob.Groups = "u-bob", "bob@contoso.com", nil // not in the group
	s := provisioning.Snapshot{
		Users:        []provisioning.User{ana, bob},
		Environments: []provisioning.Environment{env},
		Records: map[string][]provisioning.Record{env.ID: {
			{ObjectID: "u-bob", UPN: "bob@contoso.com", Roles: []string{"Salesperson"}},
			{ObjectID: "u-gone", UPN: "gone@contoso.com"},
		}},
	}
	b, _ := provisioning.Plan(&s, provisioning.BackgroundSync, provisioning.PlanOptions{})
	for _, a := range b.Actions {
		fmt.Printf("%s %s %s\n", a.Verb, a.User, a.Rules)
	}
	fmt.Println(b.Totals.Of(provisioning.Create), b.Totals.Of(provisioning.Disable))
	// Output:
	// create u-ana UT-REGULAR,ENV-DATAVERSE,DIR-ENABLED,LIC-REQUIRED,SG-MEMBER,MODE-READ-WRITE
	// disable u-bob SG-MEMBER,LIFE-NEVER-DELETE,LIFE-DISABLE
	// disable u-gone LIFE-NEVER-DELETE,LIFE-DISABLE,LIFE-MATCH
	// 1 2
}

// planSnapshot has n licensed users in one production environment, a
// tenth of them with an existing record, one record in twenty without a
// user.
func planSnapshot(n int) provisioning.Snapshot {
	env := production()
	s := provisioning.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{}}
	s.Users = make([]provisioning.User, n)
	for i := range n {
		u := licensed()
		u.ObjectID = "u-" + strconv.Itoa(i)
		u.UPN = u.ObjectID + "@contoso.com"
		u.Attributes[syncfields.FirstName] = "First" + strconv.Itoa(i%100)
		u.Attributes[syncfields.City] = "Redmond"
		s.Users[i] = u
		if i%10 == 0 {
			r := provisioning.Reconcile(&u, &env, nil, bg).Record
			r.Fields.Columns[syncfields.City] = "Seattle" // one column to update
			s.Records[env.ID] = append(s.Records[env.ID], r)
		}
		if i%20 == 0 {
			s.Records[env.ID] = append(s.Records[env.ID], provisioning.Record{ObjectID: "gone-" + strconv.Itoa(i), UPN: "gone@contoso.com"})
		}
	}
	return s
}

var sinkBatch provisioning.Batch

// BenchmarkPlanMillion plans 1,000,000 users against one environment on
// one worker; users/s is the figure the README quotes.
func BenchmarkPlanMillion(b *testing.B) {
	s := planSnapshot(1_000_000)
	b.ReportAllocs()
	var batch provisioning.Batch
	for b.Loop() {
		batch, _ = provisioning.Plan(&s, bg, provisioning.PlanOptions{Workers: 1})
	}
	sinkBatch = batch
	b.ReportMetric(float64(len(s.Users))*float64(b.N)/b.Elapsed().Seconds(), "users/s")
}

func BenchmarkReconcile(b *testing.B) {
	u, env, rec := licensed(), production(), anaRecord()
	u.Attributes[syncfields.City] = "Seattle"
	b.ReportAllocs()
	var r provisioning.Reconciliation
	for b.Loop() {
		r = provisioning.Reconcile(&u, &env, &rec, bg)
	}
	if r.Action.Verb != provisioning.Update {
		b.Fatal(r.Action.Verb)
	}
}
