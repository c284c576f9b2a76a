package main

import (
	"errors"

	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/cli"

	"github.com/provisionrules/provisionrules/examples/internal/clitest"
	"github.com/provisionrules/provisionrules/examples/internal/readme"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/usertype"
)

// The sample holds what the issue asks for: at least four environments with
// records, among them application, non-interactive, support,
// delegated-admin and stub records.
func TestSampleTenantShape(t *testing.T) {
	s, err := loadSample(sampleTenant)
	if err != nil {
		t.Fatal(err)
	}
	withRecords := 0
	kinds := map[usertype.Kind]bool{}
	for _, records := range s.Records {
		if len(records) > 0 {
			withRecords++
		}
		for _, r := range records {
			k, err := r.Kind()
			if err != nil {
				t.Fatal(err)
			}
			kinds[k] = true
		}
	}
	if withRecords < 4 {
		t.Errorf("%d environments with records, want at least 4", withRecords)
	}
	for _, k := range []usertype.Kind{usertype.KindApplication, usertype.KindNonInteractive, usertype.KindSupport, usertype.KindDelegatedAdmin, usertype.KindStub} {
		if !kinds[k] {
			t.Errorf("no %s record in the sample", k)
		}
	}
}

func TestReport(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{
		`(?m)^\s+total(\s+\d+){7}\s*$`,
		`sales-prod\s+ben@contoso\.com\s+disable\s+read-write\s+SG-MEMBER,SG-NESTED,LIFE-NEVER-DELETE,LIFE-DISABLE`,
		`sales-prod\s+old@contoso\.com\s+disable\s.*LIFE-MATCH`,
		`sales-prod\s+former.rep@contoso.com\s+leave\s.*UT-STUB,LIFE-NOT-SYNCED`,
		`hr-sandbox\s+hal@contoso\.com\s+enable\s.*LIFE-ENABLE-ON-ACCESS`,
		`hr-sandbox\s+gus@contoso\.com\s+disable\s.*DIR-ENABLED`,
		`hr-sandbox\s+eva@contoso\.com\s+\w+\s+read\s.*MODE-KEEP`,
		`eval-trial\s+ben@contoso\.com\s+not-added\s+-\s+ENV-TRIAL`,
	} {
		if !regexp.MustCompile(pattern).MatchString(out.String()) {
			t.Errorf("report lacks %q:\n%s", pattern, out.String())
		}
	}
}

// The JSON lines are the plan's actions, every one with its environment,
// user, verb and rules.
func TestJSON(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json", "-trigger", "first-access"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	s, _ := loadSample(sampleTenant)
	b, err := tenant.Plan(s, provisioning.FirstAccess, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&out)
	n := 0
	for sc.Scan() {
		var a struct {
			User, Environment, Verb string
			Rules                   provisioning.RuleSet
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		want := b.Actions[n]
		if a.User != want.User || a.Environment != want.Environment || a.Verb != want.Verb.String() || a.Rules != want.Rules {
			t.Fatalf("line %d = %s, want %+v", n+1, sc.Text(), want)
		}
		n++
	}
	if n != len(b.Actions) {
		t.Errorf("%d lines, want %d", n, len(b.Actions))
	}
}

func TestUnknownTrigger(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-trigger", "cron"}, &out, io.Discard); err == nil || !strings.Contains(err.Error(), "cron") {
		t.Errorf("run = %v, want an error naming cron", err)
	}
}

// load reads a tenant file as -tenant does.
func loadSample(data []byte) (*tenant.Snapshot, error) {
	return load.Read(load.Files{Tenant: load.Source{Name: "the sample", Reader: bytes.NewReader(data)}})
}

// Every action that writes carries the Web API request that applies it,
// or says why it has none: a POST of the row for a create, a PATCH of
// isdisabled for a disable, each to an address. The sample's records of
// sales-prod carry their systemuserid, as a Dataverse export does; the
// others do not, so their writes say that they lack it.
func TestJSONRequests(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"-json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var a struct {
			Verb    string
			Request *struct {
				Method, Path, ObjectID string
				Body                   map[string]any
			}
			RequestError string
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		writes := a.Verb == "create" || a.Verb == "enable" || a.Verb == "disable" || a.Verb == "update"
		if writes != (a.Request != nil || a.RequestError != "") || (a.Request != nil && a.RequestError != "") {
			t.Fatalf("%s action with request %v and request error %q", a.Verb, a.Request, a.RequestError)
		}
		switch {
		case a.RequestError != "":
			if a.Verb == "create" || !strings.Contains(a.RequestError, "field SystemUserID") {
				t.Errorf("%s without a request: %s", a.Verb, sc.Text())
			}
		case a.Request == nil:
		case a.Request.Path == "":
			t.Errorf("request without a path: %s", sc.Text())
		case a.Verb == "create":
			if a.Request.Method != "POST" || a.Request.Path != "systemusers" || a.Request.Body["azureactivedirectoryobjectid"] != a.Request.ObjectID {
				t.Errorf("create request: %s", sc.Text())
			}
		case a.Verb == "disable":
			if a.Request.Method != "PATCH" || a.Request.Body["isdisabled"] != true {
				t.Errorf("disable request: %s", sc.Text())
			}
		}
		seen[a.Verb] = seen[a.Verb] || a.Request != nil
		seen["request error"] = seen["request error"] || a.RequestError != ""
	}
	if !seen["create"] || !seen["disable"] || !seen["update"] || !seen["request error"] {
		t.Errorf("the sample's plan has no create, disable or update with its request, or no write without one: %v", seen)
	}
}

// -deletable prints the deletion report of the sample: what can be
// deleted now, and for blocked disabled records the rule and the fix.
func TestDeletable(t *testing.T) { // DEL-SOFT, DEL-PERMANENT
	var out bytes.Buffer
	if err := run([]string{"-deletable"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{
		`(?m)^3 records can be soft-deleted now, 1 permanently deleted now`,
		`sales-prod\s+u-kai\s+soft-delete\s+allowed`,
		`sales-prod\s+u-max\s+permanent-delete\s+allowed`,
		`sales-prod u-lou \(permanent-delete\):\n\s+DEL-PERMANENT: the user still owns 12 records\n\s+fix: reassign the 12 records this user owns`,
		`hr-sandbox u-lou \(permanent-delete\):\n\s+DEL-PERMANENT: .*\n\s+fix: turn on Enable delete disabled users`,
		`hr-sandbox u-hal \(soft-delete\):\n\s+DEL-SOFT: directory user u-hal exists`,
	} {
		if !regexp.MustCompile(pattern).MatchString(out.String()) {
			t.Errorf("report lacks %q:\n%s", pattern, out.String())
		}
	}
	if strings.Contains(out.String(), "crmoln@microsoft.com") {
		t.Errorf("the support record is listed:\n%s", out.String())
	}
}

// The README's samples are what plan prints: the totals and a few lines,
// three JSON lines (a create, a disable, and an enable of a record without
// its systemuserid), and the deletion report.
func TestREADMESamples(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	sample := readme.Lines(text, "background-sync plan") + "\n" + keep(readme.Lines(text, "ENVIRONMENT"),
		"ENVIRONMENT", "sales-prod   ben@contoso.com ", "sales-prod   old@contoso.com ", "sales-prod   former.rep", "hr-sandbox   hal@contoso.com ",
		"hr-sandbox   etl@contoso.com ", "eval-trial   ben@contoso.com ", "sales-prod   crmoln@", "hr-sandbox   lou@contoso.com ") + "...\n"
	readme.Check(t, "plan", sample)

	out.Reset()
	if err := run([]string{"-json"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	readme.Check(t, "plan-json", keep(out.String(), `"user":"u-pat","environment":"dev-pat"`,
		`"user":"u-ben","environment":"sales-prod"`, `"user":"u-hal","environment":"hr-sandbox"`))

	out.Reset()
	if err := run([]string{"-deletable"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	readme.Check(t, "plan-deletable", out.String())

	out.Reset()
	if err := run([]string{"-check", "-tenant", "testdata/mistakes.json"}, &out, io.Discard); err == nil {
		t.Error("-check of a tenant with error findings exited 0")
	}
	readme.Check(t, "plan-check", out.String())
}

// -check prints the health check alone, exits non-zero on an error
// finding and zero on warnings only; every other run prints it on
// standard error first and plans nothing on an error finding, unless
// -accept says the findings were read.
func TestHealthCheck(t *testing.T) {
	var out, errs bytes.Buffer
	if err := run([]string{"-check"}, &out, &errs); err != nil || !strings.Contains(out.String(), "Health check: 0 errors, 1 warning.") || errs.Len() > 0 {
		t.Errorf("-check of the sample: %v, %q, %q", err, out.String(), errs.String())
	}
	out.Reset()
	errs.Reset()
	err := run([]string{"-tenant", "testdata/mistakes.json", "-json"}, &out, &errs)
	if err == nil || out.Len() > 0 || !strings.Contains(errs.String(), "error    CHK-TENANT") {
		t.Errorf("a plan of a tenant with error findings: %v, stdout %q, stderr %q", err, out.String(), errs.String())
	}
	out.Reset()
	if err := run([]string{"-tenant", "testdata/mistakes.json", "-accept", "-json"}, &out, io.Discard); err != nil || out.Len() == 0 {
		t.Errorf("-accept: %v, %d bytes", err, out.Len())
	}
	if err := run([]string{"-tenant", "testdata/mistakes.json", "-accept", "-max-disables", "1"}, io.Discard, io.Discard); !errors.Is(err, tenant.ErrDisableThreshold) {
		t.Errorf("-max-disables 1 with 2 disables: %v", err)
	}
}

// Flags that ask for things that cannot be done together are refused.
func TestContradictoryFlags(t *testing.T) {
	for _, args := range [][]string{{"-deletable", "-trigger", "first-access"}, {"-check", "-json"}, {"-deletable", "-json"}, {"-check", "-trigger", "admin-api"}} {
		var errs bytes.Buffer
		if code := cli.Main("plan", args, io.Discard, &errs, run); code != 2 || !strings.Contains(errs.String(), "cannot be used together") {
			t.Errorf("%v: exit %d, %q", args, code, errs.String())
		}
	}
}

// keep returns the lines of text that hold one of want, in order.
func keep(text string, want ...string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		for _, w := range want {
			if strings.Contains(line, w) {
				b.WriteString(line)
				break
			}
		}
	}
	return b.String()
}

// Every hostile tenant file of the corpus makes the program exit non-zero
// with an error naming the file, never panic and never pass.
func TestHostileTenantFiles(t *testing.T) { clitest.HostileTenantFiles(t, run) }
