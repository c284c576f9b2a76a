package wire

import (
	"errors"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// UnknownHomeTenant is the home tenant this package gives a guest whose
// UPN does not say where the guest comes from. It is not a tenant ID (it
// holds spaces and parentheses), so it never equals the tenant a license
// was assigned in: a license of the guest's home tenant can never count by
// mistake (LIC-GUEST-TENANT).
const UnknownHomeTenant = "(home tenant not known)"

// guestHome reads a guest's home tenant from its UPN (LIC-GUEST-TENANT).
// Microsoft Graph in the resource tenant does not say which tenant a
// guest comes from; the invitation writes the guest's own address into
// its UPN as local_domain#EXT#@resource-tenant, and the domain stands for
// the home tenant:
//
//   - "kim_fabrikam.com#EXT#@contoso.onmicrosoft.com" gives "fabrikam.com";
//   - a local part with several underscores gives what follows the last:
//     "kim_lee_fabrikam.com#EXT#@contoso.onmicrosoft.com" gives
//     "fabrikam.com" (a domain has no underscore);
//   - a UPN without "#EXT#" ("kim@fabrikam.com"), with "#EXT#" not followed
//     by "@", or with nothing between the last underscore and "#EXT#" (or
//     no underscore at all) gives UnknownHomeTenant.
func guestHome(upn string) string {
	local, rest, ok := strings.Cut(upn, "#EXT#")
	if !ok || !strings.HasPrefix(rest, "@") {
		return UnknownHomeTenant
	}
	i := strings.LastIndexByte(local, '_')
	if i < 0 || i == len(local)-1 {
		return UnknownHomeTenant
	}
	return local[i+1:]
}

// roleOf returns the admin role of a role template ID, or 0 for a role the
// rules do not know.
func roleOf(templateID string) provisioning.AdminRoles {
	switch strings.ToLower(templateID) {
	case GlobalAdministratorTemplateID:
		return provisioning.GlobalAdmin
	case PowerPlatformAdministratorTemplateID:
		return provisioning.PowerPlatformAdmin
	case Dynamics365AdministratorTemplateID:
		return provisioning.Dynamics365Admin
	}
	return 0
}

// tenantScope is the directoryScopeId of an assignment to the whole
// tenant.
const tenantScope = "/"

// profileSource is one mapped column of the online profile and how to
// read its source attribute from a Graph user.
type profileSource struct {
	column syncfields.Column
	get    func(*GraphUser) string
}

// graphAttributes reads each Graph user property the online profile
// names, but id and userPrincipalName, which a user carries as its
// ObjectID and UPN and never among its Attributes.
var graphAttributes = map[string]func(*GraphUser) string{
	"displayName": func(g *GraphUser) string { return g.DisplayName },
	"jobTitle":    func(g *GraphUser) string { return g.JobTitle },
	"givenName":   func(g *GraphUser) string { return g.GivenName },
	"surname":     func(g *GraphUser) string { return g.Surname },
	"mail":        func(g *GraphUser) string { return g.Mail },
	"businessPhones[0]": func(g *GraphUser) string {
		if len(g.BusinessPhones) == 0 {
			return ""
		}
		return g.BusinessPhones[0]
	},
	"mobilePhone":   func(g *GraphUser) string { return g.MobilePhone },
	"streetAddress": func(g *GraphUser) string { return g.StreetAddress },
	"city":          func(g *GraphUser) string { return g.City },
	"state":         func(g *GraphUser) string { return g.State },
	"postalCode":    func(g *GraphUser) string { return g.PostalCode },
	"country":       func(g *GraphUser) string { return g.Country },
}

// graphColumns reads the Graph user property of each column profile
// holds, by Column; nil for the others.
var graphColumns = func() (out [syncfields.ColumnCount]func(*GraphUser) string) {
	for _, p := range profile {
		out[p.column] = p.get
	}
	return out
}()

// profile is the online profile's rows as readers of a Graph user, in
// the profile's order; the object ID's and the UPN's rows are left out
// (the user's ObjectID and UPN hold them), and so would be a row whose
// source this package cannot read (a test checks there is none).
var profile = func() []profileSource {
	var out []profileSource
	for _, row := range syncfields.Online().Rows() {
		if get, ok := graphAttributes[row.Source]; ok {
			out = append(out, profileSource{column: row.Column, get: get})
		}
	}
	return out
}()

// facts are what the relations of an export say of one user or service
// principal, gathered before or after the object itself is read, and
// what the read of the object keeps for its completion.
type facts struct {
	listed     sections // the sections that listed the principal
	hasDetails bool     // licenseDetails listed it, even with no license
	licenses   []provisioning.License
	dirRoles   provisioning.AdminRoles
	groups     []string
	nested     []string
	owned      []string
	assigned   []AssignedLicense // the user object's assignedLicenses
	sp         bool              // a service principal, not a user
}

// assembler turns Graph objects and their relations into
// provisioning.User values: the one place this package applies the
// readings of the directory.
type assembler struct {
	tenant  string
	memo    classifyMemo
	roles   map[string]provisioning.AdminRoles // tenant-scope roles by principal
	parents map[string][]string                // groups a group is a direct member of
}

func newAssembler(c *Classifier) *assembler {
	if c == nil {
		c = DefaultClassifier()
	}
	return &assembler{
		memo:    newClassifyMemo(c),
		roles:   map[string]provisioning.AdminRoles{},
		parents: map[string][]string{},
	}
}

// addLicense adds a license from licenseDetails, classified by m.
func (f *facts) addLicense(m *classifyMemo, l *LicenseDetails) {
	f.licenses = append(f.licenses, m.details(l))
}

// addMemberOf adds an entry of the principal's memberOf: a group it is a
// direct member of, or a directory role it holds itself (activated, at
// tenant scope).
func (f *facts) addMemberOf(o *DirectoryObject) {
	switch o.ODataType {
	case TypeGroup:
		f.groups = append(f.groups, o.ID)
	case TypeDirectoryRole:
		f.dirRoles |= roleOf(o.RoleTemplateID)
	}
}

// addTransitive adds an entry of transitiveMemberOf.
func (f *facts) addTransitive(o *DirectoryObject) {
	if o.ODataType == TypeGroup {
		f.nested = append(f.nested, o.ID)
	}
}

// addOwned adds an entry of ownedObjects.
func (f *facts) addOwned(o *DirectoryObject) {
	if o.ODataType == TypeGroup {
		f.owned = append(f.owned, o.ID)
	}
}

// merge adds to f what g, read apart, says of the same principal.
func (f *facts) merge(g *facts) {
	f.hasDetails = f.hasDetails || g.hasDetails
	f.licenses = concat(f.licenses, g.licenses)
	f.dirRoles |= g.dirRoles
	f.groups, f.nested, f.owned = concat(f.groups, g.groups), concat(f.nested, g.nested), concat(f.owned, g.owned)
}

// concat returns a followed by b: b itself when a is nil.
func concat[T any](a, b []T) []T {
	if a == nil {
		return b
	}
	return append(a, b...)
}

// addRoleAssignment adds an assignment (see tenantRole).
func (a *assembler) addRoleAssignment(ra *RoleAssignment) {
	if r := tenantRole(ra); r != 0 {
		a.roles[ra.PrincipalID] |= r
	}
}

// tenantRole returns the admin role an assignment gives its principal, or
// 0. Only one at tenant scope ("/") makes an admin (LIC-EXEMPT-ADMIN): one
// scoped to an administrative unit or an application gives nothing. Roles
// the rules do not know are left out.
func tenantRole(ra *RoleAssignment) provisioning.AdminRoles {
	if ra.DirectoryScopeID != tenantScope {
		return 0
	}
	return roleOf(ra.RoleDefinitionID)
}

// addGroupMemberOf adds an entry of group's own memberOf list.
func (a *assembler) addGroupMemberOf(group string, o *DirectoryObject) {
	if o.ODataType == TypeGroup {
		a.parents[group] = append(a.parents[group], o.ID)
	}
}

// base returns the user g is before its relations: identity, state and
// profile attributes.
func base(g *GraphUser) provisioning.User {
	u := provisioning.User{
		ObjectID:    g.ID,
		UPN:         g.UserPrincipalName,
		SoftDeleted: g.DeletedDateTime != "",
		Guest:       g.UserType == "Guest",
	}
	if g.AccountEnabled != nil {
		u.Enabled = *g.AccountEnabled
	}
	if u.Guest {
		u.HomeTenant = guestHome(g.UserPrincipalName)
	}
	u.Attributes = syncfields.MakeValues(func(c syncfields.Column) string {
		if get := graphColumns[c]; get != nil {
			return get(g)
		}
		return ""
	})
	return u
}

// baseServicePrincipal returns the user a service principal is before its
// relations. Of the profile it carries only its display name, which its
// application user's record takes as last name at creation
// (SYNC-APPLICATION, syncfields.Application).
func baseServicePrincipal(sp *ServicePrincipal) provisioning.User {
	u := provisioning.User{ObjectID: sp.ID, ApplicationID: sp.AppID}
	u.Attributes.Set(syncfields.LastName, sp.DisplayName)
	if sp.AccountEnabled != nil {
		u.Enabled = *sp.AccountEnabled
	}
	return u
}

// complete adds to u what f and the tenant's role assignments say of it;
// assigned are the user object's assignedLicenses, the licenses when f
// has no licenseDetails.
func (a *assembler) complete(u *provisioning.User, assigned []AssignedLicense, f *facts) {
	if f == nil {
		f = &facts{}
	}
	if f.hasDetails {
		u.Licenses = f.licenses
	} else if len(assigned) > 0 {
		u.Licenses = make([]provisioning.License, 0, len(assigned))
		for i := range assigned {
			u.Licenses = append(u.Licenses, a.memo.assigned(&assigned[i]))
		}
	}
	for i := range u.Licenses {
		u.Licenses[i].Tenant = a.tenant
	}
	u.Groups = unique(f.groups, nil)
	u.NestedGroups = unique(f.nested, u.Groups)
	u.OwnedGroups = unique(f.owned, nil)
	u.Roles = f.dirRoles | a.roles[u.ObjectID]
	for _, g := range u.Groups {
		// A role assigned to a role-assignable group the user is a direct
		// member of: kept apart, since it does not count (GroupRoles).
		u.GroupRoles |= a.roles[g]
	}
}

// unique returns list without repeats and without the IDs of except, in
// first-seen order, reusing list's array.
func unique(list, except []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := list[:0]
	var seen map[string]bool
	if len(list)+len(except) > 16 { // a map only pays for longer lists: speed only
		seen = make(map[string]bool, len(list)+len(except))
		for _, id := range except {
			seen[id] = true
		}
	}
	for _, id := range list {
		if seen != nil {
			if seen[id] {
				continue
			}
			seen[id] = true
		} else if contains(out, id) || contains(except, id) {
			continue
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func contains(list []string, id string) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// validate checks u with provisioning's Validate, reporting a failure as
// an *Error of the record at index of the page at.
func validate(u *provisioning.User, at where, index int, offset int64) error {
	return invalid(u.Validate(), at, index, u.ObjectID, offset)
}

// invalid reports err, a record's failure of provisioning's Validate, as
// an *Error of the record with id at index of the page at that wraps the
// *provisioning.FieldError (or the *syncfields.ColumnError of a
// malformed column); nil stays nil.
func invalid(err error, at where, index int, id string, offset int64) error {
	if err == nil {
		return nil
	}
	e := &Error{Source: at.String(), Index: index, ID: id, Offset: offset, Err: err}
	var fe *provisioning.FieldError
	var ce *syncfields.ColumnError
	switch {
	case errors.As(err, &fe):
		e.Field, e.Value = fe.Field, cut(fe.Value)
	case errors.As(err, &ce):
		e.Field, e.Value = "Fields["+ce.Column+"]", cut(ce.Value)
	}
	return e
}

// Relations are what Microsoft Graph lists about one user or service
// principal besides the object itself, for callers that fetch the pages
// themselves.
type Relations struct {
	// LicenseDetails is GET /users/{id}/licenseDetails, all pages. Nil
	// means it was not fetched, and the user object's assignedLicenses
	// stand in; an empty, non-nil list means the user has no license.
	LicenseDetails []LicenseDetails
	// MemberOf is GET /users/{id}/memberOf: the direct groups, and the
	// directory roles the user holds itself.
	MemberOf []DirectoryObject
	// TransitiveMemberOf is GET /users/{id}/transitiveMemberOf.
	TransitiveMemberOf []DirectoryObject
	// OwnedObjects is GET /users/{id}/ownedObjects.
	OwnedObjects []DirectoryObject
	// RoleAssignments are the tenant's directory role assignments, or
	// those whose principal is the user or one of its groups.
	RoleAssignments []RoleAssignment
}

// ProvisioningUser returns the provisioning.User that g and its relations
// describe, every license assigned in tenant and classified by c (nil
// means DefaultClassifier()). The readings are those of ReadDirectory:
//
//   - accountEnabled; deletedDateTime marks a soft-deleted user; userType
//     "Guest" makes a guest, whose home tenant is read from its UPN: the
//     domain between the last "_" and "#EXT#@" of local_domain#EXT#@tenant,
//     else UnknownHomeTenant (LIC-GUEST-TENANT);
//   - licenses from LicenseDetails, or, when it is nil, from
//     assignedLicenses (see Classifier.Classify and ClassifyAssigned);
//   - Roles from the directory roles in MemberOf and from the role
//     assignments to the user itself at directory scope "/"; an
//     assignment scoped to an administrative unit or an application makes
//     nobody an admin (LIC-EXEMPT-ADMIN); GroupRoles from the assignments
//     at "/" to a group the user is a direct member of, which do not count;
//   - Groups from the groups in MemberOf, NestedGroups from those of
//     TransitiveMemberOf that are not direct, OwnedGroups from the groups
//     in OwnedObjects (SG-NESTED, SG-OWNER);
//   - the profile attributes, by the online profile of package syncfields.
//
// A user that fails provisioning's Validate is an *Error wrapping the
// *provisioning.FieldError.
func ProvisioningUser(tenant string, g *GraphUser, rel *Relations, c *Classifier) (provisioning.User, error) {
	if g == nil {
		return provisioning.User{}, &Error{Source: srcGraphUser, Index: -1, Field: "*GraphUser", Value: "nil", Offset: -1, Err: provisioning.ErrMissing}
	}
	a, f := newAssembler(c), relationFacts(rel)
	a.tenant = tenant
	if rel != nil {
		for i := range rel.RoleAssignments {
			a.addRoleAssignment(&rel.RoleAssignments[i])
		}
		for i := range rel.LicenseDetails {
			f.addLicense(&a.memo, &rel.LicenseDetails[i])
		}
	}
	u := base(g)
	a.complete(&u, g.AssignedLicenses, f)
	return u, validate(&u, lone(srcGraphUser), -1, -1)
}

// ProvisioningServicePrincipal returns the provisioning.User, an
// application user's directory side, that sp and its relations describe:
// its roles as ProvisioningUser reads them; it holds no license.
func ProvisioningServicePrincipal(sp *ServicePrincipal, rel *Relations) (provisioning.User, error) {
	if sp == nil {
		return provisioning.User{}, &Error{Source: srcServicePrincipal, Index: -1, Field: "*ServicePrincipal", Value: "nil", Offset: -1, Err: provisioning.ErrMissing}
	}
	a, f := newAssembler(nil), relationFacts(rel)
	if rel != nil {
		for i := range rel.RoleAssignments {
			a.addRoleAssignment(&rel.RoleAssignments[i])
		}
	}
	u := baseServicePrincipal(sp)
	a.complete(&u, nil, f) // no license: relationFacts reads none, and no assignedLicenses are given
	return u, validate(&u, lone(srcServicePrincipal), -1, -1)
}

// relationFacts gathers the group and role lists of rel.
func relationFacts(rel *Relations) *facts {
	f := &facts{}
	if rel == nil {
		return f
	}
	f.hasDetails = rel.LicenseDetails != nil
	for i := range rel.MemberOf {
		f.addMemberOf(&rel.MemberOf[i])
	}
	for i := range rel.TransitiveMemberOf {
		f.addTransitive(&rel.TransitiveMemberOf[i])
	}
	for i := range rel.OwnedObjects {
		f.addOwned(&rel.OwnedObjects[i])
	}
	return f
}
