package provisioning_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// readersTeam is a team of group g-readers, whose group is a direct member
// of production()'s security group g-sales, giving a role without member's
// privilege inheritance.
var readersTeam = provisioning.GroupTeam{
	Group: "g-readers", Name: "Readers", Kind: provisioning.GroupKindMicrosoft365, Rule: provisioning.DynamicUser,
	InSecurityGroup: true, Roles: []provisioning.TeamRole{{Name: "Reader"}},
}

// reader is a licensed member of g-readers, not of g-sales.
func reader() provisioning.User {
	u := licensed()
	u.ObjectID, u.UPN, u.Groups = "u-rae", "rae@contoso.com", []string{"g-readers"}
	return u
}

func teamEnv(teams ...provisioning.GroupTeam) provisioning.Environment {
	env := production()
	env.Teams = teams
	return env
}

// GT-MATCH: which users a team holds, by membership type, from the direct
// members or owners of its group, by user type.
func TestTeamMatch(t *testing.T) { // GT-MATCH, GT-TEAM
	member, guest, owner, nested, app := licensed(), licensed(), licensed(), licensed(), licensed()
	member.Groups = []string{"g"}
	guest.Guest, guest.HomeTenant, guest.Groups = true, "fabrikam", []string{"g"}
	owner.Groups, owner.OwnedGroups = nil, []string{"g"}
	nested.Groups, nested.NestedGroups = nil, []string{"g"}
	app.UPN, app.ApplicationID, app.Groups = "", "app-1", []string{"g"}
	users := map[string]provisioning.User{"member": member, "guest": guest, "owner": owner, "nested member": nested, "service principal": app}
	for _, c := range []struct {
		membership provisioning.TeamMembership
		rule       provisioning.MembershipRule
		deleted    bool
		holds      []string
	}{
		{provisioning.MembersAndGuests, provisioning.Assigned, false, []string{"guest", "member"}},
		{provisioning.MembersOnly, provisioning.Assigned, false, []string{"member"}},
		{provisioning.OwnersOnly, provisioning.Assigned, false, []string{"owner"}},
		{provisioning.GuestsOnly, provisioning.DynamicUser, false, []string{"guest"}},
		{provisioning.MembersAndGuests, provisioning.DynamicDevice, false, nil}, // GT-TEAM: a device group holds no user
		{provisioning.MembersAndGuests, provisioning.Assigned, true, nil},       // GT-GROUP-DELETED
	} {
		env := teamEnv(provisioning.GroupTeam{Group: "g", Kind: provisioning.GroupKindSecurity, Rule: c.rule, Membership: c.membership, GroupDeleted: c.deleted})
		var got []string
		for name, u := range users {
			if slices.Equal(env.TeamsOf(&u), []string{"g"}) {
				got = append(got, name)
			}
			d := provisioning.Evaluate(&u, &env)
			if held := d.Outcome(provisioning.RuleGTMatch) == provisioning.OutcomePassed; held != slices.Contains(c.holds, name) {
				t.Errorf("%s %s team (deleted %v), %s: GT-MATCH %s", c.membership, c.rule, c.deleted, name, d.Outcome(provisioning.RuleGTMatch))
			}
		}
		slices.Sort(got)
		if diff := cmp.Diff(c.holds, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s %s team (deleted %v) holds (-want +got):\n%s", c.membership, c.rule, c.deleted, diff)
		}
	}
	var nilEnv *provisioning.Environment
	empty := teamEnv()
	if nilEnv.TeamsOf(&member) != nil || empty.TeamsOf(nil) != nil {
		t.Error("TeamsOf of nothing holds someone")
	}
}

// GT-SG and GT-JIT-ADD: a team whose group is a direct member of the
// security group lets the users it holds in at their own first access, and
// only then; a team whose group is not, does not; the background sync
// never adds a user for a team (invariant 11).
func TestTeamLetsInAtFirstAccessOnly(t *testing.T) { // GT-SG, GT-JIT-ADD
	u := reader()
	env := teamEnv(readersTeam)
	d := provisioning.Evaluate(&u, &env)
	if d.Admission() != provisioning.AdmissionOnDemand || d.Outcome(provisioning.RuleGTSG) != provisioning.OutcomePassedOnDemand ||
		d.Outcome(provisioning.RuleGTJITAdd) != provisioning.OutcomePassedOnDemand || d.Outcome(provisioning.RuleSGMember) != provisioning.OutcomeNotApplicable {
		t.Fatalf("team in the security group:\n%s", d.Explain())
	}
	for _, tr := range provisioning.Triggers() {
		r := provisioning.Reconcile(&u, &env, nil, tr)
		want := provisioning.NotAdded
		if tr == provisioning.FirstAccess {
			want = provisioning.Create
		}
		if r.Action.Verb != want {
			t.Errorf("%s: %s, want %s (%s)", tr, r.Action.Verb, want, r.Action.Rules)
		}
		if want == provisioning.Create && (!slices.Equal(r.Record.Teams, []string{"g-readers"}) || !r.Action.Rules.Has(provisioning.RuleGTJITAdd)) {
			t.Errorf("first access: record teams %v, rules %s; want it in g-readers by GT-JIT-ADD", r.Record.Teams, r.Action.Rules)
		}
	}

	out := readersTeam
	out.InSecurityGroup = false
	env = teamEnv(out)
	d = provisioning.Evaluate(&u, &env)
	if d.Admitted() || d.Outcome(provisioning.RuleGTSG) != provisioning.OutcomeFailed || d.Outcome(provisioning.RuleSGMember) != provisioning.OutcomeFailed {
		t.Fatalf("team outside the security group:\n%s", d.Explain())
	}
	if c, _ := findCheck(d.Checks(), provisioning.RuleGTSG); !strings.Contains(c.Fix, "add the group of team Readers as a direct member of security group g-sales") {
		t.Errorf("GT-SG fix = %q", c.Fix)
	}

	// A direct member meets the security group on its own: the team is
	// not what lets it in, and the background sync adds it.
	u.Groups = append(u.Groups, "g-sales")
	d = provisioning.Evaluate(&u, &env)
	if d.Admission() != provisioning.AdmissionAutomatic || d.Outcome(provisioning.RuleGTSG) != provisioning.OutcomeNotApplicable || d.Outcome(provisioning.RuleGTJITAdd) != provisioning.OutcomePassed {
		t.Fatalf("direct member held by a team:\n%s", d.Explain())
	}

	// A team adds a user only when it meets the admission rules.
	u = reader()
	u.Licenses = nil
	env = teamEnv(readersTeam)
	if d := provisioning.Evaluate(&u, &env); d.Admitted() || d.Outcome(provisioning.RuleGTJITAdd) != provisioning.OutcomeNotApplicable {
		t.Errorf("unlicensed team member:\n%s", d.Explain())
	}
}

// GT-ROLES: a team member holds the team's roles; they count for access;
// without member's privilege inheritance the member cannot own records.
func TestTeamRoles(t *testing.T) { // GT-ROLES, LIFE-ACCESS-NEEDS-ROLE
	u := reader()
	rec := provisioning.Record{ObjectID: u.ObjectID, UPN: u.UPN, Teams: []string{"g-readers"}}
	env := teamEnv(readersTeam)
	d := provisioning.EvaluateRecord(&u, &env, &rec)
	if !d.CanUseApps() || d.Outcome(provisioning.RuleGTRoles) != provisioning.OutcomeFailed || d.Outcome(provisioning.RuleLifeAccessNeedsRole) != provisioning.OutcomePassed {
		t.Fatalf("team role without inheritance:\n%s", d.Explain())
	}
	if c, _ := findCheck(d.Checks(), provisioning.RuleGTRoles); !strings.Contains(c.Reason, "cannot own records") {
		t.Errorf("GT-ROLES says %q", c.Reason)
	}
	inherited := readersTeam
	inherited.Roles = []provisioning.TeamRole{{Name: "Reader", Inherited: true}}
	env = teamEnv(inherited)
	if d := provisioning.EvaluateRecord(&u, &env, &rec); d.Outcome(provisioning.RuleGTRoles) != provisioning.OutcomePassed || !d.CanUseApps() {
		t.Errorf("team role with inheritance:\n%s", d.Explain())
	}
	rec.Roles = []string{"Basic User"}
	env = teamEnv(readersTeam)
	if d := provisioning.EvaluateRecord(&u, &env, &rec); d.Outcome(provisioning.RuleGTRoles) != provisioning.OutcomePassed {
		t.Errorf("a role of its own besides the team's:\n%s", d.Explain())
	}
	// A team whose group is deleted gives no roles (GT-GROUP-DELETED).
	gone := readersTeam
	gone.GroupDeleted = true
	rec.Roles = nil
	env = teamEnv(gone)
	if d := provisioning.EvaluateRecord(&u, &env, &rec); d.CanUseApps() || d.CheckedRules().Has(provisioning.RuleGTRoles) {
		t.Errorf("roles of a deleted group's team:\n%s", d.Explain())
	}
}

// GT-AT-ACCESS: at its access the user joins the teams that hold it and
// leaves the others, with their roles; a member removed by hand comes back;
// nothing else changes memberships. GT-STALE: until then the record keeps
// what Dataverse holds.
func TestAccessBringsTeamsUpToDate(t *testing.T) { // GT-AT-ACCESS, GT-STALE
	ops := provisioning.GroupTeam{Group: "g-ops", Name: "Ops", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, InSecurityGroup: true, Roles: []provisioning.TeamRole{{Name: "Operator", Inherited: true}}}
	env := teamEnv(readersTeam, ops)
	u := reader()
	org := provisioning.Org{Environment: env}
	org, first, err := org.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	if first.Action.Verb != provisioning.Create || !slices.Equal(first.Joined, []string{"g-readers"}) || !slices.Equal(first.RolesGained, []string{"Reader"}) || len(first.Left) != 0 {
		t.Fatalf("first access: %+v", first)
	}

	// The user moves from g-readers to g-ops. The background sync does not
	// touch its teams (GT-STALE)...
	u.Groups = []string{"g-ops"}
	next, sync := org.Sync(&u, bg)
	if !slices.Equal(next.Records[0].Teams, []string{"g-readers"}) || !sync.Action.Rules.Has(provisioning.RuleGTStale) {
		t.Fatalf("background sync changed the teams to %v, rules %s", next.Records[0].Teams, sync.Action.Rules)
	}
	// ...its next access does.
	next, again, err := next.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	want := provisioning.AccessResult{Joined: []string{"g-ops"}, Left: []string{"g-readers"}, RolesGained: []string{"Operator"}, RolesLost: []string{"Reader"}}
	got := provisioning.AccessResult{Joined: again.Joined, Left: again.Left, RolesGained: again.RolesGained, RolesLost: again.RolesLost}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(provisioning.AccessResult{}, "Reconciliation")); diff != "" || !again.Action.Rules.Has(provisioning.RuleGTAtAccess) {
		t.Fatalf("second access (-want +got):\n%s\nrules %s", diff, again.Action.Rules)
	}

	// Removed from the team by hand while still in the group: it loses the
	// role now and is added back at its next access.
	removed, err := next.RemoveTeamMember(u.ObjectID, "g-ops")
	if err != nil || len(removed.Records[0].Teams) != 0 {
		t.Fatalf("RemoveTeamMember: %v, teams %v", err, removed.Records[0].Teams)
	}
	if d := provisioning.EvaluateRecord(&u, &removed.Environment, &removed.Records[0]); d.CanUseApps() {
		t.Errorf("a member removed by hand keeps the team's role:\n%s", d.Explain())
	}
	back, res, err := removed.Access(&u)
	if err != nil || !slices.Equal(back.Records[0].Teams, []string{"g-ops"}) || !slices.Equal(res.Joined, []string{"g-ops"}) {
		t.Errorf("access after removal by hand: %v, teams %v, joined %v", err, back.Records[0].Teams, res.Joined)
	}
	// An access that changes nothing is a Leave.
	if _, same, err := back.Access(&u); err != nil || same.Action.Verb != provisioning.Leave || len(same.Joined)+len(same.Left) != 0 {
		t.Errorf("repeated access: %v, %+v", err, same.Action)
	}
	// Removing a record not in the team changes nothing; an unknown team
	// is refused.
	if again, err := back.RemoveTeamMember(u.ObjectID, "g-readers"); err != nil || !slices.Equal(again.Records[0].Teams, []string{"g-ops"}) {
		t.Errorf("removal from a team it is not in: %v", err)
	}
	if _, err := back.RemoveTeamMember(u.ObjectID, "g-none"); !errors.Is(err, provisioning.ErrNoTeam) {
		t.Errorf("removal from an unknown team: %v", err)
	}
}

// A user that may not access the environment is refused, and nothing
// changes: the access of a disabled user does not join it to teams.
func TestAccessRefused(t *testing.T) { // GT-AT-ACCESS, GT-STALE, DIR-ENABLED
	env := teamEnv(readersTeam)
	u := reader()
	org, _, err := provisioning.Org{Environment: env}.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	u.Enabled = false
	u.Groups = nil
	after, _, err := org.Access(&u)
	var oe *provisioning.OpError
	if !errors.Is(err, provisioning.ErrAccessDenied) || !errors.As(err, &oe) || oe.Rule != provisioning.RuleDirEnabled || !slices.Equal(after.Records[0].Teams, []string{"g-readers"}) {
		t.Errorf("access of a disabled user: %v; teams %v", err, after.Records[0].Teams)
	}
	if _, _, err := org.Access(nil); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("access of nil: %v", err)
	}
	// A background-sync-only standing does not let an unlicensed user in.
	stranger := licensed()
	stranger.ObjectID, stranger.Groups, stranger.Licenses = "u-x", nil, nil
	if _, _, err := org.Access(&stranger); !errors.Is(err, provisioning.ErrAccessDenied) {
		t.Errorf("access of an unentitled user: %v", err)
	}
}

// Access lets nobody in through a record the directory never admits
// (LIFE-NOT-SYNCED): a user matched to the support or delegated-admin
// record, which here carries its object ID, is refused, entitled or not,
// by the rule that keeps the record from the directory, and nothing
// changes. (The lifecycle walk found Access letting a nested member of the
// security group in through the support record, whose decision said never.)
func TestAccessNeverThroughWellKnownRecords(t *testing.T) { // UT-SUPPORT, UT-DELEGATED-ADMIN, LIFE-NOT-SYNCED
	nested := licensed()
	nested.Groups, nested.NestedGroups = nil, []string{"g-sales"}
	for _, rec := range []provisioning.Record{
		{ObjectID: "u-ana", UPN: usertype.SupportUPN, Mode: usertype.SupportUser},
		{ObjectID: "u-ana", UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin},
	} {
		for who, u := range map[string]provisioning.User{"an entitled user": licensed(), "a nested member": nested} {
			org := provisioning.Org{Environment: production(), Records: []provisioning.Record{rec}}
			next, _, err := org.Access(&u)
			var oe *provisioning.OpError
			if !errors.Is(err, provisioning.ErrAccessDenied) || !errors.As(err, &oe) || !sameOrg(org, next) {
				t.Errorf("access of %s through the %s record: %v", who, rec.UPN, err)
				continue
			}
			want := provisioning.RuleUTSupport
			if rec.Mode == usertype.DelegatedAdmin {
				want = provisioning.RuleUTDelegatedAdmin
			}
			if oe.Rule != want || !slices.ContainsFunc(oe.Checks, func(c provisioning.Check) bool { return c.Rule == provisioning.RuleLifeNotSynced }) {
				t.Errorf("access of %s through the %s record refused by %s, checks %v; want %s first, and LIFE-NOT-SYNCED", who, rec.UPN, oe.Rule, oe.Checks, want)
			}
		}
	}
}

// GT-GROUP-DELETED: deleting a team's group takes every member out of the
// team at once, and the team gives no roles; the next access does not put
// anyone back.
func TestDeleteTeamGroup(t *testing.T) { // GT-GROUP-DELETED
	env := teamEnv(readersTeam)
	u := reader()
	org, _, err := provisioning.Org{Environment: env}.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	gone, err := org.DeleteTeamGroup("g-readers")
	if err != nil || len(gone.Records[0].Teams) != 0 || !gone.Environment.Teams[0].GroupDeleted {
		t.Fatalf("DeleteTeamGroup: %v, %+v", err, gone.Records[0])
	}
	if len(org.Records[0].Teams) != 1 || org.Environment.Teams[0].GroupDeleted {
		t.Fatal("DeleteTeamGroup changed the state it came from")
	}
	if _, _, err := gone.Access(&u); !errors.Is(err, provisioning.ErrAccessDenied) {
		t.Errorf("access through a deleted group's team: %v", err)
	}
	if _, err := org.DeleteTeamGroup("g-none"); !errors.Is(err, provisioning.ErrNoTeam) {
		t.Errorf("deleting an unknown team's group: %v", err)
	}
}

// GT-TEAM: one team per group, whose membership type cannot change; a
// team is well formed or refused.
func TestAddTeam(t *testing.T) { // GT-TEAM
	org := provisioning.Org{Environment: production()}
	org, err := org.AddTeam(readersTeam)
	if err != nil || len(org.Environment.Teams) != 1 {
		t.Fatalf("AddTeam: %v", err)
	}
	owners := readersTeam
	owners.Membership = provisioning.OwnersOnly
	var oe *provisioning.OpError
	if _, err := org.AddTeam(owners); !errors.Is(err, provisioning.ErrTeamExists) || !errors.As(err, &oe) || oe.Rule != provisioning.RuleGTTeam {
		t.Errorf("a second team for the group: %v", err)
	}
	if _, err := org.AddTeam(provisioning.GroupTeam{Group: "g-x", Rule: provisioning.Assigned}); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("a team without kind: %v", err)
	}
	roles := []provisioning.TeamRole{{Name: "Writer", Inherited: true}}
	changed, err := org.SetTeamRoles("g-readers", roles)
	if err != nil || !cmp.Equal(changed.Environment.Teams[0].Roles, roles) || org.Environment.Teams[0].Roles[0].Name != "Reader" {
		t.Errorf("SetTeamRoles: %v, %+v", err, changed.Environment.Teams[0])
	}
	if _, err := org.SetTeamRoles("g-readers", []provisioning.TeamRole{{}}); !errors.Is(err, provisioning.ErrMissing) {
		t.Errorf("a role without a name: %v", err)
	}
	if _, err := org.SetTeamRoles("g-none", nil); !errors.Is(err, provisioning.ErrNoTeam) {
		t.Errorf("roles of an unknown team: %v", err)
	}
	env := teamEnv(readersTeam, readersTeam)
	if err := env.Validate(); !errors.Is(err, provisioning.ErrDuplicate) {
		t.Errorf("two teams of one group: %v", err)
	}
	for name, team := range map[string]provisioning.GroupTeam{
		"no group":        {Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned},
		"unknown rule":    {Group: "g", Kind: provisioning.GroupKindSecurity, Rule: 9},
		"unknown type":    {Group: "g", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Membership: 9},
		"control in name": {Group: "g", Name: "a\x00", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned},
	} {
		env := teamEnv(team)
		if err := env.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, team)
		}
	}
}

// GT-SG is checked only where it can matter: an environment with a
// security group and group teams.
func TestTeamSGCheckedOnlyWithTeamsAndGroup(t *testing.T) { // GT-SG, GT-MATCH
	u := reader()
	noTeams, noGroup := production(), teamEnv(readersTeam)
	noGroup.SecurityGroup = ""
	for name, env := range map[string]provisioning.Environment{"no teams": noTeams, "no security group": noGroup} {
		d := provisioning.Evaluate(&u, &env)
		if d.Outcome(provisioning.RuleGTSG) != provisioning.OutcomeUnchecked {
			t.Errorf("%s: GT-SG %s", name, d.Outcome(provisioning.RuleGTSG))
		}
		if teams := len(env.Teams) > 0; teams != d.CheckedRules().Has(provisioning.RuleGTMatch) {
			t.Errorf("%s: GT-MATCH checked %v", name, d.CheckedRules().Has(provisioning.RuleGTMatch))
		}
	}
}

// A malformed team of an environment is named by its index in Teams.
func TestTeamFieldPath(t *testing.T) { // GT-TEAM
	second := readersTeam
	second.Group = "g-x"
	for field, edit := range map[string]func(*provisioning.GroupTeam){
		"Teams[1].Group":         func(g *provisioning.GroupTeam) { g.Group = "g\x00" },
		"Teams[1].Name":          func(g *provisioning.GroupTeam) { g.Name = "\u202eevil" },
		"Teams[1].Roles[0].Name": func(g *provisioning.GroupTeam) { g.Roles = []provisioning.TeamRole{{}} },
	} {
		bad := second
		edit(&bad)
		env := teamEnv(readersTeam, bad)
		var fe *provisioning.FieldError
		if err := env.Validate(); !errors.As(err, &fe) || fe.Field != field {
			t.Errorf("%s: %v, want a *FieldError naming it", field, err)
		}
	}
}

// The case: a user in team T, whose group G gives it Sales, leaves
// G and then signs in. The access takes it out of T, and with T's role its
// use of the apps: the action and the decision after it say so, and agree
// with a fresh EvaluateRecord of the record returned. The reverse at a
// first access: the user joins T, gains Sales, and can use the apps.
func TestAccessExplainsTheStateItReturns(t *testing.T) { // GT-AT-ACCESS, GT-ROLES, LIFE-ACCESS-NEEDS-ROLE
	sales := provisioning.GroupTeam{Group: "g-t", Name: "T", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned,
		Roles: []provisioning.TeamRole{{Name: "Sales", Inherited: true}}}
	env := teamEnv(sales)
	u := licensed() // a direct member of g-sales, so admitted whatever its teams
	rec := provisioning.Record{ObjectID: u.ObjectID, UPN: u.UPN, Teams: []string{"g-t"}}
	org := provisioning.Org{Environment: env, Records: []provisioning.Record{rec}}

	// Before: in T through G, it can use the apps.
	if d := provisioning.EvaluateRecord(&u, &env, &rec); !d.CanUseApps() {
		t.Fatalf("in team T, the user cannot use the apps:\n%s", d.Explain())
	}
	// It leaves G (u is not in g-t), then signs in.
	_, res, err := org.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	fresh := provisioning.EvaluateRecord(&u, &env, &res.Record)
	if res.After != fresh || res.After.CanUseApps() || len(res.Record.Teams) != 0 || !slices.Equal(res.RolesLost, []string{"Sales"}) {
		t.Errorf("after the access: teams %v, roles lost %v, can use the apps %v; the decision returned agrees with a fresh one: %v", res.Record.Teams, res.RolesLost, res.After.CanUseApps(), res.After == fresh)
	}
	if res.After.Outcome(provisioning.RuleLifeAccessNeedsRole) != provisioning.OutcomeFailed || !strings.Contains(res.After.Explain(), "fail      LIFE-ACCESS-NEEDS-ROLE") {
		t.Errorf("the decision after says of LIFE-ACCESS-NEEDS-ROLE %v:\n%s", res.After.Outcome(provisioning.RuleLifeAccessNeedsRole), res.After.Explain())
	}
	if !res.Action.Rules.Has(provisioning.RuleGTAtAccess) || !res.Action.Rules.Has(provisioning.RuleLifeRolesNotDisable) || res.Action.Rules.Has(provisioning.RuleGTRoles) {
		t.Errorf("the action cites %v: want GT-AT-ACCESS and LIFE-ROLES-NOT-DISABLE (no role left), and no GT-ROLES", res.Action.Rules)
	}
	if !res.Before.CanUseApps() {
		t.Error("the decision before the access does not say the user could use the apps")
	}

	// The reverse: not in T, it joins G and signs in.
	u.Groups = append(u.Groups, "g-t")
	rec.Teams = nil
	org.Records[0] = rec
	_, res, err = org.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	if fresh := provisioning.EvaluateRecord(&u, &env, &res.Record); res.After != fresh || !res.After.CanUseApps() || res.Before.CanUseApps() {
		t.Errorf("after joining T: can use the apps %v (before %v), agrees with a fresh decision %v", res.After.CanUseApps(), res.Before.CanUseApps(), res.After == fresh)
	}
	if !res.Action.Rules.Has(provisioning.RuleGTRoles) || !res.Action.Rules.Has(provisioning.RuleLifeAccessNeedsRole) || res.Action.Rules.Has(provisioning.RuleLifeRolesNotDisable) {
		t.Errorf("the action cites %v: want GT-ROLES and LIFE-ACCESS-NEEDS-ROLE passed, and no LIFE-ROLES-NOT-DISABLE", res.Action.Rules)
	}

	// A first access that creates the record in T: the decision after says
	// the user can use the apps through the team.
	org.Records = nil
	_, res, err = org.Access(&u)
	if err != nil {
		t.Fatal(err)
	}
	if res.Action.Verb != provisioning.Create || !res.After.CanUseApps() || res.Before.CanUseApps() {
		t.Errorf("a first access: %v, can use the apps after %v, before %v", res.Action.Verb, res.After.CanUseApps(), res.Before.CanUseApps())
	}
}

// A refusal cites every rule that refuses, the most specific first: a user
// a team lets in only through a team whose group is outside the security
// group is refused by GT-SG, whose fix is to add the team's group, before
// SG-MEMBER; the access's error says both, in that order, with their fixes.
func TestRefusalsMostSpecificFirst(t *testing.T) { // GT-SG, SG-MEMBER, SG-NESTED, LIC-GUEST-TENANT
	outside := readersTeam
	outside.InSecurityGroup = false
	env := teamEnv(outside)
	u := reader()
	u.NestedGroups = []string{"g-sales"}
	d := provisioning.Evaluate(&u, &env)
	var got []provisioning.Rule
	for _, c := range d.Refusals() {
		got = append(got, c.Rule)
		if c.Fix == "" || c.Outcome != provisioning.OutcomeFailed {
			t.Errorf("refusal %+v has no fix or did not fail", c)
		}
	}
	want := []provisioning.Rule{provisioning.RuleGTSG, provisioning.RuleSGNested, provisioning.RuleSGMember}
	if !slices.Equal(got, want) {
		t.Errorf("refusals %v, want %v", got, want)
	}
	if s := d.String(); !strings.Contains(s, "refused by: GT-SG,SG-NESTED,SG-MEMBER") {
		t.Errorf("summary %q", s)
	}
	_, _, err := provisioning.Org{Environment: env}.Access(&u)
	var oe *provisioning.OpError
	if !errors.As(err, &oe) || oe.Rule != provisioning.RuleGTSG || len(oe.Checks) != 3 || !strings.Contains(oe.Checks[0].Fix, "add the group of team Readers") ||
		!strings.HasSuffix(err.Error(), "(GT-SG, SG-NESTED, SG-MEMBER)") {
		t.Errorf("Access = %v (%+v), want GT-SG first with its fix", err, oe)
	}

	// LIC-GUEST-TENANT says why LIC-REQUIRED fails; a set without the
	// rule refined keeps catalogue order.
	s := provisioning.RuleSetOf(provisioning.RuleDirEnabled, provisioning.RuleLicRequired, provisioning.RuleLicGuestTenant)
	if got := s.Specific(); !slices.Equal(got, []provisioning.Rule{provisioning.RuleDirEnabled, provisioning.RuleLicGuestTenant, provisioning.RuleLicRequired}) {
		t.Errorf("Specific = %v", got)
	}
	if got := provisioning.RuleSetOf(provisioning.RuleGTSG, provisioning.RuleEnvTrial).Specific(); !slices.Equal(got, []provisioning.Rule{provisioning.RuleEnvTrial, provisioning.RuleGTSG}) {
		t.Errorf("Specific without the rule refined = %v", got)
	}
}
