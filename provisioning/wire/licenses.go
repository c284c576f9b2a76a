package wire

import (
	"maps"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
)

// Classifier tells which provisioning.LicensePlan a Microsoft license is.
// It looks the SKU part number up in SKUs first; a SKU it does not list is
// classified by its enabled service plans in ServicePlans, the strongest
// one winning (Dynamics 365 or Power Apps premium over the free Dataverse
// plan); anything else is PlanOther, which never admits anyone. Keys are
// compared without regard to case.
type Classifier struct {
	SKUs         map[string]provisioning.LicensePlan
	ServicePlans map[string]provisioning.LicensePlan
}

// DefaultClassifier returns a new Classifier holding the default table,
// which the caller may extend or change:
//
//   - Power Apps premium (they support pre-provisioning): POWERAPPS_PER_USER
//     (Power Apps Premium), POWERAPPS_PER_APP and POWERAPPS_PER_APP_NEW (per
//     app), POWERAPPS_P2 (Power Apps Plan 2), and POWERAPPS_DEV (the
//     Developer Plan, which is how the creator of a developer environment
//     is licensed there);
//   - Dynamics 365: DYN365_ENTERPRISE_PLAN1 (Customer Engagement Plan),
//     DYN365_ENTERPRISE_SALES, DYN365_ENTERPRISE_CUSTOMER_SERVICE,
//     DYN365_ENTERPRISE_FIELD_SERVICE,
//     DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE,
//     DYN365_ENTERPRISE_TEAM_MEMBERS, DYN365_SALES_PREMIUM, D365_SALES_PRO,
//     DYN365_CUSTOMER_SERVICE_PRO;
//   - the free Dataverse plan of Microsoft 365, by service plan:
//     DYN365_CDS_O365_P1, DYN365_CDS_O365_P2, DYN365_CDS_O365_P3 and
//     DYN365_CDS_O365_F1 ("Common Data Service - O365"), carried by Office
//     and Microsoft 365 SKUs such as ENTERPRISEPACK and SPE_E3.
//
// Trials (such as DYN365_ENTERPRISE_P1_IW) and every SKU not listed are
// PlanOther.
func DefaultClassifier() *Classifier {
	return &Classifier{SKUs: maps.Clone(defaultSKUs), ServicePlans: maps.Clone(defaultServicePlans)}
}

var defaultSKUs = map[string]provisioning.LicensePlan{
	"POWERAPPS_PER_USER":    provisioning.PlanPowerAppsPremium,
	"POWERAPPS_PER_APP":     provisioning.PlanPowerAppsPremium,
	"POWERAPPS_PER_APP_NEW": provisioning.PlanPowerAppsPremium,
	"POWERAPPS_P2":          provisioning.PlanPowerAppsPremium,
	"POWERAPPS_DEV":         provisioning.PlanPowerAppsPremium,

	"DYN365_ENTERPRISE_PLAN1":                 provisioning.PlanDynamics365,
	"DYN365_ENTERPRISE_SALES":                 provisioning.PlanDynamics365,
	"DYN365_ENTERPRISE_CUSTOMER_SERVICE":      provisioning.PlanDynamics365,
	"DYN365_ENTERPRISE_FIELD_SERVICE":         provisioning.PlanDynamics365,
	"DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE": provisioning.PlanDynamics365,
	"DYN365_ENTERPRISE_TEAM_MEMBERS":          provisioning.PlanDynamics365,
	"DYN365_SALES_PREMIUM":                    provisioning.PlanDynamics365,
	"D365_SALES_PRO":                          provisioning.PlanDynamics365,
	"DYN365_CUSTOMER_SERVICE_PRO":             provisioning.PlanDynamics365,
}

var defaultServicePlans = map[string]provisioning.LicensePlan{
	"DYN365_CDS_O365_P1": provisioning.PlanFreeDataverse,
	"DYN365_CDS_O365_P2": provisioning.PlanFreeDataverse,
	"DYN365_CDS_O365_P3": provisioning.PlanFreeDataverse,
	"DYN365_CDS_O365_F1": provisioning.PlanFreeDataverse,
}

// lookup finds key in m without regard to case.
func lookup(m map[string]provisioning.LicensePlan, key string) (provisioning.LicensePlan, bool) {
	if p, ok := m[key]; ok {
		return p, true
	}
	for k, p := range m {
		if strings.EqualFold(k, key) {
			return p, true
		}
	}
	return 0, false
}

// strength orders plans for the service-plan rule.
func strength(p provisioning.LicensePlan) int {
	switch p {
	case provisioning.PlanDynamics365, provisioning.PlanPowerAppsPremium:
		return 2
	case provisioning.PlanFreeDataverse:
		return 1
	}
	return 0
}

// Classify returns the plan of license l. A service plan whose
// provisioningStatus is "Disabled" does not count. A nil Classifier knows
// no license, and classifies every one as PlanOther.
func (c *Classifier) Classify(l LicenseDetails) provisioning.LicensePlan {
	if c == nil {
		c = &Classifier{} // classifies everything as PlanOther
	}
	if p, ok := lookup(c.SKUs, l.SKUPartNumber); ok && p.IsValid() {
		return p
	}
	best := provisioning.PlanOther
	for _, sp := range l.ServicePlans {
		if strings.EqualFold(sp.ProvisioningStatus, "Disabled") {
			continue
		}
		if p, ok := lookup(c.ServicePlans, sp.ServicePlanName); ok && p.IsValid() && strength(p) > strength(best) {
			best = p
		}
	}
	return best
}
