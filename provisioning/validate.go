package provisioning

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// Validate reports the first malformed field of u as a *FieldError: an
// empty ObjectID, an empty UPN on a user that is not a service principal,
// a user both deleted and soft-deleted, a guest without a home tenant, a
// license with an unknown plan or no tenant, unknown admin roles, an empty
// group ID, an identifier holding control or bidirectional formatting
// characters or a UPN longer than MaxUPN (ErrMalformed), or Attributes
// that carry an object ID or a UPN (ErrContradiction: those have their
// one home in ObjectID and UPN). It returns nil for a well-formed user.
func (u *User) Validate() error {
	if u == nil {
		return missing("user", "*User")
	}
	if err := u.validate(""); err != nil {
		return err
	}
	return nil
}

// validate is Validate as the hot path reports it. A license tenant equal
// to checked, an identifier the caller has checked already (the
// environment's tenant), is not read again. It allocates only for an
// error.
func (u *User) validate(checked string) *FieldError {
	bad := func(field, value string, err error) *FieldError {
		return &FieldError{Input: "user", Key: u.ObjectID, Field: field, Value: value, Err: err}
	}
	switch {
	case u.ObjectID == "":
		return bad("ObjectID", "", ErrMissing)
	case u.UPN == "" && u.ApplicationID == "":
		return bad("UPN", "", ErrMissing)
	case u.Deleted && u.SoftDeleted:
		return bad("SoftDeleted", "true", ErrContradiction)
	case u.Guest && u.HomeTenant == "":
		return bad("HomeTenant", "", ErrMissing)
	case !u.Roles.IsValid():
		return bad("Roles", u.Roles.String(), ErrUnknown)
	case !u.GroupRoles.IsValid():
		return bad("GroupRoles", u.GroupRoles.String(), ErrUnknown)
	}
	for i := range u.Licenses {
		l := &u.Licenses[i]
		switch {
		case !l.Plan.IsValid():
			return bad(indexed("Licenses", i, "Plan"), l.Plan.String(), ErrUnknown)
		case l.Tenant == "":
			return bad(indexed("Licenses", i, "Tenant"), "", ErrMissing)
		}
	}
	for _, list := range [...]struct {
		name string
		ids  []string
	}{{"Groups", u.Groups}, {"NestedGroups", u.NestedGroups}, {"OwnedGroups", u.OwnedGroups}} {
		if _, i := scanIDs(list.ids, ""); i >= 0 {
			return bad(indexed(list.name, i, ""), "", ErrMissing)
		}
	}
	return u.checkText(checked)
}

// checkText is the part of validate that reads the user's text: the
// identifiers' characters and the attributes. It allocates only for an
// error.
func (u *User) checkText(checked string) *FieldError {
	bad := func(field, value string, err error) *FieldError {
		return &FieldError{Input: "user", Key: u.ObjectID, Field: field, Value: value, Err: err}
	}
	for _, id := range [...]struct{ field, value string }{
		{"ObjectID", u.ObjectID}, {"UPN", u.UPN}, {"HomeTenant", u.HomeTenant}, {"ApplicationID", u.ApplicationID},
	} {
		if !validID(id.value) {
			return bad(id.field, cut(id.value), idProblem(id.value))
		}
	}
	if len(u.UPN) > MaxUPN && utf8.RuneCountInString(u.UPN) > MaxUPN {
		return bad("UPN", cut(u.UPN), errUPNLength)
	}
	for i := range u.Licenses {
		if t := u.Licenses[i].Tenant; t != checked && !validID(t) {
			return bad(indexed("Licenses", i, "Tenant"), cut(t), idProblem(t))
		}
	}
	for _, list := range [...]struct {
		name string
		ids  []string
	}{{"Groups", u.Groups}, {"NestedGroups", u.NestedGroups}, {"OwnedGroups", u.OwnedGroups}} {
		if i := invalidID(list.ids); i >= 0 {
			return bad(indexed(list.name, i, ""), cut(list.ids[i]), idProblem(list.ids[i]))
		}
	}
	if err := u.Attributes.Validate(); err != nil {
		return bad("Attributes", "", err)
	}
	if id := u.Attributes.Get(syncfields.ObjectID); id != "" {
		return bad("Attributes[azureactivedirectoryobjectid]", cut(id), errIdentityObjectID)
	}
	if upn := u.Attributes.Get(syncfields.DomainName); upn != "" {
		return bad("Attributes[domainname]", cut(upn), errIdentityUPN)
	}
	return nil
}

// A user's object ID and UPN have one home each, ObjectID and UPN; the
// sync writes them into the record's azureactivedirectoryobjectid and
// domainname columns from there, so Attributes never carry them.
var (
	errIdentityObjectID = fmt.Errorf("%w: the object ID is the user's ObjectID, which the sync writes to this column; Attributes do not carry it", ErrContradiction)
	errIdentityUPN      = fmt.Errorf("%w: the UPN is the user's UPN, which the sync writes to this column; Attributes do not carry it", ErrContradiction)
)

// MaxUPN is the most characters Microsoft Entra ID allows in a user
// principal name: 64 before the @, and 48 for the domain after it.
const MaxUPN = 113

// errUPNLength refuses a UPN longer than Entra allows.
var errUPNLength = fmt.Errorf("%w: longer than the %d characters Microsoft Entra ID allows in a user principal name", ErrMalformed, MaxUPN)

// cut shortens a value quoted in an error.
func cut(s string) string { return errtext.Cut(s, 64) }

// The reasons an identifier is malformed, each wrapping ErrMalformed.
var (
	errIDCharacter = fmt.Errorf("%w: it holds a control character, an invisible formatting character or bytes that are not UTF-8", ErrMalformed)
	errIDLength    = fmt.Errorf("%w: longer than the %d characters an identifier may have", ErrMalformed, ident.MaxLen)
	errIDCase      = fmt.Errorf("%w: a GUID in upper case; IDs are compared as GUIDs, in lower case (CanonicalID)", ErrMalformed)
)

// idProblem says why ident.Valid refuses s.
func idProblem(s string) error {
	switch {
	case len(s) > ident.MaxLen && utf8.RuneCountInString(s) > ident.MaxLen:
		return errIDLength
	case ident.IsGUID(s):
		return errIDCase
	}
	return errIDCharacter
}

// CanonicalID returns id in the one form the rules compare IDs in: a GUID
// (an object, tenant, group or row ID as Microsoft Entra ID and Dataverse
// write them) in lower case, so that two IDs that differ only in letter
// case are one ID; any other id as it is. The package's decoders
// (packages wire and load) read every ID into this form; Validate refuses
// a GUID in another.
func CanonicalID(id string) string { return ident.Canonical(id) }

// validID is ident.Valid, with the empty string, common among optional
// identifiers, settled without a call.
func validID(s string) bool { return s == "" || ident.Valid(s) }

// invalidID returns the index of the first identifier of ids that
// ident.Valid refuses, or -1.
func invalidID(ids []string) int {
	for i, id := range ids {
		if !validID(id) {
			return i
		}
	}
	return -1
}

// Validate reports the first malformed field of env as a *FieldError: an
// empty ID or Tenant, an unknown type, a developer environment with a
// security group (ENV-NO-GROUP, ErrDeveloperGroup) or without a creator,
// or an identifier holding control or bidirectional formatting characters
// (ErrMalformed). It returns nil for a well-formed environment.
func (env *Environment) Validate() error {
	if env == nil {
		return missing("environment", "*Environment")
	}
	if err := env.validate(); err != nil {
		return err
	}
	return nil
}

// validate is Validate as the hot path reports it: check, then checkText.
func (env *Environment) validate() *FieldError {
	if err := env.check(); err != nil {
		return err
	}
	return env.checkText()
}

// checkText is the part of Validate that check leaves out: the
// identifiers' characters and the group teams. Evaluate runs it too; it
// allocates only for an error.
func (env *Environment) checkText() *FieldError {
	for _, id := range [...]struct{ field, value string }{
		{"ID", env.ID}, {"Tenant", env.Tenant}, {"SecurityGroup", env.SecurityGroup}, {"Creator", env.Creator},
		{"RootBusinessUnit", env.RootBusinessUnit},
	} {
		if !validID(id.value) {
			return &FieldError{Input: "environment", Key: env.ID, Field: id.field, Value: cut(id.value), Err: idProblem(id.value)}
		}
	}
	for i := range env.Teams {
		if err := env.Teams[i].check(env.ID, i); err != nil {
			return err
		}
		for j := range i {
			if env.Teams[j].Group == env.Teams[i].Group {
				// GT-TEAM: one team per group in an environment.
				return &FieldError{Input: "environment", Key: env.ID, Field: indexed("Teams", i, "Group"), Value: env.Teams[i].Group, Err: ErrDuplicate}
			}
		}
	}
	return nil
}

// check reports the first malformed field of team t, the k-th of
// environment env, or a team given alone when k < 0 (GT-TEAM): no group,
// an unknown kind, rule or membership type, a role without a name, or an
// identifier holding control characters.
func (t *GroupTeam) check(env string, k int) *FieldError {
	bad := func(field, value string, err error) *FieldError {
		path := "Team." + field
		if k >= 0 {
			path = indexed("Teams", k, field)
		}
		return &FieldError{Input: "environment", Key: env, Field: path, Value: value, Err: err}
	}
	switch {
	case t.Group == "":
		return bad("Group", "", ErrMissing)
	case !ident.Valid(t.Group):
		return bad("Group", cut(t.Group), idProblem(t.Group))
	case !ident.Valid(t.Name):
		return bad("Name", cut(t.Name), idProblem(t.Name))
	case !t.Kind.IsValid():
		return bad("Kind", t.Kind.String(), ErrUnknown)
	case !t.Rule.IsValid():
		return bad("Rule", t.Rule.String(), ErrUnknown)
	case !t.Membership.IsValid():
		return bad("Membership", t.Membership.String(), ErrUnknown)
	}
	for i, r := range t.Roles {
		if r.Name == "" {
			return bad(indexed("Roles", i, "Name"), "", ErrMissing)
		}
		if !ident.Valid(r.Name) {
			return bad(indexed("Roles", i, "Name"), cut(r.Name), idProblem(r.Name))
		}
	}
	return nil
}

// check is the structural part of Validate; checkText is the rest.
func (env *Environment) check() *FieldError {
	bad := func(field, value string, err error) *FieldError {
		return &FieldError{Input: "environment", Key: env.ID, Field: field, Value: value, Err: err}
	}
	switch {
	case env.ID == "":
		return bad("ID", "", ErrMissing)
	case env.Tenant == "":
		return bad("Tenant", "", ErrMissing)
	case !env.Type.IsValid():
		return bad("Type", env.Type.String(), ErrUnknown)
	case env.Type == EnvDeveloper && env.SecurityGroup != "":
		return bad("SecurityGroup", env.SecurityGroup, ErrDeveloperGroup)
	case env.Type == EnvDeveloper && env.Creator == "":
		return bad("Creator", "", ErrMissing)
	}
	return nil
}

// Validate reports the first malformed field of r: as a *FieldError, an
// access mode Dataverse does not define, facts that contradict each other
// about the record's kind (see usertype.Classify), a record without an
// object ID that is not a support, delegated-admin, stub or application
// record, an empty role name, a Fields object ID other than ObjectID, or
// an identifier holding control or bidirectional formatting characters;
// as a *syncfields.ColumnError, a malformed column of Fields. It returns
// nil for a well-formed record.
func (r *Record) Validate() error {
	if r == nil {
		return missing("record", "*Record")
	}
	if _, err := r.check(); err != nil {
		return err
	}
	if err := r.checkIDs(); err != nil {
		return err
	}
	return r.Fields.Validate()
}

// checkIDs reports the first identifier of r holding control or
// bidirectional formatting characters. It allocates only for an error.
func (r *Record) checkIDs() *FieldError {
	for _, id := range [...]struct{ field, value string }{
		{"ObjectID", r.ObjectID}, {"UPN", r.UPN}, {"ApplicationID", r.ApplicationID}, {"SystemUserID", r.SystemUserID},
	} {
		if !validID(id.value) {
			return &FieldError{Input: "record", Key: r.Key(), Field: id.field, Value: cut(id.value), Err: idProblem(id.value)}
		}
	}
	for _, list := range [...]struct {
		name string
		ids  []string
	}{{"Roles", r.Roles}, {"Teams", r.Teams}} {
		if i := invalidID(list.ids); i >= 0 {
			return &FieldError{Input: "record", Key: r.Key(), Field: indexed(list.name, i, ""), Value: cut(list.ids[i]), Err: idProblem(list.ids[i])}
		}
	}
	return nil
}

// validate is Validate as the hot path reports it, with the record's kind:
// a malformed column is a *FieldError of field Fields wrapping the
// *syncfields.ColumnError.
func (r *Record) validate() (usertype.Kind, *FieldError) {
	k, err := r.check()
	if err != nil {
		return 0, err
	}
	if err := r.checkIDs(); err != nil {
		return 0, err
	}
	if err := r.Fields.Validate(); err != nil {
		return 0, &FieldError{Input: "record", Key: r.Key(), Field: "Fields", Err: err}
	}
	return k, nil
}

// check is the structural part of Validate (checkText is the rest). It
// returns the record's kind.
func (r *Record) check() (usertype.Kind, *FieldError) {
	bad := func(field, value string, err error) *FieldError {
		return &FieldError{Input: "record", Key: r.Key(), Field: field, Value: value, Err: err}
	}
	k, err := usertype.Classify(r.classifyFacts())
	if err != nil {
		fe := bad("Mode", r.Mode.String(), err)
		var facts *usertype.TraitsError
		if errors.As(err, &facts) {
			fe.Field, fe.Value, fe.Err = facts.Field, facts.Value, facts.Err
		}
		return 0, fe
	}
	switch {
	case r.ObjectID != "":
	case k == usertype.KindRegular, k == usertype.KindSetup, k == usertype.KindNonInteractive:
		// A directory user's record carries its object ID: without one it
		// matches nobody and would be planned as a user gone.
		return 0, bad("ObjectID", "", ErrMissing)
	case k == usertype.KindStub && r.UPN == "":
		// A stub is known by its UPN alone (Key).
		return 0, bad("UPN", "", ErrMissing)
	}
	if id := r.Fields.Columns.Get(syncfields.ObjectID); id != "" && id != r.ObjectID {
		return 0, bad("Fields.Columns[azureactivedirectoryobjectid]", id, ErrContradiction)
	}
	if _, i := scanIDs(r.Roles, ""); i >= 0 {
		return 0, bad(indexed("Roles", i, ""), "", ErrMissing)
	}
	if _, i := scanIDs(r.Teams, ""); i >= 0 {
		return 0, bad(indexed("Teams", i, ""), "", ErrMissing)
	}
	switch {
	case r.OwnedRecords < 0:
		return 0, bad("OwnedRecords", strconv.Itoa(r.OwnedRecords), ErrMalformed)
	case r.SoftDeleted && !r.Disabled:
		// DEL-SOFT-EFFECT: a soft-deleted record stays disabled.
		return 0, bad("Disabled", "false", ErrContradiction)
	case r.SoftDeleted && (len(r.Roles) > 0 || len(r.Teams) > 0):
		// DEL-SOFT-EFFECT: it has lost every role and team.
		return 0, bad("SoftDeleted", "true", ErrContradiction)
	}
	return k, nil
}
