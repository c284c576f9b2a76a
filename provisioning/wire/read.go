package wire

import (
	"encoding/binary"
	"hash/maphash"
	"io"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
)

// dec is the tokenizer with the readers of typed values this package
// uses, and the tables that let many records share one copy of a string.
type dec struct {
	*jsonread.Decoder
	// ids holds the identifiers and names many records repeat: group,
	// tenant, role and SKU IDs, SKU and service-plan names. It grows with
	// the distinct values, which the model holds anyway.
	ids map[string]string
	// text is a bounded cache of the profile values users share (cities,
	// job titles, given names), so that a million users from one city
	// hold one copy of its name.
	text *textCache
	// hot is a direct-mapped cache in front of ids: the identifiers met
	// most recently, found with two loads and a multiplication instead of
	// a map lookup.
	hot [hotSlots]string
}

const hotSlots = 1 << 10

// hotSlot returns the slot of hot for b, of 8 bytes or more.
func hotSlot(b []byte) uint64 {
	const k = 0x9e3779b97f4a7c15
	h := binary.LittleEndian.Uint64(b) ^ binary.LittleEndian.Uint64(b[len(b)-8:])*k ^ uint64(len(b))
	return h * k >> (64 - 10)
}

func newDec(r io.Reader) *dec {
	return &dec{Decoder: jsonread.NewDecoder(r), ids: map[string]string{}, text: newTextCache()}
}

// intern returns b as a string, one copy per distinct value.
func (d *dec) intern(b []byte) string {
	s, _ := d.internID(b)
	return s
}

// internID returns b as a string, one copy per distinct valid identifier,
// and whether it is one (see ident.Valid): the table holds only valid
// identifiers, so that a value met again is not checked again.
func (d *dec) internID(b []byte) (string, bool) {
	slot := -1
	if len(b) >= 8 {
		slot = int(hotSlot(b))
		if s := d.hot[slot]; s == string(b) {
			return s, true
		}
	}
	s, ok := d.ids[string(b)]
	if !ok {
		s = string(b)
		if !ident.Valid(s) {
			return s, false
		}
		d.ids[s] = s
	}
	if slot >= 0 {
		d.hot[slot] = s // a speed-up only: the map above holds s too
	}
	return s, true
}

// textCache is a direct-mapped cache of short strings.
type textCache struct {
	seed  maphash.Seed
	slots [textSlots]string
}

const (
	textSlots = 1 << 12
	textMax   = 48 // longer values are seldom shared
)

func newTextCache() *textCache { return &textCache{seed: maphash.MakeSeed()} }

// get returns b as a string, the cached copy when the slot holds it.
func (c *textCache) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if len(b) > textMax { // not cached: a speed-up only, either way
		return string(b)
	}
	slot := &c.slots[maphash.Bytes(c.seed, b)&(textSlots-1)]
	if *slot == string(b) {
		return *slot
	}
	*slot = string(b)
	return *slot
}

// kindMismatch is the error of a value of kind k where want belongs.
func kindMismatch(k jsonread.Kind, want string) error {
	return &typeError{got: k.String(), want: want}
}

// valueOffset returns the offset of the next value, past the white space
// before it. An error peeking is the decoder's, returned by its next read.
func (d *dec) valueOffset() int64 {
	d.Peek()
	return d.Offset()
}

// str reads a string or null; null reads as nil with null true.
func (d *dec) str() (b []byte, null bool, err error) {
	k, err := d.Peek()
	switch {
	case err != nil:
	case k == jsonread.String:
		b, err = d.String()
	case k == jsonread.Null:
		null, err = true, d.Null()
	default:
		err = kindMismatch(k, "a string")
	}
	return b, null, err
}

// boolean reads true, false or null.
func (d *dec) boolean() (v, null bool, err error) {
	k, err := d.Peek()
	switch {
	case err != nil:
	case k == jsonread.Bool:
		v, err = d.Bool()
	case k == jsonread.Null:
		null, err = true, d.Null()
	default:
		err = kindMismatch(k, "true or false")
	}
	return v, null, err
}

// integer reads a whole number or null; n means nothing with an error.
func (d *dec) integer() (n int64, null bool, err error) {
	k, err := d.Peek()
	var b []byte
	switch {
	case err != nil:
	case k == jsonread.Null:
		null, err = true, d.Null()
	case k != jsonread.Number:
		err = kindMismatch(k, "a whole number")
	default:
		if b, err = d.Number(); err == nil {
			if n, err = strconv.ParseInt(string(b), 10, 64); err != nil {
				err = &typeError{got: "number " + string(b), want: "a whole number"}
			}
		}
	}
	return n, null, err
}

// array starts an array, or reads a null (null true).
func (d *dec) array() (null bool, err error) {
	k, err := d.Peek()
	switch {
	case err != nil:
		return false, err
	case k == jsonread.Array:
		return false, d.BeginArray()
	case k == jsonread.Null:
		return true, d.Null()
	}
	return false, kindMismatch(k, "an array")
}

// object starts an object, or reads a null (null true).
func (d *dec) object() (null bool, err error) {
	k, err := d.Peek()
	switch {
	case err != nil:
		return false, err
	case k == jsonread.Object:
		return false, d.BeginObject()
	case k == jsonread.Null:
		return true, d.Null()
	}
	return false, kindMismatch(k, "an object") // null is unread with an error
}

// where names a page: the section of an input, the key of a keyed list
// (the user or group the page is about), and the page's index in an array
// of pages (-1 for a lone page). Its text, the Source of an Error, is
// built only for an error.
type where struct {
	section string
	key     string
	page    int
}

// lone names a lone page of section.
func lone(section string) where { return where{section: section, page: -1} }

// String returns the source's text: section, section["key"], with "[i]"
// after it for page i of an array of pages.
func (w where) String() string {
	s := w.section
	if w.key != "" {
		s += "[" + strconv.Quote(w.key) + "]"
	}
	if w.page >= 0 {
		s += "[" + strconv.Itoa(w.page) + "]"
	}
	return s
}

// path names a field inside a record as a[i].b[j], i and j -1 when
// absent; its text is built only for an error.
type path struct {
	a string
	i int
	b string
	j int
}

// field returns the path of a plain field.
func field(name string) path { return path{a: name, i: -1, j: -1} }

// elem returns the path of element i of list a, or of its member b.
func elem(a string, i int, b string) path { return path{a: a, i: i, b: b, j: -1} }

// at returns p with element j of its last part.
func (p path) at(j int) path { p.j = j; return p }

// member returns p's member b (p must have no member yet).
func (p path) member(b string) path { p.b = b; return p }

// String returns the path's text.
func (p path) String() string {
	s := p.a
	if p.i >= 0 {
		s += "[" + strconv.Itoa(p.i) + "]"
	}
	if p.b != "" {
		s += "." + p.b
	}
	if p.j >= 0 {
		s += "[" + strconv.Itoa(p.j) + "]"
	}
	return s
}

// rec is the place of one record, for its errors.
type rec struct {
	d     *dec
	at    where
	index int
	id    string
	start int64
}

// fail reports a failed read of field: malformed JSON, a failed read or a
// value of the wrong type, at the decoder's offset.
func (r *rec) fail(name string, err error) error { return r.failAt(field(name), err) }

// failAt is fail of a field inside the record.
func (r *rec) failAt(f path, err error) error {
	if te, ok := err.(*typeError); ok {
		return &Error{Source: r.at.String(), Index: r.index, ID: r.id, Field: f.String(), Value: te.got, Offset: r.d.Offset(), Err: te}
	}
	return decodeError(r.at.String(), r.index, r.id, f.String(), err)
}

// bad reports a well-formed value of field that is wrong, found at off.
func (r *rec) bad(name, value string, off int64, err error) error {
	return r.badAt(field(name), value, off, err)
}

// badAt is bad of a field inside the record.
func (r *rec) badAt(f path, value string, off int64, err error) error {
	return &Error{Source: r.at.String(), Index: r.index, ID: r.id, Field: f.String(), Value: cut(value), Offset: off, Err: err}
}

// missing reports a required field absent from the record.
func (r *rec) missing(name string) error {
	return &Error{Source: r.at.String(), Index: r.index, ID: r.id, Field: name, Offset: r.start, Err: ErrMissing}
}

// ident reads a string field holding an identifier: control and
// bidirectional formatting characters are refused, and null reads as
// empty. With intern, one copy is kept of each value.
func (r *rec) ident(name string, intern bool) (string, error) { return r.identAt(field(name), intern) }

// identAt is ident of a field inside the record.
func (r *rec) identAt(f path, intern bool) (string, error) {
	off := r.d.Offset()
	b, _, err := r.d.str()
	if err != nil {
		return "", r.failAt(f, err)
	}
	var s string
	valid := true
	if intern {
		s, valid = r.d.internID(b)
	} else {
		s = string(b)
		valid = ident.Valid(s)
	}
	if !valid {
		return "", r.badAt(f, s, off, ErrMalformed)
	}
	return s, nil
}

// text reads a string field of profile text; null reads as empty.
func (r *rec) text(name string) (string, error) { return r.textAt(field(name)) }

// textAt is text of a field inside the record.
func (r *rec) textAt(f path) (string, error) {
	b, _, err := r.d.str()
	if err != nil {
		return "", r.failAt(f, err)
	}
	return r.d.text.get(b), nil
}

// seen records that field number f of a record was read, refusing a
// member given twice, which JSON allows but which would make the record
// say two things.
func (r *rec) seen(mask *uint64, f uint, name string) error { return r.seenAt(mask, f, field(name)) }

// seenAt is seen of a field inside the record.
func (r *rec) seenAt(mask *uint64, f uint, p path) error {
	if *mask&(1<<f) != 0 {
		return r.badAt(p, "", r.d.Offset(), explain(ErrDuplicate, "member given twice"))
	}
	*mask |= 1 << f
	return nil
}

// pageInfo holds a page's annotations: its links, its @odata.context,
// and whether that says it lists groups (see groupCast).
type pageInfo struct {
	next, delta, context string
	groups               bool
}

// readPage reads one OData list page at at: an object whose
// "value" array holds the records, with "@odata.nextLink",
// "@odata.deltaLink" and "@odata.context". It calls item for record i with
// the decoder at the record's '{'; a record that is null or not an object
// is an error here. Other members are skipped.
func readPage(d *dec, at where, item func(i int, start int64) error) (pageInfo, error) {
	var p pageInfo
	page := rec{d: d, at: at, index: -1}
	null, err := d.object()
	if err != nil {
		return p, page.fail("", err)
	}
	if null {
		return p, &Error{Source: at.String(), Index: -1, Offset: d.Offset(), Err: explain(ErrMissing, "the page is null")}
	}
	page.start = d.Offset()
	var mask uint64
	for {
		key, ok, err := d.Key()
		if err != nil {
			return p, page.fail("", err)
		}
		if !ok {
			break
		}
		switch string(key) {
		case "value":
			if err := page.seen(&mask, 0, "value"); err != nil {
				return p, err
			}
			null, err := d.array()
			if err != nil {
				return p, page.fail("value", err)
			}
			if null {
				return p, page.bad("value", "null", d.Offset(), ErrMissing)
			}
			for i := 0; ; i++ {
				more, err := d.Next()
				if err != nil {
					return p, page.fail("value", err)
				}
				if !more {
					break
				}
				start := d.Offset()
				k, err := d.Peek()
				if err != nil {
					return p, decodeError(at.String(), i, "", "", err)
				}
				switch k {
				case jsonread.Object:
				case jsonread.Null:
					return p, &Error{Source: at.String(), Index: i, Offset: d.Offset(), Err: explain(ErrMissing, "the record is null")}
				default:
					return p, &Error{Source: at.String(), Index: i, Value: k.String(), Offset: d.Offset(), Err: kindMismatch(k, "an object")}
				}
				if err := item(i, start); err != nil {
					return p, err
				}
			}
		case "@odata.nextLink":
			b, _, err := d.str()
			if err != nil {
				return p, page.fail("@odata.nextLink", err)
			}
			p.next = string(b)
		case "@odata.deltaLink":
			b, _, err := d.str()
			if err != nil {
				return p, page.fail("@odata.deltaLink", err)
			}
			p.delta = string(b)
		case "@odata.context":
			b, _, err := d.str()
			if err != nil {
				return p, page.fail("@odata.context", err)
			}
			p.context, p.groups = string(b), groupCast(b)
		default:
			if err := d.Skip(); err != nil {
				return p, page.fail("", err)
			}
		}
	}
	if mask&1 == 0 {
		return p, page.missing("value")
	}
	return p, nil
}

// pages reads a page or an array of pages at at, calling one for each
// with its place.
func pages(d *dec, at where, one func(at where) error) error {
	k, err := d.Peek()
	if err != nil {
		return decodeError(at.String(), -1, "", "", err)
	}
	if k != jsonread.Array {
		at.page = -1
		return one(at)
	}
	if err := d.BeginArray(); err != nil {
		return decodeError(at.String(), -1, "", "", err)
	}
	for i := 0; ; i++ {
		more, err := d.Next()
		if err != nil {
			return decodeError(at.String(), -1, "", "", err)
		}
		if !more {
			return nil
		}
		at.page = i
		if err := one(at); err != nil {
			return err
		}
	}
}

// finish checks that nothing follows the top-level value.
func finish(d *dec, src string) error {
	if err := d.End(); err != nil {
		return decodeError(src, -1, "", "", err)
	}
	return nil
}

// readOne reads a whole document with read and checks its end: the shape
// of every []byte decoder and of every Read function of one document.
func readOne[T any](r io.Reader, src string, read func(d *dec) (T, error)) (T, error) {
	d := newDec(r)
	v, err := read(d)
	if err != nil {
		var zero T
		return zero, err
	}
	if err := finish(d, src); err != nil {
		var zero T
		return zero, err
	}
	return v, nil
}
