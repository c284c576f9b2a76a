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

	"github.com/provisionrules/provisionrules/provisioning"
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
// written once per test binary into a temporary directory (removed by
// TestMain's caller: the directory is under os.TempDir and named for it).
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

// benchDir returns a directory for generated exports, removed when the
// benchmarks end (see TestMain).
func benchDir(b *testing.B) string {
	benchDirOnce.Do(func() {
		var err error
		if benchDirPath, err = os.MkdirTemp("", "wire-bench-"); err != nil {
			b.Fatal(err)
		}
	})
	return benchDirPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDirPath != "" {
		os.RemoveAll(benchDirPath)
	}
	os.Exit(code)
}

// heapPeak samples the heap while a benchmark runs and reports its peak.
type heapPeak struct {
	stop chan struct{}
	done chan [2]uint64
}

func startHeapPeak() *heapPeak {
	runtime.GC()
	h := &heapPeak{stop: make(chan struct{}), done: make(chan [2]uint64)}
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
			case <-h.stop:
				h.done <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return h
}

// report stops the sampling and reports the peak heap in use (live
// objects, garbage not yet swept and free space in spans: HeapInuse),
// the peak live heap (as the last GC found it), the heap in use after the
// run (holding its result), and the memory taken from the system.
func (h *heapPeak) report(b *testing.B) {
	close(h.stop)
	peak := <-h.done
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(max(peak[0], ms.HeapInuse))/1e6, "peak-heap-MB")
	b.ReportMetric(float64(peak[1])/1e6, "peak-live-MB")
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapInuse)/1e6, "live-heap-MB")
	b.ReportMetric(float64(ms.Sys)/1e6, "sys-MB")
}

// BenchmarkDecodeDirectory decodes a generated whole-tenant export of 10,000
// and of 1,000,000 users (written once, to a temporary file, and read from
// it) with this package, and with encoding/json into hand-written structs
// of the same shape, in one run:
//
//   - wire: ReadDirectory of the export with "users" first, collecting
//     every user (provisioning.User values, with licenses classified,
//     relations matched and every user validated);
//   - wire-stream: ReadDirectory of the export with the relations first,
//     counting the users it yields and keeping none;
//   - encoding-json: json.NewDecoder(f).Decode(&v) of the "users" first
//     export into baseExport: the same input, the Graph shapes only.
//
// Run one size alone with -bench 'DecodeDirectory/users=10000$' or
// -bench 'DecodeDirectory/users=1000000$' -benchtime 1x.
func BenchmarkDecodeDirectory(b *testing.B) {
	for _, n := range []int{10_000, 1_000_000} {
		b.Run(fmt.Sprintf("users=%d", n), func(b *testing.B) {
			b.Run("wire", func(b *testing.B) {
				path, size := exportFile(b, n, false)
				b.SetBytes(size)
				b.ReportAllocs()
				peak := startHeapPeak()
				for b.Loop() {
					sink = nil // the last result is garbage while this one is read
					f := open(b, path)
					d, err := wire.ReadDirectory(f, wire.Options{}, nil)
					f.Close()
					if err != nil {
						b.Fatal(err)
					}
					sink = d
				}
				peak.report(b)
				sink = nil
			})
			b.Run("wire-stream", func(b *testing.B) {
				path, size := exportFile(b, n, true)
				b.SetBytes(size)
				b.ReportAllocs()
				peak := startHeapPeak()
				for b.Loop() {
					f := open(b, path)
					count := 0
					_, err := wire.ReadDirectory(f, wire.Options{}, func(provisioning.User) error { count++; return nil })
					f.Close()
					if err != nil {
						b.Fatal(err)
					}
					sink = count
				}
				peak.report(b)
			})
			b.Run("encoding-json", func(b *testing.B) {
				path, size := exportFile(b, n, false)
				b.SetBytes(size)
				b.ReportAllocs()
				peak := startHeapPeak()
				for b.Loop() {
					sink = nil
					f := open(b, path)
					var v baseExport
					err := json.NewDecoder(f).Decode(&v)
					f.Close()
					if err != nil {
						b.Fatal(err)
					}
					sink = &v
				}
				peak.report(b)
				sink = nil
			})
		})
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

// BenchmarkDecodeDataverseExport reads the Dataverse export of the
// sandbox environment of a 100,000-user tenant (16,930 records, 13 MB: its
// records are those the rules give, and sandbox, which has no security
// group, admits the most).
func BenchmarkDecodeDataverseExport(b *testing.B) {
	e := provisioningtest.Export{Seed: 1, Users: 100_000}
	path := filepath.Join(benchDir(b), "dataverse.json")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := e.WriteDataverse(f, "sandbox"); err != nil {
		b.Fatal(err)
	}
	f.Close()
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
