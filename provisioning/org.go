package provisioning

import (
	"slices"

	"github.com/provisionrules/provisionrules/usertype"
)

// Org is one environment's Dataverse organization as the administrators'
// operations see it: the environment and its SystemUser records. Every
// operation is a pure function from one state to the next: it returns a
// new Org and leaves its receiver unchanged; a refused operation returns
// the receiver itself and an *OpError, and changes nothing at all.
//
// Records are found by key (Record.Key): a record's object ID, or, for a
// record without one (the support, delegated-admin and stub records), its
// UPN. A directory user is paired with its record by Match alone
// (LIFE-MATCH).
//
// Memory: a new Org has a new Records slice, and a new slice for every list
// it changes (a record's Roles, say); the records it does not change share
// their lists and Fields.Custom maps with the Org they came from. Neither
// is written after the operation returns, so old and new states can be
// kept side by side, but a caller that writes into a record's lists by
// hand writes into every state that shares them.
//
// Application users (a record with an application ID) are added by an
// administrator, on demand only, never by the background sync
// (UT-APPLICATION): Sync with a service principal's User and an on-demand
// trigger creates one. Their access mode is fixed: marking one
// non-interactive is refused with ErrFixedRecord, and they never count
// toward the non-interactive limit.
type Org struct {
	// Environment is the environment the records belong to.
	Environment Environment `json:"environment"`
	// Records are its SystemUser records, in no particular order.
	Records []Record `json:"records"`
}

// find returns the index of the record with key, or -1.
func (o Org) find(key string) int {
	if key == "" {
		return -1
	}
	for i := range o.Records {
		if o.Records[i].Key() == key {
			return i
		}
	}
	return -1
}

// NonInteractiveCount returns how many records count toward
// usertype.NonInteractiveLimit: access mode NonInteractive and no
// application ID, disabled ones included (UT-NONINTERACTIVE-LIMIT).
func (o Org) NonInteractiveCount() int {
	n := 0
	for i := range o.Records {
		if k, err := o.Records[i].Kind(); err == nil && k.CountsTowardLimit() {
			n++
		}
	}
	return n
}

// with returns a copy of o whose record i is changed by f. The records'
// role and team lists are shared with o: f must replace a list, never
// write into it.
func (o Org) with(i int, f func(*Record)) Org {
	out := Org{Environment: o.Environment, Records: append([]Record(nil), o.Records...)}
	f(&out.Records[i])
	return out
}

// live finds the record for op and refuses a soft-deleted one, which no
// operation changes (DEL-SOFT-EFFECT).
func (o Org) live(op, key string) (int, *OpError) {
	i := o.find(key)
	switch {
	case i < 0:
		return -1, &OpError{Op: op, Key: key, Err: ErrNoRecord}
	case o.Records[i].SoftDeleted:
		return -1, &OpError{Op: op, Key: key, Rule: RuleDelSoftEffect, Err: ErrSoftDeleted}
	}
	return i, nil
}

// fixedKind is the rule that keeps each kind of record the operations
// never change (UT-SUPPORT, UT-DELEGATED-ADMIN, UT-APPLICATION, UT-STUB).
var fixedKind = map[usertype.Kind]Rule{
	usertype.KindSupport:        RuleUTSupport,
	usertype.KindDelegatedAdmin: RuleUTDelegatedAdmin,
	usertype.KindApplication:    RuleUTApplication,
	usertype.KindStub:           RuleUTStub,
}

// target finds the record for op and refuses a soft-deleted one and the
// records whose access mode is fixed.
func (o Org) target(op, key string) (int, *OpError) {
	i, oe := o.live(op, key)
	if oe != nil {
		return -1, oe
	}
	k, err := o.Records[i].Kind()
	if err != nil {
		return -1, &OpError{Op: op, Key: key, Err: err}
	}
	if rule, ok := fixedKind[k]; ok {
		return -1, &OpError{Op: op, Key: key, Rule: rule, Err: ErrFixedRecord}
	}
	return i, nil
}

// MarkNonInteractive gives the record with key access mode NonInteractive
// (UT-NONINTERACTIVE). It is refused with ErrNonInteractiveLimit when the
// environment already holds usertype.NonInteractiveLimit non-interactive
// users that are not application users, disabled ones included
// (UT-NONINTERACTIVE-LIMIT). Marking a record that already is
// non-interactive changes nothing.
func (o Org) MarkNonInteractive(key string) (Org, error) {
	return o.setAccessMode("MarkNonInteractive", key, usertype.NonInteractive)
}

// SetAccessMode gives the record with key access mode m, an access mode an
// administrator sets and the sync then keeps (MODE-KEEP). The support and
// delegated-admin modes belong to their records alone; the support,
// delegated-admin, application and stub records keep theirs
// (ErrFixedRecord); non-interactive is subject to the limit
// (ErrNonInteractiveLimit).
func (o Org) SetAccessMode(key string, m usertype.AccessMode) (Org, error) {
	return o.setAccessMode("SetAccessMode", key, m)
}

func (o Org) setAccessMode(op, key string, m usertype.AccessMode) (Org, error) {
	switch {
	case !m.IsValid():
		return o, &OpError{Op: op, Key: key, Err: &FieldError{Input: "operation", Field: "Mode", Value: m.String(), Err: ErrUnknown}}
	case m == usertype.SupportUser:
		return o, &OpError{Op: op, Key: key, Rule: RuleUTSupport, Err: ErrFixedRecord}
	case m == usertype.DelegatedAdmin:
		return o, &OpError{Op: op, Key: key, Rule: RuleUTDelegatedAdmin, Err: ErrFixedRecord}
	}
	i, err := o.target(op, key)
	if err != nil {
		return o, err
	}
	if o.Records[i].Mode == m {
		return o, nil
	}
	if m == usertype.NonInteractive && o.NonInteractiveCount() >= usertype.NonInteractiveLimit {
		return o, &OpError{Op: op, Key: key, Rule: RuleUTNonInteractiveLimit, Err: ErrNonInteractiveLimit}
	}
	return o.with(i, func(r *Record) { r.Mode = m }), nil
}

// AssignRole gives the record with key the security role role. A disabled
// user gets no role unless the environment's
// allowRoleAssignmentOnDisabledUsers is on (LIFE-ROLE-ON-DISABLED).
// Assigning a role the user has changes nothing.
func (o Org) AssignRole(key, role string) (Org, error) {
	const op = "AssignRole"
	if role == "" {
		return o, &OpError{Op: op, Key: key, Err: &FieldError{Input: "operation", Field: "Role", Err: ErrMissing}}
	}
	i, oe := o.live(op, key)
	if oe != nil {
		return o, oe
	}
	r := &o.Records[i]
	if r.Disabled && !o.Environment.Settings.AllowRoleAssignmentOnDisabledUsers {
		return o, &OpError{Op: op, Key: key, Rule: RuleLifeRoleOnDisabled, Err: ErrRoleOnDisabled}
	}
	if found, _ := scanIDs(r.Roles, role); found {
		return o, nil
	}
	// Clipped, the append makes a new list: o's is shared.
	return o.with(i, func(r *Record) { r.Roles = append(slices.Clip(r.Roles), role) }), nil
}

// RemoveRoles takes every directly assigned security role from the record
// with key. The user stays enabled (LIFE-ROLES-NOT-DISABLE) and, without a
// role through a group team, can no longer use the apps
// (LIFE-ACCESS-NEEDS-ROLE).
func (o Org) RemoveRoles(key string) (Org, error) {
	i, oe := o.live("RemoveRoles", key)
	if oe != nil {
		return o, oe
	}
	return o.with(i, func(r *Record) { r.Roles = nil }), nil
}

// ImportStub records a data import that refers to a user with no record:
// it creates a disabled stub record for upn with the default role,
// Salesperson in an environment with Dynamics 365 apps, Basic User
// otherwise (UT-STUB). A record with that UPN must not exist
// (ErrRecordExists).
func (o Org) ImportStub(upn string) (Org, error) {
	const op = "ImportStub"
	if upn == "" {
		return o, &OpError{Op: op, Key: upn, Err: &FieldError{Input: "operation", Field: "UPN", Err: ErrMissing}}
	}
	for i := range o.Records {
		if o.Records[i].UPN == upn {
			return o, &OpError{Op: op, Key: upn, Rule: RuleLifeMatch, Err: ErrRecordExists}
		}
	}
	role := "Basic User"
	if o.Environment.DynamicsApps {
		role = "Salesperson"
	}
	out := Org{Environment: o.Environment, Records: append(append([]Record(nil), o.Records...), Record{
		UPN: upn, Stub: true, Disabled: true, Roles: []string{role},
	})}
	return out, nil
}

// Sync applies what trigger t does for directory user u (Reconcile) to
// u's record, the one that Match pairs with u, or to its absence; it
// returns the new state and the whole reconciliation: the action, the
// decision, the record after it and what the field sync wrote and kept.
// The sync never deletes a record, never changes the support,
// delegated-admin or stub records, and never makes a user
// non-interactive, so it never breaks the limit. A nil u is malformed
// input: the action is NotAdded with Err set, and nothing changes. For a
// record whose directory user no longer exists, use SyncGone.
func (o Org) Sync(u *User, t Trigger) (Org, Reconciliation) {
	if u == nil {
		var r Reconciliation
		r.Action.Environment = o.Environment.ID
		refuse(&r.Action, nil, missing("user", "*User"))
		return o, r
	}
	i := -1
	for j := range o.Records {
		if Match(u, &o.Records[j]) {
			i = j
			break
		}
	}
	var rec *Record
	if i >= 0 {
		rec = &o.Records[i]
	}
	return o.apply(i, Reconcile(u, &o.Environment, rec, t))
}

// SyncGone applies what trigger t does to the record with key when no
// directory user has its object ID any more (LIFE-MATCH): the user is
// gone, and its record is disabled (LIFE-DISABLE), never deleted
// (LIFE-NEVER-DELETE); the support, delegated-admin and stub records, and
// an application record without an object ID, are left. A key that names
// no record gives an action with Err wrapping ErrNoRecord.
func (o Org) SyncGone(key string, t Trigger) (Org, Reconciliation) {
	i := o.find(key)
	if i < 0 {
		var r Reconciliation
		r.Action.Environment, r.Action.Record = o.Environment.ID, key
		refuse(&r.Action, nil, &OpError{Op: "SyncGone", Key: key, Err: ErrNoRecord})
		return o, r
	}
	return o.apply(i, Reconcile(nil, &o.Environment, &o.Records[i], t))
}

// apply writes reconciliation r of record i (-1: none) into a new state.
func (o Org) apply(i int, r Reconciliation) (Org, Reconciliation) {
	switch r.Action.Verb {
	case Create:
		return Org{Environment: o.Environment, Records: append(append([]Record(nil), o.Records...), r.Record)}, r
	case Enable, Disable, Update:
		return o.with(i, func(x *Record) { *x = r.Record }), r
	case Leave:
		if i >= 0 && r.Action.Err == nil {
			// Nothing written to Dataverse, but the access may have brought
			// the record's teams up to date, and the sync its OnDemand mark.
			return o.with(i, func(x *Record) { *x = r.Record }), r
		}
	}
	return o, r
}
