package provisioningtest

import (
	"encoding/json"
	"strconv"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Page is one page of an OData list response, as Microsoft Graph or the
// Dataverse Web API writes it: its JSON text, and the values it lists.
type Page[T any] struct {
	// JSON is the page's text.
	JSON []byte
	// Values are what the page lists, in its order: for a page of Graph
	// users, the directory users it was written from; for a page of
	// Dataverse systemusers, the records as package wire reads them back.
	Values []T
	// NextLink is the page's @odata.nextLink: empty on a last page.
	NextLink string
}

// GraphUserPages returns a generator of pages of Microsoft Graph users,
// as package wire's ReadGraphUsers reads them, drawn as c says: a page of
// GET /users or, one time in four, of the directory's deleted users (GET
// /directory/deletedItems/microsoft.graph.user), listing users of
// c.ObjectIDs drawn as Users draws them, each one time in two. A page of
// GET /users lists no deleted or soft-deleted user, and a page of deleted
// users only soft-deleted ones, each with a deletedDateTime; neither lists
// a service principal, which is no user object. Each user object carries
// id, userPrincipalName, accountEnabled, userType ("Member" or "Guest")
// and the profile properties of the online mapping (displayName,
// givenName, surname, jobTitle, mail, businessPhones, mobilePhone,
// streetAddress, city, state, postalCode, country), a blank attribute
// written null (an empty list for businessPhones). One page in two has an
// @odata.nextLink. Values are the users written, as Page says; a page
// carries none of their licenses, groups, roles or home tenant.
func (c Config) GraphUserPages() *rapid.Generator[Page[provisioning.User]] {
	c.check()
	users := c
	users.Application = 0
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) Page[provisioning.User] {
		var p Page[provisioning.User]
		deleted := edge(t, 25, "deleted users?")
		context := "https://graph.microsoft.com/v1.0/$metadata#users"
		if deleted {
			context = "https://graph.microsoft.com/v1.0/$metadata#directoryObjects/microsoft.graph.user"
		}
		page := map[string]any{"@odata.context": context}
		values := []any{}
		for _, id := range ids {
			if !rapid.Bool().Draw(t, "lists "+id+"?") {
				continue
			}
			u := users.userOf(id).Draw(t, id)
			u.Deleted, u.SoftDeleted = false, deleted
			p.Values = append(p.Values, u)
			values = append(values, graphUser(&u))
		}
		page["value"] = values
		if more := rapid.StringMatching(`[A-Za-z0-9]{8}`).Draw(t, "skiptoken"); rapid.Bool().Draw(t, "next page?") {
			p.NextLink = "https://graph.microsoft.com/v1.0/users?$skiptoken=" + more
			page["@odata.nextLink"] = p.NextLink
		}
		p.JSON = marshal(page)
		return p
	})
}

// graphUser returns the Graph user object of u.
func graphUser(u *provisioning.User) map[string]any {
	userType := "Member"
	if u.Guest {
		userType = "Guest"
	}
	o := map[string]any{"id": u.ObjectID, "userPrincipalName": u.UPN, "accountEnabled": u.Enabled, "userType": userType}
	for _, p := range []struct {
		name   string
		column syncfields.Column
	}{
		{"displayName", syncfields.FullName}, {"givenName", syncfields.FirstName}, {"surname", syncfields.LastName},
		{"jobTitle", syncfields.JobTitle}, {"mail", syncfields.InternalEmailAddress}, {"mobilePhone", syncfields.MobilePhone},
		{"streetAddress", syncfields.Street}, {"city", syncfields.City}, {"state", syncfields.StateOrProvince},
		{"postalCode", syncfields.PostalCode}, {"country", syncfields.Country},
	} {
		o[p.name] = orNull(u.Attributes.Get(p.column))
	}
	o["businessPhones"] = []string{}
	if phone := u.Attributes.Get(syncfields.Telephone1); phone != "" {
		o["businessPhones"] = []string{phone}
	}
	if u.SoftDeleted {
		o["@odata.type"] = "#microsoft.graph.user"
		o["deletedDateTime"] = "2026-11-20T10:00:00Z"
	}
	return o
}

// SystemUserPages returns a generator of pages of Dataverse systemusers,
// as package wire's ReadSystemUsers reads them, drawn as c says: the
// records of one environment (Environments) as Snapshots draws them, for
// users of c.ObjectIDs each in the directory one time in two, written as
// the Web API returns them for the $select and $expand that
// ReadSystemUsers documents: systemuserid, azureactivedirectoryobjectid,
// domainname, accessmode, isdisabled, applicationid (null when blank),
// every synced column (null when blank), the custom columns, the security
// roles and the group teams, with an @odata.etag and a business unit
// lookup. One page in two has an @odata.nextLink.
//
// Values are the records as ReadSystemUsers reads them back, which is the
// record drawn less what a systemusers row does not carry: a stub carries
// no object ID (a row with one is a directory user's), a record is neither
// soft-deleted, marked on demand nor counts owned records (this library's
// extensions carry those), and its primary email reads as edited (Dataverse
// does not say, SYNC-EMAIL); every record has its systemuserid, and its
// Fields hold its object ID and UPN.
func (c Config) SystemUserPages() *rapid.Generator[Page[provisioning.Record]] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) Page[provisioning.Record] {
		env := c.Environments().Draw(t, "environment")
		users := map[string]*provisioning.User{}
		for _, id := range ids {
			if rapid.Bool().Draw(t, "has "+id+"?") {
				u := c.userOf(id).Draw(t, id)
				users[id] = &u
			}
		}
		var p Page[provisioning.Record]
		values := []any{}
		for i, r := range c.environmentRecords(t, &env, ids, users) {
			if r.Stub {
				r.ObjectID = ""
			}
			if r.SystemUserID == "" {
				r.SystemUserID = systemUserID(env.ID, r.Key())
			}
			r.SoftDeleted, r.OnDemand, r.OwnedRecords = false, false, 0
			r.Fields.EmailEdited = true
			r.Fields.Columns.Set(syncfields.ObjectID, r.ObjectID)
			r.Fields.Columns.Set(syncfields.DomainName, r.UPN)
			if len(r.Roles) == 0 {
				r.Roles = nil
			}
			if len(r.Teams) == 0 {
				r.Teams = nil
			}
			p.Values = append(p.Values, r)
			values = append(values, systemUser(&r, 4_000_000+i))
		}
		page := map[string]any{
			"@odata.context": "https://contoso.crm.dynamics.com/api/data/v9.2/$metadata#systemusers",
			"value":          values,
		}
		if more := rapid.StringMatching(`[A-Za-z0-9]{8}`).Draw(t, "skiptoken"); rapid.Bool().Draw(t, "next page?") {
			p.NextLink = "https://contoso.crm.dynamics.com/api/data/v9.2/systemusers?$skiptoken=" + more
			page["@odata.nextLink"] = p.NextLink
		}
		p.JSON = marshal(page)
		return p
	})
}

// systemUser returns the systemusers row of r, of version etag.
func systemUser(r *provisioning.Record, etag int) map[string]any {
	o := map[string]any{
		"@odata.etag":                  `W/"` + strconv.Itoa(etag) + `"`,
		"systemuserid":                 r.SystemUserID,
		"azureactivedirectoryobjectid": orNull(r.ObjectID),
		"domainname":                   orNull(r.UPN),
		"accessmode":                   int(r.Mode),
		"isdisabled":                   r.Disabled,
		"applicationid":                orNull(r.ApplicationID),
		"_businessunitid_value":        "5f0e2b1c-7a3d-4c58-9d3e-1b2a3c4d5e6f",
	}
	for _, c := range syncfields.Columns() {
		if c != syncfields.ObjectID && c != syncfields.DomainName {
			o[c.String()] = orNull(r.Fields.Columns.Get(c))
		}
	}
	for name, value := range r.Fields.Custom {
		o[name] = value
	}
	roles := []any{}
	for _, role := range r.Roles {
		roles = append(roles, map[string]any{"name": role, "roleid": systemUserID("role", role)})
	}
	o["systemuserroles_association"] = roles
	teams := []any{}
	for _, g := range r.Teams {
		teams = append(teams, map[string]any{"azureactivedirectoryobjectid": g, "teamtype": 2})
	}
	o["teammembership_association"] = teams
	return o
}

// orNull returns s, or nil (JSON null) for a blank s.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// marshal writes v as JSON; the values here always can be.
func marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("provisioningtest: " + err.Error())
	}
	return b
}
