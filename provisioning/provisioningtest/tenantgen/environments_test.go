package tenantgen_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/provisioningtest/tenantgen"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// The environments go with the exports: they are valid, in the Graph
// export's tenant, "prod" has the export's security group and the group
// teams that package wire builds from the Dataverse export's teams rows
// and the Graph export's groups, and "dev" was created by a user of the
// export. With the exports' users and records they make a snapshot that
// passes Validate and plans.
func TestEnvironmentsGoWithTheExports(t *testing.T) {
	e := tenantgen.Export{Seed: 3, Users: 400}
	var graph, dataverse bytes.Buffer
	if err := e.WriteGraph(&graph); err != nil {
		t.Fatal(err)
	}
	if err := e.WriteDataverse(&dataverse, "prod"); err != nil {
		t.Fatal(err)
	}
	d, err := wire.ReadDirectory(&graph, wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	x, err := wire.ReadDataverseExport(&dataverse, nil)
	if err != nil {
		t.Fatal(err)
	}
	envs := e.Environments()
	ids := map[string]bool{}
	for _, u := range d.Users {
		ids[u.ObjectID] = true
	}
	for _, env := range envs {
		if err := env.Validate(); err != nil {
			t.Errorf("%s: %v", env.ID, err)
		}
		if env.Tenant != d.Tenant {
			t.Errorf("%s is in tenant %s, the export in %s", env.ID, env.Tenant, d.Tenant)
		}
		if env.Creator != "" && !ids[env.Creator] {
			t.Errorf("%s was created by %s, no user of the export", env.ID, env.Creator)
		}
	}
	prod := envs[0]
	if prod.ID != "prod" || prod.SecurityGroup == "" || prod.SecurityGroup != e.SecurityGroup() {
		t.Fatalf("first environment %s of security group %q", prod.ID, prod.SecurityGroup)
	}
	teams, err := d.GroupTeams(x.Teams, prod.SecurityGroup)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(teams, prod.Teams); diff != "" || len(teams) != 6 {
		t.Errorf("prod's teams mismatch (-from the exports +Environments):\n%s", diff)
	}
	s := tenant.Snapshot{Users: d.Users, Environments: envs, Records: map[string][]provisioning.Record{"prod": x.Records}}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	b, err := tenant.Plan(&s, provisioning.BackgroundSync, tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Totals.Environments) != 3 || b.Totals.All.Of(provisioning.Create) == 0 {
		t.Errorf("plan totals %+v: want three environments, and users created", b.Totals)
	}
	for _, a := range b.Actions {
		if a.Err != nil {
			t.Fatalf("%s in %s: %v", a.User, a.Environment, a.Err)
		}
	}
}
