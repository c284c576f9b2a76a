// Command delta runs one incremental cycle of the directory sync: it reads
// the changes Microsoft Graph's delta queries report (a users/delta page
// and a groups/delta page), applies them to a tenant in one tenant.Delta,
// and plans what the background sync does for the users they affected
// alone, each action with the rule IDs that decided it. With no arguments
// it applies the two pages embedded in the program to the embedded sample
// tenant.
//
// Usage:
//
//	go run ./examples/delta                             # the embedded pages on the embedded tenant
//	go run ./examples/delta -json                       # the actions as JSON Lines
//	go run ./examples/delta -users FILE -groups FILE    # other delta pages (each flag repeats: a cycle's pages, in order)
//	go run ./examples/delta -tenant FILE -users FILE    # another tenant, and only a users/delta page
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

var (
	//go:embed tenant.json
	sampleTenant []byte
	//go:embed users-delta.json
	sampleUsers []byte
	//go:embed groups-delta.json
	sampleGroups []byte
)

const about = `delta applies a cycle's Microsoft Graph delta pages (users/delta and
groups/delta) to a tenant and plans the background sync of the users they
affected, each action with the rule IDs that decided it. Without -users and
-groups it applies the embedded pages, with either only the pages given;
without -tenant or -graph it reads the embedded sample tenant.`

func main() {
	os.Exit(cli.Main("delta", os.Args[1:], os.Stdout, os.Stderr, run))
}

func run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("delta", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the actions as JSON Lines, one action per line")
	var users, groups []string
	fs.Func("users", "read a users/delta page from this file (repeatable: the pages of one cycle, in order)", func(path string) error {
		users = append(users, path)
		return nil
	})
	fs.Func("groups", "read a groups/delta page from this file (repeatable: the pages of one cycle, in order)", func(path string) error {
		groups = append(groups, path)
		return nil
	})
	var files cli.Files
	files.Register(fs)
	var guard cli.Guard
	guard.Register(fs)
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	s, err := files.Load(sampleTenant)
	if err != nil {
		return err
	}
	id, err := tenantOf(s)
	if err != nil {
		return err
	}
	var userPages, groupPages []page
	if len(users) == 0 && len(groups) == 0 {
		userPages = []page{{name: "the embedded users/delta page", data: sampleUsers}}
		groupPages = []page{{name: "the embedded groups/delta page", data: sampleGroups}}
	} else {
		if userPages, err = readFiles(users); err != nil {
			return err
		}
		if groupPages, err = readFiles(groups); err != nil {
			return err
		}
	}
	d, err := decode(userPages, groupPages, wire.DeltaOptions{Tenant: id})
	if err != nil {
		return err
	}
	opts, err := guard.Options(s, errOut, 1)
	if err != nil {
		return err
	}
	st, err := tenant.NewState(s, opts)
	if err != nil {
		return err
	}
	next, a, err := st.Apply(d)
	if err != nil {
		return err
	}
	var steps []tenant.Step
	if _, err := next.EachChange(a, provisioning.BackgroundSync, func(st *tenant.Step) error {
		steps = append(steps, *st)
		return nil
	}); err != nil {
		return err
	}
	if *asJSON {
		return jsonLines(out, steps)
	}
	return report(out, a, next.UsersLink(), next.GroupsLink(), provisioning.BackgroundSync, steps)
}

// page is one delta page to read, and its name for errors.
type page struct {
	name string
	data []byte
}

func readFiles(paths []string) ([]page, error) {
	pages := make([]page, 0, len(paths))
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		pages = append(pages, page{name: path, data: data})
	}
	return pages, nil
}

// tenantOf returns the tenant of s's environments, the directory whose
// changes the delta pages report and in which their licenses are
// assigned.
func tenantOf(s *tenant.Snapshot) (string, error) {
	var ids []string
	for _, env := range s.Environments {
		if !slices.Contains(ids, env.Tenant) {
			ids = append(ids, env.Tenant)
		}
	}
	if len(ids) > 1 {
		return "", fmt.Errorf("the environments are in several tenants (%s): a delta is of one directory", strings.Join(ids, ", "))
	}
	if len(ids) == 0 {
		return "", nil
	}
	return ids[0], nil
}

// decode reads the pages into one delta: every user change, then every
// group change, each in the pages' order. A tenant.Delta takes each user
// once: a user on two users/delta pages is refused (a service would apply
// the later page in a delta of its own). Graph gives the users and the
// groups a delta link each; the delta holds both, and the state keeps them.
func decode(users, groups []page, opts wire.DeltaOptions) (d tenant.Delta, err error) {
	pageOf := map[string]string{}
	for _, p := range users {
		got, err := wire.ReadUsersDelta(bytes.NewReader(p.data), opts)
		if err != nil {
			return d, fmt.Errorf("%s: %w", p.name, err)
		}
		for _, c := range got.Items {
			if earlier, ok := pageOf[c.ObjectID]; ok {
				return d, fmt.Errorf("%s: user %s changes again, after %s: this program applies the pages in one delta, which takes each user once", p.name, c.ObjectID, earlier)
			}
			pageOf[c.ObjectID] = p.name
		}
		d.Users = append(d.Users, got.Items...)
		d.UsersLink = got.DeltaLink
	}
	for _, p := range groups {
		got, err := wire.ReadGroupsDelta(bytes.NewReader(p.data))
		if err != nil {
			return d, fmt.Errorf("%s: %w", p.name, err)
		}
		for _, g := range got.Items {
			if g.Removed != provisioning.NotRemoved {
				// Deleting the group from environments and teams is an
				// administrator's change (Org.DeleteTeamGroup, WhatIf),
				// which this program does not make.
				return d, fmt.Errorf("%s: group %s was deleted (%s): this program does not apply group deletions", p.name, g.Group, g.Removed)
			}
			d.Groups = append(d.Groups, g.GroupChange)
		}
		d.GroupsLink = got.DeltaLink
	}
	return d, nil
}

// report prints what the delta changed, the links to keep, and the
// actions, one a line.
func report(out io.Writer, a tenant.Affected, usersLink, groupsLink string, t provisioning.Trigger, steps []tenant.Step) error {
	fmt.Fprintf(out, "%s changed: %d added, %d gone. Ignored, about users the tenant does not hold: %s.\n",
		count(len(a.Users), "user"), a.Added, a.Gone, count(a.Ignored, "change"))
	fmt.Fprintln(out, "Delta links to keep for the next cycle:")
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "  users\t%s\n  groups\t%s\n", orNone(usersLink), orNone(groupsLink))
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(out, "\nWhat the %s does for these users, and the Dataverse request of each write:\n", t)
	w = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ENVIRONMENT\tUSER\tACTION\tREQUEST\tRULES")
	for i := range steps {
		st := &steps[i]
		act := &st.Action
		rules := act.Rules.String()
		if act.Err != nil {
			rules = "error: " + act.Err.Error()
		}
		who := act.User
		if st.User != nil && st.User.UPN != "" {
			who = st.User.UPN
		} else if st.Record != nil && st.Record.UPN != "" {
			who = st.Record.UPN
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", act.Environment, who, act.Verb, cli.Request(st), rules)
	}
	return w.Flush()
}

// count returns n and noun, plural unless n is 1.
func count(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}

func orNone(link string) string {
	if link == "" {
		return "(none: the last page read has no @odata.deltaLink)"
	}
	return link
}

// jsonLines prints each action as one line of JSON, with the request
// that applies its write ("request"), or why there is none
// ("requestError").
func jsonLines(out io.Writer, steps []tenant.Step) error {
	w := bufio.NewWriter(out)
	var line []byte
	for i := range steps {
		st := &steps[i]
		line = st.Action.AppendJSON(line[:0])
		if st.Action.Writes() {
			line = append(cli.AppendRequest(line[:len(line)-1], st), '}')
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return w.Flush()
}
