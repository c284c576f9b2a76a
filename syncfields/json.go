package syncfields

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/sentinel"
	"github.com/provisionrules/provisionrules/internal/strictjson"
)

// The JSON forms of the package's values. Each one written is read back
// to an equal value, and each reader is strict: valid UTF-8 without a lone
// surrogate escape, every key exactly a field's or a column's name and
// given once, a required field present and not null, an enum's text one
// of its names, nothing after the value. A refusal is a *ColumnError whose
// Column is the JSON path of the mistake within the value read
// ("columns[JobTitle]", "changes[0].rule"); for Values, the key itself.

// MarshalJSON writes s as an array of logical names, in Column order.
func (s ColumnSet) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.Columns())
}

// UnmarshalJSON reads an array of logical names strictly: each a mapped
// column's name (in any case, as Column.UnmarshalText reads it), each
// column once; null is the empty set. Anything else is a *ColumnError
// (What "columns", Column the element's index, such as "[2]"), and s is
// then unchanged.
func (s *ColumnSet) UnmarshalJSON(data []byte) error {
	var cols []Column
	if err := strictjson.Decode(data, &cols); err != nil {
		return decodeError("columns", err)
	}
	var out ColumnSet
	for i, c := range cols {
		if out.Has(c) {
			return located("columns", "["+strconv.Itoa(i)+"]", c.String(), fmt.Errorf("%w: column %s is listed twice", sentinel.ErrDuplicate, c))
		}
		out = out.With(c)
	}
	*s = out
	return nil
}

// MarshalJSON writes the non-blank values as an object keyed by logical
// name, such as {"jobtitle":"Buyer"}.
func (v Values) MarshalJSON() ([]byte, error) {
	m := make(map[string]string, ColumnCount)
	a := v.unpack()
	for c := Column(1); c < columnEnd; c++ {
		if a[c] != "" {
			m[c.String()] = a[c]
		}
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads an object keyed by logical name, as MarshalJSON
// writes it, strictly and in order: each key exactly a mapped column's
// logical name (lower-case), given once, its value a string, valid UTF-8
// without a NUL byte, or null for blank; null for the whole object is
// blank. Two keys that differ only in case, a key in another case, a key
// that names no mapped column and a value of another type are each a
// *ColumnError naming the key (What "values"), the first in the text;
// v is then unchanged.
func (v *Values) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		*v = Values{}
		return nil
	}
	members, err := strictjson.Members(data)
	if err != nil {
		var se *strictjson.Error
		if errors.As(err, &se) && se.Path != "" { // a key given twice
			return &ColumnError{What: "values", Column: se.Path, Err: strictjson.Reason(&strictjson.Error{Path: "[" + se.Path + "]", Err: se.Err})}
		}
		return decodeError("values", err)
	}
	var out valuesArray
	for _, m := range members {
		bad := func(err error) error {
			// Column is the key, as for every error of Values; the path
			// below which an outer reader puts it is "[key]".
			return &ColumnError{What: "values", Column: m.Key, Value: string(m.Value),
				Err: strictjson.Reason(&strictjson.Error{Path: "[" + m.Key + "]", Value: string(m.Value), Err: err})}
		}
		c, ok := columnNamed(m.Key)
		if !ok {
			return bad(unknownKey(m.Key, members))
		}
		var s *string
		if err := strictjson.Decode(m.Value, &s); err != nil {
			return bad(reasonOf(err))
		}
		if s != nil && !validValue(*s) {
			return bad(fmt.Errorf("%w: a value holds a NUL byte", sentinel.ErrMalformed))
		}
		if s != nil {
			out[c] = *s
		}
	}
	*v = out.pack()
	return nil
}

// unknownKey says why key, one of members, names no column: it differs
// only in case from a column's name (given too, or not), or it names
// none.
func unknownKey(key string, members []strictjson.Member) error {
	var c Column
	if c.UnmarshalText([]byte(key)) != nil {
		return fmt.Errorf("%w: %q is not the logical name of a mapped column; want one of %s", sentinel.ErrUnknown, key, strings.Join(columnNames[1:], ", "))
	}
	for _, m := range members {
		if m.Key == c.String() {
			return fmt.Errorf("%w: %q and %q differ only in case and name one column, given twice; logical names are lower-case", sentinel.ErrDuplicate, key, m.Key)
		}
	}
	return fmt.Errorf("%w: logical names are lower-case: %q, not %q", sentinel.ErrUnknown, c.String(), key)
}

// fieldsJSON is Fields without its methods, for strictjson.
type fieldsJSON Fields

// UnmarshalJSON reads the fields strictly: "columns" (Values), "emailEdited"
// and "custom" (each name once), all optional, and no other key; then
// Validate. A refusal is a *ColumnError (What "record") whose Column is
// the JSON path, such as "columns[JobTitle]" or "custom[New Badge]"; r is
// then unchanged.
func (r *Fields) UnmarshalJSON(data []byte) error {
	var f fieldsJSON
	if err := strictjson.Decode(data, &f); err != nil {
		return decodeError("record", err)
	}
	out := Fields(f)
	if err := out.Validate(); err != nil {
		// The columns were checked as they were read: what is left is a
		// custom column.
		var ce *ColumnError
		if errors.As(err, &ce) {
			return located("record", "custom["+ce.Column+"]", ce.Value, ce.Err)
		}
		return err
	}
	*r = out
	return nil
}

// resultJSON is the JSON form of a Result.
type resultJSON struct {
	Profile string         `json:"profile,omitempty"`
	Created bool           `json:"created,omitempty"`
	Changes []ColumnChange `json:"changes,omitempty"`
	Kept    []ColumnKept   `json:"kept,omitempty"`
}

// MarshalJSON writes the result as an object: "profile" (the profile's
// Name), "created" (for a Create), "changes" (Changes) and "kept"
// (KeptColumns), each left out when empty; the zero Result, of no sync,
// is {}.
func (r Result) MarshalJSON() ([]byte, error) {
	var j resultJSON
	if r.profile != nil {
		j = resultJSON{Profile: r.profile.name, Created: r.created, Changes: r.Changes(), Kept: r.KeptColumns()}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, strictly, into a Result
// that Equal holds the same as the one written. It refuses what no sync
// makes, as a *ColumnError (What "result") naming the path, such as
// "changes[1].rule": a profile that is none, a column the profile does not
// map or listed twice, a label, rule or "#" other than the profile's row
// says, a column kept by a policy that always writes, a value before a
// create, a kept or custom column in a create, a custom column named like
// a mapped one, and a value that is not valid UTF-8 or holds a NUL; r is
// then unchanged.
func (r *Result) UnmarshalJSON(data []byte) error {
	var j resultJSON
	if err := strictjson.Decode(data, &j); err != nil {
		return decodeError("result", err)
	}
	out, err := j.result()
	if err != nil {
		return err
	}
	*r = out
	return nil
}

// result builds the Result that j says, or refuses j.
func (j *resultJSON) result() (Result, error) {
	bad := func(path, value string, err error) (Result, error) {
		return Result{}, located("result", path, value, err)
	}
	var r Result
	if j.Profile == "" {
		if j.Created || len(j.Changes) > 0 || len(j.Kept) > 0 {
			return bad("profile", "", fmt.Errorf("%w: a result that created, changed or kept anything names its profile", sentinel.ErrMissing))
		}
		return r, nil
	}
	for _, p := range Profiles() {
		if p.name == j.Profile {
			r.profile = p
		}
	}
	if r.profile == nil {
		names := make([]string, 0, 3)
		for _, p := range Profiles() {
			names = append(names, p.name)
		}
		return bad("profile", j.Profile, fmt.Errorf("%w: no profile is named %q; want one of %s", sentinel.ErrUnknown, j.Profile, strings.Join(names, ", ")))
	}
	r.created = j.Created
	seen := func(c Column) bool { return r.changed.Has(c) || r.kept.Has(c) }
	for i, ch := range j.Changes {
		at := "changes[" + strconv.Itoa(i) + "]"
		row, ok := r.profile.Row(ch.Column)
		if !ok {
			return bad(at+".column", ch.Column.String(), fmt.Errorf("%w: profile %s does not map column %s", sentinel.ErrUnknown, r.profile.name, ch.Column))
		}
		// A blank source is written as the row's IfBlank, and says
		// SYNC-FIRSTNAME, unless the row has no source at all
		// (SYNC-APPLICATION): Result.change.
		blanked := row.Source == "" || row.IfBlank != "" && ch.Rule == RuleFirstName
		rule := row.Rule
		if blanked && row.Source != "" {
			rule = RuleFirstName
		}
		switch {
		case seen(ch.Column):
			return bad(at+".column", ch.Column.String(), fmt.Errorf("%w: column %s is listed twice", sentinel.ErrDuplicate, ch.Column))
		case ch.Label != row.Label:
			return bad(at+".label", ch.Label, fmt.Errorf("%w: the label of %s is %q", sentinel.ErrMalformed, ch.Column, row.Label))
		case ch.Rule != rule:
			return bad(at+".rule", ch.Rule.String(), fmt.Errorf("%w: profile %s writes %s by %s", sentinel.ErrMalformed, r.profile.name, ch.Column, rule))
		case !validValue(ch.Old):
			return bad(at+".old", ch.Old, fmt.Errorf("%w: a value holds a NUL byte", sentinel.ErrMalformed))
		case !validValue(ch.New):
			return bad(at+".new", ch.New, fmt.Errorf("%w: a value holds a NUL byte", sentinel.ErrMalformed))
		case blanked && ch.New != row.IfBlank:
			return bad(at+".new", ch.New, fmt.Errorf("%w: a blank %s is written as %q", sentinel.ErrMalformed, ch.Column, row.IfBlank))
		case !blanked && row.IfBlank != "" && blank(ch.New):
			return bad(at+".new", ch.New, fmt.Errorf("%w: a blank %s is written as %q, by %s", sentinel.ErrMalformed, ch.Column, row.IfBlank, RuleFirstName))
		case ch.Old == ch.New:
			return bad(at+".new", ch.New, fmt.Errorf("%w: a column written differs from the value before", sentinel.ErrMalformed))
		case r.created && ch.Old != "":
			return bad(at+".old", ch.Old, fmt.Errorf("%w: a created record has no value before", sentinel.ErrMalformed))
		}
		r.changed = r.changed.With(ch.Column)
		r.before[ch.Column] = ch.Old
		if blanked {
			r.blanked = r.blanked.With(ch.Column)
		} else {
			r.directory[ch.Column] = ch.New
		}
	}
	for i, k := range j.Kept {
		at := "kept[" + strconv.Itoa(i) + "]"
		if r.created {
			return bad(at, k.Name, fmt.Errorf("%w: a create keeps no column", sentinel.ErrMalformed))
		}
		for _, v := range [...]struct{ field, value string }{{".value", k.Value}, {".directory", k.Directory}} {
			if !validValue(v.value) {
				return bad(at+v.field, v.value, fmt.Errorf("%w: a value holds a NUL byte", sentinel.ErrMalformed))
			}
		}
		if k.Column == 0 {
			_, mapped := columnNamed(k.Name)
			switch {
			case !validName(k.Name):
				return bad(at+".name", k.Name, fmt.Errorf("%w: not a logical name", sentinel.ErrMalformed))
			case mapped:
				return bad(at+".name", k.Name, fmt.Errorf("%w: a custom column named like a mapped one", sentinel.ErrDuplicate))
			case k.Label != "" || k.Directory != "":
				return bad(at, k.Name, fmt.Errorf("%w: a custom column has no label and nothing in the directory", sentinel.ErrMalformed))
			case k.Rule != RuleCustom:
				return bad(at+".rule", k.Rule.String(), fmt.Errorf("%w: a custom column is kept by %s", sentinel.ErrMalformed, RuleCustom))
			}
			if _, ok := r.custom[k.Name]; ok {
				return bad(at+".name", k.Name, fmt.Errorf("%w: custom column %s is listed twice", sentinel.ErrDuplicate, k.Name))
			}
			if r.custom == nil {
				r.custom = map[string]string{}
			}
			r.custom[k.Name] = k.Value
			continue
		}
		row, ok := r.profile.Row(k.Column)
		switch {
		case !ok:
			return bad(at+".column", k.Column.String(), fmt.Errorf("%w: profile %s does not map column %s", sentinel.ErrUnknown, r.profile.name, k.Column))
		case seen(k.Column):
			return bad(at+".column", k.Column.String(), fmt.Errorf("%w: column %s is listed twice", sentinel.ErrDuplicate, k.Column))
		case k.Name != k.Column.String():
			return bad(at+".name", k.Name, fmt.Errorf("%w: the name of column %s is %s", sentinel.ErrMalformed, k.Column, k.Column))
		case k.Label != row.Label:
			return bad(at+".label", k.Label, fmt.Errorf("%w: the label of %s is %q", sentinel.ErrMalformed, k.Column, row.Label))
		case row.Policy == Always:
			return bad(at+".column", k.Column.String(), fmt.Errorf("%w: profile %s always writes %s", sentinel.ErrMalformed, r.profile.name, k.Column))
		case k.Rule != row.Rule:
			return bad(at+".rule", k.Rule.String(), fmt.Errorf("%w: profile %s keeps %s by %s", sentinel.ErrMalformed, r.profile.name, k.Column, row.Rule))
		}
		r.kept = r.kept.With(k.Column)
		r.before[k.Column], r.directory[k.Column] = k.Value, k.Directory
	}
	return r, nil
}

// Equal reports whether r and o say the same: the same profile, whether
// they created the record, and the same changes and kept columns, each
// with its values and rule. go-cmp uses it. What a result does not say,
// the directory's blank behind a "#" written for it, does not count.
func (r Result) Equal(o Result) bool {
	return r.profile == o.profile && r.created == o.created && r.changed == o.changed && r.kept == o.kept &&
		slices.Equal(r.Changes(), o.Changes()) && slices.Equal(r.KeptColumns(), o.KeptColumns())
}

// decodeError is the *ColumnError of err, an error of strictjson reading
// a value of input what: its Column is the JSON path of the mistake, and
// its Err wraps the *strictjson.Error, so that the path is found again
// when the value was read inside another.
func decodeError(what string, err error) error {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return &ColumnError{What: what, Err: err}
	}
	return &ColumnError{What: what, Column: se.Path, Value: se.Value, Err: strictjson.Reason(se)}
}

// located is the *ColumnError of a mistake a reader finds in what it
// read: err at the JSON path path, whose text is value.
func located(what, path, value string, err error) error {
	return decodeError(what, &strictjson.Error{Path: path, Value: value, Err: err})
}

// reasonOf is what err, an error of strictjson, says is wrong, without
// where.
func reasonOf(err error) error {
	var se *strictjson.Error
	if errors.As(err, &se) {
		return se.Err
	}
	return err
}
