package wire

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// GraphUser is a Microsoft Graph user object: the properties the rules and
// the field sync read. Request them with $select, since the default
// selection lacks accountEnabled and userType:
//
//	GET /users?$select=id,userPrincipalName,accountEnabled,userType,displayName,givenName,surname,
//	    jobTitle,mail,businessPhones,mobilePhone,streetAddress,city,state,postalCode,country
type GraphUser struct {
	ID                string   `json:"id"`
	UserPrincipalName string   `json:"userPrincipalName"`
	AccountEnabled    *bool    `json:"accountEnabled"`
	UserType          string   `json:"userType"`
	DisplayName       string   `json:"displayName"`
	GivenName         string   `json:"givenName"`
	Surname           string   `json:"surname"`
	JobTitle          string   `json:"jobTitle"`
	Mail              string   `json:"mail"`
	BusinessPhones    []string `json:"businessPhones"`
	MobilePhone       string   `json:"mobilePhone"`
	StreetAddress     string   `json:"streetAddress"`
	City              string   `json:"city"`
	State             string   `json:"state"`
	PostalCode        string   `json:"postalCode"`
	Country           string   `json:"country"`
	// DeletedDateTime is set on a user read from the directory's deleted
	// items: a soft-deleted user.
	DeletedDateTime string `json:"deletedDateTime"`
}

// DecodeGraphUsers reads one page of GET /users (or of the deleted items,
// GET /directory/deletedItems/microsoft.graph.user). It returns the users
// and the page's @odata.nextLink, empty on the last page. id,
// userPrincipalName, accountEnabled and userType are required; userType
// must be "Member" or "Guest"; deletedDateTime, when present, must be an
// RFC 3339 time.
func DecodeGraphUsers(data []byte) ([]GraphUser, string, error) {
	const source = "graph user"
	return decodePage(data, source, func(i int, raw json.RawMessage) (GraphUser, *Error) {
		var u GraphUser
		if err := decodeRecord(source, i, raw, &u); err != nil {
			return u, err
		}
		bad := func(field, value string, err error) *Error {
			return &Error{Source: source, Index: i, ID: u.ID, Field: field, Value: value, Err: err}
		}
		switch {
		case u.ID == "":
			return u, bad("id", "", ErrMissing)
		case u.UserPrincipalName == "":
			return u, bad("userPrincipalName", "", ErrMissing)
		case u.AccountEnabled == nil:
			return u, bad("accountEnabled", "", ErrMissing)
		case u.UserType == "":
			return u, bad("userType", "", ErrMissing)
		case u.UserType != "Member" && u.UserType != "Guest":
			return u, bad("userType", u.UserType, ErrValue)
		}
		if u.DeletedDateTime != "" {
			if _, err := time.Parse(time.RFC3339, u.DeletedDateTime); err != nil {
				return u, bad("deletedDateTime", u.DeletedDateTime, ErrValue)
			}
		}
		return u, nil
	})
}

// homeDomain reads a guest's home domain from its UPN,
// "kim_fabrikam.com#EXT#@contoso.onmicrosoft.com" giving "fabrikam.com".
// The resource tenant's Graph does not say which tenant a guest comes
// from; the domain stands for it, or "external" when the UPN does not
// tell.
func homeDomain(upn string) string {
	local, _, ok := strings.Cut(upn, "#EXT#")
	if i := strings.LastIndexByte(local, '_'); ok && i >= 0 && i < len(local)-1 {
		return local[i+1:]
	}
	return "external"
}

// LicenseDetails is one license of a user, from GET
// /users/{id}/licenseDetails.
type LicenseDetails struct {
	ID            string            `json:"id"`
	SKUID         string            `json:"skuId"`
	SKUPartNumber string            `json:"skuPartNumber"`
	ServicePlans  []ServicePlanInfo `json:"servicePlans"`
}

// ServicePlanInfo is one service plan of a license.
type ServicePlanInfo struct {
	ServicePlanID      string `json:"servicePlanId"`
	ServicePlanName    string `json:"servicePlanName"`
	ProvisioningStatus string `json:"provisioningStatus"`
	AppliesTo          string `json:"appliesTo"`
}

// DecodeLicenseDetails reads one page of GET /users/{id}/licenseDetails.
// skuPartNumber is required, and so is each service plan's name.
func DecodeLicenseDetails(data []byte) ([]LicenseDetails, string, error) {
	const source = "licenseDetails"
	return decodePage(data, source, func(i int, raw json.RawMessage) (LicenseDetails, *Error) {
		var l LicenseDetails
		if err := decodeRecord(source, i, raw, &l); err != nil {
			return l, err
		}
		if l.SKUPartNumber == "" {
			return l, &Error{Source: source, Index: i, ID: l.ID, Field: "skuPartNumber", Err: ErrMissing}
		}
		for j, sp := range l.ServicePlans {
			if sp.ServicePlanName == "" {
				return l, &Error{Source: source, Index: i, ID: l.ID, Field: "servicePlans[" + strconv.Itoa(j) + "].servicePlanName", Err: ErrMissing}
			}
		}
		return l, nil
	})
}

// DirectoryObject is one entry of a memberOf, transitiveMemberOf or
// ownedObjects list: a group, a directory role, an administrative unit or
// any other directory object, told apart by its @odata.type.
type DirectoryObject struct {
	ODataType string `json:"@odata.type"`
	ID        string `json:"id"`
	// RoleTemplateID is set on a directory role (memberOf).
	RoleTemplateID string `json:"roleTemplateId"`
}

// The @odata.type values the decoders act on.
const (
	TypeGroup         = "#microsoft.graph.group"
	TypeDirectoryRole = "#microsoft.graph.directoryRole"
)

// DecodeDirectoryObjects reads one page of GET /users/{id}/memberOf,
// /transitiveMemberOf or /ownedObjects. @odata.type and id are required;
// a directory role must carry its roleTemplateId.
func DecodeDirectoryObjects(data []byte) ([]DirectoryObject, string, error) {
	const source = "directoryObject"
	return decodePage(data, source, func(i int, raw json.RawMessage) (DirectoryObject, *Error) {
		var o DirectoryObject
		if err := decodeRecord(source, i, raw, &o); err != nil {
			return o, err
		}
		switch {
		case o.ODataType == "":
			return o, &Error{Source: source, Index: i, ID: o.ID, Field: "@odata.type", Err: ErrMissing}
		case o.ID == "":
			return o, &Error{Source: source, Index: i, Field: "id", Err: ErrMissing}
		case o.ODataType == TypeDirectoryRole && o.RoleTemplateID == "":
			return o, &Error{Source: source, Index: i, ID: o.ID, Field: "roleTemplateId", Err: ErrMissing}
		}
		return o, nil
	})
}

// RoleAssignment is one directory role assignment, from GET
// /roleManagement/directory/roleAssignments. For a built-in role the
// roleDefinitionId is the role's template ID.
type RoleAssignment struct {
	ID               string `json:"id"`
	PrincipalID      string `json:"principalId"`
	RoleDefinitionID string `json:"roleDefinitionId"`
	DirectoryScopeID string `json:"directoryScopeId"`
}

// DecodeRoleAssignments reads one page of role assignments. principalId
// and roleDefinitionId are required.
func DecodeRoleAssignments(data []byte) ([]RoleAssignment, string, error) {
	const source = "roleAssignment"
	return decodePage(data, source, func(i int, raw json.RawMessage) (RoleAssignment, *Error) {
		var a RoleAssignment
		if err := decodeRecord(source, i, raw, &a); err != nil {
			return a, err
		}
		switch {
		case a.PrincipalID == "":
			return a, &Error{Source: source, Index: i, ID: a.ID, Field: "principalId", Err: ErrMissing}
		case a.RoleDefinitionID == "":
			return a, &Error{Source: source, Index: i, ID: a.ID, Field: "roleDefinitionId", Err: ErrMissing}
		}
		return a, nil
	})
}

// ServicePrincipal is a Microsoft Graph service principal, from GET
// /servicePrincipals?$select=id,appId,accountEnabled,displayName: the
// directory side of an application user.
type ServicePrincipal struct {
	ID             string `json:"id"`
	AppID          string `json:"appId"`
	AccountEnabled *bool  `json:"accountEnabled"`
	DisplayName    string `json:"displayName"`
}

// DecodeServicePrincipals reads one page of service principals. id, appId
// and accountEnabled are required.
func DecodeServicePrincipals(data []byte) ([]ServicePrincipal, string, error) {
	const source = "servicePrincipal"
	return decodePage(data, source, func(i int, raw json.RawMessage) (ServicePrincipal, *Error) {
		var sp ServicePrincipal
		if err := decodeRecord(source, i, raw, &sp); err != nil {
			return sp, err
		}
		switch {
		case sp.ID == "":
			return sp, &Error{Source: source, Index: i, Field: "id", Err: ErrMissing}
		case sp.AppID == "":
			return sp, &Error{Source: source, Index: i, ID: sp.ID, Field: "appId", Err: ErrMissing}
		case sp.AccountEnabled == nil:
			return sp, &Error{Source: source, Index: i, ID: sp.ID, Field: "accountEnabled", Err: ErrMissing}
		}
		return sp, nil
	})
}
