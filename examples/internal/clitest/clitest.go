// Package clitest holds the checks every example program's tests share.
package clitest

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
)

// HostileTenantFiles runs the example whose run is given on every hostile
// tenant file of the shared corpus (examples/internal/cli/testdata/hostile),
// as -tenant, and fails t unless each makes it exit non-zero with an error
// naming the file: never a panic, never a pass. Call it from a test of an
// example's own folder.
func HostileTenantFiles(t *testing.T, run func(args []string, out, errOut io.Writer) error) {
	t.Helper()
	files, err := filepath.Glob("../internal/cli/testdata/hostile/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no hostile files: %v", err)
	}
	for _, f := range files {
		var out, errs bytes.Buffer
		if code := cli.Main("example", []string{"-tenant", f}, &out, &errs, run); code == 0 || !strings.Contains(errs.String(), filepath.Base(f)) {
			t.Errorf("%s: exit %d, stderr %q", f, code, errs.String())
		}
	}
}
