package tenant_test

import (
	"encoding/json"
	"errors"
	"maps"
	"testing"

	"github.com/google/go-cmp/cmp"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/usertype"
)

// whatIfSnapshot: in production(), Ana (licensed, in g-sales) and Bob
// (licensed, in no group) have enabled records; Cy (licensed, in no group)
// has none; Dee (no license) has an enabled record let in by app pass.
func whatIfSnapshot() tenant.Snapshot {
	env := production()
	env.SecurityGroup = ""
	env.AppPass = true
	ana, bob, cy, dee := licensed(), licensed(), licensed(), licensed()
	bob.ObjectID, bob.UPN, bob.Groups = "u-bob", "bob@contoso.com", nil
	cy.ObjectID, cy.UPN, cy.Groups = "u-cy", "cy@contoso.com", nil
	dee.ObjectID, dee.UPN, dee.Licenses = "u-dee", "dee@contoso.com", nil
	s := tenant.Snapshot{Users: []provisioning.User{ana, bob, cy, dee}, Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{}}
	for _, u := range []provisioning.User{ana, bob, dee} {
		r := provisioning.Reconcile(&u, &env, nil, access).Record
		r.Roles = []string{"Basic User"}
		s.Records[env.ID] = append(s.Records[env.ID], r)
	}
	return s
}

func TestWhatIf(t *testing.T) {
	group, none := "g-sales", ""
	trial, developer := provisioning.EnvTrial, provisioning.EnvDeveloper
	off := false
	for _, c := range []struct {
		name   string
		change tenant.Change
		want   map[string]provisioning.Verb // user → the sync's verb after the change
		rule   provisioning.Rule            // cited for every impact
		err    error
	}{
		{
			name:   "assigning a group disables its non-members",
			change: tenant.Change{Environment: "env-prod", SecurityGroup: &group},
			want:   map[string]provisioning.Verb{"u-bob": provisioning.Disable, "u-cy": provisioning.NotAdded},
			rule:   provisioning.RuleSGMember,
		},
		{
			name:   "a trial environment creates nobody new",
			change: tenant.Change{Environment: "env-prod", Type: &trial},
			// Ana and Bob keep their records, now admitted on demand only.
			want: map[string]provisioning.Verb{"u-ana": provisioning.Leave, "u-bob": provisioning.Leave, "u-cy": provisioning.NotAdded},
			rule: provisioning.RuleEnvTrial,
		},
		{
			name:   "removing app pass does not disable the users it let in",
			change: tenant.Change{Environment: "env-prod", AppPass: &off},
			want:   map[string]provisioning.Verb{"u-dee": provisioning.Leave},
			rule:   provisioning.RuleLicRequired,
		},
		{
			name:   "clearing an absent group changes nothing",
			change: tenant.Change{Environment: "env-prod", SecurityGroup: &none},
			want:   map[string]provisioning.Verb{},
		},
		{name: "a developer environment cannot have a group", change: tenant.Change{Environment: "env-prod", SecurityGroup: &group, Type: &developer}, err: provisioning.ErrDeveloperGroup},
		{name: "an unknown environment", change: tenant.Change{Environment: "nowhere"}, err: tenant.ErrNoEnvironment},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := whatIfSnapshot()
			rep, err := tenant.WhatIf(&s, c.change, tenant.Options{})
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("WhatIf = %v, want %v", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]provisioning.Verb{}
			for _, i := range rep.Impacts {
				got[i.User] = i.Verb
				if c.rule.IsValid() && !i.Rules.Has(c.rule) {
					t.Errorf("%s: rules %s lack %s", i.User, i.Rules, c.rule)
				}
				if i.Before == i.After {
					t.Errorf("%s listed without a change", i.User)
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("impacts %v, want %v", got, c.want)
			}
			for u, v := range c.want {
				if got[u] != v {
					t.Errorf("%s: %s, want %s", u, got[u], v)
				}
			}
		})
	}
}

func TestChangeString(t *testing.T) {
	g, on := "g-sales", true
	c := tenant.Change{Environment: "sales-prod", SecurityGroup: &g, AppPass: &on}
	if got, want := c.String(), "assigning group g-sales to and adding app-pass capacity to environment sales-prod"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// Every impact WhatIf lists carries the verb that the plan of the changed
// snapshot gives its user, and WhatIf changes nothing in the snapshot.
func TestWhatIfMatchesPlans(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, env, c, org := drawChange(t)
		rep, err := tenant.WhatIf(&s, c, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}
		changed := s
		changed.Environments = append([]provisioning.Environment(nil), s.Environments...)
		changed.Records = maps.Clone(s.Records)
		for i := range changed.Environments {
			if changed.Environments[i].ID == env.ID {
				changed.Environments[i] = c.Apply(org.Environment)
				if org.Records != nil {
					changed.Records[env.ID] = org.Records
				}
			}
		}
		after := planActions(t, changed, env.ID)
		var envAfter provisioning.Environment
		for _, e := range changed.Environments {
			if e.ID == env.ID {
				envAfter = e
			}
		}
		for _, i := range rep.Impacts {
			a := after[i.User]
			if a.Verb != i.Verb {
				t.Fatalf("%s: impact verb %s, plan after says %s", i.User, i.Verb, a.Verb)
			}
			// The impact cites the action's rules, and every rule that
			// refuses the user or holds it to on-demand admission after
			// the change: the why of the change, whatever the verb.
			var u *provisioning.User
			for k := range s.Users {
				if s.Users[k].ObjectID == i.User {
					u = &s.Users[k]
				}
			}
			var rec *provisioning.Record
			for k, r := range changed.Records[env.ID] {
				if provisioning.Match(u, &r) {
					rec = &changed.Records[env.ID][k]
				}
			}
			d := provisioning.Reconcile(u, &envAfter, rec, bg).Before
			if need := a.Rules | d.RefusedBy() | d.OnDemandBy(); i.Rules&need != need {
				t.Fatalf("%s: impact cites %s, want at least %s (the %s action's, refused by %s, on demand by %s)", i.User, i.Rules, need, a.Verb, d.RefusedBy(), d.OnDemandBy())
			}
		}
		if again, _ := tenant.WhatIf(&s, c, lax(&s, tenant.Options{})); len(again.Impacts) != len(rep.Impacts) {
			t.Fatal("WhatIf changed the snapshot")
		}
	})
}

// drawChange draws a snapshot, one of its environments and a change of it:
// its security group, app pass, Marketing, the deletion of a team's
// group. It returns the environment's org with the team change made.
func drawChange(t *rapid.T) (tenant.Snapshot, provisioning.Environment, tenant.Change, provisioning.Org) {
	s := provisioningtest.EdgeCases().Snapshots().Draw(t, "snapshot")
	env := rapid.SampledFrom(s.Environments).Draw(t, "environment")
	c := tenant.Change{Environment: env.ID}
	if rapid.Bool().Draw(t, "group?") && env.Type != provisioning.EnvDeveloper {
		g := rapid.SampledFrom(append([]string{""}, provisioningtest.Groups()...)).Draw(t, "group")
		c.SecurityGroup = &g
	}
	for _, set := range []struct {
		name string
		to   **bool
	}{{"app pass", &c.AppPass}, {"marketing", &c.TenantMarketing}} {
		if rapid.Bool().Draw(t, set.name+"?") {
			v := rapid.Bool().Draw(t, set.name)
			*set.to = &v
		}
	}
	org := provisioning.Org{Environment: env, Records: s.Records[env.ID]}
	if len(env.Teams) > 0 && rapid.Bool().Draw(t, "delete a team's group?") {
		g := rapid.SampledFrom(env.Teams).Draw(t, "team").Group
		c.DeleteTeamGroup = &g
		var err error
		if org, err = org.DeleteTeamGroup(g); err != nil {
			t.Fatal(err)
		}
	}
	return s, env, c, org
}

// planActions plans s and returns environment env's actions by user.
func planActions(t *rapid.T, s tenant.Snapshot, env string) map[string]provisioning.Action {
	b, err := tenant.Plan(&s, bg, lax(&s, tenant.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]provisioning.Action{}
	for _, a := range b.Actions {
		if a.Environment == env {
			out[a.User] = a
		}
	}
	return out
}

// A Report written as JSON reads back into the same impacts: every enum in
// it has a text form both ways.
func TestReportJSONRoundTrip(t *testing.T) {
	s := whatIfSnapshot()
	group := "g-sales"
	rep, err := tenant.WhatIf(&s, tenant.Change{Environment: "env-prod", SecurityGroup: &group}, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back tenant.Report
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rep, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
	var st tenant.RecordState
	if err := st.UnmarshalText([]byte("archived")); !errors.Is(err, provisioning.ErrUnknown) {
		t.Errorf("UnmarshalText(archived) = %v", err)
	}
}

// What-if of team changes: who gains or loses access now, and at the next
// access (GT-SG, GT-ROLES, GT-GROUP-DELETED, GT-AT-ACCESS).
func TestWhatIfTeams(t *testing.T) {
	env := production() // security group g-sales
	rae := licensed()
	rae.ObjectID, rae.UPN, rae.Groups = "u-rae", "rae@contoso.com", []string{"g-readers"}
	readers := provisioning.GroupTeam{Group: "g-readers", Name: "Readers", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, InSecurityGroup: true, Roles: []provisioning.TeamRole{{Name: "Reader"}}}
	s := tenant.Snapshot{Users: []provisioning.User{licensed(), rae}, Environments: []provisioning.Environment{env}}

	// Adding the team lets Rae in at her next access, with its role; the
	// background sync still refuses her (invariant 11).
	rep, err := tenant.WhatIf(&s, tenant.Change{Environment: env.ID, AddTeam: &readers}, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Impacts) != 1 || rep.Impacts[0].User != "u-rae" {
		t.Fatalf("impacts of adding a team: %+v", rep.Impacts)
	}
	i := rep.Impacts[0]
	wantAfter := tenant.Standing{Admission: provisioning.AdmissionOnDemand, Mode: usertype.ReadWrite, Record: tenant.NoRecord, NextAccess: tenant.AccessStanding{Allowed: true, Apps: true}}
	if i.Before.NextAccess.Allowed || i.After != wantAfter || i.Verb != provisioning.NotAdded || !i.Rules.Has(provisioning.RuleGTSG) {
		t.Errorf("adding a team: %+v", i)
	}

	// Rae joined at access: deleting the team's group takes her out of the
	// team at once, and she loses the team's role now.
	env.Teams = []provisioning.GroupTeam{readers}
	s.Environments = []provisioning.Environment{env}
	org, _, err := provisioning.Org{Environment: env}.Access(&rae)
	if err != nil {
		t.Fatal(err)
	}
	s.Records = map[string][]provisioning.Record{env.ID: org.Records}
	g := "g-readers"
	rep, err = tenant.WhatIf(&s, tenant.Change{Environment: env.ID, DeleteTeamGroup: &g}, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Impacts) != 1 || !rep.Impacts[0].Before.Apps || rep.Impacts[0].After.Apps || rep.Impacts[0].After.NextAccess.Allowed {
		t.Errorf("deleting the team's group: %+v", rep.Impacts)
	}

	// Taking the team's roles away leaves her in, without the apps.
	rep, err = tenant.WhatIf(&s, tenant.Change{Environment: env.ID, TeamRoles: &tenant.TeamRoles{Group: "g-readers"}}, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Impacts) != 1 || !rep.Impacts[0].Before.Apps || rep.Impacts[0].After.Apps || !rep.Impacts[0].After.NextAccess.Allowed {
		t.Errorf("removing the team's roles: %+v", rep.Impacts)
	}

	// Team changes that Org refuses are refused here.
	none := "g-none"
	for name, c := range map[string]tenant.Change{
		"delete an unknown team's group": {Environment: env.ID, DeleteTeamGroup: &none},
		"roles of an unknown team":       {Environment: env.ID, TeamRoles: &tenant.TeamRoles{Group: "g-none"}},
		"a second team of a group":       {Environment: env.ID, AddTeam: &readers},
	} {
		var oe *provisioning.OpError
		if _, err := tenant.WhatIf(&s, c, tenant.Options{}); !errors.As(err, &oe) {
			t.Errorf("%s: %v, want an *OpError", name, err)
		}
	}
	c := tenant.Change{Environment: env.ID, AddTeam: &readers, TeamRoles: &tenant.TeamRoles{Group: "g"}, DeleteTeamGroup: &g}
	if got, want := c.String(), "adding a group team of group g-readers to, giving the team of group g other roles in and deleting group g-readers of a team of environment env-prod"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

// A change of a team's roles reaches its members at once, as WhatIf's doc
// says: the roles are the team's (GT-ROLES); only membership waits for the
// user's access. A member whose only role came through the team can no
// longer use the apps after the background sync, not only at its access.
func TestWhatIfTeamRolesAtOnce(t *testing.T) { // GT-ROLES, GT-AT-ACCESS
	env := production()
	env.Teams = []provisioning.GroupTeam{{Group: "g-readers", Name: "Readers", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned,
		InSecurityGroup: true, Roles: []provisioning.TeamRole{{Name: "Reader"}}}}
	u := licensed()
	u.Groups = append(u.Groups, "g-readers")
	rec := provisioning.Record{ObjectID: u.ObjectID, UPN: u.UPN, Teams: []string{"g-readers"}}
	s := tenant.Snapshot{Users: []provisioning.User{u}, Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: {rec}}}
	rep, err := tenant.WhatIf(&s, tenant.Change{Environment: env.ID, TeamRoles: &tenant.TeamRoles{Group: "g-readers"}}, lax(&s, tenant.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Impacts) != 1 || !rep.Impacts[0].Before.Apps || rep.Impacts[0].After.Apps {
		t.Fatalf("impacts %+v, want the member to lose the apps after the background sync", rep.Impacts)
	}
}

// WhatIf reports exactly the users whose standing a reference computation
// says changes, with that standing, ordered by verb and then by object ID.
// The reference decides every user of the environment, before and after
// the change, with plain Reconcile (the field sync included) and a record
// found by a scan with Match: none of WhatIf's shortcuts (the merge join,
// the checked values, the equal-decision filter, Settle).
func TestWhatIfIsEveryStandingCompared(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s, env, c, after := drawChange(t)
		before := provisioning.Org{Environment: env, Records: s.Records[env.ID]}
		after.Environment = c.Apply(after.Environment)
		rep, err := tenant.WhatIf(&s, c, lax(&s, tenant.Options{}))
		if err != nil {
			t.Fatal(err)
		}

		want := map[string]tenant.Impact{}
		for i := range s.Users {
			u := &s.Users[i]
			was, _ := referenceStanding(u, before)
			now, a := referenceStanding(u, after)
			if was != now {
				want[u.ObjectID] = tenant.Impact{User: u.ObjectID, UPN: u.UPN, Before: was, After: now, Verb: a.Verb}
			}
		}
		got := map[string]tenant.Impact{}
		for k, i := range rep.Impacts {
			got[i.User] = tenant.Impact{User: i.User, UPN: i.UPN, Before: i.Before, After: i.After, Verb: i.Verb}
			if k == 0 {
				continue
			}
			p := rep.Impacts[k-1]
			if p.Verb > i.Verb || p.Verb == i.Verb && p.User >= i.User {
				t.Fatalf("impact %d (%s %s) after impact %d (%s %s): want them by verb, then by object ID", k, i.Verb, i.User, k-1, p.Verb, p.User)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s: impacts differ from the reference (-reference +WhatIf):\n%s", c, diff)
		}
	})
}

// referenceStanding is where u stands in org after the background sync and
// at its next access after that, computed with plain Reconcile, with the
// background sync's action.
func referenceStanding(u *provisioning.User, org provisioning.Org) (tenant.Standing, provisioning.Action) {
	var rec *provisioning.Record
	for k := range org.Records {
		if provisioning.Match(u, &org.Records[k]) {
			rec = &org.Records[k]
		}
	}
	env := &org.Environment
	r := provisioning.Reconcile(u, env, rec, provisioning.BackgroundSync)
	st := tenant.Standing{Admission: r.After.Admission()}
	if m, ok := r.After.AccessMode(); ok {
		st.Mode = m // a user not admitted has none: Mode stays zero
	}
	synced := rec
	if r.Action.HasRecord() {
		synced = &r.Record
		st.Record = tenant.RecordEnabled
		if synced.Disabled {
			st.Record = tenant.RecordDisabled
		}
		st.Apps = !synced.Disabled && r.After.CanUseApps()
	}
	if r.Action.Err != nil {
		synced = rec
	}
	at := provisioning.Reconcile(u, env, synced, provisioning.FirstAccess)
	if at.Action.Err == nil && at.Action.HasRecord() && !at.Record.Disabled {
		st.NextAccess = tenant.AccessStanding{Allowed: true, Apps: at.After.CanUseApps()}
	}
	return st, r.Action
}

// Apply makes every setting a change names, and only those.
func TestChangeApply(t *testing.T) {
	env := production()
	group, typ, on, creator := "g-other", provisioning.EnvSandbox, true, "u-ana"
	c := tenant.Change{Environment: env.ID, SecurityGroup: &group, Type: &typ, AppPass: &on, TenantMarketing: &on, Creator: &creator}
	want := env
	want.SecurityGroup, want.Type, want.AppPass, want.TenantMarketing, want.Creator = group, typ, true, true, creator
	if diff := cmp.Diff(want, c.Apply(env)); diff != "" {
		t.Errorf("Apply (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(env, tenant.Change{Environment: env.ID}.Apply(env)); diff != "" {
		t.Errorf("an empty change changed the environment (-want +got):\n%s", diff)
	}
}
