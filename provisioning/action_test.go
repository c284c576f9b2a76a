package provisioning_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// A refused user has no access mode: its action's JSON has none
// (issue 12, defect 1), and an action read back from JSON is the same.
func TestActionJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		u, env := draw(t)
		tr := rapid.SampledFrom(provisioning.Triggers()).Draw(t, "trigger")
		a, _ := provisioning.NextAction(&u, &env, nil, tr)
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if has := strings.Contains(string(data), `"accessMode"`); has != (a.Verb != provisioning.NotAdded) {
			t.Fatalf("%s action, JSON %s: accessMode present %v", a.Verb, data, has)
		}
		var back provisioning.Action
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatal(err)
		}
		if a.Verb == provisioning.NotAdded {
			back.Mode = a.Mode // not carried: the user has no record
		}
		if diff := cmp.Diff(a, back, errText); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		if got := string(a.AppendJSON([]byte("x"))); got != "x"+string(data) {
			t.Fatalf("AppendJSON = %s, want x%s", got, data)
		}
	})
	if _, err := json.Marshal(provisioning.Action{}); err == nil {
		t.Error("an action without a verb marshals")
	}
}

// errText compares errors by their text.
var errText = cmp.Comparer(func(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
})

// An empty role name is malformed (issue 12, defect 3): it does not count
// as a security role, and the record does not validate.
func TestEmptyRoleIsMalformed(t *testing.T) { // LIFE-ACCESS-NEEDS-ROLE
	r := provisioning.Record{ObjectID: "u-ana", UPN: "ana@contoso.com", Roles: []string{""}}
	if err := r.Validate(); !errors.Is(err, provisioning.ErrMissing) || !strings.Contains(err.Error(), "Roles[0]") {
		t.Errorf("Validate = %v, want ErrMissing naming Roles[0]", err)
	}
	u, env := licensed(), production()
	if d := provisioning.EvaluateRecord(&u, &env, &r); d.CanUseApps() || d.Err() == nil {
		t.Errorf("an empty role lets the user use the apps: %v", d)
	}
}

// Every action names its environment, its user by object ID and its
// record by key, each with one meaning whatever decided it (issue 18): a
// user gone is named by the object ID its record carries, a record that
// carries none by its key alone, and an action without a record names
// none.
func TestActionNamesItsPair(t *testing.T) {
	u, env, rec := licensed(), production(), anaRecord()
	rec.SystemUserID = "5a1e"
	support := provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser, SystemUserID: "5b2f"}
	for _, c := range []struct {
		name         string
		a            provisioning.Action
		user, record string
	}{
		{"create", first(provisioning.NextAction(&u, &env, nil, bg)), "u-ana", ""},
		{"existing", first(provisioning.NextAction(&u, &env, &rec, bg)), "u-ana", "u-ana"},
		{"a user gone", first(provisioning.NextAction(nil, &env, &rec, bg)), "u-ana", "u-ana"},
		{"the support record", first(provisioning.NextAction(nil, &env, &support, bg)), "", usertype.SupportUPN},
		{"malformed", first(provisioning.NextAction(&u, &env, &rec, 9)), "u-ana", "u-ana"},
		{"malformed, no record", first(provisioning.NextAction(&u, &env, nil, 9)), "u-ana", ""},
	} {
		a := c.a
		if a.Environment != env.ID || a.User != c.user || a.Record != c.record {
			t.Errorf("%s: action of user %q, record %q in %q; want %q, %q", c.name, a.User, a.Record, a.Environment, c.user, c.record)
		}
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if has := strings.Contains(string(data), `"user":`); has != (c.user != "") {
			t.Errorf("%s: JSON %s, \"user\" present %v", c.name, data, has)
		}
		if has := strings.Contains(string(data), `"record":`); has != (c.record != "") {
			t.Errorf("%s: JSON %s, \"record\" present %v", c.name, data, has)
		}
		var back provisioning.Action
		if err := json.Unmarshal(data, &back); err != nil || back.User != a.User || back.Record != a.Record {
			t.Errorf("%s: read back %+v, %v", c.name, back, err)
		}
	}
	// A key that names no record is the record's, not a user's.
	o := provisioning.Org{Environment: env}
	if _, r := o.SyncGone("u-nobody", bg); r.Action.User != "" || r.Action.Record != "u-nobody" || !errors.Is(r.Action.Err, provisioning.ErrNoRecord) {
		t.Errorf("SyncGone of an unknown key: %+v", r.Action)
	}
}

func first(a provisioning.Action, _ provisioning.Decision) provisioning.Action { return a }

// An empty ID in any list of groups is malformed, first or not.
func TestEmptyGroupIDIsMalformed(t *testing.T) {
	for name, set := range map[string]func(*provisioning.User){
		"Groups":       func(u *provisioning.User) { u.Groups = []string{""} },
		"OwnedGroups":  func(u *provisioning.User) { u.OwnedGroups = []string{"g", ""} },
		"NestedGroups": func(u *provisioning.User) { u.NestedGroups = []string{""} },
	} {
		u := licensed()
		set(&u)
		if err := u.Validate(); !errors.Is(err, provisioning.ErrMissing) || !strings.Contains(err.Error(), name+"[") {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
}

// An update of an admitted user's record cites the rules that admit the
// user, not LIFE-MATCH: finding the record is no reason to write it.
func TestUpdateCitesAdmissionNotMatch(t *testing.T) { // LIFE-MATCH
	u, env := licensed(), production()
	rec := provisioning.Reconcile(&u, &env, nil, provisioning.BackgroundSync).Record
	u.Attributes.Set(syncfields.JobTitle, "Head buyer")
	a, d := provisioning.NextAction(&u, &env, &rec, provisioning.BackgroundSync)
	if a.Verb != provisioning.Update || d.Outcome(provisioning.RuleLifeMatch) != provisioning.OutcomePassed {
		t.Fatalf("action %v, decision %v: want an update of a matched record", a, d)
	}
	if a.Rules.Has(provisioning.RuleLifeMatch) || !a.Rules.Has(provisioning.RuleLicRequired) || !a.Rules.Has(provisioning.RuleSGMember) {
		t.Errorf("update cites %v, want the admitting rules without LIFE-MATCH", a.Rules)
	}
}

// The one-line form of a decision on malformed input says so, with the
// error.
func TestDecisionStringInvalidInput(t *testing.T) {
	u, env := licensed(), production()
	env.Tenant = "contoso\x00"
	d := provisioning.Evaluate(&u, &env)
	if s := d.String(); d.Err() == nil || !strings.HasPrefix(s, "malformed input, nothing decided: "+d.Err().Error()) {
		t.Errorf("String() = %q, want it to carry the error %v", s, d.Err())
	}
}

// The sync leaves the records of kinds it does not synchronize, with the
// kind's rule and LIFE-NOT-SYNCED, keeping their access mode: with or
// without a directory user.
func TestLeaveUnsyncedRecords(t *testing.T) { // UT-SUPPORT, UT-DELEGATED-ADMIN, UT-STUB, LIFE-NOT-SYNCED
	env := production()
	ana := licensed()
	for _, c := range []struct {
		name string
		user *provisioning.User
		rec  provisioning.Record
		rule provisioning.Rule
	}{
		{"support", nil, provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser}, provisioning.RuleUTSupport},
		{"delegated admin", nil, provisioning.Record{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin}, provisioning.RuleUTDelegatedAdmin},
		{"stub of a user", &ana, provisioning.Record{ObjectID: ana.ObjectID, UPN: ana.UPN, Stub: true, Mode: usertype.Read}, provisioning.RuleUTStub},
		{"stub of no user", nil, provisioning.Record{ObjectID: "u-gone", UPN: "gone@contoso.com", Stub: true, Mode: usertype.Read}, provisioning.RuleUTStub},
	} {
		a, _ := provisioning.NextAction(c.user, &env, &c.rec, bg)
		if want := provisioning.RuleSetOf(c.rule, provisioning.RuleLifeNotSynced); a.Verb != provisioning.Leave || a.Rules != want || a.Mode != c.rec.Mode {
			t.Errorf("%s: %s citing %v in mode %v, want leave citing %v in mode %v", c.name, a.Verb, a.Rules, a.Mode, want, c.rec.Mode)
		}
	}
}
