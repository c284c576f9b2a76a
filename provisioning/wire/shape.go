package wire

import (
	"strconv"
	"time"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
)

// A shape is the table of the members of one kind of JSON object, read by
// one loop: each member is read by its row, a member given twice is
// refused, and once the object ends, a member its row requires and that
// is missing is refused, then check runs. A new property is one row.
type shape[T any] struct {
	members []member[T]
	// key names the member that identifies a record: errors name the
	// record by its value once it is read.
	key string
	id  func(*T) string
	// dup is the words of a duplicate key in a page, "#" standing for the
	// index of the record that had it first; empty, a page does not
	// refuse one.
	dup string
	// other reads a member the table does not list; nil skips it.
	other func(v *T, x *val, key []byte) error
	// begin, if set, runs before the object's first member is read.
	begin func(x *val)
	// check runs once the object is read, with x at the object.
	check func(v *T, x *val) error

	// Dispatch: the members by the length of their name.
	byLen  [][]uint8
	names  []string
	keyAt  int
	always uint64 // members required unconditionally
	when   bool   // some member is required on a condition
}

// member is one row of a shape.
type member[T any] struct {
	name string
	need need
	// when, if set, limits the need to the objects it reports true for.
	when func(*T) bool
	// hint, if set, says why a missing member is needed, or how to get it.
	hint string
	read func(v *T, x *val) error
}

// need says what a member must be for its object to be read.
type need uint8

const (
	optional need = iota
	required      // present, not null, and not an empty string
	present       // present, even null
)

// table returns s ready to read: its members indexed by length. A shape
// holds 64 members at most, the bits of its masks (a test checks).
func (s shape[T]) table() *shape[T] {
	s.keyAt = -1
	for i, m := range s.members {
		s.names = append(s.names, m.name)
		for len(s.byLen) <= len(m.name) {
			s.byLen = append(s.byLen, nil)
		}
		s.byLen[len(m.name)] = append(s.byLen[len(m.name)], uint8(i))
		if m.name == s.key {
			s.keyAt = i
		}
		switch {
		case m.need == optional:
		case m.when != nil || m.need == present:
			s.when = true
		default:
			s.always |= 1 << i
		}
	}
	return &s
}

// find returns the index of the member named key, or -1: the candidates of
// its length, told apart by their first byte before the whole name.
func (s *shape[T]) find(key []byte) int {
	if len(key) == 0 || len(key) >= len(s.byLen) {
		return -1
	}
	for _, i := range s.byLen[len(key)] {
		if n := s.members[i].name; n[0] == key[0] && n == string(key) {
			return int(i)
		}
	}
	return -1
}

// val is the place of what is being read, for the readers of values and
// their errors: the record, the object in it (its path, empty for the
// record itself, and its start), and the member.
type val struct {
	d     *dec
	r     *rec
	obj   path
	start int64
	// The member: names[at] for one the shape lists (the index is set,
	// not the string: a store of a pointer into the heap costs a write
	// barrier while the collector runs), else name.
	names []string
	at    int
	name  string
	// has reports that the member held a value: not null, and not an
	// empty string.
	has bool
}

// readObject reads the members of an object of record r, after its '{',
// into v: the object is at path at and starts at start. v must not be on
// the caller's stack.
func readObject[T any](d *dec, r *rec, at path, start int64, s *shape[T], v *T) error {
	x := d.frame()
	// The frame often held an object of this shape in this record: store
	// only what changed (a pointer stored costs a write barrier while the
	// collector runs).
	if x.r != r {
		x.d, x.r = d, r
	}
	if x.obj != at {
		x.obj = at
	}
	if len(x.names) == 0 || &x.names[0] != &s.names[0] {
		x.names = s.names
	}
	x.start, x.at, x.has = start, -1, false
	if x.name != "" {
		x.name = ""
	}
	err := s.read(x, v)
	d.depth--
	return err
}

// frame returns a place for a read one level deeper, to give back with
// d.depth--.
func (d *dec) frame() *val {
	d.depth++
	if d.depth <= len(d.frames) {
		return &d.frames[d.depth-1]
	}
	return new(val) // deeper than this package's shapes nest: correct, slower
}

// read reads the object's members, then checks them.
func (s *shape[T]) read(x *val, v *T) error {
	d := x.d
	if s.begin != nil {
		s.begin(x)
	}
	var seen, has uint64
	for {
		key, ok, err := d.Key()
		if err != nil {
			return x.r.failAt(x.obj, err)
		}
		if !ok {
			break
		}
		i := s.find(key)
		x.at, x.has = i, false
		if i < 0 {
			// s.other names the member itself (x.name) before it reads it.
			if s.other != nil {
				err = s.other(v, x, key)
			} else {
				err = x.skip(key)
			}
			if err != nil {
				return err
			}
			continue
		}
		m, bit := &s.members[i], uint64(1)<<i
		if seen&bit != 0 {
			return x.bad("", d.Offset(), errtext.Explain(provisioning.ErrDuplicate, "member given twice"))
		}
		seen |= bit
		if err := m.read(v, x); err != nil {
			return err
		}
		if x.has {
			has |= bit
		}
		if i == s.keyAt {
			x.r.id = s.id(v)
		}
	}
	x.at, x.name = -1, ""
	if s.always&^has != 0 || s.when {
		for i := range s.members {
			m, got := &s.members[i], has
			if m.need == present {
				got = seen
			}
			if m.need != optional && got&(1<<i) == 0 && (m.when == nil || m.when(v)) {
				return x.missing(m.name, m.hint)
			}
		}
	}
	if s.check != nil {
		return s.check(v, x)
	}
	return nil
}

// member returns the name of the member being read, or "".
func (x *val) member() string {
	if x.at >= 0 {
		return x.names[x.at]
	}
	return x.name
}

// field returns the path of the member being read.
func (x *val) field() path {
	if m := x.member(); m != "" {
		return x.obj.member(m)
	}
	return x.obj
}

// fail reports a failed read of the member: malformed JSON, a failed read
// or a value of the wrong type.
func (x *val) fail(err error) error { return x.r.failAt(x.field(), err) }

// bad reports a well-formed value of the member that is wrong, found at
// off.
func (x *val) bad(value string, off int64, err error) error {
	return x.r.badAt(x.field(), value, off, err)
}

// badMember is bad of member name of the object.
func (x *val) badMember(name, value string, off int64, err error) error {
	return x.r.badAt(x.obj.member(name), value, off, err)
}

// missing reports member name absent from the object.
func (x *val) missing(name, hint string) error {
	var err error = provisioning.ErrMissing
	if hint != "" {
		err = errtext.Explain(provisioning.ErrMissing, hint)
	}
	return x.badMember(name, "", x.start, err)
}

// skip skips a member the object does not read.
func (x *val) skip(key []byte) error {
	x.d.name = append(x.d.name[:0], key...)
	if err := x.d.Skip(); err != nil {
		// Inside a record, the member; inside an object of it, the object.
		p := x.obj
		if p.a == "" {
			p = field(string(x.d.name))
		}
		return x.r.failAt(p, err)
	}
	return nil
}

// str reads a string or null (nil) into b, which starts at off; has
// reports a non-empty string.
func (x *val) str() (b []byte, off int64, err error) {
	null, err := x.d.next(jsonread.String, "a string")
	off = x.d.Offset()
	if err == nil && !null {
		b, err = x.d.String()
	}
	if err != nil {
		return nil, off, x.fail(err)
	}
	x.has = len(b) > 0
	return b, off, nil
}

// ident reads an identifier in its canonical form (a GUID in lower case,
// provisioning.CanonicalID): control and bidirectional formatting
// characters are refused, and null reads as empty.
func (x *val) ident(dst *string) error { return x.identifier(dst, false) }

// shared is ident of an identifier many records repeat, held once.
func (x *val) shared(dst *string) error { return x.identifier(dst, true) }

func (x *val) identifier(dst *string, intern bool) error {
	b, off, err := x.str()
	if err != nil {
		return err
	}
	var s string
	valid := true
	if intern {
		s, valid = x.d.internID(b)
	} else {
		s = string(x.d.canonical(b))
		valid = ident.Valid(s)
		x.d.recent[0], x.d.recent[1] = s, x.d.recent[0]
	}
	if !valid {
		return x.bad(s, off, provisioning.ErrMalformed)
	}
	*dst = s
	return nil
}

// text reads profile text; null reads as empty. Text equal to one of the
// last identifiers read (a mail that is the user's UPN) is held as it.
func (x *val) text(dst *string) error {
	b, _, err := x.str()
	switch r := &x.d.recent; {
	case len(b) > 0 && r[0] == string(b):
		*dst = r[0]
	case len(b) > 0 && r[1] == string(b):
		*dst = r[1]
	default:
		*dst = x.d.text.get(b)
	}
	return err
}

// raw reads a string as it is; null reads as empty.
func (x *val) raw(dst *string) error {
	b, _, err := x.str()
	*dst = string(b)
	return err
}

// time reads an RFC 3339 time, or null or empty.
func (x *val) time(dst *string) error {
	b, off, err := x.str()
	if err != nil || len(b) == 0 {
		return err
	}
	*dst = string(b)
	if _, err := time.Parse(time.RFC3339, *dst); err != nil {
		return x.bad(*dst, off, errtext.Explain(provisioning.ErrMalformed, "not an RFC 3339 time"))
	}
	return nil
}

// odataType reads an @odata.type, which must be want when it is given.
func (x *val) odataType(want, not string) error {
	b, off, err := x.str()
	if err == nil && len(b) > 0 && string(b) != want {
		return x.bad(string(b), off, errtext.Explain(provisioning.ErrUnknown, not))
	}
	return err
}

// boolean reads true, false or null (which reads as false).
func (x *val) boolean(dst *bool) error {
	v, null, err := x.d.boolean()
	if err != nil {
		return x.fail(err)
	}
	*dst, x.has = v, !null
	return nil
}

// flag reads true or false behind a pointer, left as it is by a null; the
// pointer is made when it is nil.
func (x *val) flag(dst **bool) error {
	v, null, err := x.d.boolean()
	switch {
	case err != nil:
		return x.fail(err)
	case null:
		return nil
	case *dst == nil:
		*dst = new(bool)
	}
	**dst, x.has = v, true
	return nil
}

// whole reads a whole number from lo to hi, or null (0); another number
// is unknown, why saying what is wanted.
func (x *val) whole(lo, hi int64, why string) (int64, error) {
	off := x.d.valueOffset()
	n, null, err := x.d.integer()
	switch {
	case err != nil:
		return 0, x.fail(err)
	case null:
		return 0, nil
	case n < lo || n > hi:
		return 0, x.bad(strconv.FormatInt(n, 10), off, errtext.Explain(provisioning.ErrUnknown, why))
	}
	x.has = true
	return n, nil
}

// texts reads a list of profile text, or null (nil).
func (x *val) texts(dst *[]string) error { return x.strings(dst, (*val).text) }

// ids reads a list of identifiers many records repeat, or null (nil).
func (x *val) ids(dst *[]string) error { return x.strings(dst, (*val).shared) }

func (x *val) strings(dst *[]string, one func(*val, *string) error) error {
	list := []string{}
	err := elements(x, func(e *val) error {
		list = append(list, "")
		return one(e, &list[len(list)-1])
	})
	if x.has {
		*dst = list
	}
	return err
}

// elements reads a list, or null (has false), calling one for each
// element with e at it.
func elements(x *val, one func(e *val) error) error {
	null, err := x.d.array()
	if err != nil {
		return x.fail(err)
	}
	if null {
		return nil
	}
	x.has = true
	list := x.field()
	e := x.d.frame()
	*e = val{d: x.d, r: x.r, obj: list.at(0), start: x.start, at: -1}
	for i := 0; err == nil; i++ {
		var more bool
		if more, err = x.d.Next(); err != nil {
			err = x.r.failAt(list, err)
		} else if !more {
			break
		} else {
			e.obj.i, e.obj.j = list.at(i).i, list.at(i).j // the ints alone: no pointer stored
			e.has = false
			err = one(e)
		}
	}
	x.d.depth--
	return err
}

// list reads a list of objects of shape s, appending them to dst, or
// null (dst left as it is); a null element is refused.
func list[E any](x *val, s *shape[E], dst *[]E) error {
	err := objects(x, s, func() *E { return next(dst) }, nil)
	if x.has && *dst == nil {
		*dst = []E{}
	}
	return err
}

// objects reads a list of objects of shape s, or null: each into the E
// slot returns, then done, if set, with e at the element.
func objects[E any](x *val, s *shape[E], slot func() *E, done func(e *val) error) error {
	return elements(x, func(e *val) error {
		null, err := e.d.object()
		switch {
		case err != nil:
			return e.fail(err)
		case null:
			return e.bad("null", e.d.Offset(), provisioning.ErrMissing)
		}
		e.start = e.d.Offset()
		if err := readObject(e.d, e.r, e.obj, e.start, s, slot()); err != nil || done == nil {
			return err
		}
		return done(e)
	})
}

// object reads an object of shape s into v, or a null (which null
// describes; empty, a null is no value).
func object[E any](x *val, s *shape[E], v *E, null string) error {
	off := x.d.valueOffset()
	isNull, err := x.d.object()
	switch {
	case err != nil:
		return x.fail(err)
	case isNull && null != "":
		return x.bad("null", off, errtext.Explain(provisioning.ErrMissing, null))
	case isNull:
		return nil
	}
	x.has = true
	return readObject(x.d, x.r, x.field(), x.d.Offset(), s, v)
}
