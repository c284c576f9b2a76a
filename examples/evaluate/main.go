// Command evaluate decides, for every user of a tenant and every
// environment, whether the user is admitted, how, with which access mode,
// and why not. With no arguments it evaluates the sample tenant embedded
// in the program.
//
// Usage:
//
//	go run ./examples/evaluate                 # a table of every decision
//	go run ./examples/evaluate -json           # one decision per line, as JSON
//	go run ./examples/evaluate -explain UPN    # every check for one user, like "Run diagnostics"
//	go run ./examples/evaluate -tenant FILE    # another tenant file of the same shape
//	go run ./examples/evaluate -graph FILE     # the users of a Microsoft Graph export (see the README)
//	go run ./examples/evaluate -dataverse FILE # the records of a Dataverse export; repeat for more environments
package main

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

//go:embed tenant.json
var sampleTenant []byte

// tenant is the shape of a tenant file: environments, directory users and,
// by environment ID, existing SystemUser records, in the library's own JSON
// form.
type tenant struct {
	Tenant string `json:"tenant"`
	provisioning.Snapshot
}

// evaluate decides for u in env, with u's record there when it has one
// (matched by object ID only, LIFE-MATCH).
func (t tenant) evaluate(u provisioning.User, env provisioning.Environment) provisioning.Decision {
	for _, r := range t.Records[env.ID] {
		if r.ObjectID == u.ObjectID {
			return provisioning.EvaluateRecord(&u, &env, &r)
		}
	}
	return provisioning.Evaluate(&u, &env)
}

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "evaluate:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("evaluate", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one decision per line as JSON")
	explain := fs.String("explain", "", "print every check for the user with this UPN (or object ID) in every environment")
	file := fs.String("tenant", "", "read the tenant from this JSON file instead of the embedded sample")
	graph := fs.String("graph", "", "read the users from this Microsoft Graph export")
	var dataverse []string
	fs.Func("dataverse", "read one environment's records from this Dataverse export (repeatable)", func(f string) error {
		dataverse = append(dataverse, f)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	data := sampleTenant
	if *file != "" {
		var err error
		if data, err = os.ReadFile(*file); err != nil {
			return err
		}
	}
	t, err := load(data)
	if err != nil {
		return err
	}
	if err := t.readExports(*graph, dataverse, *file == ""); err != nil {
		return err
	}
	switch {
	case *explain != "":
		return explainUser(out, t, *explain)
	case *asJSON:
		enc := json.NewEncoder(out)
		for _, env := range t.Environments {
			for _, u := range t.Users {
				if err := enc.Encode(t.evaluate(u, env)); err != nil {
					return err
				}
			}
		}
		return nil
	default:
		return table(out, t)
	}
}

// load reads a tenant file and validates every environment and user, so
// that a malformed one is reported by name rather than silently refused.
func load(data []byte) (tenant, error) {
	var t tenant
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return t, fmt.Errorf("tenant file: %w", err)
	}
	return t, t.Validate()
}

// readExports replaces the users with those of a Graph export, and an
// environment's records with those of each Dataverse export. The embedded
// sample's environments move to the export's tenant; those of a -tenant
// file must already be in it.
func (t *tenant) readExports(graph string, dataverse []string, sample bool) error {
	if graph != "" {
		data, err := os.ReadFile(graph)
		if err != nil {
			return err
		}
		d, err := wire.DecodeDirectory(data)
		if err != nil {
			return fmt.Errorf("%s: %w", graph, err)
		}
		if t.Users, err = d.ProvisioningUsers(); err != nil {
			return fmt.Errorf("%s: %w", graph, err)
		}
		for i := range t.Environments {
			switch env := &t.Environments[i]; {
			case sample:
				env.Tenant = d.Tenant
			case env.Tenant != d.Tenant:
				return fmt.Errorf("environment %s is in tenant %s, but %s is an export of tenant %s", env.ID, env.Tenant, graph, d.Tenant)
			}
		}
		t.Records = nil
	}
	for _, f := range dataverse {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		envID, records, err := wire.DecodeDataverseExport(data)
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if !slices.ContainsFunc(t.Environments, func(e provisioning.Environment) bool { return e.ID == envID }) {
			return fmt.Errorf("%s: no environment %q in the tenant", f, envID)
		}
		if t.Records == nil {
			t.Records = map[string][]provisioning.Record{}
		}
		t.Records[envID] = records
	}
	return nil
}

func table(out io.Writer, t tenant) error {
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ENVIRONMENT\tUSER\tADMISSION\tMODE\tFAILED\tON DEMAND BECAUSE")
	for _, env := range t.Environments {
		for _, u := range t.Users {
			d := t.evaluate(u, env)
			mode := "-"
			if d.Admitted() {
				mode = d.AccessMode().String()
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", env.ID, name(u), d.Admission(), mode, orDash(d.Failed().String()), orDash(limiting(d)))
		}
	}
	return w.Flush()
}

func explainUser(out io.Writer, t tenant, who string) error {
	for _, u := range t.Users {
		if !strings.EqualFold(u.UPN, who) && u.ObjectID != who {
			continue
		}
		for _, env := range t.Environments {
			if _, err := io.WriteString(out, t.evaluate(u, env).Explain()+"\n"); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("no user %q in the tenant", who)
}

// limiting names the rules that hold an on-demand admission there.
func limiting(d provisioning.Decision) string {
	if d.Admission() != provisioning.OnDemand {
		return ""
	}
	return d.Limiting().String()
}

func name(u provisioning.User) string {
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
