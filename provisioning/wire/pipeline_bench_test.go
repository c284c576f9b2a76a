package wire_test

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/webapi"
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
// 1,000,000; read on a goroutine of their own while the Graph export is
// read), plans the background sync of the whole tenant with two workers,
// and streams every action as a JSON line, each write followed by a line
// with its Dataverse request body, to io.Discard. The decoders check every
// user and record as they read them, and Each checks the snapshot, so the
// pipeline calls no Validate of its own. Generating the files is not
// timed (set WIRE_BENCH_DIR to keep them for the next run).
//
// Each iteration first reads the Graph export alone, as the pipeline does
// (ReadDirectory on every core, collecting), then runs the pipeline; it
// reports both times (read-s, pipeline-s) and their ratio
// (pipeline/read), the peak heap in use during the pipeline, its live
// heap at the end, and the actions and writes of one run. The heap is
// sampled with runtime/metrics every 10 ms. No GOMEMLIMIT is set.
//
// Run the large size alone: -bench 'Pipeline/users=1000000$' -benchtime
// 1x.
func BenchmarkPipeline(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			files := pipelineInputs(b, n)
			b.SetBytes(files.size)
			var read, pipeline time.Duration
			var peak uint64
			var actions, writes, rounds int
			for b.Loop() {
				sink = nil
				runtime.GC()
				start := time.Now()
				sink = readDirectory(b, files.graph)
				read += time.Since(start)
				sink = nil

				h := startHeapPeak()
				start = time.Now()
				actions, writes = runPipeline(b, files)
				pipeline += time.Since(start)
				peak = max(peak, h.stop())
				rounds++
			}
			b.ReportMetric(read.Seconds()/float64(rounds), "read-s")
			b.ReportMetric(pipeline.Seconds()/float64(rounds), "pipeline-s")
			b.ReportMetric(pipeline.Seconds()/read.Seconds(), "pipeline/read")
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapInuse)/1e6, "live-heap-MB")
			b.ReportMetric(float64(actions), "actions")
			b.ReportMetric(float64(writes), "writes")
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

// runPipeline runs the pipeline once: the Dataverse exports read on a
// goroutine while the Graph export is read, then one plan of the tenant,
// streamed.
func runPipeline(b *testing.B, files pipelineFiles) (actions, writes int) {
	type loaded struct {
		x   wire.DataverseExport
		err error
	}
	exports := make(chan []loaded, 1)
	go func() {
		var all []loaded
		for _, path := range files.dataverse {
			f, err := os.Open(path) // not open: b.Fatal belongs to the benchmark's goroutine
			if err != nil {
				all = append(all, loaded{err: err})
				continue
			}
			x, err := wire.ReadDataverseExport(bufio.NewReaderSize(f, 1<<20), nil)
			f.Close()
			all = append(all, loaded{x, err})
		}
		exports <- all
	}()
	d := readDirectory(b, files.graph)
	s := &tenant.Snapshot{Users: d.Users, Records: map[string][]provisioning.Record{}}
	for _, l := range <-exports {
		if l.err != nil {
			b.Fatal(l.err)
		}
		teams, err := d.GroupTeams(l.x.Teams, files.securityGroup)
		if err != nil {
			b.Fatal(err)
		}
		s.Environments = append(s.Environments, provisioning.Environment{
			ID: l.x.Environment, Tenant: d.Tenant, Type: provisioning.EnvProduction, Dataverse: true,
			SecurityGroup: files.securityGroup, Teams: teams, RootBusinessUnit: pipelineBusinessUnit,
		})
		s.Records[l.x.Environment] = l.x.Records
	}
	p := newPrinter()
	if _, err := tenant.Each(s, provisioning.BackgroundSync, tenant.Options{Workers: 2}, p.print); err != nil {
		b.Fatal(err)
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
		p.line = webapi.AppendWriteBody(p.line, w)
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
