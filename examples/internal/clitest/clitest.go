// Package clitest holds the checks every example program's tests share.
package clitest

import (
	"bytes"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
)

// finding is a line of an error finding, as cli.PrintFindings writes it.
var finding = regexp.MustCompile(`(?m)^error\s+CHK-`)

// HostileTenantFiles runs the example whose run is given on every hostile
// tenant file of the shared corpus (examples/internal/cli/testdata/hostile),
// as -tenant, and on a Dataverse export of another tenant, and fails t
// unless each makes it exit non-zero with an error naming the file, or
// with a finding of the health check (a CHK rule): never a panic, never a
// pass. Call it from a test of an example's own folder.
func HostileTenantFiles(t *testing.T, run func(args []string, out, errOut io.Writer) error) {
	t.Helper()
	files, err := filepath.Glob("../internal/cli/testdata/hostile/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile files: %v", err)
	}
	var runs [][]string
	for _, f := range files {
		runs = append(runs, []string{"-tenant", f})
	}
	runs = append(runs, []string{"-tenant", "../internal/cli/testdata/foreign/tenant.json", "-dataverse", "../internal/cli/testdata/foreign/dataverse.json"})
	for _, args := range runs {
		var out, errs bytes.Buffer
		code := cli.Main("example", args, &out, &errs, run)
		named := strings.Contains(errs.String(), filepath.Base(args[1])) || finding.MatchString(errs.String())
		if code == 0 || !named {
			t.Errorf("%s: exit %d, stderr %q", strings.Join(args, " "), code, errs.String())
		}
	}
}
