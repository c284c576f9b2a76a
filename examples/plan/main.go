// Command plan plans what a directory sync does to every SystemUser
// record of a tenant: which users it creates, enables, disables or
// updates, which it leaves, and which it refuses, each with the rule IDs
// that decided it and the Dataverse Web API request that applies it. With
// no arguments it plans the background sync of the sample tenant embedded
// in the program.
//
// Usage:
//
//	go run ./examples/plan                          # the background sync, as tables
//	go run ./examples/plan -trigger first-access    # every user opening every environment
//	go run ./examples/plan -json                    # one action per line (JSON Lines), with its request
//	go run ./examples/plan -graph FILE -dataverse FILE -json   # a real tenant's exports, streamed
//	go run ./examples/plan -deletable                # which records an administrator can delete, and what blocks the others
//	go run ./examples/plan -check                    # only the tenant's health check
//
// Every run prints the tenant's health check first (on standard error,
// or alone with -check) and plans nothing when it has an error finding,
// unless -accept says the findings were read.
package main

import (
	"bufio"
	"cmp"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

//go:embed tenant.json
var sampleTenant []byte

const about = `plan plans what a directory sync does to every SystemUser record of a
tenant, each action with the rule IDs that decided it and, with -json, the
Dataverse Web API request that applies it. With no flags it plans the
background sync of the embedded sample tenant.`

// progressEvery is how many actions pass between two progress lines, which
// are shown for tenants of more than progressUsers users.
const (
	progressEvery = 100_000
	progressUsers = 10_000
)

func main() {
	os.Exit(cli.Main("plan", os.Args[1:], os.Stdout, os.Stderr, run))
}

func run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	trigger := provisioning.BackgroundSync
	cli.Enum(fs, "trigger", "what asks for the users", provisioning.Triggers(), func(t provisioning.Trigger) { trigger = t })
	asJSON := fs.Bool("json", false, "print one action per line as JSON (JSON Lines), each with the Dataverse request that applies it")
	workers := fs.Int("workers", 2, "how many goroutines plan at once")
	deletable := fs.Bool("deletable", false, "print which records an administrator can soft-delete or permanently delete now, and what blocks the others")
	check := fs.Bool("check", false, "print only the findings of the tenant's health check; exit non-zero on an error finding")
	var files cli.Files
	files.Register(fs)
	var guard cli.Guard
	guard.Register(fs)
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	if err := cli.Exclusive(fs, "-check and -deletable print reports of their own, and -trigger and -json say how to print a plan", "check", "deletable", "json"); err != nil {
		return err
	}
	if err := cli.Exclusive(fs, "-check and -deletable plan no trigger", "check", "deletable", "trigger"); err != nil {
		return err
	}
	s, err := files.Load(sampleTenant)
	if err != nil {
		return err
	}
	if *check {
		found, err := tenant.Diagnose(s)
		if err != nil {
			return err
		}
		if len(found) == 0 {
			fmt.Fprintln(out, "Health check: nothing found.")
		}
		if err := cli.PrintFindings(out, found); err != nil {
			return err
		}
		for _, f := range found {
			if f.Severity == tenant.SeverityError {
				return errors.New("the tenant's health check has error findings")
			}
		}
		return nil
	}
	opts, err := guard.Options(s, errOut, *workers)
	if err != nil {
		return err
	}
	if *deletable {
		rep, err := tenant.Deletions(s)
		if err != nil {
			return err
		}
		return deletions(out, rep)
	}
	if *asJSON {
		return stream(out, errOut, s, trigger, opts)
	}
	b, err := tenant.Plan(s, trigger, opts)
	var malformed *tenant.MalformedError
	if err != nil && !errors.As(err, &malformed) {
		return err
	}
	if err := report(out, b, names(s)); err != nil {
		return err
	}
	return err // the report shows the malformed pairs; the exit says so
}

// stream writes the plan as JSON Lines while it is made, never holding it:
// each action, and for one that writes, its "request" (method, path,
// headers, the user's object ID and the JSON body: webapi.Request's JSON
// form), or, when the write cannot be made
// (a record without its systemuserid, an environment without its root
// business unit), "requestError" saying why. Above progressUsers users, a
// progress line goes to errOut.
func stream(out, errOut io.Writer, s *tenant.Snapshot, t provisioning.Trigger, opts tenant.Options) error {
	w := bufio.NewWriterSize(out, 1<<16)
	total := len(s.Users) * len(s.Environments)
	n := 0
	var line []byte
	_, err := tenant.Each(s, t, opts, func(st *tenant.Step) error {
		line = st.Action.AppendJSON(line[:0])
		if st.Action.Writes() {
			line = cli.AppendRequest(line[:len(line)-1], st)
			line = append(line, '}')
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
		if n++; len(s.Users) > progressUsers && n%progressEvery == 0 {
			fmt.Fprintf(errOut, "plan: %d actions of about %d\n", n, total)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(s.Users) > progressUsers {
		fmt.Fprintf(errOut, "plan: %d actions\n", n)
	}
	return w.Flush()
}

// names gives, for the user key of every action of a plan of s, the name
// an administrator knows it by: a user's UPN (a service principal's object
// ID, marked), a record's UPN when no user matches it.
func names(s *tenant.Snapshot) map[string]string {
	out := make(map[string]string, len(s.Users))
	for _, recs := range s.Records {
		for i := range recs {
			if r := &recs[i]; r.UPN != "" {
				out[r.Key()] = r.UPN
			}
		}
	}
	for i := range s.Users {
		u := &s.Users[i]
		if u.UPN != "" {
			out[u.ObjectID] = u.UPN
		} else {
			out[u.ObjectID] = u.ObjectID + " (application)"
		}
	}
	return out
}

func report(out io.Writer, b tenant.PlanResult, names map[string]string) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "%s plan\t", b.Trigger)
	for _, v := range provisioning.Verbs() {
		fmt.Fprintf(w, "%s\t", v)
	}
	fmt.Fprintln(w, "errors\t")
	for _, e := range append(b.Totals.Environments, tenant.EnvironmentTotals{Environment: "total", Counts: b.Totals.All}) {
		fmt.Fprintf(w, "%s\t", e.Environment)
		for _, v := range provisioning.Verbs() {
			fmt.Fprintf(w, "%d\t", e.Counts.Of(v))
		}
		fmt.Fprintf(w, "%d\t\n", e.Counts.Errors())
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
		who := cmp.Or(names[a.User], a.User, a.Record)
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", a.Environment, who, a.Verb, mode, rules)
	}
	return w.Flush()
}

// deletions prints the deletion report: the records an administrator can
// take to their next stage of deletion now, then the disabled records
// blocked, each block with its rule and fix. Enabled records and the
// support and delegated-admin records, which are never deleted, are
// counted but not listed.
func deletions(out io.Writer, rep tenant.DeletionReport) error {
	fmt.Fprintf(out, "%d records can be soft-deleted now, %d permanently deleted now; %d are blocked.\n", rep.SoftDeletable, rep.PermanentlyDeletable, rep.Blocked)
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "\nENVIRONMENT\tRECORD\tNEXT STAGE\tNOW")
	for _, d := range rep.Deletions {
		if d.Allowed() {
			fmt.Fprintf(w, "%s\t%s\t%s\tallowed\n", d.Environment, d.Key, d.Stage)
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(out, "\nDisabled records blocked:")
	listed := 0
	for _, d := range rep.Deletions {
		if d.Allowed() || slices.ContainsFunc(d.Blocks, func(b provisioning.Block) bool {
			return b.Err == provisioning.ErrRecordEnabled || b.Err == provisioning.ErrNeverDeleted
		}) {
			continue
		}
		listed++
		fmt.Fprintf(out, "  %s %s (%s):\n", d.Environment, d.Key, d.Stage)
		for _, b := range d.Blocks {
			fmt.Fprintf(out, "    %s: %s\n      fix: %s\n", b.Rule, b.Reason, b.Fix)
		}
	}
	if listed == 0 {
		fmt.Fprintln(out, "  none")
	}
	return nil
}
