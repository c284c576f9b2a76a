package wire

import (
	"io"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
)

// The @odata.type values the decoders act on.
const (
	// TypeGroup is a group, in a memberOf, transitiveMemberOf,
	// ownedObjects, members or owners list.
	TypeGroup = "#microsoft.graph.group"
	// TypeDirectoryRole is an activated directory role in a user's
	// memberOf list; its roleTemplateId says which role.
	TypeDirectoryRole = "#microsoft.graph.directoryRole"
	// TypeUser is a user, in a group's members or owners list.
	TypeUser = "#microsoft.graph.user"
	// TypeServicePrincipal is a service principal, in a group's members or
	// owners list.
	TypeServicePrincipal = "#microsoft.graph.servicePrincipal"
)

// The sources of the page decoders, as an *Error names them.
const (
	srcGraphUser        = "graph user"
	srcLicenseDetails   = "licenseDetails"
	srcDirectoryObject  = "directoryObject"
	srcRoleAssignment   = "roleAssignment"
	srcServicePrincipal = "servicePrincipal"
	srcGroup            = "group"
)

// GraphUser is a Microsoft Graph user object: the properties the rules
// and the field sync read. The default property set of GET /users lacks
// accountEnabled and userType, which are required here; request them with
// $select (the README lists the full $select).
type GraphUser struct {
	// ID is the user's object ID (id). Required.
	ID string `json:"id"`
	// UserPrincipalName is the UPN. Required.
	UserPrincipalName string `json:"userPrincipalName"`
	// AccountEnabled is accountEnabled. Required: nil only on a value
	// built by hand.
	AccountEnabled *bool `json:"accountEnabled"`
	// UserType is "Member" or "Guest". Required.
	UserType string `json:"userType"`
	// DisplayName is displayName (the record's Full Name).
	DisplayName string `json:"displayName"`
	// GivenName is givenName (First Name).
	GivenName string `json:"givenName"`
	// Surname is surname (Last Name).
	Surname string `json:"surname"`
	// JobTitle is jobTitle (Title).
	JobTitle string `json:"jobTitle"`
	// Mail is mail (Primary Email).
	Mail string `json:"mail"`
	// BusinessPhones is businessPhones; the first is the Main Phone.
	BusinessPhones []string `json:"businessPhones"`
	// MobilePhone is mobilePhone.
	MobilePhone string `json:"mobilePhone"`
	// StreetAddress is streetAddress.
	StreetAddress string `json:"streetAddress"`
	// City is city.
	City string `json:"city"`
	// State is state (State/Province).
	State string `json:"state"`
	// PostalCode is postalCode.
	PostalCode string `json:"postalCode"`
	// Country is country.
	Country string `json:"country"`
	// DeletedDateTime is set on a user read from the directory's deleted
	// items (GET /directory/deletedItems/microsoft.graph.user): a
	// soft-deleted user. When present it must be an RFC 3339 time.
	DeletedDateTime string `json:"deletedDateTime"`
	// AssignedLicenses is assignedLicenses, when the response carries it
	// (it must be selected); nil when it does not. It is a source of
	// licenses only for a user whose licenseDetails an export does not
	// list (see [Classifier.ClassifyAssigned]).
	AssignedLicenses []AssignedLicense `json:"assignedLicenses"`
}

// AssignedLicense is one element of a user's assignedLicenses: a SKU and
// the service plans an administrator disabled in it.
type AssignedLicense struct {
	// SKUID is skuId, the SKU's GUID. Required.
	SKUID string `json:"skuId"`
	// DisabledPlans are disabledPlans: the IDs of the SKU's service plans
	// that are switched off for the user.
	DisabledPlans []string `json:"disabledPlans"`
}

// graphUser is the shape of a user object.
var graphUser = shape[GraphUser]{
	key: "id", id: func(u *GraphUser) string { return u.ID }, dup: "the user of record # has this ID",
	members: []member[GraphUser]{
		{name: "id", need: required, read: func(u *GraphUser, x *val) error { return x.ident(&u.ID) }},
		{name: "userPrincipalName", need: required, read: func(u *GraphUser, x *val) error { return x.ident(&u.UserPrincipalName) }},
		{name: "accountEnabled", need: required, read: func(u *GraphUser, x *val) error { return x.flag(&u.AccountEnabled) }},
		{name: "userType", need: required, read: func(u *GraphUser, x *val) error { return x.text(&u.UserType) }},
		{name: "displayName", read: func(u *GraphUser, x *val) error { return x.text(&u.DisplayName) }},
		{name: "givenName", read: func(u *GraphUser, x *val) error { return x.text(&u.GivenName) }},
		{name: "surname", read: func(u *GraphUser, x *val) error { return x.text(&u.Surname) }},
		{name: "jobTitle", read: func(u *GraphUser, x *val) error { return x.text(&u.JobTitle) }},
		{name: "mail", read: func(u *GraphUser, x *val) error { return x.text(&u.Mail) }},
		{name: "businessPhones", read: func(u *GraphUser, x *val) error { return x.texts(&u.BusinessPhones) }},
		{name: "mobilePhone", read: func(u *GraphUser, x *val) error { return x.text(&u.MobilePhone) }},
		{name: "streetAddress", read: func(u *GraphUser, x *val) error { return x.text(&u.StreetAddress) }},
		{name: "city", read: func(u *GraphUser, x *val) error { return x.text(&u.City) }},
		{name: "state", read: func(u *GraphUser, x *val) error { return x.text(&u.State) }},
		{name: "postalCode", read: func(u *GraphUser, x *val) error { return x.text(&u.PostalCode) }},
		{name: "country", read: func(u *GraphUser, x *val) error { return x.text(&u.Country) }},
		{name: "deletedDateTime", read: func(u *GraphUser, x *val) error { return x.time(&u.DeletedDateTime) }},
		{name: "assignedLicenses", read: func(u *GraphUser, x *val) error { return list(x, assignedLicense, &u.AssignedLicenses) }},
		{name: "@odata.type", read: func(_ *GraphUser, x *val) error { return x.odataType(TypeUser, "not a user") }},
	},
	check: func(u *GraphUser, x *val) error {
		if u.UserType != "Member" && u.UserType != "Guest" {
			return x.badMember("userType", u.UserType, x.start, errtext.Explain(provisioning.ErrUnknown, `want "Member" or "Guest"`))
		}
		return nil
	},
}.table()

// assignedLicense is the shape of an element of assignedLicenses.
var assignedLicense = shape[AssignedLicense]{members: []member[AssignedLicense]{
	{name: "skuId", need: required, read: func(a *AssignedLicense, x *val) error { return x.shared(&a.SKUID) }},
	{name: "disabledPlans", read: func(a *AssignedLicense, x *val) error { return x.ids(&a.DisabledPlans) }},
}}.table()

// ReadGraphUsers reads one page of GET /users, of the initial round of a
// delta query on users (whose items are whole; ReadUsersDelta reads the
// changes of the later rounds), or of the directory's deleted users (GET
// /directory/deletedItems/microsoft.graph.user). id, userPrincipalName,
// accountEnabled and userType are required; userType must be "Member" or
// "Guest"; deletedDateTime, when present, must be an RFC 3339 time; an
// @odata.type other than #microsoft.graph.user is refused; two users with
// one ID, a null user and identifiers holding control or bidirectional
// formatting characters are errors.
func ReadGraphUsers(r io.Reader) (Page[GraphUser], error) {
	return readPageOf(r, srcGraphUser, graphUser)
}

// ReadGraphUser reads one user object, as GET /users/{id} returns it (not
// a list page), with the requirements of ReadGraphUsers.
func ReadGraphUser(r io.Reader) (GraphUser, error) {
	d := newDec(r)
	null, err := d.object()
	d.item = rec{d: d, at: lone(srcGraphUser), index: -1, start: d.Offset()}
	switch {
	case err != nil:
		return GraphUser{}, d.item.fail("", err)
	case null:
		return GraphUser{}, &Error{Source: srcGraphUser, Index: -1, Offset: d.Offset(), Err: errtext.Explain(provisioning.ErrMissing, "the user is null")}
	}
	u := new(GraphUser)
	if err := readObject(d, &d.item, root, d.item.start, graphUser, u); err != nil {
		return GraphUser{}, err
	}
	if err := finish(d, srcGraphUser); err != nil {
		return GraphUser{}, err
	}
	return *u, nil
}

// LicenseDetails is one license of a user, from GET
// /users/{id}/licenseDetails.
type LicenseDetails struct {
	// ID is the license's id.
	ID string `json:"id"`
	// SKUID is skuId, the SKU's GUID.
	SKUID string `json:"skuId"`
	// SKUPartNumber is skuPartNumber, such as "POWERAPPS_PER_USER". One of
	// SKUID and SKUPartNumber is required.
	SKUPartNumber string `json:"skuPartNumber"`
	// ServicePlans are servicePlans. Required (it may be empty).
	ServicePlans []ServicePlanInfo `json:"servicePlans"`
}

// ServicePlanInfo is one service plan of a license.
type ServicePlanInfo struct {
	// ServicePlanID is servicePlanId, the plan's GUID.
	ServicePlanID string `json:"servicePlanId"`
	// ServicePlanName is servicePlanName, such as "DYN365_CDS_O365_P2". One
	// of ServicePlanID and ServicePlanName is required.
	ServicePlanName string `json:"servicePlanName"`
	// ProvisioningStatus is provisioningStatus: only "Success" makes the
	// plan count; "PendingProvisioning", "PendingInput",
	// "PendingActivation", "ErrorStatus" and "Disabled" do not. Required.
	ProvisioningStatus string `json:"provisioningStatus"`
	// AppliesTo is appliesTo, "User" or "Company".
	AppliesTo string `json:"appliesTo"`
}

// licenseDetails is the shape of a license.
var licenseDetails = shape[LicenseDetails]{
	key: "id", id: func(l *LicenseDetails) string { return l.ID },
	members: []member[LicenseDetails]{
		{name: "id", read: func(l *LicenseDetails, x *val) error { return x.ident(&l.ID) }},
		{name: "skuId", read: func(l *LicenseDetails, x *val) error { return x.shared(&l.SKUID) }},
		{name: "skuPartNumber", read: func(l *LicenseDetails, x *val) error { return x.shared(&l.SKUPartNumber) }},
		{name: "servicePlans", need: required, read: func(l *LicenseDetails, x *val) error {
			l.ServicePlans = l.ServicePlans[:0] // a buffer the caller may reuse
			return list(x, servicePlan, &l.ServicePlans)
		}},
	},
	check: func(l *LicenseDetails, x *val) error {
		if l.SKUID == "" && l.SKUPartNumber == "" {
			return x.missing("skuPartNumber", "")
		}
		return nil
	},
}.table()

// servicePlan is the shape of an element of servicePlans.
var servicePlan = shape[ServicePlanInfo]{
	members: []member[ServicePlanInfo]{
		{name: "servicePlanId", read: func(p *ServicePlanInfo, x *val) error { return x.shared(&p.ServicePlanID) }},
		{name: "servicePlanName", read: func(p *ServicePlanInfo, x *val) error { return x.shared(&p.ServicePlanName) }},
		{name: "provisioningStatus", need: required, read: func(p *ServicePlanInfo, x *val) error { return x.shared(&p.ProvisioningStatus) }},
		{name: "appliesTo", read: func(p *ServicePlanInfo, x *val) error { return x.shared(&p.AppliesTo) }},
	},
	check: func(p *ServicePlanInfo, x *val) error {
		if p.ServicePlanID == "" && p.ServicePlanName == "" {
			return x.missing("servicePlanName", "")
		}
		return nil
	},
}.table()

// ReadLicenseDetails reads one page of GET /users/{id}/licenseDetails.
// skuId or skuPartNumber is required, and so are servicePlans (maybe
// empty) and each plan's servicePlanId or servicePlanName and its
// provisioningStatus.
func ReadLicenseDetails(r io.Reader) (Page[LicenseDetails], error) {
	return readPageOf(r, srcLicenseDetails, licenseDetails)
}

// DirectoryObject is one entry of a memberOf, transitiveMemberOf,
// ownedObjects, members or owners list: a group, a directory role, a user,
// a service principal or any other directory object, told apart by its
// @odata.type.
type DirectoryObject struct {
	// ODataType is @odata.type, such as TypeGroup. The entries of a list
	// cast to groups (/memberOf/microsoft.graph.group and the like, whose
	// @odata.context names groups) carry none: the decoders set TypeGroup.
	ODataType string `json:"@odata.type"`
	// ID is the object's id. Required.
	ID string `json:"id"`
	// RoleTemplateID is roleTemplateId, set on a directory role. Required
	// for one.
	RoleTemplateID string `json:"roleTemplateId"`
}

// directoryObject is the shape of a directory object; its @odata.type may
// be left empty for the page to settle (see objectsPage).
var directoryObject = shape[DirectoryObject]{
	key: "id", id: func(o *DirectoryObject) string { return o.ID },
	members: []member[DirectoryObject]{
		{name: "@odata.type", read: func(o *DirectoryObject, x *val) error { return x.shared(&o.ODataType) }},
		{name: "id", need: required, read: func(o *DirectoryObject, x *val) error { return x.shared(&o.ID) }},
		{name: "roleTemplateId", need: required, when: func(o *DirectoryObject) bool { return o.ODataType == TypeDirectoryRole },
			read: func(o *DirectoryObject, x *val) error { return x.shared(&o.RoleTemplateID) }},
	},
}.table()

// objectsPage reads a page of directory objects into buf (reusing it),
// each first into o: entries without @odata.type are groups when the page
// is cast to groups, and an error otherwise.
func objectsPage(d *dec, at where, buf []DirectoryObject, o *DirectoryObject) (Page[DirectoryObject], error) {
	p := Page[DirectoryObject]{Items: buf[:0]}
	untyped, firstUntyped := 0, int64(0)
	info, err := items(d, at, directoryObject, o, func(r *rec) error {
		if o.ODataType == "" {
			if untyped == 0 {
				firstUntyped = r.start
			}
			untyped++
		}
		p.Items = append(p.Items, *o)
		*o = DirectoryObject{}
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	if err != nil || untyped == 0 {
		return p, err
	}
	for i := range p.Items {
		switch t := p.Items[i].ODataType; {
		case t == "" && !info.groups:
			return p, &Error{Source: at.String(), Index: i, ID: p.Items[i].ID, Field: "@odata.type", Offset: firstUntyped,
				Err: errtext.Explain(provisioning.ErrMissing, "required unless the page's @odata.context says it lists groups")}
		case t == "":
			p.Items[i].ODataType = TypeGroup
		case t != TypeGroup && info.groups:
			return p, &Error{Source: at.String(), Index: i, ID: p.Items[i].ID, Field: "@odata.type", Value: t, Offset: -1,
				Err: errtext.Explain(provisioning.ErrContradiction, "a page cast to groups lists another type")}
		}
	}
	return p, nil
}

// ReadDirectoryObjects reads one page of GET /users/{id}/memberOf,
// /transitiveMemberOf or /ownedObjects, of a group's /members, /owners or
// /memberOf, or of any of these cast to microsoft.graph.group. id is
// required, and so is @odata.type, except in a page whose @odata.context
// names groups (a cast), whose entries are groups; a directory role must
// carry its roleTemplateId.
func ReadDirectoryObjects(r io.Reader) (Page[DirectoryObject], error) {
	d := newDec(r)
	p, err := objectsPage(d, lone(srcDirectoryObject), nil, new(DirectoryObject))
	if err == nil {
		err = finish(d, srcDirectoryObject)
	}
	if err != nil {
		return Page[DirectoryObject]{}, err
	}
	return p, nil
}

// The template IDs of the directory roles that matter to admission; a
// built-in role's roleDefinitionId in a role assignment is its template
// ID.
const (
	// GlobalAdministratorTemplateID is the Global Administrator role.
	GlobalAdministratorTemplateID = "62e90394-69f5-4237-9190-012177145e10"
	// PowerPlatformAdministratorTemplateID is the Power Platform
	// Administrator role.
	PowerPlatformAdministratorTemplateID = "11648597-926c-4cf3-9c36-bcebb0ba8dcc"
	// Dynamics365AdministratorTemplateID is the Dynamics 365 Administrator
	// role.
	Dynamics365AdministratorTemplateID = "44367163-eba1-44c3-98af-f5787879f96a"
)

// RoleAssignment is one directory role assignment, from GET
// /roleManagement/directory/roleAssignments.
type RoleAssignment struct {
	// ID is the assignment's id.
	ID string `json:"id"`
	// PrincipalID is principalId: the user, service principal or
	// role-assignable group the role is assigned to. Required.
	PrincipalID string `json:"principalId"`
	// RoleDefinitionID is roleDefinitionId; for a built-in role, its
	// template ID. Required.
	RoleDefinitionID string `json:"roleDefinitionId"`
	// DirectoryScopeID is directoryScopeId: "/" for the whole tenant,
	// "/administrativeUnits/{id}" for an administrative unit, "/{id}" for
	// an application. Only "/" makes a tenant admin (LIC-EXEMPT-ADMIN).
	// Required.
	DirectoryScopeID string `json:"directoryScopeId"`
}

// roleAssignment is the shape of a role assignment.
var roleAssignment = shape[RoleAssignment]{
	key: "id", id: func(a *RoleAssignment) string { return a.ID },
	members: []member[RoleAssignment]{
		{name: "id", read: func(a *RoleAssignment, x *val) error { return x.ident(&a.ID) }},
		{name: "principalId", need: required, read: func(a *RoleAssignment, x *val) error { return x.shared(&a.PrincipalID) }},
		{name: "roleDefinitionId", need: required, read: func(a *RoleAssignment, x *val) error { return x.shared(&a.RoleDefinitionID) }},
		{name: "directoryScopeId", need: required, read: func(a *RoleAssignment, x *val) error { return x.shared(&a.DirectoryScopeID) }},
	},
}.table()

// ReadRoleAssignments reads one page of GET
// /roleManagement/directory/roleAssignments. principalId,
// roleDefinitionId and directoryScopeId are required.
func ReadRoleAssignments(r io.Reader) (Page[RoleAssignment], error) {
	return readPageOf(r, srcRoleAssignment, roleAssignment)
}

// ServicePrincipal is a Microsoft Graph service principal, from GET
// /servicePrincipals?$select=id,appId,accountEnabled,displayName: the
// directory side of an application user.
type ServicePrincipal struct {
	// ID is the service principal's object ID. Required.
	ID string `json:"id"`
	// AppID is appId, the application ID its application user carries.
	// Required.
	AppID string `json:"appId"`
	// AccountEnabled is accountEnabled. Required: nil only on a value
	// built by hand.
	AccountEnabled *bool `json:"accountEnabled"`
	// DisplayName is displayName.
	DisplayName string `json:"displayName"`
}

// servicePrincipal is the shape of a service principal.
var servicePrincipal = shape[ServicePrincipal]{
	key: "id", id: func(sp *ServicePrincipal) string { return sp.ID }, dup: "the service principal of record # has this ID",
	members: []member[ServicePrincipal]{
		{name: "id", need: required, read: func(sp *ServicePrincipal, x *val) error { return x.ident(&sp.ID) }},
		{name: "appId", need: required, read: func(sp *ServicePrincipal, x *val) error { return x.ident(&sp.AppID) }},
		{name: "accountEnabled", need: required, read: func(sp *ServicePrincipal, x *val) error { return x.flag(&sp.AccountEnabled) }},
		{name: "displayName", read: func(sp *ServicePrincipal, x *val) error { return x.text(&sp.DisplayName) }},
	},
}.table()

// ReadServicePrincipals reads one page of service principals. id, appId
// and accountEnabled are required; two with one ID are an error.
func ReadServicePrincipals(r io.Reader) (Page[ServicePrincipal], error) {
	return readPageOf(r, srcServicePrincipal, servicePrincipal)
}
