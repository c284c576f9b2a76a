package provisioning

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/strictjson"
	"github.com/provisionrules/provisionrules/syncfields"
	"github.com/provisionrules/provisionrules/usertype"
)

// The JSON forms of the package's values. A value is written as
// encoding/json writes it, by its fields' json names (or by its own
// MarshalJSON), and read back strictly by its UnmarshalJSON, into an equal
// value: the text must be valid UTF-8 without a lone surrogate escape,
// every key exactly a field's JSON name and given once, every required
// field (one whose tag has neither omitempty nor omitzero) present and
// not null, every enum's text one of its names, and nothing may follow
// the value. A refusal is a *FieldError whose Field is the JSON path of
// the mistake, such as "licenses[0].plan"; an unknown enum value's error
// lists the valid ones. A user, an environment and a record are then
// validated: whatever their UnmarshalJSON accepts passes Validate.
//
// A Decision, and so a Reconciliation, is written but never read: its
// JSON is an explanation written from facts it does not carry.

// userJSON, environmentJSON, recordJSON, licenseJSON, teamJSON and
// roleJSON are the package's types without their methods, for
// strictjson: the same fields and JSON names, read without recursion.
type (
	userJSON        User
	environmentJSON Environment
	recordJSON      Record
	licenseJSON     License
	teamJSON        GroupTeam
	roleJSON        TeamRole
)

// UnmarshalJSON reads a user from the JSON encoding/json writes of it
// (its fields' json names: "objectId", "upn", "enabled", "licenses", ...)
// strictly, as the package's JSON forms are read: "objectId" and
// "enabled" are required; then Validate. A refusal is a *FieldError whose
// Field is the JSON path, such as "licenses[0].plan" or
// "attributes[JobTitle]"; u is then unchanged.
func (u *User) UnmarshalJSON(data []byte) error {
	var x User
	err := strictjson.Decode(data, (*userJSON)(&x))
	if err == nil {
		err = x.Validate()
	}
	if err != nil {
		return jsonError("user", x.ObjectID, reflect.TypeFor[User](), err)
	}
	*u = x
	return nil
}

// UnmarshalJSON reads a license strictly, as the package's JSON forms are
// read: "plan" and "tenant" are required. A refusal is a *FieldError
// naming the field; l is then unchanged. User.Validate checks the rest.
func (l *License) UnmarshalJSON(data []byte) error {
	var x License
	if err := strictjson.Decode(data, (*licenseJSON)(&x)); err != nil {
		return jsonError("license", "", reflect.TypeFor[License](), err)
	}
	*l = x
	return nil
}

// UnmarshalJSON reads an environment from the JSON encoding/json writes
// of it strictly, as the package's JSON forms are read: "id", "tenant",
// "type" and "dataverse" are required; then Validate. A refusal is a
// *FieldError whose Field is the JSON path, such as "type" or
// "teams[0].kind" (an enum's lists the valid values); env is then
// unchanged.
func (env *Environment) UnmarshalJSON(data []byte) error {
	var x Environment
	err := strictjson.Decode(data, (*environmentJSON)(&x))
	if err == nil {
		err = x.Validate()
	}
	if err != nil {
		return jsonError("environment", x.ID, reflect.TypeFor[Environment](), err)
	}
	*env = x
	return nil
}

// UnmarshalJSON reads a group team strictly, as the package's JSON forms
// are read: "group", "kind", "rule" and "membership" are required. A
// refusal is a *FieldError naming the field; t is then unchanged.
// Environment.Validate and Org.AddTeam check the rest.
func (t *GroupTeam) UnmarshalJSON(data []byte) error {
	var x GroupTeam
	if err := strictjson.Decode(data, (*teamJSON)(&x)); err != nil {
		return jsonError("team", x.Group, reflect.TypeFor[GroupTeam](), err)
	}
	*t = x
	return nil
}

// UnmarshalJSON reads a team's role strictly, as the package's JSON forms
// are read: "name" is required. A refusal is a *FieldError naming the
// field; r is then unchanged.
func (r *TeamRole) UnmarshalJSON(data []byte) error {
	var x TeamRole
	if err := strictjson.Decode(data, (*roleJSON)(&x)); err != nil {
		return jsonError("role", x.Name, reflect.TypeFor[TeamRole](), err)
	}
	*r = x
	return nil
}

// UnmarshalJSON reads a record from the JSON encoding/json writes of it
// strictly, as the package's JSON forms are read: "accessMode" is
// required (a record left without one is not read as Read-Write); then
// Validate. A refusal is a *FieldError whose Field is the JSON path, such
// as "accessMode" or "fields.columns[JobTitle]"; r is then unchanged.
func (r *Record) UnmarshalJSON(data []byte) error {
	var x Record
	err := strictjson.Decode(data, (*recordJSON)(&x))
	if err == nil {
		err = x.Validate()
	}
	if err != nil {
		return jsonError("record", x.Key(), reflect.TypeFor[Record](), err)
	}
	*r = x
	return nil
}

// UnmarshalJSON reads an array of rule IDs strictly, as the package's
// JSON forms are read: each a rule's ID (in any case), each rule once;
// null is the empty set. An unknown ID is a *FieldError wrapping
// ErrUnknown, a rule given twice one wrapping ErrDuplicate, each naming
// the element ("[2]"); s is then unchanged.
func (s *RuleSet) UnmarshalJSON(data []byte) error {
	var rules []Rule
	if err := strictjson.Decode(data, &rules); err != nil {
		return jsonError("rules", "", reflect.TypeFor[[]Rule](), err)
	}
	var out RuleSet
	for i, r := range rules {
		if out.Has(r) {
			return located("rules", "", "["+strconv.Itoa(i)+"]", r.String(), ErrDuplicate)
		}
		out = out.With(r)
	}
	*s = out
	return nil
}

// orgJSON is Org without its methods, for strictjson.
type orgJSON Org

// UnmarshalJSON reads an environment with its records strictly, as the
// package's JSON forms are read: "environment" and "records" are
// required, each read as its own type reads it (and validated), and no
// two records may have one key (Record.Key), by which the operations find
// them. A refusal is a *FieldError whose Field is the JSON path, such as
// "records[2].accessMode"; o is then unchanged.
func (o *Org) UnmarshalJSON(data []byte) error {
	var x Org
	if err := strictjson.Decode(data, (*orgJSON)(&x)); err != nil {
		return jsonError("org", x.Environment.ID, reflect.TypeFor[Org](), err)
	}
	for i := range x.Records {
		for j := range i {
			if k := x.Records[i].Key(); k == x.Records[j].Key() {
				return located("org", x.Environment.ID, "records["+strconv.Itoa(i)+"]", k, fmt.Errorf("%w: records[%d] has the key %q too", ErrDuplicate, j, k))
			}
		}
	}
	*o = x
	return nil
}

// actionJSON is the JSON form of an Action, as AppendJSON writes it.
type actionJSON struct {
	User        string               `json:"user,omitempty"`
	Record      string               `json:"record,omitempty"`
	Environment string               `json:"environment"`
	Verb        Verb                 `json:"verb"`
	Mode        *usertype.AccessMode `json:"accessMode,omitempty"`
	Rules       RuleSet              `json:"rules"`
	Columns     syncfields.ColumnSet `json:"columns,omitempty"`
	Error       string               `json:"error,omitempty"`
}

// UnmarshalJSON reads what MarshalJSON writes, strictly, as the package's
// JSON forms are read: "accessMode" is required for a verb that leaves
// the user a record and refused for NotAdded, which leaves none (Mode is
// then usertype.NoAccessMode, as it is for malformed input whose record's
// access mode was none, which AppendJSON leaves out). The error comes back
// as an error with the same text. A refusal is a *FieldError naming the
// field; a is then unchanged.
func (a *Action) UnmarshalJSON(data []byte) error {
	var j actionJSON
	if err := strictjson.Decode(data, &j); err != nil {
		return jsonError("action", cmp.Or(j.User, j.Record), reflect.TypeFor[actionJSON](), err)
	}
	x := Action{User: j.User, Record: j.Record, Environment: j.Environment, Verb: j.Verb, Mode: usertype.NoAccessMode, Rules: j.Rules, Columns: j.Columns}
	switch {
	case x.HasRecord() && j.Mode == nil && j.Error == "":
		return located("action", cmp.Or(j.User, j.Record), "accessMode", "", fmt.Errorf("%w: a %s leaves the user a record, whose access mode it names", ErrMissing, j.Verb))
	case !x.HasRecord() && j.Mode != nil:
		return located("action", cmp.Or(j.User, j.Record), "accessMode", j.Mode.String(), fmt.Errorf("%w: a refusal leaves the user no record and no access mode", ErrContradiction))
	case j.Mode != nil:
		x.Mode = *j.Mode
	}
	if j.Error != "" {
		x.Err = errors.New(j.Error)
	}
	*a = x
	return nil
}

// writeJSON is the JSON form of a Write: "accessMode" when it is written,
// "disabled" when isdisabled is.
type writeJSON struct {
	Verb          Verb                 `json:"verb"`
	SystemUserID  string               `json:"systemUserId,omitempty"`
	BusinessUnit  string               `json:"businessUnit,omitempty"`
	ObjectID      string               `json:"objectId,omitempty"`
	ApplicationID string               `json:"applicationId,omitempty"`
	Columns       syncfields.ColumnSet `json:"columns,omitempty"`
	Values        syncfields.Values    `json:"values,omitzero"`
	Mode          *usertype.AccessMode `json:"accessMode,omitempty"`
	Disabled      *bool                `json:"disabled,omitempty"`
}

// MarshalJSON writes the write by its fields' json names, "accessMode"
// only when SetMode and "disabled" only when SetDisabled:
// {"verb":"disable","systemUserId":"…","objectId":"…","disabled":true}.
// It writes only a write that UnmarshalJSON reads back (see there), and
// refuses any other with the *FieldError UnmarshalJSON would give, and a
// Mode without SetMode or a Disabled without SetDisabled, which JSON would
// lose (ErrContradiction).
func (w Write) MarshalJSON() ([]byte, error) {
	switch {
	case !w.SetMode && w.Mode != usertype.ReadWrite:
		return nil, located("write", w.ObjectID, "accessMode", w.Mode.String(), fmt.Errorf("%w: an access mode the write does not write (SetMode is false)", ErrContradiction))
	case !w.SetDisabled && w.Disabled:
		return nil, located("write", w.ObjectID, "disabled", "true", fmt.Errorf("%w: isdisabled set where the write does not write it (SetDisabled is false)", ErrContradiction))
	case w.SetMode && !w.Mode.IsValid():
		return nil, located("write", w.ObjectID, "accessMode", w.Mode.String(), ErrUnknown)
	}
	if err := w.check(); err != nil {
		return nil, err
	}
	j := writeJSON{Verb: w.Verb, SystemUserID: w.SystemUserID, BusinessUnit: w.BusinessUnit, ObjectID: w.ObjectID,
		ApplicationID: w.ApplicationID, Columns: w.Columns, Values: w.Values}
	if w.SetMode {
		j.Mode = &w.Mode
	}
	if w.SetDisabled {
		j.Disabled = &w.Disabled
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, strictly, as the package's
// JSON forms are read, and only a write Action.Write could make: a verb
// that writes (Create, Enable, Disable or Update; ErrNothingToWrite
// otherwise), addressed (a create's "businessUnit" and no "systemUserId",
// every other verb's "systemUserId"), a create's "accessMode", "disabled"
// given for an enable (false) and a disable (true) and for nothing else,
// and "values" only of the columns in "columns". A refusal is a
// *FieldError naming the field; w is then unchanged.
func (w *Write) UnmarshalJSON(data []byte) error {
	var j writeJSON
	if err := strictjson.Decode(data, &j); err != nil {
		return jsonError("write", j.ObjectID, reflect.TypeFor[writeJSON](), err)
	}
	x := Write{Verb: j.Verb, SystemUserID: j.SystemUserID, BusinessUnit: j.BusinessUnit, ObjectID: j.ObjectID,
		ApplicationID: j.ApplicationID, Columns: j.Columns, Values: j.Values}
	if j.Mode != nil {
		x.Mode, x.SetMode = *j.Mode, true
	}
	if j.Disabled != nil {
		x.Disabled, x.SetDisabled = *j.Disabled, true
	}
	if err := x.check(); err != nil {
		return err
	}
	*w = x
	return nil
}

// check reports what makes w a write Action.Write could not make, as a
// *FieldError naming its JSON field: the one check of both MarshalJSON
// and UnmarshalJSON.
func (w *Write) check() error {
	bad := func(field, value string, err error) error { return located("write", w.ObjectID, field, value, err) }
	toggles := w.Verb == Enable || w.Verb == Disable
	switch {
	case w.Verb != Create && w.Verb != Enable && w.Verb != Disable && w.Verb != Update:
		return bad("verb", w.Verb.String(), ErrNothingToWrite)
	case w.Verb == Create && w.BusinessUnit == "":
		return bad("businessUnit", "", fmt.Errorf("%w: a create binds the new row to a business unit", ErrMissing))
	case w.Verb == Create && w.SystemUserID != "":
		return bad("systemUserId", w.SystemUserID, fmt.Errorf("%w: Dataverse keys the row a create makes", ErrContradiction))
	case w.Verb != Create && w.SystemUserID == "":
		return bad("systemUserId", "", fmt.Errorf("%w: a write to an existing row names it", ErrMissing))
	case w.Verb != Create && w.BusinessUnit != "":
		return bad("businessUnit", w.BusinessUnit, fmt.Errorf("%w: only a create binds a business unit", ErrContradiction))
	case w.Verb == Create && !w.SetMode:
		return bad("accessMode", "", fmt.Errorf("%w: a create writes the access mode", ErrMissing))
	case toggles && !w.SetDisabled:
		return bad("disabled", "", fmt.Errorf("%w: %s writes isdisabled", ErrMissing, withArticle(w.Verb)))
	case !toggles && w.SetDisabled:
		return bad("disabled", strconv.FormatBool(w.Disabled), fmt.Errorf("%w: only an enable or a disable writes isdisabled", ErrContradiction))
	case toggles && w.Disabled != (w.Verb == Disable):
		return bad("disabled", strconv.FormatBool(w.Disabled), fmt.Errorf("%w: %s writes isdisabled %t", ErrContradiction, withArticle(w.Verb), w.Verb == Disable))
	}
	for _, c := range syncfields.Columns() {
		if w.Values.Get(c) != "" && !w.Columns.Has(c) {
			return bad("values["+c.String()+"]", w.Values.Get(c), fmt.Errorf("%w: a value of a column the write does not write", ErrContradiction))
		}
	}
	return nil
}

// errDecisionJSON refuses to read a decision, or anything holding one,
// from JSON.
var errDecisionJSON = fmt.Errorf("its JSON is an explanation, written from facts it does not carry, so no Decision read from it could answer as the one written; decide again (Evaluate, EvaluateRecord, Reconcile), or read the JSON as data (%w)", errors.ErrUnsupported)

// UnmarshalJSON refuses to read a decision: it returns an error wrapping
// errors.ErrUnsupported and leaves d as it was. A decision's JSON
// (MarshalJSON) is an explanation, for people and programs to read; it is
// written from the facts Evaluate gathered, which the Decision holds
// unexported and the JSON does not carry, so no Decision read from it could
// answer as the one written (Checks, Explain, Admits, Outcome). Without
// this method encoding/json would read any object into the zero Decision,
// which says never, silently. A program that reads a decision's JSON reads
// it into a type of its own; a []Check reads its "checks".
func (d *Decision) UnmarshalJSON([]byte) error {
	return fmt.Errorf("a Decision is not read from JSON: %w", errDecisionJSON)
}

// MarshalJSON writes the reconciliation as one object: "action" (as
// Action.MarshalJSON writes it), "before" and "after" (as
// Decision.MarshalJSON writes them; left out for a record whose user is
// gone, which has no decision), "record" (the record after the action, as
// encoding/json writes it; left out when the user has none, and for
// malformed input, which the action's "error" names and which changed
// nothing) and "sync" (what the field sync wrote and kept, as
// syncfields.Result.MarshalJSON writes it; left out when the action synced
// no column). Each part reads back as its own type reads it, but for the
// decisions. It fails as Action.MarshalJSON fails.
func (r Reconciliation) MarshalJSON() ([]byte, error) { return r.appendJSON(nil) }

// appendJSON appends the JSON form of r to b.
func (r *Reconciliation) appendJSON(b []byte) ([]byte, error) {
	action, err := r.Action.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b = append(b, `{"action":`...)
	b = append(b, action...)
	if r.Before != (Decision{}) {
		b = r.Before.AppendJSON(append(b, `,"before":`...))
	}
	if r.After != (Decision{}) {
		b = r.After.AppendJSON(append(b, `,"after":`...))
	}
	if r.Action.HasRecord() && r.Action.Err == nil {
		rec, err := json.Marshal(&r.Record)
		if err != nil {
			return nil, err
		}
		b = append(append(b, `,"record":`...), rec...)
	}
	if sync, err := r.Sync.MarshalJSON(); err != nil {
		return nil, err
	} else if string(sync) != "{}" {
		b = append(append(b, `,"sync":`...), sync...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON refuses to read a reconciliation, as Decision.UnmarshalJSON
// refuses its decisions: an error wrapping errors.ErrUnsupported, and r
// as it was. Its action, record and sync are read on their own (Action,
// Record and syncfields.Result each read their JSON).
func (r *Reconciliation) UnmarshalJSON([]byte) error {
	return fmt.Errorf("a Reconciliation is not read from JSON: its decisions are not: %w", errDecisionJSON)
}

// MarshalJSON writes the result of an access as its Reconciliation writes
// it, with "joined", "left", "rolesGained" and "rolesLost" after it, each
// left out when empty.
func (a AccessResult) MarshalJSON() ([]byte, error) {
	b, err := a.Reconciliation.appendJSON(nil)
	if err != nil {
		return nil, err
	}
	teams, err := json.Marshal(struct {
		Joined      []string `json:"joined,omitempty"`
		Left        []string `json:"left,omitempty"`
		RolesGained []string `json:"rolesGained,omitempty"`
		RolesLost   []string `json:"rolesLost,omitempty"`
	}{a.Joined, a.Left, a.RolesGained, a.RolesLost})
	if err != nil {
		return nil, err
	}
	if len(teams) > 2 { // not {}
		b = append(append(b[:len(b)-1], ','), teams[1:]...)
	}
	return b, nil
}

// UnmarshalJSON refuses to read the result of an access, as
// Reconciliation.UnmarshalJSON refuses: its decisions are not read.
func (a *AccessResult) UnmarshalJSON([]byte) error {
	return fmt.Errorf("an AccessResult is not read from JSON: its decisions are not: %w", errDecisionJSON)
}

// jsonError is the *FieldError of err, an error of reading JSON into a
// value of type t, named input and keyed key (as far as it was read). Its
// Field is the JSON path of the mistake (strictjson puts the path of a
// mistake in a value that reads itself below the path of that value); a
// *FieldError of Validate has its path of Go field names made the JSON
// one. Its Err wraps the *strictjson.Error, so that the path is found
// again when the value was read inside another.
func jsonError(input, key string, t reflect.Type, err error) error {
	var se *strictjson.Error
	if errors.As(err, &se) {
		return &FieldError{Input: input, Key: key, Field: se.Path, Value: se.Value, Err: strictjson.Reason(se)}
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		path := strictjson.PathOf(t, fe.Field)
		return &FieldError{Input: fe.Input, Key: fe.Key, Field: path, Value: fe.Value, Err: strictjson.Reason(&strictjson.Error{Path: path, Value: fe.Value, Err: fe.Err})}
	}
	return &FieldError{Input: input, Key: key, Err: err}
}

// located is the *FieldError of a mistake a reader finds in what it
// read: err at the JSON path field, whose text is value.
func located(input, key, field, value string, err error) error {
	return jsonError(input, key, nil, &strictjson.Error{Path: field, Value: value, Err: err})
}

// withArticle is the verb of a write with its article: "an enable", "a
// disable".
func withArticle(v Verb) string {
	if v == Enable {
		return "an " + v.String()
	}
	return "a " + v.String()
}
