package provisioningtest

import (
	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/tenant"
	"github.com/provisionrules/provisionrules/usertype"
)

// Snapshots returns a generator of valid tenant snapshots drawn as c says,
// valid and healthy as a whole: Snapshot.Validate accepts every one, its
// health check (tenant.Diagnose) finds no error, and tenant.Plan of it,
// under every trigger and with the default Options, plans it with no
// action in error (a snapshot of a Size in the hundreds may plan more
// disables than the default threshold, Options.MaxDisables).
//
// A snapshot is one tenant, its Tenant one of Tenants: each object ID of
// c.ObjectIDs is a directory user one time in two (Users), and one to
// three environments of that tenant (Environments) hold records. Each
// group of Groups is a security group or a Microsoft 365 group, and the
// snapshot lists them as its Groups one time in two (nil otherwise, which
// the health check warns of); an environment's security group is a
// security group, its group teams are of their groups' kinds, and it
// names its root business unit.
//
// In each environment, a user has its own record one time in two
// (Records), an object ID with no user has the record of a user gone one
// time in four, and the support record, the delegated-admin record and a
// stub of a user that never existed each come with weight c.NotSynced. No
// environment holds more than usertype.NonInteractiveLimit non-interactive
// records (a record drawn non-interactive beyond it is read-write), nor
// so many enabled records of users gone that the health check takes its
// records for another tenant's (CHK-RECORDS-FOREIGN: the last are
// disabled).
func (c Config) Snapshots() *rapid.Generator[tenant.Snapshot] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) tenant.Snapshot {
		var s tenant.Snapshot
		s.Tenant = rapid.SampledFrom(Tenants()).Draw(t, "tenant")
		kinds := map[string]provisioning.GroupKind{}
		groups := []tenant.Group{}
		for _, g := range Groups() {
			kinds[g] = rapid.SampledFrom(provisioning.GroupKinds()).Draw(t, "kind of "+g)
			groups = append(groups, tenant.Group{ID: g, Kind: kinds[g]})
		}
		if rapid.Bool().Draw(t, "groups given?") {
			s.Groups = groups
		}
		users := map[string]*provisioning.User{}
		for _, id := range ids {
			if rapid.Bool().Draw(t, "has "+id+"?") {
				s.Users = append(s.Users, c.userOf(id).Draw(t, id))
			}
		}
		for i := range s.Users {
			users[s.Users[i].ObjectID] = &s.Users[i]
		}
		s.Environments = rapid.SliceOfNDistinct(c.Environments(), 1, 3, func(e provisioning.Environment) string { return e.ID }).Draw(t, "environments")
		s.Records = map[string][]provisioning.Record{}
		for i := range s.Environments {
			env := &s.Environments[i]
			env.Tenant = s.Tenant
			if kinds[env.SecurityGroup] != provisioning.GroupKindSecurity {
				// CHK-GROUP-EXISTS: an environment's security group is a
				// security group.
				env.SecurityGroup = ""
			}
			for j := range env.Teams {
				env.Teams[j].Kind = kinds[env.Teams[j].Group]
			}
			if env.RootBusinessUnit == "" {
				// CHK-ROOT-BU: a create binds the root business unit.
				env.RootBusinessUnit = systemUserID(env.ID, "root business unit")
			}
			if records := c.environmentRecords(t, env, ids, users); len(records) > 0 {
				s.Records[env.ID] = records
			}
		}
		return s
	})
}

// environmentRecords draws the records of env, as Snapshots describes
// them, for the directory users of users by object ID.
func (c Config) environmentRecords(t *rapid.T, env *provisioning.Environment, ids []string, users map[string]*provisioning.User) []provisioning.Record {
	var records []provisioning.Record
	for _, special := range []string{usertype.SupportUPN, usertype.DelegatedAdminUPN} {
		if edge(t, c.NotSynced, special+"?") {
			records = append(records, wellKnown(special))
		}
	}
	if edge(t, c.NotSynced, "stub?") {
		records = append(records, provisioning.Record{UPN: "import-" + env.ID + "@contoso.com", Stub: true, Disabled: true,
			Roles: []string{stubRole(env)}})
	}
	nonInteractive := 0
	for _, id := range ids {
		u := users[id]
		if u != nil && !rapid.Bool().Draw(t, "record of "+id+"?") || u == nil && !edge(t, 25, "record of gone "+id+"?") {
			continue
		}
		r := c.recordOf(id, u, env, false).Draw(t, "record "+id)
		if k, _ := r.Kind(); k.CountsTowardLimit() {
			if nonInteractive == usertype.NonInteractiveLimit {
				r.Mode = usertype.ReadWrite
			} else {
				nonInteractive++
			}
		}
		records = append(records, r)
	}
	// CHK-RECORDS-FOREIGN: fewer than 10, or at most a tenth, of the
	// enabled records of users are of users gone; the sync would have
	// disabled the others (LIFE-DISABLE).
	backed, foreign := 0, 0
	gone := func(r *provisioning.Record) bool {
		return !r.Disabled && !r.SoftDeleted && !r.Stub && r.ObjectID != "" && users[r.ObjectID] == nil
	}
	for i := range records {
		if r := &records[i]; !r.Disabled && !r.SoftDeleted && !r.Stub && r.ObjectID != "" {
			backed++
			if gone(r) {
				foreign++
			}
		}
	}
	for i := len(records) - 1; i >= 0 && foreign >= 10 && foreign*10 > backed; i-- {
		if gone(&records[i]) {
			records[i].Disabled = true
			foreign--
			backed--
		}
	}
	return records
}

// wellKnown returns the support or the delegated-admin record, by its UPN.
func wellKnown(upn string) provisioning.Record {
	if upn == usertype.SupportUPN {
		return provisioning.Record{UPN: upn, Mode: usertype.SupportUser}
	}
	return provisioning.Record{UPN: upn, Mode: usertype.DelegatedAdmin}
}

// stubRole returns the role an imported stub gets in env (UT-STUB).
func stubRole(env *provisioning.Environment) string {
	if env.DynamicsApps {
		return "Salesperson"
	}
	return "Basic User"
}
