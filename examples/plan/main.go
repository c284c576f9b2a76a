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
//	go run ./examples/plan -json                    # one action per line, as JSON
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/provisioning"
)

//go:embed tenant.json
var sampleTenant []byte

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "plan:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	trigger := provisioning.BackgroundSync
	fs.TextVar(&trigger, "trigger", provisioning.BackgroundSync, "what asks: background-sync, first-access, admin-api or admin-center")
	asJSON := fs.Bool("json", false, "print one action per line as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := load(sampleTenant)
	if err != nil {
		return err
	}
	b, err := provisioning.Plan(&s, trigger, provisioning.PlanOptions{Workers: 2})
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

// load reads a snapshot and validates every part of it, so that a
// malformed one is reported by name.
func load(data []byte) (provisioning.Snapshot, error) {
	var s provisioning.Snapshot
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("tenant file: %w", err)
	}
	return s, s.Validate()
}

func report(out io.Writer, b provisioning.Batch) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s plan\t", b.Trigger)
	for _, v := range provisioning.Verbs() {
		fmt.Fprintf(w, "%s\t", v)
	}
	fmt.Fprintln(w)
	for _, e := range append(b.Environments, provisioning.EnvironmentTotals{Environment: "total", Counts: b.Totals}) {
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
		mode := a.Mode.String()
		if a.Verb == provisioning.Refuse {
			mode = "-" // no record
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Environment, a.User, a.Verb, mode, rules)
	}
	return w.Flush()
}
