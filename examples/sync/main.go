// Command sync shows the field-mapping sync on one directory user: it
// creates the SystemUser record, then syncs again after the directory
// changed the user's title, mail and display name, and prints what changed
// and what was deliberately kept, each with its rule ID. The Primary Email
// is kept by SYNC-EMAIL and the Full Name by SYNC-FULLNAME.
//
// Usage:
//
//	go run ./examples/sync            # the embedded sample user
//	go run ./examples/sync -onprem    # the same sync under the on-premises profile
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
	"github.com/provisionrules/provisionrules/syncfields"
)

//go:embed user.json
var sample []byte

// sampleUser is the directory user before and after its change, by Graph
// property name, and the custom columns its record carries.
type sampleUser struct {
	Before map[string]string `json:"before"`
	After  map[string]string `json:"after"`
	Custom map[string]string `json:"custom"`
}

const about = `sync shows the field-mapping sync on one directory user: it creates the
SystemUser record, then syncs again after the directory changed the user's
title, mail and display name, and prints what changed and what was kept,
each with its rule ID.`

func main() {
	os.Exit(cli.Main("sync", os.Args[1:], os.Stdout, os.Stderr, run))
}

func run(args []string, out, _ io.Writer) error {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	onprem := fs.Bool("onprem", false, "use the on-premises profile (AD DS attribute names are taken from the same sample)")
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	var s sampleUser
	if err := json.Unmarshal(sample, &s); err != nil {
		return err
	}
	profile := syncfields.Online()
	if *onprem {
		profile = syncfields.OnPremises()
		s.Before, s.After = onPremises(s.Before), onPremises(s.After)
	}
	before, err := profile.Source(s.Before)
	if err != nil {
		return err
	}
	after, err := profile.Source(s.After)
	if err != nil {
		return err
	}

	rec, created, err := profile.Create(&before)
	if err != nil {
		return err
	}
	rec.Custom = s.Custom
	fmt.Fprintf(out, "Profile %s. Created the record:\n", profile.Name())
	printChanges(out, created.Changes())

	_, res, err := profile.Update(&rec, &after)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "\nThe directory changed the title, the mail, the surname and the display name. Sync again:")
	if res.Unchanged() {
		fmt.Fprintln(out, "  nothing changed")
	} else {
		printChanges(out, res.Changes())
	}
	fmt.Fprintln(out, "\nLeft alone:")
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  COLUMN\tRECORD KEEPS\tDIRECTORY SAYS\tRULE")
	for _, k := range res.KeptColumns() {
		dir := k.Directory
		if k.Rule == syncfields.RuleCustom {
			dir = "(custom column: never synchronized)"
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", k.Name, k.Value, dir, k.Rule)
	}
	return w.Flush()
}

func printChanges(out io.Writer, changes []syncfields.ColumnChange) {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  COLUMN\tOLD\tNEW\tRULE")
	for _, c := range changes {
		fmt.Fprintf(w, "  %s\t%s\t%s\t%s\n", c.Column, orDash(c.Old), c.New, c.Rule)
	}
	w.Flush()
}

// onPremises renames the sample's Graph properties to the AD DS attributes
// of the on-premises profile, keeping only those it maps.
func onPremises(graph map[string]string) map[string]string {
	names := map[string]string{
		"userPrincipalName": "userPrincipalName", "givenName": "givenName", "surname": "sn",
		"businessPhones[0]": "telephoneNumber", "mail": "mail", "city": "l", "state": "st",
	}
	out := map[string]string{}
	for from, to := range names {
		out[to] = graph[from]
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
