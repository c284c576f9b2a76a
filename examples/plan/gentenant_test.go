package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/gentenant"
)

// What gentenant writes plans as it is, with no editing: its Graph export
// and, with -environments, its tenant file, read by
//
//	go run ./examples/plan -tenant envs.json -graph tenant.json
//
// (and with -dataverse, its Dataverse export of prod), give a plan of the
// three environments with users created in each and, from prod's records,
// records left and disabled.
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
	write(prod, "-users", "200", "-dataverse", "prod")
	var out bytes.Buffer
	if err := run([]string{"-tenant", envs, "-graph", graph}, &out, io.Discard); err != nil {
		t.Fatalf("plan -tenant envs.json -graph tenant.json: %v", err)
	}
	for _, env := range []string{"prod", "sandbox", "dev"} {
		// The totals line of each environment: create, enable, disable,
		// update, leave, refuse; some users created.
		if !regexp.MustCompile(`(?m)^\s+` + env + `\s+[1-9]\d*(\s+\d+){5}\s*$`).Match(out.Bytes()) {
			t.Errorf("no users created in %s:\n%.2000s", env, out.String())
		}
	}
	out.Reset()
	if err := run([]string{"-tenant", envs, "-graph", graph, "-dataverse", prod}, &out, io.Discard); err != nil {
		t.Fatalf("plan -tenant envs.json -graph tenant.json -dataverse prod.json: %v", err)
	}
	if !regexp.MustCompile(`(?m)^\s+prod(\s+\d+){2}\s+[1-9]\d*\s+\d+\s+[1-9]\d*\s+\d+\s*$`).Match(out.Bytes()) {
		t.Errorf("no record of prod disabled and left:\n%.2000s", out.String())
	}
}
