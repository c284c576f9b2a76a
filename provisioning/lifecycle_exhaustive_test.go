package provisioning_test

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The lifecycle walk proves what happens to a record over time as
// TestExhaustive proves the admission: over every combination of a
// directory user (walkUser), its record (walkRecord) and an environment
// (walkEnv), reduced to what the rules read, it takes every transition an
// operation makes from that state, one step, and checks on each what
// RULES.md says must hold (TestLifecycleExhaustive). The expectations are
// written here from RULES.md, by hand; the one comparison with the code
// under test is the one issue 21 asks for: an operation's explanation is a
// fresh decision of the state it returns.

// dirState is a directory user's state as DIR-ENABLED, DEL-DIRECTORY and
// DEL-SOFT tell them apart.
type dirState uint8

const (
	dirEnabled     dirState = iota
	dirDisabled             // accountEnabled false
	dirSoftDeleted          // in the directory's deleted users, restorable
	dirHardDeleted          // deleted for good: Graph still reports it
	dirGone                 // no directory user has the object ID any more
)

var dirStateNames = [...]string{"enabled", "disabled", "soft-deleted", "hard-deleted", "gone"}

// walkUser is a directory user reduced to what the rules read of it:
//
//   - its state (dirState); a deleted or soft-deleted user is
//     accountEnabled, so that the deletion alone refuses it;
//   - member or guest (LIC-GUEST-TENANT);
//   - its license: a premium one in the environment's tenant
//     (LIC-REQUIRED names Power Apps premium and Dynamics 365 alike, so one
//     stands for both); only the free Dataverse plan (LIC-FREE-M365); none
//     that counts, an Office license only (LIC-REQUIRED: not valid); or,
//     for a guest, a premium one only from its home tenant
//     (LIC-GUEST-TENANT; a member's licenses are its own tenant's);
//   - its admin role: none; Global (SG-MEMBER and LIC-EXEMPT-ADMIN name
//     Power Platform admins with Global admins, so Global stands for both);
//     Dynamics 365 (exempt from the license, not from the group); or Global
//     only through a role-assignable group, which does not count;
//   - its relation to the environment's security group: direct member,
//     owner (SG-OWNER), member only through nesting (SG-NESTED), none;
//   - whether it is a member of the group team's group (GT-MATCH: the
//     walk's team holds members and guests, so this is whether it holds
//     the user);
//   - whether it is a service principal (UT-APPLICATION). A service
//     principal needs no license and is exempt from the security group,
//     and an admin role exempts only from those two, so of a service
//     principal the walk takes its state and the team's group alone.
//
// Every user carries profile attributes, a service principal too, so that
// a column written from one shows (SYNC-APPLICATION).
type walkUser struct {
	state           dirState
	guest, sp, team bool
	license         uint8 // licPremium, licFree, licNone, licElsewhere
	admin           uint8 // adminNone, adminGlobal, adminD365, adminThroughGroup
	group           uint8 // sgDirect, sgOwner, sgNested, sgNone
}

const (
	licPremium uint8 = iota
	licFree
	licNone
	licElsewhere
)

const (
	adminNone uint8 = iota
	adminGlobal
	adminD365
	adminThroughGroup
)

const (
	sgDirect uint8 = iota
	sgOwner
	sgNested
	sgNone
)

var (
	licenseNames = [...]string{"premium here", "only free", "no license", "premium only elsewhere"}
	adminNames   = [...]string{"no admin", "Global admin", "Dynamics 365 admin", "Global admin through a group"}
	sgNames      = [...]string{"direct member", "owner", "nested member", "not in the group"}
)

func (c walkUser) String() string {
	if c.state == dirGone {
		return "user gone"
	}
	s := dirStateNames[c.state] + " service principal"
	if !c.sp {
		kind := " member"
		if c.guest {
			kind = " guest"
		}
		s = dirStateNames[c.state] + kind + ", " + licenseNames[c.license] + ", " + adminNames[c.admin] + ", " + sgNames[c.group]
	}
	if c.team {
		s += ", in the team's group"
	}
	return s
}

// walkUsers lists the users the walk takes in an environment with a
// security group (withGroup) or without one, where no rule reads the
// relation to it and the walk takes only "none": 4 states × 2 (the team's
// group) × (4 + 3 licenses, guest or member) × 4 admin roles × 4 relations
// to the security group (or 1), 4 × 2 service principals, and the user
// gone: 905, or 233.
func walkUsers(withGroup bool) []walkUser {
	var out []walkUser
	for state := range dirGone {
		for _, team := range []bool{false, true} {
			out = append(out, walkUser{state: state, sp: true, team: team, group: sgNone})
			for _, guest := range []bool{false, true} {
				for license := range licElsewhere + 1 {
					for admin := range adminThroughGroup + 1 {
						for group := range sgNone + 1 {
							if (withGroup || group == sgNone) && (guest || license != licElsewhere) {
								out = append(out, walkUser{state: state, guest: guest, team: team, license: license, admin: admin, group: group})
							}
						}
					}
				}
			}
		}
	}
	return append(out, walkUser{state: dirGone})
}

// user builds the directory user; nil when it is gone.
func (c walkUser) user() *provisioning.User {
	if c.state == dirGone {
		return nil
	}
	u := &provisioning.User{
		ObjectID: "u", UPN: "u@contoso.com",
		Enabled: c.state != dirDisabled, Deleted: c.state == dirHardDeleted, SoftDeleted: c.state == dirSoftDeleted,
	}
	a := &u.Attributes
	a.Set(syncfields.FullName, "Ana Lima")
	a.Set(syncfields.FirstName, "Ana")
	a.Set(syncfields.LastName, "Lima")
	a.Set(syncfields.JobTitle, "Engineer")
	a.Set(syncfields.City, "Lisbon")
	a.Set(syncfields.InternalEmailAddress, "ana@contoso.com")
	if c.team {
		u.Groups = []string{"t", "t2"}
	}
	if c.sp {
		u.UPN, u.ApplicationID = "", "app"
		a.Set(syncfields.LastName, "ERP") // a service principal's display name
		return u
	}
	if c.guest {
		u.Guest, u.HomeTenant = true, "fabrikam"
	}
	switch c.license {
	case licPremium:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "contoso"}}
	case licFree:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanFreeDataverse, Tenant: "contoso"}}
	case licNone:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanOther, Tenant: "contoso"}}
	case licElsewhere:
		u.Licenses = []provisioning.License{{Plan: provisioning.PlanPowerAppsPremium, Tenant: "fabrikam"}}
	}
	switch c.admin {
	case adminGlobal:
		u.Roles = provisioning.GlobalAdmin
	case adminD365:
		u.Roles = provisioning.Dynamics365Admin
	case adminThroughGroup:
		u.GroupRoles = provisioning.GlobalAdmin
	}
	switch c.group {
	case sgDirect:
		u.Groups = append(u.Groups, "g")
	case sgOwner:
		u.OwnedGroups = []string{"g"}
	case sgNested:
		u.NestedGroups = []string{"g"}
	}
	return u
}

// exists reports whether the user is in the directory, in any state
// (DEL-SOFT): not hard-deleted and not gone.
func (c walkUser) exists() bool { return c.state < dirHardDeleted }

// recState is the state of the user's record: none, or a kind of record
// (usertype) in a state the lifecycle rules read.
type recState uint8

const (
	recNone                recState = iota
	recEnabled                      // regular, Read-Write
	recDisabled                     // regular, disabled
	recSoftDeleted                  // deleted by an administrator (DEL-SOFT-EFFECT)
	recSoftDeletedOwning            // the same, its user still owning records (DEL-PERMANENT)
	recOnDemand                     // regular, let in by an on-demand-only entitlement (LIFE-ON-DEMAND-KEEP)
	recSetup                        // Administrative: an unlicensed admin (MODE-ADMINISTRATIVE, MODE-KEEP)
	recNonInteractive               // UT-NONINTERACTIVE
	recApplication                  // an application user (UT-APPLICATION)
	recApplicationDisabled          // the same, disabled
	recStub                         // UT-STUB
	recSupport                      // UT-SUPPORT
	recDelegatedAdmin               // UT-DELEGATED-ADMIN
	recStates
)

var recStateNames = [...]string{
	"no record", "enabled", "disabled", "soft-deleted", "soft-deleted owning records", "on-demand", "setup",
	"non-interactive", "application", "disabled application", "stub", "support", "delegated admin",
}

// walkRecord is the user's record: none, or one in a state (recState),
// with and without a security role of its own, in the group team or not.
// The states are the kinds of record, and the states the operations make
// of one another that the rules read: disabled, soft-deleted (and owning
// records, for DEL-PERMANENT), marked on demand (as the sync creates a
// record for a user entitled on demand only), Administrative (as it
// creates one for an admin without a license). The well-known and stub
// records carry the user's object ID, so that the sync meets them: without
// one they match nobody (LIFE-MATCH). A combination that cannot be well
// formed stays in the walk as malformed input (invariant 14): a
// soft-deleted record with a role or a team, a service principal's record
// that is not an application record, a user's that is.
type walkRecord struct {
	state      recState
	role, team bool
}

func (r walkRecord) String() string {
	s := recStateNames[r.state]
	if r.role {
		s += ", with a role"
	}
	if r.team {
		s += ", in the team"
	}
	return s
}

// walkRecords lists the records: none, and every state with and without a
// role and a team.
func walkRecords() []walkRecord {
	out := []walkRecord{{state: recNone}}
	for s := recEnabled; s < recStates; s++ {
		for _, role := range []bool{false, true} {
			for _, team := range []bool{false, true} {
				out = append(out, walkRecord{state: s, role: role, team: team})
			}
		}
	}
	return out
}

// record builds the record; nil for none. A soft-deleted record with a
// role or a team is malformed (DEL-SOFT-EFFECT), and stays in the walk as
// malformed input.
func (r walkRecord) record() *provisioning.Record {
	if r.state == recNone {
		return nil
	}
	rec := &provisioning.Record{ObjectID: "u", UPN: "u@contoso.com", Mode: usertype.ReadWrite}
	c := &rec.Fields.Columns
	c.Set(syncfields.FullName, "Ana Old")
	c.Set(syncfields.FirstName, "Ana")
	c.Set(syncfields.LastName, "Old")
	c.Set(syncfields.JobTitle, "Clerk")
	c.Set(syncfields.InternalEmailAddress, "ana.old@contoso.com")
	c.Set(syncfields.ObjectID, "u")
	rec.Fields.Custom = map[string]string{"new_badge": "B-17"}
	switch r.state {
	case recDisabled:
		rec.Disabled = true
	case recSoftDeleted:
		rec.Disabled, rec.SoftDeleted = true, true
	case recSoftDeletedOwning:
		rec.Disabled, rec.SoftDeleted, rec.OwnedRecords = true, true, 3
	case recOnDemand:
		rec.OnDemand = true
	case recSetup:
		rec.Mode = usertype.Administrative
	case recNonInteractive:
		rec.Mode = usertype.NonInteractive
	case recApplication, recApplicationDisabled:
		rec.UPN, rec.ApplicationID, rec.Mode = "", "app", usertype.NonInteractive
		rec.Disabled = r.state == recApplicationDisabled
		rec.Fields.Columns = syncfields.Values{}
		c.Set(syncfields.FirstName, "#")
		c.Set(syncfields.LastName, "ERP")
		c.Set(syncfields.FullName, "# ERP")
		c.Set(syncfields.ObjectID, "u")
	case recStub:
		rec.UPN, rec.Stub, rec.Disabled = "old@contoso.com", true, true
	case recSupport:
		rec.UPN, rec.Mode = usertype.SupportUPN, usertype.SupportUser
	case recDelegatedAdmin:
		rec.UPN, rec.Mode = usertype.DelegatedAdminUPN, usertype.DelegatedAdmin
	}
	if r.role {
		rec.Roles = []string{"Basic User"}
	}
	if r.team {
		rec.Teams = []string{"t"}
	}
	return rec
}

func (r walkRecord) exists() bool { return r.state != recNone }
func (r walkRecord) softDeleted() bool {
	return r.state == recSoftDeleted || r.state == recSoftDeletedOwning
}
func (r walkRecord) application() bool {
	return r.state == recApplication || r.state == recApplicationDisabled
}

// synced reports whether the sync may change the record: not the support,
// delegated-admin and stub records (LIFE-NOT-SYNCED).
func (r walkRecord) synced() bool {
	return r.exists() && r.state != recStub && r.state != recSupport && r.state != recDelegatedAdmin
}

func (r walkRecord) disabled() bool {
	switch r.state {
	case recDisabled, recSoftDeleted, recSoftDeletedOwning, recApplicationDisabled, recStub:
		return true
	}
	return false
}

// malformed reports whether the record alone is malformed: soft-deleted
// with a role or a team (DEL-SOFT-EFFECT).
func (r walkRecord) malformed() bool { return r.softDeleted() && (r.role || r.team) }

// envKind is an environment's type with the facts that go with it.
type envKind uint8

const (
	envProduction       envKind = iota // with a security group
	envTrial                           // with a security group (ENV-TRIAL)
	envTeams                           // Dataverse for Teams, with a security group (ENV-TEAMS)
	envOpen                            // production without a security group
	envDeveloperCreator                // developer, created by the user (ENV-DEVELOPER)
	envDeveloperOther                  // developer, created by someone else
	envNoDataverse                     // production without Dataverse, with a security group (ENV-DATAVERSE)
	envKinds
)

var envKindNames = [...]string{
	"production", "trial", "Dataverse for Teams", "production without a group", "developer (the user's)",
	"developer (another's)", "production without Dataverse",
}

// teamState is the state of the environment's group team "t": giving its
// role, giving none (as SetTeamRoles leaves it), or its group deleted (as
// DeleteTeamGroup leaves it, GT-GROUP-DELETED).
type teamState uint8

const (
	teamRole teamState = iota
	teamNoRole
	teamGroupDeleted
)

var teamStateNames = [...]string{"a team with a role", "a team without roles", "a team whose group is deleted"}

// walkEnv is an environment of the walk: enough of them to reach every
// rule. Its kind (envKind); its one group team "t" of members and guests,
// whose one role has no member's privilege inheritance, so that GT-ROLES
// fails without a role of the user's own (teamState), its group in the
// environment's security group or not (GT-SG; only where there is one, and
// only for a live team); app-pass capacity or not (LIC-EXEMPT-APP-PASS);
// and the org settings allowRoleAssignmentOnDisabledUsers
// (LIFE-ROLE-ON-DISABLED) and Enable delete disabled users (DEL-PERMANENT).
type walkEnv struct {
	kind                                            envKind
	team                                            teamState
	teamInGroup, appPass, allowRole, deleteDisabled bool
}

func (e walkEnv) String() string {
	s := envKindNames[e.kind] + ", " + teamStateNames[e.team]
	if e.teamInGroup {
		s += " in the security group"
	}
	if e.appPass {
		s += ", app pass"
	}
	if e.allowRole {
		s += ", role assignment on disabled users"
	}
	if e.deleteDisabled {
		s += ", delete disabled users"
	}
	return s
}

// walkTeams are the kinds of environment with the states of their team.
// In production, with a security group and without one, every state the
// operations leave the team in: with a role, in the security group or not;
// without roles; its group deleted (in the security group, where it would
// let its users in were the deletion not honoured). Elsewhere a team with
// a role, in the security group or not where there is one: whether the
// team gives roles and whether its group is deleted are read by GT-ROLES,
// GT-AT-ACCESS and GT-GROUP-DELETED, which no type of environment changes;
// GT-SG, which the types do change (ENV-TEAMS: only at the user's own
// access; ENV-TRIAL: by any on-demand trigger), reads whether the group is
// in the security group.
var walkTeams = []struct {
	kind envKind
	team teamState
	in   bool
}{
	{envProduction, teamRole, false}, {envProduction, teamRole, true}, {envProduction, teamNoRole, true}, {envProduction, teamGroupDeleted, true},
	{envTrial, teamRole, false}, {envTrial, teamRole, true},
	{envTeams, teamRole, false}, {envTeams, teamRole, true},
	{envOpen, teamRole, false}, {envOpen, teamNoRole, false}, {envOpen, teamGroupDeleted, false},
	{envDeveloperCreator, teamRole, false},
	{envDeveloperOther, teamRole, false},
	{envNoDataverse, teamRole, true},
}

// walkEnvs lists the environments: every kind with its team states, each
// with and without app pass and with every pair of the two settings.
func walkEnvs() []walkEnv {
	var out []walkEnv
	for _, k := range walkTeams {
		for _, appPass := range []bool{false, true} {
			for _, allowRole := range []bool{false, true} {
				for _, deleteDisabled := range []bool{false, true} {
					out = append(out, walkEnv{kind: k.kind, team: k.team, teamInGroup: k.in, appPass: appPass, allowRole: allowRole, deleteDisabled: deleteDisabled})
				}
			}
		}
	}
	return out
}

// hasGroup reports whether the environment has a security group.
func (e walkEnv) hasGroup() bool { return e.kind <= envTeams || e.kind == envNoDataverse }

// teamGivesRole reports whether team "t" gives its role (GT-ROLES,
// GT-GROUP-DELETED).
func (e walkEnv) teamGivesRole() bool { return e.team == teamRole }

// settingsPaired reports whether e is one of the environments the walk
// takes with the operations that read the directory user. RULES.md has
// those operations read neither setting (only AssignRole and
// PermanentDelete do), so there the walk takes the two settings opposite
// each other and tied to app pass (role assignment on disabled users
// allowed with app pass, delete disabled users on without it): each
// operation still meets both values of each setting, and the largest part
// of the walk is a quarter as large.
func (e walkEnv) settingsPaired() bool {
	return e.allowRole == e.appPass && e.deleteDisabled != e.appPass
}

func (e walkEnv) environment() provisioning.Environment {
	env := provisioning.Environment{ID: "env", Tenant: "contoso", Type: provisioning.EnvProduction, Dataverse: true, AppPass: e.appPass}
	env.Settings.AllowRoleAssignmentOnDisabledUsers = e.allowRole
	env.Settings.DeleteDisabledUsers = e.deleteDisabled
	if e.hasGroup() {
		env.SecurityGroup = "g"
	}
	switch e.kind {
	case envTrial:
		env.Type = provisioning.EnvTrial
	case envTeams:
		env.Type = provisioning.EnvTeams
	case envDeveloperCreator, envDeveloperOther:
		env.Type, env.Creator = provisioning.EnvDeveloper, "u"
		if e.kind == envDeveloperOther {
			env.Creator = "someone-else"
		}
	case envNoDataverse:
		env.Dataverse = false
	}
	team := provisioning.GroupTeam{Group: "t", Name: "T", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned,
		InSecurityGroup: e.teamInGroup, GroupDeleted: e.team == teamGroupDeleted}
	if e.team != teamNoRole {
		team.Roles = []provisioning.TeamRole{{Name: "Team Role"}}
	}
	env.Teams = []provisioning.GroupTeam{team}
	return env
}

// walkOrg builds the environment's records: a bystander "b", enabled, with
// a role, in the team unless its group is deleted, then the user's record,
// if any.
func walkOrg(e walkEnv, r walkRecord) provisioning.Org {
	o := provisioning.Org{Environment: e.environment()}
	by := provisioning.Record{ObjectID: "b", UPN: "b@contoso.com", Roles: []string{"Basic User"}}
	by.Fields.Custom = map[string]string{"new_badge": "B-18"}
	if e.team != teamGroupDeleted {
		by.Teams = []string{"t"}
	}
	o.Records = append(o.Records, by)
	if rec := r.record(); rec != nil {
		o.Records = append(o.Records, *rec)
	}
	return o
}

// withNonInteractive adds non-interactive records of other users, one of
// them disabled (UT-NONINTERACTIVE-LIMIT counts those too), so that the
// environment holds n, the user's own record included when it counts.
func withNonInteractive(o provisioning.Org, r walkRecord, n int) provisioning.Org {
	if r.state == recNonInteractive {
		n--
	}
	for i := range n {
		id := fmt.Sprintf("n%d", i)
		o.Records = append(o.Records, provisioning.Record{ObjectID: id, UPN: id + "@contoso.com", Mode: usertype.NonInteractive, Disabled: i == 0})
	}
	return o
}

// transition is one step of the walk: a state and an operation.
type transition struct {
	user     walkUser // none for an operation that takes no user
	noUser   bool
	env      walkEnv
	rec      walkRecord
	op       string
	given    provisioning.Org // the state, as built: the receiver must stay so
	outcomes map[outcome]int  // the walker's
}

func (s *transition) String() string {
	if s.noUser {
		return fmt.Sprintf("%s on {%s; %s}", s.op, s.rec, s.env)
	}
	return fmt.Sprintf("%s on {%s; %s; %s}", s.op, s.user, s.rec, s.env)
}

// outcome is what an operation did, for TestLifecycleExhaustive to hold
// that the walk reaches every outcome, and so checks each.
type outcome struct{ op, what string }

// reached counts what s's operation did.
func (s *transition) reached(what string) { s.outcomes[outcome{s.op, what}]++ }

// malformed reports whether the user and its record are malformed input:
// the record alone (walkRecord.malformed), or a record that does not
// carry the user's application ID: a service principal's record is an
// application record, and only its is (UT-APPLICATION); a stub may carry
// any.
func (s *transition) malformed() bool {
	switch {
	case s.rec.malformed():
		return true
	case !s.rec.exists() || s.user.state == dirGone || s.rec.state == recStub:
		return false
	}
	return s.user.sp != s.rec.application()
}

// teamHolds reports whether the team holds the user (GT-MATCH): the team's
// group is not deleted and the user, not a service principal, is a direct
// member of it.
func (s *transition) teamHolds() bool {
	return s.env.team != teamGroupDeleted && s.user.team && !s.user.sp && s.user.state != dirGone
}

// mayGetIn reports whether RULES.md lets the user in by trigger t, to a
// new record or to its disabled one, or at its own access: enabled in the
// directory (DIR-ENABLED, invariant 5); an environment with Dataverse
// (ENV-DATAVERSE, invariant 4), the user's if developer (ENV-DEVELOPER),
// by an on-demand trigger if trial (ENV-TRIAL), by the user's own access
// if Dataverse for Teams (ENV-TEAMS); a premium license here, an admin
// role of its own, a non-interactive record, or on demand app pass or the
// free plan (LIC-*); no security group, a Global admin or a direct member,
// on demand its owner, at the user's own access a team in it that holds
// the user (SG-MEMBER, SG-NESTED, SG-OWNER, GT-SG; invariant 6). A service
// principal needs neither license nor group, and only on demand
// (UT-APPLICATION). A team counts for nothing but at the user's access: the
// background sync never adds a user for it (GT-JIT-ADD, invariant 11).
func (s *transition) mayGetIn(t provisioning.Trigger) bool {
	u, e := s.user, s.env
	onDemand, access := t != provisioning.BackgroundSync, t == provisioning.FirstAccess
	switch {
	case u.state != dirEnabled, e.kind == envNoDataverse, e.kind == envDeveloperOther,
		e.kind == envTrial && !onDemand, e.kind == envTeams && !access, u.sp && !onDemand:
		return false
	}
	licensed := u.sp || u.license == licPremium || u.admin == adminGlobal || u.admin == adminD365 ||
		s.rec.state == recNonInteractive || onDemand && (e.appPass || u.license == licFree)
	member := !e.hasGroup() || u.sp || u.admin == adminGlobal || u.group == sgDirect ||
		onDemand && u.group == sgOwner || access && e.teamInGroup && s.teamHolds()
	return licensed && member
}

// walker walks a share of the transitions and keeps its first failure.
type walker struct {
	stop        *atomic.Bool
	err         error
	states      int // combinations of a user (or none), a record and an environment
	transitions int
	outcomes    map[outcome]int
}

func (w *walker) fail(s *transition, format string, args ...any) {
	if w.err == nil {
		w.err = fmt.Errorf("%s: %s", s, fmt.Sprintf(format, args...))
		w.stop.Store(true)
	}
}

// userRecord returns the record of the walk's user in o, or nil.
func userRecord(o *provisioning.Org) *provisioning.Record {
	for i := range o.Records {
		if o.Records[i].Key() == "u" {
			return &o.Records[i]
		}
	}
	return nil
}

// common checks what every transition keeps, whatever the operation:
//
//   - a refused operation changes nothing: the Org returned is the one
//     given, deeply (invariants 1 and 14);
//   - no more than 7 non-interactive users that are not application users
//     (invariant 1);
//   - no record is removed but by PermanentDelete (LIFE-NEVER-DELETE,
//     invariant 5), and none added but the user's, by the sync or its
//     access;
//   - no record but the user's changes, but for its team membership when
//     the team's group is deleted (GT-GROUP-DELETED);
//   - a disabled record is enabled by nothing but the sync or the access
//     (invariant 5), a soft-deleted record is changed by nothing and
//     removed only by PermanentDelete (invariant 12), and custom columns
//     are never written (SYNC-CUSTOM, invariant 8);
//   - a record's team memberships change only at its user's access, when
//     the team's group is deleted, or when it is soft-deleted (invariant
//     11, GT-AT-ACCESS, GT-GROUP-DELETED, DEL-SOFT-EFFECT).
//
// recv is the receiver, which the caller checks is still s.given (every
// operation is pure); until then the checks read it as s.given.
func (w *walker) common(s *transition, recv, next provisioning.Org, refused bool, teamsMayChange bool) {
	w.transitions++
	if refused {
		s.reached("refused")
		if !sameEnvironment(&recv.Environment, &next.Environment) || !sameRecords(recv.Records, next.Records) {
			w.fail(s, "refused, but changed the state (invariant 1)")
		}
		return
	}
	s.reached("allowed")
	if n := next.NonInteractiveCount(); n > usertype.NonInteractiveLimit {
		w.fail(s, "%d non-interactive users (invariant 1)", n)
	}
	rb, ra := userRecord(&recv), userRecord(&next)
	switch {
	case rb != nil && ra == nil && s.op != "PermanentDelete":
		w.fail(s, "deleted the record (LIFE-NEVER-DELETE)")
	case rb == nil && ra != nil && !strings.HasPrefix(s.op, "Sync") && s.op != "Access":
		w.fail(s, "created a record")
	}
	others := 0
	for i := range next.Records {
		r := &next.Records[i]
		if r.Key() == "u" {
			continue
		}
		others++
		if i >= len(recv.Records) || recv.Records[i].Key() != r.Key() {
			w.fail(s, "moved or added record %s", r.Key())
			return
		}
		want := recv.Records[i]
		if s.op == "DeleteTeamGroup" {
			want.Teams = slices.DeleteFunc(slices.Clone(want.Teams), func(g string) bool { return g == "t" })
		}
		if !sameRecord(want, *r) {
			w.fail(s, "changed record %s, which is not the user's", r.Key())
		}
	}
	if n := len(recv.Records) - btoi(rb != nil); others != n {
		w.fail(s, "%d records of other users, then %d", n, others)
	}
	if ra == nil || rb == nil {
		return
	}
	switch {
	case rb.Disabled && !ra.Disabled && !strings.HasPrefix(s.op, "Sync") && s.op != "Access":
		w.fail(s, "enabled the record")
	case rb.SoftDeleted && !s.rec.malformed() && !sameRecord(*rb, *ra):
		w.fail(s, "changed a soft-deleted record (invariant 12)")
	case len(ra.Fields.Custom) != 1 || ra.Fields.Custom["new_badge"] != "B-17":
		w.fail(s, "wrote custom columns: %v (invariant 8)", ra.Fields.Custom)
	case !teamsMayChange && !slices.Equal(rb.Teams, ra.Teams):
		w.fail(s, "changed the record's teams: %v, then %v (invariant 11)", rb.Teams, ra.Teams)
	}
}

// step checks a transition of an operation that returned next and err
// from receiver recv: recv is still s.given, and common.
func (w *walker) step(s *transition, recv, next provisioning.Org, err error, teamsMayChange bool) {
	w.receiver(s, recv)
	w.common(s, recv, next, err != nil, teamsMayChange)
}

// receiver checks that the operations of s left their receiver as given:
// every operation is pure.
func (w *walker) receiver(s *transition, recv provisioning.Org) {
	if !same(s.given, recv) {
		w.fail(s, "changed its receiver")
	}
}

// sameRecords is slices.EqualFunc(a, b, sameRecord), at once for a list
// returned as it was given.
func sameRecords(a, b []provisioning.Record) bool {
	if len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	return slices.EqualFunc(a, b, sameRecord)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sync is the directory sync of the user by trigger t: Org.Sync, or
// Org.SyncGone when the directory has no user.
func (w *walker) sync(s *transition, o provisioning.Org, u *provisioning.User, t provisioning.Trigger) (next provisioning.Org, rc provisioning.Reconciliation) {
	next, rc = syncOf(o, u, t)
	w.check(s, o, u, t, next, rc)
	return next, rc
}

// syncOf is Org.Sync, or Org.SyncGone of the user's record with no user.
func syncOf(o provisioning.Org, u *provisioning.User, t provisioning.Trigger) (provisioning.Org, provisioning.Reconciliation) {
	if u == nil {
		return o.SyncGone("u", t)
	}
	return o.Sync(u, t)
}

// check checks the sync of the user by trigger t, which turned o into
// next with reconciliation rc.
func (w *walker) check(s *transition, o provisioning.Org, u *provisioning.User, t provisioning.Trigger, next provisioning.Org, rc provisioning.Reconciliation) {
	a := rc.Action
	w.common(s, o, next, a.Err != nil, t == provisioning.FirstAccess)
	rb, ra := userRecord(&o), userRecord(&next)

	// Invariant 14: malformed input, and only it, is refused with an
	// error, which is no decision: nothing changes (common).
	if wantErr := s.malformed() || u == nil && rb == nil; (a.Err != nil) != wantErr {
		w.fail(s, "error %v, want one: %t", a.Err, wantErr)
		return
	}
	s.reached(a.Verb.String())
	if a.Err != nil {
		if a.Verb != provisioning.NotAdded && a.Verb != provisioning.Leave || a.Rules != 0 {
			w.fail(s, "an error counted as a decision: %s citing %s (invariant 14)", a.Verb, a.Rules)
		}
		return
	}
	if a.HasRecord() != (ra != nil) || ra != nil && !sameRecord(rc.Record, *ra) {
		w.fail(s, "the reconciliation's record is not the record in the state returned")
	}
	if (a.Verb == provisioning.Create) != (rb == nil && ra != nil) {
		w.fail(s, "%s, with a record before: %t, after: %t", a.Verb, rb != nil, ra != nil)
		return
	}

	switch {
	// Invariants 4, 5, 6, 11 and the rules of admission: a record is
	// created, or a disabled one enabled, exactly when RULES.md lets the
	// user in by this trigger (GT-JIT-ADD, LIFE-ENABLE-ON-ACCESS); the
	// background sync never for a team.
	case a.Verb == provisioning.Create != (rb == nil && s.mayGetIn(t)):
		w.fail(s, "%s (%s); RULES.md lets the user in: %t", a.Verb, a.Rules, s.mayGetIn(t))
	case rb != nil && rb.Disabled && s.rec.synced() && !rb.SoftDeleted && a.Verb == provisioning.Enable != s.mayGetIn(t):
		w.fail(s, "%s of a disabled record (%s); RULES.md lets the user in: %t", a.Verb, a.Rules, s.mayGetIn(t))
	// Invariant 5.
	case u != nil && s.user.state != dirEnabled && (rc.Before.Admitted() || rc.After.Admitted()):
		w.fail(s, "a directory user %s admitted", dirStateNames[s.user.state])
	case s.user.state != dirEnabled && s.rec.synced() && !ra.Disabled:
		w.fail(s, "the record of a user %s is enabled after %s (invariant 5)", dirStateNames[s.user.state], a.Verb)
	// Invariants 8 and 12.
	case rb != nil && (!s.rec.synced() || rb.SoftDeleted) && (a.Verb != provisioning.Leave || !sameRecord(*rb, *ra)):
		w.fail(s, "%s of a record the sync never changes (invariants 8, 12)", a.Verb)
	// LIFE-ON-DEMAND-KEEP: the background sync does not disable a record
	// let in on demand whose user fails the license rules alone.
	case t == provisioning.BackgroundSync && s.rec.state == recOnDemand && a.Verb == provisioning.Disable && s.user.state == dirEnabled &&
		s.env.kind != envNoDataverse && s.env.kind != envDeveloperOther && (!s.env.hasGroup() || s.user.admin == adminGlobal || s.user.group == sgDirect):
		w.fail(s, "the background sync disabled a record let in on demand (LIFE-ON-DEMAND-KEEP)")
	// GT-JIT-ADD, GT-AT-ACCESS, GT-STALE.
	case a.Verb == provisioning.Create && t != provisioning.FirstAccess && len(ra.Teams) > 0:
		w.fail(s, "a record created by %s is in teams %v", t, ra.Teams)
	case t == provisioning.FirstAccess && ra != nil && !ra.Disabled && s.syncable() && !slices.Equal(ra.Teams, s.heldIn()):
		w.fail(s, "after the user's access its record is in teams %v, want %v (GT-AT-ACCESS)", ra.Teams, s.heldIn())
	case t == provisioning.FirstAccess && rb != nil && ra.Disabled && !slices.Equal(rb.Teams, ra.Teams):
		w.fail(s, "a record disabled at access changed teams (GT-STALE)")
	}
	w.columns(s, a, rb, ra)
	if u == nil {
		if rc.After != (provisioning.Decision{}) || rc.Before != (provisioning.Decision{}) {
			w.fail(s, "a record whose user is gone explained by a decision: %s", rc.After)
		}
		return
	}
	w.explains(s, u, &next.Environment, rc, ra)
}

// syncable reports whether the sync may create or change the user's
// record: it has none, or one the sync changes.
func (s *transition) syncable() bool { return !s.rec.exists() || s.rec.synced() }

// adminCenter checks the sync by the admin center against the sync by an
// administrator's API call, which gave next and rc: RULES.md names both as
// on-demand triggers and no rule tells them apart, so that the one
// checked holds for both.
func (w *walker) adminCenter(s *transition, o provisioning.Org, u *provisioning.User, next provisioning.Org, rc provisioning.Reconciliation) {
	w.transitions++
	s.reached("as by admin-api")
	got, gotRC := syncOf(o, u, provisioning.AdminCenter)
	a, b := gotRC.Action, rc.Action
	if (a.Err == nil) != (b.Err == nil) || a.Err != nil && a.Err.Error() != b.Err.Error() {
		w.fail(s, "error %v; by an administrator's API call: %v", a.Err, b.Err)
	}
	a.Err, b.Err = nil, nil
	switch {
	case a != b:
		w.fail(s, "action %+v; by an administrator's API call: %+v", a, b)
	case !gotRC.Before.Equal(rc.Before) || !gotRC.After.Equal(rc.After):
		w.fail(s, "decided %s, then %s; by an administrator's API call: %s, then %s", gotRC.Before, gotRC.After, rc.Before, rc.After)
	case !sameRecord(gotRC.Record, rc.Record) || gotRC.Sync.Changed() != rc.Sync.Changed() || gotRC.Sync.Kept() != rc.Sync.Kept():
		w.fail(s, "record %+v; by an administrator's API call: %+v", gotRC.Record, rc.Record)
	case !same(got, next):
		w.fail(s, "another state than by an administrator's API call")
	}
}

// heldIn returns the teams whose members the user's record is at its
// access: "t" when the team holds it (GT-MATCH).
func (s *transition) heldIn() []string {
	if s.teamHolds() {
		return teamT
	}
	return nil
}

var teamT = []string{"t"} // read only

// columns checks invariant 13: a service principal's record gets no
// profile column after its creation, and at its creation only "#" as its
// first name and its display name as its last (SYNC-APPLICATION).
func (w *walker) columns(s *transition, a provisioning.Action, rb, ra *provisioning.Record) {
	if !s.user.sp || ra == nil {
		return
	}
	if rb != nil {
		if a.Columns&^syncfields.ColumnSet(0).With(syncfields.ObjectID) != 0 || ra.Fields.Columns != rb.Fields.Columns {
			w.fail(s, "wrote columns %v of a service principal's record (invariant 13)", a.Columns.Columns())
		}
		return
	}
	var want syncfields.Values
	want.Set(syncfields.FirstName, "#")
	want.Set(syncfields.LastName, "ERP")
	want.Set(syncfields.ObjectID, "u")
	if ra.Fields.Columns != want {
		w.fail(s, "created a service principal's record with columns %q (SYNC-APPLICATION)", ra.Fields.Columns)
	}
}

// explains checks the agreement of issue 21 item 1: the decision After of
// what an operation returns is a fresh decision of the state it returns,
// and the action's role rules agree with it.
func (w *walker) explains(s *transition, u *provisioning.User, env *provisioning.Environment, rc provisioning.Reconciliation, ra *provisioning.Record) {
	want := provisioning.Evaluate(u, env)
	if ra != nil {
		want = provisioning.EvaluateRecord(u, env, ra)
	}
	if !rc.After.Equal(want) {
		w.fail(s, "the decision returned is not that of the state returned:\nreturned %s\nfresh    %s", rc.After, want)
		return
	}
	rules := rc.Action.Rules
	if rules.Has(provisioning.RuleLifeRolesNotDisable) && rc.After.CanUseApps() {
		w.fail(s, "the action cites LIFE-ROLES-NOT-DISABLE, but the user can use the apps after it: %s", rules)
	}
	if !rules.Has(provisioning.RuleLifeRolesNotDisable) {
		for _, r := range []provisioning.Rule{provisioning.RuleLifeAccessNeedsRole, provisioning.RuleGTRoles} {
			if rules.Has(r) && rc.After.Outcome(r) != provisioning.OutcomePassed {
				w.fail(s, "the action cites %s, which is %s after it", r, rc.After.Outcome(r))
			}
		}
	}
}

// access is the user's own access (Org.Access); with no user, Access(nil)
// is refused.
func (w *walker) access(s *transition, o provisioning.Org, u *provisioning.User) {
	next, res, err := o.Access(u)
	w.common(s, o, next, err != nil, true)
	if u == nil || err != nil {
		if u == nil && err == nil {
			w.fail(s, "the access of no user succeeded")
		}
		if err != nil && !s.malformed() && s.mayGetIn(provisioning.FirstAccess) && s.syncable() && !s.rec.softDeleted() {
			// RULES.md lets the user in: GT-JIT-ADD, LIFE-ENABLE-ON-ACCESS.
			w.fail(s, "refused: %v", err)
		}
		return
	}
	rb, ra := userRecord(&o), userRecord(&next)
	switch {
	case s.malformed():
		w.fail(s, "malformed input accepted (invariant 14)")
	case !s.mayGetIn(provisioning.FirstAccess):
		w.fail(s, "the user got in, which RULES.md does not allow")
	case rb != nil && rb.SoftDeleted:
		w.fail(s, "a soft-deleted record got in (invariant 12)")
	case ra == nil || ra.Disabled:
		w.fail(s, "access succeeded, the record is not enabled")
	case !s.rec.synced() && rb != nil && !sameRecord(*rb, *ra):
		w.fail(s, "changed a record the sync never changes (invariant 8)")
	case s.syncable() && !slices.Equal(ra.Teams, s.heldIn()):
		w.fail(s, "after the access the record is in teams %v, want %v (GT-AT-ACCESS)", ra.Teams, s.heldIn())
	}
	if w.err != nil {
		return
	}
	// GT-AT-ACCESS: the teams joined and left, and with them the team's
	// role gained or lost (GT-ROLES), while its group exists.
	var before, after []string
	if rb != nil {
		before = rb.Teams
	}
	after = ra.Teams
	joined, left := slices.Contains(after, "t") && !slices.Contains(before, "t"), slices.Contains(before, "t") && !slices.Contains(after, "t")
	role := []string{"Team Role"}
	want := struct{ joined, left, gained, lost []string }{}
	if joined {
		want.joined = []string{"t"}
		if s.env.teamGivesRole() {
			want.gained = role
		}
	}
	if left {
		want.left = []string{"t"}
		if s.env.teamGivesRole() {
			want.lost = role
		}
	}
	if !slices.Equal(res.Joined, want.joined) || !slices.Equal(res.Left, want.left) ||
		!slices.Equal(res.RolesGained, want.gained) || !slices.Equal(res.RolesLost, want.lost) {
		w.fail(s, "joined %v, left %v, gained %v, lost %v; want %v, %v, %v, %v",
			res.Joined, res.Left, res.RolesGained, res.RolesLost, want.joined, want.left, want.gained, want.lost)
	}
	w.columns(s, res.Action, rb, ra)
	w.explains(s, u, &next.Environment, res.Reconciliation, ra)
}

// softDelete is Org.SoftDelete given the directory user (nil when gone).
// DEL-SOFT: only a disabled record, never the support and delegated-admin
// ones, and a regular user's only when its directory user is hard-deleted
// or gone (invariant 12); application and stub records are not bound by
// the directory. DEL-SOFT-EFFECT: it stays, disabled, without roles and
// teams.
func (w *walker) softDelete(s *transition, o provisioning.Org, u *provisioning.User) {
	next, err := o.SoftDelete("u", u)
	w.common(s, o, next, err != nil, true)
	r := s.rec
	allowed := r.exists() && !r.softDeleted() && r.state != recSupport && r.state != recDelegatedAdmin && r.disabled() &&
		(r.application() || r.state == recStub || !s.user.exists())
	if (err == nil) != allowed {
		w.fail(s, "error %v, want it allowed: %t (DEL-SOFT, invariant 12)", err, allowed)
		return
	}
	if err != nil {
		return
	}
	want := *userRecord(&s.given)
	want.SoftDeleted, want.Disabled, want.Roles, want.Teams = true, true, nil, nil
	if !sameRecord(want, *userRecord(&next)) {
		w.fail(s, "the soft-deleted record is %+v (DEL-SOFT-EFFECT)", *userRecord(&next))
	}
}

// userFree walks the operations that take no directory user, whose
// input the user's facts cannot reach: once for each environment and
// record.
func (w *walker) userFree(e walkEnv, r walkRecord) {
	w.states++
	s := &transition{env: e, rec: r, noUser: true, outcomes: w.outcomes}
	exists, live := r.exists(), r.exists() && !r.softDeleted()
	given := walkOrg(e, r)

	// LIFE-ROLE-ON-DISABLED, DEL-SOFT-EFFECT: a role for a record not
	// deleted, enabled unless the setting allows it; nothing else changes.
	s.op, s.given = "AssignRole", walkOrg(e, r)
	next, err := given.AssignRole("u", "Sales")
	w.step(s, given, next, err, false)
	if allowed := live && (!r.disabled() || e.allowRole); (err == nil) != allowed {
		w.fail(s, "error %v, want it allowed: %t (LIFE-ROLE-ON-DISABLED)", err, allowed)
	} else if err == nil {
		want := *userRecord(&s.given)
		want.Roles = append(slices.Clone(want.Roles), "Sales")
		if !sameRecord(want, *userRecord(&next)) {
			w.fail(s, "the record is %+v", *userRecord(&next))
		}
	}

	// LIFE-ROLES-NOT-DISABLE: every direct role goes, nothing else.
	s.op = "RemoveRoles"
	next, err = given.RemoveRoles("u")
	w.step(s, given, next, err, false)
	if (err == nil) != live {
		w.fail(s, "error %v, want it allowed: %t", err, live)
	} else if err == nil {
		want := *userRecord(&s.given)
		want.Roles = nil
		if !sameRecord(want, *userRecord(&next)) {
			w.fail(s, "the record is %+v (LIFE-ROLES-NOT-DISABLE)", *userRecord(&next))
		}
	}

	// GT-TEAM, GT-AT-ACCESS: a new team takes nobody in before their
	// access; a second team for a group is refused.
	s.op = "AddTeam"
	t2 := provisioning.GroupTeam{Group: "t2", Kind: provisioning.GroupKindSecurity, Rule: provisioning.Assigned, Roles: []provisioning.TeamRole{{Name: "Team Role 2"}}}
	next, err = given.AddTeam(t2)
	w.step(s, given, next, err, false)
	if err != nil || len(next.Environment.Teams) != 2 || next.Environment.Teams[1].Group != "t2" {
		w.fail(s, "error %v, teams %v", err, groupsOf(next.Environment))
	}
	s.op = "AddTeam (its group's team exists)"
	t2.Group = "t"
	next, err = given.AddTeam(t2)
	w.step(s, given, next, err, false)
	if !errors.Is(err, provisioning.ErrTeamExists) {
		w.fail(s, "error %v, want ErrTeamExists (GT-TEAM)", err)
	}

	// GT-ROLES: new roles for the team; its members hold them through it,
	// and no membership changes (GT-AT-ACCESS).
	s.op = "SetTeamRoles"
	roles := []provisioning.TeamRole{{Name: "Team Role"}}
	if e.teamGivesRole() || e.team == teamGroupDeleted {
		roles = nil
	}
	next, err = given.SetTeamRoles("t", roles)
	w.step(s, given, next, err, false)
	if err != nil || !slices.Equal(next.Environment.Teams[0].Roles, roles) || next.Environment.Teams[0].GroupDeleted != (e.team == teamGroupDeleted) {
		w.fail(s, "error %v, team %+v", err, next.Environment.Teams[0])
	}

	// GT-GROUP-DELETED: every member leaves at once, nothing else changes.
	s.op = "DeleteTeamGroup"
	next, err = given.DeleteTeamGroup("t")
	w.step(s, given, next, err, true)
	if err != nil || !next.Environment.Teams[0].GroupDeleted {
		w.fail(s, "error %v, team %+v", err, next.Environment.Teams[0])
	} else if exists {
		want := *userRecord(&s.given)
		want.Teams = slices.DeleteFunc(slices.Clone(want.Teams), func(g string) bool { return g == "t" })
		if !sameRecord(want, *userRecord(&next)) {
			w.fail(s, "the record is %+v", *userRecord(&next))
		}
	}

	// DEL-PERMANENT, invariant 12: only a soft-deleted record, owning
	// nothing, with the setting on; only it goes.
	s.op = "PermanentDelete"
	next, err = given.PermanentDelete("u")
	w.step(s, given, next, err, false)
	if allowed := r.state == recSoftDeleted && !r.malformed() && e.deleteDisabled; (err == nil) != allowed {
		w.fail(s, "error %v, want it allowed: %t (DEL-PERMANENT, invariant 12)", err, allowed)
	} else if err == nil && (userRecord(&next) != nil || len(next.Records) != len(given.Records)-1) {
		w.fail(s, "%d records, then %d", len(given.Records), len(next.Records))
	}

	// UT-NONINTERACTIVE-LIMIT: with 6 non-interactive users the user's
	// record may become the seventh; with 7 it is refused, unless it is
	// one of them already. Application, stub and well-known records keep
	// their mode.
	for _, n := range []int{6, 7} {
		s.op = fmt.Sprintf("MarkNonInteractive (%d non-interactive users)", n)
		given := withNonInteractive(walkOrg(e, r), r, n)
		s.given = withNonInteractive(walkOrg(e, r), r, n)
		next, err := given.MarkNonInteractive("u")
		w.step(s, given, next, err, false)
		settable := live && (r.state <= recNonInteractive)
		allowed := settable && (r.state == recNonInteractive || n < usertype.NonInteractiveLimit)
		if (err == nil) != allowed {
			w.fail(s, "error %v, want it allowed: %t (UT-NONINTERACTIVE-LIMIT)", err, allowed)
		} else if err == nil {
			want := *userRecord(&s.given)
			want.Mode = usertype.NonInteractive
			if !sameRecord(want, *userRecord(&next)) {
				w.fail(s, "the record is %+v", *userRecord(&next))
			}
		}
	}
}

// TestLifecycleExhaustive walks every transition of the lifecycle: every
// combination of a directory user, its record and an environment (see
// walkUser, walkRecord and walkEnv for what each is reduced to, and why)
// under every operation: the sync by each of the four triggers (Org.Sync,
// or Org.SyncGone when the directory has no user), the user's own access
// (Org.Access), a soft delete; and the operations that take no user, whose
// input the user cannot reach, once for each environment and record
// (userFree): a role assigned and every role removed, a team added, a
// team's roles changed, its group deleted, a permanent delete, and the
// user marked non-interactive with 6 and with 7 non-interactive users in
// the environment. On every transition it checks invariants 1, 5, 8, 11,
// 12, 13 and 14 (for one pair) of RULES.md and the rule the operation
// carries out, and that every explanation returned is a fresh decision of
// the state returned (issue 21); and, at the end, that the walk reached
// every outcome of every operation, so that no check is idle.
//
// The operations that read the directory user take the environments whose
// settings are paired (walkEnv.settingsPaired), and every user, or under
// the race detector every walkUserStride-th; the others take every
// environment.
func TestLifecycleExhaustive(t *testing.T) {
	// The operations allocate new states at a high rate while little stays
	// live, so that the collector would run every few hundred microseconds
	// and take a third of the time: let the heap grow more between runs.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	envs, records := walkEnvs(), walkRecords()
	users := [2][]walkUser{walkUsers(false), walkUsers(true)}
	workers := runtime.GOMAXPROCS(0)
	walkers := make([]walker, workers)
	var stop atomic.Bool
	var next atomic.Int64
	var wg sync.WaitGroup
	for i := range walkers {
		w := &walkers[i]
		w.stop, w.outcomes = &stop, map[outcome]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				k := int(next.Add(1) - 1)
				if k >= len(envs) {
					return
				}
				e := envs[k]
				for _, r := range records {
					w.userFree(e, r)
				}
				if e.settingsPaired() {
					w.withUsers(e, records, users[btoi(e.hasGroup())])
				}
			}
		}()
	}
	wg.Wait()
	n, states := 0, 0
	var errs []error
	outcomes := map[outcome]int{}
	for i := range walkers {
		n, states = n+walkers[i].transitions, states+walkers[i].states
		errs = append(errs, walkers[i].err)
		for o, k := range walkers[i].outcomes {
			outcomes[o] += k
		}
	}
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	// Every check is reached: every verb of the sync by each trigger
	// checked on its own, and each operation both allowed and refused
	// where RULES.md lets it be either.
	var want []outcome
	for _, tr := range []provisioning.Trigger{provisioning.BackgroundSync, provisioning.FirstAccess, provisioning.AdminAPI} {
		for _, v := range provisioning.Verbs() {
			want = append(want, outcome{"Sync by " + tr.String(), v.String()})
		}
		want = append(want, outcome{"Sync by " + tr.String(), "refused"})
	}
	for _, op := range []string{"Access", "SoftDelete", "AssignRole", "RemoveRoles", "PermanentDelete",
		"MarkNonInteractive (6 non-interactive users)", "MarkNonInteractive (7 non-interactive users)"} {
		want = append(want, outcome{op, "allowed"}, outcome{op, "refused"})
	}
	want = append(want, outcome{"AddTeam", "allowed"}, outcome{"AddTeam (its group's team exists)", "refused"},
		outcome{"SetTeamRoles", "allowed"}, outcome{"DeleteTeamGroup", "allowed"}, outcome{"Sync by admin-center", "as by admin-api"})
	for _, o := range want {
		if outcomes[o] == 0 {
			t.Errorf("the walk never reached %s %s", o.op, o.what)
		}
	}
	t.Logf("%d environments, %d records, %d users (%d where there is no security group): %d states, %d transitions, every invariant held",
		len(envs), len(records), len(users[1]), len(users[0]), states, n)
}

// withUsers walks the operations that read the directory user in
// environment e.
func (w *walker) withUsers(e walkEnv, records []walkRecord, users []walkUser) {
	orgs := make([]provisioning.Org, len(records))
	givens := make([]provisioning.Org, len(records))
	for i, r := range records {
		orgs[i], givens[i] = walkOrg(e, r), walkOrg(e, r)
	}
	for j, c := range users {
		if w.stop.Load() {
			return
		}
		if j%walkUserStride != 0 {
			continue
		}
		u := c.user()
		for i, r := range records {
			if r.state == recSoftDeletedOwning {
				continue // read by DEL-PERMANENT alone, which takes no user
			}
			w.states++
			s := &transition{user: c, env: e, rec: r, given: givens[i], outcomes: w.outcomes}
			s.op = "Sync by background-sync"
			w.sync(s, orgs[i], u, provisioning.BackgroundSync)
			s.op = "Sync by first-access"
			w.sync(s, orgs[i], u, provisioning.FirstAccess)
			s.op = "Sync by admin-api"
			next, rc := w.sync(s, orgs[i], u, provisioning.AdminAPI)
			s.op = "Sync by admin-center"
			w.adminCenter(s, orgs[i], u, next, rc)
			s.op = "Access"
			w.access(s, orgs[i], u)
			s.op = "SoftDelete"
			w.softDelete(s, orgs[i], u)
			s.op = "Sync, Access or SoftDelete"
			w.receiver(s, orgs[i])
		}
	}
}
