package wire

import (
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// The template IDs of the directory roles that matter to admission.
const (
	GlobalAdministratorTemplateID        = "62e90394-69f5-4237-9190-012177145e10"
	PowerPlatformAdministratorTemplateID = "11648597-926c-4cf3-9c36-bcebb0ba8dcc"
	Dynamics365AdministratorTemplateID   = "44367163-eba1-44c3-98af-f5787879f96a"
)

// roleOf returns the admin role of a role template ID, or 0.
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

// Directory gathers what Microsoft Graph says of one tenant's users, page
// by page, and turns it into provisioning.User values. The maps are keyed
// by the user's object ID.
type Directory struct {
	// Tenant is the tenant ID; every license read here was assigned in it.
	Tenant             string
	Users              []GraphUser
	ServicePrincipals  []ServicePrincipal
	LicenseDetails     map[string][]LicenseDetails
	MemberOf           map[string][]DirectoryObject
	TransitiveMemberOf map[string][]DirectoryObject
	OwnedObjects       map[string][]DirectoryObject
	RoleAssignments    []RoleAssignment
	// Classifier classifies the licenses; nil means DefaultClassifier().
	Classifier *Classifier
}

// ProvisioningUsers returns every user and service principal of d as a
// provisioning.User, in the order read, each validated:
//
//   - accountEnabled, userType "Guest" (the home tenant is the domain in the
//     guest's UPN), deletedDateTime (soft deleted);
//   - every license, classified by d.Classifier, assigned in d.Tenant;
//   - admin roles from role assignments and from directory roles in
//     memberOf, by role template ID;
//   - groups: memberOf gives the direct ones, transitiveMemberOf less those
//     the ones reached only through nesting, ownedObjects the owned ones;
//     only objects of @odata.type #microsoft.graph.group count;
//   - the profile attributes, through syncfields.Online's source names.
//
// A relationship listed for a user that d does not hold, or a user that
// fails provisioning validation, is an error naming it.
func (d *Directory) ProvisioningUsers() ([]provisioning.User, error) {
	if d == nil || d.Tenant == "" {
		return nil, &Error{Source: "directory", Index: -1, Field: "tenantId", Err: ErrMissing}
	}
	c := d.Classifier
	if c == nil {
		c = DefaultClassifier()
	}
	known := make(map[string]bool, len(d.Users)+len(d.ServicePrincipals))
	var out []provisioning.User
	for i := range d.Users {
		u, err := d.user(&d.Users[i], c)
		if err != nil {
			return nil, err
		}
		known[u.ObjectID] = true
		out = append(out, u)
	}
	for _, sp := range d.ServicePrincipals {
		u := provisioning.User{ObjectID: sp.ID, ApplicationID: sp.AppID, Enabled: *sp.AccountEnabled, Roles: d.roles(sp.ID)}
		if err := u.Validate(); err != nil {
			return nil, &Error{Source: "servicePrincipal", Index: -1, ID: sp.ID, Err: err}
		}
		known[u.ObjectID] = true
		out = append(out, u)
	}
	for _, rel := range []struct {
		name string
		ids  []string
	}{
		{"licenseDetails", keys(d.LicenseDetails)}, {"memberOf", keys(d.MemberOf)},
		{"transitiveMemberOf", keys(d.TransitiveMemberOf)}, {"ownedObjects", keys(d.OwnedObjects)},
	} {
		for _, id := range rel.ids {
			if !known[id] {
				return nil, &Error{Source: rel.name, Index: -1, ID: id, Err: errUnknownUser}
			}
		}
	}
	return out, nil
}

var errUnknownUser = errors.New("wire: listed for a user the directory does not hold")

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (d *Directory) user(g *GraphUser, c *Classifier) (provisioning.User, error) {
	u := provisioning.User{
		ObjectID:    g.ID,
		UPN:         g.UserPrincipalName,
		Enabled:     *g.AccountEnabled,
		SoftDeleted: g.DeletedDateTime != "",
		Guest:       g.UserType == "Guest",
		Roles:       d.roles(g.ID),
	}
	if u.Guest {
		u.HomeTenant = homeDomain(g.UserPrincipalName)
	}
	for _, l := range d.LicenseDetails[g.ID] {
		u.Licenses = append(u.Licenses, provisioning.License{Plan: c.Classify(l), Tenant: d.Tenant})
	}
	for _, o := range d.MemberOf[g.ID] {
		switch o.ODataType {
		case TypeGroup:
			u.Groups = append(u.Groups, o.ID)
		case TypeDirectoryRole:
			u.Roles |= roleOf(o.RoleTemplateID)
		}
	}
	for _, o := range d.TransitiveMemberOf[g.ID] {
		if o.ODataType == TypeGroup && !slices.Contains(u.Groups, o.ID) && !slices.Contains(u.NestedGroups, o.ID) {
			u.NestedGroups = append(u.NestedGroups, o.ID)
		}
	}
	for _, o := range d.OwnedObjects[g.ID] {
		if o.ODataType == TypeGroup {
			u.OwnedGroups = append(u.OwnedGroups, o.ID)
		}
	}
	phone := ""
	if len(g.BusinessPhones) > 0 {
		phone = g.BusinessPhones[0]
	}
	attrs, err := syncfields.Online.Source(map[string]string{
		"id": g.ID, "userPrincipalName": g.UserPrincipalName, "displayName": g.DisplayName,
		"jobTitle": g.JobTitle, "givenName": g.GivenName, "surname": g.Surname, "mail": g.Mail,
		"businessPhones[0]": phone, "mobilePhone": g.MobilePhone, "streetAddress": g.StreetAddress,
		"city": g.City, "state": g.State, "postalCode": g.PostalCode, "country": g.Country,
	})
	if err != nil {
		return u, &Error{Source: "graph user", Index: -1, ID: g.ID, Err: err}
	}
	u.Attributes = attrs
	if err := u.Validate(); err != nil {
		return u, &Error{Source: "graph user", Index: -1, ID: g.ID, Err: err}
	}
	return u, nil
}

// roles returns the admin roles assigned to principal id.
func (d *Directory) roles(id string) provisioning.AdminRoles {
	var r provisioning.AdminRoles
	for _, a := range d.RoleAssignments {
		if a.PrincipalID == id {
			r |= roleOf(a.RoleDefinitionID)
		}
	}
	return r
}

// pages is one Graph list page, or an array of them.
type pages []json.RawMessage

func (p *pages) UnmarshalJSON(data []byte) error {
	trimmed := strings.TrimSpace(string(data))
	if strings.HasPrefix(trimmed, "[") {
		var list []json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			return err
		}
		*p = list
		return nil
	}
	*p = pages{json.RawMessage(data)}
	return nil
}

// bundle is the export file DecodeDirectory reads.
type bundle struct {
	TenantID           string           `json:"tenantId"`
	Users              pages            `json:"users"`
	ServicePrincipals  pages            `json:"servicePrincipals"`
	LicenseDetails     map[string]pages `json:"licenseDetails"`
	MemberOf           map[string]pages `json:"memberOf"`
	TransitiveMemberOf map[string]pages `json:"transitiveMemberOf"`
	OwnedObjects       map[string]pages `json:"ownedObjects"`
	RoleAssignments    pages            `json:"roleAssignments"`
}

// DecodeDirectory reads a whole tenant export: an object holding
// "tenantId" and the Graph responses as they came, each a page or an array
// of pages: "users", "servicePrincipals", "roleAssignments", and, keyed by
// user ID, "licenseDetails", "memberOf", "transitiveMemberOf" and
// "ownedObjects". The README shows how to make one.
func DecodeDirectory(r io.Reader) (*Directory, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	var b bundle
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, jsonError("directory", -1, err)
	}
	if b.TenantID == "" {
		return nil, &Error{Source: "directory", Index: -1, Field: "tenantId", Err: ErrMissing}
	}
	d := &Directory{Tenant: b.TenantID}
	if d.Users, err = all(b.Users, DecodeGraphUsers); err != nil {
		return nil, err
	}
	if d.ServicePrincipals, err = all(b.ServicePrincipals, DecodeServicePrincipals); err != nil {
		return nil, err
	}
	if d.RoleAssignments, err = all(b.RoleAssignments, DecodeRoleAssignments); err != nil {
		return nil, err
	}
	if d.LicenseDetails, err = byUser(b.LicenseDetails, DecodeLicenseDetails); err != nil {
		return nil, err
	}
	for _, rel := range []struct {
		in  map[string]pages
		out *map[string][]DirectoryObject
	}{{b.MemberOf, &d.MemberOf}, {b.TransitiveMemberOf, &d.TransitiveMemberOf}, {b.OwnedObjects, &d.OwnedObjects}} {
		if *rel.out, err = byUser(rel.in, DecodeDirectoryObjects); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// all decodes and concatenates pages.
func all[T any](ps pages, decode func([]byte) ([]T, string, error)) ([]T, error) {
	var out []T
	for _, p := range ps {
		v, _, err := decode(p)
		if err != nil {
			return nil, err
		}
		out = append(out, v...)
	}
	return out, nil
}

// byUser decodes the pages of each user, naming the user in an error.
func byUser[T any](m map[string]pages, decode func([]byte) ([]T, string, error)) (map[string][]T, error) {
	out := make(map[string][]T, len(m))
	for _, id := range keys(m) {
		v, err := all(m[id], decode)
		if err != nil {
			var we *Error
			if errors.As(err, &we) && we.ID == "" {
				we.ID = "of user " + id
			}
			return nil, err
		}
		out[id] = v
	}
	return out, nil
}
