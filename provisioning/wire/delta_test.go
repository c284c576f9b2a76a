package wire_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
	"github.com/provisionrules/provisionrules/syncfields"
)

// The IDs of the delta testdata beside those of wire_test.go.
const (
	lynne   = "3a1b2c3d-7777-4888-9999-aaaabbbbcccc" // new, with a Power Apps license by SKU ID
	megan   = "d4e5f6a7-1111-4222-8333-444455556666" // new, a guest from fabrikam.com
	robot   = "9f8e7d6c-3333-4444-8555-666677778888" // a service principal joining the sales group
	retired = "c0ffee00-1234-4567-89ab-cdef01234567" // a group deleted
)

func ptr[T any](v T) *T { return &v }

// attrs returns the column set and values of pairs of column and value.
func attrs(pairs ...any) (syncfields.ColumnSet, syncfields.Values) {
	var set syncfields.ColumnSet
	var v syncfields.Values
	for i := 0; i < len(pairs); i += 2 {
		c := pairs[i].(syncfields.Column)
		set = set.With(c)
		v.Set(c, pairs[i+1].(string))
	}
	return set, v
}

func TestReadUsersDelta(t *testing.T) {
	p1, err := wire.ReadUsersDelta(bytes.NewReader(read(t, "users-delta.json")), deltaOpts)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := wire.ReadUsersDelta(bytes.NewReader(read(t, "users-delta-page2.json")), deltaOpts)
	if err != nil {
		t.Fatal(err)
	}
	if p1.NextLink == "" || p1.DeltaLink != "" || p2.NextLink != "" || p2.DeltaLink == "" {
		t.Errorf("links: page 1 next %q delta %q, page 2 next %q delta %q", p1.NextLink, p1.DeltaLink, p2.NextLink, p2.DeltaLink)
	}
	adeleCols, adeleVals := attrs(syncfields.JobTitle, "Retail Lead", syncfields.MobilePhone, "", syncfields.Telephone1, "+1 425 555 0142")
	lynneCols, lynneVals := attrs(syncfields.FullName, "Lynne Robbins", syncfields.FirstName, "Lynne", syncfields.LastName, "Robbins",
		syncfields.JobTitle, "Planner", syncfields.InternalEmailAddress, "LynneR@contoso.com", syncfields.Telephone1, "",
		syncfields.City, "Tulsa", syncfields.Country, "United States")
	meganCols, meganVals := attrs(syncfields.FullName, "Megan Bowen", syncfields.InternalEmailAddress, "megan@fabrikam.com")
	want := []provisioning.UserChange{
		{ObjectID: adele, Columns: adeleCols, Attributes: adeleVals},
		{ObjectID: kim, Removed: provisioning.SoftRemoved},
		{ObjectID: lynne, UPN: ptr("LynneR@contoso.com"), Enabled: ptr(true), Guest: ptr(false), HomeTenant: ptr(""),
			Licenses: &[]provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso"}},
			Columns:  lynneCols, Attributes: lynneVals},
		{ObjectID: grady, Removed: provisioning.HardRemoved},
		{ObjectID: megan, UPN: ptr("megan_fabrikam.com#EXT#@contoso.onmicrosoft.com"), Enabled: ptr(true), Guest: ptr(true),
			HomeTenant: ptr("fabrikam.com"), Columns: meganCols, Attributes: meganVals},
	}
	if diff := cmp.Diff(want, append(p1.Items, p2.Items...)); diff != "" {
		t.Errorf("changes mismatch (-want +got):\n%s", diff)
	}
}

func TestReadGroupsDelta(t *testing.T) {
	p, err := wire.ReadGroupsDelta(bytes.NewReader(read(t, "groups-delta.json")))
	if err != nil {
		t.Fatal(err)
	}
	// The nested group and the device of the sales group's members@delta
	// are left out; the service principal is kept.
	want := []wire.GroupDelta{
		{GroupChange: provisioning.GroupChange{Group: sales, MembersAdded: []string{lynne, robot}, MembersRemoved: []string{adele}}},
		{GroupChange: provisioning.GroupChange{Group: hr, OwnersAdded: []string{adele}, OwnersRemoved: []string{kim}}},
		{GroupChange: provisioning.GroupChange{Group: retired}, Removed: provisioning.HardRemoved},
	}
	if diff := cmp.Diff(want, p.Items); diff != "" {
		t.Errorf("changes mismatch (-want +got):\n%s", diff)
	}
	if p.DeltaLink == "" || p.NextLink != "" {
		t.Errorf("links: next %q, delta %q", p.NextLink, p.DeltaLink)
	}
}

// A member entry's members other than @odata.type, id and @removed are
// skipped, whatever they hold: Graph may add some.
func TestGroupsDeltaMemberExtras(t *testing.T) {
	page := `{"value":[{"id":"g1","members@delta":[` +
		`{"@odata.type":"#microsoft.graph.user","displayName":"Ana","id":"u1","extra":{"a":[1,2,{"b":null}]}},` +
		`{"@odata.type":"#microsoft.graph.user","id":"u2","@removed":{"reason":"deleted"},"note":"gone"}]}]}`
	p, err := wire.ReadGroupsDelta(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.GroupDelta{{GroupChange: provisioning.GroupChange{Group: "g1", MembersAdded: []string{"u1"}, MembersRemoved: []string{"u2"}}}}
	if diff := cmp.Diff(want, p.Items); diff != "" {
		t.Errorf("changes mismatch (-want +got):\n%s", diff)
	}
}

// Every profile property of the online profile is read into its column
// (the object ID and the UPN apart), a null one clears it, and one
// absent is unchanged.
func TestUsersDeltaProfile(t *testing.T) {
	for _, row := range syncfields.Online().Rows() {
		if row.Column == syncfields.ObjectID || row.Column == syncfields.DomainName {
			continue
		}
		name, value := row.Source, `"v"`
		if name == "businessPhones[0]" {
			name, value = "businessPhones", `["v", "w"]`
		}
		for _, c := range []struct{ json, want string }{{value, "v"}, {"null", ""}} {
			p, err := wire.ReadUsersDelta(strings.NewReader(`{"value":[{"id":"u1","`+name+`":`+c.json+`}]}`), deltaOpts)
			if err != nil {
				t.Fatalf("%s = %s: %v", name, c.json, err)
			}
			got := p.Items[0]
			if got.Columns != (syncfields.ColumnSet(0)).With(row.Column) || got.Attributes.Get(row.Column) != c.want {
				t.Errorf("%s = %s: columns %v, %s = %q; want only %s = %q", name, c.json, got.Columns.Columns(), row.Column, got.Attributes.Get(row.Column), row.Column, c.want)
			}
		}
	}
	p, err := wire.ReadUsersDelta(strings.NewReader(`{"value":[{"id":"u1","officeLocation":"18/2111","@odata.type":"#microsoft.graph.user"}]}`), deltaOpts)
	if err != nil || p.Items[0].Columns != 0 {
		t.Errorf("a property the profile does not map: %+v, %v", p.Items, err)
	}
}

// LIC-GUEST-TENANT: a guest's home tenant is read from the UPN of the
// same item; without it, it is not known; a member has none; an item
// without userType leaves it to the state.
func TestUsersDeltaHomeTenantLicGuestTenant(t *testing.T) {
	for _, c := range []struct {
		item string
		want *string
	}{
		{`"userType":"Guest","userPrincipalName":"kim_lee_fabrikam.com#EXT#@contoso.onmicrosoft.com"`, ptr("fabrikam.com")},
		{`"userType":"Guest","userPrincipalName":"kim@fabrikam.com"`, ptr(wire.UnknownHomeTenant)},
		{`"userType":"Guest"`, ptr(wire.UnknownHomeTenant)},
		{`"userType":"Member","userPrincipalName":"kim_fabrikam.com#EXT#@contoso.onmicrosoft.com"`, ptr("")},
		{`"userPrincipalName":"kim_fabrikam.com#EXT#@contoso.onmicrosoft.com"`, nil},
	} {
		p, err := wire.ReadUsersDelta(strings.NewReader(`{"value":[{"id":"u1",`+c.item+`}]}`), deltaOpts)
		if err != nil {
			t.Fatalf("%s: %v", c.item, err)
		}
		if diff := cmp.Diff(c.want, p.Items[0].HomeTenant); diff != "" {
			t.Errorf("%s: home tenant mismatch (-want +got):\n%s", c.item, diff)
		}
	}
}

// LIC-REQUIRED: assignedLicenses are classified by SKU ID, inactive when
// the plan that carries the SKU's plan is disabled, PlanOther for a SKU
// the classifier does not list, all assigned in the options' tenant; null
// and [] clear the licenses.
func TestUsersDeltaLicensesLicRequired(t *testing.T) {
	page := `{"value":[
	  {"id":"u1","assignedLicenses":[{"skuId":"b30411f5-fea1-4a59-9ad9-3db7c7ead579","disabledPlans":["ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86"]},
	    {"skuId":"1e1a282c-9c54-43a2-9310-98ef728faace","disabledPlans":[]},{"skuId":"05e9a617-0261-4cee-bb44-138d3ef5d965","disabledPlans":[]}]},
	  {"id":"u2","assignedLicenses":null},
	  {"id":"u3","assignedLicenses":[]}]}`
	p, err := wire.ReadUsersDelta(strings.NewReader(page), deltaOpts)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]provisioning.License{
		{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso", Inactive: true}, {Plan: provisioning.PlanDynamics365, Tenant: "contoso"}, {Plan: provisioning.PlanOther, Tenant: "contoso"}},
		{}, {},
	}
	for i, w := range want {
		if p.Items[i].Licenses == nil {
			t.Fatalf("item %d: licenses unchanged", i)
		}
		if diff := cmp.Diff(w, *p.Items[i].Licenses); diff != "" {
			t.Errorf("item %d: licenses mismatch (-want +got):\n%s", i, diff)
		}
	}
	// A classifier that knows nothing, and one that knows the SKU.
	c := &wire.Classifier{SKUs: map[string]wire.SKU{"05E9A617-0261-4CEE-BB44-138D3EF5D965": {Plan: provisioning.PlanDynamics365}}}
	p, err = wire.ReadUsersDelta(strings.NewReader(page), wire.DeltaOptions{Tenant: "t", Classifier: c})
	if err != nil || (*p.Items[0].Licenses)[2] != (provisioning.License{Plan: provisioning.PlanDynamics365, Tenant: "t"}) || (*p.Items[0].Licenses)[0].Plan != provisioning.PlanOther {
		t.Errorf("with a classifier of one SKU: %v, %v", p.Items[0].Licenses, err)
	}
}

// The tenant the licenses are assigned in is required for a page that
// lists one, and must be a well-formed identifier.
func TestUsersDeltaOptions(t *testing.T) {
	licensed := []byte(`{"value":[{"id":"u1","assignedLicenses":[{"skuId":"b30411f5-fea1-4a59-9ad9-3db7c7ead579"}]}]}`)
	_, err := wire.ReadUsersDelta(bytes.NewReader(licensed), wire.DeltaOptions{})
	var we *wire.Error
	if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrMissing) || we.Field != "assignedLicenses" || we.ID != "u1" {
		t.Errorf("licenses without a tenant: %v", err)
	}
	if _, err := wire.ReadUsersDelta(strings.NewReader(`{"value":[{"id":"u1","assignedLicenses":[]}]}`), wire.DeltaOptions{}); err != nil {
		t.Errorf("no license, no tenant: %v", err)
	}
	_, err = wire.ReadUsersDelta(bytes.NewReader(licensed), wire.DeltaOptions{Tenant: "con\ttoso"})
	if !errors.As(err, &we) || !errors.Is(err, provisioning.ErrMalformed) || we.Field != "DeltaOptions.Tenant" {
		t.Errorf("a malformed tenant: %v", err)
	}
}

// deltaTenant is the tenant the delta testdata changes: Adele, Kim and
// Grady, each with a record in the sales environment, whose security
// group is the sales group.
func deltaTenant() *tenant.Snapshot {
	env := provisioning.Environment{ID: "sales-prod", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, SecurityGroup: sales}
	user := func(id, upn string, groups ...string) provisioning.User {
		u := provisioning.User{ObjectID: id, UPN: upn, Enabled: true, Groups: groups,
			Licenses: []provisioning.License{{Plan: provisioning.PlanDynamics365, Tenant: "contoso"}}}
		u.Attributes.Set(syncfields.FullName, upn)
		return u
	}
	record := func(id, upn string) provisioning.Record {
		r := provisioning.Record{ObjectID: id, UPN: upn, Roles: []string{"Salesperson"}}
		r.Fields.Columns.Set(syncfields.FullName, upn)
		return r
	}
	return &tenant.Snapshot{
		Environments: []provisioning.Environment{env},
		Users:        []provisioning.User{user(adele, "AdeleV@contoso.com", sales), user(kim, "KimA@contoso.com", sales, hr), user(grady, "GradyA@contoso.com", sales)},
		Records:      map[string][]provisioning.Record{"sales-prod": {record(adele, "AdeleV@contoso.com"), record(kim, "KimA@contoso.com"), record(grady, "GradyA@contoso.com")}},
	}
}

// The delta testdata, decoded and applied in one tenant.Delta, affect the
// users they name and no other, and the plan of the changes is what the
// rules say of each.
func TestDeltaRoundTrip(t *testing.T) {
	st, err := tenant.NewState(deltaTenant(), tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var d tenant.Delta
	for _, name := range []string{"users-delta.json", "users-delta-page2.json"} {
		p, err := wire.ReadUsersDelta(bytes.NewReader(read(t, name)), deltaOpts)
		if err != nil {
			t.Fatal(err)
		}
		d.Users = append(d.Users, p.Items...)
		d.UsersLink = p.DeltaLink
	}
	groups, err := wire.ReadGroupsDelta(bytes.NewReader(read(t, "groups-delta.json")))
	if err != nil {
		t.Fatal(err)
	}
	d.GroupsLink = groups.DeltaLink
	d.Groups = wire.GroupChanges(groups.Items)
	next, a, err := st.Apply(d)
	if err != nil {
		t.Fatal(err)
	}
	// Adele changed, Kim soft-deleted, Grady deleted for good, Lynne and
	// Megan added; the service principal joining sales is not held.
	want := tenant.Affected{Users: []string{lynne, adele, kim, grady, megan}, Added: 2, Gone: 1, Ignored: 1}
	if diff := cmp.Diff(want, a, cmpopts.SortSlices(func(x, y string) bool { return x < y })); diff != "" {
		t.Errorf("affected mismatch (-want +got):\n%s", diff)
	}
	if next.UsersLink() != d.UsersLink || next.GroupsLink() != groups.DeltaLink || next.GroupsLink() == "" || next.User(grady) != nil {
		t.Errorf("links %q and %q, Grady %+v", next.UsersLink(), next.GroupsLink(), next.User(grady))
	}
	if u := next.User(adele); u.Attributes.Get(syncfields.JobTitle) != "Retail Lead" || len(u.Groups) != 0 || !cmp.Equal(u.OwnedGroups, []string{hr}) {
		t.Errorf("Adele = %+v", u)
	}
	if u := next.User(kim); !u.SoftDeleted || len(u.OwnedGroups) != 0 {
		t.Errorf("Kim = %+v", u)
	}
	if u := next.User(megan); !u.Guest || u.HomeTenant != "fabrikam.com" {
		t.Errorf("Megan = %+v", u)
	}
	verbs := map[string]provisioning.Verb{}
	b, err := next.PlanChanges(a, provisioning.BackgroundSync)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range b.Actions {
		verbs[act.User] = act.Verb
		if act.User == grady && !act.Rules.Has(provisioning.RuleLifeMatch) {
			t.Errorf("Grady's record: %v, want LIFE-MATCH", act.Rules)
		}
	}
	wantVerbs := map[string]provisioning.Verb{
		adele: provisioning.Disable,  // out of the sales group (SG-MEMBER)
		kim:   provisioning.Disable,  // soft-deleted (DEL-DIRECTORY)
		grady: provisioning.Disable,  // gone (LIFE-MATCH)
		lynne: provisioning.Create,   // a Power Apps license and the sales group
		megan: provisioning.NotAdded, // not in the sales group
	}
	if diff := cmp.Diff(wantVerbs, verbs); diff != "" {
		t.Errorf("verbs mismatch (-want +got):\n%s", diff)
	}
}

// LIC-EXEMPT-ADMIN: RoleRead reads the assignments as a full read does:
// only at scope "/", and through a role-assignable group only as
// GroupRoles of its direct users and service principals.
func TestRoleReadLicExemptAdmin(t *testing.T) {
	ra, err := wire.ReadRoleAssignments(bytes.NewReader(read(t, "roleAssignments.json")))
	if err != nil {
		t.Fatal(err)
	}
	assignments := append(ra.Items,
		wire.RoleAssignment{PrincipalID: admins, RoleDefinitionID: wire.PowerPlatformAdministratorTemplateID, DirectoryScopeID: "/"},
		wire.RoleAssignment{PrincipalID: adele, RoleDefinitionID: wire.GlobalAdministratorTemplateID, DirectoryScopeID: "/administrativeUnits/au1"},
		wire.RoleAssignment{PrincipalID: hr, RoleDefinitionID: wire.Dynamics365AdministratorTemplateID, DirectoryScopeID: "/"},
	)
	members := map[string][]wire.DirectoryObject{admins: {
		{ODataType: wire.TypeUser, ID: adele},
		{ODataType: wire.TypeServicePrincipal, ID: robot},
		{ODataType: wire.TypeGroup, ID: sales},
	}}
	got := wire.AssignedRoles(assignments, members)
	want := provisioning.DirectoryRoles{
		// The hr group's members are not given: it is taken for a
		// principal of its own.
		Roles:      map[string]provisioning.AdminRoles{kim: provisioning.PowerPlatformAdmin, grady: provisioning.GlobalAdmin, hr: provisioning.Dynamics365Admin},
		GroupRoles: map[string]provisioning.AdminRoles{adele: provisioning.PowerPlatformAdmin, robot: provisioning.PowerPlatformAdmin},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("role read mismatch (-want +got):\n%s", diff)
	}
	// Applied, it replaces every user's roles.
	st, err := tenant.NewState(deltaTenant(), tenant.Options{})
	if err != nil {
		t.Fatal(err)
	}
	next, a, err := st.Apply(tenant.Delta{Roles: &got})
	if err != nil {
		t.Fatal(err)
	}
	if next.User(adele).GroupRoles != provisioning.PowerPlatformAdmin || next.User(kim).Roles != provisioning.PowerPlatformAdmin || a.Ignored != 2 {
		t.Errorf("after the role read: Adele %+v, Kim %+v, affected %+v", next.User(adele), next.User(kim), a)
	}
}
