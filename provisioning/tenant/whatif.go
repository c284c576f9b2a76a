package tenant

import (
	"encoding/json"
	"slices"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/usertype"
)

// Change is a proposed change to one environment, for WhatIf. A nil field
// leaves that setting as it is.
type Change struct {
	// Environment is the ID of the environment to change.
	Environment string `json:"environment"`
	// SecurityGroup sets the security group; a pointer to "" clears it.
	SecurityGroup *string `json:"securityGroup,omitempty"`
	// Type changes the environment type.
	Type *provisioning.EnvironmentType `json:"type,omitempty"`
	// AppPass adds or removes app-pass capacity.
	AppPass *bool `json:"appPass,omitempty"`
	// TenantMarketing toggles the tenant-level Marketing license.
	TenantMarketing *bool `json:"tenantMarketing,omitempty"`
	// Creator sets the user who created the environment, which a
	// developer environment needs (ENV-DEVELOPER).
	Creator *string `json:"creator,omitempty"`
	// AddTeam adds a group team (GT-TEAM).
	AddTeam *provisioning.GroupTeam `json:"addTeam,omitempty"`
	// TeamRoles gives an existing group team other security roles
	// (GT-ROLES).
	TeamRoles *TeamRoles `json:"teamRoles,omitempty"`
	// DeleteTeamGroup deletes the Entra group behind the group team of this
	// group ID (GT-GROUP-DELETED).
	DeleteTeamGroup *string `json:"deleteTeamGroup,omitempty"`
}

// TeamRoles are the security roles a change gives the group team of
// Group.
type TeamRoles struct {
	// Group is the team's group ID.
	Group string `json:"group"`
	// Roles are the team's new roles, in place of its own.
	Roles []provisioning.TeamRole `json:"roles"`
}

// applyTeams makes the change's team changes to org with provisioning's
// own operations, so that a team change is refused here exactly as Org
// refuses it.
func (c Change) applyTeams(org provisioning.Org) (provisioning.Org, error) {
	var err error
	if c.AddTeam != nil {
		if org, err = org.AddTeam(*c.AddTeam); err != nil {
			return org, err
		}
	}
	if c.TeamRoles != nil {
		if org, err = org.SetTeamRoles(c.TeamRoles.Group, c.TeamRoles.Roles); err != nil {
			return org, err
		}
	}
	if c.DeleteTeamGroup != nil {
		if org, err = org.DeleteTeamGroup(*c.DeleteTeamGroup); err != nil {
			return org, err
		}
	}
	return org, nil
}

// Apply returns env with the change's settings made: security group,
// type, app pass, Marketing and creator. Team changes need the records
// too; WhatIf makes them.
func (c Change) Apply(env provisioning.Environment) provisioning.Environment {
	if c.SecurityGroup != nil {
		env.SecurityGroup = *c.SecurityGroup
	}
	if c.Type != nil {
		env.Type = *c.Type
	}
	if c.AppPass != nil {
		env.AppPass = *c.AppPass
	}
	if c.TenantMarketing != nil {
		env.TenantMarketing = *c.TenantMarketing
	}
	if c.Creator != nil {
		env.Creator = *c.Creator
	}
	return env
}

// String describes the change in words, such as "assigning group g-sales
// to environment sales-prod".
func (c Change) String() string {
	var parts []string
	if c.SecurityGroup != nil {
		if *c.SecurityGroup == "" {
			parts = append(parts, "clearing the security group of")
		} else {
			parts = append(parts, "assigning group "+*c.SecurityGroup+" to")
		}
	}
	if c.Type != nil {
		parts = append(parts, "making a "+c.Type.String()+" environment of")
	}
	if c.AppPass != nil {
		parts = append(parts, onOff(*c.AppPass, "adding app-pass capacity to", "removing app-pass capacity from"))
	}
	if c.TenantMarketing != nil {
		parts = append(parts, onOff(*c.TenantMarketing, "turning on the tenant Marketing license for", "turning off the tenant Marketing license for"))
	}
	if c.Creator != nil {
		parts = append(parts, "naming "+*c.Creator+" the creator of")
	}
	if c.AddTeam != nil {
		parts = append(parts, "adding a group team of group "+c.AddTeam.Group+" to")
	}
	if c.TeamRoles != nil {
		parts = append(parts, "giving the team of group "+c.TeamRoles.Group+" other roles in")
	}
	if c.DeleteTeamGroup != nil {
		parts = append(parts, "deleting group "+*c.DeleteTeamGroup+" of a team of")
	}
	if len(parts) == 0 {
		return "leaving environment " + c.Environment + " as it is"
	}
	s := ""
	for i, p := range parts {
		switch {
		case i == 0:
		case i == len(parts)-1:
			s += " and "
		default:
			s += ", "
		}
		s += p
	}
	return s + " environment " + c.Environment
}

func onOff(on bool, yes, no string) string {
	if on {
		return yes
	}
	return no
}

// RecordState is whether a user has a record, and whether it is enabled.
type RecordState uint8

// The record states.
const (
	NoRecord RecordState = iota
	RecordEnabled
	RecordDisabled
)

var recordStateNames = []string{NoRecord: "no record", RecordEnabled: "enabled", RecordDisabled: "disabled"}

// RecordStates lists every record state.
func RecordStates() []RecordState { return []RecordState{NoRecord, RecordEnabled, RecordDisabled} }

// IsValid reports whether s is one of the record states.
func (s RecordState) IsValid() bool { return enum.Valid(recordStateNames, s) }

// String returns "no record", "enabled" or "disabled".
func (s RecordState) String() string { return enum.Name(recordStateNames, "RecordState", s) }

// MarshalText returns the state's name. It fails for an invalid state.
func (s RecordState) MarshalText() ([]byte, error) {
	return enum.Marshal(recordStateNames, "tenant.RecordState", s)
}

// UnmarshalText accepts a state's name in any case; anything else is an
// error wrapping provisioning.ErrUnknown and leaves s unchanged.
func (s *RecordState) UnmarshalText(text []byte) error {
	return enum.Unmarshal(recordStateNames, "tenant.RecordState", text, s)
}

// Standing is where a user stands in an environment: once the background
// sync has run, its admission, the access mode it is admitted with, its
// record's state and whether it can use the apps; and what its own next
// access would give it. A user not admitted has no access mode: Mode is
// then zero and JSON leaves it out.
type Standing struct {
	// Admission is the user's admission.
	Admission provisioning.Admission `json:"admission"`
	// Mode is the access mode of an admitted user.
	Mode usertype.AccessMode `json:"accessMode"`
	// Record is the state of its record after the background sync.
	Record RecordState `json:"record"`
	// Apps reports that the user can use the apps after the background
	// sync: its record is enabled and it has a security role, its own or
	// a group team's (LIFE-ACCESS-NEEDS-ROLE, GT-ROLES).
	Apps bool `json:"apps"`
	// NextAccess is what the user's own next access would give it: its
	// record enabled, and its team memberships brought up to date
	// (GT-AT-ACCESS).
	NextAccess AccessStanding `json:"nextAccess"`
}

// AccessStanding is what a user's own access gives it.
type AccessStanding struct {
	// Allowed reports that the access is let in: the user has an enabled
	// record after it.
	Allowed bool `json:"allowed"`
	// Apps reports that the user can then use the apps.
	Apps bool `json:"apps"`
}

// MarshalJSON leaves "accessMode" out for a user not admitted.
func (s Standing) MarshalJSON() ([]byte, error) {
	type plain Standing // without these methods
	w := struct {
		plain
		Mode *usertype.AccessMode `json:"accessMode,omitempty"`
	}{plain: plain(s)}
	if s.Admission != provisioning.AdmissionNever {
		w.Mode = &s.Mode
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Standing) UnmarshalJSON(data []byte) error {
	type plain Standing // without these methods
	var w plain
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*s = Standing(w)
	return nil
}

// Impact is how a change affects one user of the environment.
type Impact struct {
	// User is the user's object ID.
	User string `json:"user"`
	// UPN is the user's principal name, for people.
	UPN string `json:"upn,omitempty"`
	// Before is where the user stands before the change.
	Before Standing `json:"before"`
	// After is where it stands after.
	After Standing `json:"after"`
	// Verb is what the background sync does to the user's record after the
	// change.
	Verb provisioning.Verb `json:"verb"`
	// Rules are the rules that decide the new standing: those that refuse
	// a user not admitted, those that hold it to on demand, and those the
	// action cites.
	Rules provisioning.RuleSet `json:"rules"`
}

// Report is what WhatIf found: the users whose standing the change would
// change (admission, access mode, record state, use of the apps now or at
// their next access), ordered by the background sync's verb after the
// change and then by user.
type Report struct {
	// Change is the change asked about.
	Change Change `json:"change"`
	// Impacts are the users it affects.
	Impacts []Impact `json:"impacts"`
}

// ByVerb returns the impacts whose verb is v.
func (r Report) ByVerb(v provisioning.Verb) []Impact {
	var out []Impact
	for _, i := range r.Impacts {
		if i.Verb == v {
			out = append(out, i)
		}
	}
	return out
}

// WhatIf answers "who would this change lock out, or let in?": for every
// directory user of s, it compares where the user stands in the changed
// environment, before and after the change: after the background sync
// (admission, access mode, record state, use of the apps) and at the
// user's own next access (let in or not, use of the apps, with the team
// memberships it then gets). It reports those whose standing would change,
// with the rules that decide it. Team changes are made with
// provisioning.Org's operations: deleting a team's group takes every
// member out of the team at once (GT-GROUP-DELETED); a change of a team's
// roles reaches its members at once, since the roles are the team's
// (GT-ROLES); a new team's members join it only at their next access
// (GT-AT-ACCESS), so it changes their standing at access, not after the
// background sync. s is not modified.
//
// A snapshot is refused as Plan refuses it before planning: one that fails
// Check, holds malformed input, or has error findings that opts does not
// accept (of opts, WhatIf reads Accept and Workers). An
// environment that s does not hold is ErrNoEnvironment; a change that
// would make the environment malformed (a security group on a developer
// environment, ENV-NO-GROUP; a developer environment without a creator)
// is a *provisioning.FieldError naming the changed field; a team change
// that Org refuses is its *provisioning.OpError.
func WhatIf(s *Snapshot, c Change, opts Options) (Report, error) {
	x, err := s.prepare(provisioning.BackgroundSync, opts, true)
	if err != nil {
		return Report{}, err
	}
	k := x.env(c.Environment)
	if k < 0 {
		return Report{}, &provisioning.FieldError{Input: "change", Key: c.Environment, Field: "Environment", Value: c.Environment, Err: ErrNoEnvironment}
	}
	before := provisioning.Org{Environment: *x.envs[k], Records: s.Records[x.envs[k].ID]}
	after, err := c.applyTeams(before)
	if err != nil {
		return Report{}, err
	}
	after.Environment = c.Apply(after.Environment)
	ceAfter, err := provisioning.CheckEnvironment(&after.Environment)
	if err != nil {
		return Report{}, at("change", c.Environment, "Change", err)
	}
	rep := Report{Change: c}
	// Users and records are paired as a plan pairs them, walked side by
	// side in key order, each with what the snapshot's check proved. A
	// team change gives the records new team lists: those are found by
	// object ID and checked when compared.
	teamsChanged := len(after.Records) != len(before.Records) || len(after.Records) > 0 && &after.Records[0] != &before.Records[0]
	var afterOf byObject
	if teamsChanged {
		afterOf = recordsByObject(after.Records)
	}
	teamGroups := c.teamGroups()
	recs, j := x.records[k], 0
	for i := range x.users {
		e := &x.users[i]
		u := e.u
		for j < len(recs) && recs[j].key.compare(e.id) < 0 {
			j++
		}
		var recBefore *provisioning.Record
		var cb provisioning.CheckedRecord // zero: no record
		if j < len(recs) && recs[j].key.s == e.id.s && provisioning.Match(u, recs[j].r) {
			recBefore, cb = recs[j].r, recs[j].c
			j++
		}
		recAfter, ca := recBefore, cb
		same := true // whether the record after is checked as the one before
		if teamsChanged {
			recAfter, ca = nil, provisioning.CheckedRecord{}
			if ia := recordOf(afterOf, u); ia >= 0 {
				recAfter = &after.Records[ia]
				var err error
				ca, err = provisioning.CheckRecord(recAfter)
				same = err == nil
			}
		}
		// A user the change cannot reach stands where it stood: the rules
		// read of the environment only what the decision holds, so equal
		// decisions, for a user outside every team the change touches,
		// mean equal standings. Most users of a large tenant end here,
		// decided on what the snapshot's check proved once.
		if same && !involved(u, recBefore, teamGroups) &&
			x.checked[k].EvaluateRecord(e.c, cb) == ceAfter.EvaluateRecord(e.c, ca) {
			continue
		}
		var was, now Standing
		var a provisioning.Action
		checked := e.c.User() != nil && same
		if checked {
			var err error
			if was, err = checkedStanding(x.checked[k], e.c, cb); err == nil {
				now, err = checkedStanding(ceAfter, e.c, ca)
			}
			checked = err == nil
		}
		switch {
		case !checked:
			// Malformed input: decided as the unchecked path decides it.
			was, _ = standing(u, &before.Environment, recBefore)
			now, a = standing(u, &after.Environment, recAfter)
		case was != now:
			a, _ = ceAfter.NextAction(e.c, ca, provisioning.BackgroundSync)
		}
		if was == now {
			continue
		}
		// The action cites every rule that refuses the user or holds it to
		// on-demand admission (TestWhatIfMatchesPlans checks it).
		rep.Impacts = append(rep.Impacts, Impact{User: u.ObjectID, UPN: u.UPN, Before: was, After: now, Verb: a.Verb, Rules: a.Rules})
	}
	rep.Impacts = byVerb(rep.Impacts)
	return rep, nil
}

// byVerb orders impacts by verb, keeping the order of those of one verb: a
// stable sort of a million impacts in one pass of counting and one of
// placing.
func byVerb(impacts []Impact) []Impact {
	if len(impacts) < 2 {
		return impacts
	}
	var start [1 << 8]int // a Verb is a byte
	for i := range impacts {
		start[impacts[i].Verb]++
	}
	at := 0
	for v, n := range start {
		start[v] = at
		at += n
	}
	out := make([]Impact, len(impacts))
	for i := range impacts {
		v := impacts[i].Verb
		out[start[v]] = impacts[i]
		start[v]++
	}
	return out
}

// teamGroups returns the groups of the teams the change adds, changes or
// deletes.
func (c Change) teamGroups() []string {
	var out []string
	if c.AddTeam != nil {
		out = append(out, c.AddTeam.Group)
	}
	if c.TeamRoles != nil {
		out = append(out, c.TeamRoles.Group)
	}
	if c.DeleteTeamGroup != nil {
		out = append(out, *c.DeleteTeamGroup)
	}
	return out
}

// involved reports whether u or its record rec has to do with one of
// groups: a member or owner of it, or in its team.
func involved(u *provisioning.User, rec *provisioning.Record, groups []string) bool {
	for _, g := range groups {
		if slices.Contains(u.Groups, g) || slices.Contains(u.OwnedGroups, g) || rec != nil && slices.Contains(rec.Teams, g) {
			return true
		}
	}
	return false
}

// byObject is records indexed by object ID, for recordOf.
type byObject struct {
	records []provisioning.Record
	at      map[string]int
}

// recordsByObject indexes records by object ID.
func recordsByObject(records []provisioning.Record) byObject {
	m := make(map[string]int, len(records))
	for i := range records {
		if id := records[i].ObjectID; id != "" {
			m[id] = i
		}
	}
	return byObject{records, m}
}

// recordOf returns the place of u's record in b (provisioning.Match), or
// -1.
func recordOf(b byObject, u *provisioning.User) int {
	if i, ok := b.at[u.ObjectID]; ok && provisioning.Match(u, &b.records[i]) {
		return i
	}
	return -1
}

// checkedStanding is standing of checked values: the same standing,
// decided on what the checks proved, without the field sync, whose columns
// a standing does not read (TestSettleIsReconcile,
// TestWhatIfIsEveryStandingCompared). The record the background sync
// leaves is settled for the user's next access on the proof the sync
// returned. Malformed input is its error.
func checkedStanding(ce provisioning.CheckedEnvironment, cu provisioning.CheckedUser, cr provisioning.CheckedRecord) (Standing, error) {
	var rec, next provisioning.Record
	d, synced, err := ce.Settle(&rec, cu, cr, provisioning.BackgroundSync)
	if err != nil {
		return Standing{}, err
	}
	st := Standing{Admission: d.Admission()}
	if m, ok := d.AccessMode(); ok {
		st.Mode = m
	}
	if synced.Record() != nil {
		st.Record = RecordEnabled
		if rec.Disabled {
			st.Record = RecordDisabled
		}
		st.Apps = !rec.Disabled && d.CanUseApps()
	}
	at, atRec, err := ce.Settle(&next, cu, synced, provisioning.FirstAccess)
	if err == nil && atRec.Record() != nil && !next.Disabled {
		st.NextAccess.Allowed = true
		st.NextAccess.Apps = at.CanUseApps()
	}
	return st, nil
}

// standing is where u stands in env after the background sync, and at its
// next access after that; with the background sync's action.
func standing(u *provisioning.User, env *provisioning.Environment, rec *provisioning.Record) (Standing, provisioning.Action) {
	r := provisioning.Reconcile(u, env, rec, provisioning.BackgroundSync)
	a, d := r.Action, r.After
	st := Standing{Admission: d.Admission()}
	if m, ok := d.AccessMode(); ok {
		st.Mode = m
	}
	// The record after the sync: for malformed input, whose action leaves
	// the record as it is (or refuses a user without one), rec itself.
	var synced *provisioning.Record
	if a.HasRecord() {
		synced = &r.Record
	}
	if synced != nil {
		st.Record = RecordEnabled
		if synced.Disabled {
			st.Record = RecordDisabled
		}
		st.Apps = !synced.Disabled && provisioning.EvaluateRecord(u, env, synced).CanUseApps()
	}
	at := provisioning.Reconcile(u, env, synced, provisioning.FirstAccess)
	if at.Action.Err == nil && at.Action.HasRecord() && !at.Record.Disabled {
		st.NextAccess.Allowed = true
		st.NextAccess.Apps = provisioning.EvaluateRecord(u, env, &at.Record).CanUseApps()
	}
	return st, a
}
