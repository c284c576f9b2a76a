package provisioning_test

import (
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// The decision path allocates nothing, for every kind of input that
// decides without error (issue 22): an admin without a license (whose
// explanation names its roles), a record with custom columns, a guest, a
// service principal, an environment with group teams. AllocsPerRun counts
// allocations, not time.
func TestDecisionPathAllocatesNothing(t *testing.T) {
	admin := licensed()
	admin.Licenses, admin.Roles = nil, provisioning.GlobalAdmin|provisioning.Dynamics365Admin
	admin.GroupRoles = provisioning.PowerPlatformAdmin
	guest := licensed()
	guest.Guest, guest.HomeTenant, guest.UPN = true, "fabrikam", "ana_fabrikam.com#EXT#@contoso.com"
	guest.Licenses = append(guest.Licenses, provisioning.License{Plan: provisioning.PlanDynamics365, Tenant: "fabrikam"})
	sp := provisioning.User{ObjectID: "sp-1", ApplicationID: "app-1", Enabled: true}
	sp.Attributes.Set(syncfields.LastName, "ERP")
	custom := anaRecord()
	custom.Fields.Custom = map[string]string{"new_badge": "B-17", "new_floor": "3", "new_desk": "3-17"}
	teams := production()
	teams.Teams = []provisioning.GroupTeam{readersTeam}
	for _, c := range []struct {
		name string
		u    provisioning.User
		env  provisioning.Environment
		rec  *provisioning.Record
	}{
		{"an admin without a license", admin, production(), nil},
		{"a record with custom columns", licensed(), production(), &custom},
		{"a guest", guest, production(), nil},
		{"a service principal", sp, production(), nil},
		{"an environment with a group team", reader(), teams, nil},
	} {
		d := provisioning.EvaluateRecord(&c.u, &c.env, c.rec)
		if d.Err() != nil {
			t.Fatalf("%s: %v", c.name, d.Err())
		}
		buf := d.AppendJSON(nil)
		for what, f := range map[string]func(){
			"Evaluate":   func() { sinkDecision = provisioning.EvaluateRecord(&c.u, &c.env, c.rec) },
			"NextAction": func() { sinkAction, sinkDecision = provisioning.NextAction(&c.u, &c.env, c.rec, bg) },
			"AppendJSON": func() { buf = d.AppendJSON(buf[:0]) },
		} {
			if n := testing.AllocsPerRun(50, f); n != 0 {
				t.Errorf("%s: %s allocates %.0f times", c.name, what, n)
			}
		}
	}
}
