package wire_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

const exampleUsers = `{
  "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X",
  "value": [{"id": "87d349ed", "userPrincipalName": "AdeleV@contoso.com", "accountEnabled": true, "userType": "Member"}]
}`

func ExampleReadGraphUsers() {
	p, err := wire.ReadGraphUsers(strings.NewReader(exampleUsers))
	fmt.Println(p.Items[0].UserPrincipalName, p.NextLink != "", err)

	_, err = wire.ReadGraphUsers(strings.NewReader(`{"value": [{"id": "87d349ed", "userPrincipalName": "AdeleV@contoso.com", "userType": "Member"}]}`))
	fmt.Println(err)
	// Output:
	// AdeleV@contoso.com true <nil>
	// wire: graph user[0] "87d349ed": field accountEnabled: required value is missing (offset 11)
}

func ExampleReadGraphUsers_accountEnabled() {
	p, err := wire.ReadGraphUsers(strings.NewReader(exampleUsers))
	fmt.Println(len(p.Items), *p.Items[0].AccountEnabled, err)
	// Output:
	// 1 true <nil>
}

func ExampleReadGraphUser() {
	// GET /users/{id}?$select=id,userPrincipalName,accountEnabled,userType,assignedLicenses
	g, err := wire.ReadGraphUser(strings.NewReader(`{"id": "87d349ed", "userPrincipalName": "AdeleV@contoso.com",
	  "accountEnabled": true, "userType": "Member",
	  "assignedLicenses": [{"skuId": "b30411f5-fea1-4a59-9ad9-3db7c7ead579", "disabledPlans": []}]}`))
	fmt.Println(g.ID, g.AssignedLicenses[0].SKUID, err)
	// Output:
	// 87d349ed b30411f5-fea1-4a59-9ad9-3db7c7ead579 <nil>
}

func ExampleReadGraphUser_unknownUserType() {
	_, err := wire.ReadGraphUser(strings.NewReader(`{"id": "87d349ed", "userPrincipalName": "AdeleV@contoso.com", "accountEnabled": true, "userType": "Robot"}`))
	fmt.Println(errors.Is(err, provisioning.ErrUnknown), err)
	// Output:
	// true wire: graph user "87d349ed": field userType = "Robot": unknown value: want "Member" or "Guest" (offset 1)
}

const exampleLicenses = `{"value": [{"skuId": "1e1a282c-9c54-43a2-9310-98ef728faace", "skuPartNumber": "DYN365_ENTERPRISE_SALES",
  "servicePlans": [{"servicePlanName": "DYN365_ENTERPRISE_SALES", "provisioningStatus": "PendingProvisioning"}]}]}`

func ExampleReadLicenseDetails() {
	p, err := wire.ReadLicenseDetails(strings.NewReader(exampleLicenses))
	fmt.Println(p.Items[0].SKUPartNumber, p.Items[0].ServicePlans[0].ProvisioningStatus, err)
	// Output:
	// DYN365_ENTERPRISE_SALES PendingProvisioning <nil>
}

func ExampleReadLicenseDetails_classify() {
	p, _ := wire.ReadLicenseDetails(strings.NewReader(exampleLicenses))
	l := wire.DefaultClassifier().Classify(p.Items[0])
	fmt.Println(l.Plan, "inactive:", l.Inactive) // its one plan is still pending (LIC-REQUIRED)
	// Output:
	// dynamics-365 inactive: true
}

// A memberOf list cast to groups carries no @odata.type: its entries are
// groups.
const exampleMemberOf = `{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups(id)",
  "value": [{"id": "g-sales"}, {"id": "g-hr"}]}`

func ExampleReadDirectoryObjects() {
	p, err := wire.ReadDirectoryObjects(strings.NewReader(exampleMemberOf))
	fmt.Println(p.Items[0].ODataType, p.Items[1].ID, err)
	// Output:
	// #microsoft.graph.group g-hr <nil>
}

func ExampleReadDirectoryObjects_noType() {
	_, err := wire.ReadDirectoryObjects(strings.NewReader(`{"value": [{"id": "g-sales"}]}`))
	fmt.Println(errors.Is(err, provisioning.ErrMissing))
	// Output:
	// true
}

const exampleRoles = `{"value": [
  {"principalId": "u1", "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10", "directoryScopeId": "/administrativeUnits/au-1"},
  {"principalId": "u1", "roleDefinitionId": "11648597-926c-4cf3-9c36-bcebb0ba8dcc", "directoryScopeId": "/"}]}`

func ExampleReadRoleAssignments() {
	p, err := wire.ReadRoleAssignments(strings.NewReader(exampleRoles))
	fmt.Println(len(p.Items), p.Items[0].DirectoryScopeID, err)
	// Output:
	// 2 /administrativeUnits/au-1 <nil>
}

func ExampleReadRoleAssignments_scope() {
	p, _ := wire.ReadRoleAssignments(strings.NewReader(exampleRoles))
	enabled := true
	g := wire.GraphUser{ID: "u1", UserPrincipalName: "ana@contoso.com", AccountEnabled: &enabled, UserType: "Member"}
	u, _ := wire.ProvisioningUser("contoso", &g, &wire.Relations{RoleAssignments: p.Items}, nil)
	fmt.Println(u.Roles) // the Global Administrator role scoped to an administrative unit does not count
	// Output:
	// power-platform
}

const exampleSPs = `{"value": [{"id": "sp-1", "appId": "3f6b2a9e", "accountEnabled": true, "displayName": "ERP integration"}]}`

func ExampleReadServicePrincipals() {
	p, err := wire.ReadServicePrincipals(strings.NewReader(exampleSPs))
	fmt.Println(p.Items[0].AppID, err)
	// Output:
	// 3f6b2a9e <nil>
}

func ExampleReadServicePrincipals_applicationUser() {
	p, _ := wire.ReadServicePrincipals(strings.NewReader(exampleSPs))
	u, err := wire.ProvisioningServicePrincipal(&p.Items[0], nil)
	fmt.Println(u.ObjectID, u.ApplicationID, u.Enabled, err)
	// Output:
	// sp-1 3f6b2a9e true <nil>
}

func ExampleProvisioningServicePrincipal() {
	enabled := false
	sp := wire.ServicePrincipal{ID: "sp-1", AppID: "3f6b2a9e", AccountEnabled: &enabled}
	u, err := wire.ProvisioningServicePrincipal(&sp, nil)
	fmt.Println(u.ApplicationID, u.Enabled, err)
	// Output:
	// 3f6b2a9e false <nil>
}

const exampleGroups = `{"value": [
  {"id": "g-sales", "displayName": "Sales", "groupTypes": [], "securityEnabled": true},
  {"id": "g-kiosks", "displayName": "Kiosks", "groupTypes": ["DynamicMembership"], "membershipRule": "(device.deviceOSType -eq \"Windows\")", "securityEnabled": true},
  {"id": "g-hr", "displayName": "HR", "groupTypes": ["Unified"], "securityEnabled": false}]}`

func ExampleReadGroups() {
	p, err := wire.ReadGroups(strings.NewReader(exampleGroups))
	for _, g := range p.Items {
		fmt.Println(g.DisplayName, g.Kind(), g.Rule())
	}
	fmt.Println(err)
	// Output:
	// Sales security assigned
	// Kiosks security dynamic-device
	// HR microsoft-365 assigned
	// <nil>
}

func ExampleReadGroups_dynamicWithoutRule() {
	_, err := wire.ReadGroups(strings.NewReader(`{"value": [{"id": "g-1", "groupTypes": ["DynamicMembership"], "securityEnabled": true}]}`))
	fmt.Println(err)
	// Output:
	// wire: group[0] "g-1": field membershipRule: required value is missing (offset 11)
}

func ExampleGroup_Kind() {
	g := wire.Group{ID: "g-1", GroupTypes: []string{"Unified"}}
	fmt.Println(g.Kind())
	// Output:
	// microsoft-365
}

func ExampleGroup_Rule() {
	g := wire.Group{ID: "g-1", GroupTypes: []string{"DynamicMembership"}, MembershipRule: `user.department -eq "Sales"`}
	fmt.Println(g.Rule())
	// Output:
	// dynamic-user
}

const exampleTeams = `{"value": [
  {"teamid": "t-1", "name": "Sales team", "teamtype": 2, "azureactivedirectoryobjectid": "g-sales", "membershiptype": 1,
   "teamroles_association": [{"name": "Salesperson", "isinherited": 1}]},
  {"teamid": "t-2", "name": "contoso", "teamtype": 0, "azureactivedirectoryobjectid": null}]}`

func ExampleReadTeams() {
	p, err := wire.ReadTeams(strings.NewReader(exampleTeams))
	for _, t := range p.Items {
		fmt.Println(t.Name, t.IsGroupTeam(), t.Membership, t.Roles)
	}
	fmt.Println(err)
	// Output:
	// Sales team true members [{Salesperson true}]
	// contoso false members-and-guests []
	// <nil>
}

func ExampleReadTeams_groupTeamWithoutMembership() {
	_, err := wire.ReadTeams(strings.NewReader(`{"value": [{"teamid": "t-1", "teamtype": 2, "azureactivedirectoryobjectid": "g-sales"}]}`))
	fmt.Println(err)
	// Output:
	// wire: team[0] "t-1": field membershiptype: required value is missing (offset 11)
}

func ExampleTeam_IsGroupTeam() {
	t := wire.Team{ID: "t-1", Type: wire.TeamTypeOfficeGroup, Group: "g-hr"}
	fmt.Println(t.IsGroupTeam())
	// Output:
	// true
}

func ExampleDirectory_GroupTeams() {
	d := wire.Directory{
		Groups:        []wire.Group{{ID: "g-sales", GroupTypes: []string{}, SecurityEnabled: true}},
		GroupMemberOf: map[string][]string{"g-sales": {"g-prod-access"}},
	}
	teams, _ := wire.ReadTeams(strings.NewReader(exampleTeams))
	gt, err := d.GroupTeams(teams.Items, "g-prod-access")
	fmt.Printf("%d team: %s %s %s in the security group: %v %v\n", len(gt), gt[0].Name, gt[0].Kind, gt[0].Rule, gt[0].InSecurityGroup, err)
	// Output:
	// 1 team: Sales team security assigned in the security group: true <nil>
}

const exampleRows = `{"value": [{
  "systemuserid": "s1", "azureactivedirectoryobjectid": "87d349ed", "domainname": "AdeleV@contoso.com",
  "accessmode": 4, "isdisabled": false, "applicationid": null, "firstname": "#", "new_badge": "B-17",
  "systemuserroles_association": [{"name": "Integration"}]}]}`

func ExampleReadSystemUsers() {
	p, err := wire.ReadSystemUsers(strings.NewReader(exampleRows))
	r := p.Items[0]
	k, _ := r.Kind()
	fmt.Println(r.SystemUserID, r.ObjectID, k, r.Roles, r.Fields.Custom["new_badge"], err)
	// Output:
	// s1 87d349ed non-interactive [Integration] B-17 <nil>
}

func ExampleReadSystemUsers_stub() {
	// A row without an object ID that is not a well-known or application
	// record is read as a stub.
	p, _ := wire.ReadSystemUsers(strings.NewReader(`{"value": [{"systemuserid": "s9", "azureactivedirectoryobjectid": null, "domainname": "former.rep@contoso.com", "accessmode": 0, "isdisabled": true}]}`))
	fmt.Println(p.Items[0].Stub)
	// Output:
	// true
}

func ExampleEncodeSystemUser() {
	r := provisioning.Record{ObjectID: "87d349ed", UPN: "AdeleV@contoso.com", Disabled: true}
	data, _ := wire.EncodeSystemUser(&r)
	fmt.Println(string(data))
	// Output:
	// {"accessmode":0,"azureactivedirectoryobjectid":"87d349ed","domainname":"AdeleV@contoso.com","isdisabled":true}
}

func ExampleDefaultClassifier() {
	c := wire.DefaultClassifier()
	on := []wire.ServicePlanInfo{{ServicePlanName: "POWERAPPS_PER_USER", ProvisioningStatus: "Success"}}
	fmt.Println(c.Classify(wire.LicenseDetails{SKUPartNumber: "POWERAPPS_PER_USER", ServicePlans: on}).Plan)
	fmt.Println(c.Classify(wire.LicenseDetails{SKUPartNumber: "CONTOSO_ERP_SEAT", ServicePlans: on}).Plan)
	c.SKUs["CONTOSO_ERP_SEAT"] = wire.SKU{Plan: provisioning.PlanDynamics365} // a tenant's own bundle
	fmt.Println(c.Classify(wire.LicenseDetails{SKUPartNumber: "CONTOSO_ERP_SEAT", ServicePlans: on}).Plan)
	// Output:
	// power-apps-premium
	// other
	// dynamics-365
}

func ExampleClassifier_Classify() {
	c := wire.DefaultClassifier()
	l := wire.LicenseDetails{SKUPartNumber: "SPE_E3", ServicePlans: []wire.ServicePlanInfo{
		{ServicePlanName: "EXCHANGE_S_ENTERPRISE", ProvisioningStatus: "Success"},
		{ServicePlanName: "DYN365_CDS_O365_P2", ProvisioningStatus: "Success"},
	}}
	fmt.Println(c.Classify(l).Plan)
	l.ServicePlans[1].ProvisioningStatus = "Disabled"
	fmt.Println(c.Classify(l).Plan)
	// Output:
	// free-dataverse
	// other
}

func ExampleClassifier_ClassifyAssigned() {
	c := wire.DefaultClassifier()
	sales := wire.AssignedLicense{SKUID: "1e1a282c-9c54-43a2-9310-98ef728faace"}
	fmt.Println(c.ClassifyAssigned(sales))
	sales.DisabledPlans = []string{"2da8e897-7791-486b-b08f-cc63c8129df7"} // the Dynamics 365 for Sales plan
	fmt.Println(c.ClassifyAssigned(sales))
	// Output:
	// {dynamics-365  false}
	// {dynamics-365  true}
}

func ExampleClassifier_Clone() {
	c := wire.DefaultClassifier().Clone()
	delete(c.SKUs, "POWERAPPS_DEV")
	fmt.Println(len(wire.DefaultClassifier().SKUs) - len(c.SKUs))
	// Output:
	// 1
}

func ExampleProvisioningUser() {
	enabled := true
	g := wire.GraphUser{ID: "u1", UserPrincipalName: "kim_fabrikam.com#EXT#@contoso.onmicrosoft.com", AccountEnabled: &enabled, UserType: "Guest"}
	rel := wire.Relations{
		LicenseDetails: []wire.LicenseDetails{{SKUPartNumber: "SPE_E3", ServicePlans: []wire.ServicePlanInfo{
			{ServicePlanName: "DYN365_CDS_O365_P2", ProvisioningStatus: "Success"}}}},
		MemberOf: []wire.DirectoryObject{{ODataType: wire.TypeGroup, ID: "g-sales"}},
	}
	u, err := wire.ProvisioningUser("contoso-tenant", &g, &rel, nil)
	fmt.Println(u.Guest, u.HomeTenant, u.Licenses[0].Plan, u.Groups, err)
	// Output:
	// true fabrikam.com free-dataverse [g-sales] <nil>
}

const exampleExport = `{
  "tenantId": "contoso-tenant",
  "roleAssignments": {"value": [{"principalId": "u2", "roleDefinitionId": "11648597-926c-4cf3-9c36-bcebb0ba8dcc", "directoryScopeId": "/"}]},
  "licenseDetails": {}, "transitiveMemberOf": {}, "ownedObjects": {}, "groupMembers": {}, "groupOwners": {},
  "memberOf": {"u1": {"value": [{"@odata.type": "#microsoft.graph.group", "id": "g-sales"}]}},
  "users": {"value": [
    {"id": "u1", "userPrincipalName": "ana@contoso.com", "accountEnabled": true, "userType": "Member"},
    {"id": "u2", "userPrincipalName": "kim_fabrikam.com#EXT#@contoso.onmicrosoft.com", "accountEnabled": true, "userType": "Guest"}]}
}`

func ExampleReadDirectory() {
	n := 0
	d, err := wire.ReadDirectory(strings.NewReader(exampleExport), wire.Options{}, func(u provisioning.User) error {
		n++ // each user, as soon as it is complete; none is kept
		fmt.Println(u.ObjectID, u.Enabled)
		return nil
	})
	fmt.Println(d.Tenant, n, len(d.Users), err)
	// Output:
	// u1 true
	// u2 true
	// contoso-tenant 2 0 <nil>
}

func ExampleReadDirectory_collect() {
	// With no yield function, the users are collected into Directory.Users.
	d, err := wire.ReadDirectory(strings.NewReader(exampleExport), wire.Options{}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range d.Users {
		fmt.Printf("%s %v %s %q\n", u.UPN, u.Groups, u.Roles, u.HomeTenant)
	}
	// Output:
	// ana@contoso.com [g-sales] none ""
	// kim_fabrikam.com#EXT#@contoso.onmicrosoft.com [] power-platform "fabrikam.com"
}

const exampleDataverse = `{
  "environmentId": "sales-prod",
  "softDeleted": ["s2"],
  "ownedRecords": {"s2": 12},
  "systemusers": {"value": [
    {"systemuserid": "s1", "azureactivedirectoryobjectid": "u1", "domainname": "ana@contoso.com", "accessmode": 0, "isdisabled": false},
    {"systemuserid": "s2", "azureactivedirectoryobjectid": "u9", "domainname": "gone@contoso.com", "accessmode": 0, "isdisabled": true}]}
}`

func ExampleReadDataverseExport() {
	var keys []string
	e, err := wire.ReadDataverseExport(strings.NewReader(exampleDataverse), func(r provisioning.Record) error {
		keys = append(keys, r.Key())
		return nil
	})
	fmt.Println(keys, len(e.Records), err)
	// Output:
	// [u1 u9] 0 <nil>
}

func ExampleReadDataverseExport_collect() {
	// With no yield function, the records are collected into Records.
	e, err := wire.ReadDataverseExport(strings.NewReader(exampleDataverse), nil)
	for _, r := range e.Records {
		fmt.Println(r.SystemUserID, r.SoftDeleted, r.OwnedRecords)
	}
	fmt.Println(e.Environment, err)
	// Output:
	// s1 false 0
	// s2 true 12
	// sales-prod <nil>
}

func ExampleReadDataverseExport_refused() {
	bad := strings.Replace(exampleDataverse, `"isdisabled": true`, `"isdisabled": false`, 1)
	_, err := wire.ReadDataverseExport(strings.NewReader(bad), func(r provisioning.Record) error {
		fmt.Println(r.SystemUserID)
		return nil
	})
	fmt.Println(err)
	// Output:
	// s1
	// wire: systemusers[1] "s2": record "u9": field Disabled = "false": contradicts another field (offset 255)
}
