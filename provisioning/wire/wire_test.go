package wire_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

func read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestDecodeGraphUsersPages(t *testing.T) {
	users, next, err := wire.DecodeGraphUsers(read(t, "users.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(next, "$skiptoken=") || len(users) != 2 {
		t.Fatalf("page 1: %d users, next %q", len(users), next)
	}
	if u := users[0]; u.ID != "87d349ed-44d7-43e1-9a83-5f2406dee5bd" || !*u.AccountEnabled || u.UserType != "Member" || u.BusinessPhones[0] != "+1 425 555 0109" || u.MobilePhone != "" {
		t.Errorf("Adele = %+v", u)
	}
	users, next, err = wire.DecodeGraphUsers(read(t, "users-page2.json"))
	if err != nil || next != "" || len(users) != 1 || *users[0].AccountEnabled {
		t.Fatalf("page 2: %v, %q, %v", users, next, err)
	}
}

// directory assembles the testdata export by hand, page by page.
func directory(t *testing.T) *wire.Directory {
	t.Helper()
	d := &wire.Directory{Tenant: "contoso-tenant"}
	for _, f := range []string{"users.json", "users-page2.json", "deleted-users.json"} {
		users, _, err := wire.DecodeGraphUsers(read(t, f))
		if err != nil {
			t.Fatal(f, err)
		}
		d.Users = append(d.Users, users...)
	}
	var err error
	if d.ServicePrincipals, _, err = wire.DecodeServicePrincipals(read(t, "servicePrincipals.json")); err != nil {
		t.Fatal(err)
	}
	if d.RoleAssignments, _, err = wire.DecodeRoleAssignments(read(t, "roleAssignments.json")); err != nil {
		t.Fatal(err)
	}
	adele := "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
	lic, _, err := wire.DecodeLicenseDetails(read(t, "licenseDetails.json"))
	if err != nil {
		t.Fatal(err)
	}
	d.LicenseDetails = map[string][]wire.LicenseDetails{adele: lic}
	for _, rel := range []struct {
		file string
		out  *map[string][]wire.DirectoryObject
	}{{"memberOf.json", &d.MemberOf}, {"transitiveMemberOf.json", &d.TransitiveMemberOf}, {"ownedObjects.json", &d.OwnedObjects}} {
		objs, _, err := wire.DecodeDirectoryObjects(read(t, rel.file))
		if err != nil {
			t.Fatal(rel.file, err)
		}
		*rel.out = map[string][]wire.DirectoryObject{adele: objs}
	}
	return d
}

func TestDirectoryUsers(t *testing.T) {
	users, err := directory(t).ProvisioningUsers()
	if err != nil {
		t.Fatal(err)
	}
	var adeleAttrs syncfields.Values
	adeleAttrs[syncfields.ObjectID] = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
	adeleAttrs[syncfields.DomainName] = "AdeleV@contoso.com"
	adeleAttrs[syncfields.FullName] = "Adele Vance"
	adeleAttrs[syncfields.FirstName] = "Adele"
	adeleAttrs[syncfields.LastName] = "Vance"
	adeleAttrs[syncfields.JobTitle] = "Retail Manager"
	adeleAttrs[syncfields.InternalEmailAddress] = "AdeleV@contoso.com"
	adeleAttrs[syncfields.Telephone1] = "+1 425 555 0109"
	adeleAttrs[syncfields.Street] = "18 Wright Street"
	adeleAttrs[syncfields.City] = "Bellevue"
	adeleAttrs[syncfields.StateOrProvince] = "WA"
	adeleAttrs[syncfields.PostalCode] = "98004"
	adeleAttrs[syncfields.Country] = "United States"
	want := provisioning.User{
		ObjectID: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", UPN: "AdeleV@contoso.com", Enabled: true,
		Licenses: []provisioning.License{
			{Plan: provisioning.PlanDynamics365, Tenant: "contoso-tenant"},   // DYN365_ENTERPRISE_SALES
			{Plan: provisioning.PlanFreeDataverse, Tenant: "contoso-tenant"}, // SPE_E3 carrying DYN365_CDS_O365_P2
		},
		Roles:        provisioning.Dynamics365Admin, // the directory role in memberOf; fe930be7 is not one the rules know
		Groups:       []string{"02bd9fd6-8f93-4758-87c3-1fb73740a315"},
		NestedGroups: []string{"a1b2c3d4-1111-4222-8333-444455556666"},
		OwnedGroups:  []string{"b7c8d9e0-2222-4333-8444-555566667777"},
		Attributes:   adeleAttrs,
	}
	if diff := cmp.Diff(want, users[0]); diff != "" {
		t.Errorf("Adele mismatch (-want +got):\n%s", diff)
	}
	kim := users[1]
	if !kim.Guest || kim.HomeTenant != "fabrikam.com" || kim.Roles != provisioning.PowerPlatformAdmin || len(kim.Licenses) != 0 {
		t.Errorf("Kim = %+v", kim)
	}
	if grady := users[2]; grady.Enabled || grady.Roles != provisioning.GlobalAdmin {
		t.Errorf("Grady = %+v", grady)
	}
	if johanna := users[3]; !johanna.SoftDeleted {
		t.Errorf("Johanna not soft-deleted: %+v", johanna)
	}
	if sp := users[4]; sp.ApplicationID != "3f6b2a9e-0c1d-4e55-9a7b-1c2d3e4f5a6b" || !sp.Enabled || sp.UPN != "" {
		t.Errorf("service principal = %+v", sp)
	}
}

func TestDecodeDirectoryBundle(t *testing.T) {
	d, err := wire.DecodeDirectory(bytes.NewReader(read(t, "directory.json")))
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.ProvisioningUsers()
	if err != nil {
		t.Fatal(err)
	}
	want, err := directory(t).ProvisioningUsers()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("bundle differs from the pages (-pages +bundle):\n%s", diff)
	}
}

func TestDirectoryRefusesUnknownUser(t *testing.T) {
	d := directory(t)
	d.MemberOf["nobody"] = nil
	if _, err := d.ProvisioningUsers(); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("ProvisioningUsers = %v, want an error naming nobody", err)
	}
	d = directory(t)
	d.Tenant = ""
	if _, err := d.ProvisioningUsers(); !errors.Is(err, wire.ErrMissing) {
		t.Errorf("no tenant: %v", err)
	}
}

func TestDecodeSystemUsers(t *testing.T) {
	records, next, err := wire.DecodeSystemUsers(read(t, "systemusers.json"))
	if err != nil || next != "" {
		t.Fatal(err, next)
	}
	var cols syncfields.Values
	cols[syncfields.ObjectID] = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
	cols[syncfields.DomainName] = "AdeleV@contoso.com"
	cols[syncfields.FullName] = "Adele Vance"
	cols[syncfields.FirstName] = "Adele"
	cols[syncfields.LastName] = "Vance"
	cols[syncfields.JobTitle] = "Retail Manager"
	cols[syncfields.InternalEmailAddress] = "adele.vance@contoso.com"
	cols[syncfields.City] = "Bellevue"
	want := provisioning.Record{
		ObjectID: "87d349ed-44d7-43e1-9a83-5f2406dee5bd", UPN: "AdeleV@contoso.com", Mode: usertype.ReadWrite,
		Roles: []string{"Salesperson"}, Teams: []string{"02bd9fd6-8f93-4758-87c3-1fb73740a315"},
		Fields: syncfields.Fields{Columns: cols, EmailEdited: true, Custom: map[string]string{"new_badge": "B-17"}},
	}
	if diff := cmp.Diff(want, records[0]); diff != "" {
		t.Errorf("Adele's record mismatch (-want +got):\n%s", diff)
	}
	kinds := []usertype.Kind{usertype.KindRegular, usertype.KindSupport, usertype.KindApplication, usertype.KindStub}
	for i, k := range kinds {
		if got, _ := records[i].Kind(); got != k {
			t.Errorf("record %d is %s, want %s", i, got, k)
		}
	}
	if !records[3].Disabled || !records[3].Stub {
		t.Errorf("stub = %+v", records[3])
	}
}

func TestEncodeSystemUserRoundTrip(t *testing.T) {
	records, _, err := wire.DecodeSystemUsers(read(t, "systemusers.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records[:3] {
		data, err := wire.EncodeSystemUser(&r)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "new_badge") {
			t.Errorf("custom column written back (SYNC-CUSTOM): %s", data)
		}
		page := `{"value":[` + strings.Replace(string(data), "{", `{"systemuserid":"x",`, 1) + `]}`
		back, _, err := wire.DecodeSystemUsers([]byte(page))
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.Roles, want.Teams, want.Fields.Custom = nil, nil, nil
		if diff := cmp.Diff(want, back[0], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	}
	if _, err := wire.EncodeSystemUser(&records[3]); !errors.Is(err, wire.ErrValue) {
		t.Errorf("encoding a stub: %v", err)
	}
}

func TestDecodeDataverseExport(t *testing.T) {
	e, err := wire.DecodeDataverseExport(bytes.NewReader(read(t, "dataverse.json")))
	if err != nil || e.Environment != "sales-prod" || len(e.Records) != 4 {
		t.Fatalf("export: %q, %d records, %v", e.Environment, len(e.Records), err)
	}
}

// Each decoder, each kind of malformed input: an *Error naming the source,
// the record and the field, wrapping the right sentinel.
func TestMalformedInput(t *testing.T) {
	type decoder func([]byte) error
	users := func(b []byte) error { _, _, err := wire.DecodeGraphUsers(b); return err }
	licenses := func(b []byte) error { _, _, err := wire.DecodeLicenseDetails(b); return err }
	objects := func(b []byte) error { _, _, err := wire.DecodeDirectoryObjects(b); return err }
	roles := func(b []byte) error { _, _, err := wire.DecodeRoleAssignments(b); return err }
	sps := func(b []byte) error { _, _, err := wire.DecodeServicePrincipals(b); return err }
	rows := func(b []byte) error { _, _, err := wire.DecodeSystemUsers(b); return err }
	dir := func(b []byte) error { _, err := wire.DecodeDirectory(bytes.NewReader(b)); return err }
	export := func(b []byte) error { _, err := wire.DecodeDataverseExport(bytes.NewReader(b)); return err }
	const adele = `"id":"u1","userPrincipalName":"a@contoso.com","accountEnabled":true,"userType":"Member"`
	const row = `"systemuserid":"s1","accessmode":0,"isdisabled":false`
	for _, c := range []struct {
		name   string
		decode decoder
		data   string
		err    error
		field  string
	}{
		{"users: not JSON", users, `{"value":[`, wire.ErrSyntax, ""},
		{"users: no value", users, `{"@odata.context":"x"}`, wire.ErrMissing, "value"},
		{"users: null record", users, `{"value":[null]}`, wire.ErrMissing, ""},
		{"users: accountEnabled a string", users, `{"value":[{"id":"u1","accountEnabled":"yes"}]}`, wire.ErrType, "accountEnabled"},
		{"users: no id", users, `{"value":[{"userPrincipalName":"a@contoso.com","accountEnabled":true,"userType":"Member"}]}`, wire.ErrMissing, "id"},
		{"users: no accountEnabled", users, `{"value":[{"id":"u1","userPrincipalName":"a@contoso.com","userType":"Member"}]}`, wire.ErrMissing, "accountEnabled"},
		{"users: no userType", users, `{"value":[{"id":"u1","userPrincipalName":"a@contoso.com","accountEnabled":true}]}`, wire.ErrMissing, "userType"},
		{"users: unknown userType", users, `{"value":[{` + adele[:len(adele)-8] + `"Robot"}]}`, wire.ErrValue, "userType"},
		{"users: bad deletedDateTime", users, `{"value":[{` + adele + `,"deletedDateTime":"yesterday"}]}`, wire.ErrValue, "deletedDateTime"},
		{"users: businessPhones not a list", users, `{"value":[{` + adele + `,"businessPhones":"555"}]}`, wire.ErrType, "businessPhones"},
		{"licenses: no skuPartNumber", licenses, `{"value":[{"id":"l1","servicePlans":[]}]}`, wire.ErrMissing, "skuPartNumber"},
		{"licenses: service plan without name", licenses, `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":[{"provisioningStatus":"Success"}]}]}`, wire.ErrMissing, "servicePlans[0].servicePlanName"},
		{"licenses: servicePlans an object", licenses, `{"value":[{"id":"l1","skuPartNumber":"SPE_E3","servicePlans":{}}]}`, wire.ErrType, "servicePlans"},
		{"objects: no @odata.type", objects, `{"value":[{"id":"g1"}]}`, wire.ErrMissing, "@odata.type"},
		{"objects: role without template", objects, `{"value":[{"@odata.type":"#microsoft.graph.directoryRole","id":"r1"}]}`, wire.ErrMissing, "roleTemplateId"},
		{"roles: no principalId", roles, `{"value":[{"id":"a1","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10"}]}`, wire.ErrMissing, "principalId"},
		{"roles: no roleDefinitionId", roles, `{"value":[{"id":"a1","principalId":"u1"}]}`, wire.ErrMissing, "roleDefinitionId"},
		{"service principals: no appId", sps, `{"value":[{"id":"sp1","accountEnabled":true}]}`, wire.ErrMissing, "appId"},
		{"service principals: no accountEnabled", sps, `{"value":[{"id":"sp1","appId":"a"}]}`, wire.ErrMissing, "accountEnabled"},
		{"rows: no systemuserid", rows, `{"value":[{"accessmode":0,"isdisabled":false}]}`, wire.ErrMissing, "systemuserid"},
		{"rows: accessmode unknown", rows, `{"value":[{"systemuserid":"s1","accessmode":9,"isdisabled":false}]}`, wire.ErrValue, "accessmode"},
		{"rows: accessmode text", rows, `{"value":[{"systemuserid":"s1","accessmode":"0","isdisabled":false}]}`, wire.ErrType, "accessmode"},
		{"rows: no accessmode", rows, `{"value":[{"systemuserid":"s1","isdisabled":false}]}`, wire.ErrMissing, "accessmode"},
		{"rows: isdisabled a number", rows, `{"value":[{"systemuserid":"s1","accessmode":0,"isdisabled":0}]}`, wire.ErrType, "isdisabled"},
		{"rows: synced column a number", rows, `{"value":[{` + row + `,"fullname":7}]}`, wire.ErrType, "fullname"},
		{"rows: roles not a list", rows, `{"value":[{` + row + `,"systemuserroles_association":{}}]}`, wire.ErrType, "systemuserroles_association"},
		{"rows: support mode on another UPN", rows, `{"value":[{"systemuserid":"s1","accessmode":3,"isdisabled":false,"domainname":"eve@contoso.com"}]}`, usertype.ErrContradiction, ""},
		{"directory: no tenantId", dir, `{"users":{"value":[]}}`, wire.ErrMissing, "tenantId"},
		{"directory: a bad user page", dir, `{"tenantId":"t","users":[{"value":[{"id":"u1"}]}]}`, wire.ErrMissing, "userPrincipalName"},
		{"export: no environmentId", export, `{"systemusers":{"value":[]}}`, wire.ErrMissing, "environmentId"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.decode([]byte(c.data))
			var we *wire.Error
			if !errors.As(err, &we) || !errors.Is(err, c.err) || we.Field != c.field {
				t.Fatalf("error = %v (field %q), want %v naming field %q", err, fieldOf(we), c.err, c.field)
			}
			if we.Source == "" || !strings.HasPrefix(err.Error(), "wire: ") {
				t.Errorf("error %q does not name its source", err)
			}
		})
	}
}

func fieldOf(e *wire.Error) string {
	if e == nil {
		return ""
	}
	return e.Field
}

func TestClassifier(t *testing.T) {
	c := wire.DefaultClassifier()
	plan := func(sku string, plans ...wire.ServicePlanInfo) provisioning.LicensePlan {
		return c.Classify(wire.LicenseDetails{SKUPartNumber: sku, ServicePlans: plans})
	}
	free := wire.ServicePlanInfo{ServicePlanName: "DYN365_CDS_O365_P3", ProvisioningStatus: "Success"}
	for _, tc := range []struct {
		got, want provisioning.LicensePlan
		what      string
	}{
		{plan("POWERAPPS_PER_USER"), provisioning.PlanPowerAppsPremium, "Power Apps Premium"},
		{plan("powerapps_per_app"), provisioning.PlanPowerAppsPremium, "per app, any case"},
		{plan("D365_SALES_PRO"), provisioning.PlanDynamics365, "Sales Professional"},
		{plan("SPE_E5", free), provisioning.PlanFreeDataverse, "Microsoft 365 E5 with the free Dataverse plan"},
		{plan("SPE_E5", wire.ServicePlanInfo{ServicePlanName: "DYN365_CDS_O365_P3", ProvisioningStatus: "Disabled"}), provisioning.PlanOther, "free plan switched off"},
		{plan("ENTERPRISEPACK"), provisioning.PlanOther, "Office 365 E3 without the plan"},
		{plan("DYN365_ENTERPRISE_P1_IW"), provisioning.PlanOther, "a trial"},
		{plan("CONTOSO_CUSTOM_SKU"), provisioning.PlanOther, "an unknown SKU fails closed"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %s, want %s", tc.what, tc.got, tc.want)
		}
	}
	c.SKUs["CONTOSO_CUSTOM_SKU"] = provisioning.PlanDynamics365
	if got := plan("CONTOSO_CUSTOM_SKU"); got != provisioning.PlanDynamics365 {
		t.Errorf("extended table: %s", got)
	}
	if wire.DefaultClassifier().Classify(wire.LicenseDetails{SKUPartNumber: "CONTOSO_CUSTOM_SKU"}) != provisioning.PlanOther {
		t.Error("extending one classifier changed the default")
	}
}

func TestNilArguments(t *testing.T) {
	if _, err := wire.EncodeSystemUser(nil); !errors.Is(err, wire.ErrMissing) {
		t.Errorf("EncodeSystemUser(nil) = %v", err)
	}
	var d *wire.Directory
	if _, err := d.ProvisioningUsers(); !errors.Is(err, wire.ErrMissing) {
		t.Errorf("nil Directory: %v", err)
	}
	var c *wire.Classifier
	if got := c.Classify(wire.LicenseDetails{SKUPartNumber: "POWERAPPS_PER_USER"}); got != provisioning.PlanOther {
		t.Errorf("nil Classifier = %s, want other", got)
	}
}
