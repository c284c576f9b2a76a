package wire

import (
	"encoding/binary"
	"hash/maphash"
	"io"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/ident"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
	"github.com/provisionrules/provisionrules/syncfields"
)

// dec is the tokenizer with the readers of typed values this package
// uses, the tables that let many records share one copy of a string, and
// the places of the objects being read.
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
	// frames are the objects being read, one a level: the member readers
	// are called through a table, so what they are given must not be on
	// the stack, or every object would cost an allocation.
	frames [8]val
	depth  int
	// item is the record of a page being read.
	item rec
	// name holds the name of a member being skipped, for its error: the
	// decoder's copy does not survive the skip.
	name []byte
	// listIDs holds the IDs of the list being read, by index, to refuse
	// one given twice.
	listIDs map[string]int
	// guid holds an identifier put in its canonical form.
	guid [ident.GUIDLen]byte
	// context holds the @odata.context of the page last read.
	context []byte
	// recent holds the last two identifiers read of their own (not
	// interned), newest first.
	recent [2]string
	// columns holds the synced columns of the Dataverse row being read,
	// made into the record's Values at once when the row ends.
	columns [syncfields.ColumnCount]string
}

// canonical returns identifier b in its canonical form, the one the rules
// compare IDs in (provisioning.CanonicalID): a GUID in lower case, so
// that a GUID Dataverse writes in upper case is the one Microsoft Graph
// writes in lower case. b is left as it is; the result is valid until the
// next call.
func (d *dec) canonical(b []byte) []byte { return ident.CanonicalBytes(b, &d.guid) }

// seen returns listIDs, empty.
func (d *dec) seen() map[string]int {
	if d.listIDs == nil {
		d.listIDs = map[string]int{}
	}
	clear(d.listIDs)
	return d.listIDs
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

// intern returns identifier b in its canonical form as a string, one copy
// per distinct value.
func (d *dec) intern(b []byte) string {
	s, _ := d.internID(b)
	return s
}

// internID returns identifier b in its canonical form as a string, one
// copy per distinct valid identifier, and whether it is one (see
// ident.Valid): the table holds only valid identifiers, so that a value
// met again is not checked again.
func (d *dec) internID(b []byte) (string, bool) {
	b = d.canonical(b)
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

// next readies the read of a value of kind k (want names it for an
// error): null reports a null, read; otherwise a value of kind k is next.
func (d *dec) next(k jsonread.Kind, want string) (null bool, err error) {
	got, err := d.Peek()
	switch {
	case err != nil:
	case got == jsonread.Null:
		null, err = true, d.Null()
	case got != k:
		err = kindMismatch(got, want)
	}
	return null, err
}

// str reads a string or null; null reads as nil with null true.
func (d *dec) str() (b []byte, null bool, err error) {
	if null, err = d.next(jsonread.String, "a string"); err == nil && !null {
		b, err = d.String()
	}
	return b, null, err
}

// boolean reads true, false or null.
func (d *dec) boolean() (v, null bool, err error) {
	if null, err = d.next(jsonread.Bool, "true or false"); err == nil && !null {
		v, err = d.Bool()
	}
	return v, null, err
}

// integer reads a whole number or null; n means nothing with an error.
func (d *dec) integer() (n int64, null bool, err error) {
	if null, err = d.next(jsonread.Number, "a whole number"); err != nil || null {
		return
	}
	b, err := d.Number()
	if err == nil {
		if n, err = strconv.ParseInt(string(b), 10, 64); err != nil {
			err = &typeError{got: "number " + string(b), want: "a whole number"}
		}
	}
	return n, false, err
}

// array starts an array, or reads a null (null true).
func (d *dec) array() (null bool, err error) {
	if null, err = d.next(jsonread.Array, "an array"); err == nil && !null {
		err = d.BeginArray()
	}
	return null, err
}

// object starts an object, or reads a null (null true).
func (d *dec) object() (null bool, err error) {
	if null, err = d.next(jsonread.Object, "an object"); err == nil && !null {
		err = d.BeginObject()
	}
	return null, err
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
// absent; the zero path, with i and j -1, is the record itself. Its text
// is built only for an error.
type path struct {
	a string
	i int
	b string
	j int
}

// root is the path of the record itself.
var root = path{i: -1, j: -1}

// field returns the path of a plain field.
func field(name string) path { return root.member(name) }

// member returns the path of p's member name.
func (p path) member(name string) path {
	switch {
	case p.a == "":
		p.a = name
	case p.b == "":
		p.b = name
	default:
		p.b += "." + name
	}
	return p
}

// at returns the path of element k of the list at p.
func (p path) at(k int) path {
	if p.b == "" && p.i < 0 {
		p.i = k
	} else {
		p.j = k
	}
	return p
}

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

// ident reads a string field holding an identifier, in its canonical
// form: control and bidirectional formatting characters are refused, and
// null reads as empty.
func (r *rec) ident(name string) (string, error) {
	off := r.d.valueOffset()
	b, _, err := r.d.str()
	if err != nil {
		return "", r.fail(name, err)
	}
	s := string(r.d.canonical(b))
	if !ident.Valid(s) {
		return "", r.bad(name, s, off, provisioning.ErrMalformed)
	}
	return s, nil
}
