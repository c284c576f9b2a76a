package syncfields

import (
	"math/bits"
	"sort"
	"strings"

	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// Create returns the record the profile makes for a new user from the
// directory values dir, and the Result that lists every column it wrote.
// Every mapped column is written, whatever its policy: a blank source stays
// blank, except that a row's IfBlank is written instead (SYNC-FIRSTNAME).
// The new record has no custom columns and an unedited email. A directory
// without the object ID (for a profile that maps it), or a value to write
// that is not valid UTF-8 or holds a NUL, is a *ColumnError. Create reads
// dir and does not retain it.
func (p *Profile) Create(dir *Values) (rec Fields, res Result, err error) {
	if dir == nil {
		return Fields{}, Result{}, nilArgument(false)
	}
	s, err := p.applyPolicies(nil, dir)
	if err != nil {
		return Fields{}, Result{}, err
	}
	p.fill(s, nil, dir, &rec, &res)
	return rec, res, nil
}

// Update returns rec as the profile's sync leaves it after reading the
// directory values dir, and the Result that lists what changed and what was
// deliberately left alone:
//
//   - a column of policy Always takes the directory's value (SYNC-ALWAYS),
//     or the row's IfBlank for a blank one, blank meaning empty or white
//     space only (SYNC-FIRSTNAME);
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
// refused with sentinel.ErrObjectMismatch, a directory without an object ID with
// sentinel.ErrMissing, and a directory value that differs from the record and is
// not valid UTF-8 (or holds a NUL) with sentinel.ErrMalformed; each is a
// *ColumnError naming the column, and nothing is then written. Values that
// agree with the record are not checked again: Fields.Validate and
// ParseFields check a record's own. Update reads rec and dir and retains
// neither, except that the new record shares rec.Custom. It allocates only
// to report an error.
func (p *Profile) Update(rec *Fields, dir *Values) (out Fields, res Result, err error) {
	err = p.UpdateInto(&out, &res, rec, dir)
	return
}

// UpdateInto is Update writing the new record into *dst and the Result
// into *res instead of returning them, so that a loop that syncs many
// records can reuse both; dst may be rec itself. On error *dst and *res are
// left as they were. Update is UpdateInto into its own results.
func (p *Profile) UpdateInto(dst *Fields, res *Result, rec *Fields, dir *Values) error {
	if dst == nil || res == nil || rec == nil || dir == nil {
		return nilArgument(rec == nil || dst == nil)
	}
	s, err := p.applyPolicies(rec, dir)
	if err != nil {
		return err
	}
	*dst = *rec
	*res = Result{}
	p.fill(s, rec, dir, dst, res)
	return nil
}

// Diff returns the columns that Update(rec, dir) would write, or, for a
// nil rec, that Create(dir) would, with the same errors (and no columns);
// it builds neither the record nor the Result, and allocates only to
// report an error.
func (p *Profile) Diff(rec *Fields, dir *Values) (ColumnSet, error) {
	if dir == nil {
		return 0, nilArgument(false)
	}
	s, err := p.applyPolicies(rec, dir)
	return s.changed, err
}

// Written returns the values the profile writes into the columns cols
// from the directory values dir: each column's directory value, or its
// row's IfBlank for a blank one (SYNC-FIRSTNAME). The other columns are
// blank. With the columns Diff returned, these are the new values of the
// write that Update or Create would make, found without deciding again.
func (p *Profile) Written(cols ColumnSet, dir *Values) Values {
	var out valuesArray
	if dir == nil {
		return Values{}
	}
	for c := cols & columnBits; c != 0; c &= c - 1 {
		col := Column(bits.TrailingZeros32(uint32(c)))
		if p.byColumn[col] >= 0 {
			out[col], _ = p.rows[p.byColumn[col]].value(dir)
		}
	}
	return out.pack()
}

// sets are what the policies decided for each differing column.
type sets struct{ changed, kept, blanked ColumnSet }

// applyPolicies is the one place where the columns' policies are applied:
// for each column whose directory value differs from the record's (rec
// nil: from a new, empty record), it decides whether the sync writes it or
// keeps the record's value.
func (p *Profile) applyPolicies(rec *Fields, dir *Values) (s sets, err error) {
	create := rec == nil
	if create {
		rec = &emptyRecord
	}
	if p.byColumn[ObjectID] >= 0 {
		if dir.Get(ObjectID) == "" {
			return sets{}, &ColumnError{What: "directory", Column: ObjectID.String(), Err: sentinel.ErrMissing}
		}
		if id := rec.Columns.Get(ObjectID); id != "" && id != dir.Get(ObjectID) {
			return sets{}, &ColumnError{What: "record", Column: ObjectID.String(), Value: id, Err: sentinel.ErrObjectMismatch}
		}
	}
	for i := range p.rows {
		row := &p.rows[i]
		c := row.Column
		old := rec.Columns.Get(c)
		want, blank := row.value(dir)
		if old == want {
			continue
		}
		// Only a value that differs can be written or kept against the
		// directory: check it here, so that agreeing columns cost nothing.
		if d := dir.Get(c); !validValue(d) {
			return sets{}, &ColumnError{What: "directory", Column: c.String(), Value: d, Err: sentinel.ErrMalformed}
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

var emptyRecord Fields

// fill writes the verdict s into out, which starts as a copy of rec (or
// empty), and into res, which must be the zero Result: both are written in
// place, as they are large.
func (p *Profile) fill(s sets, rec *Fields, dir *Values, out *Fields, res *Result) {
	res.profile, res.created = p, rec == nil
	res.changed, res.kept, res.blanked = s.changed, s.kept, s.blanked
	if rec != nil {
		res.custom = rec.Custom
	}
	if s.changed|s.kept == 0 {
		return
	}
	// Only the columns that differ, lowest first; the record's columns are
	// made anew, at once, when any is written.
	cols := out.Columns.unpack()
	for differ := s.changed | s.kept; differ != 0; differ &= differ - 1 {
		c := Column(bits.TrailingZeros32(uint32(differ)))
		row := &p.rows[p.byColumn[c]]
		res.before[c], res.directory[c] = cols[c], dir.Get(c)
		if s.changed.Has(c) {
			cols[c], _ = row.value(dir)
		}
	}
	if s.changed != 0 {
		out.Columns = cols.pack()
	}
}

// value returns what the row writes from dir, and whether that is IfBlank
// standing in for a blank source: empty, or white space only
// (SYNC-FIRSTNAME), or no source at all (SYNC-APPLICATION).
func (row *Row) value(dir *Values) (string, bool) {
	if row.Source == "" {
		return row.IfBlank, true
	}
	if v := dir.Get(row.Column); row.IfBlank == "" || !blank(v) {
		return v, false
	}
	return row.IfBlank, true
}

// blank reports whether s is empty or white space only.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			if s[i] < 0x80 {
				return false
			}
			return strings.TrimSpace(s[i:]) == ""
		}
	}
	return true
}

// Result is what one Create or Update did. It is a value that costs no
// allocation to make; Changes and Kept build their lists when asked. It
// holds the record's and the directory's values of the columns that
// differed, and nothing of the others.
type Result struct {
	profile                *Profile
	created                bool
	changed, kept, blanked ColumnSet
	before, directory      valuesArray
	custom                 map[string]string
}

// Created reports whether the result is of a Create.
func (r Result) Created() bool { return r.created }

// Changed returns the columns written.
func (r Result) Changed() ColumnSet { return r.changed }

// Unchanged reports whether nothing was written.
func (r Result) Unchanged() bool { return r.changed == 0 }

// Kept returns the mapped columns the sync left alone although the
// directory differs.
func (r Result) Kept() ColumnSet { return r.kept }

// ColumnChange is one column the sync wrote.
type ColumnChange struct {
	// Column is the column written.
	Column Column `json:"column"`
	// Label is the column's label on the user form.
	Label string `json:"label"`
	// Old is the record's value before; empty for a new record.
	Old string `json:"old"`
	// New is the value written.
	New string `json:"new"`
	// Rule is the rule that wrote it.
	Rule Rule `json:"rule"`
}

// ColumnKept is one column the sync deliberately left alone although the
// directory says otherwise, or a custom column it never touches.
type ColumnKept struct {
	// Column is the mapped column; zero for a custom column.
	Column Column `json:"column,omitzero"`
	// Name is the column's logical name: Column's, or the custom column's
	// own.
	Name string `json:"name"`
	// Label is the user-form label; empty for a custom column.
	Label string `json:"label,omitempty"`
	// Value is what the record keeps.
	Value string `json:"value"`
	// Directory is what the directory says; empty for a custom column.
	Directory string `json:"directory,omitempty"`
	// Rule is the rule that kept it.
	Rule Rule `json:"rule"`
}

// Changes lists every column written, in the profile's row order, each
// with the rule that wrote it.
func (r Result) Changes() []ColumnChange {
	if r.profile == nil {
		return nil
	}
	out := make([]ColumnChange, 0, r.changed.Len())
	for i := range r.profile.rows {
		if c := r.profile.rows[i].Column; r.changed.Has(c) {
			out = append(out, r.change(c))
		}
	}
	return out
}

// ChangeOf returns the change the sync made to column c, and whether it
// wrote c at all.
func (r Result) ChangeOf(c Column) (ColumnChange, bool) {
	if r.profile == nil || !r.changed.Has(c) {
		return ColumnChange{}, false
	}
	return r.change(c), true
}

// change describes the write of column c, which r changed.
func (r *Result) change(c Column) ColumnChange {
	row := &r.profile.rows[r.profile.byColumn[c]]
	ch := ColumnChange{Column: c, Label: row.Label, Old: r.before[c], New: r.directory[c], Rule: row.Rule}
	if r.blanked.Has(c) {
		ch.New = row.IfBlank
		if row.Source != "" {
			ch.Rule = RuleFirstName // a blank source, not a missing one
		}
	}
	return ch
}

// KeptColumns lists the mapped columns the sync left alone although the
// directory differs, in row order, then every custom column by name, each
// with the rule that kept it.
func (r Result) KeptColumns() []ColumnKept {
	if r.profile == nil {
		return nil
	}
	out := make([]ColumnKept, 0, r.kept.Len()+len(r.custom))
	for i := range r.profile.rows {
		if c := r.profile.rows[i].Column; r.kept.Has(c) {
			out = append(out, r.keep(c))
		}
	}
	names := make([]string, 0, len(r.custom))
	for name := range r.custom {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, ColumnKept{Name: name, Value: r.custom[name], Rule: RuleCustom})
	}
	return out
}

// KeptOf returns why the sync left mapped column c alone although the
// directory differs, and whether it did.
func (r Result) KeptOf(c Column) (ColumnKept, bool) {
	if r.profile == nil || !r.kept.Has(c) {
		return ColumnKept{}, false
	}
	return r.keep(c), true
}

// keep describes column c, which r kept.
func (r *Result) keep(c Column) ColumnKept {
	row := &r.profile.rows[r.profile.byColumn[c]]
	return ColumnKept{Column: c, Name: c.String(), Label: row.Label, Value: r.before[c], Directory: r.directory[c], Rule: row.Rule}
}
