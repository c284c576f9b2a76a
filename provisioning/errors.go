package provisioning

import (
	"errors"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/sentinel"
	"github.com/provisionrules/provisionrules/internal/strictjson"
)

// The sentinel errors of the package, for callers that branch on the kind
// of problem with errors.Is. Each has one meaning. The first six are the
// module's: this package is their one home, and the errors of every
// package of the module (usertype, syncfields, wire, tenant, load) wrap
// them for the same problem, so one test finds them wherever they came
// from.
var (
	// ErrUnknown: a value that names no member of one of the module's
	// closed enums.
	ErrUnknown = sentinel.ErrUnknown
	// ErrMissing: a required value is empty, or a required argument nil.
	ErrMissing = sentinel.ErrMissing
	// ErrContradiction: two fields say things that cannot both be true.
	ErrContradiction = sentinel.ErrContradiction
	// ErrDuplicate: two users, environments or records share a key that
	// must be unique.
	ErrDuplicate = sentinel.ErrDuplicate
	// ErrMalformed: a value that is not well formed, such as an identifier
	// holding control or bidirectional formatting characters.
	ErrMalformed = sentinel.ErrMalformed
	// ErrObjectMismatch: a record given for a user belongs to another
	// object ID; records match users by object ID only (LIFE-MATCH).
	ErrObjectMismatch = sentinel.ErrObjectMismatch

	// ErrDeveloperGroup: a developer environment says it has a security
	// group, which it cannot have (ENV-NO-GROUP).
	ErrDeveloperGroup = errors.New("a developer environment cannot have a security group (ENV-NO-GROUP)")

	// ErrNoRecord: no record of the environment has the key an operation
	// names.
	ErrNoRecord = errors.New("no record has this key")
	// ErrRecordExists: a stub is imported only for a user with no record.
	ErrRecordExists = errors.New("a record for this user exists")
	// ErrNonInteractiveLimit: the environment already holds
	// usertype.NonInteractiveLimit non-interactive users
	// (UT-NONINTERACTIVE-LIMIT).
	ErrNonInteractiveLimit = errors.New("the environment already has 7 non-interactive users")
	// ErrFixedRecord: the support, delegated-admin and application records
	// keep their access mode (UT-SUPPORT, UT-DELEGATED-ADMIN,
	// UT-APPLICATION), and a stub is never made a real user (UT-STUB).
	ErrFixedRecord = errors.New("this record's access mode cannot be changed")
	// ErrRoleOnDisabled: a role cannot be assigned to a disabled user
	// unless allowRoleAssignmentOnDisabledUsers is on
	// (LIFE-ROLE-ON-DISABLED).
	ErrRoleOnDisabled = errors.New("a security role cannot be assigned to a disabled user")

	// ErrNothingToWrite: an action that leaves the record as it is, or
	// refuses the user, writes nothing to Dataverse.
	ErrNothingToWrite = errors.New("the action writes nothing")

	// ErrNoTeam: no group team of the environment has the group an
	// operation names.
	ErrNoTeam = errors.New("no group team has this group")
	// ErrTeamExists: a group backs one team per environment, whose
	// membership type cannot change (GT-TEAM).
	ErrTeamExists = errors.New("a group team for this group exists, and its membership type cannot change")
	// ErrAccessDenied: the user's access is refused; the OpError's rule
	// says why.
	ErrAccessDenied = errors.New("the user may not access the environment")

	// ErrNeverDeleted: the support and delegated-admin records are never
	// deleted (DEL-SOFT).
	ErrNeverDeleted = errors.New("the support and delegated-admin records are never deleted")
	// ErrRecordEnabled: only a disabled record can be deleted (DEL-SOFT).
	ErrRecordEnabled = errors.New("an enabled record cannot be deleted")
	// ErrUserExists: a regular user's record can be deleted only once its
	// directory user is gone for good (DEL-SOFT).
	ErrUserExists = errors.New("the directory user still exists")
	// ErrSoftDeleted: a soft-deleted record is never enabled, restored or
	// changed again (DEL-SOFT-EFFECT).
	ErrSoftDeleted = errors.New("the record is soft-deleted")
	// ErrNotSoftDeleted: only a soft-deleted record can be permanently
	// deleted (DEL-PERMANENT).
	ErrNotSoftDeleted = errors.New("the record is not soft-deleted")
	// ErrOwnsRecords: a user who still owns records cannot be permanently
	// deleted (DEL-PERMANENT).
	ErrOwnsRecords = errors.New("the user still owns records")
	// ErrDeleteDisabledUsersOff: the environment's "Enable delete disabled
	// users" setting is off (DEL-PERMANENT).
	ErrDeleteDisabledUsersOff = errors.New("the environment's Enable delete disabled users setting is off")
)

// FieldError reports one malformed field of an input: which input, which
// of its kind (by key), which field, the value found and what is wrong.
// It is the module's one error about a field: tenant, wire and load
// report their inputs' fields with it too. It names no package; a report
// enclosing it (a *tenant.MalformedError, a *wire.Error) adds its own.
type FieldError struct {
	// Input is what was given: "user", "environment", "record", "trigger",
	// "operation", "snapshot" or "change"; for an error of reading JSON,
	// the type read, such as "license", "action" or "delta".
	Input string
	// Key is the ID of the user, environment or record, when known.
	Key string
	// Field is the field's Go name, with the path to it and an index for a
	// list element: "Licenses[1].Tenant", "Users[3].ObjectID". An error of
	// reading JSON (an UnmarshalJSON of the module's) names the JSON path
	// instead: "licenses[1].tenant", "users[3].objectId"; it is empty for
	// the text as a whole (not UTF-8, say).
	Field string
	// Value is the value found, as text.
	Value string
	// Err is one of the sentinel errors above, or an error wrapping one.
	Err error
}

// Error names the input, its key, the field, the value and what is wrong.
// An error of reading JSON names the value only when there is one (not
// for a field left out or unknown), and no field for the text as a
// whole.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.Input)
	if e.Key != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Key))
	}
	var place *strictjson.Error
	read := errors.As(e.Err, &place) // an error of reading JSON
	if e.Field != "" || e.Value != "" || !read {
		b.WriteString(": field ")
		b.WriteString(e.Field)
	}
	if e.Value != "" || !read { // JSON read has no value for a key left out
		b.WriteString(" = ")
		b.WriteString(strconv.Quote(e.Value))
	}
	b.WriteString(": ")
	b.WriteString(errtext.Inner(e.Err))
	return b.String()
}

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

// OpError reports a refused operation on an environment's records: which
// operation, on which record, the rule that refused it, and why. Like
// FieldError, it names no package.
type OpError struct {
	// Op is the operation's method name on Org, such as
	// "MarkNonInteractive".
	Op string
	// Key is the key of the record it named.
	Key string
	// Rule is the rule that refused it; zero for a missing record or bad
	// input.
	Rule Rule
	// Err is one of the sentinel errors above, or a *FieldError.
	Err error
	// Checks are, for a refused access (ErrAccessDenied), the checks that
	// refuse it, each with its reason and fix, the most specific first;
	// Rule is the first of them.
	Checks []Check
}

// Error names the operation, the record, why it was refused and the rules.
func (e *OpError) Error() string {
	s := e.Op + " " + strconv.Quote(e.Key) + ": " + errtext.Inner(e.Err)
	if len(e.Checks) > 0 {
		ids := make([]string, len(e.Checks))
		for i, c := range e.Checks {
			ids[i] = c.Rule.String()
		}
		return s + " (" + strings.Join(ids, ", ") + ")"
	}
	if e.Rule.IsValid() && !strings.Contains(s, "("+e.Rule.String()+")") {
		s += " (" + e.Rule.String() + ")"
	}
	return s
}

// Unwrap returns the underlying error.
func (e *OpError) Unwrap() error { return e.Err }

// missing reports a required argument that is nil.
func missing(input, typ string) *FieldError {
	return &FieldError{Input: input, Field: typ, Value: "nil", Err: ErrMissing}
}

// indexed names element i of list, or a field of it.
func indexed(list string, i int, field string) string { return errtext.Indexed(list, i, field) }
