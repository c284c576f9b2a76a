package wire_test

import (
	"os"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
)

// SYNC-APPLICATION and invariant 13, from real pages: the service
// principal of testdata/servicePrincipals.json and its application user's
// record in testdata/systemusers.json ("#", "ERP integration"). The
// principal carries no user attributes, so no trigger writes anything to
// the record, sync after sync.
func TestServicePrincipalRecordGetsNoWrite(t *testing.T) {
	open := func(name string) *os.File {
		f, err := os.Open("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	sps, err := wire.ReadServicePrincipals(open("servicePrincipals.json"))
	if err != nil || len(sps.Items) != 1 {
		t.Fatalf("service principals: %d, %v", len(sps.Items), err)
	}
	sp, err := wire.ProvisioningServicePrincipal(&sps.Items[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := sp.Attributes.Get(syncfields.LastName); got != "ERP integration" {
		t.Errorf("the principal's display name reads as %q, want ERP integration", got)
	}
	rows, err := wire.ReadSystemUsers(open("systemusers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rec *provisioning.Record
	for i := range rows.Items {
		if provisioning.Match(&sp, &rows.Items[i]) {
			rec = &rows.Items[i]
		}
	}
	if rec == nil {
		t.Fatal("no record of testdata/systemusers.json belongs to the service principal")
	}
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: "g-sales"}
	for _, tr := range provisioning.Triggers() {
		for sync := 1; sync <= 2; sync++ {
			r := provisioning.Reconcile(&sp, &env, rec, tr)
			if r.Action.Err != nil || r.Action.Writes() {
				t.Errorf("%s, sync %d: %v of columns %v (error %v), want no write", tr, sync, r.Action.Verb, r.Action.Columns.Columns(), r.Action.Err)
			}
			rec = &r.Record
		}
	}
}

// A service principal holds no license, even when the relations given
// for it list license details.
func TestServicePrincipalHoldsNoLicense(t *testing.T) {
	on := true
	sp := wire.ServicePrincipal{ID: "sp-erp", AppID: "app-erp", AccountEnabled: &on, DisplayName: "ERP"}
	rel := &wire.Relations{LicenseDetails: []wire.LicenseDetails{{SKUPartNumber: "DYN365_ENTERPRISE_PLAN1",
		ServicePlans: []wire.ServicePlanInfo{{ServicePlanName: "DYN365_ENTERPRISE_P1", ProvisioningStatus: "Success"}}}}}
	u, err := wire.ProvisioningServicePrincipal(&sp, rel)
	if err != nil || len(u.Licenses) != 0 || u.ApplicationID != "app-erp" {
		t.Fatalf("ProvisioningServicePrincipal = %+v, %v; want the application's user with no license", u, err)
	}
}
