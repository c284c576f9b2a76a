package wire

import (
	"bytes"
	"errors"
	"runtime"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"
)

// The read on several goroutines is not one goroutine's in disguise: the
// reader takes many of the users and relations' entries as the workers
// read them (it reads those no worker has started itself), in both
// orders of an export.
func TestReadAheadTakes(t *testing.T) {
	defer runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0))) // two threads, even on one core
	for _, first := range []bool{true, false} {
		var b bytes.Buffer
		if err := (tenantgen.Export{Seed: 3, Users: 10_000, RelationsFirst: first}).WriteGraph(&b); err != nil {
			t.Fatal(err)
		}
		tr := &tenantReader{a: newAssembler(nil)}
		d, err := tr.read(bytes.NewReader(b.Bytes()), 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		// A unit for each user, and for each of its entries of
		// licenseDetails and memberOf, at least.
		t.Logf("relations first %v: %d units taken, %d users", first, tr.ahead.took, len(d.Users))
		if units := 3 * len(d.Users); tr.ahead.took < units/10 {
			t.Errorf("relations first %v: %d units taken of some %d", first, tr.ahead.took, units)
		}
	}
}

// A read on several goroutines returns only once they have all ended, the
// scanner too: its last act, closing the workers' stack, is done by then,
// whether the read ends with the input, an error of the input or an error
// of yield.
func TestReadAheadWaitsForItsGoroutines(t *testing.T) {
	defer runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
	var b bytes.Buffer
	if err := (tenantgen.Export{Seed: 5, Users: 3_000}).WriteGraph(&b); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	stop := errors.New("stop")
	for _, c := range []struct {
		name  string
		data  []byte
		yield func(provisioning.User) error
	}{
		{"whole", data, nil},
		{"cut", data[:len(data)/2], nil},
		{"stopped", data, func(provisioning.User) error { return stop }},
	} {
		for range 4 {
			tr := &tenantReader{a: newAssembler(nil)}
			if _, err := tr.read(bytes.NewReader(c.data), 2, c.yield); (err == nil) != (c.name == "whole") {
				t.Fatalf("%s: error %v", c.name, err)
			}
			if !tr.ahead.started {
				t.Fatalf("%s: the goroutines never started", c.name)
			}
			tr.ahead.work.mu.Lock()
			closed := tr.ahead.work.closed
			tr.ahead.work.mu.Unlock()
			if !closed {
				t.Fatalf("%s: the read returned before its scanner ended", c.name)
			}
		}
	}
}
