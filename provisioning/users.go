package provisioning

import (
	"errors"
	"strconv"

	"github.com/provisionrules/provisionrules/usertype"
)

// Users is the state of one environment's SystemUser records, on which
// administrators' operations act. Every operation is a pure function from
// one state to the next: it returns a new Users and leaves its receiver
// unchanged; a refused operation returns the receiver itself and a
// *OpError, and changes nothing at all.
//
// Records are found by key: a record's object ID, or, for a record without
// one (a stub), its UPN.
type Users struct {
	Environment Environment `json:"environment"`
	Records     []Record    `json:"records"`
}

// Sentinel errors wrapped by an *OpError.
var (
	// ErrNonInteractiveLimit: the environment already holds
	// usertype.NonInteractiveLimit non-interactive users
	// (UT-NONINTERACTIVE-LIMIT).
	ErrNonInteractiveLimit = errors.New("provisioning: the environment already has 7 non-interactive users")
	// ErrRoleOnDisabled: a role cannot be assigned to a disabled user
	// unless allowRoleAssignmentOnDisabledUsers is on
	// (LIFE-ROLE-ON-DISABLED).
	ErrRoleOnDisabled = errors.New("provisioning: a security role cannot be assigned to a disabled user")
	// ErrNotFound: no record has the key.
	ErrNotFound = errors.New("provisioning: no such record")
	// ErrFixedRecord: the support, delegated-admin and application records
	// keep their access mode (UT-SUPPORT, UT-DELEGATED-ADMIN,
	// UT-APPLICATION), and a stub is never made a real user (UT-STUB).
	ErrFixedRecord = errors.New("provisioning: this record's access mode cannot be changed")
	// ErrKnownUser: a stub is imported only for a user with no record.
	ErrKnownUser = errors.New("provisioning: a record for this user exists")
)

// OpError reports a refused operation: which, on which record, the rule
// that refused it, and why.
type OpError struct {
	Op   string // "MarkNonInteractive", "SetAccessMode", "AssignRole", "RemoveRoles", "ImportStub"
	Key  string // the record's key
	Rule Rule   // the rule that refused it; zero for a missing record or bad input
	Err  error
}

// Error names the operation, the record, why it was refused and the rule.
func (e *OpError) Error() string {
	s := "provisioning: " + e.Op + " " + strconv.Quote(e.Key) + ": " + trimPrefix(e.Err.Error())
	if e.Rule.IsValid() {
		s += " (" + e.Rule.String() + ")"
	}
	return s
}

// Unwrap returns the sentinel error.
func (e *OpError) Unwrap() error { return e.Err }

func trimPrefix(s string) string {
	const p = "provisioning: "
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// find returns the index of the record with key, or -1.
func (s Users) find(key string) int {
	for i := range s.Records {
		r := &s.Records[i]
		if key != "" && (r.ObjectID == key || r.ObjectID == "" && r.UPN == key) {
			return i
		}
	}
	return -1
}

// NonInteractiveCount returns how many records count toward
// usertype.NonInteractiveLimit: access mode NonInteractive and no
// application ID, disabled ones included (UT-NONINTERACTIVE-LIMIT).
func (s Users) NonInteractiveCount() int {
	n := 0
	for i := range s.Records {
		if k, err := s.Records[i].Kind(); err == nil && k.CountsTowardLimit() {
			n++
		}
	}
	return n
}

// with returns a copy of s whose record i is changed by f; the other
// records are shared, never written.
func (s Users) with(i int, f func(*Record)) Users {
	out := Users{Environment: s.Environment, Records: append([]Record(nil), s.Records...)}
	r := &out.Records[i]
	r.Roles = append([]string(nil), r.Roles...)
	f(r)
	return out
}

// target finds the record for op and refuses the records whose access mode
// is fixed.
func (s Users) target(op, key string) (int, *OpError) {
	i := s.find(key)
	if i < 0 {
		return -1, &OpError{Op: op, Key: key, Err: ErrNotFound}
	}
	k, err := s.Records[i].Kind()
	if err != nil {
		return -1, &OpError{Op: op, Key: key, Err: err}
	}
	switch k {
	case usertype.KindSupport:
		return -1, &OpError{Op: op, Key: key, Rule: RuleUTSupport, Err: ErrFixedRecord}
	case usertype.KindDelegatedAdmin:
		return -1, &OpError{Op: op, Key: key, Rule: RuleUTDelegatedAdmin, Err: ErrFixedRecord}
	case usertype.KindApplication:
		return -1, &OpError{Op: op, Key: key, Rule: RuleUTApplication, Err: ErrFixedRecord}
	case usertype.KindStub:
		return -1, &OpError{Op: op, Key: key, Rule: RuleUTStub, Err: ErrFixedRecord}
	}
	return i, nil
}

// MarkNonInteractive gives the record with key access mode NonInteractive
// (UT-NONINTERACTIVE). It is refused with ErrNonInteractiveLimit when the
// environment already holds usertype.NonInteractiveLimit non-interactive
// users that are not application users, disabled ones included
// (UT-NONINTERACTIVE-LIMIT). Marking a record that already is
// non-interactive changes nothing.
func (s Users) MarkNonInteractive(key string) (Users, error) {
	return s.SetAccessMode(key, usertype.NonInteractive)
}

// SetAccessMode gives the record with key access mode m, an access mode an
// administrator sets and the sync then keeps (MODE-KEEP). The support and
// delegated-admin modes belong to their records alone; the support,
// delegated-admin, application and stub records keep theirs
// (ErrFixedRecord); non-interactive is subject to the limit
// (ErrNonInteractiveLimit).
func (s Users) SetAccessMode(key string, m usertype.AccessMode) (Users, error) {
	const op = "SetAccessMode"
	switch {
	case !m.IsValid():
		return s, &OpError{Op: op, Key: key, Err: &FieldError{Record: "operation", Field: "Mode", Value: m.String(), Err: ErrUnknown}}
	case m == usertype.SupportUser:
		return s, &OpError{Op: op, Key: key, Rule: RuleUTSupport, Err: ErrFixedRecord}
	case m == usertype.DelegatedAdmin:
		return s, &OpError{Op: op, Key: key, Rule: RuleUTDelegatedAdmin, Err: ErrFixedRecord}
	}
	i, err := s.target(op, key)
	if err != nil {
		return s, err
	}
	if s.Records[i].Mode == m {
		return s, nil
	}
	if m == usertype.NonInteractive && s.NonInteractiveCount() >= usertype.NonInteractiveLimit {
		return s, &OpError{Op: op, Key: key, Rule: RuleUTNonInteractiveLimit, Err: ErrNonInteractiveLimit}
	}
	return s.with(i, func(r *Record) { r.Mode = m }), nil
}

// AssignRole gives the record with key the security role role. A disabled
// user gets no role unless the environment's
// allowRoleAssignmentOnDisabledUsers is on (LIFE-ROLE-ON-DISABLED).
// Assigning a role the user has changes nothing.
func (s Users) AssignRole(key, role string) (Users, error) {
	const op = "AssignRole"
	if role == "" {
		return s, &OpError{Op: op, Key: key, Err: &FieldError{Record: "operation", Field: "Role", Err: ErrMissing}}
	}
	i := s.find(key)
	if i < 0 {
		return s, &OpError{Op: op, Key: key, Err: ErrNotFound}
	}
	r := &s.Records[i]
	if r.Disabled && !s.Environment.Settings.AllowRoleAssignmentOnDisabledUsers {
		return s, &OpError{Op: op, Key: key, Rule: RuleLifeRoleOnDisabled, Err: ErrRoleOnDisabled}
	}
	if found, _ := scanIDs(r.Roles, role); found {
		return s, nil
	}
	return s.with(i, func(r *Record) { r.Roles = append(r.Roles, role) }), nil
}

// RemoveRoles takes every directly assigned security role from the record
// with key. The user stays enabled (LIFE-ROLES-NOT-DISABLE) and, without a
// role through a group team, can no longer use the apps
// (LIFE-ACCESS-NEEDS-ROLE).
func (s Users) RemoveRoles(key string) (Users, error) {
	i := s.find(key)
	if i < 0 {
		return s, &OpError{Op: "RemoveRoles", Key: key, Err: ErrNotFound}
	}
	return s.with(i, func(r *Record) { r.Roles = nil }), nil
}

// ImportStub records a data import that refers to a user with no record:
// it creates a disabled stub record for upn with the default role,
// Salesperson in an environment with Dynamics 365 apps, Basic User
// otherwise (UT-STUB). A record for upn must not exist (ErrKnownUser).
func (s Users) ImportStub(upn string) (Users, error) {
	const op = "ImportStub"
	if upn == "" {
		return s, &OpError{Op: op, Key: upn, Err: &FieldError{Record: "operation", Field: "UPN", Err: ErrMissing}}
	}
	for i := range s.Records {
		if s.Records[i].UPN == upn {
			return s, &OpError{Op: op, Key: upn, Rule: RuleLifeMatch, Err: ErrKnownUser}
		}
	}
	role := "Basic User"
	if s.Environment.DynamicsApps {
		role = "Salesperson"
	}
	out := Users{Environment: s.Environment, Records: append(append([]Record(nil), s.Records...), Record{
		UPN: upn, Stub: true, Disabled: true, Roles: []string{role},
	})}
	return out, nil
}

// Sync applies what trigger t does for directory user u (Reconcile) to the
// environment's records, and returns the new state and the action. The
// sync never deletes a record, never changes the support, delegated-admin
// or stub records, and never makes a user non-interactive, so it never
// breaks the limit.
func (s Users) Sync(u *User, t Trigger) (Users, Action) {
	var rec *Record
	i := -1
	if u != nil {
		for j := range s.Records {
			if s.Records[j].ObjectID != "" && s.Records[j].ObjectID == u.ObjectID {
				i, rec = j, &s.Records[j]
				break
			}
		}
	}
	r := Reconcile(u, &s.Environment, rec, t)
	switch r.Action.Verb {
	case Create:
		return Users{Environment: s.Environment, Records: append(append([]Record(nil), s.Records...), r.Record)}, r.Action
	case Enable, Disable, Update:
		return s.with(i, func(x *Record) { *x = r.Record }), r.Action
	}
	return s, r.Action
}
