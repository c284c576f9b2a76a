package wire_test

import (
	"bytes"
	"fmt"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

func ExampleDecodeGraphUsers() {
	page := []byte(`{
	  "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=X",
	  "value": [{"id": "87d349ed", "userPrincipalName": "AdeleV@contoso.com", "accountEnabled": true, "userType": "Member"}]
	}`)
	users, next, err := wire.DecodeGraphUsers(page)
	fmt.Println(users[0].UserPrincipalName, next != "", err)

	_, _, err = wire.DecodeGraphUsers([]byte(`{"value": [{"id": "87d349ed", "userPrincipalName": "AdeleV@contoso.com", "userType": "Member"}]}`))
	fmt.Println(err)
	// Output:
	// AdeleV@contoso.com true <nil>
	// wire: graph user[0] "87d349ed": field accountEnabled: required field missing
}

func ExampleDirectory_ProvisioningUsers() {
	enabled := true
	d := wire.Directory{
		Tenant: "contoso-tenant",
		Users:  []wire.GraphUser{{ID: "u1", UserPrincipalName: "ana@contoso.com", AccountEnabled: &enabled, UserType: "Member"}},
		LicenseDetails: map[string][]wire.LicenseDetails{"u1": {
			{SKUPartNumber: "SPE_E3", ServicePlans: []wire.ServicePlanInfo{{ServicePlanName: "DYN365_CDS_O365_P2", ProvisioningStatus: "Success"}}},
		}},
		MemberOf:        map[string][]wire.DirectoryObject{"u1": {{ODataType: wire.TypeGroup, ID: "g-sales"}}},
		RoleAssignments: []wire.RoleAssignment{{PrincipalID: "u1", RoleDefinitionID: wire.PowerPlatformAdministratorTemplateID}},
	}
	users, _ := d.ProvisioningUsers()
	u := users[0]
	fmt.Println(u.Licenses[0].Plan, u.Roles, u.Groups)
	// Output:
	// free-dataverse power-platform [g-sales]
}

func ExampleDecodeSystemUsers() {
	page := []byte(`{"value": [{
	  "systemuserid": "s1", "azureactivedirectoryobjectid": "87d349ed", "domainname": "AdeleV@contoso.com",
	  "accessmode": 4, "isdisabled": false, "applicationid": null, "firstname": "#", "new_badge": "B-17",
	  "systemuserroles_association": [{"name": "Integration"}]
	}]}`)
	records, _, err := wire.DecodeSystemUsers(page)
	r := records[0]
	k, _ := r.Kind()
	fmt.Println(r.ObjectID, k, r.Roles, r.Fields.Custom["new_badge"], err)
	// Output:
	// 87d349ed non-interactive [Integration] B-17 <nil>
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
	fmt.Println(c.Classify(wire.LicenseDetails{SKUPartNumber: "POWERAPPS_PER_USER"}))
	fmt.Println(c.Classify(wire.LicenseDetails{SKUPartNumber: "CONTOSO_ERP_SEAT"}))
	c.SKUs["CONTOSO_ERP_SEAT"] = provisioning.PlanDynamics365 // a tenant's own bundle
	fmt.Println(c.Classify(wire.LicenseDetails{SKUPartNumber: "CONTOSO_ERP_SEAT"}))
	// Output:
	// power-apps-premium
	// other
	// dynamics-365
}

func ExampleDecodeDirectory() {
	export := []byte(`{
	  "tenantId": "contoso-tenant",
	  "users": {"value": [{"id": "u1", "userPrincipalName": "kim_fabrikam.com#EXT#@contoso.onmicrosoft.com", "accountEnabled": true, "userType": "Guest"}]},
	  "transitiveMemberOf": {"u1": {"value": [{"@odata.type": "#microsoft.graph.group", "id": "g-sales"}]}}
	}`)
	d, err := wire.DecodeDirectory(bytes.NewReader(export))
	if err != nil {
		fmt.Println(err)
		return
	}
	users, _ := d.ProvisioningUsers()
	fmt.Println(users[0].Guest, users[0].HomeTenant, users[0].NestedGroups)
	// Output:
	// true fabrikam.com [g-sales]
}
