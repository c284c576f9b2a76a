package cli_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
)

// run is an example program with one enum flag and one plain flag.
func run(args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var t provisioning.Trigger
	cli.Enum(fs, "trigger", "what asks", provisioning.Triggers(), func(x provisioning.Trigger) { t = x })
	fail := fs.Bool("fail", false, "fail after parsing")
	if err := cli.Parse(fs, args, out, "demo does nothing."); err != nil {
		return err
	}
	if *fail {
		return errors.New("asked to fail")
	}
	_, err := io.WriteString(out, "ran with "+t.String()+"\n")
	return err
}

func TestMain(t *testing.T) {
	for _, c := range []struct {
		name         string
		args         []string
		code         int
		stdout, errs string // what they must hold
	}{
		{"help exits 0", []string{"-h"}, 0, "demo does nothing.", ""},
		{"a good run", []string{"-trigger", "first-access"}, 0, "ran with first-access", ""},
		{"an extra argument", []string{"extra"}, 2, "", `unexpected argument "extra"`},
		{"an unknown flag", []string{"-nope"}, 2, "", "flag provided but not defined: -nope"},
		{"an unknown trigger", []string{"-trigger", "cron"}, 2, "", `invalid value "cron" for flag -trigger: want one of background-sync, first-access, admin-api, admin-center`},
		{"a failure", []string{"-fail"}, 1, "", "demo: asked to fail"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			code := cli.Main("demo", c.args, &out, &errs, run)
			if code != c.code || !strings.Contains(out.String(), c.stdout) || !strings.Contains(errs.String(), c.errs) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d, %q, %q", code, out.String(), errs.String(), c.code, c.stdout, c.errs)
			}
			if strings.Count(errs.String(), "cron") > 1 || strings.Contains(errs.String(), "provisioning.Trigger") {
				t.Errorf("the error is said twice or names a Go type: %q", errs.String())
			}
		})
	}
}

// Every hostile tenant file is refused with an error that names what is
// wrong, never a panic and never a silent pass: by the loader, naming the
// file, or by the health check, with a finding.
func TestHostileTenantFiles(t *testing.T) {
	want := map[string]string{
		"duplicate-user.json":                 `users[1].objectId = "u-1": key given twice`,
		"duplicate-environment.json":          `environments[1].id`,
		"duplicate-record.json":               `records[env][1].objectId`,
		"records-of-unknown-environment.json": `records[elsewhere]`,
		"null-user.json":                      `field users[0]: null where a value is required`,
		"null-record.json":                    `field records[env][0]: null where a value is required`,
		"empty-record.json":                   `records[env][0].accessMode: the required field "accessMode" is missing`,
		"record-without-object-id.json":       `records[env][0].objectId: required value is missing`,
		"trailing-data.json":                  `data after the end`,
		"nul-in-id.json":                      `users[0].objectId`,
		"bidi-override-in-id.json":            `users[0].objectId`,
		"wrong-type.json":                     `users[0].enabled = "yes": a JSON string where true or false belongs`,
		"deep-nesting.json":                   `environments`,
		"unknown-field.json":                  `unknown field "colour"`,
		"empty.json":                          `the file is empty`,
		"truncated.json":                      `ends too soon`,
		"misspelled-field.json":               `environments[0].securityGoup: unknown field "securityGoup"; the fields here are id, tenant, type, dataverse, securityGroup`,
		"byte-order-mark.json":                `byte-order mark; save the file as UTF-8`,
		"utf-16.json":                         `the file is UTF-16`,
		"wrong-tenant.json":                   `CHK-TENANT`,
		"mistyped-group.json":                 `CHK-GROUP-EXISTS`,
	}
	files, err := filepath.Glob("testdata/hostile/*.json")
	if err != nil || len(files) != len(want) {
		t.Fatalf("%d hostile files, want %d: %v", len(files), len(want), err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(name, func(t *testing.T) {
			f := cli.Files{Tenant: path}
			s, err := f.Load(nil)
			if err != nil {
				if !strings.Contains(err.Error(), want[name]) || !strings.Contains(err.Error(), name) {
					t.Fatalf("Load = %v, want an error naming the file and %q", err, want[name])
				}
				return
			}
			var out bytes.Buffer
			var g cli.Guard
			if _, err := g.Options(s, &out, 1); !errors.Is(err, cli.ErrFindings) || !strings.Contains(out.String(), want[name]) {
				t.Fatalf("Options = %v, printed %q; want ErrFindings and a finding of %s", err, out.String(), want[name])
			}
		})
	}
}

// A Dataverse export of another tenant is read, and the health check
// refuses it before anything is planned (CHK-RECORDS-FOREIGN).
func TestForeignDataverseExport(t *testing.T) {
	f := cli.Files{Tenant: "testdata/foreign/tenant.json", Dataverse: []string{"testdata/foreign/dataverse.json"}}
	s, err := f.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var g cli.Guard
	if _, err := g.Options(s, &out, 1); !errors.Is(err, cli.ErrFindings) || !strings.Contains(out.String(), "CHK-RECORDS-FOREIGN") || !strings.Contains(out.String(), "12 of the 12 enabled user records") {
		t.Fatalf("Options = %v, printed %q", err, out.String())
	}
	g.Accept = true
	if opts, err := g.Options(s, io.Discard, 1); err != nil || len(opts.Accept) != 1 {
		t.Errorf("with -accept: %+v, %v", opts, err)
	}
}

// Exports need a tenant file of their own.
func TestExportsNeedATenantFile(t *testing.T) {
	f := cli.Files{Dataverse: []string{"testdata/foreign/dataverse.json"}}
	if _, err := f.Load([]byte(`{"environments":[]}`)); err == nil || !strings.Contains(err.Error(), "-graph and -dataverse need -tenant") {
		t.Errorf("Load = %v", err)
	}
}
