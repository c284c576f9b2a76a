package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/examples/internal/clitest"
	"github.com/provisionrules/provisionrules/examples/internal/readme"
)

// offline is what apply takes from its surroundings in a test that sends
// nothing: no token, a client that fails every request, a clock that
// never moves.
func offline() *system {
	return &system{
		getenv: func(string) string { return "" },
		client: &http.Client{Transport: refuse{}},
		now:    func() time.Time { return time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC) },
		sleep:  func(context.Context, time.Duration) error { return errors.New("a test that sends nothing slept") },
		jitter: rand.New(rand.NewPCG(1, 1)).Int64N,
		ctx:    context.Background(),
	}
}

// refuse is a transport that fails every request.
type refuse struct{}

// RoundTrip fails.
func (refuse) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("a test that sends nothing sent a request")
}

// With no arguments, apply is a dry run of the embedded sample, exits 0
// and sends nothing; the README's sample is its output in batches of 3.
func TestNoArguments(t *testing.T) {
	var out, errs bytes.Buffer
	if code := cli.Main("apply", nil, &out, &errs, offline().run); code != 0 || errs.Len() > 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out.String(), errs.String())
	}
	for _, want := range []string{
		"Environment sales-prod, background-sync plan.\nHealth check: nothing found.\n",
		"Plan: 2 create, 1 enable, 3 disable, 1 update (7 requests); nothing to write: 3 leave, 1 not-added.\n",
		"1 $batch requests of at most 100 requests each",
		"Dry run: nothing was sent.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := offline().run([]string{"-batch", "3"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s+total\s+7\s+2\s+1\s+3\s+1\s+\d+$`).MatchString(out.String()) || !strings.Contains(out.String(), "3 $batch requests of at most 3") {
		t.Errorf("batches of 3:\n%s", out.String())
	}
	readme.Check(t, "apply-dry-run", out.String())
}

// A dry run sends nothing, even with -url and the token at hand, and
// prints the batches; given a progress file, it counts what an earlier
// run did and leaves the file as it is, a torn last line included.
func TestDryRunSendsNothing(t *testing.T) {
	path := writeTenant(t, testUsers, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	before := `{"state":"done","environment":"sales-prod","user":"` + objectID(1) + `","verb":"update","request":"0000000000000000000000000000000000000000000000000000000000000000"}` + "\n" + `{"state":"do`
	if err := os.WriteFile(progress, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := h.run("-tenant", path, "-batch", "40", "-progress", progress)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	if n := h.requests(); n != 0 {
		t.Errorf("a dry run sent %d requests", n)
	}
	if after, _ := os.ReadFile(progress); string(after) != before {
		t.Errorf("a dry run changed the progress file:\n%s", after)
	}
	for _, pattern := range []string{
		`none of these requests done yet; a torn last line \(12 bytes, a crash while writing it\) ignored\.`,
		`6 \$batch requests of at most 40 requests each`,
		`(?m)^\s+1\s+40\s+10\s+10\s+10\s+10\s+\d+$`,
		`(?m)^\s+6\s+12\s+0\s+0\s+12\s+0\s+\d+$`,
		`(?m)^\s+total\s+212\s+50\s+50\s+62\s+50\s+\d+$`,
		`Dry run: nothing was sent\. -apply sends the requests to https://127\.0\.0\.1`,
	} {
		if !regexp.MustCompile(pattern).MatchString(out) {
			t.Errorf("output lacks %q:\n%s", pattern, out)
		}
	}
}

// An error finding of the health check, a plan over the disable
// threshold, and a write that cannot be made each stop apply before it
// sends anything, even with -apply: it exits non-zero and writes no
// progress file.
func TestRefusals(t *testing.T) {
	wrongTenant := writeTenantText(t, `{"tenant": "contoso", "groups": [{"id": "g-sales", "kind": "security"}],
 "environments": [{"id": "sales-prod", "rootBusinessUnit": "`+testRoot+`", "tenant": "contoso.onmicrosoft.com", "type": "production", "dataverse": true, "securityGroup": "g-sales"}],
 "users": [{"objectId": "u-1", "upn": "a@contoso.com", "enabled": true, "licenses": [{"plan": "dynamics-365", "tenant": "contoso"}], "groups": ["g-sales"]}],
 "records": {"sales-prod": [{"objectId": "u-1", "systemUserId": "9b1d5e2c-0000-4000-8000-000000000001", "upn": "a@contoso.com", "accessMode": "read-write"}]}}`)
	big := writeTenant(t, testUsers, "Seller", nil)
	noRowID := writeTenant(t, 30, "Seller", func(i int, user, record string) (string, string) {
		if i == 1 {
			record = strings.Replace(record, `"systemUserId": "`+systemUserID(1)+`", `, "", 1)
		}
		return user, record
	})
	for _, c := range []struct {
		name, tenant string
		args         []string
		stderr, out  string
	}{
		{"health check error", wrongTenant, nil, "error    CHK-TENANT", ""},
		{"disable threshold", big, []string{"-max-disables", "61"}, "the plan would disable more records than its threshold", ""},
		{"unwritable write", noRowID, nil, "1 writes of the plan cannot be made (listed above): nothing was sent",
			objectID(1) + "  update  record \"" + objectID(1) + "\": field SystemUserID = \"\": required value is missing"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t, c.tenant)
			progress := filepath.Join(t.TempDir(), "progress")
			out, errs, code := h.run(append([]string{"-tenant", c.tenant, "-apply", "-progress", progress}, c.args...)...)
			if code != 1 || !strings.Contains(errs, c.stderr) || !strings.Contains(out, c.out) {
				t.Errorf("exit %d\n%s\n%s", code, out, errs)
			}
			if n := h.requests(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
			if _, err := os.Stat(progress); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a progress file was written: %v", err)
			}
		})
	}
	// A dry run of the plan with a write that cannot be made lists it and
	// exits non-zero too: -apply would refuse.
	t.Run("unwritable write, dry run", func(t *testing.T) {
		h := newHarness(t, noRowID)
		out, errs, code := h.run("-tenant", noRowID)
		if code != 1 || !strings.Contains(out, "1 writes cannot be made, nothing is sent unless -skip-unwritable:") || !strings.Contains(errs, "1 writes of the plan cannot be made") || h.requests() != 0 {
			t.Errorf("exit %d\n%s\n%s", code, out, errs)
		}
	})
	// The same plans run once the refusal is lifted: -max-disables 62
	// allows its 62 disables, and -skip-unwritable sends the other writes.
	t.Run("lifted", func(t *testing.T) {
		h := newHarness(t, big)
		if out, errs, code := h.run("-tenant", big, "-max-disables", "62", "-apply", "-progress", filepath.Join(t.TempDir(), "progress")); code != 0 {
			t.Errorf("-max-disables 62: exit %d\n%s\n%s", code, out, errs)
		}
		h = newHarness(t, noRowID)
		out, errs, code := h.run("-tenant", noRowID, "-skip-unwritable", "-apply", "-progress", filepath.Join(t.TempDir(), "progress"))
		if code != 0 || !strings.Contains(out, "1 writes cannot be made, skipped (-skip-unwritable):") {
			t.Errorf("-skip-unwritable: exit %d\n%s\n%s", code, out, errs)
		}
		h.checkRows(planned(t, loadTenant(t, noRowID)), nil)
	})
}

// writeTenantText writes a tenant file and returns its path.
func writeTenantText(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tenant.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The token comes from DATAVERSE_TOKEN only: there is no -token flag, and
// -apply without the variable is refused before anything is read or
// sent. A token Dataverse refuses stops apply at its first request, a
// read: no write is sent.
func TestToken(t *testing.T) {
	path := writeTenant(t, 30, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	out, errs, code := h.run("-tenant", path, "-token", testToken, "-apply", "-progress", progress)
	if code != 2 || !strings.Contains(errs, "flag provided but not defined: -token") {
		t.Errorf("-token: exit %d\n%s\n%s", code, out, errs)
	}
	h.env = map[string]string{}
	out, errs, code = h.run("-tenant", path, "-apply", "-progress", progress)
	if code != 1 || !strings.Contains(errs, "-apply needs a bearer token for https://127.0.0.1") || !strings.Contains(errs, "in the environment variable DATAVERSE_TOKEN") || out != "" {
		t.Errorf("no DATAVERSE_TOKEN: exit %d\n%s\n%s", code, out, errs)
	}
	h.env = map[string]string{tokenVariable: "Bearer " + testToken}
	if out, errs, code = h.run("-tenant", path, "-apply", "-progress", progress); code != 1 || !strings.Contains(errs, "DATAVERSE_TOKEN holds a space") {
		t.Errorf("a token with a space: exit %d\n%s\n%s", code, out, errs)
	}
	h.env = map[string]string{tokenVariable: "expired"}
	out, errs, code = h.run("-tenant", path, "-apply", "-progress", progress)
	if code != 1 || !strings.Contains(errs, "401 Unauthorized (0x80072560)") || !strings.Contains(errs, "nothing was sent") {
		t.Errorf("a refused token: exit %d\n%s\n%s", code, out, errs)
	}
	h.dv.locked(func() {
		if h.dv.unauthorized != 1 || len(h.dv.received) != 0 || h.dv.batches != 0 {
			t.Errorf("%d requests refused for their token, %d writes and %d batches received; want 1, 0 and 0", h.dv.unauthorized, len(h.dv.received), h.dv.batches)
		}
	})
	h.env = map[string]string{tokenVariable: testToken}
	if out, errs, code = h.run("-tenant", path, "-apply", "-progress", progress); code != 0 {
		t.Errorf("the token: exit %d\n%s\n%s", code, out, errs)
	}
}

// Before it writes, apply reads the root business unit the tenant file
// names at -url: a URL of another environment, which has no such
// business unit, or a business unit with a parent, stops it.
func TestRootBusinessUnitChecked(t *testing.T) {
	path := writeTenant(t, 30, "Seller", nil)
	h := newHarness(t, path)
	h.dv.locked(func() { h.dv.units = map[string]string{"77777777-0000-4000-8000-000000000000": ""} })
	progress := filepath.Join(t.TempDir(), "progress")
	out, errs, code := h.run("-tenant", path, "-apply", "-progress", progress)
	if code != 1 || !strings.Contains(errs, "has no business unit "+testRoot+", the root business unit of environment sales-prod in the tenant file: is -url that environment's? Nothing was sent") {
		t.Errorf("another environment: exit %d\n%s\n%s", code, out, errs)
	}
	h.dv.locked(func() {
		h.dv.units = map[string]string{"77777777-0000-4000-8000-000000000000": "", testRoot: "77777777-0000-4000-8000-000000000000"}
	})
	out, errs, code = h.run("-tenant", path, "-apply", "-progress", progress)
	if code != 1 || !strings.Contains(errs, "has a parent (77777777-0000-4000-8000-000000000000): it is not the root business unit") {
		t.Errorf("a child business unit: exit %d\n%s\n%s", code, out, errs)
	}
	h.dv.locked(func() {
		if len(h.dv.received) != 0 || h.dv.batches != 0 || h.dv.gets != 2 {
			t.Errorf("%d writes, %d batches and %d reads received; want 0, 0 and 2", len(h.dv.received), h.dv.batches, h.dv.gets)
		}
	})
	if _, err := os.Stat(progress); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a progress file was written: %v", err)
	}
}

// Command lines that cannot run are usage errors (exit 2), refused before
// anything is read.
func TestUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-tenant", "../plan/tenant.json"}, "the tenant has 5 environments: -env names the one to apply the plan to (crew-teams, dev-pat, eval-trial, hr-sandbox, sales-prod)"},
		{[]string{"-env", "hr"}, `-env "hr": the tenant has no such environment; it has sales-prod`},
		{[]string{"-apply", "-progress", "p"}, "-apply needs -url"},
		{[]string{"-apply", "-url", "https://contoso.crm.dynamics.com"}, "-apply needs -progress FILE"},
		{[]string{"-url", "http://contoso.crm.dynamics.com"}, "the URL of an environment is https"},
		{[]string{"-url", "https://contoso.crm.dynamics.com/api/data/v9.2"}, "give the environment's URL alone"},
		{[]string{"-batch", "1001"}, "-batch 1001: a $batch holds 1 to 1000 requests"},
		{[]string{"-batch", "0"}, "-batch 0: a $batch holds 1 to 1000 requests"},
		{[]string{"-attempts", "0"}, "-attempts 0: a request is sent at least once"},
	} {
		var out, errs bytes.Buffer
		if code := cli.Main("apply", c.args, &out, &errs, offline().run); code != 2 || !strings.Contains(errs.String(), c.want) {
			t.Errorf("%v: exit %d, %q", c.args, code, errs.String())
		}
	}
	var out bytes.Buffer
	if err := offline().run([]string{"-tenant", "../plan/tenant.json", "-env", "sales-prod"}, &out, io.Discard); err != nil || !strings.Contains(out.String(), "Environment sales-prod, background-sync plan.") {
		t.Errorf("-env sales-prod of examples/plan's tenant: %v\n%s", err, out.String())
	}
}

// A progress file that is not apply's (a line it did not write) stops
// apply before it sends anything.
func TestProgressFileNotApplys(t *testing.T) {
	path := writeTenant(t, 30, "Seller", nil)
	h := newHarness(t, path)
	progress := filepath.Join(t.TempDir(), "progress")
	if err := os.WriteFile(progress, []byte("u-ana done\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := h.run("-tenant", path, "-apply", "-progress", progress)
	if code != 1 || !strings.Contains(errs, "line 1: invalid character 'u'") || !strings.Contains(errs, "it is not a progress file of apply, or was edited: nothing is sent") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
	if n := h.requests(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// Every hostile tenant file of the corpus makes apply exit non-zero with
// an error naming the file or a finding of the health check, never panic
// and never pass.
func TestHostileTenantFiles(t *testing.T) { clitest.HostileTenantFiles(t, offline().run) }
