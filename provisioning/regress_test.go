package provisioning_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/usertype"
	"pgregory.net/rapid"
)

// The action that disables the record of a user the directory no longer
// lets in cites why: DIR-ENABLED, LIFE-DISABLE and LIFE-NEVER-DELETE (the
// record is disabled, never deleted), and DEL-DIRECTORY when the user was
// deleted from the directory.
func TestDisableCitesWhy(t *testing.T) {
	for _, c := range []struct {
		name string
		user func(*provisioning.User)
		want []provisioning.Rule
		not  []provisioning.Rule
	}{
		{"disabled in the directory", func(u *provisioning.User) { u.Enabled = false },
			[]provisioning.Rule{provisioning.RuleDirEnabled, provisioning.RuleLifeDisable, provisioning.RuleLifeNeverDelete},
			[]provisioning.Rule{provisioning.RuleDelDirectory}},
		{"deleted from the directory", func(u *provisioning.User) { u.Enabled, u.Deleted = false, true },
			[]provisioning.Rule{provisioning.RuleDirEnabled, provisioning.RuleLifeDisable, provisioning.RuleLifeNeverDelete, provisioning.RuleDelDirectory}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			u, env, rec := licensed(), production(), anaRecord()
			c.user(&u)
			a, _ := provisioning.NextAction(&u, &env, &rec, bg)
			if a.Err != nil || a.Verb != provisioning.Disable {
				t.Fatalf("NextAction = %s, %v; want disable", a.Verb, a.Err)
			}
			for _, r := range c.want {
				if !a.Rules.Has(r) {
					t.Errorf("rules %s do not cite %s", a.Rules, r)
				}
			}
			for _, r := range c.not {
				if a.Rules.Has(r) {
					t.Errorf("rules %s cite %s", a.Rules, r)
				}
			}
		})
	}
}

// A team type written as its Dataverse value, a digit, reads as that type.
func TestTeamMembershipDigits(t *testing.T) {
	all := provisioning.TeamMemberships()
	for i, m := range all {
		got := all[(i+1)%len(all)]
		if err := got.UnmarshalText([]byte(strconv.Itoa(int(m)))); err != nil || got != m {
			t.Errorf("UnmarshalText(%d) = %v, %v; want %v", int(m), got, err, m)
		}
	}
}

// Only a lone digit is a team type's Dataverse value: any other text,
// a number written with more than one character among it, is read as a
// name, and refused.
func TestTeamMembershipOtherText(t *testing.T) {
	for _, text := range []string{"x", "01", "+1", "10", "-1", " 1"} {
		var m provisioning.TeamMembership
		if err := m.UnmarshalText([]byte(text)); !errors.Is(err, provisioning.ErrUnknown) || m != 0 {
			t.Errorf("UnmarshalText(%q) = %v, %v; want ErrUnknown and no change", text, m, err)
		}
	}
}

// Rules lists every rule once, each a rule of the catalogue.
func TestRulesAreTheCatalogue(t *testing.T) {
	seen := map[provisioning.Rule]bool{}
	for _, r := range provisioning.Rules() {
		if !r.IsValid() || seen[r] {
			t.Errorf("Rules() holds %v (valid %v, seen before %v)", r, r.IsValid(), seen[r])
		}
		seen[r] = true
	}
}

// A record whose traits contradict each other is refused naming the field
// usertype.Classify names, and an unreadable role or team naming its
// place in the list, the first included.
func TestRecordErrorsNameTheField(t *testing.T) {
	for _, c := range []struct {
		rec   provisioning.Record
		field string
		value string
	}{
		{provisioning.Record{ObjectID: "u-1", UPN: "ana@contoso.com", Mode: usertype.SupportUser}, "UPN", "ana@contoso.com"},
		{provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser, ApplicationID: "app-1"}, "ApplicationID", "app-1"},
		{provisioning.Record{ObjectID: "u-1", UPN: "ana@contoso.com", Roles: []string{"r\x00"}}, "Roles[0]", "r\x00"},
		{provisioning.Record{ObjectID: "u-1", UPN: "ana@contoso.com", Teams: []string{"g-1", "g\u202e"}}, "Teams[1]", "g\u202e"},
	} {
		var fe *provisioning.FieldError
		if err := c.rec.Validate(); !errors.As(err, &fe) || fe.Field != c.field || fe.Value != c.value {
			t.Errorf("Validate(%+v) = %v; want a FieldError naming %s = %q", c.rec, err, c.field, c.value)
		}
	}
}

// LIFE-ON-DEMAND-KEEP over syncs: a user let in on demand by app pass
// keeps its record after the capacity is gone, and keeps the mark, so
// that the next background sync leaves it too.
func TestOnDemandMarkOutlivesTheCapacity(t *testing.T) {
	u, env := licensed(), production()
	noLicense(&u)
	appPass(&env)
	r := provisioning.Reconcile(&u, &env, nil, access)
	if r.Action.Verb != provisioning.Create || !r.Record.OnDemand {
		t.Fatalf("first access: %s, OnDemand %v; want a create marked on demand", r.Action.Verb, r.Record.OnDemand)
	}
	rec := r.Record
	rec.SystemUserID = "5a1e"
	env.AppPass = false
	for sync := 1; sync <= 2; sync++ {
		r = provisioning.Reconcile(&u, &env, &rec, bg)
		if r.Action.Verb != provisioning.Leave || r.Record.Disabled || !r.Record.OnDemand || !r.Action.Rules.Has(provisioning.RuleLifeOnDemandKeep) {
			t.Fatalf("sync %d: %s (%s), disabled %v, OnDemand %v; want leave, enabled and marked (LIFE-ON-DEMAND-KEEP)",
				sync, r.Action.Verb, r.Action.Rules, r.Record.Disabled, r.Record.OnDemand)
		}
		rec = r.Record
	}
}

// An explanation names the admin roles a user holds, and the group team
// through which a record holds its roles.
func TestExplainNamesRolesAndTeams(t *testing.T) {
	u, env := licensed(), production()
	admin(provisioning.GlobalAdmin | provisioning.PowerPlatformAdmin)(&u)
	if x, want := provisioning.Evaluate(&u, &env).Explain(), (provisioning.GlobalAdmin | provisioning.PowerPlatformAdmin).String(); !strings.Contains(x, want) {
		t.Errorf("the explanation of an admin does not name its roles %q:\n%s", want, x)
	}
	u, env, rec := licensed(), production(), anaRecord()
	withTeam(salesTeam)(&env)
	rec.Roles, rec.Teams = nil, []string{salesTeam.Group}
	d := provisioning.EvaluateRecord(&u, &env, &rec)
	if x := d.Explain(); !strings.Contains(x, "through group team "+salesTeam.Name) {
		t.Errorf("the explanation of a record with roles through team %s does not name it:\n%s", salesTeam.Name, x)
	}
}

// Explain groups the checks under one heading per area, each area once,
// in diagnosis order.
func TestExplainHeadsEachAreaOnce(t *testing.T) {
	// Areas lists each area once, valid, and every rule's among them.
	areas := provisioning.Areas()
	for i, a := range areas {
		if !a.IsValid() || slices.Contains(areas[:i], a) {
			t.Errorf("Areas() = %v: %v is invalid or listed twice", areas, a)
		}
	}
	for _, r := range provisioning.Rules() {
		if !slices.Contains(areas, r.Area()) {
			t.Errorf("rule %s is of area %v, which Areas() does not list", r, r.Area())
		}
	}
	u, env := licensed(), production()
	x := provisioning.Evaluate(&u, &env).Explain()
	last := -1
	for _, a := range areas {
		head := "  [" + a.String() + "]\n"
		if n := strings.Count(x, head); n > 1 {
			t.Errorf("area %s headed %d times:\n%s", a, n, x)
		} else if i := strings.Index(x, head); i >= 0 {
			if i < last {
				t.Errorf("area %s out of order:\n%s", a, x)
			}
			last = i
		}
	}
	if last < 0 {
		t.Errorf("no area headed:\n%s", x)
	}
}

// A record with no object ID and no user, other than a well-known one,
// is an application user's: the sync leaves it, citing UT-APPLICATION and
// LIFE-MATCH (it cannot be matched to a directory user).
func TestOrphanApplicationRecordLeft(t *testing.T) {
	env := production()
	rec := provisioning.Record{UPN: "erp@contoso.com", ApplicationID: "app-erp", SystemUserID: "5a1e"}
	a, _ := provisioning.NextAction(nil, &env, &rec, bg)
	if a.Err != nil || a.Verb != provisioning.Leave || !a.Rules.Has(provisioning.RuleUTApplication) || !a.Rules.Has(provisioning.RuleLifeMatch) {
		t.Errorf("NextAction = %s %s, %v; want leave citing UT-APPLICATION and LIFE-MATCH", a.Verb, a.Rules, a.Err)
	}
}

// checkedDraw is a generated pair, checked, with a trigger: the user's own
// record or none (rec nil, cr zero).
type checkedDraw struct {
	p   provisioningtest.Pair
	tr  provisioning.Trigger
	rec *provisioning.Record
	ce  provisioning.CheckedEnvironment
	cu  provisioning.CheckedUser
	cr  provisioning.CheckedRecord
}

// drawChecked draws a pair of the plain or the edge-case generators, a
// trigger and whether the user has its record, and checks them.
func drawChecked(t *rapid.T) *checkedDraw {
	c := rapid.SampledFrom([]provisioningtest.Config{{}, provisioningtest.EdgeCases()}).Draw(t, "config")
	x := &checkedDraw{p: c.Pairs().Draw(t, "pair"), tr: rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")}
	if rapid.Bool().Draw(t, "record?") {
		x.rec = &x.p.Record
	}
	var errE, errU, errR error
	x.ce, errE = provisioning.CheckEnvironment(&x.p.Environment)
	x.cu, errU = provisioning.CheckUser(&x.p.User)
	if x.rec != nil {
		x.cr, errR = provisioning.CheckRecord(x.rec)
	}
	if err := errors.Join(errE, errU, errR); err != nil {
		t.Fatal(err)
	}
	return x
}

// CheckedEnvironment.Reconcile is Reconcile: for every user with its own
// record, or without one, under every trigger, the same action, record,
// field sync and decisions before and after.
func TestCheckedReconcileIsReconcile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawChecked(t)
		want := provisioning.Reconcile(&x.p.User, &x.p.Environment, x.rec, x.tr)
		got := x.ce.Reconcile(x.cu, x.cr, x.tr)
		if diff := cmp.Diff(want, got, cmpopts.EquateComparable(provisioning.Decision{})); diff != "" {
			t.Fatalf("CheckedEnvironment.Reconcile differs from Reconcile (-Reconcile +checked):\n%s", diff)
		}
	})
}

// Every record the sync makes of checked values passes CheckRecord, so
// CheckedEnvironment.Reconcile need not check its identifiers and columns
// again.
func TestSyncedRecordPassesCheck(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawChecked(t)
		tr := x.tr
		got := provisioning.Reconcile(&x.p.User, &x.p.Environment, x.rec, tr)
		if !got.Action.HasRecord() || got.Action.Err != nil {
			return
		}
		if _, err := provisioning.CheckRecord(&got.Record); err != nil {
			t.Fatalf("%v of %s made a record that fails its check: %v", got.Action.Verb, tr, err)
		}
	})
}

// Settle is ReconcileInto without the field sync: the same decision after
// the action, the same record but for its columns, the same error, and a
// proof that decides the next trigger as ReconcileInto's does.
func TestSettleIsReconcile(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawChecked(t)
		tr, ce, cu, cr := x.tr, x.ce, x.cu, x.cr
		next := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "next trigger")
		if rapid.Bool().Draw(t, "without a user?") && cr.Record() != nil {
			cu = provisioning.CheckedUser{}
		}
		var want provisioning.Reconciliation
		wantProof := ce.ReconcileInto(&want, cu, cr, tr)
		var rec provisioning.Record
		d, proof, err := ce.Settle(&rec, cu, cr, tr)
		if !errors.Is(err, want.Action.Err) || (err == nil) != (want.Action.Err == nil) {
			t.Fatalf("Settle's error %v, ReconcileInto's action's %v", err, want.Action.Err)
		}
		if err != nil {
			return
		}
		eq := cmpopts.EquateComparable(provisioning.Decision{})
		if diff := cmp.Diff(want.After, d, eq); diff != "" {
			t.Fatalf("Settle's decision differs (-ReconcileInto +Settle):\n%s", diff)
		}
		if (wantProof.Record() == nil) != (proof.Record() == nil) || proof.Record() != nil && proof.Record() != &rec {
			t.Fatalf("Settle's proof is of %p, ReconcileInto's of %p; want both or neither, Settle's of its record", proof.Record(), wantProof.Record())
		}
		if proof.Record() != nil {
			wantRec := want.Record
			wantRec.Fields = rec.Fields
			if diff := cmp.Diff(wantRec, rec, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("Settle's record differs but for its columns (-ReconcileInto +Settle):\n%s", diff)
			}
		}
		// The next trigger: the same decision and record state.
		var then provisioning.Reconciliation
		thenProof := ce.ReconcileInto(&then, cu, wantProof, next)
		var rec2 provisioning.Record
		d2, proof2, err2 := ce.Settle(&rec2, cu, proof, next)
		if diff := cmp.Diff(then.After, d2, eq); diff != "" || (then.Action.Err != nil) != (err2 != nil) || (thenProof.Record() == nil) != (proof2.Record() == nil) {
			t.Fatalf("then %s: Settle's proof decides %v (proof %v, error %v), ReconcileInto's %v %v:\n%s", next, d2.Admission(), proof2.Record() != nil, err2, then.Action.Verb, then.Action.Err, diff)
		}
		if proof2.Record() != nil {
			wantRec := then.Record
			wantRec.Fields = rec2.Fields
			if diff := cmp.Diff(wantRec, rec2, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("then %s: Settle's record differs but for its columns (-ReconcileInto +Settle):\n%s", next, diff)
			}
		}
	})
}

// An unchecked value cannot take the checked path: the only way to a
// CheckedUser, CheckedEnvironment or CheckedRecord is its check, which
// gives a malformed value the zero proof, and the zero proofs decide
// nothing (never, with an error), whatever else is checked.
func TestUncheckedCannotTakeTheCheckedPath(t *testing.T) {
	u, env, rec := licensed(), production(), anaRecord()
	ce, errE := provisioning.CheckEnvironment(&env)
	cu, errU := provisioning.CheckUser(&u)
	cr, errR := provisioning.CheckRecord(&rec)
	if err := errors.Join(errE, errU, errR); err != nil || !ce.Evaluate(cu).Admitted() {
		t.Fatalf("checks of well-formed values: %v; decision %v", err, ce.Evaluate(cu).Admission())
	}
	bad := u
	bad.UPN = "ana\u202e@contoso.com"
	zu, err := provisioning.CheckUser(&bad)
	if err == nil || zu.User() != nil {
		t.Fatalf("CheckUser of a malformed user = %v, %v; want the zero proof and an error", zu.User(), err)
	}
	badEnv := env
	badEnv.SecurityGroup = "g\x00"
	ze, err := provisioning.CheckEnvironment(&badEnv)
	if err == nil || ze.Environment() != nil {
		t.Fatalf("CheckEnvironment of a malformed environment = %v, %v; want the zero proof and an error", ze.Environment(), err)
	}
	for name, d := range map[string]provisioning.Decision{
		"zero user":                   ce.Evaluate(zu),
		"zero user with a record":     ce.EvaluateRecord(zu, cr),
		"zero environment":            ze.Evaluate(cu),
		"zero environment and record": ze.EvaluateRecord(cu, cr),
	} {
		if d.Admission() != provisioning.AdmissionNever || d.Err() == nil {
			t.Errorf("%s: %v, %v; want never with an error", name, d.Admission(), d.Err())
		}
	}
	if a, _ := ze.NextAction(cu, cr, bg); a.Err == nil || a.Writes() {
		t.Errorf("NextAction in the zero environment = %s, %v; want no write and an error", a.Verb, a.Err)
	}
	if r := ze.Reconcile(cu, cr, bg); r.Action.Err == nil || r.Action.Writes() {
		t.Errorf("Reconcile in the zero environment = %s, %v; want no write and an error", r.Action.Verb, r.Action.Err)
	}
}

// A FieldError names its field, and its value, even an empty one, unless
// it is an error of reading JSON about a key left out.
func TestFieldErrorNamesFieldAndValue(t *testing.T) {
	for _, fe := range []*provisioning.FieldError{
		{Input: "user", Key: "u-1", Field: "UPN", Err: provisioning.ErrMissing},
		{Input: "user", Key: "u-1", Field: "UPN", Value: "a\x00", Err: provisioning.ErrMalformed},
		{Input: "record", Field: "Fields", Err: provisioning.ErrMalformed},
	} {
		msg := fe.Error()
		if !strings.Contains(msg, "field "+fe.Field+" = "+strconv.Quote(fe.Value)) || !strings.HasPrefix(msg, fe.Input) {
			t.Errorf("%#v says %q: want its input, its field and its value", fe, msg)
		}
	}
}

// An error of reading JSON names the field left out, with no value.
func TestReadErrorNamesTheFieldLeftOut(t *testing.T) {
	var l provisioning.License
	err := l.UnmarshalJSON([]byte(`{"tenant":"contoso"}`))
	var fe *provisioning.FieldError
	if !errors.As(err, &fe) || fe.Field == "" || !strings.Contains(err.Error(), "field "+fe.Field+":") {
		t.Fatalf("UnmarshalJSON of a license without its plan = %v; want its field named, with no value", err)
	}
}

// A write whose isdisabled contradicts its verb is refused with the value
// the verb writes.
func TestWriteRefusalSaysWhatTheVerbWrites(t *testing.T) {
	for _, c := range []struct {
		w    provisioning.Write
		says string
	}{
		{provisioning.Write{Verb: provisioning.Disable, SystemUserID: "s", SetDisabled: true}, "a disable writes isdisabled true"},
		{provisioning.Write{Verb: provisioning.Enable, SystemUserID: "s", SetDisabled: true, Disabled: true}, "an enable writes isdisabled false"},
	} {
		if _, err := json.Marshal(c.w); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Marshal(%+v) = %v; want it to say %q", c.w, err, c.says)
		}
	}
}

// A write that toggles without saying to what is refused, in words.
func TestWriteRefusalSaysTheToggleIsMissing(t *testing.T) {
	for _, c := range []struct {
		w    provisioning.Write
		says string
	}{
		{provisioning.Write{Verb: provisioning.Disable, SystemUserID: "s"}, "a disable writes isdisabled"},
		{provisioning.Write{Verb: provisioning.Enable, SystemUserID: "s"}, "an enable writes isdisabled"},
	} {
		if _, err := json.Marshal(c.w); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Marshal(%+v) = %v; want it to say %q", c.w, err, c.says)
		}
	}
}

// A user admitted after its first access has its record, enabled: so
// Org.Access, which refuses every user not admitted after it, never lets a
// user in without a record or through a disabled one.
func TestFirstAccessAdmitsWithEnabledRecord(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := drawChecked(t)
		r := provisioning.Reconcile(&x.p.User, &x.p.Environment, x.rec, provisioning.FirstAccess)
		if r.Action.Err == nil && r.After.Admitted() && (!r.Action.HasRecord() || r.Record.Disabled) {
			t.Fatalf("admitted at first access with record %v, disabled %v: %+v", r.Action.HasRecord(), r.Record.Disabled, r.Action)
		}
	})
}

// The decision NextAction returns for a malformed user, environment or
// record carries the error, as the action does; for no user (a record's
// user gone) there is no decision to carry it.
func TestNextActionDecisionOfMalformedInput(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := provisioningtest.Config{}.Malformed().Draw(t, "malformed")
		if m.Input == "trigger" {
			return // an invalid trigger is refused before any input is read
		}
		a, d := provisioning.NextAction(&m.User, &m.Environment, &m.Record, provisioning.BackgroundSync)
		if a.Err == nil || d.Err() == nil {
			t.Fatalf("%s malformed: action error %v, decision error %v; want both", m.Input, a.Err, d.Err())
		}
		if m.Input == "record" {
			if _, d := provisioning.NextAction(nil, &m.Environment, &m.Record, provisioning.BackgroundSync); d.Err() != nil {
				t.Fatalf("no user: decision error %v; want no decision", d.Err())
			}
		}
	})
}

// SetTeamRoles names the field of the team it was given, not a place in
// the environment's list of teams.
func TestSetTeamRolesErrorNamesTheTeam(t *testing.T) {
	env := provisioning.Environment{ID: "env", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true,
		Teams: []provisioning.GroupTeam{
			{Group: "g-1", Name: "One", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned},
			{Group: "g-2", Name: "Two", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned}}}
	o := provisioning.Org{Environment: env}
	_, err := o.SetTeamRoles("g-2", []provisioning.TeamRole{{Name: ""}})
	var fe *provisioning.FieldError
	if !errors.As(err, &fe) || fe.Field != "Team.Roles[0].Name" {
		t.Fatalf("SetTeamRoles with a nameless role = %v; want the error of field Team.Roles[0].Name", err)
	}
}
