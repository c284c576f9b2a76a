package wire

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/provisionrules/provisionrules/provisioning"
)

// merge, which joins what a worker read of a principal's relation to
// what the reader has, keeps everything either says: the license details
// seen, the licenses, the roles held through directoryRole entries, and
// the groups direct, nested and owned, in the order read.
func TestFactsMerge(t *testing.T) {
	lic := func(tenant string) provisioning.License { return provisioning.License{Tenant: tenant} }
	f := facts{licenses: []provisioning.License{lic("a")}, dirRoles: provisioning.GlobalAdmin, groups: []string{"g1"}}
	g := facts{hasDetails: true, licenses: []provisioning.License{lic("b")}, dirRoles: provisioning.PowerPlatformAdmin,
		groups: []string{"g2"}, nested: []string{"n1"}, owned: []string{"o1"}}
	f.merge(&g)
	want := facts{hasDetails: true, licenses: []provisioning.License{lic("a"), lic("b")}, dirRoles: provisioning.GlobalAdmin | provisioning.PowerPlatformAdmin,
		groups: []string{"g1", "g2"}, nested: []string{"n1"}, owned: []string{"o1"}}
	if diff := cmp.Diff(want, f, cmp.AllowUnexported(facts{})); diff != "" {
		t.Errorf("merge (-want +got):\n%s", diff)
	}
}
