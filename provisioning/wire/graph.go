package wire

import (
	"bytes"
	"io"
	"strconv"
	"time"
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

// The fields of a user object, as bits of a record's mask.
const (
	uID uint = iota
	uUPN
	uEnabled
	uType
	uDisplayName
	uGivenName
	uSurname
	uJobTitle
	uMail
	uPhones
	uMobile
	uStreet
	uCity
	uState
	uPostalCode
	uCountry
	uDeleted
	uLicenses
	uODataType
)

// readGraphUser reads a user object into u; enabled is where
// AccountEnabled points when the object has it.
func readGraphUser(d *dec, r *rec, u *GraphUser, enabled *bool) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	return readGraphUserMembers(d, r, u, enabled)
}

// readGraphUserMembers reads the members of a user object, after its '{'.
func readGraphUserMembers(d *dec, r *rec, u *GraphUser, enabled *bool) error {
	var mask uint64
	textField := func(f uint, name string, dst *string) error {
		if err := r.seen(&mask, f, name); err != nil {
			return err
		}
		var err error
		*dst, err = r.text(name)
		return err
	}
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "id":
			if err := r.seen(&mask, uID, "id"); err != nil {
				return err
			}
			if u.ID, err = r.ident("id", false); err != nil {
				return err
			}
			r.id = u.ID
		case "userPrincipalName":
			if err := r.seen(&mask, uUPN, "userPrincipalName"); err != nil {
				return err
			}
			if u.UserPrincipalName, err = r.ident("userPrincipalName", false); err != nil {
				return err
			}
		case "accountEnabled":
			if err := r.seen(&mask, uEnabled, "accountEnabled"); err != nil {
				return err
			}
			v, null, err := d.boolean()
			if err != nil {
				return r.fail("accountEnabled", err)
			}
			if !null {
				*enabled = v
				u.AccountEnabled = enabled
			}
		case "userType":
			if err := r.seen(&mask, uType, "userType"); err != nil {
				return err
			}
			b, _, err := d.str()
			if err != nil {
				return r.fail("userType", err)
			}
			u.UserType = d.intern(b)
		case "displayName":
			err = textField(uDisplayName, "displayName", &u.DisplayName)
		case "givenName":
			err = textField(uGivenName, "givenName", &u.GivenName)
		case "surname":
			err = textField(uSurname, "surname", &u.Surname)
		case "jobTitle":
			err = textField(uJobTitle, "jobTitle", &u.JobTitle)
		case "mail":
			err = textField(uMail, "mail", &u.Mail)
		case "mobilePhone":
			err = textField(uMobile, "mobilePhone", &u.MobilePhone)
		case "streetAddress":
			err = textField(uStreet, "streetAddress", &u.StreetAddress)
		case "city":
			err = textField(uCity, "city", &u.City)
		case "state":
			err = textField(uState, "state", &u.State)
		case "postalCode":
			err = textField(uPostalCode, "postalCode", &u.PostalCode)
		case "country":
			err = textField(uCountry, "country", &u.Country)
		case "businessPhones":
			if err := r.seen(&mask, uPhones, "businessPhones"); err != nil {
				return err
			}
			u.BusinessPhones, err = readTextList(d, r, field("businessPhones"))
		case "deletedDateTime":
			if err := r.seen(&mask, uDeleted, "deletedDateTime"); err != nil {
				return err
			}
			off := d.Offset()
			b, _, err := d.str()
			if err != nil {
				return r.fail("deletedDateTime", err)
			}
			if len(b) > 0 {
				u.DeletedDateTime = string(b)
				if _, perr := time.Parse(time.RFC3339, u.DeletedDateTime); perr != nil {
					return r.bad("deletedDateTime", u.DeletedDateTime, off, explain(ErrMalformed, "not an RFC 3339 time"))
				}
			}
		case "assignedLicenses":
			if err := r.seen(&mask, uLicenses, "assignedLicenses"); err != nil {
				return err
			}
			u.AssignedLicenses, err = readAssignedLicenses(d, r)
		case "@odata.type":
			if err := r.seen(&mask, uODataType, "@odata.type"); err != nil {
				return err
			}
			off := d.Offset()
			b, _, err := d.str()
			if err != nil {
				return r.fail("@odata.type", err)
			}
			if len(b) > 0 && string(b) != TypeUser {
				return r.bad("@odata.type", string(b), off, explain(ErrUnknown, "not a user"))
			}
		default:
			if err := d.Skip(); err != nil {
				return r.fail(string(key), err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case u.ID == "":
		return r.missing("id")
	case u.UserPrincipalName == "":
		return r.missing("userPrincipalName")
	case u.AccountEnabled == nil:
		return r.missing("accountEnabled")
	case u.UserType == "":
		return r.missing("userType")
	case u.UserType != "Member" && u.UserType != "Guest":
		return r.bad("userType", u.UserType, r.start, explain(ErrUnknown, `want "Member" or "Guest"`))
	}
	return nil
}

// readTextList reads an array of strings, or null, as profile text.
func readTextList(d *dec, r *rec, f path) ([]string, error) {
	null, err := d.array()
	if err != nil || null {
		if err != nil {
			return nil, r.failAt(f, err)
		}
		return nil, nil
	}
	list := []string{}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return nil, r.failAt(f, err)
		}
		if !more {
			return list, nil
		}
		s, err := r.textAt(f.at(i))
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
}

// readIDList reads an array of identifiers, interned, or null.
func readIDList(d *dec, r *rec, f path) ([]string, error) {
	null, err := d.array()
	if err != nil || null {
		if err != nil {
			return nil, r.failAt(f, err)
		}
		return nil, nil
	}
	list := []string{}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return nil, r.failAt(f, err)
		}
		if !more {
			return list, nil
		}
		s, err := r.identAt(f.at(i), true)
		if err != nil {
			return nil, err
		}
		list = append(list, s)
	}
}

// readAssignedLicenses reads a user's assignedLicenses.
func readAssignedLicenses(d *dec, r *rec) ([]AssignedLicense, error) {
	null, err := d.array()
	if err != nil {
		return nil, r.fail("assignedLicenses", err)
	}
	if null {
		return nil, nil
	}
	list := []AssignedLicense{}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return nil, r.fail("assignedLicenses", err)
		}
		if !more {
			return list, nil
		}
		p := elem("assignedLicenses", i, "")
		null, err := d.object()
		if err != nil {
			return nil, r.failAt(p, err)
		}
		if null {
			return nil, r.badAt(p, "null", d.Offset(), ErrMissing)
		}
		start := d.Offset()
		var a AssignedLicense
		for {
			key, ok, err := d.Key()
			if err != nil {
				return nil, r.failAt(p, err)
			}
			if !ok {
				break
			}
			switch string(key) {
			case "skuId":
				a.SKUID, err = r.identAt(p.member("skuId"), true)
			case "disabledPlans":
				a.DisabledPlans, err = readIDList(d, r, p.member("disabledPlans"))
			default:
				if err := d.Skip(); err != nil {
					return nil, r.failAt(p, err)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		if a.SKUID == "" {
			return nil, r.badAt(p.member("skuId"), "", start, ErrMissing)
		}
		list = append(list, a)
	}
}

// readGraphUsersPage reads a page of users, refusing two with one ID.
func readGraphUsersPage(d *dec, at where) (Page[GraphUser], error) {
	var p Page[GraphUser]
	seen := map[string]int{}
	info, err := readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var u GraphUser
		if err := readGraphUser(d, &r, &u, new(bool)); err != nil {
			return err
		}
		if j, dup := seen[u.ID]; dup {
			return r.bad("id", u.ID, start, explain(ErrDuplicate, "the user of record "+strconv.Itoa(j)+" has this ID"))
		}
		seen[u.ID] = i
		p.Items = append(p.Items, u)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	return p, err
}

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
	return readOne(r, srcGraphUser, func(d *dec) (Page[GraphUser], error) { return readGraphUsersPage(d, lone(srcGraphUser)) })
}

// DecodeGraphUsers is ReadGraphUsers of data.
func DecodeGraphUsers(data []byte) (Page[GraphUser], error) {
	return ReadGraphUsers(bytes.NewReader(data))
}

// ReadGraphUser reads one user object, as GET /users/{id} returns it (not
// a list page), with the requirements of ReadGraphUsers.
func ReadGraphUser(r io.Reader) (GraphUser, error) {
	return readOne(r, srcGraphUser, func(d *dec) (GraphUser, error) {
		rc := rec{d: d, at: lone(srcGraphUser), index: -1}
		null, err := d.object()
		if err != nil {
			return GraphUser{}, rc.fail("", err)
		}
		if null {
			return GraphUser{}, &Error{Source: srcGraphUser, Index: -1, Offset: d.Offset(), Err: explain(ErrMissing, "the user is null")}
		}
		rc.start = d.Offset()
		var u GraphUser
		err = readGraphUserMembers(d, &rc, &u, new(bool))
		return u, err
	})
}

// DecodeGraphUser is ReadGraphUser of data.
func DecodeGraphUser(data []byte) (GraphUser, error) {
	return ReadGraphUser(bytes.NewReader(data))
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

// readLicenseDetails reads one license.
func readLicenseDetails(d *dec, r *rec, l *LicenseDetails) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	hasPlans := false
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "id":
			if err := r.seen(&mask, 0, "id"); err != nil {
				return err
			}
			l.ID, err = r.ident("id", false)
			r.id = l.ID
		case "skuId":
			if err := r.seen(&mask, 1, "skuId"); err != nil {
				return err
			}
			l.SKUID, err = r.ident("skuId", true)
		case "skuPartNumber":
			if err := r.seen(&mask, 2, "skuPartNumber"); err != nil {
				return err
			}
			l.SKUPartNumber, err = r.ident("skuPartNumber", true)
		case "servicePlans":
			if err := r.seen(&mask, 3, "servicePlans"); err != nil {
				return err
			}
			var null bool
			if null, err = d.array(); err != nil {
				return r.fail("servicePlans", err)
			}
			if !null {
				hasPlans = true
				l.ServicePlans, err = readServicePlans(d, r, l.ServicePlans[:0])
			}
		default:
			err = d.Skip()
			if err != nil {
				return r.fail(string(key), err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case l.SKUID == "" && l.SKUPartNumber == "":
		return r.missing("skuPartNumber")
	case !hasPlans:
		return r.missing("servicePlans")
	}
	return nil
}

// readServicePlans reads the elements of a servicePlans array, after its
// '[', appending to list.
func readServicePlans(d *dec, r *rec, list []ServicePlanInfo) ([]ServicePlanInfo, error) {
	if list == nil {
		list = []ServicePlanInfo{}
	}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return nil, r.fail("servicePlans", err)
		}
		if !more {
			return list, nil
		}
		p := elem("servicePlans", i, "")
		null, err := d.object()
		if err != nil {
			return nil, r.failAt(p, err)
		}
		if null {
			return nil, r.badAt(p, "null", d.Offset(), ErrMissing)
		}
		var sp ServicePlanInfo
		start := d.Offset()
		for {
			key, ok, err := d.Key()
			if err != nil {
				return nil, r.failAt(p, err)
			}
			if !ok {
				break
			}
			switch string(key) {
			case "servicePlanId":
				sp.ServicePlanID, err = r.identAt(p.member("servicePlanId"), true)
			case "servicePlanName":
				sp.ServicePlanName, err = r.identAt(p.member("servicePlanName"), true)
			case "provisioningStatus":
				sp.ProvisioningStatus, err = r.identAt(p.member("provisioningStatus"), true)
			case "appliesTo":
				sp.AppliesTo, err = r.identAt(p.member("appliesTo"), true)
			default:
				if err := d.Skip(); err != nil {
					return nil, r.failAt(p, err)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		switch {
		case sp.ServicePlanID == "" && sp.ServicePlanName == "":
			return nil, r.badAt(p.member("servicePlanName"), "", start, ErrMissing)
		case sp.ProvisioningStatus == "":
			return nil, r.badAt(p.member("provisioningStatus"), "", start, ErrMissing)
		}
		list = append(list, sp)
	}
}

// readLicenseDetailsPage reads a page of licenses.
func readLicenseDetailsPage(d *dec, at where) (Page[LicenseDetails], error) {
	var p Page[LicenseDetails]
	info, err := readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var l LicenseDetails
		if err := readLicenseDetails(d, &r, &l); err != nil {
			return err
		}
		p.Items = append(p.Items, l)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	return p, err
}

// ReadLicenseDetails reads one page of GET /users/{id}/licenseDetails.
// skuId or skuPartNumber is required, and so are servicePlans (maybe
// empty) and each plan's servicePlanId or servicePlanName and its
// provisioningStatus.
func ReadLicenseDetails(r io.Reader) (Page[LicenseDetails], error) {
	return readOne(r, srcLicenseDetails, func(d *dec) (Page[LicenseDetails], error) {
		return readLicenseDetailsPage(d, lone(srcLicenseDetails))
	})
}

// DecodeLicenseDetails is ReadLicenseDetails of data.
func DecodeLicenseDetails(data []byte) (Page[LicenseDetails], error) {
	return ReadLicenseDetails(bytes.NewReader(data))
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

// readDirectoryObject reads one directory object; its @odata.type may be
// left empty for the page to settle.
func readDirectoryObject(d *dec, r *rec, o *DirectoryObject) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "@odata.type":
			if err := r.seen(&mask, 0, "@odata.type"); err != nil {
				return err
			}
			o.ODataType, err = r.ident("@odata.type", true)
		case "id":
			if err := r.seen(&mask, 1, "id"); err != nil {
				return err
			}
			o.ID, err = r.ident("id", true)
			r.id = o.ID
		case "roleTemplateId":
			if err := r.seen(&mask, 2, "roleTemplateId"); err != nil {
				return err
			}
			o.RoleTemplateID, err = r.ident("roleTemplateId", true)
		default:
			if err := d.Skip(); err != nil {
				return r.fail(string(key), err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case o.ID == "":
		return r.missing("id")
	case o.ODataType == TypeDirectoryRole && o.RoleTemplateID == "":
		return r.missing("roleTemplateId")
	}
	return nil
}

// groupCast reports whether a page's @odata.context says it lists groups:
// the response to a request cast to microsoft.graph.group, whose context
// is "...$metadata#groups", "...$metadata#directoryObjects/microsoft.graph.group"
// or either with a "(...)" list of the selected properties.
func groupCast(context []byte) bool {
	_, frag, ok := bytes.Cut(context, []byte("#"))
	if !ok {
		return false
	}
	if i := bytes.IndexByte(frag, '('); i >= 0 {
		frag = frag[:i]
	}
	return string(frag) == "groups" || bytes.HasSuffix(frag, []byte("/microsoft.graph.group"))
}

// readDirectoryObjectsPage reads a page of directory objects into buf
// (reusing it): entries without @odata.type are groups when the page is
// cast to groups, and an error otherwise.
func readDirectoryObjectsPage(d *dec, at where, buf []DirectoryObject) (Page[DirectoryObject], error) {
	p := Page[DirectoryObject]{Items: buf[:0]}
	untyped, firstUntyped := 0, int64(0)
	info, err := readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var o DirectoryObject
		if err := readDirectoryObject(d, &r, &o); err != nil {
			return err
		}
		if o.ODataType == "" {
			if untyped == 0 {
				firstUntyped = start
			}
			untyped++
		}
		p.Items = append(p.Items, o)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	if err != nil || untyped == 0 {
		return p, err
	}
	if !info.groups {
		for i, o := range p.Items {
			if o.ODataType == "" {
				return p, &Error{Source: at.String(), Index: i, ID: o.ID, Field: "@odata.type", Offset: firstUntyped,
					Err: explain(ErrMissing, "required unless the page's @odata.context says it lists groups")}
			}
		}
	}
	for i := range p.Items {
		switch p.Items[i].ODataType {
		case "":
			p.Items[i].ODataType = TypeGroup
		case TypeGroup:
		default:
			return p, &Error{Source: at.String(), Index: i, ID: p.Items[i].ID, Field: "@odata.type", Value: p.Items[i].ODataType, Offset: -1,
				Err: explain(ErrContradiction, "a page cast to groups lists another type")}
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
	return readOne(r, srcDirectoryObject, func(d *dec) (Page[DirectoryObject], error) {
		return readDirectoryObjectsPage(d, lone(srcDirectoryObject), nil)
	})
}

// DecodeDirectoryObjects is ReadDirectoryObjects of data.
func DecodeDirectoryObjects(data []byte) (Page[DirectoryObject], error) {
	return ReadDirectoryObjects(bytes.NewReader(data))
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

// readRoleAssignment reads one role assignment.
func readRoleAssignment(d *dec, r *rec, a *RoleAssignment) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "id":
			if err := r.seen(&mask, 0, "id"); err != nil {
				return err
			}
			a.ID, err = r.ident("id", false)
			r.id = a.ID
		case "principalId":
			if err := r.seen(&mask, 1, "principalId"); err != nil {
				return err
			}
			a.PrincipalID, err = r.ident("principalId", true)
		case "roleDefinitionId":
			if err := r.seen(&mask, 2, "roleDefinitionId"); err != nil {
				return err
			}
			a.RoleDefinitionID, err = r.ident("roleDefinitionId", true)
		case "directoryScopeId":
			if err := r.seen(&mask, 3, "directoryScopeId"); err != nil {
				return err
			}
			a.DirectoryScopeID, err = r.ident("directoryScopeId", true)
		default:
			if err := d.Skip(); err != nil {
				return r.fail(string(key), err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case a.PrincipalID == "":
		return r.missing("principalId")
	case a.RoleDefinitionID == "":
		return r.missing("roleDefinitionId")
	case a.DirectoryScopeID == "":
		return r.missing("directoryScopeId")
	}
	return nil
}

// readRoleAssignmentsPage reads a page of role assignments.
func readRoleAssignmentsPage(d *dec, at where) (Page[RoleAssignment], error) {
	var p Page[RoleAssignment]
	info, err := readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var a RoleAssignment
		if err := readRoleAssignment(d, &r, &a); err != nil {
			return err
		}
		p.Items = append(p.Items, a)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	return p, err
}

// ReadRoleAssignments reads one page of GET
// /roleManagement/directory/roleAssignments. principalId,
// roleDefinitionId and directoryScopeId are required.
func ReadRoleAssignments(r io.Reader) (Page[RoleAssignment], error) {
	return readOne(r, srcRoleAssignment, func(d *dec) (Page[RoleAssignment], error) {
		return readRoleAssignmentsPage(d, lone(srcRoleAssignment))
	})
}

// DecodeRoleAssignments is ReadRoleAssignments of data.
func DecodeRoleAssignments(data []byte) (Page[RoleAssignment], error) {
	return ReadRoleAssignments(bytes.NewReader(data))
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

// readServicePrincipal reads one service principal.
func readServicePrincipal(d *dec, r *rec, sp *ServicePrincipal, enabled *bool) error {
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	for {
		key, ok, err := d.Key()
		if err != nil {
			return r.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "id":
			if err := r.seen(&mask, 0, "id"); err != nil {
				return err
			}
			sp.ID, err = r.ident("id", false)
			r.id = sp.ID
		case "appId":
			if err := r.seen(&mask, 1, "appId"); err != nil {
				return err
			}
			sp.AppID, err = r.ident("appId", false)
		case "accountEnabled":
			if err := r.seen(&mask, 2, "accountEnabled"); err != nil {
				return err
			}
			v, null, berr := d.boolean()
			if berr != nil {
				return r.fail("accountEnabled", berr)
			}
			if !null {
				*enabled = v
				sp.AccountEnabled = enabled
			}
		case "displayName":
			if err := r.seen(&mask, 3, "displayName"); err != nil {
				return err
			}
			sp.DisplayName, err = r.text("displayName")
		default:
			if err := d.Skip(); err != nil {
				return r.fail(string(key), err)
			}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case sp.ID == "":
		return r.missing("id")
	case sp.AppID == "":
		return r.missing("appId")
	case sp.AccountEnabled == nil:
		return r.missing("accountEnabled")
	}
	return nil
}

// readServicePrincipalsPage reads a page of service principals, refusing
// two with one ID.
func readServicePrincipalsPage(d *dec, at where) (Page[ServicePrincipal], error) {
	var p Page[ServicePrincipal]
	seen := map[string]int{}
	info, err := readPage(d, at, func(i int, start int64) error {
		r := rec{d: d, at: at, index: i, start: start}
		var sp ServicePrincipal
		if err := readServicePrincipal(d, &r, &sp, new(bool)); err != nil {
			return err
		}
		if j, dup := seen[sp.ID]; dup {
			return r.bad("id", sp.ID, start, explain(ErrDuplicate, "the service principal of record "+strconv.Itoa(j)+" has this ID"))
		}
		seen[sp.ID] = i
		p.Items = append(p.Items, sp)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	return p, err
}

// ReadServicePrincipals reads one page of service principals. id, appId
// and accountEnabled are required; two with one ID are an error.
func ReadServicePrincipals(r io.Reader) (Page[ServicePrincipal], error) {
	return readOne(r, srcServicePrincipal, func(d *dec) (Page[ServicePrincipal], error) {
		return readServicePrincipalsPage(d, lone(srcServicePrincipal))
	})
}

// DecodeServicePrincipals is ReadServicePrincipals of data.
func DecodeServicePrincipals(data []byte) (Page[ServicePrincipal], error) {
	return ReadServicePrincipals(bytes.NewReader(data))
}
