package provisioning

import (
	"cmp"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/internal/jsontext"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Verb is what the sync does with one user's record in one environment.
// The zero Verb is invalid. There is no verb for deleting a record: the
// sync never deletes one (LIFE-NEVER-DELETE).
type Verb uint8

// The verbs.
const (
	// Create: the user gets a new, enabled record.
	Create Verb = iota + 1
	// Enable: a disabled record is enabled (and its columns synced).
	Enable
	// Disable: an enabled record is disabled.
	Disable
	// Update: an enabled record's columns or access mode are brought up to
	// date.
	Update
	// Leave: the sync writes nothing to the record. At the user's own
	// access its group-team memberships may still change, which Dataverse
	// does itself (GT-AT-ACCESS).
	Leave
	// NotAdded: the user has no record and gets none; nothing is written.
	// It is no error: the decision says which rules keep the user out.
	NotAdded
)

var verbNames = []string{Create: "create", Enable: "enable", Disable: "disable", Update: "update", Leave: "leave", NotAdded: "not-added"}

// Verbs lists every verb.
func Verbs() []Verb { return []Verb{Create, Enable, Disable, Update, Leave, NotAdded} }

// IsValid reports whether v is one of the verbs.
func (v Verb) IsValid() bool { return enum.Valid(verbNames, v) }

// String returns the verb's name, such as "disable".
func (v Verb) String() string { return enum.Name(verbNames, "Verb", v) }

// MarshalText returns the verb's name. It fails for an invalid verb.
func (v Verb) MarshalText() ([]byte, error) { return enum.Marshal(verbNames, "provisioning.Verb", v) }

// UnmarshalText accepts a verb's name in any case; anything else is an
// error wrapping ErrUnknown and leaves v unchanged.
func (v *Verb) UnmarshalText(text []byte) error {
	return enum.Unmarshal(verbNames, "provisioning.Verb", text, v)
}

// Action is what the sync does with one user's record in one environment,
// and the rules that decided it. It is small, so that a plan for a whole
// tenant can hold millions.
type Action struct {
	// User is the Microsoft Entra object ID of the user the action is
	// about: the directory user's, or, when there is none (a user gone),
	// the one its record carries (azureactivedirectoryobjectid). It is
	// empty for a record that carries none: the support, delegated-admin
	// and stub records, an application user without one.
	User string `json:"user,omitempty"`
	// Record is the key (Record.Key) of the record the action starts
	// from, as Org.Record and a snapshot's records find it; empty when
	// there is none (Create, NotAdded).
	Record string `json:"record,omitempty"`
	// Environment is the environment ID.
	Environment string `json:"environment"`
	// Err is set when malformed input was refused; nothing changes then.
	// JSON carries its text as "error".
	Err error `json:"-"`
	// Rules are the rules that decided the action.
	Rules RuleSet `json:"rules"`
	// Columns are the columns the field sync writes.
	Columns syncfields.ColumnSet `json:"columns,omitempty"`
	// Verb is what happens to the record.
	Verb Verb `json:"verb"`
	// Mode is the record's access mode after the action;
	// usertype.NoAccessMode for NotAdded, since the user then has no record
	// (JSON leaves it out).
	Mode usertype.AccessMode `json:"accessMode"`
}

// key names the action in an error: its user, else its record.
func (a *Action) key() string { return cmp.Or(a.User, a.Record) }

// HasRecord reports whether the user has a record after the action: for
// every verb but NotAdded.
func (a *Action) HasRecord() bool { return a.Verb.IsValid() && a.Verb != NotAdded }

// MarshalJSON writes the action as AppendJSON does.
func (a Action) MarshalJSON() ([]byte, error) {
	if !a.Verb.IsValid() {
		return nil, &FieldError{Input: "action", Key: a.key(), Field: "Verb", Value: a.Verb.String(), Err: ErrUnknown}
	}
	return a.AppendJSON(nil), nil
}

// AppendJSON appends the action to dst as one JSON object: "user" and
// "record" (each left out when empty), "environment", "verb",
// "accessMode" (left out when the user has no
// record after the action, and when malformed input left a record whose
// access mode is none), "rules", "columns" (when the field sync writes
// any) and "error" (for malformed input). It allocates nothing once dst
// has room.
func (a *Action) AppendJSON(dst []byte) []byte {
	b := append(dst, '{')
	if a.User != "" {
		b = append(b, `"user":`...)
		b = jsontext.Append(b, a.User)
		b = append(b, ',')
	}
	if a.Record != "" {
		b = append(b, `"record":`...)
		b = jsontext.Append(b, a.Record)
		b = append(b, ',')
	}
	b = append(b, `"environment":`...)
	b = jsontext.Append(b, a.Environment)
	b = append(b, `,"verb":"`...)
	b = append(b, a.Verb.String()...)
	b = append(b, '"')
	if a.HasRecord() && a.Mode.IsValid() {
		b = append(b, `,"accessMode":"`...)
		b = append(b, a.Mode.String()...)
		b = append(b, '"')
	}
	b = append(b, `,"rules":[`...)
	b = appendRuleList(b, a.Rules)
	b = append(b, ']')
	if a.Columns != 0 {
		b = append(b, `,"columns":[`...)
		for i, c := range a.Columns.Columns() {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, c.String()...)
			b = append(b, '"')
		}
		b = append(b, ']')
	}
	if a.Err != nil {
		b = append(b, `,"error":`...)
		b = jsontext.Append(b, a.Err.Error())
	}
	return append(b, '}')
}

// Reconciliation is the whole answer of Reconcile: the action, the
// admission decisions before and after it, the record after the action,
// and what the field sync did. Everything it says is of the state it
// returns, except Before, which says what the action was decided on.
type Reconciliation struct {
	// Action is what the trigger does with the record.
	Action Action
	// Before is the admission decision the action was decided on: of the
	// user and its record (or its absence) before the action. It is the
	// zero Decision for a record whose user is gone.
	Before Decision
	// After is the decision of the state the action leaves: the user with
	// Record (EvaluateRecord), or without one when it has none after the
	// action (Evaluate). It differs from Before when the action changes
	// what the rules read of the record: the teams a user joins or leaves
	// at its own access, and the roles they give (GT-AT-ACCESS, GT-ROLES,
	// LIFE-ACCESS-NEEDS-ROLE), a new record, a new access mode. It is the
	// zero Decision for a record whose user is gone, and Before for
	// malformed input.
	After Decision
	// Record is the record after the action; the zero Record when the user
	// has none.
	Record Record
	// Sync is what the field sync wrote and kept, for Create, Enable and
	// Update.
	Sync syncfields.Result
}

// Reconcile decides what trigger t does with directory user u's record rec
// in environment env (rec is nil when the user has none), and returns the
// record as the action leaves it:
//
//   - No record: Create when the decision admits the user for t, otherwise
//     NotAdded. The background sync creates only automatically admitted users
//     (LIFE-ON-DEMAND-KEEP, ENV-TRIAL); an application user is created
//     enabled, non-interactive, with "#" as first name (UT-APPLICATION).
//   - A support, delegated-admin or stub record: Leave, always; a stub is
//     never enabled (LIFE-NOT-SYNCED, UT-SUPPORT, UT-DELEGATED-ADMIN,
//     UT-STUB).
//   - A user disabled, deleted or soft-deleted in the directory: Disable an
//     enabled record, Leave a disabled one (LIFE-DISABLE, DIR-ENABLED).
//   - Admitted for t: Enable a disabled record (LIFE-ENABLE-ON-ACCESS),
//     Update an enabled one whose columns or access mode differ, Leave it
//     otherwise. An access mode an administrator set is kept (MODE-KEEP).
//   - Admitted on demand only, under the background sync: neither enabled
//     nor disabled, but an enabled record's columns are kept up to date
//     (LIFE-ON-DEMAND-KEEP).
//   - Not admitted: Disable an enabled record (LIFE-DISABLE), Leave a
//     disabled one; but the background sync leaves a record marked
//     OnDemand whose user now fails only the license rules: losing app
//     pass does not disable the users it let in (LIFE-ON-DEMAND-KEEP).
//
// A record an administrator deleted is left as it is: nothing changes it
// again (DEL-SOFT-EFFECT). Deleting a user in the directory disables its
// record and creates none (DEL-DIRECTORY). The user's own access (trigger
// FirstAccess) brings its group-team memberships up to date: it joins the
// teams that hold it and leaves the others (GT-JIT-ADD, GT-AT-ACCESS);
// any other trigger leaves them as Dataverse holds them, however stale
// (GT-STALE).
//
// No record is ever deleted (LIFE-NEVER-DELETE). A record without a
// security role is not disabled for it (LIFE-ROLES-NOT-DISABLE). A nil u
// with a record means that no directory user has the record's object ID
// (LIFE-MATCH): the user is gone, and the record is disabled; but an
// application record without an object ID, which no user can match, is
// left. Malformed input gives NotAdded (no record) or Leave (a record) with
// Action.Err set, and changes nothing. Reconcile retains none of its
// arguments.
func Reconcile(u *User, env *Environment, rec *Record, t Trigger) Reconciliation {
	var out Reconciliation
	out.Action, out.Before = NextAction(u, env, rec, t)
	materialize(u, env, rec, t, &out.Action, &out.Before, &out.Record, &out.Sync)
	out.After = out.Before
	if out.Action.HasRecord() && out.Action.Err == nil && u != nil {
		out.After = EvaluateRecord(u, env, &out.Record)
	}
	return out
}

// NextAction is Reconcile without building the new record: the action and
// the decision behind it, at the cost of the decision and a comparison of
// the synced columns. A plan of a whole tenant needs only this.
func NextAction(u *User, env *Environment, rec *Record, t Trigger) (Action, Decision) {
	if !t.IsValid() || u == nil && rec == nil {
		// Refused before any input is read.
		return (&CheckedEnvironment{env: env}).nextAction(&CheckedUser{u: u}, &CheckedRecord{r: rec}, t)
	}
	ce, cu, cr, err := check(u, env, rec)
	if err != nil {
		a := header(u, env, rec)
		refuse(&a, rec, err)
		if u == nil {
			return a, Decision{}
		}
		return a, refused(u, env, rec, err)
	}
	return ce.nextAction(&cu, &cr, t)
}

// header starts the action of u and rec in env: whose it is, and the
// record's access mode.
func header(u *User, env *Environment, rec *Record) (a Action) {
	a.Mode = usertype.NoAccessMode
	if env != nil {
		a.Environment = env.ID
	}
	switch {
	case u != nil:
		a.User = u.ObjectID
	case rec != nil:
		a.User = rec.ObjectID
	}
	if rec != nil {
		a.Record, a.Mode = rec.Key(), rec.Mode
	}
	return a
}

// nextAction is NextAction of checked values, the path every action takes.
func (c *CheckedEnvironment) nextAction(cu *CheckedUser, cr *CheckedRecord, t Trigger) (a Action, d Decision) {
	return c.act(cu, cr, t, true)
}

// act is nextAction; with cols false it leaves out the comparison of the
// synced columns, for Settle: the action's Columns are then empty, and an
// Update that would write nothing stays Update, which leaves the record in
// the state Leave would (TestSettleIsReconcile).
func (c *CheckedEnvironment) act(cu *CheckedUser, cr *CheckedRecord, t Trigger, cols bool) (a Action, d Decision) {
	u, env, rec := cu.u, c.env, cr.r
	a = header(u, env, rec)
	switch {
	case !t.IsValid():
		refuse(&a, rec, &FieldError{Input: "trigger", Field: "Trigger", Value: t.String(), Err: ErrUnknown})
		return a, d
	case u == nil && rec == nil:
		refuse(&a, rec, missing("user", "*User"))
		return a, d
	case env == nil:
		refuse(&a, rec, missing("environment", "CheckedEnvironment"))
		return a, d
	case u == nil:
		orphan(cr, &a)
		return a, d
	}
	d = c.decide(cu, cr)
	switch {
	case d.err != nil:
		refuse(&a, rec, d.err)
	case rec == nil:
		create(u, t, &d, &a, cols)
	default:
		existing(u, env, rec, t, &d, &a, cols)
	}
	return a, d
}

// refuse records malformed input: no change at all.
func refuse(a *Action, rec *Record, err error) {
	a.Err, a.Rules, a.Columns = err, 0, 0
	a.Verb = NotAdded
	if rec != nil {
		a.Verb, a.Mode = Leave, rec.Mode
	}
}

// create decides for a user without a record.
func create(u *User, t Trigger, d *Decision, a *Action, withCols bool) {
	if !d.Admits(t) {
		a.Verb = NotAdded
		a.Rules = d.RefusedBy()
		if d.admission == AdmissionOnDemand {
			// Admitted, but not by this trigger.
			a.Rules = d.onDemand.With(RuleLifeOnDemandKeep)
		}
		if d.facts.has(fDeleted | fSoftDeleted) {
			// A user deleted in the directory gets no record.
			a.Rules = a.Rules.With(RuleDelDirectory)
		}
		return
	}
	var cols syncfields.ColumnSet
	if withCols {
		dir := directoryValues(u)
		var err error
		if cols, err = profileOf(u).Diff(nil, &dir); err != nil {
			refuse(a, nil, err)
			return
		}
	}
	a.Verb, a.Mode, a.Columns = Create, d.mode, cols
	a.Rules = d.passed | d.onDemand
	if d.kind != usertype.KindApplication {
		a.Rules = a.Rules.With(RuleUTRegular)
	}
}

// existing decides for a user that has record rec.
func existing(u *User, env *Environment, rec *Record, t Trigger, d *Decision, a *Action, cols bool) {
	switch {
	case rec.SoftDeleted:
		a.Verb = Leave
		a.Rules = RuleSetOf(RuleDelSoftEffect)
		return
	case !d.kind.Synced():
		a.Verb = Leave
		a.Rules = RuleSetOf(notSyncedRule[d.kind], RuleLifeNotSynced)
		return
	}
	never := RuleSetOf(RuleLifeNeverDelete)
	admits := false // the action cites the rules that pass, the role rules among them
	switch {
	case d.failed.Has(RuleDirEnabled):
		// Invariant 5: never enabled, and disabled if it is not already.
		a.Rules = never.With(RuleDirEnabled).With(RuleLifeDisable)
		if d.facts.has(fDeleted | fSoftDeleted) {
			a.Rules = a.Rules.With(RuleDelDirectory)
		}
		a.Verb = disable(rec)
	case d.Admits(t):
		admits = true
		a.Rules = (d.passed | d.onDemand) &^ (RuleSetOf(RuleLifeMatch) | roleRules) // the record was found: no reason for the update
		a.Verb = Update
		if rec.Disabled {
			a.Verb = Enable
			a.Rules = a.Rules.With(RuleLifeEnableOnAccess)
		}
		syncColumns(u, rec, d, a, cols)
	case d.admission == AdmissionOnDemand && t == BackgroundSync:
		a.Rules = d.onDemand.With(RuleLifeOnDemandKeep)
		a.Verb = Leave
		if !rec.Disabled {
			a.Verb = Update
			syncColumns(u, rec, d, a, cols)
		}
	case d.admission == AdmissionOnDemand:
		// Dataverse for Teams: only the user's own first access.
		a.Verb = Leave
		a.Rules = d.onDemand
	case t == BackgroundSync && rec.OnDemand && d.RefusedBy()&^licenseRules == 0:
		// Let in on demand, and now entitled by nothing: the background
		// sync does not disable it for that (LIFE-ON-DEMAND-KEEP).
		a.Verb = Leave
		a.Rules = d.RefusedBy().With(RuleLifeOnDemandKeep)
	default:
		a.Rules = never | d.RefusedBy() | 1<<RuleLifeDisable
		a.Verb = disable(rec)
	}
	enabledAfter := a.Verb == Enable || !rec.Disabled && a.Verb != Disable
	if a.Err != nil {
		return
	}
	// roles is the decision whose facts of roles are those of the record
	// after the action: d's, unless the access changes its teams.
	roles := d
	if teamsStale(env, u, rec) {
		switch {
		case t == FirstAccess && enabledAfter:
			// The user's access brings its team memberships up to date, and
			// with them the roles it holds through teams: the action cites
			// the role rules as they stand after it.
			after := d.afterAccess(env, u)
			roles = &after
			// Dataverse brings the memberships up to date itself, at the
			// access: an action that writes nothing else stays Leave.
			a.Rules = a.Rules.With(RuleGTAtAccess)
		default:
			// Until the user accesses the environment, Dataverse keeps the
			// memberships it has.
			a.Rules = a.Rules.With(RuleGTStale)
		}
	}
	if admits {
		a.Rules |= roles.passed & roleRules
	}
	if enabledAfter && !roles.passed.Has(RuleLifeAccessNeedsRole) {
		// The user keeps its record without a role, and cannot use the apps.
		a.Rules = a.Rules.With(RuleLifeRolesNotDisable).With(RuleLifeAccessNeedsRole)
	}
}

// roleRules are the rules of what the roles of a record let its user do.
const roleRules = 1<<RuleLifeAccessNeedsRole | 1<<RuleGTRoles

// afterAccess is d as the user's own access leaves it: with the role
// facts of the teams of env that hold u now, which the access joins
// (GT-AT-ACCESS), in place of those of the teams its record was in.
func (d *Decision) afterAccess(env *Environment, u *User) Decision {
	after := *d
	after.facts &^= fTeamRoles | fTeamRoleInherited
	after.roleTeam = ""
	for i := range env.Teams {
		t := &env.Teams[i]
		if len(t.Roles) == 0 || !t.holds(u) {
			continue
		}
		after.facts |= fTeamRoles
		if after.roleTeam == "" {
			after.roleTeam = t.name()
		}
		for _, r := range t.Roles {
			if r.Inherited {
				after.facts |= fTeamRoleInherited
			}
		}
	}
	// The rules afresh from the facts. Role rules are not admissionRules,
	// so the admission (and the mode it gives) is d's, which after keeps.
	after.decide()
	return after
}

// teamsStale reports whether rec's team memberships differ from the teams
// of env that hold u now: a live team holds u but rec is not in it, or
// rec is in a team that no live team of env with that group holds u in.
// It allocates nothing.
func teamsStale(env *Environment, u *User, rec *Record) bool {
	if len(env.Teams) == 0 && len(rec.Teams) == 0 {
		return false
	}
	for i := range env.Teams {
		if t := &env.Teams[i]; t.holds(u) != has(rec.Teams, t.Group) {
			return true
		}
	}
	for _, g := range rec.Teams {
		if !env.holdsIn(u, g) {
			return true
		}
	}
	return false
}

// holdsIn reports whether a team of env with group g holds u.
func (env *Environment) holdsIn(u *User, g string) bool {
	for i := range env.Teams {
		if t := &env.Teams[i]; t.Group == g && t.holds(u) {
			return true
		}
	}
	return false
}

// licenseRules are the license rules whose failure alone does not make the
// background sync disable a record let in on demand.
const licenseRules = 1<<RuleLicRequired | 1<<RuleLicGuestTenant

// onDemandEntitled reports whether d admits the user on demand by an
// on-demand-only entitlement: app pass, tenant Marketing or the free
// Microsoft 365 plan (ON-DEMAND-ONLY).
func onDemandEntitled(d *Decision) bool {
	return d.admission == AdmissionOnDemand && d.onDemand&(1<<RuleLicExemptAppPass|1<<RuleLicExemptMarketing|1<<RuleLicFreeM365) != 0
}

// disable is Disable for an enabled record, Leave for a disabled one.
func disable(rec *Record) Verb {
	if rec.Disabled {
		return Leave
	}
	return Disable
}

// syncColumns completes an Update or Enable: the columns the field sync
// writes, the access mode and the OnDemand mark. An Update that changes
// none of them is Leave. A field-sync error leaves the record as it is.
// With withCols false the columns are not compared (act).
func syncColumns(u *User, rec *Record, d *Decision, a *Action, withCols bool) {
	if d.kind != usertype.KindApplication {
		a.Rules = a.Rules.With(RuleUTRegular)
	}
	a.Mode = d.mode
	if !withCols {
		return
	}
	dir := directoryValues(u)
	cur := syncedFields(rec)
	cols, err := profileOf(u).Diff(&cur, &dir)
	if err != nil {
		refuse(a, rec, err)
		return
	}
	a.Columns = cols
	// An update writes to Dataverse, or is no update: the OnDemand mark is
	// this library's, which no column holds (it is kept by the writes that
	// happen anyway).
	if a.Verb == Update && cols == 0 && rec.Mode == d.mode {
		a.Verb = Leave
	}
}

// syncedFields returns rec's fields with the identity columns taken from
// the record itself.
func syncedFields(rec *Record) syncfields.Fields {
	f := rec.Fields
	f.Columns.Set(syncfields.ObjectID, rec.ObjectID)
	f.Columns.Set(syncfields.DomainName, rec.UPN)
	return f
}

// materialize writes into out the record as action a leaves it, and into
// res what the field sync did: Create and the columns of Enable and Update
// through syncfields, the enabled flag and the access mode from the
// action. out and res must start as zero values. Should the field sync
// refuse what NextAction's Diff accepted, a is turned into a refusal and
// nothing changes. A nil res leaves the field sync out: out then has the
// state the action leaves (enabled or not, access mode, UPN, teams, the
// on-demand mark) and its columns as they were, none for a new record.
func materialize(u *User, env *Environment, rec *Record, t Trigger, a *Action, d *Decision, out *Record, res *syncfields.Result) {
	if rec != nil {
		*out = *rec
	}
	var err error
	switch a.Verb {
	case Create:
		*out = Record{ObjectID: u.ObjectID, UPN: u.UPN, Mode: a.Mode, ApplicationID: u.ApplicationID, OnDemand: onDemandEntitled(d)}
		if res != nil {
			dir := directoryValues(u)
			out.Fields, *res, err = profileOf(u).Create(&dir)
		}
		if t == FirstAccess {
			out.Teams = env.TeamsOf(u) // GT-JIT-ADD
		}
	case Enable, Update:
		if res != nil {
			dir := directoryValues(u)
			out.Fields = syncedFields(rec)
			err = profileOf(u).UpdateInto(&out.Fields, res, &out.Fields, &dir)
		}
		if err == nil {
			out.Mode, out.Disabled, out.OnDemand = a.Mode, false, onDemandEntitled(d)
			switch {
			case res != nil:
				out.UPN = out.Fields.Columns.Get(syncfields.DomainName)
			case u.UPN != "":
				// The sync writes the domain name from the user's UPN
				// (SYNC-ALWAYS), and keeps the record's when the user has
				// none (TestSettleIsReconcile).
				out.UPN = u.UPN
			}
		}
		if a.Rules.Has(RuleGTAtAccess) { // cited only at the user's own access
			out.Teams = env.TeamsOf(u)
		}
	case Disable:
		out.Disabled = true
	case Leave:
		if u == nil || a.Err != nil {
			break
		}
		if a.Rules.Has(RuleGTAtAccess) { // cited only at the user's own access
			out.Teams = env.TeamsOf(u)
		}
		if d.Admitted() && !rec.Disabled && !rec.SoftDeleted && d.kind.Synced() {
			// Nothing to write to Dataverse, but the library's own mark of
			// an on-demand entitlement follows the user (LIFE-ON-DEMAND-KEEP).
			out.OnDemand = onDemandEntitled(d)
		}
	}
	if err != nil { // NextAction checked the same input with Diff: unreachable
		refuse(a, rec, err)
		*out, *res = Record{}, syncfields.Result{} // res is not nil: only the field sync fails
		if rec != nil {
			*out = *rec
		}
	}
}

// profileOf returns the field mapping of u's record: Application for a
// service principal, which carries none of a user's profile attributes
// (SYNC-APPLICATION), and Online for a user.
func profileOf(u *User) *syncfields.Profile {
	if u.ApplicationID != "" {
		return syncfields.Application()
	}
	return syncfields.Online()
}

// directoryValues returns u's attributes with the identity columns taken
// from u itself.
func directoryValues(u *User) syncfields.Values {
	dir := u.Attributes
	dir.Set(syncfields.ObjectID, u.ObjectID)
	dir.Set(syncfields.DomainName, u.UPN)
	return dir
}

// orphan decides for a checked record that no directory user matches by
// object ID (LIFE-MATCH): the records the sync never changes are left; so
// is an application record without an object ID, which no user can match;
// any other is the record of a user gone from the directory, and is
// disabled (LIFE-DISABLE), never deleted.
func orphan(cr *CheckedRecord, a *Action) {
	rec := cr.r
	switch {
	case rec.SoftDeleted:
		a.Verb = Leave
		a.Rules = RuleSetOf(RuleDelSoftEffect)
	case !cr.kind.Synced():
		a.Verb = Leave
		a.Rules = RuleSetOf(notSyncedRule[cr.kind], RuleLifeNotSynced)
	case rec.ObjectID == "":
		a.Verb = Leave
		a.Rules = RuleSetOf(RuleUTApplication, RuleLifeMatch)
	default:
		// The user is gone from the directory: its record is disabled,
		// never deleted (DEL-DIRECTORY).
		a.Rules = RuleSetOf(RuleLifeMatch, RuleLifeDisable, RuleLifeNeverDelete, RuleDelDirectory)
		a.Verb = disable(rec)
	}
}
