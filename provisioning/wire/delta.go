package wire

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// The sources of the delta readers, as an *Error names them.
const (
	srcUsersDelta  = "users/delta"
	srcGroupsDelta = "groups/delta"
)

// DeltaOptions set how a users/delta page is read.
type DeltaOptions struct {
	// Tenant is the ID of the tenant whose directory the delta query
	// tracks: every license read from assignedLicenses was assigned in it
	// (LIC-GUEST-TENANT). Required for a page that lists a license; taken
	// in its canonical form (provisioning.CanonicalID), as every ID read.
	Tenant string
	// Classifier classifies assignedLicenses by SKU ID (see
	// Classifier.ClassifyAssigned); nil means DefaultClassifier().
	Classifier *Classifier
}

// removal is the shape of an @removed annotation: an object whose
// "reason" is "changed", an object deleted that can be restored, or
// "deleted", one deleted for good. Its other members are skipped.
var removal = shape[provisioning.Removal]{members: []member[provisioning.Removal]{
	{name: "reason", need: required, read: func(r *provisioning.Removal, x *val) error {
		off := x.d.valueOffset()
		b, null, err := x.d.str()
		switch {
		case err != nil:
			return x.fail(err)
		case null:
			return x.bad("null", off, provisioning.ErrMissing)
		case string(b) == "changed":
			*r = provisioning.SoftRemoved
		case string(b) == "deleted":
			*r = provisioning.HardRemoved
		default:
			return x.bad(string(b), off, errtext.Explain(provisioning.ErrUnknown, `want "changed" or "deleted"`))
		}
		x.has = true
		return nil
	}},
}}.table()

// removed reads an @removed annotation into r.
func removed(r *provisioning.Removal, x *val) error {
	return object(x, removal, r, "an @removed annotation is an object with a reason")
}

// userDelta is a users/delta item being read into c.
type userDelta struct {
	c        *provisioning.UserChange
	assigned []AssignedLicense // nil when the item does not change them
}

// usersDeltaItem is the shape of a users/delta item.
var usersDeltaItem = shape[userDelta]{
	key: "id", id: func(u *userDelta) string { return u.c.ObjectID }, dup: "item # of the page has this ID",
	members: append([]member[userDelta]{
		{name: "id", need: required, read: func(u *userDelta, x *val) error { return x.ident(&u.c.ObjectID) }},
		{name: "@removed", read: func(u *userDelta, x *val) error { return removed(&u.c.Removed, x) }},
		{name: "userPrincipalName", read: func(u *userDelta, x *val) error {
			b, off, err := kept(x)
			if err != nil {
				return err
			}
			upn := string(x.d.canonical(b))
			if !ident.Valid(upn) {
				return x.bad(upn, off, provisioning.ErrMalformed)
			}
			u.c.UPN = &upn
			return nil
		}},
		{name: "accountEnabled", read: func(u *userDelta, x *val) error {
			off := x.d.valueOffset()
			if err := x.flag(&u.c.Enabled); err != nil || x.has {
				return err
			}
			return x.bad("null", off, errtext.Explain(provisioning.ErrMissing, "a user's accountEnabled cannot be cleared"))
		}},
		{name: "userType", read: func(u *userDelta, x *val) error {
			b, off, err := kept(x)
			if err != nil {
				return err
			}
			if t := string(b); t != "Member" && t != "Guest" {
				return x.bad(t, off, errtext.Explain(provisioning.ErrUnknown, `want "Member" or "Guest"`))
			}
			guest := string(b) == "Guest"
			u.c.Guest = &guest
			return nil
		}},
		{name: "assignedLicenses", read: func(u *userDelta, x *val) error {
			err := list(x, assignedLicense, &u.assigned)
			if !x.has {
				u.assigned = []AssignedLicense{} // null: the licenses were cleared
			}
			return err
		}},
	}, deltaProfile()...),
}.table()

// deltaProfile returns the members of a users/delta item that are
// properties of the online profile: null clears one (a blank value), a
// list gives its first element, and a NUL is refused. The object ID and
// the UPN, which a UserChange carries apart, are left out.
func deltaProfile() []member[userDelta] {
	var out []member[userDelta]
	for _, row := range syncfields.Online().Rows() {
		if row.Source == "id" || row.Source == "userPrincipalName" {
			continue
		}
		name, first := strings.CutSuffix(row.Source, "[0]")
		col := row.Column
		out = append(out, member[userDelta]{name: name, read: func(u *userDelta, x *val) error {
			off := x.d.valueOffset()
			var v string
			var err error
			if first {
				var list []string
				if err = x.texts(&list); len(list) > 0 {
					v = list[0]
				}
			} else {
				err = x.text(&v)
			}
			if err != nil {
				return err
			}
			if strings.IndexByte(v, 0) >= 0 {
				return x.bad(v, off, errtext.Explain(provisioning.ErrMalformed, "a NUL character"))
			}
			u.c.Columns = u.c.Columns.With(col)
			u.c.Attributes.Set(col, v)
			return nil
		}})
	}
	return out
}

// kept reads a string property that a delta may change but never clears:
// null is refused, and so is an empty string. The bytes are valid until
// the next read.
func kept(x *val) ([]byte, int64, error) {
	off := x.d.valueOffset()
	b, null, err := x.d.str()
	switch {
	case err != nil:
		return nil, off, x.fail(err)
	case null:
		return nil, off, x.bad("null", off, errtext.Explain(provisioning.ErrMissing, "a user's "+x.member()+" cannot be cleared"))
	case len(b) == 0:
		return nil, off, x.bad("", off, errtext.Explain(provisioning.ErrMissing, "a user's "+x.member()+" cannot be blank"))
	}
	return b, off, nil
}

// contextNames reports whether a page's @odata.context names the entity
// set set, as "...$metadata#groups", "...$metadata#groups(members)" or
// "...$metadata#groups/...": a delta page of one kind given to the reader
// of the other is refused by that.
func contextNames(info pageInfo, set string) bool {
	_, frag, ok := bytes.Cut(info.context, []byte("#"))
	frag, _, _ = bytes.Cut(frag, []byte("("))
	return ok && (string(frag) == set || bytes.HasPrefix(frag, []byte(set+"/")))
}

// otherDelta is the error of a page of the other delta query.
func otherDelta(src string, info pageInfo, other string) error {
	return &Error{Source: src, Index: -1, Field: "@odata.context", Value: cut(string(info.context)), Offset: -1,
		Err: errtext.Explain(provisioning.ErrContradiction, "a page of "+other+", not of "+src)}
}

// ReadUsersDelta reads one page of a delta query on users (GET
// /users/delta?$select=..., then its @odata.nextLink and, next cycle, its
// @odata.deltaLink) into the changes tenant.State.Apply takes: one
// provisioning.UserChange per item, in the page's order. An item holds the
// user's id, which is required, and the properties that changed; what it
// says becomes:
//
//   - "@removed" with reason "changed": the user was deleted and can be
//     restored (provisioning.SoftRemoved); with reason "deleted": deleted for
//     good (provisioning.HardRemoved); any other reason is refused. A user
//     without it is in the directory, restored if it was soft-deleted;
//   - userPrincipalName, accountEnabled and userType ("Member" or "Guest",
//     UserChange.Guest) as they are; none of them can be cleared, so null
//     is refused. A guest's home tenant is read from the UPN of the same
//     item, as the other decoders read it (LIC-GUEST-TENANT), or is
//     UnknownHomeTenant when the item changes userType to Guest without
//     its UPN; userType "Member" clears the home tenant; an item without
//     userType leaves the home tenant as the state holds it;
//   - the profile properties of the online profile (displayName,
//     givenName, surname, jobTitle, mail, businessPhones, whose first
//     element is the value, mobilePhone, streetAddress, city, state,
//     postalCode, country) in UserChange.Columns and Attributes; null
//     clears one (a blank column), and a NUL character is refused;
//   - assignedLicenses, classified by SKU ID (Classifier.ClassifyAssigned
//     with opts.Classifier, nil meaning DefaultClassifier) and assigned in
//     opts.Tenant, replace the user's licenses; null or [] leaves it none.
//
// A property absent is unchanged. Other properties (@odata.type,
// manager@delta, the properties this library does not read) are skipped,
// but one of the properties above holding a value of the wrong JSON type
// is refused naming it, and so are two items with one ID in the page, a
// null item, an identifier holding control or bidirectional formatting
// characters, malformed JSON, and a page whose @odata.context names
// groups (a groups/delta page). opts.Tenant must be a valid identifier,
// and is required when the page lists a license.
//
// Graph does not promise one item per user in a cycle: a user may come
// back on a later page, a later change. tenant.Delta takes each user
// once, so a page that repeats a user of an earlier one goes to Apply in
// a delta of its own, after the earlier one.
func ReadUsersDelta(r io.Reader, opts DeltaOptions) (Page[provisioning.UserChange], error) {
	opts.Tenant = ident.Canonical(opts.Tenant)
	if !ident.Valid(opts.Tenant) {
		return Page[provisioning.UserChange]{}, &Error{Source: srcUsersDelta, Index: -1, Field: "DeltaOptions.Tenant", Value: cut(opts.Tenant), Offset: -1, Err: provisioning.ErrMalformed}
	}
	c := opts.Classifier
	if c == nil {
		c = DefaultClassifier()
	}
	memo := newClassifyMemo(c)
	var p Page[provisioning.UserChange]
	u := new(userDelta)
	info, err := readLone(r, srcUsersDelta, usersDeltaItem, func() *userDelta {
		*u = userDelta{c: next(&p.Items)}
		return u
	}, func(r *rec, u *userDelta) error {
		c := u.c
		if c.Guest != nil {
			// LIC-GUEST-TENANT: the home tenant is read from the UPN the
			// item carries; a user turned guest without one has a home
			// tenant not known.
			home := ""
			switch {
			case *c.Guest && c.UPN != nil:
				home = guestHome(*c.UPN)
			case *c.Guest:
				home = UnknownHomeTenant
			}
			c.HomeTenant = &home
		}
		if u.assigned != nil {
			if len(u.assigned) > 0 && opts.Tenant == "" {
				return r.bad("assignedLicenses", "", r.start, errtext.Explain(provisioning.ErrMissing, "DeltaOptions.Tenant is empty: the tenant the licenses were assigned in is not known"))
			}
			licenses := make([]provisioning.License, 0, len(u.assigned))
			for i := range u.assigned {
				l := memo.assigned(&u.assigned[i])
				l.Tenant = opts.Tenant
				licenses = append(licenses, l)
			}
			c.Licenses = &licenses
		}
		return nil
	})
	if err == nil && contextNames(info, "groups") {
		err = otherDelta(srcUsersDelta, info, srcGroupsDelta)
	}
	return linked(p, info, err)
}

// GroupDelta is one item of a groups/delta page: the members and owners
// it added and removed, for tenant.Delta's Groups, and whether the group
// itself was deleted.
type GroupDelta struct {
	// GroupChange is the group's ID and its members and owners added and
	// removed: the users and service principals of members@delta and
	// owners@delta.
	provisioning.GroupChange
	// Removed says whether, and how, the group itself was deleted
	// ("@removed" on the item). tenant.State.Apply does not act on it: a
	// group deleted takes none of its members out of it there. The
	// caller acts: for a group team's group,
	// provisioning.Org.DeleteTeamGroup in each environment; for an
	// environment's security group, a change of the environment (see
	// tenant.WhatIf); for the users, a GroupChange that removes every
	// member the state holds.
	Removed provisioning.Removal `json:"removed,omitempty"`
}

// GroupChanges returns the member and owner changes of the items of a
// groups/delta page, in order, as tenant.Delta's Groups takes them. A
// group's own deletion (GroupDelta.Removed) is not among them: the caller
// acts on it.
func GroupChanges(items []GroupDelta) []provisioning.GroupChange {
	out := make([]provisioning.GroupChange, len(items))
	for i := range items {
		out[i] = items[i].GroupChange
	}
	return out
}

// The @odata.type values of the members@delta entries the groups/delta
// reader leaves out.
const (
	typeDevice     = "#microsoft.graph.device"
	typeOrgContact = "#microsoft.graph.orgContact"
)

// groupDelta is a groups/delta item being read into g.
type groupDelta struct {
	g     *GroupDelta
	entry deltaEntry
}

// deltaEntry is an entry of members@delta or owners@delta.
type deltaEntry struct {
	typ, id string
	removed provisioning.Removal
}

// groupsDeltaItem is the shape of a groups/delta item.
var groupsDeltaItem = shape[groupDelta]{
	key: "id", id: func(g *groupDelta) string { return g.g.Group }, dup: "item # of the page has this ID",
	members: []member[groupDelta]{
		{name: "id", need: required, read: func(g *groupDelta, x *val) error { return x.ident(&g.g.Group) }},
		{name: "@removed", read: func(g *groupDelta, x *val) error { return removed(&g.g.Removed, x) }},
		{name: "members@delta", read: func(g *groupDelta, x *val) error {
			return g.entries(x, &g.g.MembersAdded, &g.g.MembersRemoved)
		}},
		{name: "owners@delta", read: func(g *groupDelta, x *val) error {
			return g.entries(x, &g.g.OwnersAdded, &g.g.OwnersRemoved)
		}},
	},
}.table()

// deltaEntryShape is the shape of an entry of members@delta or
// owners@delta.
var deltaEntryShape = shape[deltaEntry]{members: []member[deltaEntry]{
	{name: "id", need: required, read: func(e *deltaEntry, x *val) error { return x.shared(&e.id) }},
	{name: "@odata.type", need: required, read: func(e *deltaEntry, x *val) error { return x.shared(&e.typ) }},
	{name: "@removed", read: func(e *deltaEntry, x *val) error { return removed(&e.removed, x) }},
}}.table()

// entries reads a members@delta or owners@delta list: the users and
// service principals added, and those removed (an entry with "@removed",
// whatever its reason). Groups, devices and organizational contacts are
// left out: nested membership never counts (SG-NESTED), and the others are
// not principals. An entry needs its id and @odata.type; another type, or
// an ID listed twice, is refused.
func (g *groupDelta) entries(x *val, added, removed *[]string) error {
	off := x.d.valueOffset()
	seen := x.d.seen()
	err := objects(x, deltaEntryShape, func() *deltaEntry { g.entry = deltaEntry{}; return &g.entry }, func(e *val) error {
		id := g.entry.id
		if k, dup := seen[id]; dup {
			return e.badMember("id", id, e.start, errtext.Explain(provisioning.ErrDuplicate, "entry "+strconv.Itoa(k)+" of the list has this ID"))
		}
		seen[id] = len(seen)
		switch g.entry.typ {
		case TypeUser, TypeServicePrincipal:
		case TypeGroup, typeDevice, typeOrgContact:
			return nil
		default:
			return e.badMember("@odata.type", g.entry.typ, e.start, errtext.Explain(provisioning.ErrUnknown, "not a user, service principal, group, device or contact"))
		}
		if g.entry.removed != provisioning.NotRemoved {
			*removed = append(*removed, id)
		} else {
			*added = append(*added, id)
		}
		return nil
	})
	if err == nil && !x.has {
		return x.bad("null", off, provisioning.ErrMissing)
	}
	return err
}

// ReadGroupsDelta reads one page of a delta query on groups (GET
// /groups/delta?$select=members,owners, then its @odata.nextLink and, next
// cycle, its @odata.deltaLink): one GroupDelta per item, in the page's
// order, whose GroupChange goes to tenant.Delta's Groups. An item holds
// the group's id, which is required, and:
//
//   - members@delta and owners@delta: lists of entries, each an
//     @odata.type and an id, both required; an entry with "@removed" (of
//     either reason) left the group, any other joined it. Users and
//     service principals are kept; nested groups (whose membership never
//     counts, SG-NESTED), devices and organizational contacts are left
//     out; another @odata.type, a null entry or an ID listed twice in one
//     list is refused;
//   - "@removed" with reason "changed" or "deleted": the group itself was
//     deleted (GroupDelta.Removed), which the caller applies.
//
// Graph may list a large group's members over several pages, the group
// coming back on each: give every page's changes to Apply in order. The
// group's own properties (displayName, groupTypes, ...) are skipped; a
// null item, two items with one ID in one page, an identifier holding
// control or bidirectional formatting characters, a value of the wrong
// JSON type, malformed JSON and a page whose @odata.context names users (a
// users/delta page) are refused.
func ReadGroupsDelta(r io.Reader) (Page[GroupDelta], error) {
	var p Page[GroupDelta]
	g := new(groupDelta)
	info, err := readLone(r, srcGroupsDelta, groupsDeltaItem, func() *groupDelta {
		*g = groupDelta{g: next(&p.Items)}
		return g
	}, nil)
	if err == nil && contextNames(info, "users") {
		err = otherDelta(srcGroupsDelta, info, srcUsersDelta)
	}
	return linked(p, info, err)
}

// AssignedRoles returns the fresh read of the directory role assignments that
// tenant.Delta's Roles takes, since delta queries do not track role
// assignments: assignments are every page of GET
// /roleManagement/directory/roleAssignments, and groupMembers holds, by
// group ID, the GET /groups/{id}/members pages of each role-assignable
// group an assignment names. The readings are those of a full read
// (ProvisioningUser, ReadDirectory):
//
//   - only an assignment at directory scope "/" of a role the rules know
//     counts (LIC-EXEMPT-ADMIN);
//   - one whose principal is a group of groupMembers gives its direct
//     members (users and service principals) GroupRoles, which do not
//     count;
//   - every other principal holds the role itself (Roles).
//
// A role-assignable group whose members are not given is taken for a
// principal of its own, which the state does not hold (Apply counts it as
// ignored), and its members hold no GroupRoles: they would not count
// anyway.
func AssignedRoles(assignments []RoleAssignment, groupMembers map[string][]DirectoryObject) provisioning.DirectoryRoles {
	held := map[string]provisioning.AdminRoles{}
	for i := range assignments {
		if role := tenantRole(&assignments[i]); role != 0 {
			held[assignments[i].PrincipalID] |= role
		}
	}
	out := provisioning.DirectoryRoles{Roles: map[string]provisioning.AdminRoles{}, GroupRoles: map[string]provisioning.AdminRoles{}}
	for id, roles := range held {
		members, group := groupMembers[id]
		if !group {
			out.Roles[id] |= roles
			continue
		}
		for _, o := range members {
			if o.ODataType == TypeUser || o.ODataType == TypeServicePrincipal {
				out.GroupRoles[o.ID] |= roles
			}
		}
	}
	return out
}
