// Command gentenant writes a synthetic tenant for scale tests, as
// provisioningtest.Export makes it: the whole-tenant Microsoft Graph
// export that wire.ReadDirectory reads, or the Dataverse export of one
// environment that wire.ReadDataverseExport reads. The same flags write
// the same bytes; the export is streamed, whatever its size.
//
// Usage:
//
//	go run ./examples/gentenant -users 1000000 > tenant.json
//	go run ./examples/gentenant -users 1000000 -dataverse sales-prod > sales-prod.json
//	go run ./examples/gentenant -users 1000 -relations-first   # users stream when read
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
)

const about = `gentenant writes a synthetic tenant, deterministic by seed and size: its
whole-tenant Microsoft Graph export, or with -dataverse the Dataverse
export of one of its environments, to standard output.`

// errUsage is a command line the flag package has already reported.
var errUsage = errors.New("usage")

func main() {
	switch err := run(os.Args[1:], os.Stdout); {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "gentenant:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("gentenant", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nFlags:\n", about)
		fs.PrintDefaults()
	}
	var e provisioningtest.Export
	fs.Uint64Var(&e.Seed, "seed", 1, "the seed that chooses the tenant")
	fs.IntVar(&e.Users, "users", 100, "the number of users")
	fs.IntVar(&e.Groups, "groups", 0, "the size of the group pool (0: users/300, from 50 to 5,000)")
	fs.BoolVar(&e.RelationsFirst, "relations-first", false, "write the relations before the users (and the deletion extension before the records)")
	fs.IntVar(&e.RecordShare, "share", 0, "the percentage of users with a record in a Dataverse export (0: 30)")
	env := fs.String("dataverse", "", "write the Dataverse export of this environment instead of the Graph export")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if e.Users < 0 || e.Groups < 0 || e.RecordShare < 0 {
		return errors.New("-users, -groups and -share cannot be negative")
	}
	w := bufio.NewWriter(out)
	var err error
	if *env != "" {
		err = e.WriteDataverse(w, *env)
	} else {
		err = e.WriteGraph(w)
	}
	if err != nil {
		return fmt.Errorf("writing the export: %w", err)
	}
	return w.Flush()
}
