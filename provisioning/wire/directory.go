package wire

import (
	"io"
	"runtime"
	"slices"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
)

// Directory is one tenant as a whole-tenant export describes it: its
// users and service principals as provisioning.User values, and its
// groups, which group teams need.
type Directory struct {
	// Tenant is the export's tenantId: every license read was assigned in
	// it.
	Tenant string
	// Users are the users and service principals, in the order of the
	// export, each passing provisioning's Validate; empty when a yield
	// function took them (see ReadDirectory).
	Users []provisioning.User
	// Groups are the groups of the export's "groups" pages, in order.
	Groups []Group
	// GroupMemberOf holds, by group ID, the IDs of the groups that group
	// is a direct member of, from "groupMemberOf" and from the group
	// entries of "groupMembers" (GT-SG).
	GroupMemberOf map[string][]string
}

// Options set how a whole-tenant export is read.
type Options struct {
	// Classifier classifies the licenses; nil means DefaultClassifier().
	Classifier *Classifier
	// Workers is how many goroutines read the export: 0 means
	// runtime.GOMAXPROCS(0), and 1 reads it on the calling goroutine
	// alone. With n > 1, the calling goroutine reads the input and puts
	// the users together, one more goroutine finds the users and the
	// relations' entries in the input, and n-1 read them (see
	// ReadDirectory). Whatever the number, the users, their order and the
	// errors are the same.
	Workers int
}

// workers returns how many goroutines read the records ahead of the
// calling one: none for a read on one goroutine.
func (o *Options) workers() int {
	n := o.Workers
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	if n <= 1 {
		return 0
	}
	return n - 1
}

// sections is a set of the members of an export that list records by ID.
type sections uint8

const (
	sectionLicenseDetails sections = 1 << iota
	sectionMemberOf
	sectionTransitiveMemberOf
	sectionOwnedObjects
	sectionGroupMembers
	sectionGroupOwners
	sectionSoftDeleted
	sectionOwnedRecords
)

// name returns the JSON name of the first section of s.
func (s sections) name() string {
	for i, n := range []string{"licenseDetails", "memberOf", "transitiveMemberOf", "ownedObjects",
		"groupMembers", "groupOwners", "softDeleted", "ownedRecords"} {
		if s&(1<<i) != 0 {
			return n
		}
	}
	return ""
}

const srcTenant = "tenant export"

// ReadDirectory reads a whole-tenant export from r, streaming: an object
// holding "tenantId" and the Microsoft Graph responses, each a page or an
// array of pages: "users", "servicePrincipals", "roleAssignments" and
// "groups", and, keyed by user ID, "licenseDetails", "memberOf",
// "transitiveMemberOf" and "ownedObjects", and, keyed by group ID,
// "groupMembers", "groupOwners" and "groupMemberOf". Only "tenantId" is
// required. The README shows how to make one.
//
// It passes each user and service principal to yield as soon as
// everything about it has been read, and keeps none; it returns the
// tenant, its groups and their memberships. With yield nil, it collects
// the users into Directory.Users instead. An error from yield stops the
// read and is returned as it is. The read holds the groups, the relations
// and the users not yet complete, never the input.
//
// The read of a long export takes as many cores as opts.Workers says:
// while the calling goroutine reads the export in order, checking
// everything and putting each user together, other goroutines read ahead
// the users and the entries of licenseDetails, memberOf,
// transitiveMemberOf and ownedObjects, which it takes instead of reading
// them again. It reads r on the calling goroutine, at most a window ahead
// of where it is (a sixteenth of what it has read, and 8 MiB at most), so
// that an export streams as it does on one goroutine, and starts the
// others once it has read 256 KiB; it returns once none of them runs.
//
// When a user is complete depends on the order of the export's members.
// The relations ("tenantId", "roleAssignments", "licenseDetails",
// "memberOf", "transitiveMemberOf", "ownedObjects", "groupMembers",
// "groupOwners") may each say something of any user, so a user read
// before all of them is held until the last of them has been read, or to
// the end of the export when one is absent: an export with "users" first
// holds every user until its end (memory still bounded by the decoded
// users, not by the input). An export that writes every relation first,
// with {} for one it has none of, streams its users with no holding; only
// the relations are held, each until its user is read.
//
// The export is refused, as an *Error naming the place, the record and
// the field, when: it is not one JSON object, or has data after it, or
// nests too deep; a member is unknown or given twice; tenantId is absent;
// two users or service principals share an object ID; a user, service
// principal, license, directory object, role assignment or group is null,
// malformed or lacks a required field (see the Read functions of each);
// an identifier holds control or bidirectional formatting characters; a
// relation names a user or service principal the export does not hold; a
// user fails provisioning's Validate (the *Error then wraps the
// *provisioning.FieldError). The users it yields pass
// tenant.Snapshot.Check as a snapshot's Users.
//
// The readings are those of ProvisioningUser, with these sources for
// relations: "groupMembers" makes each user or service principal it lists
// a direct member of the group, and each group a direct member of it;
// "groupOwners" makes each user or service principal an owner; role
// assignments count only at directory scope "/", and one whose principal
// is a group gives its members GroupRoles, which do not count.
func ReadDirectory(r io.Reader, opts Options, yield func(provisioning.User) error) (*Directory, error) {
	t := &tenantReader{a: newAssembler(opts.Classifier)}
	return t.read(r, opts.workers(), yield)
}

// read reads the export from r, with workers goroutines reading ahead.
func (t *tenantReader) read(r io.Reader, workers int, yield func(provisioning.User) error) (*Directory, error) {
	if workers > 0 {
		t.ahead = newAhead(r, workers, t.a.memo.c)
		defer t.ahead.close()
		r = t.ahead
	}
	t.begin(r, yield, len(tenantRelations), t.complete)
	t.p.reset(t.d, &t.a.memo)
	t.sp.AccountEnabled = &t.enabled
	if err := readExport(t.d, &t.top, srcTenant, tenantExport, t); err != nil {
		return nil, err
	}
	if t.a.tenant == "" {
		return nil, &Error{Source: srcTenant, Index: -1, Field: "tenantId", Offset: -1, Err: provisioning.ErrMissing}
	}
	users, err := t.end(func(f *facts) sections { return f.listed }, "listed for a user or service principal the export does not hold")
	if err != nil {
		return nil, err
	}
	t.dir.Tenant, t.dir.Users = t.a.tenant, users
	t.dir.GroupMemberOf = make(map[string][]string, len(t.a.parents))
	for g, parents := range t.a.parents {
		t.dir.GroupMemberOf[g] = unique(parents, nil)
	}
	dir := t.dir // not &t.dir, which would keep the whole reader alive
	return &dir, nil
}

// tenantReader reads one whole-tenant export.
type tenantReader struct {
	export[provisioning.User, facts]
	a   *assembler
	dir Directory
	// p reads the users and the entries of the relations keyed by user,
	// those that ahead, when set, has not read.
	p     parser
	ahead *ahead

	// Buffers reused from record to record.
	next    readUser
	sp      ServicePrincipal
	enabled bool
	ra      RoleAssignment
}

// parser reads the records of a whole-tenant export that need nothing
// read before them to be read: the user objects, and the entries of the
// relations keyed by user (licenseDetails, memberOf, transitiveMemberOf
// and ownedObjects).
type parser struct {
	d    *dec
	memo *classifyMemo

	// Buffers reused from record to record.
	user     GraphUser
	enabled  bool
	license  LicenseDetails
	licenses []provisioning.License
	object   DirectoryObject
	objects  []DirectoryObject
}

// reset readies p to read from d, classifying licenses with memo.
func (p *parser) reset(d *dec, memo *classifyMemo) {
	*p = parser{d: d, memo: memo}
	p.user.AccountEnabled = &p.enabled
}

// readUser is a user object read: the user before its relations, and its
// assignedLicenses.
type readUser struct {
	u        provisioning.User
	assigned []AssignedLicense
}

// readUser reads the user object of record r, at the decoder, into dst.
func (p *parser) readUser(r *rec, dst *readUser) error {
	if err := record(p.d, r, graphUser, &p.user); err != nil {
		return err
	}
	dst.u, dst.assigned = base(&p.user), p.user.AssignedLicenses
	p.user = GraphUser{AccountEnabled: &p.enabled}
	return nil
}

// userObjects are, for each relation keyed by user that lists directory
// objects, the reader of an object and the list of the user's facts it
// adds to.
var userObjects = map[sections]struct {
	add  func(*facts, *DirectoryObject)
	list func(*facts) *[]string
}{
	sectionMemberOf:           {(*facts).addMemberOf, func(f *facts) *[]string { return &f.groups }},
	sectionTransitiveMemberOf: {(*facts).addTransitive, func(f *facts) *[]string { return &f.nested }},
	sectionOwnedObjects:       {(*facts).addOwned, func(f *facts) *[]string { return &f.owned }},
}

// entry reads a user's entry of relation sec, at the decoder: a page or
// an array of pages, at at, whose records go to f. The lists of f grow
// once a page, to what the page holds: a user kept is held in lists of
// the size it needs.
func (p *parser) entry(sec sections, at where, f *facts) error {
	return pages(p.d, at, func(at where) error {
		if sec != sectionLicenseDetails {
			r := userObjects[sec]
			list := r.list(f)
			return p.objectsPage(at, func(n int) { *list = slices.Grow(*list, n) }, func(o *DirectoryObject) { r.add(f, o) })
		}
		f.hasDetails = true
		p.licenses = p.licenses[:0]
		_, err := items(p.d, at, licenseDetails, &p.license, func(*rec) error {
			p.licenses = append(p.licenses, p.memo.details(&p.license))
			p.license = LicenseDetails{ServicePlans: p.license.ServicePlans[:0]}
			return nil
		})
		f.licenses = append(slices.Grow(f.licenses, len(p.licenses)), p.licenses...)
		return err
	})
}

// objectsPage reads one page of directory objects, then calls grow with
// their number and one for each.
func (p *parser) objectsPage(at where, grow func(n int), one func(o *DirectoryObject)) error {
	page, err := objectsPage(p.d, at, p.objects, &p.object)
	p.objects = page.Items
	if err != nil {
		return err
	}
	if grow != nil {
		grow(len(page.Items))
	}
	for i := range page.Items {
		one(&page.Items[i])
	}
	return nil
}

// tenantRelations are the members that say something of users, each read
// through related: once all are read, a user is complete as soon as it is
// read.
var tenantRelations = []string{"tenantId", "roleAssignments", "licenseDetails", "memberOf", "transitiveMemberOf",
	"ownedObjects", "groupMembers", "groupOwners"}

// tenantExport is the shape of a whole-tenant export.
var tenantExport = shape[tenantReader]{
	members: []member[tenantReader]{
		{name: "tenantId", read: (*tenantReader).tenantID},
		{name: "users", read: func(t *tenantReader, _ *val) error {
			return pages(t.d, lone("users"), func(at where) error {
				_, err := readPage(t.d, at, t.addUser)
				return err
			})
		}},
		{name: "servicePrincipals", read: func(t *tenantReader, _ *val) error {
			return sectionPages(t.d, "servicePrincipals", servicePrincipal, &t.sp, t.addServicePrincipal)
		}},
		{name: "roleAssignments", read: func(t *tenantReader, _ *val) error { return t.related(t.roleAssignments()) }},
		{name: "groups", read: func(t *tenantReader, _ *val) error {
			return collect(t.d, "groups", group, &t.dir.Groups, "another group of the export has this ID")
		}},
		{name: "licenseDetails", read: func(t *tenantReader, _ *val) error { return t.related(t.byUser(sectionLicenseDetails)) }},
		{name: "memberOf", read: func(t *tenantReader, _ *val) error { return t.related(t.byUser(sectionMemberOf)) }},
		{name: "transitiveMemberOf", read: func(t *tenantReader, _ *val) error { return t.related(t.byUser(sectionTransitiveMemberOf)) }},
		{name: "ownedObjects", read: func(t *tenantReader, _ *val) error { return t.related(t.byUser(sectionOwnedObjects)) }},
		{name: "groupMembers", read: func(t *tenantReader, _ *val) error { return t.related(t.byGroup("groupMembers", t.addGroupMember)) }},
		{name: "groupOwners", read: func(t *tenantReader, _ *val) error { return t.related(t.byGroup("groupOwners", t.addGroupOwner)) }},
		{name: "groupMemberOf", read: func(t *tenantReader, _ *val) error { return t.byGroup("groupMemberOf", t.a.addGroupMemberOf) }},
	},
	other: func(_ *tenantReader, x *val, key []byte) error {
		x.name = string(key)
		return x.bad("", x.d.Offset(), errtext.Explain(provisioning.ErrUnknown, "not a member of a tenant export"))
	},
}.table()

// tenantID reads "tenantId".
func (t *tenantReader) tenantID(x *val) error {
	off := x.d.valueOffset()
	if err := x.shared(&t.a.tenant); err != nil {
		return err
	}
	if t.a.tenant == "" {
		return x.bad("", off, provisioning.ErrMissing)
	}
	return t.related(nil)
}

// related ends the read of a relation member, whose error is err.
func (t *tenantReader) related(err error) error {
	if err != nil {
		return err
	}
	return t.j.related()
}

// addUser reads the user of record r of a page, and takes it.
func (t *tenantReader) addUser(r *rec) error {
	read, err := t.ahead.user(t.d, r)
	if err != nil {
		return err
	}
	if read == nil {
		if err := t.p.readUser(r, &t.next); err != nil {
			return err
		}
		read = &t.next
	}
	u, e, err := t.claim(r, read.u.ObjectID)
	if err != nil {
		return err
	}
	*u, e.facts.assigned = read.u, read.assigned
	return t.j.added(u, e)
}

// addServicePrincipal takes the service principal just read.
func (t *tenantReader) addServicePrincipal(r *rec) error {
	u, e, err := t.claim(r, t.sp.ID)
	if err != nil {
		return err
	}
	*u = baseServicePrincipal(&t.sp)
	e.facts.sp = true
	t.sp = ServicePrincipal{AccountEnabled: &t.enabled}
	return t.j.added(u, e)
}

// claim refuses a second user or service principal with one object ID,
// and returns where to store the principal, and its entry in the join.
func (t *tenantReader) claim(r *rec, id string) (*provisioning.User, *entry[facts], error) {
	u, e, _, ok := t.j.add(id, r)
	if !ok {
		return nil, nil, r.bad("id", id, r.start, errtext.Explain(provisioning.ErrDuplicate, "another user or service principal of the export has this ID"))
	}
	return u, e, nil
}

// complete adds its relations to a principal, checks it, and hands it on.
func (t *tenantReader) complete(u *provisioning.User, e *entry[facts]) error {
	t.a.complete(u, e.facts.assigned, &e.facts)
	section := "users"
	if e.facts.sp {
		u.Licenses, section = nil, "servicePrincipals"
	}
	if err := validate(u, where{section: section, page: int(e.page)}, int(e.index), e.offset); err != nil {
		return err
	}
	return t.hand(u)
}

// roleAssignments reads "roleAssignments".
func (t *tenantReader) roleAssignments() error {
	return sectionPages(t.d, "roleAssignments", roleAssignment, &t.ra, func(*rec) error {
		t.a.addRoleAssignment(&t.ra)
		t.ra = RoleAssignment{}
		return nil
	})
}

// byUser reads relation sec, keyed by user ID: for each user, a page or
// an array of pages, read into the user's facts.
func (t *tenantReader) byUser(sec sections) error {
	return keyed(t.d, &t.top, sec.name(), func(key []byte, start int64) error {
		k := keyRef{section: sec.name(), start: start}
		f, id := t.j.facts(key)
		if f == nil {
			// Not read yet (or never): gather its facts by a new key.
			id = string(key)
			if err := k.check(t.d, id); err != nil {
				return err
			}
			f = t.j.factsOf(id)
		}
		r := k.rec(t.d, id)
		if f.listed&sec != 0 {
			return r.bad("", id, r.start, errtext.Explain(provisioning.ErrDuplicate, "user listed twice"))
		}
		f.listed |= sec
		if ok, err := t.ahead.entry(t.d, sec, r.at, f); ok || err != nil {
			return err
		}
		return t.p.entry(sec, r.at, f)
	})
}

// byGroup reads a member keyed by group ID whose pages list directory
// objects, calling one for each object with the group's ID.
func (t *tenantReader) byGroup(name string, one func(group string, o *DirectoryObject)) error {
	seen := map[string]struct{}{}
	return keyed(t.d, &t.top, name, func(key []byte, start int64) error {
		k := keyRef{section: name, start: start}
		id := t.d.intern(key)
		if err := k.check(t.d, id); err != nil {
			return err
		}
		r := k.rec(t.d, id)
		if _, dup := seen[id]; dup {
			return r.bad("", id, r.start, errtext.Explain(provisioning.ErrDuplicate, "group listed twice"))
		}
		seen[id] = struct{}{}
		return pages(t.d, r.at, func(at where) error {
			return t.p.objectsPage(at, nil, func(o *DirectoryObject) { one(id, o) })
		})
	})
}

// addGroupMember adds an entry of group's members list: a user or service
// principal becomes a direct member of group, a group a direct child of
// it; other objects (devices, contacts) are left out.
func (t *tenantReader) addGroupMember(group string, o *DirectoryObject) {
	if f := t.listed(o, sectionGroupMembers); f != nil {
		f.groups = append(f.groups, group)
	} else if o.ODataType == TypeGroup {
		t.a.parents[o.ID] = append(t.a.parents[o.ID], group)
	}
}

// addGroupOwner adds an entry of group's owners list.
func (t *tenantReader) addGroupOwner(group string, o *DirectoryObject) {
	if f := t.listed(o, sectionGroupOwners); f != nil {
		f.owned = append(f.owned, group)
	}
}

// listed returns the facts of o when it is a user or service principal,
// which sec lists; nil otherwise.
func (t *tenantReader) listed(o *DirectoryObject, sec sections) *facts {
	if o.ODataType != TypeUser && o.ODataType != TypeServicePrincipal {
		return nil
	}
	f := t.j.factsOf(o.ID)
	f.listed |= sec
	return f
}

// check refuses an empty key or one holding control or bidirectional
// formatting characters.
func (k keyRef) check(d *dec, id string) error {
	r := k.rec(d, id)
	switch {
	case id == "":
		return r.bad("", "", r.start, errtext.Explain(provisioning.ErrMissing, "an empty ID"))
	case !ident.Valid(id):
		return r.bad("", id, r.start, errtext.Explain(provisioning.ErrMalformed, "an ID holding control or bidirectional formatting characters"))
	}
	return nil
}

// keyRef is the place of the key of a keyed member's entry.
type keyRef struct {
	section string
	start   int64
}

// rec returns the place of the entry whose key is id.
func (k keyRef) rec(d *dec, id string) rec {
	return rec{d: d, at: where{section: k.section, key: id, page: -1}, index: -1, start: k.start}
}

// keyed reads an export's member name, an object whose members are keyed
// by an ID, calling one for each with the ID's bytes in canonical form
// (see dec.canonical; valid until the next read) and the offset of its
// value.
func keyed(d *dec, top *rec, name string, one func(key []byte, start int64) error) error {
	null, err := d.object()
	if err != nil {
		return top.fail(name, err)
	}
	if null {
		return top.bad(name, "null", d.Offset(), &typeError{got: "null", want: "an object"})
	}
	for {
		key, ok, err := d.Key()
		if err != nil {
			return top.fail(name, err)
		}
		if !ok {
			return nil
		}
		if err := one(d.canonical(key), d.Offset()); err != nil {
			return err
		}
	}
}
