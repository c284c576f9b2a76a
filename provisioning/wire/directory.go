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
		ids:   map[string]struct{}{},
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

// pending is a user read and not yet complete.
type pending struct {
	u        provisioning.User
	assigned []AssignedLicense
	at       where
	index    int
	offset   int64
}

// tenantReader reads one whole-tenant export.
type tenantReader struct {
	d         *dec
	a         *assembler
	dir       *Directory
	yield     func(provisioning.User) error
	read      sections
	streaming bool                // every relation has been read
	ids       map[string]struct{} // users' and service principals' IDs
	held      []pending
	groupIDs  map[string]struct{}

	// Buffers reused from record to record.
	user    GraphUser
	enabled bool
	sp      ServicePrincipal
	objects []DirectoryObject
	license LicenseDetails
}

// run reads the export.
func (t *tenantReader) run() error {
	d := t.d
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
	if err := t.flush(); err != nil {
		return err
	}
	if err := t.leftovers(); err != nil {
		return err
	}
	t.dir.Tenant = t.a.tenant
	t.dir.GroupMemberOf = make(map[string][]string, len(t.a.parents))
	for g, parents := range t.a.parents {
		t.dir.GroupMemberOf[g] = unique(parents, nil)
	}
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
			r := rec{d: t.d, at: at, index: i, start: start}
			return one(&r)
		})
		return err
	})
}

// user1 reads one user of "users".
func (t *tenantReader) user1(r *rec) error {
	t.user = GraphUser{}
	if err := readGraphUser(t.d, r, &t.user, &t.enabled); err != nil {
		return err
	}
	if err := t.claim(r, t.user.ID); err != nil {
		return err
	}
	return t.add(pending{u: base(&t.user), assigned: t.user.AssignedLicenses, at: r.at, index: r.index, offset: r.start})
}

// servicePrincipal1 reads one service principal of "servicePrincipals".
func (t *tenantReader) servicePrincipal1(r *rec) error {
	t.sp = ServicePrincipal{}
	if err := readServicePrincipal(t.d, r, &t.sp, &t.enabled); err != nil {
		return err
	}
	if err := t.claim(r, t.sp.ID); err != nil {
		return err
	}
	return t.add(pending{u: baseServicePrincipal(&t.sp), at: r.at, index: r.index, offset: r.start})
}

// claim refuses a second user or service principal with one object ID.
func (t *tenantReader) claim(r *rec, id string) error {
	if _, dup := t.ids[id]; dup {
		return r.bad("id", id, r.start, explain(ErrDuplicate, "another user or service principal of the export has this ID"))
	}
	t.ids[id] = struct{}{}
	return nil
}

// add completes p now when every relation has been read, and holds it
// otherwise.
func (t *tenantReader) add(p pending) error {
	if t.streaming {
		return t.complete(&p)
	}
	t.held = append(t.held, p)
	return nil
}

// flush completes the held users, in order, and streams from now on.
func (t *tenantReader) flush() error {
	t.streaming = true
	for i := range t.held {
		if err := t.complete(&t.held[i]); err != nil {
			return err
		}
		t.held[i] = pending{}
	}
	t.held = nil
	return nil
}

// complete adds its relations to p's user, checks it, and hands it on.
func (t *tenantReader) complete(p *pending) error {
	f := t.a.facts[p.u.ObjectID]
	delete(t.a.facts, p.u.ObjectID)
	t.a.complete(&p.u, p.assigned, f)
	if err := validate(&p.u, p.at.String(), p.index, p.offset); err != nil {
		return err
	}
	if t.yield != nil {
		return t.yield(p.u)
	}
	t.dir.Users = append(t.dir.Users, p.u)
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
	return t.keyed(sec, false, func(id string, keyAt rec) error {
		f := t.a.factsOf(id)
		if f.listed&sec != 0 {
			return keyAt.bad("", id, keyAt.start, explain(ErrDuplicate, "user listed twice"))
		}
		f.listed |= sec
		return pages(t.d, keyAt.at, func(at where) error { return one(f, at) })
	})
}

// byGroup reads a member keyed by group ID whose pages list directory
// objects, calling one for each object with the group's ID.
func (t *tenantReader) byGroup(sec sections, one func(group string, o *DirectoryObject)) error {
	seen := map[string]struct{}{}
	return t.keyed(sec, true, func(id string, keyAt rec) error {
		if _, dup := seen[id]; dup {
			return keyAt.bad("", id, keyAt.start, explain(ErrDuplicate, "group listed twice"))
		}
		seen[id] = struct{}{}
		return pages(t.d, keyAt.at, func(at where) error {
			return t.objectsPage(at, func(o *DirectoryObject) { one(id, o) })
		})
	})
}

// keyed reads an object whose members are keyed by an ID, calling one for
// each with the ID (interned when intern, for IDs that recur) and the
// place of its value.
func (t *tenantReader) keyed(sec sections, intern bool, one func(id string, keyAt rec) error) error {
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
		var id string
		if intern {
			id = d.intern(key)
		} else {
			id = string(key)
		}
		keyAt := rec{d: d, at: where{section: name, key: id, page: -1}, index: -1, start: d.Offset()}
		switch {
		case id == "":
			return keyAt.bad("", "", keyAt.start, explain(ErrMissing, "an empty ID"))
		case !ident.Valid(id):
			return keyAt.bad("", id, keyAt.start, explain(ErrMalformed, "an ID holding control or bidirectional formatting characters"))
		}
		if err := one(id, keyAt); err != nil {
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
