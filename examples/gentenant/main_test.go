package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// The command's exports read back with package wire.
func TestExportsReadBack(t *testing.T) {
	var graph, dataverse bytes.Buffer
	if err := run([]string{"-users", "300", "-seed", "9"}, &graph); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-users", "300", "-seed", "9", "-dataverse", "sales-prod", "-share", "50"}, &dataverse); err != nil {
		t.Fatal(err)
	}
	d, err := wire.DecodeDirectory(&graph)
	if err != nil || len(d.Users) < 300 {
		t.Fatalf("Graph export: %v, %v users", err, len(d.Users))
	}
	x, err := wire.DecodeDataverseExport(&dataverse)
	if err != nil || x.Environment != "sales-prod" || len(x.Records) == 0 {
		t.Fatalf("Dataverse export: %v, %q, %d records", err, x.Environment, len(x.Records))
	}
	if err := run([]string{"-users", "-1"}, &bytes.Buffer{}); err == nil {
		t.Error("no error for -users -1")
	}
}

// The command links neither rapid nor the testing package, whose flags
// would otherwise show in its help: built with go build, its -h lists no
// -rapid flag, and go list -deps names neither package.
func TestBuildLinksNoTestCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	bin := filepath.Join(t.TempDir(), "gentenant")
	if out, err := exec.Command(goCmd, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	help, err := exec.Command(bin, "-h").CombinedOutput()
	if err != nil {
		t.Fatalf("gentenant -h: %v\n%s", err, help)
	}
	if !bytes.Contains(help, []byte("-users")) || bytes.Contains(help, []byte("rapid")) {
		t.Errorf("gentenant -h, want its own flags and no -rapid flag:\n%s", help)
	}
	deps, err := exec.Command(goCmd, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	list := strings.Fields(string(deps))
	if !slices.Contains(list, "github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen") {
		t.Errorf("go list -deps does not list tenantgen: is the test listing the right package?\n%s", deps)
	}
	for _, p := range []string{"pgregory.net/rapid", "testing"} {
		if slices.Contains(list, p) {
			t.Errorf("gentenant depends on %s", p)
		}
	}
}
