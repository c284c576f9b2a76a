package syncfields

import (
	"errors"
	"math/bits"
	"sort"
)

// ErrMissing: the directory values lack the object ID, the join key, or a
// required argument is nil.
var ErrMissing = errors.New("syncfields: required value is empty")

var errNilValues = &ColumnError{What: "directory", Column: "*Values", Value: "nil", Err: ErrMissing}

// nilArgument reports a nil record (or destination) or nil directory
// values.
func nilArgument(record bool) error {
	if record {
		return &ColumnError{What: "record", Column: "*Record", Value: "nil", Err: ErrMissing}
	}
	return errNilValues
}

// Create returns the record the profile makes for a new user from the
// directory values dir, and the Result that lists every column it wrote.
// Every mapped column is written, whatever its policy: a blank source stays
// blank, except that a row's IfBlank is written instead (SYNC-FIRSTNAME).
// The new record has no custom columns and an unedited email. A directory
// without the object ID (for a profile that maps it), or a value to write
// that is not valid UTF-8 or holds a NUL, is a *ColumnError. Create reads
// dir and does not retain it.
func (p *Profile) Create(dir *Values) (rec Record, res Result, err error) {
	if dir == nil {
		return Record{}, Result{}, errNilValues
	}
	if err = p.write(nil, dir, &rec, &res); err != nil {
		return Record{}, Result{}, err
	}
	return rec, res, nil
}

// Update returns rec as the profile's sync leaves it after reading the
// directory values dir, and the Result that lists what changed and what was
// deliberately left alone:
//
//   - a column of policy Always takes the directory's value (SYNC-ALWAYS),
//     or the row's IfBlank for a blank one (SYNC-FIRSTNAME);
//   - a column of policy OnCreate keeps its value (SYNC-FULLNAME online,
//     SYNC-ONPREM for every column on-premises);
//   - a column of policy NeverOverwrite keeps its value once it holds one
//     or once the customer edited it, even to blank (SYNC-EMAIL); a blank,
//     unedited one is filled, which overwrites nothing;
//   - custom columns are neither read nor written (SYNC-CUSTOM), and
//     columns the profile does not map are left as they are.
//
// Updating again with the same directory values changes nothing
// (SYNC-IDEMPOTENT). A record whose object ID is not the directory's is
// refused with ErrObjectMismatch, a directory without an object ID with
// ErrMissing, and a directory value that differs from the record and is
// not valid UTF-8 (or holds a NUL) with ErrMalformed; each is a
// *ColumnError naming the column, and nothing is then written. Values that
// agree with the record are not checked again: Record.Validate and
// ParseRecord check a record's own. Update reads rec and dir and retains
// neither, except that the new record shares rec.Custom. It allocates only
// to report an error.
func (p *Profile) Update(rec *Record, dir *Values) (out Record, res Result, err error) {
	err = p.UpdateInto(&out, &res, rec, dir)
	return
}

// UpdateInto is Update writing the new record into *dst and the Result
// into *res instead of returning them, so that a loop that syncs many
// records can reuse both; dst may be rec itself. On error *dst and *res are
// left as they were. Update is UpdateInto into its own results.
func (p *Profile) UpdateInto(dst *Record, res *Result, rec *Record, dir *Values) error {
	if dst == nil || res == nil || rec == nil || dir == nil {
		return nilArgument(rec == nil || dst == nil)
	}
	s, err := p.decide(rec, dir)
	if err != nil {
		return err
	}
	*dst = *rec
	*res = Result{}
	p.fill(s, rec, dir, dst, res)
	return nil
}

// Diff returns the columns that Update(rec, dir) would write, or, for a
// nil rec, that Create(dir) would, with the same errors; it builds neither
// the record nor the Result, and allocates only to report an error.
func (p *Profile) Diff(rec *Record, dir *Values) (ColumnSet, error) {
	if dir == nil {
		return 0, errNilValues
	}
	s, err := p.decide(rec, dir)
	return s.changed, err
}

// sets are what the policies decided for each differing column.
type sets struct{ changed, kept, blanked ColumnSet }

// decide is the one place where the columns' policies are applied: for
// each column whose directory value differs from the record's (rec nil:
// from a new, empty record), it decides whether the sync writes it or
// keeps the record's value.
func (p *Profile) decide(rec *Record, dir *Values) (s sets, err error) {
	create := rec == nil
	if create {
		rec = &emptyRecord
	}
	if dir[0] != "" {
		return sets{}, &ColumnError{What: "directory", Column: "Values[0]", Value: dir[0], Err: errIndexZero}
	}
	if p.byColumn[ObjectID] >= 0 {
		if dir[ObjectID] == "" {
			return sets{}, &ColumnError{What: "directory", Column: ObjectID.String(), Err: ErrMissing}
		}
		if id := rec.Columns[ObjectID]; id != "" && id != dir[ObjectID] {
			return sets{}, &ColumnError{What: "record", Column: ObjectID.String(), Value: id, Err: ErrObjectMismatch}
		}
	}
	for i := range p.rows {
		row := &p.rows[i]
		c := row.Column
		old := rec.Columns[c]
		want, blank := row.value(dir)
		if old == want {
			continue
		}
		// Only a value that differs can be written or kept against the
		// directory: check it here, so that agreeing columns cost nothing.
		if !validValue(dir[c]) {
			return sets{}, &ColumnError{What: "directory", Column: c.String(), Value: dir[c], Err: ErrMalformed}
		}
		write := create
		switch row.Policy {
		case Always:
			write = true
		case NeverOverwrite:
			write = write || old == "" && !rec.EmailEdited
		}
		if !write {
			s.kept = s.kept.With(c)
			continue
		}
		s.changed = s.changed.With(c)
		if blank {
			s.blanked = s.blanked.With(c)
		}
	}
	return s, nil
}

var emptyRecord Record

// write applies decide's verdict for rec (nil for a new record) to out, and
// fills res, which must be the zero Result: both are written in place, as
// they are large.
func (p *Profile) write(rec *Record, dir *Values, out *Record, res *Result) error {
	s, err := p.decide(rec, dir)
	if err != nil {
		return err
	}
	p.fill(s, rec, dir, out, res)
	return nil
}

// fill writes the verdict s into out, which starts as a copy of rec (or
// empty), and into res.
func (p *Profile) fill(s sets, rec *Record, dir *Values, out *Record, res *Result) {
	res.profile, res.created = p, rec == nil
	res.changed, res.kept, res.blanked = s.changed, s.kept, s.blanked
	if rec != nil {
		res.custom = rec.Custom
	}
	// Only the columns that differ, lowest first.
	for differ := s.changed | s.kept; differ != 0; differ &= differ - 1 {
		c := Column(bits.TrailingZeros32(uint32(differ)))
		row := &p.rows[p.byColumn[c]]
		res.before[c], res.directory[c] = out.Columns[c], dir[c]
		if s.changed.Has(c) {
			out.Columns[c], _ = row.value(dir)
		}
	}
}

// value returns what the row writes from dir, and whether that is IfBlank
// standing in for a blank source.
func (row *Row) value(dir *Values) (string, bool) {
	if v := dir[row.Column]; v != "" || row.IfBlank == "" {
		return v, false
	}
	return row.IfBlank, true
}

// Result is what one Create or Update did. It is a value that costs no
// allocation to make; Changes and Kept build their lists when asked. It
// holds the record's and the directory's values of the columns that
// differed, and nothing of the others.
type Result struct {
	profile                *Profile
	created                bool
	changed, kept, blanked ColumnSet
	before, directory      Values
	custom                 map[string]string
}

// Created reports whether the result is of a Create.
func (r Result) Created() bool { return r.created }

// Changed returns the columns written.
func (r Result) Changed() ColumnSet { return r.changed }

// Unchanged reports whether nothing was written.
func (r Result) Unchanged() bool { return r.changed == 0 }

// Change is one column the sync wrote.
type Change struct {
	Column Column `json:"column"`
	Label  string `json:"label"`
	Old    string `json:"old"`
	New    string `json:"new"`
	Rule   Rule   `json:"rule"`
}

// Kept is one column the sync deliberately left alone although the
// directory says otherwise, or a custom column it never touches.
type Kept struct {
	// Column is the logical name; a custom column's own name.
	Column string `json:"column"`
	// Label is the user-form label; empty for a custom column.
	Label string `json:"label,omitempty"`
	// Value is what the record keeps.
	Value string `json:"value"`
	// Directory is what the directory says; empty for a custom column.
	Directory string `json:"directory,omitempty"`
	Rule      Rule   `json:"rule"`
}

// Changes lists every column written, in the profile's row order, each
// with the rule that wrote it.
func (r Result) Changes() []Change {
	if r.profile == nil {
		return nil
	}
	out := make([]Change, 0, r.changed.Len())
	for _, row := range r.profile.rows {
		c := row.Column
		if !r.changed.Has(c) {
			continue
		}
		ch := Change{Column: c, Label: row.Label, Old: r.before[c], New: r.directory[c], Rule: row.Rule}
		if r.blanked.Has(c) {
			ch.New, ch.Rule = row.IfBlank, RuleFirstName
		}
		out = append(out, ch)
	}
	return out
}

// Kept lists the mapped columns the sync left alone although the directory
// differs, in row order, then every custom column by name, each with the
// rule that kept it.
func (r Result) Kept() []Kept {
	if r.profile == nil {
		return nil
	}
	out := make([]Kept, 0, r.kept.Len()+len(r.custom))
	for _, row := range r.profile.rows {
		if c := row.Column; r.kept.Has(c) {
			out = append(out, Kept{Column: c.String(), Label: row.Label, Value: r.before[c], Directory: r.directory[c], Rule: row.Rule})
		}
	}
	names := make([]string, 0, len(r.custom))
	for name := range r.custom {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, Kept{Column: name, Value: r.custom[name], Rule: RuleCustom})
	}
	return out
}
