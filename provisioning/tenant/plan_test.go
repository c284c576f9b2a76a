package tenant_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// errText compares errors by their text: a plan and a Reconcile of the
// same input make equal, not identical, errors.
var errText = cmp.Comparer(func(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
})

// The plan is exactly the per-pair NextAction results, paired by Match,
// and lists every user in every environment and every record no user
// matches.
func TestPlanEqualsNextAction(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		b, err := tenant.Plan(&s, tr, lax(&s, tenant.Options{Workers: 2}))
		if err != nil {
			t.Fatal(err)
		}
		var want []provisioning.Action
		envs := slices.Clone(s.Environments)
		slices.SortFunc(envs, func(a, b provisioning.Environment) int { return strings.Compare(a.ID, b.ID) })
		for _, env := range envs {
			var actions []provisioning.Action
			matched := map[int]bool{}
			for _, u := range s.Users {
				var rec *provisioning.Record
				for i := range s.Records[env.ID] {
					if provisioning.Match(&u, &s.Records[env.ID][i]) {
						rec, matched[i] = &s.Records[env.ID][i], true
					}
				}
				a, _ := provisioning.NextAction(&u, &env, rec, tr)
				actions = append(actions, a)
			}
			for i := range s.Records[env.ID] {
				if !matched[i] {
					a, _ := provisioning.NextAction(nil, &env, &s.Records[env.ID][i], tr)
					actions = append(actions, a)
				}
			}
			slices.SortStableFunc(actions, func(a, b provisioning.Action) int {
				return strings.Compare(actionKey(&a), actionKey(&b))
			})
			want = append(want, actions...)
		}
		if diff := cmp.Diff(want, b.Actions, errText, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("plan differs from NextAction (-next action +plan):\n%s", diff)
		}
		var all tenant.Counts
		sum := 0
		for _, e := range b.Totals.Environments {
			for _, v := range provisioning.Verbs() {
				sum += e.Counts.Of(v)
			}
		}
		for _, a := range b.Actions {
			all = addVerb(all, a.Verb)
		}
		if sum != len(b.Actions) || all != b.Totals.All || b.Totals.All.Total() != len(b.Actions) {
			t.Fatalf("totals %+v do not add up to the %d actions", b.Totals, len(b.Actions))
		}
	})
}

// addVerb counts one more v in c, through the JSON form, the one way to
// build Counts from outside.
func addVerb(c tenant.Counts, v provisioning.Verb) tenant.Counts {
	m := map[string]int{}
	for _, x := range provisioning.Verbs() {
		m[x.String()] = c.Of(x)
	}
	m[v.String()]++
	data, _ := json.Marshal(m)
	var out tenant.Counts
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

// LIFE-MATCH is one function: applying Org.Sync to each user, and
// Org.SyncGone to each record no user matches, gives the plan's actions.
func TestOrgSyncEqualsPlan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		b, err := tenant.Plan(&s, tr, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		planned := map[[2]string]provisioning.Action{}
		for _, a := range b.Actions {
			planned[[2]string{a.Environment, actionKey(&a)}] = a
		}
		for _, env := range s.Environments {
			org := provisioning.Org{Environment: env, Records: s.Records[env.ID]}
			matched := map[string]bool{}
			for _, u := range s.Users {
				_, r := org.Sync(&u, tr)
				for i := range org.Records {
					if provisioning.Match(&u, &org.Records[i]) {
						matched[org.Records[i].Key()] = true
					}
				}
				if diff := cmp.Diff(planned[[2]string{env.ID, u.ObjectID}], r.Action, errText); diff != "" {
					t.Fatalf("Org.Sync of %s in %s differs from the plan (-plan +sync):\n%s", u.ObjectID, env.ID, diff)
				}
			}
			for _, rec := range org.Records {
				if matched[rec.Key()] {
					continue
				}
				_, r := org.SyncGone(rec.Key(), tr)
				if diff := cmp.Diff(planned[[2]string{env.ID, rec.Key()}], r.Action, errText); diff != "" {
					t.Fatalf("Org.SyncGone of %s in %s differs from the plan (-plan +sync):\n%s", rec.Key(), env.ID, diff)
				}
			}
		}
	})
}

// The plan does not depend on the order of users, environments or records,
// nor on the number of workers, nor on how the users are split into tasks.
func TestPlanIgnoresInputOrderAndWorkers(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		b1, err := tenant.Plan(&s, tr, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		p := tenant.Snapshot{
			Users:        rapid.Permutation(s.Users).Draw(t, "users"),
			Environments: rapid.Permutation(s.Environments).Draw(t, "environments"),
			Records:      map[string][]provisioning.Record{},
		}
		for id, records := range s.Records {
			p.Records[id] = rapid.Permutation(records).Draw(t, "records "+id)
		}
		restore := tenant.SetChunkUsers(rapid.IntRange(1, 3).Draw(t, "users per task"))
		defer restore()
		b2, err := tenant.Plan(&p, tr, lax(&p, tenant.Options{Workers: rapid.IntRange(1, 4).Draw(t, "workers")}))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(b1, b2, errText); diff != "" {
			t.Fatalf("order, workers or tasks changed the plan (-first +permuted):\n%s", diff)
		}
	})
}

// A tenant planned one environment at a time, in environment ID order,
// each with all the users and only that environment's records, gives the
// whole plan's actions in the whole plan's order, and its totals: the way
// to plan a tenant whose records do not fit in memory at once.
func TestPlanByEnvironment(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		whole, err := tenant.Plan(&s, tr, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		envs := slices.Clone(s.Environments)
		slices.SortFunc(envs, func(a, b provisioning.Environment) int { return strings.Compare(a.ID, b.ID) })
		var actions []provisioning.Action
		var all tenant.Counts
		for _, env := range envs {
			one := tenant.Snapshot{
				Users:        s.Users,
				Environments: []provisioning.Environment{env},
				Records:      map[string][]provisioning.Record{env.ID: s.Records[env.ID]},
			}
			b, err := tenant.Plan(&one, tr, lax(&one, tenant.Options{}))
			if err != nil {
				t.Fatal(err)
			}
			actions = append(actions, b.Actions...)
			if len(b.Totals.Environments) != 1 {
				t.Fatalf("environment %s: totals for %d environments", env.ID, len(b.Totals.Environments))
			}
			if i := slices.IndexFunc(whole.Totals.Environments, func(e tenant.EnvironmentTotals) bool { return e.Environment == env.ID }); i < 0 || !whole.Totals.Environments[i].Counts.Equal(b.Totals.All) {
				t.Fatalf("environment %s: totals %v alone, whole plan has %v", env.ID, b.Totals.All, whole.Totals.Environments)
			}
			all = all.Plus(b.Totals.All)
		}
		if diff := cmp.Diff(whole.Actions, actions, errText, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("plans by environment differ from the whole plan (-whole +by environment):\n%s", diff)
		}
		if !all.Equal(whole.Totals.All) {
			t.Fatalf("totals by environment add to %v, whole plan %v", all, whole.Totals.All)
		}
	})
}

// Each visits the plan's actions in its order, and stops at the first
// error its visit returns.
func TestEachStreamsThePlan(t *testing.T) {
	s := planSnapshot(50, 2)
	restore := tenant.SetChunkUsers(4)
	defer restore()
	b, err := tenant.Plan(&s, bg, tenant.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	var got []provisioning.Action
	tot, err := tenant.Each(&s, bg, tenant.Options{Workers: 3}, func(st *tenant.Step) error {
		if st.Environment == nil || st.User == nil && st.Record == nil {
			t.Fatalf("step %+v lacks its inputs", st.Action)
		}
		if st.User != nil && st.User.ObjectID != st.Action.User {
			t.Fatalf("step of %s carries user %s", st.Action.User, st.User.ObjectID)
		}
		got = append(got, st.Action)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(b.Actions, got, errText); diff != "" || tot.All != b.Totals.All {
		t.Fatalf("Each differs from Plan (-plan +each):\n%s", diff)
	}
	stop := errors.New("enough")
	n := 0
	_, err = tenant.Each(&s, bg, tenant.Options{Workers: 2}, func(*tenant.Step) error {
		if n++; n == 7 {
			return stop
		}
		return nil
	})
	if err != stop || n != 7 {
		t.Errorf("Each after a failing visit: %v after %d visits, want the visit's error after 7", err, n)
	}
}

func TestPlanRefusesAmbiguousSnapshots(t *testing.T) {
	env := production()
	u := licensed()
	rec := provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com"}
	for _, c := range []struct {
		name  string
		s     tenant.Snapshot
		field string
		err   error
	}{
		{"two users, one object ID", tenant.Snapshot{Users: []provisioning.User{u, u}, Environments: []provisioning.Environment{env}}, "Users[1].ObjectID", provisioning.ErrDuplicate},
		{"a null user", tenant.Snapshot{Users: []provisioning.User{u, {}}}, "Users[1].ObjectID", provisioning.ErrMissing},
		{"a user ID with a NUL", tenant.Snapshot{Users: []provisioning.User{{ObjectID: "u\x00", UPN: "a@b"}}}, "Users[0].ObjectID", provisioning.ErrMalformed},
		{"a user ID with a right-to-left override", tenant.Snapshot{Users: []provisioning.User{{ObjectID: "u\u202e1", UPN: "a@b"}}}, "Users[0].ObjectID", provisioning.ErrMalformed},
		{"two environments, one ID", tenant.Snapshot{Environments: []provisioning.Environment{env, env}}, "Environments[1].ID", provisioning.ErrDuplicate},
		{"an environment without ID", tenant.Snapshot{Environments: []provisioning.Environment{{}}}, "Environments[0].ID", provisioning.ErrMissing},
		{"two records, one key", tenant.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {rec, rec}}}, "Records[env-prod][1].ObjectID", provisioning.ErrDuplicate},
		{"records of no environment", tenant.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{"elsewhere": nil}}, "Records[elsewhere]", tenant.ErrNoEnvironment},
		{"a null record", tenant.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {{}}}}, "Records[env-prod][0].ObjectID", provisioning.ErrMissing},
		{"a user's record without object ID", tenant.Snapshot{Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {{UPN: "ana@contoso.com"}}}}, "Records[env-prod][0].ObjectID", provisioning.ErrMissing},
	} {
		t.Run(c.name, func(t *testing.T) {
			entries := map[string]error{"Check": c.s.Check(), "Validate": c.s.Validate()}
			_, entries["Plan"] = tenant.Plan(&c.s, bg, tenant.Options{})
			_, entries["Each"] = tenant.Each(&c.s, bg, tenant.Options{}, func(*tenant.Step) error { return nil })
			_, entries["WhatIf"] = tenant.WhatIf(&c.s, tenant.Change{Environment: env.ID}, tenant.Options{})
			for name, err := range entries {
				var fe *provisioning.FieldError
				if !errors.As(err, &fe) || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.field) {
					t.Errorf("%s = %v, want a *FieldError naming %s and wrapping %v", name, err, c.field, c.err)
				}
			}
		})
	}
	// Malformed but identifiable users and records: Plan plans every
	// pair, returns the batch for the report with a *MalformedError, and
	// counts the malformed pair apart from every verb; Each refuses
	// before its first visit.
	bad := licensed()
	bad.Licenses = []provisioning.License{{Plan: 9, Tenant: "contoso"}}
	s := tenant.Snapshot{Users: []provisioning.User{bad}, Environments: []provisioning.Environment{env}}
	b, err := tenant.Plan(&s, bg, tenant.Options{})
	var me *tenant.MalformedError
	if !errors.As(err, &me) || me.Count != 1 || !errors.Is(err, provisioning.ErrUnknown) || !strings.Contains(err.Error(), "Licenses[0].Plan") {
		t.Errorf("Plan of a snapshot with a malformed user: %v, want a *MalformedError naming Licenses[0].Plan", err)
	}
	if len(b.Actions) != 1 || !errors.Is(b.Actions[0].Err, provisioning.ErrUnknown) || b.Totals.All.Errors() != 1 || b.Totals.All.Of(b.Actions[0].Verb) != 0 {
		t.Errorf("the malformed pair: %+v, totals %+v, want one action with Err, counted as an error only", b.Actions, b.Totals.All)
	}
	visits := 0
	if _, err := tenant.Each(&s, bg, tenant.Options{}, func(*tenant.Step) error { visits++; return nil }); !errors.As(err, &me) || visits != 0 {
		t.Errorf("Each visited %d steps and returned %v, want no visit and a *MalformedError", visits, err)
	}
	if err := s.Validate(); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("Validate = %v, want ErrUnknown", err)
	}
}

func TestSnapshotValidate(t *testing.T) {
	env := production()
	bad := licensed()
	bad.ObjectID = "u-bad"
	bad.Licenses = []provisioning.License{{Plan: 9, Tenant: "contoso"}}
	s := tenant.Snapshot{
		Users:        []provisioning.User{licensed(), bad},
		Environments: []provisioning.Environment{env, {ID: "env-x", Tenant: "contoso"}},
		Records:      map[string][]provisioning.Record{env.ID: {{ObjectID: "u-x", Mode: 7}}},
	}
	err := s.Validate()
	for _, want := range []string{`user "u-bad": field Users[1].Licenses[0].Plan`, `environment "env-x": field Environments[1].Type`, `record "u-x": field Records[env-prod][0].Mode`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, want it to name %s", err, want)
		}
	}
	good := whatIfSnapshot()
	if err := good.Validate(); err != nil {
		t.Errorf("a well-formed snapshot: %v", err)
	}
	var nilSnapshot *tenant.Snapshot
	for name, err := range map[string]error{"Validate": nilSnapshot.Validate(), "Check": nilSnapshot.Check()} {
		if !errors.Is(err, provisioning.ErrMissing) {
			t.Errorf("%s of nil = %v, want ErrMissing", name, err)
		}
	}
}

func ExamplePlan() {
	env := production()
	ana, bob := licensed(), licensed()
	bob.ObjectID, bob.UPN, bob.Groups = "u-bob", "bob@contoso.com", nil // not in the group
	s := tenant.Snapshot{
		Users:        []provisioning.User{ana, bob},
		Environments: []provisioning.Environment{env},
		Records: map[string][]provisioning.Record{env.ID: {
			{ObjectID: "u-bob", UPN: "bob@contoso.com", Roles: []string{"Salesperson"}},
			{ObjectID: "u-gone", UPN: "gone@contoso.com"},
		}},
	}
	b, _ := tenant.Plan(&s, provisioning.BackgroundSync, tenant.Options{})
	for _, a := range b.Actions {
		fmt.Printf("%s %s %s\n", a.Verb, a.User, a.Rules)
	}
	fmt.Println(b.Totals.All.Of(provisioning.Create), b.Totals.All.Of(provisioning.Disable))
	// Output:
	// create u-ana UT-REGULAR,ENV-DATAVERSE,DIR-ENABLED,LIC-REQUIRED,SG-MEMBER,MODE-READ-WRITE
	// disable u-bob SG-MEMBER,LIFE-NEVER-DELETE,LIFE-DISABLE
	// disable u-gone LIFE-NEVER-DELETE,LIFE-DISABLE,LIFE-MATCH,DEL-DIRECTORY
	// 1 2
}

// lax is opts accepting every error finding of s's health check, with the
// disable threshold off: for the properties of a plan's mechanics (order,
// workers, equality with NextAction), which hold whatever the tenant's
// configuration. The health check and the threshold have tests of their
// own.
func lax(s *tenant.Snapshot, opts tenant.Options) tenant.Options {
	opts.Accept, _ = tenant.Diagnose(s)
	opts.MaxDisables = tenant.NoDisableLimit
	return opts
}

// actionKey names the user or record an action is about: the user's
// object ID, else the record's key.
func actionKey(a *provisioning.Action) string {
	if a.User != "" {
		return a.User
	}
	return a.Record
}
