package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/clitest"
	"github.com/provisionrules/provisionrules/examples/internal/readme"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

func TestSampleTenantShape(t *testing.T) {
	tn, err := loadSample(sampleTenant)
	if err != nil {
		t.Fatal(err)
	}
	if len(tn.Users) < 30 {
		t.Errorf("sample has %d users, want at least 30", len(tn.Users))
	}
	types := map[provisioning.EnvironmentType]bool{}
	for _, env := range tn.Environments {
		types[env.Type] = true
	}
	for _, typ := range provisioning.EnvironmentTypes() {
		if !types[typ] {
			t.Errorf("sample has no %s environment", typ)
		}
	}
}

// The sample touches every rule of the sections "Admission" and "Access
// mode on admission": each one decides (passes, fails or limits) at least
// one user somewhere.
func TestSampleTouchesEveryRule(t *testing.T) {
	tn, err := loadSample(sampleTenant)
	if err != nil {
		t.Fatal(err)
	}
	touched := map[provisioning.Rule]bool{}
	for _, env := range tn.Environments {
		for _, u := range tn.Users {
			d := indexRecords(tn).evaluate(&u, &env)
			for _, r := range provisioning.Rules() {
				info := r.Info()
				if o := d.Outcome(info.Rule); o == provisioning.OutcomePassed || o == provisioning.OutcomeFailed || o == provisioning.OutcomePassedOnDemand {
					touched[info.Rule] = true
				}
			}
		}
	}
	for _, r := range provisioning.Rules() {
		info := r.Info()
		if (info.Section == "Admission" || info.Section == "Access mode on admission") && !touched[info.Rule] {
			t.Errorf("the sample never exercises %s", info.ID)
		}
	}
}

func TestTable(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	tn, _ := loadSample(sampleTenant)
	if want := 1 + len(tn.Users)*len(tn.Environments); len(lines) != want {
		t.Fatalf("table has %d lines, want %d", len(lines), want)
	}
	// A guest whose only license was assigned in its home tenant.
	if !containsLine(lines, "sales-prod", "jon_fabrikam.com#EXT#@contoso.com", "never", "LIC-GUEST-TENANT") {
		t.Errorf("no refusal of jon by LIC-GUEST-TENANT in:\n%s", out.String())
	}
	// Nobody is admitted to the environment without Dataverse.
	for _, l := range lines {
		if strings.HasPrefix(l, "web-portal ") && !strings.Contains(l, "ENV-DATAVERSE") {
			t.Errorf("web-portal row without ENV-DATAVERSE: %s", l)
		}
	}
}

func containsLine(lines []string, parts ...string) bool {
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) > 0 && f[0] == parts[0] && f[1] == parts[1] && f[2] == parts[2] && strings.Contains(l, parts[3]) {
			return true
		}
	}
	return false
}

func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	n := 0
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d struct {
			User, Environment, Admission string
			Checks                       []struct{ Rule, Outcome, Reason string }
		}
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		if d.User == "" || d.Environment == "" || d.Admission == "" || len(d.Checks) == 0 {
			t.Fatalf("line %d lacks a field: %s", n+1, sc.Text())
		}
		n++
	}
	tn, _ := loadSample(sampleTenant)
	if n != len(tn.Users)*len(tn.Environments) {
		t.Errorf("%d JSON lines, want %d", n, len(tn.Users)*len(tn.Environments))
	}
}

func TestExplain(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-explain", "ben@contoso.com"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ben@contoso.com in sales-prod: never", "SG-NESTED", "fix: add the user directly to group g-sales"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("explanation lacks %q:\n%s", want, out.String())
		}
	}
	if err := run([]string{"-explain", "nobody@contoso.com"}, &out, io.Discard); err == nil {
		t.Error("no error for an unknown user")
	}
}

func TestLoadRejectsMalformed(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"unknown type", `{"environments":[{"id":"e","tenant":"t","type":"castle"}]}`, "castle"},
		{"missing tenant", `{"environments":[{"id":"e","type":"production"}]}`, `environments[0].tenant: the required field "tenant" is missing`},
		{"unknown plan", `{"users":[{"objectId":"u","upn":"u@x","licenses":[{"plan":"gold","tenant":"t"}]}]}`, "gold"},
		{"unknown field", `{"users":[{"objectId":"u","upn":"u@x","colour":"red"}]}`, "colour"},
		{"record of no environment", `{"environments":[],"records":{"nowhere":[]}}`, "nowhere"},
		{"no environments", `{"users":[]}`, `environments: the required field "environments" is missing`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadSample([]byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("load = %v, want an error naming %q", err, c.want)
			}
		})
	}
}

// -graph and -dataverse read the exports of the wire package's testdata,
// with testdata/contoso-tenant.json, the tenant file of their tenant.
func TestExports(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{
		"-tenant", "testdata/contoso-tenant.json",
		"-graph", "../../provisioning/wire/testdata/directory.json",
		"-dataverse", "../../provisioning/wire/testdata/dataverse.json",
	}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if want := 1 + 5*2; len(lines) != want { // 4 users and a service principal, 2 environments
		t.Fatalf("%d lines, want %d:\n%s", len(lines), want, out.String())
	}
	// Adele holds a Dynamics 365 license and is a direct member of group
	// 02bd9fd6-..., sales-prod's security group: the background sync adds
	// her (LIC-REQUIRED, SG-MEMBER); eval-trial adds her on demand only
	// (ENV-TRIAL).
	if !containsLine(lines, "sales-prod", "AdeleV@contoso.com", "automatic", "-") ||
		!containsLine(lines, "eval-trial", "AdeleV@contoso.com", "on-demand", "-") {
		t.Errorf("unexpected decisions for Adele:\n%s", out.String())
	}
	if err := run([]string{"-graph", "../../provisioning/wire/testdata/directory.json"}, &bytes.Buffer{}, io.Discard); err == nil || !strings.Contains(err.Error(), "need -tenant") {
		t.Errorf("an export with the sample's environments: %v, want it refused", err)
	}
	if err := run([]string{"-tenant", "testdata/contoso-tenant.json", "-dataverse", "../../provisioning/wire/testdata/users.json"}, &bytes.Buffer{}, io.Discard); err == nil {
		t.Error("no error for a file that is not a Dataverse export")
	}
}

// load reads a tenant file as -tenant does.
func loadSample(data []byte) (*tenant.Snapshot, error) {
	return load.Read(load.Files{Tenant: load.Source{Name: "the sample", Reader: bytes.NewReader(data)}})
}

// The README's samples of -explain are what it prints, the checks that do
// not apply left out.
func TestREADMESamples(t *testing.T) {
	for _, c := range []struct{ sample, user, env string }{
		{"evaluate-explain-ben", "ben@contoso.com", "sales-prod"},
		{"evaluate-explain-cat", "cat@contoso.com", "hr-sandbox"},
		{"evaluate-explain-dex", "dex@contoso.com", "hr-sandbox"},
	} {
		var out bytes.Buffer
		if err := run([]string{"-explain", c.user}, &out, io.Discard); err != nil {
			t.Fatal(err)
		}
		block := readme.Lines(out.String(), c.user+" in "+c.env+":")
		if block == "" {
			t.Fatalf("no block for %s in %s:\n%s", c.user, c.env, out.String())
		}
		readme.Check(t, c.sample, readme.Without(block, "    n/a "))
	}
}

// Every hostile tenant file of the corpus makes the program exit non-zero
// with an error naming the file, never panic and never pass.
func TestHostileTenantFiles(t *testing.T) { clitest.HostileTenantFiles(t, run) }
