package provisioning_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
)

// drawDecision draws a user, an environment and, half the time, a record
// of the user, with names that JSON must escape now and then.
func drawDecision(t *rapid.T) provisioning.Decision {
	u, env := draw(t)
	if rapid.IntRange(0, 4).Draw(t, "odd names?") == 0 {
		u.UPN = rapid.SampledFrom([]string{`a"b@contoso.com`, `back\slash@contoso.com`, "é@contoso.com", "line\u2028sep@contoso.com"}).Draw(t, "upn")
		env.ID = rapid.SampledFrom([]string{`env "x"`, "env\\y", "ü"}).Draw(t, "env id")
	}
	if rapid.Bool().Draw(t, "record?") {
		r := edge.Records().Draw(t, "record")
		r.ObjectID = u.ObjectID
		r.ApplicationID = u.ApplicationID
		return provisioning.EvaluateRecord(&u, &env, &r)
	}
	return provisioning.Evaluate(&u, &env)
}

// Every line of an explanation agrees with the decision it explains: the
// checks are exactly the checked rules with their outcomes, a refused user
// has a failed admission check and an admitted one none, an on-demand
// admission has an on-demand check, every failed check says a fix, the
// summary heads Explain, and the JSON form carries the same checks.
func TestExplanationAgreesWithDecision(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := drawDecision(t)
		checks := d.Checks()
		var rules provisioning.RuleSet
		var failed, onDemand provisioning.RuleSet
		for _, c := range checks {
			rules = rules.With(c.Rule)
			if c.Outcome != d.Outcome(c.Rule) || c.Area != c.Rule.Area() || c.Reason == "" {
				t.Fatalf("check %+v disagrees with outcome %s", c, d.Outcome(c.Rule))
			}
			switch c.Outcome {
			case provisioning.OutcomeFailed:
				failed = failed.With(c.Rule)
				if c.Fix == "" && d.Err() == nil {
					t.Fatalf("failed check %s says no fix", c.Rule)
				}
			case provisioning.OutcomePassedOnDemand:
				onDemand = onDemand.With(c.Rule)
			case provisioning.OutcomeNotApplicable:
				if c.Fix != "" {
					t.Fatalf("check %s does not apply but says a fix: %s", c.Rule, c.Fix)
				}
			}
		}
		if rules != d.CheckedRules() || failed != d.Failed() {
			t.Fatalf("checks %v, failed %v; the decision checked %v and failed %v", rules, failed, d.CheckedRules(), d.Failed())
		}
		if d.Admitted() && d.RefusedBy() != 0 || !d.Admitted() && d.RefusedBy() == 0 && d.Err() == nil {
			t.Fatalf("admission %s with refusing rules %v", d.Admission(), d.RefusedBy())
		}
		if d.Admission() == provisioning.AdmissionOnDemand && (onDemand == 0 || d.OnDemandBy() != onDemand) {
			t.Fatalf("on-demand admission, on-demand checks %v, OnDemandBy %v", onDemand, d.OnDemandBy())
		}
		if d.Admission() != provisioning.AdmissionOnDemand && d.OnDemandBy() != 0 {
			t.Fatalf("%s admission with OnDemandBy %v", d.Admission(), d.OnDemandBy())
		}
		if problems := provisioning.SayingProblems(d); len(problems) > 0 {
			t.Fatalf("%v\n%s", problems, d.Explain())
		}
		explain := d.Explain()
		if first, _, _ := strings.Cut(explain, "\n"); !strings.HasSuffix(first, ": "+d.String()) {
			t.Fatalf("Explain heads with %q, not the summary %q", first, d.String())
		}
		lines := 0
		for _, l := range strings.Split(explain, "\n") {
			if strings.HasPrefix(l, "    ") && l[4] != ' ' {
				lines++
			}
		}
		if lines != len(checks) {
			t.Fatalf("Explain has not one line per check:\n%s", explain)
		}
		fixes := 0
		for _, c := range checks {
			if c.Fix != "" {
				fixes++
			}
		}
		if got := strings.Count(explain, " fix: "); got != fixes {
			t.Fatalf("Explain has %d fix lines for %d checks with a fix:\n%s", got, fixes, explain)
		}
		var j struct {
			Admission  provisioning.Admission
			AccessMode string
			Failed     provisioning.RuleSet
			OnDemandBy provisioning.RuleSet
			Checks     []provisioning.Check
		}
		data, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &j); err != nil {
			t.Fatalf("MarshalJSON wrote invalid JSON: %v\n%s", err, data)
		}
		if diff := cmp.Diff(checks, j.Checks); diff != "" {
			t.Fatalf("JSON checks differ from Checks (-checks +json):\n%s", diff)
		}
		mode, ok := d.AccessMode()
		if j.Admission != d.Admission() || j.Failed != d.Failed() || j.OnDemandBy != d.OnDemandBy() || ok != (j.AccessMode != "") || ok && j.AccessMode != mode.String() {
			t.Fatalf("JSON %s disagrees with %v", data, d)
		}
	})
}

// A user without a UPN, an application's service principal, is named by
// its object ID.
func TestExplainNamesUserWithoutUPN(t *testing.T) {
	app := provisioning.User{ObjectID: "sp-1", ApplicationID: "app-1", Enabled: true}
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true}
	d := provisioning.Evaluate(&app, &env)
	if explain := d.Explain(); !strings.HasPrefix(explain, "sp-1 in sales-prod: ") {
		t.Errorf("Explain = %q, want it to name sp-1", explain)
	}
}

// AppendJSON appends to what the buffer holds, and writes the same bytes
// as MarshalJSON.
func TestAppendJSONAppends(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		d := drawDecision(t)
		want, _ := d.MarshalJSON()
		got := d.AppendJSON([]byte("prefix"))
		if string(got) != "prefix"+string(want) {
			t.Fatalf("AppendJSON = %s, want prefix%s", got, want)
		}
	})
}

// ON-DEMAND-ONLY names every cause that holds the user to on demand,
// separated: a Teams environment and an app-pass entitlement together.
func TestOnDemandOnlyNamesBothCauses(t *testing.T) { // ON-DEMAND-ONLY
	u, env := licensed(), production()
	u.Licenses = nil
	env.Type, env.AppPass = provisioning.EnvTeams, true
	d := provisioning.Evaluate(&u, &env)
	for _, c := range d.Checks() {
		if c.Rule == provisioning.RuleOnDemandOnly {
			if !strings.Contains(c.Reason, "a Dataverse for Teams environment; entitled only by app pass") {
				t.Errorf("ON-DEMAND-ONLY says %q, want both causes", c.Reason)
			}
			return
		}
	}
	t.Fatalf("no ON-DEMAND-ONLY check in %v", d)
}

// An explanation mentions a long value once (issue 22): a malformed UPN of
// a hundred kilobytes, or one merely too long, gives a decision whose
// JSON and text are the value and a few kilobytes, not the value in every
// reason.
func TestLongValueSaidOnce(t *testing.T) {
	u, env := licensed(), production()
	for _, upn := range []string{
		strings.Repeat("a", 100_000) + "\xff@contoso.com",
		strings.Repeat("a", 100_000) + "@contoso.com",
		"ana@" + strings.Repeat("sub.", 25_000) + "contoso.com",
	} {
		u.UPN = upn
		d := provisioning.Evaluate(&u, &env)
		if d.Admitted() || d.Err() == nil {
			t.Fatalf("a UPN of %d bytes: %v", len(upn), d.Err())
		}
		if n := len(d.AppendJSON(nil)); n > len(upn)+4096 {
			t.Errorf("a UPN of %d bytes gives %d bytes of JSON", len(upn), n)
		}
		if n := len(d.Explain()); n > len(upn)+4096 {
			t.Errorf("a UPN of %d bytes gives %d bytes of explanation", len(upn), n)
		}
		if n := len(d.Err().Error()); n > 1024 {
			t.Errorf("a UPN of %d bytes gives an error of %d bytes", len(upn), n)
		}
	}
}

// LIC-EXEMPT-ADMIN: an admin role held only through a group does not
// exempt the user from the license, and the explanation says which role
// and why, where a user with no admin role at all is told it has none.
func TestGroupAdminRoleIsExplained(t *testing.T) {
	env := production()
	env.SecurityGroup = ""
	u := licensed()
	u.Licenses = nil
	u.GroupRoles = provisioning.PowerPlatformAdmin
	d := provisioning.Evaluate(&u, &env)
	if d.Admitted() {
		t.Fatalf("a user without a license, admin only through a group, is admitted: %v", d.Admission())
	}
	for _, c := range d.Checks() {
		if c.Rule != provisioning.RuleLicExemptAdmin {
			continue
		}
		if c.Outcome != provisioning.OutcomeNotApplicable || !strings.Contains(c.Reason, "only through a group") || !strings.Contains(c.Reason, "power-platform") {
			t.Errorf("LIC-EXEMPT-ADMIN says %s: %q; want not applicable, naming the role held only through a group", c.Outcome, c.Reason)
		}
		return
	}
	t.Fatal("no LIC-EXEMPT-ADMIN check")
}
