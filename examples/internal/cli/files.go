package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/provisionrules/provisionrules/provisioning/load"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
)

// Files names the input files of an example.
type Files struct {
	// Tenant is a tenant file; empty for the embedded sample.
	Tenant string
	// Graph is a whole-tenant Microsoft Graph export, whose users replace
	// the tenant file's.
	Graph string
	// Dataverse are Dataverse exports, each replacing one environment's
	// records and group teams.
	Dataverse []string
}

// Register defines the flags -tenant, -graph and -dataverse on fs.
func (f *Files) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Tenant, "tenant", "", "read the tenant (its environments, and optionally users, records and groups) from this tenant file instead of the embedded sample (see the README for its shape)")
	fs.StringVar(&f.Graph, "graph", "", "read the users, the tenant ID and the groups from this whole-tenant Microsoft Graph export (needs -tenant)")
	fs.Func("dataverse", "read one environment's records and group teams from this Dataverse export (repeatable; needs -tenant)", func(path string) error {
		f.Dataverse = append(f.Dataverse, path)
		return nil
	})
}

// Load reads the tenant file, or sample when there is none, and the
// exports, with load.Read. Exports need a tenant file of their own: a
// real tenant's users are never paired with the sample's environments.
func (f *Files) Load(sample []byte) (*tenant.Snapshot, error) {
	in := load.Files{Tenant: load.Source{Name: "the embedded tenant", Reader: bytes.NewReader(sample)}}
	if f.Tenant == "" && (f.Graph != "" || len(f.Dataverse) > 0) {
		return nil, usageError{errors.New("-graph and -dataverse need -tenant, the tenant file of that tenant's environments (examples/gentenant -environments writes one for a generated tenant)")}
	}
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	open := func(path string) (load.Source, error) {
		file, err := os.Open(path)
		if err != nil {
			return load.Source{}, err
		}
		closers = append(closers, file)
		return load.Source{Name: path, Reader: file}, nil
	}
	var err error
	if f.Tenant != "" {
		if in.Tenant, err = open(f.Tenant); err != nil {
			return nil, err
		}
	}
	if f.Graph != "" {
		if in.Directory, err = open(f.Graph); err != nil {
			return nil, err
		}
	}
	for _, path := range f.Dataverse {
		src, err := open(path)
		if err != nil {
			return nil, err
		}
		in.Dataverse = append(in.Dataverse, src)
	}
	return load.Read(in)
}

// Guard holds the flags that say what an example does with the findings
// of the tenant's health check and with a plan's disables.
type Guard struct {
	// Accept accepts every error finding: the administrator has read them.
	Accept bool
	// MaxDisables is the most records a plan may disable; 0 is the
	// library's default, -1 none.
	MaxDisables int
}

// Register defines the flags -accept and -max-disables on fs.
func (g *Guard) Register(fs *flag.FlagSet) {
	fs.BoolVar(&g.Accept, "accept", false, "run despite the health check's error findings, which are printed first: say it only once you have read them")
	fs.IntVar(&g.MaxDisables, "max-disables", 0, "the most records a plan may disable (CHK-DISABLE-THRESHOLD): 0 for the default of "+strconv.Itoa(tenant.DefaultMaxDisables)+", -1 for no limit")
}

// ErrFindings is returned when the health check has error findings and
// the example may not run.
var ErrFindings = errors.New("the tenant's health check has error findings: nothing was planned (read them above; -accept runs anyway)")

// Options runs the health check of s and prints its findings to w, then
// returns the options of a plan: workers, the disable threshold and the
// findings accepted. With an error finding and no -accept, it returns
// ErrFindings.
func (g *Guard) Options(s *tenant.Snapshot, w io.Writer, workers int) (tenant.Options, error) {
	found, err := tenant.Diagnose(s)
	if err != nil {
		return tenant.Options{}, err
	}
	if err := PrintFindings(w, found); err != nil {
		return tenant.Options{}, err
	}
	opts := tenant.Options{Workers: workers, MaxDisables: g.MaxDisables}
	for _, f := range found {
		if f.Severity == tenant.SeverityError {
			if !g.Accept {
				return opts, ErrFindings
			}
			opts.Accept = append(opts.Accept, f)
		}
	}
	return opts, nil
}

// PrintFindings writes the findings to w, one block each: severity, rule,
// environment and reason, then the fix; nothing when there are none.
func PrintFindings(w io.Writer, found []tenant.Finding) error {
	if len(found) == 0 {
		return nil
	}
	errs := 0
	for _, f := range found {
		if f.Severity == tenant.SeverityError {
			errs++
		}
	}
	fmt.Fprintf(w, "Health check: %s, %s.\n", Count(errs, "error"), Count(len(found)-errs, "warning"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range found {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Severity, f.Rule, f.Environment, f.Reason)
		fmt.Fprintf(tw, "\t\t\tfix: %s\n", f.Fix)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w)
	return err
}

// Count writes n and noun, with an s when n is not 1: "1 error",
// "2 warnings".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
