package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/examples/internal/clitest"
	"github.com/provisionrules/provisionrules/examples/internal/readme"
	"github.com/provisionrules/provisionrules/provisioning"
)

// The embedded pages make the six outcomes the sample is for, each with
// the rule that decides it.
func TestActions(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, pattern string }{
		{"u-ana's job title changed", `(?m)^sales-prod\s+ana@contoso\.com\s+update\s+PATCH systemusers\(50000000-0000-4000-8000-000000000001\)\s`},
		{"u-ben soft-deleted", `(?m)^sales-prod\s+ben@contoso\.com\s+disable\s+PATCH \S+\s+\S*DEL-DIRECTORY`},
		{"u-ben soft-deleted, in every environment", `(?m)^hr-sandbox\s+ben@contoso\.com\s+disable\s+PATCH \S+\s+\S*DEL-DIRECTORY`},
		{"u-gus restored", `(?m)^hr-sandbox\s+gus@contoso\.com\s+enable\s+PATCH \S+\s+\S*LIFE-ENABLE-ON-ACCESS`},
		{"u-dan deleted for good", `(?m)^sales-prod\s+dan@contoso\.com\s+disable\s+PATCH \S+\s+\S*LIFE-MATCH`},
		{"u-new licensed by SKU ID and added to g-sales", `(?m)^sales-prod\s+noor@contoso\.com\s+create\s+POST systemusers\s+\S*LIC-REQUIRED,SG-MEMBER`},
		{"u-eva removed from g-sales", `(?m)^sales-prod\s+eva@contoso\.com\s+disable\s+PATCH \S+\s+SG-MEMBER`},
		{"the counts", `(?m)^6 users changed: 1 added, 1 gone\. Ignored, about users the tenant does not hold: 1 change\.$`},
		{"the users' delta link", `(?m)^\s+users\s+https://graph\.microsoft\.com/v1\.0/users/delta\?\$deltatoken=`},
		{"the groups' delta link", `(?m)^\s+groups\s+https://graph\.microsoft\.com/v1\.0/groups/delta\?\$deltatoken=`},
	} {
		if !regexp.MustCompile(c.pattern).MatchString(out.String()) {
			t.Errorf("%s: no line matches %q:\n%s", c.what, c.pattern, out.String())
		}
	}
	// u-dan has no record in hr-sandbox, and nobody else changed.
	if strings.Contains(out.String(), "hr-sandbox   dan@contoso.com") {
		t.Errorf("an action for u-dan in hr-sandbox:\n%s", out.String())
	}
}

// Each JSON line is one action, with its environment, user, verb and
// rules, in the order of the table.
func TestJSON(t *testing.T) {
	var text, lines bytes.Buffer
	if err := run(nil, &text, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-json"}, &lines, io.Discard); err != nil {
		t.Fatal(err)
	}
	var rows []string // environment, verb and rules of each table row
	for _, line := range strings.Split(readme.Lines(text.String(), "ENVIRONMENT"), "\n")[1:] {
		if f := strings.Fields(line); len(f) >= 5 {
			rows = append(rows, strings.Join([]string{f[0], f[2], f[len(f)-1]}, " "))
		}
	}
	sc := bufio.NewScanner(&lines)
	n := 0
	for ; sc.Scan(); n++ {
		var a struct {
			User, Environment, Verb string
			Rules                   provisioning.RuleSet
			Columns                 []string
			Request                 *struct{ Method, Path string }
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("line %d: %v: %s", n+1, err, sc.Text())
		}
		if a.User == "u-ana" && a.Environment == "sales-prod" && (!slices.Equal(a.Columns, []string{"jobtitle"}) || a.Request == nil || a.Request.Method != "PATCH") {
			t.Errorf("u-ana's update writes %v with request %+v, want her job title alone, patched", a.Columns, a.Request)
		}
		if (a.Verb == "not-added" || a.Verb == "leave") != (a.Request == nil) {
			t.Errorf("line %d: %s with request %+v", n+1, a.Verb, a.Request)
		}
		if n >= len(rows) || rows[n] != strings.Join([]string{a.Environment, a.Verb, a.Rules.String()}, " ") {
			t.Fatalf("line %d = %s, want the table's row %d", n+1, sc.Text(), n+1)
		}
	}
	if n != len(rows) || n == 0 {
		t.Errorf("%d JSON lines, %d table rows", n, len(rows))
	}
}

func TestHelp(t *testing.T) {
	var out, errs bytes.Buffer
	if code := cli.Main("delta", []string{"-h"}, &out, &errs, run); code != 0 || !strings.Contains(out.String(), "-users") || errs.Len() > 0 {
		t.Errorf("-h: exit %d, stdout %q, stderr %q", code, out.String(), errs.String())
	}
	if code := cli.Main("delta", []string{"-users"}, &out, &errs, run); code != 2 {
		t.Errorf("-users without a file: exit %d, want 2", code)
	}
}

// Pages given by file replace both embedded pages: with only a users/delta
// page, no membership changes.
func TestPageFiles(t *testing.T) {
	dir := t.TempDir()
	users := filepath.Join(dir, "users.json")
	if err := os.WriteFile(users, []byte(`{"@odata.deltaLink":"https://graph.microsoft.com/v1.0/users/delta?$deltatoken=next",
	  "value":[{"id":"u-eva","accountEnabled":false}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run([]string{"-users", users}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, pattern := range []string{
		`(?m)^1 user changed: 0 added, 0 gone\. Ignored, about users the tenant does not hold: 0 changes\.$`,
		`(?m)^\s+users\s+https://graph\.microsoft\.com/v1\.0/users/delta\?\$deltatoken=next$`,
		`(?m)^\s+groups\s+\(none`,
		`(?m)^sales-prod\s+eva@contoso\.com\s+disable\s+PATCH \S+\s+DIR-ENABLED`,
		`(?m)^hr-sandbox\s+eva@contoso\.com\s+disable\s+PATCH \S+\s+DIR-ENABLED`,
	} {
		if !regexp.MustCompile(pattern).MatchString(out.String()) {
			t.Errorf("output lacks %q:\n%s", pattern, out.String())
		}
	}
	// A user on two pages is refused: one delta takes each user once.
	if err := run([]string{"-users", users, "-users", users}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "u-eva") {
		t.Errorf("a user on two pages: %v, want an error naming the user", err)
	}
	// A group deleted is refused: this program does not apply it.
	groups := filepath.Join(dir, "groups.json")
	if err := os.WriteFile(groups, []byte(`{"value":[{"id":"g-hr","@removed":{"reason":"deleted"}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-groups", groups}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "g-hr") {
		t.Errorf("a group deletion: %v, want an error naming the group", err)
	}
}

// Every hostile tenant file of the corpus makes the program exit non-zero
// with an error naming the file, never panic and never pass.
func TestHostileTenantFiles(t *testing.T) { clitest.HostileTenantFiles(t, run) }

// Every hostile delta page of package wire's corpus, given as the kind of
// page it is, makes the program exit non-zero naming the file.
func TestHostileDeltaPages(t *testing.T) {
	for flag, kind := range map[string]string{"-users": "users-delta", "-groups": "groups-delta"} {
		files, err := filepath.Glob(filepath.Join("..", "..", "provisioning", "wire", "testdata", "hostile", kind, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no hostile %s files: %v", kind, err)
		}
		for _, f := range files {
			var out, errs bytes.Buffer
			if code := cli.Main("delta", []string{flag, f}, &out, &errs, run); code != 1 || !strings.Contains(errs.String(), filepath.Base(f)) {
				t.Errorf("%s %s: exit %d, stderr %q", flag, f, code, errs.String())
			}
		}
	}
}

// The README's sample is what delta prints.
func TestREADMESample(t *testing.T) {
	var out bytes.Buffer
	if err := run(nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	readme.Check(t, "delta", out.String())
}
