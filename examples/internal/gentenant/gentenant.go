// Package gentenant is the example program examples/gentenant, as a
// function that other examples' tests can run: they read what it writes.
package gentenant

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/provisionrules/provisionrules/examples/internal/cli"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"
)

const about = `gentenant writes a synthetic tenant, deterministic by seed and size: its
whole-tenant Microsoft Graph export, or with -dataverse the Dataverse
export of one of its environments, to standard output; with -environments,
also a tenant file of its environments, for the other examples' -tenant.
It prints the tenant's ID and its environments' security groups to
standard error.`

// Run runs gentenant with the command-line arguments args, writing the
// export to out and what it tells people to errOut.
func Run(args []string, out, errOut io.Writer) error {
	fs := flag.NewFlagSet("gentenant", flag.ContinueOnError)
	var e tenantgen.Export
	fs.Uint64Var(&e.Seed, "seed", 1, "the seed that chooses the tenant")
	fs.IntVar(&e.Users, "users", 100, "the number of users")
	fs.IntVar(&e.Groups, "groups", 0, "the size of the group pool (0: users/300, from 50 to 5,000)")
	fs.BoolVar(&e.RelationsFirst, "relations-first", false, "write the relations before the users (and the deletion extension before the records)")
	fs.IntVar(&e.Stale, "stale", 0, "in a Dataverse export, how much changed since the last sync: users per thousand of those the environment admits (0: 5; negative: nothing changed)")
	env := fs.String("dataverse", "", "write the Dataverse export of this environment instead of the Graph export")
	envFile := fs.String("environments", "", "also write a tenant file of the tenant's environments (prod, sandbox, dev) to this file, for -tenant of the other examples")
	if err := cli.Parse(fs, args, out, about); err != nil {
		return err
	}
	if e.Users < 0 || e.Groups < 0 {
		return errors.New("-users and -groups cannot be negative")
	}
	fmt.Fprintf(errOut, "tenant %s\n", e.TenantID())
	for _, env := range e.Environments() {
		if env.SecurityGroup != "" {
			fmt.Fprintf(errOut, "environment %s: security group %s\n", env.ID, env.SecurityGroup)
		} else {
			fmt.Fprintf(errOut, "environment %s: no security group\n", env.ID)
		}
	}
	if *envFile != "" {
		if err := writeTenantFile(*envFile, e); err != nil {
			return err
		}
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

// writeTenantFile writes the tenant file of e's environments to path, in
// the shape the examples read with -tenant: no users and no records, which
// the exports give.
func writeTenantFile(path string, e tenantgen.Export) error {
	data, err := json.MarshalIndent(struct {
		Tenant       string                           `json:"tenant"`
		Environments []provisioning.Environment       `json:"environments"`
		Users        []provisioning.User              `json:"users"`
		Records      map[string][]provisioning.Record `json:"records"`
	}{e.TenantID(), e.Environments(), []provisioning.User{}, map[string][]provisioning.Record{}}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
