package provisioningtest

import (
	"crypto/sha256"
	"fmt"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Records returns a generator of valid records of every kind drawn as c
// says, each of an object ID from c.ObjectIDs and of no environment in
// particular: regular, setup, read-only and non-interactive records,
// application users (weight c.Application) with an object ID or, one time
// in two, without, and the support, delegated-admin and stub records
// (weight c.NotSynced), a stub with its object ID or, one time in two,
// without.
//
// Every record is disabled or not; has up to two roles of Roles and, with
// weight c.Teams, some group teams (of Groups, or in an environment of
// its teams); owns 0, 1 or 12 records; is marked on demand with weight
// c.OnDemand, soft-deleted with weight c.SoftDeleted (then disabled,
// without role or team, DEL-SOFT-EFFECT); knows its systemuserid (a GUID
// of the environment and key) one time in two; and, for a record the sync
// writes, carries field-sync columns (every column blank or not, the
// email edited or not, up to three custom columns) whose object ID and
// domain name are its own, an application user's "#" as first name and a
// last name only (UT-APPLICATION). A stub is disabled; the support and
// delegated-admin records are enabled and carry nothing else.
//
// As for users, every value is drawn whatever the kind, so that shrinking
// a case off leaves the rest of the record as it was.
func (c Config) Records() *rapid.Generator[provisioning.Record] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) provisioning.Record {
		return c.recordOf(rapid.SampledFrom(ids).Draw(t, "objectID"), nil, nil, true).Draw(t, "record")
	})
}

// recordOf returns a generator of the records Records describes, of
// object ID id in environment env (nil for none in particular). When u is
// not nil the record is u's own (u.ObjectID is id): an application user's
// record carrying u's application ID when u is a service principal, and
// otherwise a regular, setup, read-only or non-interactive record, or a
// stub carrying u's object ID (weight c.NotSynced), with u's UPN or, one
// time in two, an older one. When u is nil the record's user is not in
// the directory, and the record is of any kind; the support and
// delegated-admin records only when wellKnown is set (an environment has
// one of each).
func (c Config) recordOf(id string, u *provisioning.User, env *provisioning.Environment, wellKnown bool) *rapid.Generator[provisioning.Record] {
	teamGroups := Groups()
	envID := ""
	if env != nil {
		teamGroups, envID = nil, env.ID
		for _, team := range env.Teams {
			teamGroups = append(teamGroups, team.Group)
		}
	}
	return rapid.Custom(func(t *rapid.T) provisioning.Record {
		notSynced := edge(t, c.NotSynced, "not synced?")
		which := rapid.IntRange(0, 2).Draw(t, "which")
		app := edge(t, c.Application, "application?")
		nonInteractive := edge(t, c.NonInteractive, "non-interactive?")
		mode := rapid.SampledFrom([]usertype.AccessMode{usertype.ReadWrite, usertype.ReadWrite, usertype.Administrative, usertype.Read}).Draw(t, "mode")
		withID := rapid.Bool().Draw(t, "object ID?")
		oldUPN := rapid.Bool().Draw(t, "older UPN?")
		r := provisioning.Record{
			ObjectID: id,
			UPN:      id + "@contoso.com",
			Disabled: rapid.Bool().Draw(t, "disabled"),
			Roles:    rapid.SliceOfNDistinct(rapid.SampledFrom(Roles()), 0, 2, rapid.ID[string]).Draw(t, "roles"),
		}
		inTeams := edge(t, c.Teams, "in teams?")
		var teams []string
		if len(teamGroups) > 0 {
			teams = rapid.SliceOfNDistinct(rapid.SampledFrom(teamGroups), 1, len(teamGroups), rapid.ID[string]).Draw(t, "teams")
		}
		r.OwnedRecords = rapid.SampledFrom([]int{0, 0, 0, 1, 12}).Draw(t, "ownedRecords")
		onDemand := edge(t, c.OnDemand, "on demand?")
		softDeleted := edge(t, c.SoftDeleted, "soft-deleted?")
		knownID := rapid.Bool().Draw(t, "systemuserid known?")
		f := fields().Draw(t, "fields")

		if u != nil {
			r.UPN = u.UPN
			if oldUPN && u.UPN != "" {
				r.UPN = "old." + u.UPN
			}
		}
		switch {
		case u != nil && u.ApplicationID != "":
			r.ApplicationID, r.UPN, r.Mode = u.ApplicationID, "", usertype.NonInteractive
		case notSynced && (u != nil || which == 2 || !wellKnown):
			r.UPN, r.Stub, r.Disabled, r.Mode = "old-"+id+"@contoso.com", true, true, usertype.ReadWrite
			if u == nil && !withID {
				r.ObjectID = ""
			}
		case notSynced && which == 0:
			r = provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser}
		case notSynced:
			r = provisioning.Record{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin}
		case app && u == nil:
			r.ApplicationID, r.UPN, r.Mode = "app-"+id, "", usertype.NonInteractive
			if !withID {
				r.ObjectID = ""
			}
		case nonInteractive:
			r.Mode = usertype.NonInteractive
		default:
			r.Mode = mode
		}
		k, _ := r.Kind()
		if k.Synced() {
			if inTeams {
				r.Teams = teams
			}
			r.OnDemand = onDemand
			r.Fields = f
			if k == usertype.KindApplication {
				// UT-APPLICATION: "#" as first name, the application's name
				// as last name, and no other profile column.
				r.Fields = syncfields.Fields{Custom: f.Custom}
				r.Fields.Columns.Set(syncfields.FirstName, "#")
				r.Fields.Columns.Set(syncfields.LastName, f.Columns.Get(syncfields.LastName))
			}
			r.Fields.Columns.Set(syncfields.ObjectID, r.ObjectID)
			r.Fields.Columns.Set(syncfields.DomainName, r.UPN)
		}
		if softDeleted && k != usertype.KindSupport && k != usertype.KindDelegatedAdmin {
			r.SoftDeleted, r.Disabled, r.Roles, r.Teams = true, true, nil, nil
		}
		if knownID {
			r.SystemUserID = systemUserID(envID, r.Key())
		}
		return r
	})
}

// systemUserID returns the systemuserid the generators give the record
// with key in environment env: a version 4 GUID made from both, so that
// it is the same for the same record and differs between records. The
// generators make other IDs of the same kind this way too.
func systemUserID(env, key string) string {
	h := sha256.Sum256([]byte(env + "\x00" + key))
	h[6] = h[6]&0x0f | 0x40
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
