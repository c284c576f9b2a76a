package tenant_test

import "github.com/provisionrules/provisionrules/provisioning"

var (
	bg     = provisioning.BackgroundSync
	access = provisioning.FirstAccess
)

// licensed is a member of tenant contoso with a Power Apps premium license
// and a direct member of group g-sales.
func licensed() provisioning.User {
	return provisioning.User{
		ObjectID: "u-ana",
		UPN:      "ana@contoso.com",
		Enabled:  true,
		Licenses: []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso"}},
		Groups:   []string{"g-sales"},
	}
}

// production is a production environment with Dataverse and group g-sales.
func production() provisioning.Environment {
	return provisioning.Environment{ID: "env-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: "g-sales", RootBusinessUnit: "bu-prod"}
}
