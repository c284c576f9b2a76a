package main

import (
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/clitest"
	"github.com/provisionrules/provisionrules/examples/internal/readme"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// The default question: assigning g-sales to sales-prod disables every
// user with a record who is neither a direct member, an owner nor a Global
// or Power Platform admin: twelve in the sample, two of them reaching the
// group only through nesting.
func TestAssignGroup(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, pattern := range []string{
		`^Assigning group g-sales to environment sales-prod would`,
		`disable these 12 users, because:`,
		`SG-NESTED: `,
		`ben@contoso.com\s+automatic as read-write, enabled, apps; access: apps\s+never, disabled; access: refused\s+SG-MEMBER,SG-NESTED`,
		`ola@contoso.com\s+automatic as read-write, enabled, apps; access: apps\s+on-demand as read-write, enabled, apps; access: apps\s+.*SG-OWNER`,
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
		{[]string{"-app-pass", "off"}, `eva@contoso.com\s+on-demand as read-write, enabled, apps; access: apps\s+never, enabled; access: refused\s+LIC-REQUIRED,LIFE-ON-DEMAND-KEEP`},
		{[]string{"-type", "trial"}, `ENV-TRIAL`},
		{[]string{"-env", "hr-sandbox", "-clear-group"}, `create a record for these 20 users`},
		{[]string{"-marketing", "on"}, `would change nobody`},
	} {
		var out bytes.Buffer
		if err := run(c.args, &out, io.Discard); err != nil {
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
		if err := run(args, &bytes.Buffer{}, io.Discard); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json"}, &out, io.Discard); err != nil {
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

// load reads a tenant file as -tenant does.
func loadSample(data []byte) (*tenant.Snapshot, error) {
	return load.Read(load.Files{Tenant: load.Source{Name: "the sample", Reader: bytes.NewReader(data)}})
}

// A developer environment needs its creator: -creator names it, and the
// report then keeps only that user (ENV-DEVELOPER).
func TestDeveloperWithCreator(t *testing.T) {
	s, err := loadSample(sampleTenant)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-json", "-clear-group", "-type", "developer", "-creator", s.Users[0].ObjectID}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var rep tenant.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	for _, i := range rep.Impacts {
		if i.After.Admission != provisioning.AdmissionNever && i.User != s.Users[0].ObjectID {
			t.Errorf("%s is admitted to another user's developer environment: %+v", i.User, i.After)
		}
	}
	if err := run([]string{"-clear-group", "-type", "developer"}, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "Creator") {
		t.Errorf("a developer environment without -creator: %v, want an error naming Creator", err)
	}
}

// An unknown environment is named, with the valid ones.
func TestUnknownEnvironmentListsTheValidOnes(t *testing.T) {
	err := run([]string{"-env", "nope"}, &bytes.Buffer{}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "sales-prod") {
		t.Errorf("run -env nope = %v, want an error naming nope and the valid IDs", err)
	}
}

// The README's sample is what whatif prints with no flags, up to the end
// of its first group of users.
func TestREADMESample(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	first := readme.Lines(text, "Assigning group")
	group := readme.Lines(text, "disable these")
	readme.Check(t, "whatif", first+"\n"+group+"...\n")
}

// Every hostile tenant file of the corpus makes the program exit non-zero
// with an error naming the file, never panic and never pass.
func TestHostileTenantFiles(t *testing.T) { clitest.HostileTenantFiles(t, run) }
