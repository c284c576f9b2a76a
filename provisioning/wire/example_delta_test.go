package wire_test

import (
	"fmt"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/provisioning/wire"
)

// GET https://graph.microsoft.com/v1.0/users/delta?$deltatoken=... with
// Prefer: return=minimal: each user with the properties that changed.
const exampleUsersDelta = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(userPrincipalName,accountEnabled,userType,jobTitle,assignedLicenses)",
  "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=Q2",
  "value": [
    {"id": "u-ana", "jobTitle": "Senior Buyer"},
    {"id": "u-ben", "@removed": {"reason": "changed"}},
    {"id": "u-dan", "@removed": {"reason": "deleted"}},
    {"id": "u-new", "userPrincipalName": "noor@contoso.com", "accountEnabled": true, "userType": "Member",
     "assignedLicenses": [{"skuId": "b30411f5-fea1-4a59-9ad9-3db7c7ead579", "disabledPlans": []}]}
  ]
}`

func ExampleReadUsersDelta() {
	p, err := wire.ReadUsersDelta(strings.NewReader(exampleUsersDelta), wire.DeltaOptions{Tenant: "contoso"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range p.Items {
		fmt.Println(c.ObjectID, c.Removed, c.Columns.Columns(), c.Licenses != nil)
	}
	fmt.Println(p.DeltaLink)
	// Output:
	// u-ana none [jobtitle] false
	// u-ben changed [] false
	// u-dan deleted [] false
	// u-new none [] true
	// https://graph.microsoft.com/v1.0/users/delta?$deltatoken=Q2
}

func ExampleReadUsersDelta_refused() {
	p, _ := wire.ReadUsersDelta(strings.NewReader(exampleUsersDelta), wire.DeltaOptions{Tenant: "contoso"})
	fmt.Println(*p.Items[3].UPN, *p.Items[3].Licenses)

	_, err := wire.ReadUsersDelta(strings.NewReader(`{"value": [{"id": "u-ana", "@removed": {"reason": "archived"}}]}`), wire.DeltaOptions{})
	fmt.Println(err)
	// Output:
	// noor@contoso.com [{power-apps-premium contoso false}]
	// wire: users/delta[0] "u-ana": field @removed.reason = "archived": unknown value: want "changed" or "deleted" (offset 50)
}

// GET https://graph.microsoft.com/v1.0/groups/delta?$select=members with a
// delta link: the members each group gained and lost.
const exampleGroupsDelta = `{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups",
  "@odata.deltaLink": "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=R7",
  "value": [
    {"id": "g-sales", "members@delta": [
      {"@odata.type": "#microsoft.graph.user", "id": "u-new"},
      {"@odata.type": "#microsoft.graph.user", "id": "u-eva", "@removed": {"reason": "deleted"}},
      {"@odata.type": "#microsoft.graph.group", "id": "g-emea"}]},
    {"id": "g-old", "@removed": {"reason": "deleted"}}
  ]
}`

func ExampleReadGroupsDelta() {
	p, err := wire.ReadGroupsDelta(strings.NewReader(exampleGroupsDelta))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range p.Items {
		fmt.Println(g.Group, g.MembersAdded, g.MembersRemoved, g.Removed)
	}
	// Output:
	// g-sales [u-new] [u-eva] none
	// g-old [] [] deleted
}

func ExampleGroupChanges() {
	users, _ := wire.ReadUsersDelta(strings.NewReader(exampleUsersDelta), wire.DeltaOptions{Tenant: "contoso"})
	groups, _ := wire.ReadGroupsDelta(strings.NewReader(exampleGroupsDelta))
	d := tenant.Delta{Users: users.Items, UsersLink: users.DeltaLink, Groups: wire.GroupChanges(groups.Items), GroupsLink: groups.DeltaLink}
	s := &tenant.Snapshot{Users: []provisioning.User{
		{ObjectID: "u-ana", UPN: "ana@contoso.com", Enabled: true, Groups: []string{"g-sales"}},
		{ObjectID: "u-eva", UPN: "eva@contoso.com", Enabled: true, Groups: []string{"g-sales"}},
	}}
	st, _ := tenant.NewState(s, tenant.Options{})
	next, a, err := st.Apply(d)
	fmt.Printf("%v added %d, gone %d, ignored %d, %v\n", a.Users, a.Added, a.Gone, a.Ignored, err)
	fmt.Println(next.User("u-new").Groups, next.User("u-eva").Groups)
	// Output:
	// [u-ana u-eva u-new] added 1, gone 0, ignored 2, <nil>
	// [g-sales] []
}

func ExampleAssignedRoles() {
	assignments := []wire.RoleAssignment{
		{PrincipalID: "u-ana", RoleDefinitionID: wire.PowerPlatformAdministratorTemplateID, DirectoryScopeID: "/"},
		{PrincipalID: "u-ben", RoleDefinitionID: wire.GlobalAdministratorTemplateID, DirectoryScopeID: "/administrativeUnits/au-1"},
		{PrincipalID: "g-admins", RoleDefinitionID: wire.Dynamics365AdministratorTemplateID, DirectoryScopeID: "/"},
	}
	members := map[string][]wire.DirectoryObject{"g-admins": {{ODataType: wire.TypeUser, ID: "u-eva"}}}
	r := wire.AssignedRoles(assignments, members)
	fmt.Println(r.Roles, r.GroupRoles)
	// Output:
	// map[u-ana:power-platform] map[u-eva:dynamics-365]
}
