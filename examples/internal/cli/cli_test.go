package cli_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
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
