// Command evaluate decides, for every user of a tenant and every
// environment, whether the user is admitted, how, with which access mode,
// and why not. With no arguments it evaluates the sample tenant embedded
// in the program.
//
// Usage:
//
//	go run ./examples/evaluate                 # a table of every decision
//	go run ./examples/evaluate -json           # one decision per line (JSON Lines)
//	go run ./examples/evaluate -explain UPN    # every check for one user, like "Run diagnostics"
//	go run ./examples/evaluate -tenant FILE    # another tenant file of the same shape
//	go run ./examples/evaluate -graph FILE     # the users of a Microsoft Graph export (see the README)
//	go run ./examples/evaluate -dataverse FILE # the records of a Dataverse export; repeat for more environments
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

//go:embed tenant.json
var sampleTenant []byte

const about = `evaluate decides, for every user of a tenant and every environment,
whether the user is admitted (automatically, on demand only, or never),
with which access mode, and why. With no flags it evaluates the embedded
sample tenant.`

func main() {
	os.Exit(cli.Main("evaluate", os.Args[1:], os.Stdout, os.Stderr, run))
}

func run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one decision per line as JSON (JSON Lines)")
	explain := fs.String("explain", "", "print every check for the user with this UPN (or object ID) in every environment")
	var files cli.Files
	files.Register(fs)
	var guard cli.Guard
	guard.Register(fs)
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	if err := cli.Exclusive(fs, "-explain prints one user's checks as text, -json every decision as JSON Lines", "explain", "json"); err != nil {
		return err
	}
	s, err := files.Load(sampleTenant)
	if err != nil {
		return err
	}
	if _, err := guard.Options(s, errOut, 1); err != nil {
		return err
	}
	x := indexRecords(s)
	switch {
	case *explain != "":
		return explainUser(out, s, x, *explain)
	case *asJSON:
		var buf []byte
		for _, env := range s.Environments {
			for _, u := range s.Users {
				buf = x.evaluate(&u, &env).AppendJSON(buf[:0])
				if _, err := out.Write(append(buf, '\n')); err != nil {
					return err
				}
			}
		}
		return nil
	default:
		return table(out, s, x)
	}
}

// records indexes a snapshot's records by environment and object ID, so
// that pairing every user with its record costs one lookup each, not a
// pass over the environment's records.
type records map[string]map[string]*provisioning.Record

func indexRecords(s *tenant.Snapshot) records {
	x := make(records, len(s.Records))
	for env, list := range s.Records {
		m := make(map[string]*provisioning.Record, len(list))
		for i := range list {
			if r := &list[i]; r.ObjectID != "" {
				m[r.ObjectID] = r
			}
		}
		x[env] = m
	}
	return x
}

// evaluate decides for u in env, with u's record there when it has one:
// the record that provisioning.Match pairs with u (LIFE-MATCH).
func (x records) evaluate(u *provisioning.User, env *provisioning.Environment) provisioning.Decision {
	if r := x[env.ID][u.ObjectID]; provisioning.Match(u, r) {
		return provisioning.EvaluateRecord(u, env, r)
	}
	return provisioning.Evaluate(u, env)
}

func table(out io.Writer, s *tenant.Snapshot, x records) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ENVIRONMENT\tUSER\tADMISSION\tMODE\tREFUSED BY\tHELD TO ON DEMAND BY\tNOTE")
	for _, env := range s.Environments {
		for _, u := range s.Users {
			d := x.evaluate(&u, &env)
			mode := "-"
			if m, ok := d.AccessMode(); ok {
				mode = m.String()
			}
			note := "-"
			if d.Admitted() && d.Failed().Has(provisioning.RuleLifeAccessNeedsRole) {
				note = "no security role: cannot use the apps"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", env.ID, name(&u), d.Admission(), mode,
				orDash(ids(d.RefusedBy().Specific())), orDash(d.OnDemandBy().String()), note)
		}
	}
	return w.Flush()
}

// ids joins the rules' IDs with commas.
func ids(rules []provisioning.Rule) string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.String()
	}
	return strings.Join(out, ",")
}

func explainUser(out io.Writer, s *tenant.Snapshot, x records, who string) error {
	for _, u := range s.Users {
		if !strings.EqualFold(u.UPN, who) && u.ObjectID != who {
			continue
		}
		for _, env := range s.Environments {
			if _, err := io.WriteString(out, x.evaluate(&u, &env).Explain()+"\n"); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("no user %q in the tenant", who)
}

func name(u *provisioning.User) string {
	if u.UPN != "" {
		return u.UPN
	}
	return u.ObjectID + " (application)"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
