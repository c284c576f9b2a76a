package wire

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
)

// found is a unit as the tests compare them.
type found struct {
	Kind       sections
	Start, End int64
	Depth      int32
}

// units walks a tenant export with jsonread, the decoder that checks
// everything, and returns the units the scanner should find: each user
// object of "users" (a page or an array of pages) and each entry of the
// relations keyed by user.
func units(t *testing.T, doc []byte) []found {
	t.Helper()
	var out []found
	d := jsonread.NewDecoder(bytes.NewReader(doc))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	value := func(kind sections) {
		d.Peek()
		start, depth := d.Offset(), d.Depth()
		must(d.Skip())
		out = append(out, found{kind, start, d.Offset(), int32(depth)})
	}
	page := func() {
		must(d.BeginObject())
		for {
			key, ok, err := d.Key()
			must(err)
			if !ok {
				return
			}
			if string(key) != "value" {
				must(d.Skip())
				continue
			}
			must(d.BeginArray())
			for {
				more, err := d.Next()
				must(err)
				if !more {
					break
				}
				value(0)
			}
		}
	}
	must(d.BeginObject())
	for {
		key, ok, err := d.Key()
		must(err)
		if !ok {
			return out
		}
		switch kind := unitsOf(key); kind {
		case 0:
			must(d.Skip())
		case topUsers:
			if k, _ := d.Peek(); k == jsonread.Object {
				page()
				continue
			}
			must(d.BeginArray())
			for {
				more, err := d.Next()
				must(err)
				if !more {
					break
				}
				page()
			}
		default:
			must(d.BeginObject())
			for {
				_, ok, err := d.Key()
				must(err)
				if !ok {
					break
				}
				value(kind)
			}
		}
	}
}

// The scanner finds every unit of an export, where it is, whatever the
// reads the input comes in: users in a page or an array of pages, entries
// a page or an array of pages, names and strings with escapes, and bytes
// that look like structure inside strings.
func TestScannerFindsUnits(t *testing.T) {
	var gen [2]bytes.Buffer
	for i, first := range []bool{true, false} {
		if err := (tenantgen.Export{Seed: 5, Users: 300, RelationsFirst: first}).WriteGraph(&gen[i]); err != nil {
			t.Fatal(err)
		}
	}
	const lone = `{"tenantId":"t","memberOf":{"u1":[{"value":[{"id":"g\"}]{["}]},{"value":[]}],"u\\2":{"value":[{"id":"x"}]}},` +
		`"groups":{"value":[{"id":"g","groupTypes":["[{"],"securityEnabled":true}]},` +
		"\"us\\u0065r\":{\"value\":[{\"id\":\"no\"}]},\n \"users\" : { \"value\" : [ {\"id\":\"u1\",\"x\":[{}],\"y\":\"}\\\\\"} , {\"id\":\"u\\\\2\"} ] } }"
	for name, doc := range map[string][]byte{"relations first": gen[0].Bytes(), "users first": gen[1].Bytes(), "by hand": []byte(lone)} {
		want := units(t, doc)
		if len(want) == 0 {
			t.Fatalf("%s: no units to find", name)
		}
		for _, size := range []int{1, 7, 4096, len(doc)} {
			var got []found
			var s scanner
			s.reset(func(kind sections, u unit) { got = append(got, found{kind, u.start, u.end, u.depth}) })
			for at := 0; at < len(doc); at += size {
				s.scan(doc[at:min(at+size, len(doc))], int64(at))
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, reads of %d bytes: units mismatch (-want +got):\n%s", name, size, diff)
			}
		}
	}
}

// BenchmarkScanner scans a generated export of 10,000 users, relations
// first: the work the scanner goroutine does for each byte.
func BenchmarkScanner(b *testing.B) {
	var doc bytes.Buffer
	if err := (tenantgen.Export{Seed: 1, Users: 10_000, RelationsFirst: true}).WriteGraph(&doc); err != nil {
		b.Fatal(err)
	}
	n := 0
	b.SetBytes(int64(doc.Len()))
	for b.Loop() {
		var s scanner
		s.reset(func(sections, unit) { n++ })
		for at := 0; at < doc.Len(); at += jsonread.BufferSize {
			s.scan(doc.Bytes()[at:min(at+jsonread.BufferSize, doc.Len())], int64(at))
		}
	}
	sink = fmt.Sprint(n)
}

var sink any
