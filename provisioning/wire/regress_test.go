package wire_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// A classifier entry naming no plan is ignored: the license it would
// classify is PlanOther, which admits nobody (fail closed), never the
// unknown plan; and a service plan whose ID names no plan is looked up by
// its name.
func TestClassifierIgnoresUnknownPlans(t *testing.T) {
	const badID = "0b4c3a1e-0000-4000-8000-00000000bad0"
	cl := &wire.Classifier{
		SKUs:         map[string]wire.SKU{"BAD_SKU": {Plan: provisioning.LicensePlan(200)}},
		ServicePlans: map[string]provisioning.LicensePlan{"BAD_PLAN": provisioning.LicensePlan(200), badID: provisioning.LicensePlan(200), "GOOD_PLAN": provisioning.PlanDynamics365},
	}
	for _, c := range []struct {
		sku  string
		plan wire.ServicePlanInfo
		want provisioning.LicensePlan
	}{
		{"BAD_SKU", wire.ServicePlanInfo{ServicePlanName: "BAD_PLAN"}, provisioning.PlanOther},
		{"ANY_SKU", wire.ServicePlanInfo{ServicePlanName: "BAD_PLAN"}, provisioning.PlanOther},
		{"ANY_SKU", wire.ServicePlanInfo{ServicePlanID: badID, ServicePlanName: "GOOD_PLAN"}, provisioning.PlanDynamics365},
	} {
		c.plan.ProvisioningStatus = "Success"
		if got := cl.Classify(wire.LicenseDetails{SKUPartNumber: c.sku, ServicePlans: []wire.ServicePlanInfo{c.plan}}).Plan; got != c.want {
			t.Errorf("%s with service plan %+v classified %v, want %v", c.sku, c.plan, got, c.want)
		}
	}
}

// A service principal that fails provisioning's Validate is refused as a
// lone object: no index in a page, no offset in an input.
func TestProvisioningServicePrincipalRefusesInvalid(t *testing.T) {
	sp := wire.ServicePrincipal{ID: "sp-\u202eerp", AppID: "app-erp", DisplayName: "ERP"}
	u, err := wire.ProvisioningServicePrincipal(&sp, nil)
	var we *wire.Error
	if !errors.As(err, &we) || we.Index != -1 || we.Offset != -1 || !errors.Is(err, provisioning.ErrMalformed) {
		t.Fatalf("ProvisioningServicePrincipal = %+v, %v; want a malformed object ID, no index, no offset", u, err)
	}
}

// An error of GroupTeams names the team, not a place in an input.
func TestGroupTeamsErrorHasNoOffset(t *testing.T) {
	d := &wire.Directory{Tenant: "contoso"}
	team := wire.Team{ID: "t-1", Name: "Sales", Type: wire.TeamTypeSecurityGroup, Group: "g-1"}
	again := team
	again.ID = "t-2"
	_, err := d.GroupTeams([]wire.Team{team, again}, "")
	var we *wire.Error
	if !errors.As(err, &we) || we.Offset != -1 || we.Index != 1 {
		t.Fatalf("GroupTeams of two teams of one group = %v; want an *Error of team 1 with no offset", err)
	}
}

// A count of owned records reads from 0 up to 2^53, the largest whole
// number a JSON reader that uses floating point keeps exact.
func TestOwnedRecordsBound(t *testing.T) {
	for _, n := range []int{0, 1 << 53} {
		export := `{"environmentId":"e","systemusers":{"value":[{"systemuserid":"s1","accessmode":0,"isdisabled":true,"azureactivedirectoryobjectid":"u1"}]},"ownedRecords":{"s1":` + strconv.Itoa(n) + `}}`
		ex, err := wire.ReadDataverseExport(strings.NewReader(export), nil)
		if err != nil || len(ex.Records) != 1 || ex.Records[0].OwnedRecords != n {
			t.Fatalf("ReadDataverseExport = %+v, %v; want one record owning %d", ex, err, n)
		}
	}
}
