package wire

import (
	"maps"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
)

// SKU is what a Classifier knows of one SKU: the plan it is, and the
// service plans that carry that plan.
type SKU struct {
	// Plan is the license plan the SKU gives.
	Plan provisioning.LicensePlan
	// ServicePlans are the names and IDs of the SKU's service plans that
	// carry Plan, such as the Dynamics 365 app's own plan in a Dynamics 365
	// SKU. A license of the SKU is inactive when one of them is not on
	// (see Classify and ClassifyAssigned). A service plan the license does
	// not list at all is not taken as off.
	ServicePlans []string
}

// Classifier tells which provisioning.LicensePlan a Microsoft license is,
// and whether it is active. It looks the SKU up in SKUs, by ID or part
// number; a SKU it does not list is classified by its active service
// plans in ServicePlans, the strongest one winning (Dynamics 365 or Power
// Apps premium over the free Dataverse plan); anything else is PlanOther,
// which never admits anyone (fail closed). Keys are matched without regard
// to case. A classifier must not change while a decoder uses it.
type Classifier struct {
	// SKUs maps a SKU part number (skuPartNumber) or SKU ID (skuId) to
	// what the SKU is.
	SKUs map[string]SKU
	// ServicePlans maps a service plan name (servicePlanName) or ID
	// (servicePlanId) to the plan it gives a SKU that SKUs does not list.
	ServicePlans map[string]provisioning.LicensePlan
}

// defaultSKUs lists the default SKUs: part number, SKU ID, plan, and the
// service plans (name and ID) that carry the plan. The IDs are those of
// Microsoft's "Product names and service plan identifiers for licensing"
// (October 2025).
var defaultSKUs = []struct {
	part, id string
	plan     provisioning.LicensePlan
	core     []string
}{
	{"POWERAPPS_PER_USER", "b30411f5-fea1-4a59-9ad9-3db7c7ead579", provisioning.PlanPowerAppsPremium,
		[]string{"POWERAPPS_PER_USER", "ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86"}},
	{"POWERAPPS_PER_APP", "a8ad7d2b-b8cf-49d6-b25a-69094a0be206", provisioning.PlanPowerAppsPremium,
		[]string{"POWERAPPS_PER_APP", "b4f657ff-d83e-4053-909d-baa2b595ec97"}},
	{"POWERAPPS_PER_APP_NEW", "b4d7b828-e8dc-4518-91f9-e123ae48440d", provisioning.PlanPowerAppsPremium,
		[]string{"POWERAPPS_PER_APP_NEW", "14f8dac2-0784-4daa-9cb2-6d670b088d64"}},
	{"POWERFLOW_P2", "ddfae3e3-fcb2-4174-8ebd-3023cb213c8b", provisioning.PlanPowerAppsPremium,
		[]string{"POWERAPPS_P2", "00527d7f-d5bc-4c2a-8d1e-6c0de2410c81"}},
	{"POWERAPPS_DEV", "5b631642-bd26-49fe-bd20-1daaa972ef80", provisioning.PlanPowerAppsPremium,
		[]string{"POWERAPPS_DEV_VIRAL", "a2729df7-25f8-4e63-984b-8a8484121554"}},

	{"DYN365_ENTERPRISE_PLAN1", "ea126fc5-a19e-42e2-a731-da9d437bffcf", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_P1", "d56f3deb-50d8-465a-bedb-f079817ccac1"}},
	{"DYN365_ENTERPRISE_SALES", "1e1a282c-9c54-43a2-9310-98ef728faace", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_SALES", "2da8e897-7791-486b-b08f-cc63c8129df7"}},
	{"DYN365_ENTERPRISE_CUSTOMER_SERVICE", "749742bf-0d37-4158-a120-33567104deeb", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_CUSTOMER_SERVICE", "99340b49-fb81-4b1e-976b-8f2ae8e9394f"}},
	{"DYN365_ENTERPRISE_FIELD_SERVICE", "c7d15985-e746-4f01-b113-20b575898250", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_FIELD_SERVICE", "8c66ef8a-177f-4c0d-853c-d4f219331d09"}},
	{"DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE", "8edc2cf8-6438-4fa9-b6e3-aa1660c640cc", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_P1", "d56f3deb-50d8-465a-bedb-f079817ccac1"}},
	{"DYN365_ENTERPRISE_TEAM_MEMBERS", "8e7a3d30-d97d-43ab-837c-d7701cef83dc", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_TEAM_MEMBERS", "6a54b05e-4fab-40e7-9828-428db3b336fa"}},
	{"DYN365_SALES_PREMIUM", "2edaa1dc-966d-4475-93d6-8ee8dfd96877", provisioning.PlanDynamics365,
		[]string{"DYN365_ENTERPRISE_SALES", "2da8e897-7791-486b-b08f-cc63c8129df7"}},
	{"D365_SALES_PRO", "be9f9771-1c64-4618-9907-244325141096", provisioning.PlanDynamics365,
		[]string{"DYN365_SALES_PRO", "88d83950-ff78-4e85-aa66-abfc787f8090"}},
	{"DYN365_CUSTOMER_SERVICE_PRO", "1439b6e2-5d59-4873-8c59-d60e2a196e92", provisioning.PlanDynamics365,
		[]string{"DYN365_CUSTOMER_SERVICE_PRO", "6929f657-b31b-4947-b4ce-5066c3214f54"}},
}

// defaultServicePlans lists the free Dataverse plans of Microsoft 365:
// name and ID.
var defaultServicePlans = []struct{ name, id string }{
	{"DYN365_CDS_O365_P1", "40b010bb-0b69-4654-ac5e-ba161433f4b4"},
	{"DYN365_CDS_O365_P2", "4ff01e01-1ba7-4d71-8cf8-ce96c3bbcf14"},
	{"DYN365_CDS_O365_P3", "28b0fa46-c39a-4188-89e2-58e979a6b014"},
	{"DYN365_CDS_O365_F1", "ca6e61ec-d4f4-41eb-8b88-d96e0e14323f"},
}

// DefaultClassifier returns a new Classifier holding the default table,
// which the caller may extend or change. Each SKU is listed by part number
// and by ID:
//
//   - Power Apps premium (they support pre-provisioning):
//     POWERAPPS_PER_USER (Power Apps Premium), POWERAPPS_PER_APP and
//     POWERAPPS_PER_APP_NEW (per app), POWERFLOW_P2 (Power Apps Plan 2,
//     whose service plan is POWERAPPS_P2), and POWERAPPS_DEV (the
//     Developer Plan, which is how the creator of a developer environment
//     is licensed there);
//   - Dynamics 365: DYN365_ENTERPRISE_PLAN1 (Customer Engagement Plan),
//     DYN365_ENTERPRISE_SALES, DYN365_ENTERPRISE_CUSTOMER_SERVICE,
//     DYN365_ENTERPRISE_FIELD_SERVICE,
//     DYN365_ENTERPRISE_SALES_CUSTOMERSERVICE,
//     DYN365_ENTERPRISE_TEAM_MEMBERS, DYN365_SALES_PREMIUM, D365_SALES_PRO,
//     DYN365_CUSTOMER_SERVICE_PRO;
//   - each with the service plan that carries it (POWERAPPS_PER_USER,
//     DYN365_ENTERPRISE_SALES, DYN365_ENTERPRISE_P1, ...);
//   - the free Dataverse plan of Microsoft 365, by service plan name and
//     ID: DYN365_CDS_O365_P1, DYN365_CDS_O365_P2, DYN365_CDS_O365_P3 and
//     DYN365_CDS_O365_F1 ("Common Data Service"), carried by Office and
//     Microsoft 365 SKUs such as ENTERPRISEPACK and SPE_E3.
//
// Trials (such as DYN365_ENTERPRISE_P1_IW), the Dataverse plans of Power
// Automate (whose DYN365_CDS_P2 is not a Power Apps license) and every SKU
// not listed are PlanOther.
func DefaultClassifier() *Classifier {
	c := &Classifier{SKUs: map[string]SKU{}, ServicePlans: map[string]provisioning.LicensePlan{}}
	for _, s := range defaultSKUs {
		sku := SKU{Plan: s.plan, ServicePlans: s.core}
		c.SKUs[s.part], c.SKUs[s.id] = sku, sku
	}
	for _, p := range defaultServicePlans {
		c.ServicePlans[p.name] = provisioning.PlanFreeDataverse
		c.ServicePlans[p.id] = provisioning.PlanFreeDataverse
	}
	return c
}

// Clone returns a copy of c whose maps can be changed without changing
// c's.
func (c *Classifier) Clone() *Classifier {
	if c == nil {
		return nil
	}
	return &Classifier{SKUs: maps.Clone(c.SKUs), ServicePlans: maps.Clone(c.ServicePlans)}
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

// statusSuccess is the provisioningStatus of a service plan that is on.
const statusSuccess = "Success"

// Classify returns the license l is, with Tenant left empty for the caller
// to fill:
//
//   - a SKU that c lists (by skuId or skuPartNumber) is its SKU's plan,
//     and is Inactive when none of its service plans has provisioningStatus
//     Success (a license whose servicePlans list is empty is therefore
//     inactive: nothing shows it on), or when a service plan that carries
//     the SKU's plan is listed with another status;
//   - any other SKU is the strongest plan among its service plans whose
//     provisioningStatus is Success and that c.ServicePlans lists (by name
//     or ID); a plan pending, in error or disabled does not count; with
//     none, the license is PlanOther.
//
// A nil Classifier knows no license, and classifies every one as
// PlanOther.
func (c *Classifier) Classify(l LicenseDetails) provisioning.License {
	m := classifyMemo{c: c}
	return m.details(&l)
}

// ClassifyAssigned returns the license a of a user's assignedLicenses is,
// with Tenant left empty. The user object carries no provisioning status,
// and lists only the disabled service plans, not the SKU's others, so:
//
//   - a SKU that c lists (by skuId) is its SKU's plan, Inactive when
//     disabledPlans holds a service plan that carries that plan;
//   - any other SKU is PlanOther: its service plans are not known (a free
//     Dataverse plan inside a Microsoft 365 SKU shows only in
//     licenseDetails, which wins where an export holds both).
//
// A nil Classifier classifies every license as PlanOther.
func (c *Classifier) ClassifyAssigned(a AssignedLicense) provisioning.License {
	m := classifyMemo{c: c}
	return m.assigned(&a)
}

// classifyMemo looks keys up in a Classifier, remembering the answers in
// its maps when they are not nil: a decoder meets the same few SKUs and
// plans a million times.
type classifyMemo struct {
	c     *Classifier
	skus  map[string]SKU // a zero SKU for one not listed
	plans map[string]provisioning.LicensePlan
}

func newClassifyMemo(c *Classifier) classifyMemo {
	return classifyMemo{c: c, skus: map[string]SKU{}, plans: map[string]provisioning.LicensePlan{}}
}

// sku returns the SKU listed under key, and whether there is one.
func (m *classifyMemo) sku(key string) (SKU, bool) {
	return look(m, m.skus, key, func(c *Classifier) map[string]SKU { return c.SKUs }, func(s SKU) bool { return s.Plan.IsValid() })
}

// plan returns the plan listed for service plan key, or 0.
func (m *classifyMemo) plan(key string) provisioning.LicensePlan {
	p, _ := look(m, m.plans, key, func(c *Classifier) map[string]provisioning.LicensePlan { return c.ServicePlans }, provisioning.LicensePlan.IsValid)
	return p
}

// look returns the value the table of m's Classifier lists under key,
// and whether valid accepts it, remembering the answer in seen when it
// is not nil.
func look[V any](m *classifyMemo, seen map[string]V, key string, table func(*Classifier) map[string]V, valid func(V) bool) (V, bool) {
	var zero V
	if key == "" || m.c == nil {
		return zero, false
	}
	v, ok := seen[key]
	if !ok {
		if v, ok = lookup(table(m.c), key); !ok || !valid(v) {
			v = zero
		}
		if seen != nil {
			seen[key] = v
		}
	}
	return v, valid(v)
}

// lookup finds key in m without regard to case; of several keys that
// differ only in case, the first in order.
func lookup[V any](m map[string]V, key string) (V, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	var found V
	first := ""
	for k, v := range m {
		if strings.EqualFold(k, key) && (first == "" || k < first) {
			found, first = v, k
		}
	}
	return found, first != ""
}

// carries reports whether the SKU names service plan id or name as one
// that carries its plan.
func (s *SKU) carries(id, name string) bool {
	for _, k := range s.ServicePlans {
		if id != "" && strings.EqualFold(k, id) || name != "" && strings.EqualFold(k, name) {
			return true
		}
	}
	return false
}

// details classifies a license from licenseDetails.
func (m *classifyMemo) details(l *LicenseDetails) provisioning.License {
	sku, ok := m.sku(l.SKUID)
	if !ok {
		sku, ok = m.sku(l.SKUPartNumber)
	}
	if ok {
		on, coreOff := false, false
		for i := range l.ServicePlans {
			sp := &l.ServicePlans[i]
			ok := sp.ProvisioningStatus == statusSuccess
			on = on || ok
			if !ok && sku.carries(sp.ServicePlanID, sp.ServicePlanName) {
				coreOff = true
			}
		}
		return provisioning.License{Plan: sku.Plan, Inactive: !on || coreOff}
	}
	best := provisioning.PlanOther
	for i := range l.ServicePlans {
		sp := &l.ServicePlans[i]
		if sp.ProvisioningStatus != statusSuccess {
			continue
		}
		p := m.plan(sp.ServicePlanID)
		if p == 0 {
			p = m.plan(sp.ServicePlanName)
		}
		if strength(p) > strength(best) {
			best = p
		}
	}
	return provisioning.License{Plan: best}
}

// assigned classifies a license from assignedLicenses.
func (m *classifyMemo) assigned(a *AssignedLicense) provisioning.License {
	sku, ok := m.sku(a.SKUID)
	if !ok {
		return provisioning.License{Plan: provisioning.PlanOther}
	}
	l := provisioning.License{Plan: sku.Plan}
	for _, id := range a.DisabledPlans {
		if sku.carries(id, "") {
			l.Inactive = true
		}
	}
	return l
}
