package provisioning

import "github.com/provisionrules/provisionrules/usertype"

// Checking once, deciding many: CheckUser, CheckEnvironment and CheckRecord
// run a value's Validate once and return the proof of it, which only they
// can make (the types have no exported fields). A CheckedEnvironment then
// decides for any number of checked users and records without reading
// their text again, as a compiled policy is evaluated many times: that is
// the path a tenant's plan takes for every pair. Evaluate, Reconcile and
// NextAction on plain values check them on every call and then take the
// same path, so the two agree by construction.
//
// A checked value points at the value it checked, which must not change
// while the proof is in use: check it again after a change.

// CheckedUser is a directory user that passed Validate, with the facts the
// rules read of it alone. Its zero value checks no user: where a user is
// optional (NextAction), it means none.
type CheckedUser struct {
	u *User
	f facts
}

// CheckUser validates u (User.Validate) and returns the proof, or the
// *FieldError naming the first malformed field and the zero CheckedUser.
func CheckUser(u *User) (CheckedUser, error) {
	if u == nil {
		return CheckedUser{}, missing("user", "*User")
	}
	if err := u.validate(""); err != nil {
		return CheckedUser{}, err
	}
	return CheckedUser{u: u, f: u.ownFacts()}, nil
}

// User returns the user checked; nil for the zero CheckedUser.
func (c CheckedUser) User() *User { return c.u }

// CheckedEnvironment is an environment that passed Validate, with the
// facts the rules read of it whatever the user, computed once. Its zero
// value checks no environment, and decides nothing: its decisions are
// Never, with an error.
type CheckedEnvironment struct {
	env *Environment
	f   facts
}

// CheckEnvironment validates env (Environment.Validate) and returns the
// proof, or the *FieldError naming the first malformed field and the zero
// CheckedEnvironment.
func CheckEnvironment(env *Environment) (CheckedEnvironment, error) {
	if env == nil {
		return CheckedEnvironment{}, missing("environment", "*Environment")
	}
	if err := env.validate(); err != nil {
		return CheckedEnvironment{}, err
	}
	return CheckedEnvironment{env: env, f: env.ownFacts()}, nil
}

// Environment returns the environment checked; nil for the zero
// CheckedEnvironment.
func (c CheckedEnvironment) Environment() *Environment { return c.env }

// CheckedRecord is a SystemUser record that passed Validate, with its kind
// and the facts the rules read of it. Its zero value checks no record:
// where a record is optional, it means none.
type CheckedRecord struct {
	r    *Record
	kind usertype.Kind
	f    facts
}

// CheckRecord validates r (Record.Validate) and returns the proof, or the
// error naming the first malformed field (a *FieldError; a malformed
// column is a *FieldError of field Fields wrapping the
// *syncfields.ColumnError) and the zero CheckedRecord.
func CheckRecord(r *Record) (CheckedRecord, error) {
	if r == nil {
		return CheckedRecord{}, missing("record", "*Record")
	}
	k, err := r.validate()
	if err != nil {
		return CheckedRecord{}, err
	}
	return CheckedRecord{r: r, kind: k, f: r.facts()}, nil
}

// Record returns the record checked; nil for the zero CheckedRecord.
func (c CheckedRecord) Record() *Record { return c.r }

// Evaluate is the package's Evaluate of checked values: the same decision,
// without reading their text again. It allocates nothing for a user and
// environment that decide without error.
func (c CheckedEnvironment) Evaluate(u CheckedUser) Decision {
	return c.decide(&u, &CheckedRecord{})
}

// EvaluateRecord is the package's EvaluateRecord of checked values. A zero
// r is the same as Evaluate; a record that does not belong to the user
// (LIFE-MATCH) or carries another application ID is malformed input, as
// EvaluateRecord has it.
func (c CheckedEnvironment) EvaluateRecord(u CheckedUser, r CheckedRecord) Decision {
	return c.decide(&u, &r)
}

// NextAction is the package's NextAction of checked values: a zero u for
// a record no user matches (LIFE-MATCH), a zero r for a user without a
// record.
func (c CheckedEnvironment) NextAction(u CheckedUser, r CheckedRecord, t Trigger) (Action, Decision) {
	return c.nextAction(&u, &r, t)
}

// Reconcile is the package's Reconcile of checked values: the action, the
// record after it and the decisions before and after, decided on what
// the checks proved (ReconcileInto).
func (c CheckedEnvironment) Reconcile(u CheckedUser, r CheckedRecord, t Trigger) Reconciliation {
	var out Reconciliation
	c.ReconcileInto(&out, u, r, t)
	return out
}

// ReconcileInto writes into out what Reconcile returns, and returns the
// proof of out.Record: the record the action leaves, checked, ready to be
// reconciled again, as a user's own access after the background sync. The
// proof is the zero CheckedRecord when the user has no record after the
// action, when no user is given (a record no user matches), or when the
// input is malformed. Whatever out held before is overwritten.
//
// The record the action makes is built of checked parts only: the user's
// identifiers and values, the record's own, the environment's team groups,
// and the columns the field sync wrote from valid values. So only its
// structure is checked again (TestCheckedReconcileIsReconcile,
// TestSyncedRecordPassesCheck).
func (c CheckedEnvironment) ReconcileInto(out *Reconciliation, u CheckedUser, r CheckedRecord, t Trigger) CheckedRecord {
	*out = Reconciliation{}
	out.Action, out.Before = c.nextAction(&u, &r, t)
	materialize(u.u, c.env, r.r, t, &out.Action, &out.Before, &out.Record, &out.Sync)
	out.After = out.Before
	return c.after(&out.After, &out.Action, u, &out.Record)
}

// Settle is where trigger t leaves a user and its record, without the
// field sync, for a caller that asks where a user stands rather than what
// to write. It writes into out the record as the action leaves it in
// everything the rules read (enabled or not, access mode, UPN, teams, the
// on-demand mark) with its columns as they were, none for a new record,
// and returns the decision after the action and the proof of out. The
// proof is the zero CheckedRecord when the user has no record after the
// action, or when u is the zero CheckedUser (a record no user matches).
// Malformed input is the error ReconcileInto's action carries. The
// decision, the record's state and the proof's next decisions are
// ReconcileInto's (TestSettleIsReconcile), at the cost of the decisions
// alone: no column is compared or written.
func (c CheckedEnvironment) Settle(out *Record, u CheckedUser, r CheckedRecord, t Trigger) (Decision, CheckedRecord, error) {
	*out = Record{}
	a, d := c.act(&u, &r, t, false)
	if a.Err != nil {
		return d, CheckedRecord{}, a.Err
	}
	materialize(u.u, c.env, r.r, t, &a, &d, out, nil)
	return d, c.after(&d, &a, u, out), nil
}

// after turns d, the decision action a was decided on, into the decision
// of the state a leaves rec in, and returns the proof of rec (zero when
// the user has none after a, or for malformed input).
func (c CheckedEnvironment) after(d *Decision, a *Action, u CheckedUser, rec *Record) CheckedRecord {
	if !a.HasRecord() || a.Err != nil || u.u == nil {
		return CheckedRecord{}
	}
	k, err := rec.check()
	if err != nil {
		*d = EvaluateRecord(u.u, c.env, rec)
		return CheckedRecord{}
	}
	nr := CheckedRecord{r: rec, kind: k, f: rec.facts()}
	*d = c.decide(&u, &nr)
	return nr
}

// describe fills in what a decision says of its inputs whether or not they
// are well formed: the user's name and roles, the environment's ID,
// tenant and group.
func (d *Decision) describe(u *User, env *Environment) {
	d.roles, d.groupRoles = u.Roles, u.GroupRoles&^u.Roles
	d.who = u.UPN
	if d.who == "" {
		d.who = u.ObjectID
	}
	d.env, d.tenant, d.group = env.ID, env.Tenant, env.SecurityGroup
}

// decide decides for checked u (and record r, when it holds one) in c: the
// one path every decision takes.
func (c *CheckedEnvironment) decide(cu *CheckedUser, cr *CheckedRecord) (d Decision) {
	env, u, rec := c.env, cu.u, cr.r
	switch {
	case env == nil:
		d.err = missing("environment", "CheckedEnvironment")
		return
	case u == nil:
		d.err = missing("user", "CheckedUser")
		return
	}
	d.describe(u, env)
	f, foreign := u.pairFacts(env.Tenant, env.SecurityGroup)
	d.facts, d.foreign = f|cu.f|c.f, foreign
	if env.Creator != "" && env.Creator == u.ObjectID {
		d.facts |= fCreator
	}
	d.kind = usertype.KindRegular
	if d.facts.has(fServicePrincipal) {
		d.kind = usertype.KindApplication
	}
	if rec != nil {
		if d.err = cr.belongsTo(u); d.err != nil {
			d.facts, d.foreign = 0, "" // malformed: nothing was checked
			return
		}
		// The record tells what kind of user it is; a service principal's
		// always says application (belongsTo).
		d.kind = cr.kind
		d.facts |= cr.f
		d.recMode = rec.Mode
	}
	if len(env.Teams) > 0 {
		var tf facts
		tf, d.team, d.roleTeam = env.teamFacts(u, rec)
		d.facts |= tf
	}
	d.decide()
	return
}

// belongsTo checks the checked record as the record of u. A record
// belongs to u only by object ID (Match), and carries u's application ID,
// if any (UT-APPLICATION); a stub, which stands for a user that does not
// exist, may carry any application ID.
func (cr *CheckedRecord) belongsTo(u *User) *FieldError {
	r := cr.r
	if !Match(u, r) {
		return &FieldError{Input: "record", Key: r.Key(), Field: "ObjectID", Value: r.ObjectID, Err: ErrObjectMismatch}
	}
	if r.ApplicationID != u.ApplicationID && cr.kind != usertype.KindStub {
		// A service principal's record carries its application ID, and only
		// a service principal's does.
		return &FieldError{Input: "record", Key: r.Key(), Field: "ApplicationID", Value: r.ApplicationID, Err: ErrContradiction}
	}
	return nil
}
