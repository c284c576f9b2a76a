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
	"github.com/provisionrules/provisionrules/provisioning/tenant"
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

const (
	adele  = "87d349ed-44d7-43e1-9a83-5f2406dee5bd"
	kim    = "5bde3e51-d13b-4db1-9948-fe4b109d11a7"
	grady  = "6e7b768e-07e2-4810-8459-485f84f8f204"
	sales  = "02bd9fd6-8f93-4758-87c3-1fb73740a315"
	hr     = "b7c8d9e0-2222-4333-8444-555566667777"
	admins = "e8f9a0b1-5555-4666-8777-888899990000"
	access = "f1a2b3c4-6666-4777-8888-999900001111"
)

func TestReadGraphUsersPages(t *testing.T) {
	p, err := wire.ReadGraphUsers(bytes.NewReader(read(t, "users.json")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.NextLink, "$skiptoken=") || len(p.Items) != 2 {
		t.Fatalf("page 1: %d users, next %q", len(p.Items), p.NextLink)
	}
	u := p.Items[0]
	if u.ID != adele || !*u.AccountEnabled || u.UserType != "Member" || u.BusinessPhones[0] != "+1 425 555 0109" || u.MobilePhone != "" || u.AssignedLicenses != nil {
		t.Errorf("Adele = %+v", u)
	}
	p, err = wire.ReadGraphUsers(bytes.NewReader(read(t, "users-page2.json")))
	if err != nil || p.NextLink != "" || len(p.Items) != 1 || *p.Items[0].AccountEnabled {
		t.Fatalf("page 2: %+v, %v", p, err)
	}
	p, err = wire.ReadGraphUsers(bytes.NewReader(read(t, "deleted-users.json")))
	if err != nil || len(p.Items) != 1 || p.Items[0].DeletedDateTime == "" {
		t.Fatalf("deleted users: %+v, %v", p, err)
	}
}

// GET /users/{id} returns one object, not a page; assignedLicenses is a
// source of licenses when licenseDetails is not fetched (LIC-REQUIRED).
func TestReadGraphUserAssignedLicenses(t *testing.T) {
	g, err := wire.ReadGraphUser(bytes.NewReader(read(t, "user.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.AssignedLicense{
		{SKUID: "1e1a282c-9c54-43a2-9310-98ef728faace", DisabledPlans: []string{}},
		{SKUID: "b30411f5-fea1-4a59-9ad9-3db7c7ead579", DisabledPlans: []string{"ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86"}},
		{SKUID: "05e9a617-0261-4cee-bb44-138d3ef5d965", DisabledPlans: []string{"efb87545-963c-4e0d-99df-69c6916d9eb0"}},
	}
	if diff := cmp.Diff(want, g.AssignedLicenses); diff != "" {
		t.Errorf("assignedLicenses mismatch (-want +got):\n%s", diff)
	}
	u, err := wire.ProvisioningUser("contoso", &g, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLicenses := []provisioning.License{
		{Plan: provisioning.PlanDynamics365, Tenant: "contoso"},                      // Sales Enterprise, by SKU ID
		{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso", Inactive: true}, // its Power Apps plan disabled
		{Plan: provisioning.PlanOther, Tenant: "contoso"},                            // SPE_E3: its plans are not on the user object
	}
	if diff := cmp.Diff(wantLicenses, u.Licenses); diff != "" {
		t.Errorf("licenses mismatch (-want +got):\n%s", diff)
	}
	// licenseDetails, when fetched, wins over assignedLicenses.
	u, err = wire.ProvisioningUser("contoso", &g, &wire.Relations{LicenseDetails: []wire.LicenseDetails{}}, nil)
	if err != nil || len(u.Licenses) != 0 {
		t.Errorf("with empty licenseDetails: %v, %v", u.Licenses, err)
	}
}

// adeleAttributes are Adele's profile attributes, as the online profile
// maps users.json.
func adeleAttributes() syncfields.Values {
	var v syncfields.Values
	v.Set(syncfields.FullName, "Adele Vance")
	v.Set(syncfields.FirstName, "Adele")
	v.Set(syncfields.LastName, "Vance")
	v.Set(syncfields.JobTitle, "Retail Manager")
	v.Set(syncfields.InternalEmailAddress, "AdeleV@contoso.com")
	v.Set(syncfields.Telephone1, "+1 425 555 0109")
	v.Set(syncfields.Street, "18 Wright Street")
	v.Set(syncfields.City, "Bellevue")
	v.Set(syncfields.StateOrProvince, "WA")
	v.Set(syncfields.PostalCode, "98004")
	v.Set(syncfields.Country, "United States")
	return v
}

func TestReadDirectory(t *testing.T) {
	d, err := wire.ReadDirectory(bytes.NewReader(read(t, "directory.json")), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d.Tenant != "contoso-tenant" || len(d.Users) != 5 {
		t.Fatalf("tenant %q, %d users", d.Tenant, len(d.Users))
	}
	want := provisioning.User{
		ObjectID: adele, UPN: "AdeleV@contoso.com", Enabled: true,
		Licenses: []provisioning.License{
			{Plan: provisioning.PlanDynamics365, Tenant: "contoso-tenant"},   // DYN365_ENTERPRISE_SALES
			{Plan: provisioning.PlanFreeDataverse, Tenant: "contoso-tenant"}, // SPE_E3 carrying DYN365_CDS_O365_P2
		},
		Roles:        provisioning.Dynamics365Admin, // the directory role in memberOf; fe930be7 is not one the rules know
		Groups:       []string{sales},
		NestedGroups: []string{"a1b2c3d4-1111-4222-8333-444455556666"},
		OwnedGroups:  []string{hr},
		Attributes:   adeleAttributes(),
	}
	if diff := cmp.Diff(want, d.Users[0]); diff != "" {
		t.Errorf("Adele mismatch (-want +got):\n%s", diff)
	}
	if k := d.Users[1]; !k.Guest || k.HomeTenant != "fabrikam.com" || k.Roles != provisioning.PowerPlatformAdmin || len(k.Licenses) != 0 {
		t.Errorf("Kim = %+v", k)
	}
	if g := d.Users[2]; g.Enabled || g.Roles != provisioning.GlobalAdmin {
		t.Errorf("Grady = %+v", g)
	}
	if j := d.Users[3]; !j.SoftDeleted {
		t.Errorf("Johanna not soft-deleted: %+v", j)
	}
	if sp := d.Users[4]; sp.ApplicationID != "3f6b2a9e-0c1d-4e55-9a7b-1c2d3e4f5a6b" || !sp.Enabled || sp.UPN != "" {
		t.Errorf("service principal = %+v", sp)
	}
	s := tenant.Snapshot{Users: d.Users}
	if err := s.Check(); err != nil {
		t.Errorf("Snapshot.Check: %v", err)
	}
}

// The page decoders and ProvisioningUser read a user as the export does.
func TestProvisioningUserAgreesWithDirectory(t *testing.T) {
	users, err := wire.ReadGraphUsers(bytes.NewReader(read(t, "users.json")))
	if err != nil {
		t.Fatal(err)
	}
	rel := wire.Relations{}
	for _, f := range []struct {
		name string
		out  *[]wire.DirectoryObject
	}{{"memberOf.json", &rel.MemberOf}, {"transitiveMemberOf.json", &rel.TransitiveMemberOf}, {"ownedObjects.json", &rel.OwnedObjects}} {
		p, err := wire.ReadDirectoryObjects(bytes.NewReader(read(t, f.name)))
		if err != nil {
			t.Fatal(f.name, err)
		}
		*f.out = p.Items
	}
	lic, err := wire.ReadLicenseDetails(bytes.NewReader(read(t, "licenseDetails.json")))
	if err != nil {
		t.Fatal(err)
	}
	rel.LicenseDetails = lic.Items
	ras, err := wire.ReadRoleAssignments(bytes.NewReader(read(t, "roleAssignments.json")))
	if err != nil {
		t.Fatal(err)
	}
	rel.RoleAssignments = ras.Items
	got, err := wire.ProvisioningUser("contoso-tenant", &users.Items[0], &rel, nil)
	if err != nil {
		t.Fatal(err)
	}
	d, err := wire.ReadDirectory(bytes.NewReader(read(t, "directory.json")), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d.Users[0], got); diff != "" {
		t.Errorf("ProvisioningUser differs from ReadDirectory (-directory +pages):\n%s", diff)
	}
	sps, err := wire.ReadServicePrincipals(bytes.NewReader(read(t, "servicePrincipals.json")))
	if err != nil {
		t.Fatal(err)
	}
	sp, err := wire.ProvisioningServicePrincipal(&sps.Items[0], &wire.Relations{RoleAssignments: rel.RoleAssignments})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d.Users[4], sp, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ProvisioningServicePrincipal differs (-directory +pages):\n%s", diff)
	}
}

// LIC-EXEMPT-ADMIN: a role counts only at directory scope "/"; one scoped
// to an administrative unit or an application makes nobody an admin, and
// one assigned to a role-assignable group goes to the members' GroupRoles,
// which do not count.
func TestRoleScopeAndGroupRolesLicExemptAdmin(t *testing.T) {
	d, err := wire.ReadDirectory(bytes.NewReader(read(t, "directory-groups.json")), wire.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []provisioning.User{
		{
			ObjectID: adele, UPN: "AdeleV@contoso.com", Enabled: true,
			GroupRoles: provisioning.PowerPlatformAdmin, // through the admins group
			Groups:     []string{sales, admins},         // memberOf cast to groups, and the admins group's members
		},
		{ObjectID: grady, UPN: "GradyA@contoso.com", Enabled: true, Roles: provisioning.Dynamics365Admin, OwnedGroups: []string{hr}},
	}
	opts := cmpopts.IgnoreFields(provisioning.User{}, "Attributes")
	if diff := cmp.Diff(want, d.Users, opts); diff != "" {
		t.Errorf("users mismatch (-want +got):\n%s", diff)
	}
	wantParents := map[string][]string{sales: {access}, hr: {access}}
	if diff := cmp.Diff(wantParents, d.GroupMemberOf); diff != "" {
		t.Errorf("GroupMemberOf mismatch (-want +got):\n%s", diff)
	}
	if len(d.Groups) != 4 || d.Groups[3].DeletedDateTime == "" {
		t.Errorf("groups = %+v", d.Groups)
	}
}

func TestReadDirectoryObjectsCastToGroups(t *testing.T) {
	p, err := wire.ReadDirectoryObjects(bytes.NewReader(read(t, "memberOf-groups.json")))
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.DirectoryObject{{ODataType: wire.TypeGroup, ID: sales}, {ODataType: wire.TypeGroup, ID: hr}}
	if diff := cmp.Diff(want, p.Items); diff != "" || p.NextLink == "" {
		t.Errorf("cast page mismatch (-want +got):\n%s", diff)
	}
	for _, context := range []string{
		"https://graph.microsoft.com/v1.0/$metadata#groups",
		"https://graph.microsoft.com/v1.0/$metadata#groups(id,displayName)",
		"https://graph.microsoft.com/v1.0/$metadata#directoryObjects/microsoft.graph.group",
		"https://graph.microsoft.com/v1.0/$metadata#directoryObjects/microsoft.graph.group(id)",
	} {
		page := `{"@odata.context":"` + context + `","value":[{"id":"g1"}]}`
		if p, err := wire.ReadDirectoryObjects(strings.NewReader(page)); err != nil || p.Items[0].ODataType != wire.TypeGroup {
			t.Errorf("context %s: %+v, %v", context, p.Items, err)
		}
	}
	// Without the cast, an entry without @odata.type is malformed; with it,
	// an entry of another type contradicts the page.
	for _, page := range []string{
		`{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#directoryObjects","value":[{"id":"g1"}]}`,
		`{"value":[{"id":"g1"}]}`,
	} {
		if _, err := wire.ReadDirectoryObjects(strings.NewReader(page)); !errors.Is(err, provisioning.ErrMissing) {
			t.Errorf("%s: %v, want provisioning.ErrMissing", page, err)
		}
	}
	page := `{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#groups","value":[{"id":"g1"},{"@odata.type":"#microsoft.graph.user","id":"u1"}]}`
	if _, err := wire.ReadDirectoryObjects(strings.NewReader(page)); !errors.Is(err, provisioning.ErrContradiction) {
		t.Errorf("a user in a cast page: %v", err)
	}
}

func TestReadSystemUsers(t *testing.T) {
	p, err := wire.ReadSystemUsers(bytes.NewReader(read(t, "systemusers.json")))
	if err != nil || p.NextLink != "" {
		t.Fatal(err, p.NextLink)
	}
	var cols syncfields.Values
	cols.Set(syncfields.ObjectID, adele)
	cols.Set(syncfields.DomainName, "AdeleV@contoso.com")
	cols.Set(syncfields.FullName, "Adele Vance")
	cols.Set(syncfields.FirstName, "Adele")
	cols.Set(syncfields.LastName, "Vance")
	cols.Set(syncfields.JobTitle, "Retail Manager")
	cols.Set(syncfields.InternalEmailAddress, "adele.vance@contoso.com")
	cols.Set(syncfields.City, "Bellevue")
	want := provisioning.Record{
		ObjectID: adele, UPN: "AdeleV@contoso.com", Mode: usertype.ReadWrite, SystemUserID: "a1b2c3d4-0000-4000-8000-000000000001",
		Roles: []string{"Salesperson"}, Teams: []string{sales},
		Fields: syncfields.Fields{Columns: cols, EmailEdited: true, Custom: map[string]string{"new_badge": "B-17"}},
	}
	if diff := cmp.Diff(want, p.Items[0]); diff != "" {
		t.Errorf("Adele's record mismatch (-want +got):\n%s", diff)
	}
	kinds := []usertype.Kind{usertype.KindRegular, usertype.KindSupport, usertype.KindApplication, usertype.KindStub}
	for i, k := range kinds {
		if got, _ := p.Items[i].Kind(); got != k {
			t.Errorf("record %d is %s, want %s", i, got, k)
		}
	}
	if !p.Items[3].Disabled || !p.Items[3].Stub {
		t.Errorf("stub = %+v", p.Items[3])
	}
	s := tenant.Snapshot{Environments: []provisioning.Environment{{ID: "e"}}, Records: map[string][]provisioning.Record{"e": p.Items}}
	if err := s.Check(); err != nil {
		t.Errorf("Snapshot.Check: %v", err)
	}
}

func TestReadSystemUsersColumnKinds(t *testing.T) {
	page := `{"value":[{"systemuserid":"s1","accessmode":0,"isdisabled":false,"azureactivedirectoryobjectid":"u1",
		"new_score":12.5,"new_vip":true,"new_note":null,"businessunitid":{"name":"root"},"new_list":[1],
		"fullname@OData.Community.Display.V1.FormattedValue":"x","_parentsystemuserid_value":"p1"}]}`
	p, err := wire.ReadSystemUsers(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"new_score": "12.5", "new_vip": "true"}
	if diff := cmp.Diff(want, p.Items[0].Fields.Custom); diff != "" {
		t.Errorf("custom columns mismatch (-want +got):\n%s", diff)
	}
}

// Each row's synced columns are its own: a column one row has is blank in
// the next row that leaves it out, whatever the order of the members.
func TestReadSystemUsersColumnsPerRow(t *testing.T) {
	page := `{"value":[
		{"systemuserid":"s1","accessmode":0,"isdisabled":false,"jobtitle":"Buyer","azureactivedirectoryobjectid":"u1","address1_city":"Oslo"},
		{"azureactivedirectoryobjectid":"u2","isdisabled":false,"systemuserid":"s2","accessmode":0},
		{"address1_city":"Lima","systemuserid":"s3","accessmode":0,"isdisabled":true,"azureactivedirectoryobjectid":null,"domainname":"old@contoso.com"}]}`
	p, err := wire.ReadSystemUsers(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	want := []syncfields.Values{
		syncfields.MakeValues(func(c syncfields.Column) string {
			return map[syncfields.Column]string{syncfields.ObjectID: "u1", syncfields.JobTitle: "Buyer", syncfields.City: "Oslo"}[c]
		}),
		syncfields.MakeValues(func(c syncfields.Column) string { return map[syncfields.Column]string{syncfields.ObjectID: "u2"}[c] }),
		syncfields.MakeValues(func(c syncfields.Column) string {
			return map[syncfields.Column]string{syncfields.City: "Lima", syncfields.DomainName: "old@contoso.com"}[c]
		}),
	}
	for i, w := range want {
		if got := p.Items[i].Fields.Columns; got != w {
			t.Errorf("row %d: columns %v, want %v", i, got, w)
		}
	}
}

func TestEncodeSystemUserRoundTrip(t *testing.T) {
	p, err := wire.ReadSystemUsers(bytes.NewReader(read(t, "systemusers.json")))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range p.Items[:3] {
		data, err := wire.EncodeSystemUser(&r)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "new_badge") {
			t.Errorf("custom column written back (SYNC-CUSTOM): %s", data)
		}
		row := strings.Replace(string(data), "{", `{"systemuserid":"`+r.SystemUserID+`",`, 1)
		if r.ObjectID == "" {
			row = strings.Replace(row, "{", `{"azureactivedirectoryobjectid":null,`, 1)
		}
		page := `{"value":[` + row + `]}`
		back, err := wire.ReadSystemUsers(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		want := r
		want.Roles, want.Teams, want.Fields.Custom = nil, nil, nil
		if diff := cmp.Diff(want, back.Items[0], cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("round trip mismatch (-want +got):\n%s", diff)
		}
	}
	// An encoder's error is about the one record it was given: no index
	// in a page, no offset in an input.
	var we *wire.Error
	_, err = wire.EncodeSystemUser(&p.Items[3])
	if !errors.Is(err, provisioning.ErrContradiction) || !errors.As(err, &we) || we.Field != "Stub" || we.Index != -1 || we.Offset != -1 {
		t.Errorf("encoding a stub: %v (index %d, offset %d)", err, indexOf(we), offsetOf(we))
	}
	_, err = wire.EncodeSystemUser(nil)
	if !errors.Is(err, provisioning.ErrMissing) || !errors.As(err, &we) || we.Index != -1 || we.Offset != -1 {
		t.Errorf("EncodeSystemUser(nil) = %v (index %d, offset %d)", err, indexOf(we), offsetOf(we))
	}
}

func TestReadDataverseExport(t *testing.T) {
	e, err := wire.ReadDataverseExport(bytes.NewReader(read(t, "dataverse.json")), nil)
	if err != nil || e.Environment != "sales-prod" || len(e.Records) != 4 {
		t.Fatalf("export: %q, %d records, %v", e.Environment, len(e.Records), err)
	}
	if e.Records[0].SystemUserID != "a1b2c3d4-0000-4000-8000-000000000001" {
		t.Errorf("SystemUserID = %q", e.Records[0].SystemUserID)
	}
}

// The deletion extension: softDeleted and ownedRecords (DEL-SOFT,
// DEL-PERMANENT), and teams rows.
func TestDataverseExportDeletionDelSoft(t *testing.T) {
	e, err := wire.ReadDataverseExport(bytes.NewReader(read(t, "dataverse-deletion.json")), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Records) != 2 || len(e.Teams) != 1 {
		t.Fatalf("%d records, %d teams", len(e.Records), len(e.Teams))
	}
	if r := e.Records[0]; r.SoftDeleted || r.OwnedRecords != 240 {
		t.Errorf("Adele's record: soft-deleted %v, owns %d", r.SoftDeleted, r.OwnedRecords)
	}
	if r := e.Records[1]; !r.SoftDeleted || !r.Disabled || r.OwnedRecords != 12 {
		t.Errorf("Patti's record: soft-deleted %v, disabled %v, owns %d", r.SoftDeleted, r.Disabled, r.OwnedRecords)
	}
	// DEL-SOFT-EFFECT: a soft-deleted record holding a role is refused,
	// naming the record.
	bad := strings.Replace(string(read(t, "dataverse-deletion.json")), `"softDeleted": ["a1b2c3d4-0000-4000-8000-000000000005"]`, `"softDeleted": ["a1b2c3d4-0000-4000-8000-000000000001"]`, 1)
	_, err = wire.ReadDataverseExport(strings.NewReader(bad), nil)
	var we *wire.Error
	var fe *provisioning.FieldError
	if !errors.As(err, &we) || !errors.As(err, &fe) || !errors.Is(err, provisioning.ErrContradiction) || we.ID != "a1b2c3d4-0000-4000-8000-000000000001" || we.Source != "systemusers[0]" || we.Index != 0 {
		t.Errorf("soft-deleted enabled record: %v", err)
	}
}
