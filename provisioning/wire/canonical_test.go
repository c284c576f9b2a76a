package wire_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// Dataverse often writes a GUID in upper case, Microsoft Graph in lower
// case: every ID is read in its canonical form (provisioning.CanonicalID),
// so that a user and its record pair (LIFE-MATCH), a user's group is the
// environment's security group, and a role assignment, a license list or
// a deletion mark names its user or record, whatever case each export
// writes it in.
func TestUpperCaseGUIDsPair(t *testing.T) {
	const (
		user     = "87D349ED-44D7-43E1-9A83-5F2406DEE5BD"
		group    = "02BD9FD6-8F93-4758-87C3-1FB73740A315"
		tenantID = "3F2A8C10-5B6D-4E7F-9A01-2B3C4D5E6F70"
		row      = "C0FFEE00-1111-4222-8333-444455556666"
		sku      = "B30411F5-FEA1-4A59-9AD9-3DB7C7EAD579" // POWERAPPS_PER_USER
	)
	lower := strings.ToLower
	graph := `{"tenantId":"` + tenantID + `",
		"users":{"value":[{"id":"` + user + `","userPrincipalName":"adele@contoso.com","accountEnabled":true,"userType":"Member"}]},
		"licenseDetails":{"` + lower(user) + `":{"value":[{"skuId":"` + sku + `","servicePlans":[{"servicePlanName":"POWERAPPS_PER_USER","provisioningStatus":"Success"}]}]}},
		"memberOf":{"` + user + `":{"value":[{"@odata.type":"#microsoft.graph.group","id":"` + group + `"}]}},
		"roleAssignments":{"value":[{"principalId":"` + user + `","roleDefinitionId":"` + strings.ToUpper(wire.PowerPlatformAdministratorTemplateID) + `","directoryScopeId":"/"}]},
		"groups":{"value":[{"id":"` + lower(group) + `","groupTypes":[],"securityEnabled":true}]},
		"groupMembers":{"` + group + `":{"value":[{"@odata.type":"#microsoft.graph.user","id":"` + lower(user) + `"}]}}}`
	dataverse := `{"environmentId":"env-1",
		"systemusers":{"value":[{"systemuserid":"` + row + `","azureactivedirectoryobjectid":"` + user + `",
			"domainname":"adele@contoso.com","accessmode":0,"isdisabled":false,
			"teammembership_association":[{"azureactivedirectoryobjectid":"` + group + `"}]}]},
		"teams":{"value":[{"teamid":"` + row + `","teamtype":2,"azureactivedirectoryobjectid":"` + group + `","membershiptype":0}]},
		"ownedRecords":{"` + lower(row) + `":3}}`

	d, err := wire.ReadDirectory(strings.NewReader(graph), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	x, err := wire.ReadDataverseExport(strings.NewReader(dataverse), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Users) != 1 || len(x.Records) != 1 {
		t.Fatalf("%d users, %d records", len(d.Users), len(x.Records))
	}
	u, r := &d.Users[0], &x.Records[0]
	want := provisioning.User{ObjectID: lower(user), Groups: []string{lower(group)}, Roles: provisioning.PowerPlatformAdmin,
		Licenses: []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: lower(tenantID)}}}
	got := provisioning.User{ObjectID: u.ObjectID, Groups: u.Groups, Roles: u.Roles, Licenses: u.Licenses}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("user mismatch (-want +got):\n%s", diff)
	}
	if d.Tenant != lower(tenantID) || r.SystemUserID != lower(row) || r.OwnedRecords != 3 || len(r.Teams) != 1 || r.Teams[0] != lower(group) {
		t.Errorf("tenant %q, record %+v", d.Tenant, r)
	}
	if !provisioning.Match(u, r) {
		t.Fatalf("user %q does not match record of %q", u.ObjectID, r.ObjectID)
	}

	// Planned, the user keeps its record: no create, and the group team
	// of the group the directory names in upper case is the user's.
	teams, err := d.GroupTeams(x.Teams, group)
	if err != nil {
		t.Fatal(err)
	}
	env := provisioning.Environment{ID: x.Environment, Tenant: d.Tenant, Type: provisioning.EnvProduction, Dataverse: true,
		SecurityGroup: lower(group), Teams: teams, RootBusinessUnit: lower(row)}
	s := &tenant.Snapshot{Users: d.Users, Environments: []provisioning.Environment{env}, Records: map[string][]provisioning.Record{env.ID: x.Records}}
	var steps []string
	if _, err := tenant.Each(s, provisioning.BackgroundSync, tenant.Options{}, func(st *tenant.Step) error {
		if st.User == nil || st.Record == nil || st.Action.Verb == provisioning.Create || st.Action.Err != nil {
			t.Errorf("step %v: user %v, record %v, error %v", st.Action.Verb, st.User != nil, st.Record != nil, st.Action.Err)
		}
		steps = append(steps, st.Action.Verb.String())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(steps) != 1 {
		t.Errorf("steps %v, want one, of the user and its record", steps)
	}
}

// A users/delta page and its options: the ID and the tenant of the
// licenses in canonical form, whatever case they were given in.
func TestUpperCaseGUIDsInDelta(t *testing.T) {
	const (
		user     = "87D349ED-44D7-43E1-9A83-5F2406DEE5BD"
		tenantID = "3F2A8C10-5B6D-4E7F-9A01-2B3C4D5E6F70"
	)
	page := `{"value":[{"id":"` + user + `","assignedLicenses":[{"skuId":"B30411F5-FEA1-4A59-9AD9-3DB7C7EAD579"}]}]}`
	p, err := wire.ReadUsersDelta(strings.NewReader(page), wire.DeltaOptions{Tenant: tenantID})
	if err != nil {
		t.Fatal(err)
	}
	c := p.Items[0]
	want := []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: strings.ToLower(tenantID)}}
	if c.ObjectID != strings.ToLower(user) || c.Licenses == nil || !cmp.Equal(*c.Licenses, want) {
		t.Errorf("change of %q, licenses %v", c.ObjectID, c.Licenses)
	}
}
