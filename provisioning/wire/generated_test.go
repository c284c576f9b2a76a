package wire_test

import (
	"bytes"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// The generator's exports read with this package's decoders, in both
// orders, and make a snapshot that passes tenant.Snapshot.Check and
// Validate; the environment's group teams build from them.
func TestGeneratedExportsDecode(t *testing.T) {
	for _, first := range []bool{false, true} {
		e := provisioningtest.Export{Seed: 7, Users: 5000, RelationsFirst: first}
		var graph, dataverse bytes.Buffer
		if err := e.WriteGraph(&graph); err != nil {
			t.Fatal(err)
		}
		if err := e.WriteDataverse(&dataverse, "sales-prod"); err != nil {
			t.Fatal(err)
		}
		d, err := wire.ReadDirectory(bytes.NewReader(graph.Bytes()), wire.Options{}, nil)
		if err != nil {
			t.Fatalf("relations first %v: %v", first, err)
		}
		x, err := wire.ReadDataverseExport(bytes.NewReader(dataverse.Bytes()), nil)
		if err != nil {
			t.Fatalf("relations first %v: %v", first, err)
		}
		teams, err := d.GroupTeams(x.Teams, e.SecurityGroup())
		if err != nil {
			t.Fatal(err)
		}
		env := provisioning.Environment{ID: x.Environment, Tenant: d.Tenant, Type: provisioning.EnvProduction, Dataverse: true,
			SecurityGroup: e.SecurityGroup(), Teams: teams}
		s := tenant.Snapshot{Users: d.Users, Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: x.Records}}
		if err := s.Check(); err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		var guests, disabled, soft, inactive, groupRoles, nested, softRecords, stubs int
		for _, u := range d.Users {
			if u.Guest {
				guests++
			}
			if !u.Enabled {
				disabled++
			}
			if u.SoftDeleted {
				soft++
			}
			if u.GroupRoles != 0 {
				groupRoles++
			}
			if len(u.NestedGroups) > 0 {
				nested++
			}
			for _, l := range u.Licenses {
				if l.Inactive {
					inactive++
				}
			}
		}
		for _, r := range x.Records {
			if r.SoftDeleted {
				softRecords++
			}
			if r.Stub {
				stubs++
			}
		}
		t.Logf("%d users (%d guests, %d disabled, %d soft-deleted, %d inactive licenses, %d with group roles, %d nested), %d groups, %d records (%d soft-deleted, %d stubs), %d teams; %d and %d bytes",
			len(d.Users), guests, disabled, soft, inactive, groupRoles, nested, len(d.Groups), len(x.Records), softRecords, stubs, len(teams), graph.Len(), dataverse.Len())
		for name, n := range map[string]int{"guests": guests, "disabled": disabled, "soft-deleted": soft, "inactive licenses": inactive,
			"group roles": groupRoles, "nested": nested, "soft-deleted records": softRecords, "stubs": stubs, "teams": len(teams)} {
			if n == 0 {
				t.Errorf("no %s", name)
			}
		}
	}
}
