package provisionrules_test

import (
	"fmt"

	"github.com/provisionrules/provisionrules/provisioning"
)

// The README's Quick start is this function's body, word for word
// (TestREADMEQuickStart), so that it compiles and prints what it says.
func Example_quickStart() {
	env := provisioning.Environment{
		ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction,
		Dataverse: true, SecurityGroup: "g-sales",
	}
	ben := provisioning.User{
		ObjectID: "7d2c1f0a", UPN: "ben@contoso.com", Enabled: true,
		Licenses:     []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso"}},
		NestedGroups: []string{"g-sales"}, // reaches g-sales only through another group
	}

	d := provisioning.Evaluate(&ben, &env)
	fmt.Println(d.Admission(), d.Admits(provisioning.BackgroundSync))
	fmt.Println(d)
	for _, c := range d.Checks() {
		if c.Outcome == provisioning.OutcomeFailed {
			fmt.Println(c.Rule, "-", c.Reason)
			fmt.Println("  fix:", c.Fix)
		}
	}
	// Output:
	// never false
	// never; refused by: SG-NESTED,SG-MEMBER
	// SG-MEMBER - ben@contoso.com is not a member of security group g-sales
	//   fix: add the user directly to group g-sales
	// SG-NESTED - ben@contoso.com reaches group g-sales only through a nested group, which does not count
	//   fix: add the user directly to group g-sales: membership through nested groups does not count
}
