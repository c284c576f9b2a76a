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
//	go run ./examples/whatif -clear-group -type developer -creator u-ana  # a developer environment for u-ana
//	go run ./examples/whatif -tenant examples/evaluate/tenant.json -env hr-sandbox -delete-team-group g-hr-readers  # delete a team's group
//	go run ./examples/whatif -json                             # the report as one JSON document
package main

import (
	_ "embed"
	"encoding/json"
	"errors"
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

const about = `whatif answers "who would this change lock out, or let in?" for a change
to one environment: which users' admission, access mode or record state the
background sync would change, and why. With no flags it asks what assigning
security group g-sales to environment sales-prod of the embedded sample
tenant would do.`

func main() {
	os.Exit(cli.Main("whatif", os.Args[1:], os.Stdout, os.Stderr, run))
}

func run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	c := tenant.Change{Environment: "sales-prod"}
	fs.StringVar(&c.Environment, "env", c.Environment, "the environment to change")
	fs.Func("group", "assign this security group", func(g string) error { c.SecurityGroup = &g; return nil })
	clear := fs.Bool("clear-group", false, "clear the security group")
	cli.Enum(fs, "type", "change the environment type", provisioning.EnvironmentTypes(), func(t provisioning.EnvironmentType) { c.Type = &t })
	fs.Func("creator", "name the object ID of the user who created the environment (a developer environment needs one)", func(id string) error { c.Creator = &id; return nil })
	onOff(fs, "app-pass", "add or remove app-pass capacity", &c.AppPass)
	onOff(fs, "marketing", "turn the tenant Marketing license on or off", &c.TenantMarketing)
	fs.Func("delete-team-group", "delete the Entra group of the group team with this group ID", func(g string) error { c.DeleteTeamGroup = &g; return nil })
	fs.Func("clear-team-roles", "take every role from the group team with this group ID", func(g string) error {
		c.TeamRoles = &tenant.TeamRoles{Group: g}
		return nil
	})
	asJSON := fs.Bool("json", false, "print the report as one JSON document")
	var files cli.Files
	files.Register(fs)
	var guard cli.Guard
	guard.Register(fs)
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	if err := cli.Exclusive(fs, "one assigns a security group, the other clears it", "group", "clear-group"); err != nil {
		return err
	}
	if *clear {
		none := ""
		c.SecurityGroup = &none
	}
	if c.SecurityGroup == nil && c.Type == nil && c.AppPass == nil && c.TenantMarketing == nil && c.Creator == nil && c.DeleteTeamGroup == nil && c.TeamRoles == nil {
		g := "g-sales"
		c.SecurityGroup = &g // the default question
	}
	s, err := files.Load(sampleTenant)
	if err != nil {
		return err
	}
	opts, err := guard.Options(s, errOut, 1)
	if err != nil {
		return err
	}
	rep, err := tenant.WhatIf(s, c, opts)
	if err != nil {
		return withEnvironments(err, s)
	}
	if *asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return report(out, rep)
}

// withEnvironments adds the valid environment IDs to an error about an
// unknown one.
func withEnvironments(err error, s *tenant.Snapshot) error {
	var fe *provisioning.FieldError
	if !errors.Is(err, tenant.ErrNoEnvironment) || !errors.As(err, &fe) {
		return err
	}
	var ids []string
	for _, env := range s.Environments {
		ids = append(ids, env.ID)
	}
	return fmt.Errorf("no environment %q in the tenant; -env takes one of %s", fe.Value, strings.Join(ids, ", "))
}

// onOff defines a flag that takes on or off.
func onOff(fs *flag.FlagSet, name, usage string, dst **bool) {
	fs.Func(name, usage+": on or off", func(v string) error {
		switch v {
		case "on", "off":
			b := v == "on"
			*dst = &b
			return nil
		}
		return fmt.Errorf("want on or off, not %q", v)
	})
}

// what says in words what the background sync would then do.
var what = map[provisioning.Verb]string{
	provisioning.Create:   "create a record for",
	provisioning.Enable:   "enable",
	provisioning.Disable:  "disable",
	provisioning.Update:   "update the record of",
	provisioning.Leave:    "leave the record alone, with a new standing, of",
	provisioning.NotAdded: "no longer create a record for",
}

func report(out io.Writer, rep tenant.Report) error {
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
			name := i.UPN
			if name == "" {
				name = i.User
			}
			fmt.Fprintf(w, "    %s\t%s\t%s\t%s\n", name, standing(i.Before), standing(i.After), i.Rules)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// standing says where a user stands: after the background sync, its
// admission, access mode, record and use of the apps; then what its next
// access gives it.
func standing(s tenant.Standing) string {
	out := s.Admission.String()
	if s.Admission != provisioning.AdmissionNever {
		out += " as " + s.Mode.String()
	}
	out += ", " + s.Record.String()
	if s.Apps {
		out += ", apps"
	}
	switch {
	case !s.NextAccess.Allowed:
		out += "; access: refused"
	case s.NextAccess.Apps:
		out += "; access: apps"
	default:
		out += "; access: no apps"
	}
	return out
}
