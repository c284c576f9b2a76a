package wire_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// pipelineEnvironments is how many environments the pipeline benchmark
// plans for.
const pipelineEnvironments = 5

// pipelineBusinessUnit is the root business unit of every environment of
// the pipeline benchmark, which each create binds.
const pipelineBusinessUnit = "3f2a8c10-5b6d-4e7f-9a01-2b3c4d5e6f70"

// BenchmarkPipeline runs the whole path from files to applied plan, as a
// service syncing a large tenant would: it reads a generated whole-tenant
// Graph export (relations first) and the Dataverse export of each of five
// environments (each written with the rules of the generated tenant's
// prod, with its group teams: 490 records at 10,000 users, 11,532 at
// 1,000,000), plans the background sync with two workers, and streams every
// action as a JSON line, each write followed by a line with its Dataverse
// request body, to io.Discard. The decoders check every user and record
// as they read them, and Each checks the snapshot, so the pipeline calls
// no Validate of its own. Generating the files is not timed.
//
// Two shapes of the pipeline are measured:
//
//   - whole: every environment's records read, then one plan of the whole
//     tenant, as examples/plan does;
//   - by-environment: the directory read once, then each environment in
//     turn, in ID order, planned and let go, while one goroutine reads the
//     next environment's export (the first while the directory is read).
//     The actions are the same, in the same order (see the tenant
//     package's TestPlanByEnvironment); the memory is the directory and
//     two environments' records.
//
// The live heap of by-environment at a million users peaked at 1.4 to
// 1.55 GB when each export held the records of 30 % of the users;
// under the default GOGC=100 garbage may grow the heap in use to twice
// that before a collection. Run with GOMEMLIMIT=1850MiB, as a service
// given a 2 GB budget would, to hold the heap within it.
//
// Each reports the peak heap in use and the actions and writes of one
// run. Run the large size alone: -bench 'Pipeline/users=1000000/'
// -benchtime 1x.
func BenchmarkPipeline(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			for _, shape := range []struct {
				name string
				run  func(*testing.B, pipelineFiles) (int, int)
			}{{"whole", pipelineWhole}, {"by-environment", pipelineByEnvironment}} {
				b.Run(shape.name, func(b *testing.B) {
					files := pipelineInputs(b, n)
					b.SetBytes(files.size)
					b.ReportAllocs()
					peak := startHeapPeak()
					var actions, writes int
					for b.Loop() {
						actions, writes = shape.run(b, files)
					}
					peak.report(b)
					b.ReportMetric(float64(actions), "actions")
					b.ReportMetric(float64(writes), "writes")
				})
			}
		})
	}
}

// pipelineFiles are the generated inputs of one pipeline run.
type pipelineFiles struct {
	graph         string
	dataverse     []string // one export per environment, in ID order
	securityGroup string
	size          int64 // bytes of every file
}

// pipelineInputs writes (once per test binary) the Graph export of n users
// and the Dataverse exports of their environments.
func pipelineInputs(b *testing.B, n int) pipelineFiles {
	b.Helper()
	e := provisioningtest.Export{Seed: 1, Users: n, RelationsFirst: true}
	var files pipelineFiles
	files.graph, files.size = exportFile(b, n, true)
	files.securityGroup = e.SecurityGroup()
	for i := range pipelineEnvironments {
		path := filepath.Join(benchDir(b), fmt.Sprintf("dataverse-%d-%d.json", n, i))
		if _, err := os.Stat(path); err != nil {
			writeDataverse(b, e, path, "env-"+strconv.Itoa(i))
		}
		st, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		files.size += st.Size()
		files.dataverse = append(files.dataverse, path)
	}
	return files
}

func writeDataverse(b *testing.B, e provisioningtest.Export, path, env string) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.WriteDataverse(f, env); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// readDirectory reads the Graph export.
func readDirectory(b *testing.B, path string) *wire.Directory {
	f := open(b, path)
	defer f.Close()
	d, err := wire.ReadDirectory(f, wire.Options{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// readEnvironment reads one Dataverse export into its environment, with
// its group teams, and its records.
func readEnvironment(b *testing.B, d *wire.Directory, path, securityGroup string) (provisioning.Environment, []provisioning.Record) {
	f := open(b, path)
	defer f.Close()
	x, err := wire.ReadDataverseExport(f, nil)
	if err != nil {
		b.Fatal(err)
	}
	teams, err := d.GroupTeams(x.Teams, securityGroup)
	if err != nil {
		b.Fatal(err)
	}
	env := provisioning.Environment{
		ID: x.Environment, Tenant: d.Tenant, Type: provisioning.EnvProduction, Dataverse: true,
		SecurityGroup: securityGroup, Teams: teams, RootBusinessUnit: pipelineBusinessUnit,
	}
	return env, x.Records
}

func pipelineWhole(b *testing.B, files pipelineFiles) (actions, writes int) {
	d := readDirectory(b, files.graph)
	s := &tenant.Snapshot{Users: d.Users, Records: map[string][]provisioning.Record{}}
	for _, path := range files.dataverse {
		env, records := readEnvironment(b, d, path, files.securityGroup)
		s.Environments = append(s.Environments, env)
		s.Records[env.ID] = records
	}
	p := newPrinter()
	if _, err := tenant.Each(s, provisioning.BackgroundSync, tenant.Options{Workers: 2}, p.print); err != nil {
		b.Fatal(err)
	}
	return p.done(b)
}

func pipelineByEnvironment(b *testing.B, files pipelineFiles) (actions, writes int) {
	// One goroutine reads the Dataverse exports in turn while the directory
	// is read and the environment before is planned: at most two
	// environments' records are held, the one planned and the next.
	type loaded struct {
		env     provisioning.Environment
		records []provisioning.Record
	}
	dir := make(chan *wire.Directory, 1)
	envs := make(chan loaded)
	failed := make(chan error, 1)
	go func() {
		defer close(envs)
		var d *wire.Directory
		for _, path := range files.dataverse {
			f, err := os.Open(path) // not open: b.Fatal belongs to the benchmark's goroutine
			if err != nil {
				failed <- err
				return
			}
			x, err := wire.ReadDataverseExport(bufio.NewReaderSize(f, 1<<20), nil)
			f.Close()
			if err != nil {
				failed <- err
				return
			}
			if d == nil {
				d = <-dir
			}
			teams, err := d.GroupTeams(x.Teams, files.securityGroup)
			if err != nil {
				failed <- err
				return
			}
			envs <- loaded{provisioning.Environment{
				ID: x.Environment, Tenant: d.Tenant, Type: provisioning.EnvProduction, Dataverse: true,
				SecurityGroup: files.securityGroup, Teams: teams, RootBusinessUnit: pipelineBusinessUnit,
			}, x.Records}
		}
	}()
	d := readDirectory(b, files.graph)
	dir <- d
	p := newPrinter()
	for l := range envs {
		s := &tenant.Snapshot{
			Users:        d.Users,
			Environments: []provisioning.Environment{l.env},
			Records:      map[string][]provisioning.Record{l.env.ID: l.records},
		}
		if _, err := tenant.Each(s, provisioning.BackgroundSync, tenant.Options{Workers: 2}, p.print); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case err := <-failed:
		b.Fatal(err)
	default:
	}
	return p.done(b)
}

// printer streams a plan's actions as JSON Lines, each write followed by
// its request body, to io.Discard.
type printer struct {
	out             *bufio.Writer
	line            []byte
	actions, writes int
}

func newPrinter() *printer { return &printer{out: bufio.NewWriterSize(io.Discard, 1<<16)} }

func (p *printer) print(st *tenant.Step) error {
	p.actions++
	p.line = st.Action.AppendJSON(p.line[:0])
	if st.Action.Writes() {
		p.writes++
		w, err := st.Write()
		if err != nil {
			return err
		}
		p.line = append(p.line, '\n')
		p.line = wire.AppendWriteBody(p.line, w)
	}
	p.line = append(p.line, '\n')
	_, err := p.out.Write(p.line)
	return err
}

func (p *printer) done(b *testing.B) (actions, writes int) {
	if err := p.out.Flush(); err != nil {
		b.Fatal(err)
	}
	return p.actions, p.writes
}
