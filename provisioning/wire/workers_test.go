package wire_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// reading is what a read of a whole-tenant export gave: the directory (its
// users collected, or streamed to yield) or the error, every field of it.
type reading struct {
	Dir      *wire.Directory
	Streamed []provisioning.User
	Err      string
	Where    wire.Error // the *wire.Error's fields but Err
}

// readWith reads data, from the reader open makes of it, with workers
// goroutines; streaming, it passes the users to a yield that stops the
// read after stop of them (0: never).
func readWith(data []byte, open func(io.Reader) io.Reader, workers int, stream bool, stop int) reading {
	var got reading
	var yield func(provisioning.User) error
	if stream {
		yield = func(u provisioning.User) error {
			got.Streamed = append(got.Streamed, u)
			if len(got.Streamed) == stop {
				return errStop
			}
			return nil
		}
	}
	d, err := wire.ReadDirectory(open(bytes.NewReader(data)), wire.Options{Workers: workers}, yield)
	got.Dir = d
	if err != nil {
		got.Err = err.Error()
		var we *wire.Error
		if errors.As(err, &we) {
			got.Where = *we
			got.Where.Err = nil
		}
	}
	return got
}

var errStop = errors.New("enough")

// readers are the ways the tests hand an input to a reader.
var readers = map[string]func(io.Reader) io.Reader{
	"whole":    func(r io.Reader) io.Reader { return r },
	"half":     iotest.HalfReader,
	"data-eof": iotest.DataErrReader,
	"timeout":  iotest.TimeoutReader, // fails on its second read
	"reset": func(r io.Reader) io.Reader { // fails after 300,000 bytes
		return io.MultiReader(io.LimitReader(r, 300_000), iotest.ErrReader(errors.New("connection reset")))
	},
}

// agree fails t unless reading data with several goroutines gives what
// reading it on one gives, collecting and streaming; all of it, or, when
// quick, with two goroutines and no stop.
func agree(t *testing.T, name string, data []byte, open func(io.Reader) io.Reader, quick bool) {
	t.Helper()
	for _, stream := range []bool{false, true} {
		for _, stop := range []int{0, 7} {
			if stop > 0 && (!stream || quick) {
				continue
			}
			one := readWith(data, open, 1, stream, stop)
			for _, workers := range []int{2, 3} {
				if quick && workers > 2 {
					continue
				}
				many := readWith(data, open, workers, stream, stop)
				if diff := cmp.Diff(one, many); diff != "" {
					t.Fatalf("%s, streaming %v, stop %d: %d workers read differently from one (-one +%d):\n%s", name, stream, stop, workers, workers, diff)
				}
			}
		}
	}
}

// tenantExport returns a generated whole-tenant export of n users.
func tenantExport(t testing.TB, n int, relationsFirst bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := (provisioningtest.Export{Seed: 7, Users: n, RelationsFirst: relationsFirst}).WriteGraph(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The users, their order, and the error of a read on several goroutines
// are those of a read on one: for the testdata, the hostile corpus, and
// generated exports in both orders, whole and cut, corrupted at places
// spread over them, handed over by readers that read little at a time or
// fail part way.
func TestReadDirectoryWorkersAgree(t *testing.T) {
	inputs := map[string][]byte{
		"directory.json":        read(t, "directory.json"),
		"directory-groups.json": read(t, "directory-groups.json"),
	}
	hostileFiles, _ := filepath.Glob(filepath.Join("testdata", "hostile", "tenant", "*.json"))
	for _, path := range hostileFiles {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		inputs[path] = data
	}
	for name, data := range inputs {
		for rname, open := range readers {
			agree(t, name+"/"+rname, data, open, false)
		}
		agree(t, name+"/bytewise", data, iotest.OneByteReader, false)
	}
	for _, first := range []bool{true, false} {
		data := tenantExport(t, 600, first)
		name := fmt.Sprintf("generated, relations first %v", first)
		for rname, open := range readers {
			agree(t, name+"/"+rname, data, open, rname != "whole")
		}
		whole := readers["whole"]
		// Corrupted: a byte changed, a byte gone, the input cut, at
		// places spread over the whole export.
		const places = 16
		for k := range places {
			at := (k*len(data))/places + k*131%997
			for i, bad := range []string{`"`, `{`, `]`, `\`, "\xff", "", "cut"} {
				if (k+i)%3 != 0 {
					continue // a third of the combinations: enough, and quick
				}
				var c []byte
				switch bad {
				case "cut":
					c = data[:at]
				default:
					c = append(append(append([]byte{}, data[:at]...), bad...), data[at+1:]...)
				}
				agree(t, fmt.Sprintf("%s, %q at %d", name, bad, at), c, whole, true)
			}
		}
	}
}

// A read on several goroutines streams as one does: with the relations
// first, the users come long before the end of the input.
func TestReadDirectoryWorkersStream(t *testing.T) {
	doc := export(3000, true)
	for _, workers := range []int{1, 4} {
		cr := &countingReader{r: strings.NewReader(doc)}
		readAtFirst := -1
		_, err := wire.ReadDirectory(cr, wire.Options{Workers: workers}, func(provisioning.User) error {
			if readAtFirst < 0 {
				readAtFirst = cr.n
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if readAtFirst < 0 || readAtFirst >= len(doc)-len(doc)/4 {
			t.Errorf("%d workers: %d of %d bytes read before the first user", workers, readAtFirst, len(doc))
		}
	}
}

// A read on several goroutines leaves none running once it returns,
// whether it ends with the input, an error of the input, or an error of
// yield.
func TestReadDirectoryWorkersEnd(t *testing.T) {
	data := tenantExport(t, 2000, true)
	before := runtime.NumGoroutine()
	for _, c := range []struct {
		name  string
		data  []byte
		yield func(provisioning.User) error
	}{
		{"whole", data, nil},
		{"cut", data[:len(data)/2], nil},
		{"stopped", data, func(provisioning.User) error { return errStop }},
	} {
		if _, err := wire.ReadDirectory(bytes.NewReader(c.data), wire.Options{Workers: 4}, c.yield); (err == nil) != (c.name == "whole") {
			t.Errorf("%s: error %v", c.name, err)
		}
		for range 100 {
			if runtime.NumGoroutine() <= before {
				break
			}
			time.Sleep(time.Millisecond) // a goroutine that has returned may take a moment to go
		}
		if n := runtime.NumGoroutine(); n > before {
			t.Errorf("%s: %d goroutines after the read, %d before", c.name, n, before)
		}
	}
}

// Options.Workers 1 reads on the calling goroutine alone: no goroutine is
// started, however long the export, and several start once it is long.
func TestReadDirectoryOneWorkerStartsNoGoroutine(t *testing.T) {
	data := tenantExport(t, 2000, true) // users streamed while the input is read
	for _, c := range []struct {
		workers int
		more    bool
	}{{1, false}, {3, true}} {
		before := runtime.NumGoroutine()
		most := 0
		_, err := wire.ReadDirectory(bytes.NewReader(data), wire.Options{Workers: c.workers}, func(provisioning.User) error {
			most = max(most, runtime.NumGoroutine())
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if started := most > before; started != c.more {
			t.Errorf("%d workers: %d goroutines while reading, %d before", c.workers, most, before)
		}
	}
}
