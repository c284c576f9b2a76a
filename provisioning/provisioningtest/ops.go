package provisioningtest

import (
	"fmt"
	"strings"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Op is one operation on an environment's records, as a state machine
// applies it to a provisioning.Org: the method of Org it calls, by name,
// and that method's arguments.
type Op struct {
	// Name is the method of provisioning.Org, as OpError.Op names it:
	// MarkNonInteractive, SetAccessMode, AssignRole, RemoveRoles,
	// ImportStub, Sync, SyncGone, Access, AddTeam, SetTeamRoles,
	// DeleteTeamGroup, RemoveTeamMember, SoftDelete or PermanentDelete.
	Name string
	// Key is the key of the record the operation names (ImportStub's
	// UPN).
	Key string
	// Mode is SetAccessMode's access mode.
	Mode usertype.AccessMode
	// Role is AssignRole's security role.
	Role string
	// User is the directory user of Sync and Access, and SoftDelete's:
	// nil there when the directory holds none.
	User *provisioning.User
	// Trigger is the trigger of Sync and SyncGone.
	Trigger provisioning.Trigger
	// Team is AddTeam's group team.
	Team provisioning.GroupTeam
	// Group is the group of SetTeamRoles, DeleteTeamGroup and
	// RemoveTeamMember.
	Group string
	// TeamRoles are SetTeamRoles's roles.
	TeamRoles []provisioning.TeamRole
}

// opNames are the operations Ops draws, by method name.
func opNames() []string {
	return []string{"MarkNonInteractive", "SetAccessMode", "AssignRole", "RemoveRoles", "ImportStub", "Sync", "SyncGone",
		"Access", "AddTeam", "SetTeamRoles", "DeleteTeamGroup", "RemoveTeamMember", "SoftDelete", "PermanentDelete"}
}

// Apply calls the method of o that op names with op's arguments, and
// returns the next state and the method's error: for Sync and SyncGone,
// which return none, the action's Err. A refused operation returns o
// itself. A Name that is no operation panics.
func (op Op) Apply(o provisioning.Org) (provisioning.Org, error) {
	switch op.Name {
	case "MarkNonInteractive":
		return o.MarkNonInteractive(op.Key)
	case "SetAccessMode":
		return o.SetAccessMode(op.Key, op.Mode)
	case "AssignRole":
		return o.AssignRole(op.Key, op.Role)
	case "RemoveRoles":
		return o.RemoveRoles(op.Key)
	case "ImportStub":
		return o.ImportStub(op.Key)
	case "Sync":
		next, r := o.Sync(op.User, op.Trigger)
		return next, r.Action.Err
	case "SyncGone":
		next, r := o.SyncGone(op.Key, op.Trigger)
		return next, r.Action.Err
	case "Access":
		next, _, err := o.Access(op.User)
		return next, err
	case "AddTeam":
		return o.AddTeam(op.Team)
	case "SetTeamRoles":
		return o.SetTeamRoles(op.Group, op.TeamRoles)
	case "DeleteTeamGroup":
		return o.DeleteTeamGroup(op.Group)
	case "RemoveTeamMember":
		return o.RemoveTeamMember(op.Key, op.Group)
	case "SoftDelete":
		return o.SoftDelete(op.Key, op.User)
	case "PermanentDelete":
		return o.PermanentDelete(op.Key)
	}
	panic("provisioningtest: no Org operation is named " + op.Name)
}

// String writes the operation as a call, such as AssignRole("u-1",
// "Basic User"), for rapid's logs.
func (op Op) String() string {
	var args []string
	quote := func(s string) { args = append(args, fmt.Sprintf("%q", s)) }
	switch op.Name {
	case "Sync", "Access", "SoftDelete":
		if op.User == nil {
			args = append(args, "nil")
		} else {
			quote(op.User.ObjectID)
		}
	case "AddTeam":
		quote(op.Team.Group)
	case "SetTeamRoles", "DeleteTeamGroup":
		quote(op.Group)
	default:
		quote(op.Key)
	}
	switch op.Name {
	case "SetAccessMode":
		args = append(args, op.Mode.String())
	case "AssignRole":
		quote(op.Role)
	case "Sync", "SyncGone":
		args = append(args, op.Trigger.String())
	case "SetTeamRoles":
		args = append(args, fmt.Sprint(op.TeamRoles))
	case "RemoveTeamMember":
		quote(op.Group)
	}
	return op.Name + "(" + strings.Join(args, ", ") + ")"
}

// Orgs returns a generator of valid environments with their records, the
// states Ops applies to, drawn as c says: an environment (Environments)
// and its records as Snapshots draws one environment's, the records of
// users of c.ObjectIDs and of users gone, at most
// usertype.NonInteractiveLimit of them non-interactive.
func (c Config) Orgs() *rapid.Generator[provisioning.Org] {
	c.check()
	ids := c.ObjectIDs()
	return rapid.Custom(func(t *rapid.T) provisioning.Org {
		o := provisioning.Org{Environment: c.Environments().Draw(t, "environment")}
		users := map[string]*provisioning.User{}
		for _, id := range ids {
			if rapid.Bool().Draw(t, "has "+id+"?") {
				u := c.userOf(id).Draw(t, id)
				users[id] = &u
			}
		}
		o.Records = c.environmentRecords(t, &o.Environment, ids, users)
		return o
	})
}

// Ops returns a generator of operations on o, drawn as c says, for a state
// machine that draws each operation from the state it is in: every
// operation of Org, on a key of o's records or, one time in eight, on a
// key no record has; an access mode of any (the support and
// delegated-admin ones among them, which are refused); a role of Roles; a
// stub of a UPN no record has or, one time in four, of a record's; a
// directory user of a record's object ID (or of c.ObjectIDs) drawn as
// Users draws it and made to fit the record (a service principal of its
// application ID for an application user's record, a user that is none
// for any other), for SoftDelete one time in two none; any trigger; a
// group team of Groups (Team); a group of o's teams or of Groups. The
// users are well formed, so that a refused operation is refused by a rule
// or a missing record or team, never as malformed input.
func (c Config) Ops(o provisioning.Org) *rapid.Generator[Op] {
	c.check()
	ids := c.ObjectIDs()
	keys := make([]string, 0, len(o.Records)+1)
	upns := []string{}
	for i := range o.Records {
		keys = append(keys, o.Records[i].Key())
		if o.Records[i].UPN != "" {
			upns = append(upns, o.Records[i].UPN)
		}
	}
	groups := append([]string(nil), Groups()...)
	for _, team := range o.Environment.Teams {
		groups = append(groups, team.Group)
	}
	return rapid.Custom(func(t *rapid.T) Op {
		op := Op{Name: rapid.SampledFrom(opNames()).Draw(t, "operation")}
		op.Key = "u-none"
		if len(keys) > 0 && rapid.IntRange(0, 7).Draw(t, "key no record has?") > 0 {
			op.Key = rapid.SampledFrom(keys).Draw(t, "key")
		}
		switch op.Name {
		case "SetAccessMode":
			op.Mode = rapid.SampledFrom(usertype.AccessModes()).Draw(t, "mode")
		case "AssignRole":
			op.Role = rapid.SampledFrom(Roles()).Draw(t, "role")
		case "ImportStub":
			op.Key = "import-" + rapid.SampledFrom(ids).Draw(t, "imported") + "@contoso.com"
			if len(upns) > 0 && rapid.IntRange(0, 3).Draw(t, "a record's UPN?") == 0 {
				op.Key = rapid.SampledFrom(upns).Draw(t, "upn")
			}
		case "Sync", "Access", "SoftDelete":
			id := rapid.SampledFrom(ids).Draw(t, "user")
			for j := range o.Records {
				if o.Records[j].Key() == op.Key && o.Records[j].ObjectID != "" {
					id = o.Records[j].ObjectID
				}
			}
			u := c.userOf(id).Draw(t, "directory user")
			for j := range o.Records {
				if provisioning.Match(&u, &o.Records[j]) {
					fit(&u, &o.Records[j])
				}
			}
			if op.Name != "SoftDelete" || rapid.Bool().Draw(t, "in the directory?") {
				op.User = &u
			}
		case "AddTeam":
			op.Team = Team(rapid.SampledFrom(Groups()).Draw(t, "group")).Draw(t, "team")
		case "SetTeamRoles":
			op.Group = rapid.SampledFrom(groups).Draw(t, "group")
			for _, name := range rapid.SliceOfNDistinct(rapid.SampledFrom(Roles()), 0, 2, rapid.ID[string]).Draw(t, "team roles") {
				op.TeamRoles = append(op.TeamRoles, provisioning.TeamRole{Name: name, Inherited: rapid.Bool().Draw(t, "inherited")})
			}
		case "DeleteTeamGroup", "RemoveTeamMember":
			op.Group = rapid.SampledFrom(groups).Draw(t, "group")
		}
		if op.Name == "Sync" || op.Name == "SyncGone" {
			op.Trigger = Triggers().Draw(t, "trigger")
		}
		return op
	})
}

// fit makes u the directory user that record r belongs to: a service
// principal of r's application ID for an application user's record, and
// for any other record but a stub (which may carry any application ID) a
// user that is no service principal.
func fit(u *provisioning.User, r *provisioning.Record) {
	k, _ := r.Kind()
	switch {
	case k == usertype.KindStub || r.ApplicationID == u.ApplicationID:
	case r.ApplicationID != "":
		u.ApplicationID, u.UPN, u.Guest, u.HomeTenant, u.Licenses = r.ApplicationID, "", false, "", nil
		u.Attributes = syncfields.Values{}
	default:
		u.ApplicationID, u.UPN = "", u.ObjectID+"@contoso.com"
	}
}
