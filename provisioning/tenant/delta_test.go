package tenant_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/syncfields"
)

// The incremental plan equals the full plan of the new state restricted
// to the affected pairs, and every pair it leaves out has the same action
// in the full plans before and after the delta.
func TestIncrementalPlanEqualsFullPlan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
		d := provisioningtest.EdgeCases().Deltas(&s).Draw(t, "delta")
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		st, err := tenant.NewState(&s, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		next, a, err := st.Apply(d)
		if err != nil {
			t.Fatal(err)
		}
		before, err := tenant.Plan(&s, tr, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		after, err := tenant.Plan(next.Snapshot(), tr, lax(next.Snapshot(), tenant.Options{}))
		if err != nil {
			t.Fatalf("the new state does not plan: %v", err)
		}
		affected := map[string]bool{}
		for _, id := range a.Users {
			affected[id] = true
		}
		var want []provisioning.Action
		for _, act := range after.Actions {
			if affected[act.User] {
				want = append(want, act)
			}
		}
		got, err := next.PlanChanges(a, tr)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got.Actions, errText, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("incremental plan differs from the full plan (-full +incremental):\n%s", diff)
		}
		if got.Totals.All.Total() != len(got.Actions) {
			t.Fatalf("totals %+v for %d actions", got.Totals, len(got.Actions))
		}
		unaffected := func(b tenant.PlanResult) map[[2]string]provisioning.Action {
			m := map[[2]string]provisioning.Action{}
			for _, act := range b.Actions {
				if !affected[act.User] {
					m[[2]string{act.Environment, act.User}] = act
				}
			}
			return m
		}
		if diff := cmp.Diff(unaffected(before), unaffected(after), errText); diff != "" {
			t.Fatalf("a pair left out changed its action (-before +after):\n%s", diff)
		}
		// A link the delta does not hold is the state's still.
		if link := or(d.UsersLink, st.UsersLink()); next.UsersLink() != link {
			t.Fatalf("users link %q, want %q", next.UsersLink(), link)
		}
		if link := or(d.GroupsLink, st.GroupsLink()); next.GroupsLink() != link {
			t.Fatalf("groups link %q, want %q", next.GroupsLink(), link)
		}
		// Apply is pure: the first state still plans as before.
		if again, _ := st.PlanChanges(a, tr); len(a.Users) > 0 && cmp.Equal(again.Actions, got.Actions, errText) && !cmp.Equal(want, planOf(t, st, tr, affected), errText) {
			t.Fatal("Apply changed its receiver")
		}
	})
}

// planOf is the full plan of st restricted to the affected users.
func planOf(t *rapid.T, st *tenant.State, tr provisioning.Trigger, affected map[string]bool) []provisioning.Action {
	b, err := tenant.Plan(st.Snapshot(), tr, lax(st.Snapshot(), tenant.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	var out []provisioning.Action
	for _, act := range b.Actions {
		if affected[act.User] {
			out = append(out, act)
		}
	}
	return out
}

// A user soft-deleted, then restored and hard-deleted, through three
// deltas: its record is disabled, stays disabled while unlicensed, is
// enabled again once licensed (LIFE-ENABLE-ON-ACCESS), and disabled when
// the user is gone for good (LIFE-MATCH, LIFE-DISABLE).
func TestDeltaLifecycle(t *testing.T) {
	env := production()
	ana := licensed()
	rec := provisioning.Reconcile(&ana, &env, nil, bg).Record
	rec.Roles = []string{"Salesperson"}
	s := tenant.Snapshot{Users: []provisioning.User{ana}, Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {rec}}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		delta tenant.Delta
		verb  provisioning.Verb
		rule  provisioning.Rule
	}{
		{tenant.Delta{Users: []provisioning.UserChange{{ObjectID: "u-ana", Removed: provisioning.SoftRemoved}}}, provisioning.Disable, provisioning.RuleDelDirectory},
		{tenant.Delta{Users: []provisioning.UserChange{{ObjectID: "u-ana", Licenses: &[]provisioning.License{}}}}, provisioning.Leave, provisioning.RuleLicRequired},
		{tenant.Delta{Users: []provisioning.UserChange{{ObjectID: "u-ana", Licenses: &ana.Licenses}}}, provisioning.Enable, provisioning.RuleLifeEnableOnAccess},
		{tenant.Delta{Users: []provisioning.UserChange{{ObjectID: "u-ana", Removed: provisioning.HardRemoved}}}, provisioning.Disable, provisioning.RuleLifeMatch},
	}
	for i, step := range steps {
		next, a, err := st.Apply(step.delta)
		if err != nil {
			t.Fatal(err)
		}
		b, err := next.PlanChanges(a, bg)
		if err != nil {
			t.Fatal(err)
		}
		if len(b.Actions) != 1 || b.Actions[0].Verb != step.verb || !b.Actions[0].Rules.Has(step.rule) {
			t.Fatalf("step %d: %+v, want %s citing %s", i, b.Actions, step.verb, step.rule)
		}
		// The action is written to Dataverse; the state learns it.
		r := provisioning.Reconcile(next.User("u-ana"), &env, &rec, bg)
		rec = r.Record
		if st, err = next.WithRecord(env.ID, rec); err != nil {
			t.Fatal(err)
		}
	}
	if st.User("u-ana") != nil {
		t.Error("a hard-deleted user is still in the state")
	}
}

func TestApplyCountsAndRefusals(t *testing.T) {
	s := tenant.Snapshot{Users: []provisioning.User{licensed()}, Environments: []provisioning.Environment{production()}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	upn, on := "new@contoso.com", true
	_, a, err := st.Apply(tenant.Delta{
		Users: []provisioning.UserChange{
			{ObjectID: "u-new", UPN: &upn, Enabled: &on},
			{ObjectID: "u-nobody", Removed: provisioning.HardRemoved},
		},
		Groups: []provisioning.GroupChange{{Group: "g-sales", MembersAdded: []string{"u-new", "u-stranger"}}},
	})
	if err != nil || a.Added != 1 || a.Ignored != 2 || !slices.Equal(a.Users, []string{"u-new"}) {
		t.Fatalf("Apply = %+v, %v", a, err)
	}
	for name, d := range map[string]tenant.Delta{
		"a user without ID":        {Users: []provisioning.UserChange{{}}},
		"a group without ID":       {Groups: []provisioning.GroupChange{{}}},
		"a new user without a UPN": {Users: []provisioning.UserChange{{ObjectID: "u-x", Enabled: &on}}},
	} {
		next, _, err := st.Apply(d)
		var fe *provisioning.FieldError
		if !errors.As(err, &fe) || next != st {
			t.Errorf("%s: %v, want a *FieldError and the state unchanged", name, err)
		}
	}
	var r provisioning.Removal
	if err := r.UnmarshalText([]byte("purged")); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("UnmarshalText(purged) = %v", err)
	}
}

// A user changed twice in one delta (Graph may repeat a user on a later
// page) gets both changes, in order, on one copy.
func TestApplySameUserTwice(t *testing.T) {
	s := tenant.Snapshot{Users: []provisioning.User{licensed()}, Environments: []provisioning.Environment{production()}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := s.Users[0].ObjectID
	var first, second syncfields.Values
	first.Set(syncfields.JobTitle, "Buyer")
	first.Set(syncfields.City, "Oslo")
	second.Set(syncfields.JobTitle, "Head buyer")
	off := false
	next, a, err := st.Apply(tenant.Delta{Users: []provisioning.UserChange{
		{ObjectID: id, Columns: syncfields.ColumnSet(0).With(syncfields.JobTitle).With(syncfields.City), Attributes: first},
		{ObjectID: id, Columns: syncfields.ColumnSet(0).With(syncfields.JobTitle), Attributes: second, Enabled: &off},
	}})
	if err != nil || !slices.Equal(a.Users, []string{id}) {
		t.Fatalf("Apply = %+v, %v", a, err)
	}
	u := next.User(id)
	if got := u.Attributes.Get(syncfields.JobTitle); got != "Head buyer" {
		t.Errorf("title %q, want the second change's", got)
	}
	if got := u.Attributes.Get(syncfields.City); got != "Oslo" {
		t.Errorf("city %q, want the first change's, kept", got)
	}
	if u.Enabled {
		t.Error("enabled, want the second change's accountEnabled false")
	}
	if st.User(id).Attributes.Get(syncfields.JobTitle) == "Head buyer" || !st.User(id).Enabled {
		t.Error("the old state changed")
	}
}

func ExampleState_Apply() {
	env := production()
	ana, bob := licensed(), licensed()
	bob.ObjectID, bob.UPN = "u-bob", "bob@contoso.com"
	s := tenant.Snapshot{Users: []provisioning.User{ana, bob}, Environments: []provisioning.Environment{env}}
	st, _ := tenant.NewState(&s, tenant.Options{}) // the initial cycle: a full read

	// An incremental cycle: Bob got a new title, and left group g-sales.
	title := syncfields.Values{}
	title.Set(syncfields.JobTitle, "Buyer")
	d := tenant.Delta{
		Users:     []provisioning.UserChange{{ObjectID: "u-bob", Columns: syncfields.ColumnSet(0).With(syncfields.JobTitle), Attributes: title}},
		Groups:    []provisioning.GroupChange{{Group: "g-sales", MembersRemoved: []string{"u-bob"}}},
		UsersLink: "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc",
	}
	st, affected, _ := st.Apply(d)
	fmt.Println(affected.Users, st.UsersLink())
	b, err := st.PlanChanges(affected, provisioning.BackgroundSync)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range b.Actions {
		fmt.Println(a.Verb, a.User, a.Rules)
	}
	// Output:
	// [u-bob] https://graph.microsoft.com/v1.0/users/delta?$deltatoken=abc
	// not-added u-bob SG-MEMBER
}

// The snapshot of a state holds the records given to it, in place of the
// old ones or added.
func TestStateWithRecord(t *testing.T) {
	env := production()
	ana, bob := licensed(), licensed()
	bob.ObjectID, bob.UPN = "u-bob", "bob@contoso.com"
	old := provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com"}
	s := tenant.Snapshot{Users: []provisioning.User{ana, bob}, Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {old}}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	disabled := old
	disabled.Disabled = true
	st2, err := st.WithRecord(env.ID, disabled)
	if err != nil {
		t.Fatal(err)
	}
	st3, err := st2.WithRecord(env.ID, provisioning.Record{ObjectID: "u-bob", UPN: "bob@contoso.com"})
	if err != nil {
		t.Fatal(err)
	}
	st3, err = st3.WithRecord(env.ID, provisioning.Record{ObjectID: "u-amy", UPN: "amy@contoso.com"})
	if err != nil {
		t.Fatal(err)
	}
	// The records added come after the snapshot's, in key order.
	want := []provisioning.Record{disabled, {ObjectID: "u-amy", UPN: "amy@contoso.com"}, {ObjectID: "u-bob", UPN: "bob@contoso.com"}}
	if diff := cmp.Diff(want, st3.Snapshot().Records[env.ID]); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]provisioning.Record{old}, st.Snapshot().Records[env.ID]); diff != "" {
		t.Errorf("WithRecord changed its receiver (-want +got):\n%s", diff)
	}
	if _, err := st.WithRecord("env-none", old); !errors.Is(err, tenant.ErrNoEnvironment) {
		t.Errorf("a record of an unknown environment: %v", err)
	}
	if _, err := st.WithRecord(env.ID, provisioning.Record{}); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("a malformed record: %v", err)
	}
}

// or returns a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// A role read replaces the last one: a user given a role by one read and
// left out of the next has no role after it, and one left out of both
// never had one.
func TestApplyRoleReadsInTurn(t *testing.T) {
	s := tenant.Snapshot{Users: []provisioning.User{licensed()}, Environments: []provisioning.Environment{production()}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := s.Users[0].ObjectID
	reads := []struct {
		roles, groupRoles provisioning.AdminRoles
	}{{provisioning.GlobalAdmin, 0}, {0, 0}, {0, provisioning.PowerPlatformAdmin}, {0, 0}}
	for i, want := range reads {
		read := provisioning.DirectoryRoles{Roles: map[string]provisioning.AdminRoles{}, GroupRoles: map[string]provisioning.AdminRoles{}}
		if want.roles != 0 {
			read.Roles[id] = want.roles
		}
		if want.groupRoles != 0 {
			read.GroupRoles[id] = want.groupRoles
		}
		next, a, err := st.Apply(tenant.Delta{Roles: &read})
		if err != nil {
			t.Fatal(err)
		}
		u := next.User(id)
		if u.Roles != want.roles || u.GroupRoles != want.groupRoles || !slices.Equal(a.Users, []string{id}) {
			t.Fatalf("read %d: roles %v, group roles %v, affected %v; want %v, %v and the user", i, u.Roles, u.GroupRoles, a.Users, want.roles, want.groupRoles)
		}
		st = next
	}
}

// A membership change touches only its group: the user's other groups
// and owned groups stay, in order.
func TestApplyGroupChangeKeepsOtherGroups(t *testing.T) {
	u := licensed()
	u.Groups, u.OwnedGroups = []string{"g-a", "g-sales", "g-b"}, []string{"g-o"}
	s := tenant.Snapshot{Users: []provisioning.User{u}, Environments: []provisioning.Environment{production()}}
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	next, _, err := st.Apply(tenant.Delta{Groups: []provisioning.GroupChange{
		{Group: "g-sales", MembersRemoved: []string{u.ObjectID}},
		{Group: "g-c", MembersAdded: []string{u.ObjectID}, OwnersAdded: []string{u.ObjectID}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	got := next.User(u.ObjectID)
	if want := []string{"g-a", "g-b", "g-c"}; !slices.Equal(got.Groups, want) {
		t.Errorf("groups %v, want %v", got.Groups, want)
	}
	if want := []string{"g-o", "g-c"}; !slices.Equal(got.OwnedGroups, want) {
		t.Errorf("owned groups %v, want %v", got.OwnedGroups, want)
	}
	if !slices.Equal(st.User(u.ObjectID).Groups, u.Groups) {
		t.Errorf("the old state's groups changed: %v", st.User(u.ObjectID).Groups)
	}
}

// An incremental plan that writes: EachChange visits the actions of
// PlanChanges, in its order, each with the user, record, environment and
// decision behind it, so that a caller writes each (Step.Write) and counts
// by refusing rule without deciding again; Each's steps carry their
// decision too.
func TestEachChangeHandsOutWhatAWriteNeeds(t *testing.T) {
	s := healthyWithRecords()
	st, err := tenant.NewState(&s, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	title := syncfields.Values{}
	title.Set(syncfields.JobTitle, "Buyer")
	next, a, err := st.Apply(tenant.Delta{
		Users:  []provisioning.UserChange{{ObjectID: "u-ana", Columns: syncfields.ColumnSet(0).With(syncfields.JobTitle), Attributes: title}},
		Groups: []provisioning.GroupChange{{Group: "g-sales", MembersRemoved: []string{"u-bob"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := next.PlanChanges(a, bg)
	if err != nil {
		t.Fatal(err)
	}
	var visited []provisioning.Action
	refused := map[provisioning.Rule]int{}
	tot, err := next.EachChange(a, bg, func(st *tenant.Step) error {
		visited = append(visited, st.Action)
		for _, r := range st.Decision.RefusedBy().Rules() {
			refused[r]++
		}
		if st.User == nil || st.Record == nil || st.Environment == nil {
			t.Errorf("step of %s without its inputs: %+v", st.Action.User, st)
		}
		if want, _ := provisioning.NextAction(st.User, st.Environment, st.Record, bg); want != st.Action {
			t.Errorf("step %v is not the action of its inputs %v", st.Action, want)
		}
		if st.Action.Writes() {
			if w, err := st.Write(); err != nil || w.SystemUserID != st.Record.SystemUserID {
				t.Errorf("write of %s: %+v, %v", st.Action.User, w, err)
			}
		}
		return nil
	})
	if err != nil || !cmp.Equal(visited, b.Actions, errText) || !tot.All.Equal(b.Totals.All) {
		t.Fatalf("EachChange visited %v (%v), PlanChanges %v", visited, err, b.Actions)
	}
	if refused[provisioning.RuleSGMember] != 1 {
		t.Errorf("counted by refusing rule: %v, want u-bob refused once by SG-MEMBER", refused)
	}
	stop := errors.New("stop")
	if _, err := next.EachChange(a, bg, func(*tenant.Step) error { return stop }); err != stop {
		t.Errorf("an error from visit: %v", err)
	}
	if _, err := tenant.Each(&s, bg, tenant.Options{}, func(st *tenant.Step) error {
		if st.User != nil && st.Decision != provisioning.EvaluateRecord(st.User, st.Environment, st.Record) {
			t.Errorf("Each's step of %s carries another decision", st.User.ObjectID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// healthyWithRecords is a healthy tenant of two licensed members of
// g-sales, each with a record that has its systemuserid.
func healthyWithRecords() tenant.Snapshot {
	ana, bob := licensed(), licensed()
	bob.ObjectID, bob.UPN = "u-bob", "bob@contoso.com"
	env := production()
	env.RootBusinessUnit = "b0000000-0000-4000-8000-000000000001"
	return tenant.Snapshot{
		Tenant: "contoso", Groups: []tenant.Group{{ID: "g-sales", Kind: provisioning.GroupKindSecurity}},
		Users:        []provisioning.User{ana, bob},
		Environments: []provisioning.Environment{env},
		Records: map[string][]provisioning.Record{env.ID: {
			{ObjectID: "u-ana", UPN: "ana@contoso.com", SystemUserID: "50000000-0000-4000-8000-000000000001"},
			{ObjectID: "u-bob", UPN: "bob@contoso.com", SystemUserID: "50000000-0000-4000-8000-000000000002"},
		}},
	}
}
