package wire

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
)

// The sources of the delta decoders, as an *Error names them.
const (
	srcUsersDelta  = "users/delta"
	srcGroupsDelta = "groups/delta"
)

// The @odata.type values of the members@delta entries the groups/delta
// decoder leaves out.
const (
	typeDevice     = "#microsoft.graph.device"
	typeOrgContact = "#microsoft.graph.orgContact"
)

// DeltaOptions set how a users/delta page is read.
type DeltaOptions struct {
	// Tenant is the ID of the tenant whose directory the delta query
	// tracks: every license read from assignedLicenses was assigned in it
	// (LIC-GUEST-TENANT). Required for a page that lists a license.
	Tenant string
	// Classifier classifies assignedLicenses by SKU ID (see
	// Classifier.ClassifyAssigned); nil means DefaultClassifier().
	Classifier *Classifier
}

// deltaColumn is a profile property of a users/delta item: its name, the
// column it fills, and whether the property is a list whose first element
// is the value (businessPhones).
type deltaColumn struct {
	name   string
	column syncfields.Column
	list   bool
}

// deltaProfile holds the Graph user properties of the online profile by
// name, for users/delta items. The object ID and the UPN, which a
// provisioning.UserChange carries apart, are left out.
var deltaProfile = func() map[string]deltaColumn {
	m := map[string]deltaColumn{}
	for _, row := range syncfields.Online.Rows() {
		if row.Source == "id" || row.Source == "userPrincipalName" {
			continue
		}
		name, list := strings.CutSuffix(row.Source, "[0]")
		m[name] = deltaColumn{name: name, column: row.Column, list: list}
	}
	return m
}()

// The properties of a users/delta item, as bits of a record's mask; a
// profile property's bit is udProfile plus its column.
const (
	udID uint = iota
	udRemoved
	udUPN
	udEnabled
	udType
	udLicenses
	udProfile
)

// readRemoved reads an @removed annotation at p: an object whose "reason"
// (at reason) is "changed", an object deleted that can be restored, or
// "deleted", one deleted for good. Its other members are skipped.
func readRemoved(d *dec, r *rec, p, reason path) (provisioning.Removal, error) {
	off := d.valueOffset()
	null, err := d.object()
	switch {
	case err != nil:
		return provisioning.NotRemoved, r.failAt(p, err)
	case null:
		return provisioning.NotRemoved, r.badAt(p, "null", off, explain(ErrMissing, "an @removed annotation is an object with a reason"))
	}
	start := d.Offset()
	var mask uint64
	removal := provisioning.NotRemoved
	for {
		key, ok, err := d.Key()
		if err != nil {
			return provisioning.NotRemoved, r.failAt(p, err)
		}
		if !ok {
			break
		}
		if string(key) != "reason" {
			if err := d.Skip(); err != nil {
				return provisioning.NotRemoved, r.failAt(p, err)
			}
			continue
		}
		if mask != 0 {
			return provisioning.NotRemoved, r.badAt(reason, "", d.Offset(), explain(ErrDuplicate, "member given twice"))
		}
		mask = 1
		off := d.valueOffset()
		b, null, err := d.str()
		switch {
		case err != nil:
			return provisioning.NotRemoved, r.failAt(reason, err)
		case null:
			return provisioning.NotRemoved, r.badAt(reason, "null", off, ErrMissing)
		}
		switch string(b) {
		case "changed":
			removal = provisioning.SoftRemoved
		case "deleted":
			removal = provisioning.HardRemoved
		default:
			return provisioning.NotRemoved, r.badAt(reason, string(b), off, explain(ErrUnknown, `want "changed" or "deleted"`))
		}
	}
	if removal == provisioning.NotRemoved {
		return provisioning.NotRemoved, r.badAt(reason, "", start, ErrMissing)
	}
	return removal, nil
}

// usersDelta is the read of users/delta pages.
type usersDelta struct {
	d      *dec
	tenant string
	memo   classifyMemo
	// name holds the name of the member being skipped, for its error: the
	// decoder's copy does not survive the skip.
	name []byte
}

// kept reads a string property that a delta may change but never
// clears: null is refused, and so is an empty string. The bytes are valid
// until the next call on the decoder.
func (x *usersDelta) kept(r *rec, name string) ([]byte, int64, error) {
	off := x.d.valueOffset()
	b, null, err := x.d.str()
	switch {
	case err != nil:
		return nil, off, r.fail(name, err)
	case null:
		return nil, off, r.bad(name, "null", off, explain(ErrMissing, "a user's "+name+" cannot be cleared"))
	case len(b) == 0:
		return nil, off, r.bad(name, "", off, explain(ErrMissing, "a user's "+name+" cannot be blank"))
	}
	return b, off, nil
}

// item reads one users/delta item into c.
func (x *usersDelta) item(r *rec, c *provisioning.UserChange) error {
	d := x.d
	if err := d.BeginObject(); err != nil {
		return r.fail("", err)
	}
	var mask uint64
	var assigned []AssignedLicense
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
			if err := r.seen(&mask, udID, "id"); err != nil {
				return err
			}
			c.ObjectID, err = r.ident("id", false)
			r.id = c.ObjectID
		case "@removed":
			if err := r.seen(&mask, udRemoved, "@removed"); err != nil {
				return err
			}
			c.Removed, err = readRemoved(d, r, field("@removed"), field("@removed").member("reason"))
		case "userPrincipalName":
			if err := r.seen(&mask, udUPN, "userPrincipalName"); err != nil {
				return err
			}
			b, off, err := x.kept(r, "userPrincipalName")
			if err != nil {
				return err
			}
			upn := string(b)
			if !ident.Valid(upn) {
				return r.bad("userPrincipalName", upn, off, ErrMalformed)
			}
			c.UPN = &upn
		case "accountEnabled":
			if err := r.seen(&mask, udEnabled, "accountEnabled"); err != nil {
				return err
			}
			off := d.valueOffset()
			v, null, berr := d.boolean()
			switch {
			case berr != nil:
				return r.fail("accountEnabled", berr)
			case null:
				return r.bad("accountEnabled", "null", off, explain(ErrMissing, "a user's accountEnabled cannot be cleared"))
			}
			c.Enabled = &v
		case "userType":
			if err := r.seen(&mask, udType, "userType"); err != nil {
				return err
			}
			b, off, err := x.kept(r, "userType")
			if err != nil {
				return err
			}
			var guest bool
			switch string(b) {
			case "Member":
			case "Guest":
				guest = true
			default:
				return r.bad("userType", string(b), off, explain(ErrUnknown, `want "Member" or "Guest"`))
			}
			c.Guest = &guest
		case "assignedLicenses":
			if err := r.seen(&mask, udLicenses, "assignedLicenses"); err != nil {
				return err
			}
			if assigned, err = readAssignedLicenses(d, r); err == nil && assigned == nil {
				assigned = []AssignedLicense{} // null: the licenses were cleared
			}
		default:
			col, ok := deltaProfile[string(key)]
			if !ok {
				x.name = append(x.name[:0], key...)
				if err := d.Skip(); err != nil {
					return r.fail(string(x.name), err)
				}
				continue
			}
			err = x.profile(r, &mask, c, col)
		}
		if err != nil {
			return err
		}
	}
	if c.ObjectID == "" {
		return r.missing("id")
	}
	if c.Guest != nil {
		// LIC-GUEST-TENANT: the home tenant is read from the UPN the item
		// carries; a user turned guest without one has a home tenant not
		// known.
		home := ""
		switch {
		case *c.Guest && c.UPN != nil:
			home = guestHome(*c.UPN)
		case *c.Guest:
			home = UnknownHomeTenant
		}
		c.HomeTenant = &home
	}
	if assigned != nil {
		if len(assigned) > 0 && x.tenant == "" {
			return r.bad("assignedLicenses", "", r.start, explain(ErrMissing, "DeltaOptions.Tenant is empty: the tenant the licenses were assigned in is not known"))
		}
		licenses := make([]provisioning.License, 0, len(assigned))
		for i := range assigned {
			l := x.memo.assigned(&assigned[i])
			l.Tenant = x.tenant
			licenses = append(licenses, l)
		}
		c.Licenses = &licenses
	}
	return nil
}

// profile reads the profile property col into c: null clears it (a
// blank value), and a list gives its first element.
func (x *usersDelta) profile(r *rec, mask *uint64, c *provisioning.UserChange, col deltaColumn) error {
	name := col.name
	if err := r.seen(mask, udProfile+uint(col.column), name); err != nil {
		return err
	}
	off := x.d.valueOffset()
	var v string
	if col.list {
		list, err := readTextList(x.d, r, field(name))
		if err != nil {
			return err
		}
		if len(list) > 0 {
			v = list[0]
		}
	} else {
		var err error
		if v, err = r.text(name); err != nil {
			return err
		}
	}
	if strings.IndexByte(v, 0) >= 0 {
		return r.bad(name, v, off, explain(ErrMalformed, "a NUL character"))
	}
	c.Columns = c.Columns.With(col.column)
	c.Attributes[col.column] = v
	return nil
}

// page reads one users/delta page, refusing two items with one ID.
func (x *usersDelta) page(at where) (Page[provisioning.UserChange], error) {
	var p Page[provisioning.UserChange]
	seen := map[string]int{}
	info, err := readPage(x.d, at, func(i int, start int64) error {
		r := rec{d: x.d, at: at, index: i, start: start}
		var c provisioning.UserChange
		if err := x.item(&r, &c); err != nil {
			return err
		}
		if j, dup := seen[c.ObjectID]; dup {
			return r.bad("id", c.ObjectID, start, explain(ErrDuplicate, "item "+strconv.Itoa(j)+" of the page has this ID"))
		}
		seen[c.ObjectID] = i
		p.Items = append(p.Items, c)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	if err == nil && contextNames(info.context, "groups") {
		err = &Error{Source: at.String(), Index: -1, Field: "@odata.context", Value: cut(info.context), Offset: -1,
			Err: explain(ErrContradiction, "a page of groups/delta, not of users/delta")}
	}
	return p, err
}

// contextNames reports whether a page's @odata.context names the entity
// set set, as "...$metadata#groups", "...$metadata#groups(members)" or
// "...$metadata#groups/...": a delta page of one kind given to the decoder
// of the other is refused by that.
func contextNames(context, set string) bool {
	_, frag, ok := strings.Cut(context, "#")
	if !ok {
		return false
	}
	frag, _, _ = strings.Cut(frag, "(")
	return frag == set || strings.HasPrefix(frag, set+"/")
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
	return readOne(r, srcUsersDelta, func(d *dec) (Page[provisioning.UserChange], error) {
		if !ident.Valid(opts.Tenant) {
			return Page[provisioning.UserChange]{}, &Error{Source: srcUsersDelta, Index: -1, Field: "DeltaOptions.Tenant", Value: cut(opts.Tenant), Offset: -1, Err: ErrMalformed}
		}
		c := opts.Classifier
		if c == nil {
			c = DefaultClassifier()
		}
		x := &usersDelta{d: d, tenant: opts.Tenant, memo: newClassifyMemo(c)}
		return x.page(lone(srcUsersDelta))
	})
}

// DecodeUsersDelta is ReadUsersDelta of data.
func DecodeUsersDelta(data []byte, opts DeltaOptions) (Page[provisioning.UserChange], error) {
	return ReadUsersDelta(bytes.NewReader(data), opts)
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

// The members of a groups/delta item, as bits of a record's mask.
const (
	gdID uint = iota
	gdRemoved
	gdMembers
	gdOwners
)

// groupsDelta is the read of groups/delta pages.
type groupsDelta struct {
	d *dec
	// entries holds the IDs of one members@delta or owners@delta list by
	// index, to refuse an ID listed twice.
	entries map[string]int
	name    []byte
}

// item reads one groups/delta item into g.
func (x *groupsDelta) item(r *rec, g *GroupDelta) error {
	d := x.d
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
			if err := r.seen(&mask, gdID, "id"); err != nil {
				return err
			}
			g.Group, err = r.ident("id", false)
			r.id = g.Group
		case "@removed":
			if err := r.seen(&mask, gdRemoved, "@removed"); err != nil {
				return err
			}
			g.Removed, err = readRemoved(d, r, field("@removed"), field("@removed").member("reason"))
		case "members@delta":
			if err := r.seen(&mask, gdMembers, "members@delta"); err != nil {
				return err
			}
			g.MembersAdded, g.MembersRemoved, err = x.entryList(r, "members@delta")
		case "owners@delta":
			if err := r.seen(&mask, gdOwners, "owners@delta"); err != nil {
				return err
			}
			g.OwnersAdded, g.OwnersRemoved, err = x.entryList(r, "owners@delta")
		default:
			x.name = append(x.name[:0], key...)
			if err := d.Skip(); err != nil {
				return r.fail(string(x.name), err)
			}
		}
		if err != nil {
			return err
		}
	}
	if g.Group == "" {
		return r.missing("id")
	}
	return nil
}

// entryList reads a members@delta or owners@delta list, name: the users
// and service principals added, and those removed (an entry with
// "@removed", whatever its reason). Groups, devices and organizational
// contacts are left out: nested membership never counts (SG-NESTED), and
// the others are not principals. An entry needs its id and @odata.type;
// another type, or an ID listed twice, is refused.
func (x *groupsDelta) entryList(r *rec, name string) (added, removed []string, err error) {
	d := x.d
	off := d.valueOffset()
	null, err := d.array()
	switch {
	case err != nil:
		return nil, nil, r.fail(name, err)
	case null:
		return nil, nil, r.bad(name, "null", off, ErrMissing)
	}
	clear(x.entries)
	for j := 0; ; j++ {
		more, err := d.Next()
		if err != nil {
			return nil, nil, r.fail(name, err)
		}
		if !more {
			return added, removed, nil
		}
		p := elem(name, j, "")
		off := d.valueOffset()
		null, err := d.object()
		switch {
		case err != nil:
			return nil, nil, r.failAt(p, err)
		case null:
			return nil, nil, r.badAt(p, "null", off, ErrMissing)
		}
		start := d.Offset()
		var typ, id string
		removal := provisioning.NotRemoved
		var mask uint64
		for {
			key, ok, err := d.Key()
			if err != nil {
				return nil, nil, r.failAt(p, err)
			}
			if !ok {
				break
			}
			switch string(key) {
			case "@odata.type":
				if err := r.seenAt(&mask, 0, p.member("@odata.type")); err != nil {
					return nil, nil, err
				}
				typ, err = r.identAt(p.member("@odata.type"), true)
			case "id":
				if err := r.seenAt(&mask, 1, p.member("id")); err != nil {
					return nil, nil, err
				}
				id, err = r.identAt(p.member("id"), true)
			case "@removed":
				if err := r.seenAt(&mask, 2, p.member("@removed")); err != nil {
					return nil, nil, err
				}
				removal, err = readRemoved(d, r, p.member("@removed"), p.member("@removed.reason"))
			default:
				if err := d.Skip(); err != nil {
					return nil, nil, r.failAt(p, err)
				}
			}
			if err != nil {
				return nil, nil, err
			}
		}
		switch {
		case id == "":
			return nil, nil, r.badAt(p.member("id"), "", start, ErrMissing)
		case typ == "":
			return nil, nil, r.badAt(p.member("@odata.type"), "", start, ErrMissing)
		}
		if k, dup := x.entries[id]; dup {
			return nil, nil, r.badAt(p.member("id"), id, start, explain(ErrDuplicate, "entry "+strconv.Itoa(k)+" of the list has this ID"))
		}
		x.entries[id] = j
		switch typ {
		case TypeUser, TypeServicePrincipal:
		case TypeGroup, typeDevice, typeOrgContact:
			continue
		default:
			return nil, nil, r.badAt(p.member("@odata.type"), typ, start, explain(ErrUnknown, "not a user, service principal, group, device or contact"))
		}
		if removal != provisioning.NotRemoved {
			removed = append(removed, id)
		} else {
			added = append(added, id)
		}
	}
}

// page reads one groups/delta page, refusing two items with one ID.
func (x *groupsDelta) page(at where) (Page[GroupDelta], error) {
	var p Page[GroupDelta]
	seen := map[string]int{}
	info, err := readPage(x.d, at, func(i int, start int64) error {
		r := rec{d: x.d, at: at, index: i, start: start}
		var g GroupDelta
		if err := x.item(&r, &g); err != nil {
			return err
		}
		if j, dup := seen[g.Group]; dup {
			return r.bad("id", g.Group, start, explain(ErrDuplicate, "item "+strconv.Itoa(j)+" of the page has this ID"))
		}
		seen[g.Group] = i
		p.Items = append(p.Items, g)
		return nil
	})
	p.NextLink, p.DeltaLink = info.next, info.delta
	if err == nil && contextNames(info.context, "users") {
		err = &Error{Source: at.String(), Index: -1, Field: "@odata.context", Value: cut(info.context), Offset: -1,
			Err: explain(ErrContradiction, "a page of users/delta, not of groups/delta")}
	}
	return p, err
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
	return readOne(r, srcGroupsDelta, func(d *dec) (Page[GroupDelta], error) {
		x := &groupsDelta{d: d, entries: map[string]int{}}
		return x.page(lone(srcGroupsDelta))
	})
}

// DecodeGroupsDelta is ReadGroupsDelta of data.
func DecodeGroupsDelta(data []byte) (Page[GroupDelta], error) {
	return ReadGroupsDelta(bytes.NewReader(data))
}

// AssignedRoles returns the fresh read of the directory role assignments that
// tenant.Delta's Roles takes, since delta queries do not track role
// assignments: assignments are every page of GET
// /roleManagement/directory/roleAssignments, and groupMembers holds, by
// group ID, the GET /groups/{id}/members pages of each role-assignable
// group an assignment names. The readings are those of a full read
// (ProvisioningUser, DecodeDirectory):
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
