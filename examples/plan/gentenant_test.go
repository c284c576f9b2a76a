package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/gentenant"
)

// What gentenant writes plans as it is, with no editing: its Graph export
// and, with -environments, its tenant file, read by
//
//	go run ./examples/plan -tenant envs.json -graph tenant.json
//
// (and with -dataverse, its Dataverse export of prod), give a plan of the
// three environments with users created in each and no pair in error and,
// from prod's records, records left and disabled. (The export of prod is
// written with -stale 1000, everything changed since the last sync, so
// that a tenant this small has records to disable: its orphaned record
// that is not soft-deleted is then enabled.)
func TestPlansGentenantOutput(t *testing.T) {
	dir := t.TempDir()
	graph, envs, prod := filepath.Join(dir, "tenant.json"), filepath.Join(dir, "envs.json"), filepath.Join(dir, "prod.json")
	write := func(path string, args ...string) {
		t.Helper()
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := gentenant.Run(args, f, io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	write(graph, "-users", "200", "-environments", envs)
	write(prod, "-users", "200", "-dataverse", "prod", "-stale", "1000")
	var out bytes.Buffer
	if err := run([]string{"-tenant", envs, "-graph", graph}, &out, io.Discard); err != nil {
		t.Fatalf("plan -tenant envs.json -graph tenant.json: %v", err)
	}
	counts := totals(t, out.String())
	for _, env := range []string{"prod", "sandbox", "dev"} {
		if counts[env]["create"] == 0 || counts[env]["errors"] != 0 {
			t.Errorf("%s: %v, want users created and no error:\n%.2000s", env, counts[env], out.String())
		}
	}
	out.Reset()
	if err := run([]string{"-tenant", envs, "-graph", graph, "-dataverse", prod}, &out, io.Discard); err != nil {
		t.Fatalf("plan -tenant envs.json -graph tenant.json -dataverse prod.json: %v", err)
	}
	if c := totals(t, out.String())["prod"]; c["disable"] == 0 || c["leave"] == 0 || c["errors"] != 0 {
		t.Errorf("prod: %v, want records disabled and left, and no error:\n%.2000s", c, out.String())
	}
}

// totals reads the table of totals that plan prints first: by
// environment, each column's count by the column's name.
func totals(t *testing.T, out string) map[string]map[string]int {
	t.Helper()
	lines := strings.Split(out, "\n")
	header := strings.Fields(lines[0])
	if len(header) < 3 || header[1] != "plan" {
		t.Fatalf("no table of totals:\n%.500s", out)
	}
	names := header[2:]
	counts := map[string]map[string]int{}
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) != len(names)+1 {
			break
		}
		counts[f[0]] = map[string]int{}
		for i, name := range names {
			n, err := strconv.Atoi(f[i+1])
			if err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			counts[f[0]][name] = n
		}
	}
	return counts
}
