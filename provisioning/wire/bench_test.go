package wire_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// The hand-written structs of the export's shape, for the encoding/json
// baseline: what json.NewDecoder(r).Decode(&v) reads the same input into.
type (
	basePage[T any] struct {
		Context  string `json:"@odata.context"`
		NextLink string `json:"@odata.nextLink"`
		Value    []T    `json:"value"`
	}
	baseUser struct {
		ODataType         string   `json:"@odata.type"`
		ID                string   `json:"id"`
		UserPrincipalName string   `json:"userPrincipalName"`
		AccountEnabled    *bool    `json:"accountEnabled"`
		UserType          string   `json:"userType"`
		DisplayName       string   `json:"displayName"`
		GivenName         string   `json:"givenName"`
		Surname           string   `json:"surname"`
		JobTitle          string   `json:"jobTitle"`
		Mail              string   `json:"mail"`
		BusinessPhones    []string `json:"businessPhones"`
		MobilePhone       string   `json:"mobilePhone"`
		StreetAddress     string   `json:"streetAddress"`
		City              string   `json:"city"`
		State             string   `json:"state"`
		PostalCode        string   `json:"postalCode"`
		Country           string   `json:"country"`
		DeletedDateTime   string   `json:"deletedDateTime"`
	}
	baseServicePrincipal struct {
		ID             string `json:"id"`
		AppID          string `json:"appId"`
		AccountEnabled *bool  `json:"accountEnabled"`
		DisplayName    string `json:"displayName"`
	}
	baseRoleAssignment struct {
		ID               string `json:"id"`
		PrincipalID      string `json:"principalId"`
		RoleDefinitionID string `json:"roleDefinitionId"`
		DirectoryScopeID string `json:"directoryScopeId"`
	}
	baseLicense struct {
		ID            string `json:"id"`
		SKUID         string `json:"skuId"`
		SKUPartNumber string `json:"skuPartNumber"`
		ServicePlans  []struct {
			ServicePlanID      string `json:"servicePlanId"`
			ServicePlanName    string `json:"servicePlanName"`
			ProvisioningStatus string `json:"provisioningStatus"`
			AppliesTo          string `json:"appliesTo"`
		} `json:"servicePlans"`
	}
	baseObject struct {
		ODataType      string `json:"@odata.type"`
		ID             string `json:"id"`
		DisplayName    string `json:"displayName"`
		RoleTemplateID string `json:"roleTemplateId"`
	}
	baseGroup struct {
		ID              string   `json:"id"`
		DisplayName     string   `json:"displayName"`
		GroupTypes      []string `json:"groupTypes"`
		MembershipRule  string   `json:"membershipRule"`
		SecurityEnabled bool     `json:"securityEnabled"`
		MailEnabled     bool     `json:"mailEnabled"`
	}
	baseExport struct {
		TenantID           string                           `json:"tenantId"`
		Users              []basePage[baseUser]             `json:"users"`
		ServicePrincipals  basePage[baseServicePrincipal]   `json:"servicePrincipals"`
		RoleAssignments    basePage[baseRoleAssignment]     `json:"roleAssignments"`
		Groups             basePage[baseGroup]              `json:"groups"`
		LicenseDetails     map[string]basePage[baseLicense] `json:"licenseDetails"`
		MemberOf           map[string]basePage[baseObject]  `json:"memberOf"`
		TransitiveMemberOf map[string]basePage[baseObject]  `json:"transitiveMemberOf"`
		OwnedObjects       map[string]basePage[baseObject]  `json:"ownedObjects"`
		GroupMembers       map[string]basePage[baseObject]  `json:"groupMembers"`
		GroupOwners        map[string]basePage[baseObject]  `json:"groupOwners"`
		GroupMemberOf      map[string]basePage[baseObject]  `json:"groupMemberOf"`
	}
)

// sink keeps benchmark results alive.
var sink any

// generated holds the exports the benchmarks generated, by name, for the
// life of the test binary.
var generated sync.Map

// exportFile returns the path and size of a generated export of n users,
// written once per test binary into benchDir.
func exportFile(b *testing.B, n int, relationsFirst bool) (string, int64) {
	b.Helper()
	key := fmt.Sprintf("tenant-%d-%v.json", n, relationsFirst)
	if v, ok := generated.Load(key); ok {
		path := v.(string)
		st, err := os.Stat(path)
		if err == nil {
			return path, st.Size()
		}
	}
	path := filepath.Join(benchDir(b), key)
	if st, err := os.Stat(path); err == nil && keepBenchDir() {
		generated.Store(key, path)
		return path, st.Size()
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	e := provisioningtest.Export{Seed: 1, Users: n, RelationsFirst: relationsFirst}
	if err := e.WriteGraph(f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	generated.Store(key, path)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, st.Size()
}

var (
	benchDirOnce sync.Once
	benchDirPath string
)

// benchDir returns a directory for generated exports: $WIRE_BENCH_DIR
// when it is set, whose exports are kept and used again by later runs
// (writing the million-user ones takes a minute; empty the directory when
// tenantgen changes), else a temporary directory removed when the
// benchmarks end (see TestMain).
func benchDir(b *testing.B) string {
	benchDirOnce.Do(func() {
		var err error
		if keepBenchDir() {
			benchDirPath = os.Getenv("WIRE_BENCH_DIR")
			err = os.MkdirAll(benchDirPath, 0o755)
		} else {
			benchDirPath, err = os.MkdirTemp("", "wire-bench-")
		}
		if err != nil {
			b.Fatal(err)
		}
	})
	return benchDirPath
}

// keepBenchDir reports whether the generated exports are kept.
func keepBenchDir() bool { return os.Getenv("WIRE_BENCH_DIR") != "" }

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDirPath != "" && !keepBenchDir() {
		os.RemoveAll(benchDirPath)
	}
	os.Exit(code)
}

// heapPeak samples the heap while a benchmark runs and reports its peak.
type heapPeak struct {
	stopped chan struct{}
	done    chan [2]uint64
}

func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{stopped: make(chan struct{}), done: make(chan [2]uint64)}
	go func() {
		// runtime/metrics, unlike runtime.ReadMemStats, does not stop the
		// world, so that sampling does not slow what it measures.
		samples := []metrics.Sample{
			{Name: "/memory/classes/heap/objects:bytes"},
			{Name: "/memory/classes/heap/unused:bytes"},
			{Name: "/gc/heap/live:bytes"},
		}
		var peak [2]uint64
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			peak[0] = max(peak[0], samples[0].Value.Uint64()+samples[1].Value.Uint64())
			peak[1] = max(peak[1], samples[2].Value.Uint64())
			select {
			case <-h.stopped:
				h.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

// stop stops the sampling and returns the peak heap in use (live objects,
// garbage not yet swept and free space in spans: HeapInuse).
func (h *heapPeak) stop() uint64 {
	close(h.stopped)
	peak := <-h.done
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return max(peak[0], ms.HeapInuse)
}

// BenchmarkDecodeDirectory reads a generated whole-tenant export of
// 10,000, 100,000 and 1,000,000 users, with the relations first and with
// "users" first (each written once to a file, and read from it), by
// three readers taking turns within each iteration, on the same file:
//
//   - encoding-json: json.NewDecoder(f).Decode(&v) into baseExport,
//     hand-written structs of the export's Graph shapes: the input, and
//     nothing more;
//   - wire-1: ReadDirectory on one goroutine (Options.Workers 1),
//     collecting every user (provisioning.User values, licenses
//     classified, relations matched, every user validated);
//   - wire: the same on every core (Options.Workers 0).
//
// Each reports its time a read (<reader>-s) and its peak heap in use
// (<reader>-peak-MB), and the ratios of encoding-json's time to the
// others' (json/wire-1, json/wire), measured side by side in the same
// iterations, so that the load of a shared machine weighs on all three.
// ns/op is the three together. Run one size alone with, for example,
// -bench 'DecodeDirectory/users=1000000/' -benchtime 1x; set
// WIRE_BENCH_DIR to keep the exports for the next run.
func BenchmarkDecodeDirectory(b *testing.B) {
	readers := []struct {
		name string
		read func(io.Reader) (any, error)
	}{
		{"encoding-json", func(r io.Reader) (any, error) {
			var v baseExport
			err := json.NewDecoder(r).Decode(&v)
			return &v, err
		}},
		{"wire-1", func(r io.Reader) (any, error) { return wire.ReadDirectory(r, wire.Options{Workers: 1}, nil) }},
		{"wire", func(r io.Reader) (any, error) { return wire.ReadDirectory(r, wire.Options{}, nil) }},
	}
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		for _, order := range []struct {
			name           string
			relationsFirst bool
		}{{"relations-first", true}, {"users-first", false}} {
			b.Run(fmt.Sprintf("users=%d/%s", n, order.name), func(b *testing.B) {
				path, size := exportFile(b, n, order.relationsFirst)
				b.SetBytes(size)
				took := make([]time.Duration, len(readers))
				peaks := make([]uint64, len(readers))
				rounds := 0
				for b.Loop() {
					for i, r := range readers {
						sink = nil // the last result is garbage while this one is read
						peak := startHeapPeak()
						start := time.Now()
						f := open(b, path)
						v, err := r.read(f)
						f.Close()
						took[i] += time.Since(start)
						if err != nil {
							b.Fatal(err)
						}
						sink = v
						peaks[i] = max(peaks[i], peak.stop())
					}
					rounds++
				}
				sink = nil
				for i, r := range readers {
					b.ReportMetric(took[i].Seconds()/float64(rounds), r.name+"-s")
					b.ReportMetric(float64(peaks[i])/1e6, r.name+"-peak-MB")
				}
				b.ReportMetric(took[0].Seconds()/took[1].Seconds(), "json/wire-1")
				b.ReportMetric(took[0].Seconds()/took[2].Seconds(), "json/wire")
			})
		}
	}
}

// open opens a generated export, buffered as a caller would.
func open(b *testing.B, path string) *bufferedFile {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return &bufferedFile{Reader: bufio.NewReaderSize(f, 1<<20), f: f}
}

type bufferedFile struct {
	*bufio.Reader
	f *os.File
}

func (b *bufferedFile) Close() error { return b.f.Close() }

var _ io.Reader = (*bufferedFile)(nil)

// dataverseFile returns the path of the generated Dataverse export of
// environment env of the tenant of n users, written once into benchDir.
func dataverseFile(b *testing.B, n int, env string) string {
	b.Helper()
	path := filepath.Join(benchDir(b), fmt.Sprintf("dataverse-%d-%s.json", n, env))
	if _, err := os.Stat(path); err == nil && keepBenchDir() {
		return path
	}
	if _, ok := generated.Load(path); ok {
		return path
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := (provisioningtest.Export{Seed: 1, Users: n}).WriteDataverse(f, env); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	generated.Store(path, path)
	return path
}

// BenchmarkDecodeDataverseExport reads the Dataverse export of the
// sandbox environment of a 100,000-user tenant (16,930 records, 13 MB: its
// records are those the rules give, and sandbox, which has no security
// group, admits the most).
func BenchmarkDecodeDataverseExport(b *testing.B) {
	path := dataverseFile(b, 100_000, "sandbox")
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		sink = nil
		f := open(b, path)
		x, err := wire.ReadDataverseExport(f, nil)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		sink = x
	}
}

// BenchmarkLiveHeap reads, collecting, the generated whole-tenant export
// of 100,000 and of 1,000,000 users (relations first), and the Dataverse
// export of the tenant's sandbox environment (its records are those the
// rules give; sandbox, with no security group, admits the most: 16,930 at
// 100,000 users), and reports the live heap each result holds: the heap
// after a collection (runtime.MemStats.HeapAlloc) with the result, less
// that before, by user (users and service principals, with everything
// the Directory holds besides) and by record. Run with -memprofile to see
// where the bytes are (go tool pprof -sample_index=inuse_space): the
// results of the last iteration are kept to the end.
func BenchmarkLiveHeap(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			graph, _ := exportFile(b, n, true)
			dataverse := dataverseFile(b, n, "sandbox")
			var perUser, perRecord float64
			var users, records int
			for b.Loop() {
				sink, liveSink = nil, nil
				before := liveHeap()
				d := readDirectory(b, graph)
				perUser, users = float64(liveHeap()-before)/float64(len(d.Users)), len(d.Users)
				before = liveHeap()
				f := open(b, dataverse)
				x, err := wire.ReadDataverseExport(f, nil)
				f.Close()
				if err != nil {
					b.Fatal(err)
				}
				perRecord, records = float64(liveHeap()-before)/float64(len(x.Records)), len(x.Records)
				liveSink = []any{d, x}
			}
			b.ReportMetric(perUser, "B/user")
			b.ReportMetric(perRecord, "B/record")
			b.ReportMetric(float64(users), "users")
			b.ReportMetric(float64(records), "records")
		})
	}
}

// liveSink keeps BenchmarkLiveHeap's results to the end, for a heap
// profile.
var liveSink any

// liveHeap returns the bytes of the objects alive after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
