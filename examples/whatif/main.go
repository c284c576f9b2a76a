// Command whatif answers "who would this change lock out, or let in?" for
// a change to one environment of a tenant: which users' admission, access
// mode or record state the background sync would change, and why. With no
// arguments it asks what assigning security group g-sales to environment
// sales-prod of the embedded sample tenant would do.
//
// Usage:
//
//	go run ./examples/whatif                                   # assign g-sales to sales-prod
//	go run ./examples/whatif -env sales-prod -app-pass off     # remove app-pass capacity
//	go run ./examples/whatif -env sales-prod -type trial       # make it a trial environment
//	go run ./examples/whatif -env hr-sandbox -clear-group      # open hr-sandbox to everyone
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/provisioning"
)

//go:embed tenant.json
var sampleTenant []byte

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "whatif:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	env := fs.String("env", "sales-prod", "the environment to change")
	group := fs.String("group", "", "assign this security group")
	clear := fs.Bool("clear-group", false, "clear the security group")
	typ := fs.String("type", "", "change the environment type: production, sandbox, trial, developer, teams, default")
	appPass := fs.String("app-pass", "", "on or off: add or remove app-pass capacity")
	marketing := fs.String("marketing", "", "on or off: turn the tenant Marketing license on or off")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c := provisioning.Change{Environment: *env}
	switch {
	case *clear:
		none := ""
		c.SecurityGroup = &none
	case *group != "":
		c.SecurityGroup = group
	}
	if *typ != "" {
		var t provisioning.EnvironmentType
		if err := t.UnmarshalText([]byte(*typ)); err != nil {
			return err
		}
		c.Type = &t
	}
	var err error
	if c.AppPass, err = onOff("app-pass", *appPass); err != nil {
		return err
	}
	if c.TenantMarketing, err = onOff("marketing", *marketing); err != nil {
		return err
	}
	if c.SecurityGroup == nil && c.Type == nil && c.AppPass == nil && c.TenantMarketing == nil {
		g := "g-sales"
		c.SecurityGroup = &g // the default question
	}

	var s provisioning.Snapshot
	dec := json.NewDecoder(bytes.NewReader(sampleTenant))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return fmt.Errorf("tenant file: %w", err)
	}
	if err := s.Validate(); err != nil {
		return err
	}
	rep, err := provisioning.WhatIf(&s, c)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return report(out, rep)
}

func onOff(name, v string) (*bool, error) {
	switch v {
	case "":
		return nil, nil
	case "on":
		b := true
		return &b, nil
	case "off":
		b := false
		return &b, nil
	}
	return nil, fmt.Errorf("-%s takes on or off, not %q", name, v)
}

// what says in words what the background sync would then do.
var what = map[provisioning.Verb]string{
	provisioning.Create:  "create a record for",
	provisioning.Enable:  "enable",
	provisioning.Disable: "disable",
	provisioning.Update:  "update the record of",
	provisioning.Leave:   "leave the record alone, with a new standing, of",
	provisioning.Refuse:  "no longer create a record for",
}

func report(out io.Writer, rep provisioning.Report) error {
	change := rep.Change.String()
	if len(rep.Impacts) == 0 {
		_, err := fmt.Fprintf(out, "%s%s would change nobody's admission, access mode or record.\n", strings.ToUpper(change[:1]), change[1:])
		return err
	}
	fmt.Fprintf(out, "%s%s would make the background sync:\n", strings.ToUpper(change[:1]), change[1:])
	for _, v := range provisioning.Verbs() {
		impacts := rep.ByVerb(v)
		if len(impacts) == 0 {
			continue
		}
		who := fmt.Sprintf("these %d users", len(impacts))
		if len(impacts) == 1 {
			who = "this user"
		}
		fmt.Fprintf(out, "\n%s %s, because:\n", what[v], who)
		var rules provisioning.RuleSet
		for _, i := range impacts {
			rules |= i.Rules
		}
		for _, r := range rules.Rules() {
			fmt.Fprintf(out, "  %s: %s\n", r, r.Info().Summary)
		}
		w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "    USER\tBEFORE\tAFTER\tRULES")
		for _, i := range impacts {
			fmt.Fprintf(w, "    %s\t%s\t%s\t%s\n", i.UPN, state(i.Before), state(i.After), i.Rules)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func state(s provisioning.State) string {
	if s.Admission == provisioning.Never {
		return s.Admission.String() + ", " + s.Record.String()
	}
	return s.Admission.String() + " as " + s.Mode.String() + ", " + s.Record.String()
}
