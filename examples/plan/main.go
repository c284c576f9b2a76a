// Command plan plans what a directory sync does to every SystemUser
// record of a tenant: which users it creates, enables, disables or
// updates, which it leaves, and which it refuses, each with the rule IDs
// that decided it. With no arguments it plans the background sync of the
// sample tenant embedded in the program.
//
// Usage:
//
//	go run ./examples/plan                          # the background sync
//	go run ./examples/plan -trigger first-access    # every user opening every environment
//	go run ./examples/plan -json                    # one action per line (JSON Lines)
package main

import (
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

//go:embed tenant.json
var sampleTenant []byte

const about = `plan plans what a directory sync does to every SystemUser record of a
tenant, each action with the rule IDs that decided it. With no flags it
plans the background sync of the embedded sample tenant.`

func main() {
	os.Exit(cli.Main("plan", os.Args[1:], os.Stdout, os.Stderr, run))
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	trigger := provisioning.BackgroundSync
	cli.Enum(fs, "trigger", "what asks for the users", provisioning.Triggers(), func(t provisioning.Trigger) { trigger = t })
	asJSON := fs.Bool("json", false, "print one action per line as JSON (JSON Lines)")
	var files cli.Files
	files.Register(fs)
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	s, err := files.Load(sampleTenant)
	if err != nil {
		return err
	}
	b, err := tenant.Plan(s, trigger, tenant.Options{Workers: 2})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		for _, a := range b.Actions {
			if err := enc.Encode(a); err != nil {
				return err
			}
		}
		return nil
	}
	return report(out, b)
}

func report(out io.Writer, b tenant.Batch) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s plan\t", b.Trigger)
	for _, v := range provisioning.Verbs() {
		fmt.Fprintf(w, "%s\t", v)
	}
	fmt.Fprintln(w)
	for _, e := range append(b.Totals.Environments, tenant.EnvironmentTotals{Environment: "total", Counts: b.Totals.All}) {
		fmt.Fprintf(w, "%s\t", e.Environment)
		for _, v := range provisioning.Verbs() {
			fmt.Fprintf(w, "%d\t", e.Counts.Of(v))
		}
		fmt.Fprintln(w)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out)
	w = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ENVIRONMENT\tUSER\tACTION\tMODE\tRULES")
	for _, a := range b.Actions {
		rules := a.Rules.String()
		if a.Err != nil {
			rules = "error: " + a.Err.Error()
		}
		mode := "-" // no record
		if a.HasRecord() {
			mode = a.Mode.String()
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Environment, a.User, a.Verb, mode, rules)
	}
	return w.Flush()
}
