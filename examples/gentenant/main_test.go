package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The command links neither rapid nor the testing package, whose flags
// would otherwise show in its help: built with go build, its -h lists no
// -rapid flag, and go list -deps names neither package.
func TestBuildLinksNoTestCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("no go command:", err)
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
