package wire

import (
	"bytes"
	"runtime"
	"testing"

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
