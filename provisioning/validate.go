package provisioning

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by a *FieldError, for callers that branch on the
// kind of problem.
var (
	// ErrMissing: a required field is empty.
	ErrMissing = errors.New("provisioning: required value is empty")
	// ErrContradiction: two fields say things that cannot both be true.
	ErrContradiction = errors.New("provisioning: contradicts another field")
	// ErrDeveloperGroup: a developer environment says it has a security
	// group, which it cannot have (ENV-NO-GROUP).
	ErrDeveloperGroup = errors.New("provisioning: a developer environment cannot have a security group (ENV-NO-GROUP)")
	// ErrRecordMismatch: a record given for a user belongs to another
	// object ID; records match users by object ID only (LIFE-MATCH).
	ErrRecordMismatch = errors.New("provisioning: the record belongs to another directory object (LIFE-MATCH)")
	// ErrDuplicate: two users, environments or records of a snapshot share
	// a key.
	ErrDuplicate = errors.New("provisioning: key given twice")
)

// FieldError reports one malformed field of an input: which record, which
// field, the value found and what is wrong with it.
type FieldError struct {
	Record string // "user", "environment" or "record"
	Key    string // the ID of the user, environment or record, when known
	Field  string // the field's Go name, with an index for a list element: "Licenses[1].Tenant"
	Value  string // the value found, as text
	Err    error  // one of the sentinels above, or an error wrapping ErrUnknown
}

// Error names the record, the field, the value and what is wrong.
func (e *FieldError) Error() string {
	var b strings.Builder
	b.WriteString("provisioning: ")
	b.WriteString(e.Record)
	if e.Key != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Key))
	}
	b.WriteString(": field ")
	b.WriteString(e.Field)
	b.WriteString(" = ")
	b.WriteString(strconv.Quote(e.Value))
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "provisioning: "))
	return b.String()
}

// Unwrap returns the underlying sentinel or enum error.
func (e *FieldError) Unwrap() error { return e.Err }

func indexed(list string, i int, field string) string {
	s := list + "[" + strconv.Itoa(i) + "]"
	if field != "" {
		s += "." + field
	}
	return s
}

// Validate reports the first malformed field of u as a *FieldError: an
// empty ObjectID, an empty UPN on a user that is not a service principal,
// a user both deleted and soft-deleted, a guest without a home tenant, a
// license with an unknown plan or no tenant, unknown admin roles, or an
// empty group ID. It returns nil for a well-formed user.
func (u *User) Validate() error {
	if u == nil {
		return &FieldError{Record: "user", Field: "*User", Value: "nil", Err: ErrMissing}
	}
	if _, _, err := u.scan("", ""); err != nil {
		return err
	}
	return nil
}

// scan validates u and, in the same single pass over its lists, collects
// what admission needs to know of it in an environment of tenant with
// security group: which licenses count (LIC-GUEST-TENANT: only those
// assigned in tenant), and how the user relates to group. foreign is the
// smallest tenant of a premium or free license assigned elsewhere, so that
// it does not depend on the licenses' order. scan allocates only to report
// a malformed field.
func (u *User) scan(tenant, group string) (f facts, foreign string, err *FieldError) {
	bad := func(field, value string, err error) *FieldError {
		return &FieldError{Record: "user", Key: u.ObjectID, Field: field, Value: value, Err: err}
	}
	switch {
	case u.ObjectID == "":
		return 0, "", bad("ObjectID", "", ErrMissing)
	case u.UPN == "" && u.ApplicationID == "":
		return 0, "", bad("UPN", "", ErrMissing)
	case u.Deleted && u.SoftDeleted:
		return 0, "", bad("SoftDeleted", "true", ErrContradiction)
	case u.Guest && u.HomeTenant == "":
		return 0, "", bad("HomeTenant", "", ErrMissing)
	case !u.Roles.IsValid():
		return 0, "", bad("Roles", u.Roles.String(), ErrUnknown)
	}
	if u.Enabled {
		f |= fEnabled
	}
	if u.Deleted {
		f |= fDeleted
	}
	if u.SoftDeleted {
		f |= fSoftDeleted
	}
	if u.ApplicationID != "" {
		f |= fApp
	}
	if u.Roles.Any(allRoles) {
		f |= fAdmin
	}
	if u.Roles.Any(GlobalAdmin | PowerPlatformAdmin) {
		f |= fSGExempt
	}
	for i := range u.Licenses {
		l := &u.Licenses[i]
		switch {
		case l.Plan == 0 || l.Plan > PlanOther:
			return 0, "", bad(indexed("Licenses", i, "Plan"), l.Plan.String(), ErrUnknown)
		case l.Tenant == "":
			return 0, "", bad(indexed("Licenses", i, "Tenant"), "", ErrMissing)
		case l.Plan == PlanOther:
			f |= fOther
		case l.Tenant != tenant:
			if f&fForeign == 0 || l.Tenant < foreign {
				foreign = l.Tenant
			}
			f |= fForeign
		case l.Plan == PlanFreeDataverse:
			f |= fFree
		default:
			f |= fPremium
		}
	}
	if found, empty := scanIDs(u.Groups, group); empty >= 0 {
		return 0, "", bad(indexed("Groups", empty, ""), "", ErrMissing)
	} else if found {
		f |= fDirect
	}
	if found, empty := scanIDs(u.OwnedGroups, group); empty >= 0 {
		return 0, "", bad(indexed("OwnedGroups", empty, ""), "", ErrMissing)
	} else if found {
		f |= fOwner
	}
	if found, empty := scanIDs(u.NestedGroups, group); empty >= 0 {
		return 0, "", bad(indexed("NestedGroups", empty, ""), "", ErrMissing)
	} else if found && f&fDirect == 0 {
		f |= fNested
	}
	return f, foreign, nil
}

// scanIDs reports whether id (when not empty) is in list, and the index of
// the first empty ID in list, or -1.
func scanIDs(list []string, id string) (found bool, empty int) {
	for i, x := range list {
		if x == "" {
			return false, i
		}
		found = found || x == id
	}
	return found, -1
}

// Validate reports the first malformed field of env as a *FieldError: an
// empty ID or Tenant, an unknown type, a developer environment with a
// security group (ENV-NO-GROUP, ErrDeveloperGroup) or without a creator.
// It returns nil for a well-formed environment.
func (env *Environment) Validate() error {
	if env == nil {
		return &FieldError{Record: "environment", Field: "*Environment", Value: "nil", Err: ErrMissing}
	}
	if err := env.validate(); err != nil {
		return err
	}
	return nil
}

func (env *Environment) validate() *FieldError {
	bad := func(field, value string, err error) *FieldError {
		return &FieldError{Record: "environment", Key: env.ID, Field: field, Value: value, Err: err}
	}
	switch {
	case env.ID == "":
		return bad("ID", "", ErrMissing)
	case env.Tenant == "":
		return bad("Tenant", "", ErrMissing)
	case !env.Type.IsValid():
		return bad("Type", env.Type.String(), ErrUnknown)
	case env.Type == Developer && env.SecurityGroup != "":
		return bad("SecurityGroup", env.SecurityGroup, ErrDeveloperGroup)
	case env.Type == Developer && env.Creator == "":
		return bad("Creator", "", ErrMissing)
	}
	return nil
}
