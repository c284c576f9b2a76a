package wire

import (
	"errors"
	"io"
	"iter"
	"slices"

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
	// function took them (ReadDirectory).
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
}

// sections is a set of the top-level members of a tenant export.
type sections uint16

// The members of a tenant export.
const (
	sectionTenant sections = 1 << iota
	sectionUsers
	sectionServicePrincipals
	sectionRoleAssignments
	sectionLicenseDetails
	sectionMemberOf
	sectionTransitiveMemberOf
	sectionOwnedObjects
	sectionGroups
	sectionGroupMembers
	sectionGroupOwners
	sectionGroupMemberOf

	// relationSections say something about users: once all are read, a
	// user is complete as soon as it is read.
	relationSections = sectionTenant | sectionRoleAssignments | sectionLicenseDetails | sectionMemberOf |
		sectionTransitiveMemberOf | sectionOwnedObjects | sectionGroupMembers | sectionGroupOwners
)

// sectionNames are the JSON names of the sections, in their bits' order.
var sectionNames = []string{
	"tenantId", "users", "servicePrincipals", "roleAssignments", "licenseDetails", "memberOf",
	"transitiveMemberOf", "ownedObjects", "groups", "groupMembers", "groupOwners", "groupMemberOf",
}

// sectionOf returns the section of a top-level member name, or 0.
func sectionOf(name string) sections {
	for i, n := range sectionNames {
		if n == name {
			return 1 << i
		}
	}
	return 0
}

// name returns the JSON name of the first section of s.
func (s sections) name() string {
	for i, n := range sectionNames {
		if s&(1<<i) != 0 {
			return n
		}
	}
	return ""
}

const srcTenant = "tenant export"

// DecodeDirectory reads a whole-tenant export from r with the default
// Options, holding every user: an object holding "tenantId" and the
// Microsoft Graph responses, each a page or an array of pages: "users",
// "servicePrincipals", "roleAssignments" and "groups", and, keyed by user
// ID, "licenseDetails", "memberOf", "transitiveMemberOf" and
// "ownedObjects", and, keyed by group ID, "groupMembers", "groupOwners"
// and "groupMemberOf". Only "tenantId" is required. The README shows how
// to make one; ReadDirectory says how it is read.
func DecodeDirectory(r io.Reader) (*Directory, error) { return ReadDirectory(r, Options{}, nil) }

// ReadDirectory reads a whole-tenant export from r (see DecodeDirectory
// for its shape), streaming: it holds the groups, the relations and the
// users not yet complete, never the input. With yield nil it returns
// every user in Directory.Users; otherwise it passes each user to yield
// as soon as everything about it has been read, and keeps none. An error
// from yield stops the read and is returned as it is.
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
// *provisioning.FieldError). The users it returns or yields pass
// tenant.Snapshot.Check as a snapshot's Users.
//
// The readings are those of ProvisioningUser, with these sources for
// relations: "groupMembers" makes each user or service principal it lists
// a direct member of the group, and each group a direct member of it;
// "groupOwners" makes each user or service principal an owner; role
// assignments count only at directory scope "/", and one whose principal
// is a group gives its members GroupRoles, which do not count.
func ReadDirectory(r io.Reader, opts Options, yield func(provisioning.User) error) (*Directory, error) {
	t := &tenantReader{
		d:     newDec(r),
		a:     newAssembler(opts.Classifier),
		dir:   &Directory{},
		yield: yield,
		index: map[string]int32{},
	}
	if err := t.run(); err != nil {
		return nil, err
	}
	return t.dir, nil
}

// errStop ends a read whose iterator's consumer stopped.
var errStop = errors.New("wire: iteration stopped")

// Users returns an iterator over the users and service principals of the
// whole-tenant export r, each yielded as soon as everything about it has
// been read: ReadDirectory with a yield function, whose description of
// streaming and of the checks applies. At the first error the iterator
// yields it, with a zero User, and stops. Groups are not kept: use
// ReadDirectory with a yield function for them.
func Users(r io.Reader, opts Options) iter.Seq2[provisioning.User, error] {
	return func(yield func(provisioning.User, error) bool) {
		_, err := ReadDirectory(r, opts, func(u provisioning.User) error {
			if !yield(u, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(provisioning.User{}, err)
		}
	}
}

// side is what the read of a principal keeps beside its User until the
// principal is complete.
type side struct {
	f        facts
	assigned []AssignedLicense
	sp       bool // from servicePrincipals, not users
	page     int32
	index    int32
	offset   int64
}

// chunk is the number of principals in a chunk of a store.
const chunk = 1024

// store holds principals in chunks, so that a million of them never need
// a second copy of a growing array.
type store struct {
	users [][]provisioning.User
	sides [][]side
	n     int
}

// add appends a principal and returns it and its position.
func (s *store) add(sides bool) (*provisioning.User, *side, int) {
	c, k := s.n/chunk, s.n%chunk
	if k == 0 {
		s.users = append(s.users, make([]provisioning.User, chunk))
		if sides {
			s.sides = append(s.sides, make([]side, chunk))
		}
	}
	s.n++
	var sd *side
	if sides {
		sd = &s.sides[c][k]
	}
	return &s.users[c][k], sd, s.n - 1
}

// at returns the principal at position i.
func (s *store) at(i int) (*provisioning.User, *side) {
	return &s.users[i/chunk][i%chunk], &s.sides[i/chunk][i%chunk]
}

// tenantReader reads one whole-tenant export.
type tenantReader struct {
	d         *dec
	a         *assembler
	dir       *Directory
	yield     func(provisioning.User) error
	read      sections
	streaming bool             // every relation has been read
	index     map[string]int32 // principals by ID: position in held, or -1 once complete
	held      store            // the principals read, complete or not
	groupIDs  map[string]struct{}

	// Buffers reused from record to record.
	user        GraphUser
	enabled     bool
	sp          ServicePrincipal
	objects     []DirectoryObject
	license     LicenseDetails
	scratch     side
	scratchUser provisioning.User
	rec         rec    // the record being read
	keyAt       keyRef // the key of a keyed member being read
	cursor      int    // the held principal after the last a relation named
}

// keyRef is the place of the key of a keyed member's entry.
type keyRef struct {
	section string
	start   int64
}

// rec returns the place of the entry whose key is id.
func (k *keyRef) rec(d *dec, id string) rec {
	return rec{d: d, at: where{section: k.section, key: id, page: -1}, index: -1, start: k.start}
}

// run reads the export.
func (t *tenantReader) run() error {
	d := t.d
	t.a.held = t.heldFacts
	top := rec{d: d, at: lone(srcTenant), index: -1}
	null, err := d.object()
	if err != nil {
		return top.fail("", err)
	}
	if null {
		return &Error{Source: srcTenant, Index: -1, Offset: 0, Err: explain(ErrMissing, "the export is null")}
	}
	for {
		key, ok, err := d.Key()
		if err != nil {
			return top.fail("", err)
		}
		if !ok {
			break
		}
		name, off := string(key), d.Offset()
		sec := sectionOf(name)
		switch {
		case sec == 0:
			return top.bad(name, "", off, explain(ErrUnknown, "not a member of a tenant export"))
		case t.read&sec != 0:
			return top.bad(name, "", off, explain(ErrDuplicate, "member given twice"))
		}
		if err := t.section(sec); err != nil {
			return err
		}
		t.read |= sec
		if !t.streaming && t.read&relationSections == relationSections {
			if err := t.flush(); err != nil {
				return err
			}
		}
	}
	if err := finish(d, srcTenant); err != nil {
		return err
	}
	if t.a.tenant == "" {
		return &Error{Source: srcTenant, Index: -1, Field: "tenantId", Offset: -1, Err: ErrMissing}
	}
	if !t.streaming {
		if err := t.flush(); err != nil {
			return err
		}
	}
	if err := t.leftovers(); err != nil {
		return err
	}
	t.dir.Tenant = t.a.tenant
	t.dir.GroupMemberOf = make(map[string][]string, len(t.a.parents))
	for g, parents := range t.a.parents {
		t.dir.GroupMemberOf[g] = unique(parents, nil)
	}
	if t.yield == nil {
		// One array of the exact size, filled chunk by chunk, each chunk
		// let go once copied.
		t.dir.Users = make([]provisioning.User, t.held.n)
		for c := range t.held.users {
			copy(t.dir.Users[c*chunk:], t.held.users[c])
			t.held.users[c] = nil // let the chunk go now: memory only
		}
	}
	t.held = store{}
	return nil
}

// section reads the value of one top-level member.
func (t *tenantReader) section(sec sections) error {
	switch sec {
	case sectionTenant:
		r := rec{d: t.d, at: lone(srcTenant), index: -1, start: t.d.Offset()}
		id, err := r.ident("tenantId", true)
		if err != nil {
			return err
		}
		if id == "" {
			return r.missing("tenantId")
		}
		t.a.tenant = id
		return nil
	case sectionUsers:
		return t.records("users", t.user1)
	case sectionServicePrincipals:
		return t.records("servicePrincipals", t.servicePrincipal1)
	case sectionRoleAssignments:
		return t.records("roleAssignments", func(r *rec) error {
			var ra RoleAssignment
			if err := readRoleAssignment(t.d, r, &ra); err != nil {
				return err
			}
			t.a.addRoleAssignment(&ra)
			return nil
		})
	case sectionGroups:
		t.groupIDs = map[string]struct{}{}
		return t.records("groups", func(r *rec) error {
			var g Group
			if err := readGroup(t.d, r, &g); err != nil {
				return err
			}
			if _, dup := t.groupIDs[g.ID]; dup {
				return r.bad("id", g.ID, r.start, explain(ErrDuplicate, "another group of the export has this ID"))
			}
			t.groupIDs[g.ID] = struct{}{}
			t.dir.Groups = append(t.dir.Groups, g)
			return nil
		})
	case sectionLicenseDetails:
		return t.byUser(sec, func(f *facts, at where) error {
			f.hasDetails = true
			_, err := readPage(t.d, at, func(i int, start int64) error {
				r := rec{d: t.d, at: at, index: i, start: start}
				t.license = LicenseDetails{ServicePlans: t.license.ServicePlans[:0]}
				if err := readLicenseDetails(t.d, &r, &t.license); err != nil {
					return err
				}
				t.a.addLicense(f, &t.license)
				return nil
			})
			return err
		})
	case sectionMemberOf:
		return t.byUser(sec, func(f *facts, at where) error {
			return t.objectsPage(at, func(o *DirectoryObject) { f.addMemberOf(o) })
		})
	case sectionTransitiveMemberOf:
		return t.byUser(sec, func(f *facts, at where) error {
			return t.objectsPage(at, func(o *DirectoryObject) { f.addTransitive(o) })
		})
	case sectionOwnedObjects:
		return t.byUser(sec, func(f *facts, at where) error {
			return t.objectsPage(at, func(o *DirectoryObject) { f.addOwned(o) })
		})
	case sectionGroupMembers:
		return t.byGroup(sec, func(group string, o *DirectoryObject) { t.a.addGroupMember(group, o) })
	case sectionGroupOwners:
		return t.byGroup(sec, func(group string, o *DirectoryObject) { t.a.addGroupOwner(group, o) })
	case sectionGroupMemberOf:
		return t.byGroup(sec, func(group string, o *DirectoryObject) { t.a.addGroupMemberOf(group, o) })
	}
	return nil
}

// records reads the pages of section name, calling one for each record.
func (t *tenantReader) records(name string, one func(r *rec) error) error {
	return pages(t.d, lone(name), func(at where) error {
		_, err := readPage(t.d, at, func(i int, start int64) error {
			t.rec = rec{d: t.d, at: at, index: i, start: start}
			return one(&t.rec)
		})
		return err
	})
}

// heldFacts returns the facts of the principal id, read and not yet
// complete, or nil.
func (t *tenantReader) heldFacts(id string) *facts {
	f, _ := t.heldBytes([]byte(id))
	return f
}

// heldBytes returns the facts and the ID of the principal whose ID is id,
// read and not yet complete, or nil.
func (t *tenantReader) heldBytes(id []byte) (*facts, string) {
	// Exports list relations in the order of their users: try the one
	// after the last found before looking the ID up.
	if !t.streaming && t.cursor < t.held.n {
		if u, s := t.held.at(t.cursor); u.ObjectID == string(id) {
			t.cursor++
			return &s.f, u.ObjectID
		}
	}
	if pos, ok := t.index[string(id)]; ok && pos >= 0 {
		u, s := t.held.at(int(pos))
		t.cursor = int(pos) + 1
		return &s.f, u.ObjectID
	}
	return nil, ""
}

// user1 reads one user of "users".
func (t *tenantReader) user1(r *rec) error {
	t.user = GraphUser{}
	if err := readGraphUser(t.d, r, &t.user, &t.enabled); err != nil {
		return err
	}
	u, s, err := t.claim(r, t.user.ID)
	if err != nil {
		return err
	}
	*u = base(&t.user)
	s.assigned = t.user.AssignedLicenses
	return t.added(u, s)
}

// servicePrincipal1 reads one service principal of "servicePrincipals".
func (t *tenantReader) servicePrincipal1(r *rec) error {
	t.sp = ServicePrincipal{} // no field of the last one read is left; the required ones are all read anew
	if err := readServicePrincipal(t.d, r, &t.sp, &t.enabled); err != nil {
		return err
	}
	u, s, err := t.claim(r, t.sp.ID)
	if err != nil {
		return err
	}
	*u = baseServicePrincipal(&t.sp)
	s.sp = true
	return t.added(u, s)
}

// claim refuses a second user or service principal with one object ID,
// and returns where to put the principal: in the store when it must wait
// for relations or be kept, else in scratch space. Facts gathered for it
// before it was read move to its side.
func (t *tenantReader) claim(r *rec, id string) (*provisioning.User, *side, error) {
	if _, dup := t.index[id]; dup {
		return nil, nil, r.bad("id", id, r.start, explain(ErrDuplicate, "another user or service principal of the export has this ID"))
	}
	var u *provisioning.User
	var s *side
	switch {
	case !t.streaming:
		var pos int
		u, s, pos = t.held.add(true)
		t.index[id] = int32(pos)
	case t.yield == nil:
		u, _, _ = t.held.add(false)
		s = &t.scratch
		t.index[id] = -1
	default:
		u, s = &t.scratchUser, &t.scratch
		t.index[id] = -1
	}
	*s = side{page: int32(r.at.page), index: int32(r.index), offset: r.start}
	if f := t.a.take(id); f != nil {
		s.f = *f
	}
	return u, s, nil
}

// added completes a principal just read when every relation has been
// read; otherwise it waits in the store.
func (t *tenantReader) added(u *provisioning.User, s *side) error {
	if t.streaming {
		return t.complete(u, s)
	}
	return nil
}

// flush completes the held principals, in order, and streams from now on;
// it is called once.
func (t *tenantReader) flush() error {
	t.streaming = true
	for i := range t.held.n {
		u, s := t.held.at(i)
		t.index[u.ObjectID] = -1
		if err := t.complete(u, s); err != nil {
			return err
		}
		*s = side{}
		if t.yield != nil {
			*u = provisioning.User{}
		}
	}
	t.held.sides = nil
	if t.yield != nil {
		t.held = store{}
	}
	return nil
}

// complete adds its relations to principal u, checks it, and hands it on.
func (t *tenantReader) complete(u *provisioning.User, s *side) error {
	t.a.complete(u, s.assigned, &s.f)
	if s.sp {
		u.Licenses = nil
	}
	section := "users"
	if s.sp {
		section = "servicePrincipals"
	}
	if err := validate(u, where{section: section, page: int(s.page)}, int(s.index), s.offset); err != nil {
		return err
	}
	if t.yield != nil {
		return t.yield(*u)
	}
	return nil
}

// leftovers refuses relations listed for a user or service principal the
// export does not hold.
func (t *tenantReader) leftovers() error {
	if len(t.a.facts) == 0 {
		return nil
	}
	ids := make([]string, 0, len(t.a.facts))
	for id := range t.a.facts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	id := ids[0]
	return &Error{Source: t.a.facts[id].listed.name(), Index: -1, ID: id, Offset: -1,
		Err: explain(ErrUnknown, "listed for a user or service principal the export does not hold")}
}

// byUser reads a member keyed by user ID: for each user, a page or an
// array of pages, read by one with the user's facts.
func (t *tenantReader) byUser(sec sections, one func(f *facts, at where) error) error {
	return t.keyed(sec, func(key []byte) error {
		f, id := t.heldBytes(key)
		if f == nil {
			// Not read yet (or never): gather its facts by a new key.
			id = string(key)
			if err := t.checkKey(id); err != nil {
				return err
			}
			f = t.a.factsOf(id)
		}
		r := t.keyAt.rec(t.d, id)
		if f.listed&sec != 0 {
			return r.bad("", id, r.start, explain(ErrDuplicate, "user listed twice"))
		}
		f.listed |= sec
		return pages(t.d, r.at, func(at where) error { return one(f, at) })
	})
}

// byGroup reads a member keyed by group ID whose pages list directory
// objects, calling one for each object with the group's ID.
func (t *tenantReader) byGroup(sec sections, one func(group string, o *DirectoryObject)) error {
	seen := map[string]struct{}{}
	return t.keyed(sec, func(key []byte) error {
		id := t.d.intern(key)
		if err := t.checkKey(id); err != nil {
			return err
		}
		r := t.keyAt.rec(t.d, id)
		if _, dup := seen[id]; dup {
			return r.bad("", id, r.start, explain(ErrDuplicate, "group listed twice"))
		}
		seen[id] = struct{}{}
		return pages(t.d, r.at, func(at where) error {
			return t.objectsPage(at, func(o *DirectoryObject) { one(id, o) })
		})
	})
}

// checkKey refuses an empty key or one holding control or bidirectional
// formatting characters.
func (t *tenantReader) checkKey(id string) error {
	switch {
	case id == "":
		r := t.keyAt.rec(t.d, id)
		return r.bad("", "", r.start, explain(ErrMissing, "an empty ID"))
	case !ident.Valid(id):
		r := t.keyAt.rec(t.d, id)
		return r.bad("", id, r.start, explain(ErrMalformed, "an ID holding control or bidirectional formatting characters"))
	}
	return nil
}

// keyed reads an object whose members are keyed by an ID, calling one for
// each with the ID's bytes (valid until the next read), t.keyAt telling
// where the entry is.
func (t *tenantReader) keyed(sec sections, one func(key []byte) error) error {
	d := t.d
	name := sec.name()
	top := rec{d: d, at: lone(srcTenant), index: -1}
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
		t.keyAt = keyRef{section: name, start: d.Offset()}
		if err := one(key); err != nil {
			return err
		}
	}
}

// objectsPage reads one page of directory objects, then calls one for
// each.
func (t *tenantReader) objectsPage(at where, one func(o *DirectoryObject)) error {
	p, err := readDirectoryObjectsPage(t.d, at, t.objects)
	t.objects = p.Items
	if err != nil {
		return err
	}
	for i := range p.Items {
		one(&p.Items[i])
	}
	return nil
}
