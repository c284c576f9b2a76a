package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
)

// The default question: assigning g-sales to sales-prod disables every
// user with a record who is neither a direct member, an owner nor a Global
// or Power Platform admin: twelve in the sample, two of them reaching the
// group only through nesting.
func TestAssignGroup(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, pattern := range []string{
		`^Assigning group g-sales to environment sales-prod would`,
		`disable these 12 users, because:`,
		`SG-NESTED: `,
		`ben@contoso.com\s+automatic as read-write, enabled\s+never, disabled\s+SG-MEMBER,SG-NESTED`,
		`ola@contoso.com\s+automatic as read-write, enabled\s+on-demand as read-write, enabled\s+.*SG-OWNER`,
	} {
		if !regexp.MustCompile(pattern).MatchString(text) {
			t.Errorf("output lacks %q:\n%s", pattern, text)
		}
	}
	// Direct members and the Global admin keep their standing.
	for _, kept := range []string{"ana@", "cho@", "dan@", "jon@"} {
		if strings.Contains(text, kept) {
			t.Errorf("%s is listed, but the group does not change its standing", kept)
		}
	}
}

func TestOtherChanges(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-app-pass", "off"}, `eva@contoso.com\s+on-demand as read-write, enabled\s+never, enabled\s+LIC-REQUIRED,LIFE-ON-DEMAND-KEEP`},
		{[]string{"-type", "trial"}, `ENV-TRIAL`},
		{[]string{"-env", "hr-sandbox", "-clear-group"}, `create a record for these 20 users`},
		{[]string{"-marketing", "on"}, `would change nobody`},
	} {
		var out bytes.Buffer
		if err := run(c.args, &out); err != nil {
			t.Fatal(c.args, err)
		}
		if !regexp.MustCompile(c.want).MatchString(out.String()) {
			t.Errorf("%v: output lacks %q:\n%s", c.args, c.want, out.String())
		}
	}
}

func TestRefusedChanges(t *testing.T) {
	for _, args := range [][]string{
		{"-env", "nowhere"},
		{"-type", "developer"}, // a developer environment has no creator here
		{"-app-pass", "maybe"},
		{"-type", "castle"},
	} {
		if err := run(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json"}, &out); err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Impacts []struct {
			User  string
			Verb  provisioning.Verb
			Rules provisioning.RuleSet
		}
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Impacts) != 13 || rep.Impacts[0].Verb != provisioning.Disable || !rep.Impacts[0].Rules.Has(provisioning.RuleSGMember) {
		t.Errorf("report = %+v", rep)
	}
}
