package provisioningtest

import (
	"strconv"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/syncfields"
)

// Deltas returns a generator of deltas of the directory of s, drawn as c
// says: changes of its users (account enabled or not, licenses, profile
// attributes, soft and hard removals and restores), new users, removals
// of users s does not hold, members and owners added to and removed from
// groups of Groups (unknown users among them), and now and then a fresh
// role read. Every delta applies to a State of s without error.
func (c Config) Deltas(s *tenant.Snapshot) *rapid.Generator[tenant.Delta] {
	c.check()
	return rapid.Custom(func(t *rapid.T) tenant.Delta {
		var d tenant.Delta
		seen := map[string]bool{}
		ids := []string{"u-new-0", "u-new-1", "u-unknown"}
		for _, u := range s.Users {
			ids = append(ids, u.ObjectID)
		}
		for _, u := range s.Users {
			if !rapid.Bool().Draw(t, "change "+u.ObjectID+"?") {
				continue
			}
			seen[u.ObjectID] = true
			ch := provisioning.UserChange{ObjectID: u.ObjectID}
			switch rapid.IntRange(0, 9).Draw(t, "removal") {
			case 0:
				ch.Removed = provisioning.SoftRemoved
			case 1:
				ch.Removed = provisioning.HardRemoved
			}
			if ch.Removed == provisioning.NotRemoved {
				if rapid.Bool().Draw(t, "enabled?") {
					v := rapid.Bool().Draw(t, "enabled")
					ch.Enabled = &v
				}
				if rapid.Bool().Draw(t, "licenses?") {
					l := rapid.SliceOfN(c.Licenses(), 0, 2).Draw(t, "licenses")
					ch.Licenses = &l
				}
				for _, col := range []syncfields.Column{syncfields.JobTitle, syncfields.City, syncfields.FirstName, syncfields.InternalEmailAddress} {
					if rapid.IntRange(0, 3).Draw(t, "change "+col.String()+"?") == 0 {
						ch.Columns = ch.Columns.With(col)
						ch.Attributes.Set(col, text().Draw(t, col.String()))
					}
				}
			}
			d.Users = append(d.Users, ch)
		}
		for i := range rapid.IntRange(0, 2).Draw(t, "new users") {
			id := "u-new-" + strconv.Itoa(i)
			upn, enabled, guest := id+"@contoso.com", rapid.Bool().Draw(t, "new enabled"), false
			l := rapid.SliceOfN(c.Licenses(), 0, 2).Draw(t, "new licenses")
			d.Users = append(d.Users, provisioning.UserChange{ObjectID: id, UPN: &upn, Enabled: &enabled, Guest: &guest, Licenses: &l})
			seen[id] = true
		}
		if rapid.Bool().Draw(t, "remove an unknown user?") && !seen["u-unknown"] {
			d.Users = append(d.Users, provisioning.UserChange{ObjectID: "u-unknown", Removed: rapid.SampledFrom([]provisioning.Removal{provisioning.SoftRemoved, provisioning.HardRemoved}).Draw(t, "how")})
		}
		for _, g := range rapid.SliceOfNDistinct(rapid.SampledFrom(Groups()), 0, 2, rapid.ID[string]).Draw(t, "groups") {
			gc := provisioning.GroupChange{Group: g}
			pick := func(label string) []string {
				return rapid.SliceOfNDistinct(rapid.SampledFrom(ids), 0, 2, rapid.ID[string]).Draw(t, label)
			}
			gc.MembersAdded, gc.MembersRemoved = pick("members added"), pick("members removed")
			gc.OwnersAdded, gc.OwnersRemoved = pick("owners added"), pick("owners removed")
			d.Groups = append(d.Groups, gc)
		}
		if edge(t, c.Admin, "role read?") {
			d.Roles = &provisioning.DirectoryRoles{Roles: map[string]provisioning.AdminRoles{}}
			for _, id := range rapid.SliceOfNDistinct(rapid.SampledFrom(ids), 0, 3, rapid.ID[string]).Draw(t, "admins") {
				d.Roles.Roles[id] = provisioning.AdminRoles(rapid.IntRange(1, 7).Draw(t, "roles"))
			}
		}
		d.UsersLink = "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=" + strconv.Itoa(rapid.IntRange(0, 99).Draw(t, "users token"))
		if rapid.Bool().Draw(t, "groups link?") {
			d.GroupsLink = "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=" + strconv.Itoa(rapid.IntRange(0, 99).Draw(t, "groups token"))
		}
		return d
	})
}
