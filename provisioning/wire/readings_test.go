package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// LIC-GUEST-TENANT: a guest's home tenant, read from its UPN, for every
// shape of UPN.
func TestGuestHomeTenantLicGuestTenant(t *testing.T) {
	for _, c := range []struct {
		upn, home string
	}{
		{"kim_fabrikam.com#EXT#@contoso.onmicrosoft.com", "fabrikam.com"},
		{"kim_lee_fabrikam.com#EXT#@contoso.onmicrosoft.com", "fabrikam.com"}, // the part after the last underscore
		{"kim.lee_fabrikam.co.uk#EXT#@contoso.onmicrosoft.com", "fabrikam.co.uk"},
		{"kim@fabrikam.com", wire.UnknownHomeTenant},                  // no #EXT#: the old reading gave the whole UPN
		{"kim_#EXT#@contoso.onmicrosoft.com", wire.UnknownHomeTenant}, // an empty domain
		{"kimfabrikam.com#EXT#@contoso.com", wire.UnknownHomeTenant},  // no underscore
		{"kim_fabrikam.com#EXT#", wire.UnknownHomeTenant},             // #EXT# without @
		{"kim_fabrikam.com#EXT#contoso.com", wire.UnknownHomeTenant},  // #EXT# not followed by @
		{"kim_fabrikam.com#ext#@contoso.com", wire.UnknownHomeTenant}, // #EXT# is upper case in every guest UPN
		{"#EXT#@contoso.onmicrosoft.com", wire.UnknownHomeTenant},     // no local part
		{"a_b_#EXT#@contoso.onmicrosoft.com", wire.UnknownHomeTenant}, // ends in an underscore
		{"kim_fabrikam.com#EXT#@contoso#EXT#@x", "fabrikam.com"},      // the first #EXT# counts
	} {
		enabled := true
		g := wire.GraphUser{ID: "u1", UserPrincipalName: c.upn, AccountEnabled: &enabled, UserType: "Guest"}
		u, err := wire.ProvisioningUser("contoso-tenant-id", &g, nil, nil)
		if err != nil {
			t.Errorf("%s: %v", c.upn, err)
			continue
		}
		if !u.Guest || u.HomeTenant != c.home {
			t.Errorf("%s: home %q, want %q", c.upn, u.HomeTenant, c.home)
		}
	}
	// The unknown home is no tenant: a guest whose license came from it
	// holds nothing in any environment.
	env := provisioning.Environment{ID: "e", Tenant: "contoso-tenant-id", Type: provisioning.EnvProduction, Dataverse: true}
	u := provisioning.User{ObjectID: "u1", UPN: "kim@fabrikam.com", Enabled: true, Guest: true, HomeTenant: wire.UnknownHomeTenant,
		Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: wire.UnknownHomeTenant}}}
	if d := provisioning.Evaluate(&u, &env); d.Admission() != provisioning.AdmissionNever {
		t.Errorf("a license of the unknown home tenant admitted the guest: %v", d.Admission())
	}
}

// LIC-REQUIRED: only service plans whose provisioningStatus is Success
// count; a license classified by SKU with no plan on, or with the plan
// that carries it off, is inactive.
func TestClassifierLicRequired(t *testing.T) {
	c := wire.DefaultClassifier()
	sp := func(name, status string) wire.ServicePlanInfo {
		return wire.ServicePlanInfo{ServicePlanName: name, ProvisioningStatus: status}
	}
	lic := func(sku string, plans ...wire.ServicePlanInfo) wire.LicenseDetails {
		return wire.LicenseDetails{SKUPartNumber: sku, ServicePlans: append([]wire.ServicePlanInfo{}, plans...)}
	}
	active := func(p provisioning.LicensePlan) provisioning.License { return provisioning.License{Plan: p} }
	inactive := func(p provisioning.LicensePlan) provisioning.License {
		return provisioning.License{Plan: p, Inactive: true}
	}
	on := sp("POWERAPPS_PER_USER", "Success")
	exch := sp("EXCHANGE_S_FOUNDATION", "Success")
	for _, c2 := range []struct {
		name string
		l    wire.LicenseDetails
		want provisioning.License
	}{
		{"Power Apps Premium, on", lic("POWERAPPS_PER_USER", on, exch), active(provisioning.PlanPowerAppsPremium)},
		{"any case", lic("powerapps_per_user", on), active(provisioning.PlanPowerAppsPremium)},
		{"by SKU ID alone", wire.LicenseDetails{SKUID: "B30411F5-FEA1-4A59-9AD9-3DB7C7EAD579", ServicePlans: []wire.ServicePlanInfo{on}}, active(provisioning.PlanPowerAppsPremium)},
		{"its own plan pending", lic("POWERAPPS_PER_USER", sp("POWERAPPS_PER_USER", "PendingProvisioning"), exch), inactive(provisioning.PlanPowerAppsPremium)},
		{"its own plan disabled by ID", wire.LicenseDetails{SKUPartNumber: "POWERAPPS_PER_USER", ServicePlans: []wire.ServicePlanInfo{
			{ServicePlanID: "ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86", ProvisioningStatus: "Disabled"}, exch}}, inactive(provisioning.PlanPowerAppsPremium)},
		{"every plan pending input", lic("D365_SALES_PRO", sp("DYN365_SALES_PRO", "PendingInput"), sp("X", "PendingActivation")), inactive(provisioning.PlanDynamics365)},
		{"every plan in error", lic("DYN365_ENTERPRISE_SALES", sp("FLOW_DYN_APPS", "ErrorStatus")), inactive(provisioning.PlanDynamics365)},
		{"no service plans at all", lic("DYN365_ENTERPRISE_SALES"), inactive(provisioning.PlanDynamics365)},
		{"another plan off, its own on", lic("DYN365_ENTERPRISE_SALES", sp("DYN365_ENTERPRISE_SALES", "Success"), sp("FLOW_DYN_APPS", "Disabled")), active(provisioning.PlanDynamics365)},
		{"free Dataverse plan of Microsoft 365", lic("SPE_E5", sp("DYN365_CDS_O365_P3", "Success")), active(provisioning.PlanFreeDataverse)},
		{"free plan by ID", wire.LicenseDetails{SKUPartNumber: "ENTERPRISEPACK", ServicePlans: []wire.ServicePlanInfo{
			{ServicePlanID: "4ff01e01-1ba7-4d71-8cf8-ce96c3bbcf14", ProvisioningStatus: "Success"}}}, active(provisioning.PlanFreeDataverse)},
		{"free plan pending", lic("SPE_E5", sp("DYN365_CDS_O365_P3", "PendingActivation")), active(provisioning.PlanOther)},
		{"free plan disabled", lic("SPE_E5", sp("DYN365_CDS_O365_P3", "Disabled")), active(provisioning.PlanOther)},
		{"Office 365 E3 without the plan", lic("ENTERPRISEPACK", exch), active(provisioning.PlanOther)},
		{"a trial", lic("DYN365_ENTERPRISE_P1_IW", sp("DYN365_ENTERPRISE_P1_IW", "Success")), active(provisioning.PlanOther)},
		{"Power Automate's Dataverse plan is not Power Apps", lic("FLOW_PER_USER", sp("DYN365_CDS_P2", "Success")), active(provisioning.PlanOther)},
		{"an unknown SKU fails closed", lic("CONTOSO_CUSTOM_SKU", on), active(provisioning.PlanOther)},
	} {
		if got := c.Classify(c2.l); got != c2.want {
			t.Errorf("%s: %+v, want %+v", c2.name, got, c2.want)
		}
	}
	for _, c2 := range []struct {
		name string
		a    wire.AssignedLicense
		want provisioning.License
	}{
		{"Sales Enterprise", wire.AssignedLicense{SKUID: "1e1a282c-9c54-43a2-9310-98ef728faace"}, active(provisioning.PlanDynamics365)},
		{"another plan disabled", wire.AssignedLicense{SKUID: "1e1a282c-9c54-43a2-9310-98ef728faace", DisabledPlans: []string{"7e6d7d78-73de-46ba-83b1-6d25117334ba"}}, active(provisioning.PlanDynamics365)},
		{"its own plan disabled", wire.AssignedLicense{SKUID: "1e1a282c-9c54-43a2-9310-98ef728faace", DisabledPlans: []string{"2da8e897-7791-486b-b08f-cc63c8129df7"}}, inactive(provisioning.PlanDynamics365)},
		{"Microsoft 365: its plans are not known", wire.AssignedLicense{SKUID: "6fd2c87f-b296-42f0-b197-1e91e994b900"}, active(provisioning.PlanOther)},
	} {
		if got := c.ClassifyAssigned(c2.a); got != c2.want {
			t.Errorf("assigned, %s: %+v, want %+v", c2.name, got, c2.want)
		}
	}
	ext := c.Clone()
	ext.SKUs["CONTOSO_CUSTOM_SKU"] = wire.SKU{Plan: provisioning.PlanDynamics365}
	if got := ext.Classify(lic("CONTOSO_CUSTOM_SKU", on)); got != active(provisioning.PlanDynamics365) {
		t.Errorf("extended table: %+v", got)
	}
	if got := c.Classify(lic("CONTOSO_CUSTOM_SKU", on)); got.Plan != provisioning.PlanOther {
		t.Error("extending a clone changed the original")
	}
	var none *wire.Classifier
	if got := none.Classify(lic("POWERAPPS_PER_USER", on)); got.Plan != provisioning.PlanOther {
		t.Errorf("nil Classifier = %v, want other", got.Plan)
	}
	if got := none.ClassifyAssigned(wire.AssignedLicense{SKUID: "b30411f5-fea1-4a59-9ad9-3db7c7ead579"}); got.Plan != provisioning.PlanOther {
		t.Errorf("nil Classifier, assigned = %v, want other", got.Plan)
	}
}

// Every SKU of the default table is listed by part number and by ID, and
// names the service plans that carry it by name and by ID.
func TestDefaultClassifierTable(t *testing.T) {
	c := wire.DefaultClassifier()
	byPlan := map[provisioning.LicensePlan]int{}
	for key, sku := range c.SKUs {
		if !sku.Plan.IsValid() || len(sku.ServicePlans) != 2 {
			t.Errorf("SKU %s: %+v", key, sku)
		}
		byPlan[sku.Plan]++
	}
	if byPlan[provisioning.PlanPowerAppsPremium] != 2*5 || byPlan[provisioning.PlanDynamics365] != 2*9 {
		t.Errorf("SKUs by plan: %v", byPlan)
	}
	if len(c.ServicePlans) != 2*4 {
		t.Errorf("%d free Dataverse plan keys, want 8", len(c.ServicePlans))
	}
}

// GT-TEAM, GT-SG: group teams built from Dataverse teams rows and the
// Graph groups of an export.
func TestGroupTeamsGtTeam(t *testing.T) {
	d, err := wire.ReadDirectory(bytes.NewReader(read(t, "directory-groups.json")), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := wire.ReadTeams(bytes.NewReader(read(t, "teams.json")))
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.GroupTeams(teams.Items, access)
	if err != nil {
		t.Fatal(err)
	}
	want := []provisioning.GroupTeam{
		{Group: sales, Name: "Sales team", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Membership: provisioning.MembersOnly,
			Roles: []provisioning.TeamRole{{Name: "Salesperson", Inherited: true}, {Name: "Sales Reports"}}, InSecurityGroup: true},
		{Group: hr, Name: "HR team", Kind: provisioning.GroupKindMicrosoft365, Rule: provisioning.Assigned, Membership: provisioning.MembersAndGuests,
			InSecurityGroup: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("group teams mismatch (-want +got):\n%s", diff)
	}
	env := provisioning.Environment{ID: "e", Tenant: "t", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: access, Teams: got}
	if err := env.Validate(); err != nil {
		t.Errorf("the environment with these teams: %v", err)
	}
	// Without a security group nothing is in one; a group the directory
	// does not hold is a team of an assigned group of the team's kind,
	// outside the security group, which holds nobody (CHK-TEAM-GROUP
	// warns); a contradicting kind and a repeated group are errors naming
	// the team.
	if got, _ := d.GroupTeams(teams.Items, ""); got[0].InSecurityGroup {
		t.Error("InSecurityGroup without a security group")
	}
	unknown, err := d.GroupTeams([]wire.Team{{ID: "t9", Type: wire.TeamTypeOfficeGroup, Group: "g-unknown", Name: "Gone"}}, access)
	if want := []provisioning.GroupTeam{{Group: "g-unknown", Name: "Gone", Kind: provisioning.GroupKindMicrosoft365, Rule: provisioning.Assigned}}; err != nil || !cmp.Equal(want, unknown) {
		t.Errorf("a team of an unknown group: %+v, %v; want %+v", unknown, err, want)
	}
	for _, c := range []struct {
		name string
		team wire.Team
		err  error
	}{
		{"Microsoft 365 group as a security team", wire.Team{ID: "t9", Type: wire.TeamTypeSecurityGroup, Group: hr}, provisioning.ErrContradiction},
		{"security group as a Microsoft 365 team", wire.Team{ID: "t9", Type: wire.TeamTypeOfficeGroup, Group: access}, provisioning.ErrContradiction},
		{"group of a team already", wire.Team{ID: "t9", Type: wire.TeamTypeSecurityGroup, Group: sales}, provisioning.ErrDuplicate},
		{"malformed group", wire.Team{ID: "t9", Type: wire.TeamTypeSecurityGroup, Group: "g\u202e"}, provisioning.ErrMalformed},
	} {
		list := append([]wire.Team{teams.Items[0]}, c.team)
		_, err := d.GroupTeams(list, "")
		var we *wire.Error
		if !errors.As(err, &we) || !errors.Is(err, c.err) || we.ID != "t9" || we.Index != 1 {
			t.Errorf("%s: %v, want %v naming team t9", c.name, err, c.err)
		}
	}
}

func TestGroupRule(t *testing.T) {
	p, err := wire.ReadGroups(bytes.NewReader(read(t, "groups.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind provisioning.GroupKind
		rule provisioning.MembershipRule
	}{
		{provisioning.GroupKindSecurity, provisioning.Assigned},
		{provisioning.GroupKindMicrosoft365, provisioning.Assigned},
		{provisioning.GroupKindSecurity, provisioning.DynamicUser},
		{provisioning.GroupKindSecurity, provisioning.DynamicDevice},
		{provisioning.GroupKindSecurity, provisioning.Assigned},
	}
	for i, g := range p.Items {
		if g.Kind() != want[i].kind || g.Rule() != want[i].rule {
			t.Errorf("%s: %s %s, want %s %s", g.DisplayName, g.Kind(), g.Rule(), want[i].kind, want[i].rule)
		}
	}
	dl := wire.Group{ID: "g", MailEnabled: true}
	if dl.Kind().IsValid() {
		t.Error("a distribution list has a group kind")
	}
}

// A Classifier whose keys differ only in case classifies a license by the
// first of them in order, every time.
func TestClassifierKeysDifferingInCase(t *testing.T) {
	c := &wire.Classifier{SKUs: map[string]wire.SKU{
		"contoso_seat": {Plan: provisioning.PlanDynamics365},
		"CONTOSO_SEAT": {Plan: provisioning.PlanPowerAppsPremium},
		"Contoso_Seat": {Plan: provisioning.PlanFreeDataverse},
	}}
	l := wire.LicenseDetails{SKUPartNumber: "contoso_SEAT", ServicePlans: []wire.ServicePlanInfo{{ServicePlanName: "X", ProvisioningStatus: "Success"}}}
	for range 50 {
		if got := c.Classify(l); got.Plan != provisioning.PlanPowerAppsPremium {
			t.Fatalf("Classify = %v, want the plan of CONTOSO_SEAT", got.Plan)
		}
	}
}
