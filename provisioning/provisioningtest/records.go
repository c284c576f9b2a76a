package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Roles are the security role names values are drawn from.
var Roles = []string{"Basic User", "Salesperson", "System Administrator"}

// Records returns a generator of valid records of every kind drawn as c
// says: regular, setup, read-only and non-interactive records of a user
// from ObjectIDs, application users, and the support, delegated-admin and
// stub records.
func (c Config) Records() *rapid.Generator[provisioning.Record] {
	return rapid.Custom(func(t *rapid.T) provisioning.Record {
		id := rapid.SampledFrom(ObjectIDs).Draw(t, "objectID")
		r := provisioning.Record{
			ObjectID: id,
			UPN:      id + "@contoso.com",
			Disabled: rapid.Bool().Draw(t, "disabled"),
			Roles:    rapid.SliceOfNDistinct(rapid.SampledFrom(Roles), 0, 2, rapid.ID[string]).Draw(t, "roles"),
		}
		switch kind := rapid.IntRange(0, 9).Draw(t, "kind"); {
		case kind == 0:
			r = provisioning.Record{UPN: usertype.SupportUPN, Mode: usertype.SupportUser}
		case kind == 1:
			r = provisioning.Record{UPN: usertype.DelegatedAdminUPN, Mode: usertype.DelegatedAdmin}
		case kind == 2:
			r = provisioning.Record{UPN: "old-" + id + "@contoso.com", Stub: true, Disabled: true, Roles: []string{"Basic User"}}
			if rapid.IntRange(0, 3).Draw(t, "stub of a user?") == 0 {
				// A stub may carry the object ID of the user it stands for:
				// it is that user's record, and the sync leaves it alone.
				r.ObjectID = id
			}
		case kind == 3 && weight(t, c.Application, "application?"):
			r.ApplicationID, r.UPN, r.Mode = "app-"+id, "", usertype.NonInteractive
		case weight(t, c.NonInteractive, "non-interactive?"):
			r.Mode = usertype.NonInteractive
		default:
			r.Mode = rapid.SampledFrom([]usertype.AccessMode{usertype.ReadWrite, usertype.ReadWrite, usertype.Administrative, usertype.Read}).Draw(t, "mode")
		}
		if r.ObjectID != "" && !r.Stub {
			r.Fields = Fields().Draw(t, "fields")
			r.Fields.Columns[syncfields.ObjectID] = r.ObjectID
		}
		if k, _ := r.Kind(); k.Synced() && weight(t, c.Teams, "in teams?") {
			r.Teams = rapid.SliceOfNDistinct(rapid.SampledFrom(Groups), 0, 2, rapid.ID[string]).Draw(t, "teams")
		}
		r.OwnedRecords = rapid.SampledFrom([]int{0, 0, 0, 1, 12}).Draw(t, "ownedRecords")
		if k, _ := r.Kind(); k != usertype.KindSupport && k != usertype.KindDelegatedAdmin && c.SoftDeleted > 0 && weight(t, c.SoftDeleted, "soft-deleted?") {
			// DEL-SOFT-EFFECT: disabled, without roles or teams.
			r.SoftDeleted, r.Disabled, r.Roles, r.Teams = true, true, nil, nil
		}
		return r
	})
}

// Snapshots returns a generator of valid tenant snapshots drawn as c says:
// users with distinct object IDs from ObjectIDs, one to three environments
// with distinct IDs, and for each environment records with distinct keys,
// the support and delegated-admin records among them as often as not.
func (c Config) Snapshots() *rapid.Generator[tenant.Snapshot] {
	return rapid.Custom(func(t *rapid.T) tenant.Snapshot {
		var s tenant.Snapshot
		for _, id := range ObjectIDs {
			if rapid.IntRange(0, 3).Draw(t, "has "+id) > 0 {
				u := c.Users().Draw(t, "user")
				u.ObjectID = id
				if u.UPN != "" {
					u.UPN = id + "@contoso.com"
				}
				u.Attributes = Attributes().Draw(t, "attributes")
				u.Attributes[syncfields.ObjectID] = id
				u.Attributes[syncfields.DomainName] = u.UPN
				s.Users = append(s.Users, u)
			}
		}
		envs := rapid.SliceOfNDistinct(c.Environments(), 1, 3, func(e provisioning.Environment) string { return e.ID }).Draw(t, "environments")
		s.Environments = envs
		s.Records = map[string][]provisioning.Record{}
		for _, env := range envs {
			records := rapid.SliceOfNDistinct(c.Records(), 0, 6, func(r provisioning.Record) string { return r.Key() }).Draw(t, "records "+env.ID)
			for i := range records {
				fitUser(&records[i], s.Users)
			}
			if len(records) > 0 {
				s.Records[env.ID] = records
			}
		}
		return s
	})
}

// fitUser makes r, when it belongs to one of users (provisioning.Match),
// a record that user can have: a service principal's is an application
// record of its application ID, and a user's carries none. A stub may
// stand for anyone.
func fitUser(r *provisioning.Record, users []provisioning.User) {
	for i := range users {
		u := &users[i]
		if !provisioning.Match(u, r) || r.Stub {
			continue
		}
		switch {
		case u.ApplicationID != "":
			r.ApplicationID, r.UPN, r.Mode = u.ApplicationID, "", usertype.NonInteractive
		case r.ApplicationID != "":
			r.ApplicationID, r.UPN = "", u.UPN
		}
	}
}
