package gentenant_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/examples/internal/gentenant"
	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// The command's exports read back with package wire.
func TestExportsReadBack(t *testing.T) {
	var graph, dataverse bytes.Buffer
	if err := gentenant.Run([]string{"-users", "300", "-seed", "9"}, &graph, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := gentenant.Run([]string{"-users", "300", "-seed", "9", "-dataverse", "prod", "-stale", "50"}, &dataverse, io.Discard); err != nil {
		t.Fatal(err)
	}
	d, err := wire.ReadDirectory(&graph, wire.Options{}, nil)
	if err != nil || len(d.Users) < 300 {
		t.Fatalf("Graph export: %v, %v users", err, len(d.Users))
	}
	x, err := wire.ReadDataverseExport(&dataverse, nil)
	if err != nil || x.Environment != "prod" || len(x.Records) == 0 {
		t.Fatalf("Dataverse export: %v, %q, %d records", err, x.Environment, len(x.Records))
	}
	if err := gentenant.Run([]string{"-users", "-1"}, &bytes.Buffer{}, io.Discard); err == nil {
		t.Error("no error for -users -1")
	}
}

// With -environments the command writes a tenant file that the examples
// read (load.TenantFile, then Validate): the directory's tenant ID and the
// environments prod, sandbox and dev in it, those of the Graph export, and
// no users or records; it prints the export's tenant ID and prod's
// security group to standard error.
func TestEnvironmentsFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "envs.json")
	var graph, stderr bytes.Buffer
	if err := gentenant.Run([]string{"-users", "50", "-environments", path}, &graph, &stderr); err != nil {
		t.Fatal(err)
	}
	d, err := wire.ReadDirectory(&graph, wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := load.TenantFile(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Tenant != d.Tenant {
		t.Errorf("tenant file of tenant %s, the export of %s", s.Tenant, d.Tenant)
	}
	var ids []string
	for _, env := range s.Environments {
		ids = append(ids, env.ID)
		if env.Tenant != d.Tenant {
			t.Errorf("environment %s in tenant %s, the export in %s", env.ID, env.Tenant, d.Tenant)
		}
	}
	if strings.Join(ids, " ") != "prod sandbox dev" || len(s.Users) != 0 || len(s.Records) != 0 {
		t.Fatalf("tenant file of environments %v, %d users, %d records lists", ids, len(s.Users), len(s.Records))
	}
	want := "tenant " + d.Tenant + "\nenvironment prod: security group " + s.Environments[0].SecurityGroup +
		"\nenvironment sandbox: no security group\nenvironment dev: no security group\n"
	if s.Environments[0].SecurityGroup == "" || stderr.String() != want {
		t.Errorf("standard error:\n%s\nwant:\n%s", stderr.String(), want)
	}
}

// -h prints the flags, -environments among them, and no -rapid flag.
func TestHelp(t *testing.T) {
	var out bytes.Buffer
	if code := cli.Main("gentenant", []string{"-h"}, &out, io.Discard, gentenant.Run); code != 0 {
		t.Fatalf("exit %d", code)
	}
	if h := out.String(); !strings.Contains(h, "-environments") || !strings.Contains(h, "-users") || strings.Contains(h, "rapid") {
		t.Errorf("help:\n%s", h)
	}
}
