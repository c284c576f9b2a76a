// Package jsonread is a pull parser for JSON read from an io.Reader
// through a buffer of fixed size: the caller asks for the next member
// name, element or value, and the decoder reads only as much input as
// that takes. It never holds the whole input: a string or number is held
// only while the caller reads it, and a value the caller skips is never
// held at all.
//
// The decoder is strict: it accepts exactly RFC 8259 JSON in UTF-8. Text
// that is not valid UTF-8, a \u escape that is a lone surrogate, a control
// character inside a string, nesting deeper than MaxDepth, a string longer
// than MaxString and data after the top-level value are all errors, each
// an *Error giving the byte offset where the input went wrong.
package jsonread

import (
	"encoding/binary"
	"io"
	"strconv"
	"unicode/utf8"
)

// Kind is the kind of the next JSON value.
type Kind uint8

// The kinds of JSON values.
const (
	Invalid Kind = iota // not a value: the input is malformed there
	Null                // null
	Bool                // true or false
	Number              // a number
	String              // a string
	Object              // an object
	Array               // an array
)

var kindNames = [...]string{"invalid", "null", "boolean", "number", "string", "object", "array"}

// String returns the kind's name in JSON terms, such as "string".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Limits the zero configuration applies.
const (
	// DefaultMaxDepth is how deeply objects and arrays may nest.
	DefaultMaxDepth = 64
	// DefaultMaxString is the longest string, in bytes once unescaped,
	// the decoder hands to its caller. Strings it skips are not bounded.
	DefaultMaxString = 8 << 20
	// BufferSize is the size of the decoder's buffer, and of every read
	// it asks of its io.Reader.
	BufferSize = 64 << 10
)

// Error is malformed input, or a failed read, at a byte offset.
type Error struct {
	// Offset is the offset of the byte where the input went wrong.
	Offset int64
	// Msg says what is wrong.
	Msg string
	// Err is the reader's error for a failed read; nil for malformed input.
	Err error
}

// Error returns the message and the offset.
func (e *Error) Error() string {
	s := e.Msg + " at offset " + strconv.FormatInt(e.Offset, 10)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the reader's error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Decoder reads JSON values from an io.Reader. Its zero value is not
// usable; make one with NewDecoder (or reset it with ResetBytes). After its first error every method
// returns that error.
type Decoder struct {
	r       io.Reader
	buf     []byte
	pos     int   // next unread byte in buf
	end     int   // end of the data in buf
	base    int64 // offset of buf[0] in the input
	eof     bool
	depth   int
	first   bool // the next member or element is its container's first
	scratch []byte
	err     error

	// MaxDepth bounds nesting; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxString bounds the strings returned; 0 means DefaultMaxString.
	MaxString int
}

// NewDecoder returns a decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{r: r, buf: make([]byte, BufferSize)}
}

// Offset returns the offset of the next unread byte. After Peek it is the
// offset of the value Peek looked at.
func (d *Decoder) Offset() int64 { return d.base + int64(d.pos) }

// Depth returns how many objects and arrays are open.
func (d *Decoder) Depth() int { return d.depth }

// ResetBytes makes d read b, and nothing after it, as the part of a
// larger input that starts at offset, inside depth open objects and
// arrays: offsets are of that input, and nesting counts those levels. d
// reads from b in place, keeping neither its buffer nor its reader, and
// forgets its error. A zero Decoder so reset is usable.
func (d *Decoder) ResetBytes(b []byte, offset int64, depth int) {
	d.r, d.buf, d.pos, d.end, d.base = nil, b, 0, len(b), offset
	d.eof, d.err, d.depth, d.first = true, nil, depth, false
}

// SkipTo moves d on to offset off, at or after Offset, as if it had read
// the input up to there: a value starting at Offset that was read
// elsewhere, from the same bytes, and ends at off. The bytes between are
// read from the reader, as they would be, but not looked at.
func (d *Decoder) SkipTo(off int64) error {
	if d.err != nil {
		return d.err
	}
	for d.base+int64(d.end) < off {
		d.pos = d.end
		if !d.more() {
			return d.unexpectedEnd()
		}
	}
	d.pos = int(off - d.base)
	return nil
}

// Err returns the decoder's first error, or nil.
func (d *Decoder) Err() error { return d.err }

// fail records the first error and returns it.
func (d *Decoder) fail(msg string) error {
	if d.err == nil {
		d.err = &Error{Offset: d.Offset(), Msg: msg}
	}
	return d.err
}

// failAt records the first error, at offset off.
func (d *Decoder) failAt(off int64, msg string) error {
	if d.err == nil {
		d.err = &Error{Offset: off, Msg: msg}
	}
	return d.err
}

// more reads more input into the buffer, discarding what was read; it
// must be called only when every buffered byte has been consumed. It
// reports false at the end of the input or on a read error (recorded).
func (d *Decoder) more() bool {
	if d.eof || d.err != nil {
		return false
	}
	d.base += int64(d.end)
	d.pos, d.end = 0, 0
	for range 100 {
		n, err := d.r.Read(d.buf)
		d.end = n
		if err == io.EOF {
			d.eof = true
		} else if err != nil {
			d.err = &Error{Offset: d.base + int64(n), Msg: "read failed", Err: err}
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	d.err = &Error{Offset: d.base, Msg: "read failed", Err: io.ErrNoProgress}
	return false
}

// unexpectedEnd records the error of an input that stops too soon.
func (d *Decoder) unexpectedEnd() error {
	if d.err != nil {
		return d.err
	}
	return d.fail("unexpected end of input")
}

// skipSpace skips white space and returns the next byte, unread; false at
// the end of the input.
func (d *Decoder) skipSpace() (byte, bool) {
	if d.pos < d.end {
		if c := d.buf[d.pos]; c > ' ' {
			return c, true
		}
	}
	for {
		for d.pos < d.end {
			c := d.buf[d.pos]
			if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
				return c, true
			}
			d.pos++
		}
		if !d.more() {
			return 0, false
		}
	}
}

// next returns the next byte that is not white space, unread, or the
// decoder's error.
func (d *Decoder) next() (byte, error) {
	if d.err != nil {
		return 0, d.err
	}
	c, ok := d.skipSpace()
	if !ok {
		return 0, d.unexpectedEnd()
	}
	return c, nil
}

// Peek returns the kind of the next value without reading it.
func (d *Decoder) Peek() (Kind, error) {
	c, err := d.next()
	if err != nil {
		return Invalid, err
	}
	switch {
	case c == '"':
		return String, nil
	case c == '{':
		return Object, nil
	case c == '[':
		return Array, nil
	case c == 't' || c == 'f':
		return Bool, nil
	case c == 'n':
		return Null, nil
	case c == '-' || c >= '0' && c <= '9':
		return Number, nil
	}
	return Invalid, d.fail("invalid character " + quoteByte(c) + " looking for a value")
}

// quoteByte names a byte for a message.
func quoteByte(c byte) string {
	if c >= 0x20 && c < 0x7f {
		return strconv.QuoteRune(rune(c))
	}
	return "0x" + strconv.FormatUint(uint64(c), 16)
}

// expect consumes the next non-space byte, which must be c.
func (d *Decoder) expect(c byte, what string) error {
	got, ok := d.skipSpace()
	if !ok {
		return d.unexpectedEnd()
	}
	if got != c {
		return d.fail("invalid character " + quoteByte(got) + ", want " + what)
	}
	d.pos++
	return nil
}

// enter starts an object or array.
func (d *Decoder) enter(open byte, what string) error {
	if d.err != nil {
		return d.err
	}
	max := d.MaxDepth
	if max <= 0 {
		max = DefaultMaxDepth
	}
	if d.depth >= max {
		if _, ok := d.skipSpace(); !ok {
			return d.unexpectedEnd()
		}
		return d.fail("nesting deeper than " + strconv.Itoa(max) + " levels")
	}
	if err := d.expect(open, what); err != nil {
		return err
	}
	d.depth++
	d.first = true
	return nil
}

// BeginObject reads the '{' that opens an object.
func (d *Decoder) BeginObject() error { return d.enter('{', "'{'") }

// BeginArray reads the '[' that opens an array.
func (d *Decoder) BeginArray() error { return d.enter('[', "'['") }

// Key reads the name of the object's next member and the ':' after it.
// The name, unescaped, is valid until the next call on d. At the object's
// end Key reads its '}' and returns ok false.
func (d *Decoder) Key() (name []byte, ok bool, err error) { return d.key(true) }

// key is Key; without keep, for a member whose name the caller does not
// need, it returns no name.
func (d *Decoder) key(keep bool) (name []byte, ok bool, err error) {
	c, err := d.next()
	if err != nil {
		return nil, false, err
	}
	if c == '}' {
		d.pos++
		d.depth--
		d.first = false
		return nil, false, nil
	}
	if !d.first {
		if c != ',' {
			return nil, false, d.fail("invalid character " + quoteByte(c) + " after an object member, want ',' or '}'")
		}
		d.pos++
		if c, err = d.next(); err != nil {
			return nil, false, err
		}
	}
	d.first = false
	if c != '"' {
		return nil, false, d.fail("invalid character " + quoteByte(c) + ", want a member name")
	}
	name, inBuf, err := d.str(keep)
	if err != nil {
		return nil, false, err
	}
	// A name read from the buffer would not survive a refill while
	// looking for the colon: copy it unless the colon is buffered.
	if keep && inBuf && !d.colonBuffered() {
		d.scratch = append(d.scratch[:0], name...)
		name = d.scratch
	}
	if err := d.expect(':', "':' after a member name"); err != nil {
		return nil, false, err
	}
	return name, true, nil
}

// colonBuffered reports whether the buffer holds the next non-space
// byte, so that reading up to it needs no refill.
func (d *Decoder) colonBuffered() bool {
	for i := d.pos; i < d.end; i++ {
		if c := d.buf[i]; c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return true
		}
	}
	return false
}

// Next reports whether the array has another element, reading the ','
// before it; at the array's end it reads the ']' and returns false.
func (d *Decoder) Next() (bool, error) {
	c, err := d.next()
	if err != nil {
		return false, err
	}
	if c == ']' {
		d.pos++
		d.depth--
		d.first = false
		return false, nil
	}
	if !d.first {
		if c != ',' {
			return false, d.fail("invalid character " + quoteByte(c) + " after an array element, want ',' or ']'")
		}
		d.pos++
	}
	d.first = false
	return true, nil
}

// Null reads a null.
func (d *Decoder) Null() error { return d.literal("null") }

// Bool reads true or false.
func (d *Decoder) Bool() (bool, error) {
	c, ok := d.skipSpace()
	if !ok {
		return false, d.unexpectedEnd()
	}
	if c == 't' {
		return true, d.literal("true")
	}
	return false, d.literal("false")
}

// literal reads the literal word.
func (d *Decoder) literal(word string) error {
	if d.err != nil {
		return d.err
	}
	if _, ok := d.skipSpace(); !ok {
		return d.unexpectedEnd()
	}
	start := d.Offset()
	for i := 0; i < len(word); i++ {
		if d.pos == d.end && !d.more() {
			return d.unexpectedEnd()
		}
		if d.buf[d.pos] != word[i] {
			return d.failAt(start, "invalid literal, want "+word)
		}
		d.pos++
	}
	return nil
}

// String reads a string and returns its bytes, unescaped and valid UTF-8,
// valid until the next call on d.
func (d *Decoder) String() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	if err := d.expect('"', "a string"); err != nil {
		return nil, err
	}
	d.pos-- // str starts at the quote
	b, _, err := d.str(true)
	return b, err
}

// Number reads a number and returns its text, valid until the next call
// on d.
func (d *Decoder) Number() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	if _, ok := d.skipSpace(); !ok {
		return nil, d.unexpectedEnd()
	}
	return d.number(true)
}

// Skip reads the next value, whatever it is, and discards it.
func (d *Decoder) Skip() error {
	k, err := d.Peek()
	if err != nil {
		return err
	}
	switch k {
	case String:
		_, _, err = d.str(false)
	case Number:
		_, err = d.number(false)
	case Null:
		err = d.Null()
	case Bool:
		_, err = d.Bool()
	case Object:
		if err = d.BeginObject(); err != nil {
			return err
		}
		for {
			_, ok, err := d.key(false)
			if err != nil || !ok {
				return err
			}
			if err := d.Skip(); err != nil {
				return err
			}
		}
	case Array:
		if err = d.BeginArray(); err != nil {
			return err
		}
		for {
			ok, err := d.Next()
			if err != nil || !ok {
				return err
			}
			if err := d.Skip(); err != nil {
				return err
			}
		}
	}
	return err
}

// End checks that nothing but white space follows the top-level value.
func (d *Decoder) End() error {
	if d.err != nil {
		return d.err
	}
	if c, ok := d.skipSpace(); ok {
		return d.fail("data after the top-level value: " + quoteByte(c))
	}
	return d.err // a read error while looking, or nil at the end
}

// str reads a string starting at its opening quote, at d.pos. With keep it
// returns the string's bytes: a slice of the buffer (inBuf) when the
// string has no escape and lies wholly in it, else of the scratch buffer.
func (d *Decoder) str(keep bool) (s []byte, inBuf bool, err error) {
	start := d.Offset()
	d.pos++ // the opening quote
	i := d.pos
	for i < d.end {
		// Eight plain bytes at a time: none a quote, a backslash, a
		// control character or the start of a multi-byte rune.
		for i+8 <= d.end && !special(binary.LittleEndian.Uint64(d.buf[i:])) {
			i += 8
		}
		if i >= d.end {
			break
		}
		c := d.buf[i]
		switch {
		case c == '"':
			s := d.buf[d.pos:i]
			if keep && len(s) > d.maxString() {
				return nil, false, d.failAt(start, "string longer than "+strconv.Itoa(d.maxString())+" bytes")
			}
			d.pos = i + 1
			return s, true, nil
		case c == '\\' || c < 0x20:
			s, err := d.strSlow(i, start, keep)
			return s, false, err
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(d.buf[i:d.end])
			if r == utf8.RuneError && n == 1 {
				if utf8.FullRune(d.buf[i:d.end]) {
					return nil, false, d.failAt(d.base+int64(i), "invalid UTF-8 in a string")
				}
				s, err := d.strSlow(i, start, keep) // a rune cut by the buffer's end
				return s, false, err
			}
			i += n
		default:
			i++
		}
	}
	s, err = d.strSlow(i, start, keep)
	return s, false, err
}

// The bytes of a word, and its high bits.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special reports whether one of the eight bytes of w is a quote, a
// backslash, a control character or not ASCII.
func special(w uint64) bool {
	q := w ^ ones*'"'  // a zero byte where w has a quote
	b := w ^ ones*'\\' // and where it has a backslash
	less := (w - ones*0x20) &^ w
	quote := (q - ones) &^ q
	backslash := (b - ones) &^ b
	return (less|quote|backslash|w)&highs != 0
}

// strSlow reads the rest of a string from d.buf[i], having read
// d.buf[d.pos:i] of it: escapes, control characters, and strings that go
// on past the buffer.
func (d *Decoder) strSlow(i int, start int64, keep bool) ([]byte, error) {
	max := d.maxString()
	out := d.scratch[:0]
	if keep {
		out = append(out, d.buf[d.pos:i]...)
	}
	d.pos = i
	for {
		if d.pos == d.end && !d.more() {
			return nil, d.unexpectedEnd()
		}
		c := d.buf[d.pos]
		switch {
		case c == '"':
			d.pos++
			if keep {
				d.scratch = out
			}
			return out, nil
		case c == '\\':
			d.pos++
			r, err := d.escape()
			if err != nil {
				return nil, err
			}
			if keep {
				out = utf8.AppendRune(out, r)
			}
		case c < 0x20:
			return nil, d.fail("control character " + quoteByte(c) + " in a string")
		case c < utf8.RuneSelf:
			// A run of plain bytes.
			j := d.pos + 1
			for j < d.end {
				if b := d.buf[j]; b == '"' || b == '\\' || b < 0x20 || b >= utf8.RuneSelf {
					break
				}
				j++
			}
			if keep {
				out = append(out, d.buf[d.pos:j]...)
			}
			d.pos = j
		default:
			var rb [utf8.UTFMax]byte
			n, err := d.rune(rb[:])
			if err != nil {
				return nil, err
			}
			if keep {
				out = append(out, rb[:n]...)
			}
		}
		if keep && len(out) > max {
			return nil, d.failAt(start, "string longer than "+strconv.Itoa(max)+" bytes")
		}
	}
}

// maxString returns the longest string the decoder returns.
func (d *Decoder) maxString() int {
	if d.MaxString > 0 {
		return d.MaxString
	}
	return DefaultMaxString
}

// rune reads one multi-byte UTF-8 sequence into rb, which may span
// buffer refills, and returns its length. It reads as far as
// utf8.FullRune asks, as str does with a whole buffer, so that an input
// reads the same however the reader hands it over.
func (d *Decoder) rune(rb []byte) (int, error) {
	off := d.Offset()
	n := 0
	for n == 0 || !utf8.FullRune(rb[:n]) {
		if d.pos == d.end && !d.more() {
			return 0, d.unexpectedEnd()
		}
		rb[n] = d.buf[d.pos]
		d.pos++
		n++
	}
	if r, size := utf8.DecodeRune(rb[:n]); r == utf8.RuneError && size <= 1 || size != n {
		return 0, d.failAt(off, "invalid UTF-8 in a string")
	}
	return n, nil
}

// escape reads an escape sequence after its backslash and returns the
// rune it stands for. A \u escape of a surrogate must be a high surrogate
// followed by an escaped low one; a lone surrogate is an error.
func (d *Decoder) escape() (rune, error) {
	off := d.Offset() - 1
	if d.pos == d.end && !d.more() {
		return 0, d.unexpectedEnd()
	}
	c := d.buf[d.pos]
	d.pos++
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, err := d.hex4(off)
		if err != nil {
			return 0, err
		}
		switch {
		case r >= 0xdc00 && r <= 0xdfff:
			return 0, d.failAt(off, "lone low surrogate in a \\u escape")
		case r >= 0xd800 && r <= 0xdbff:
			for _, want := range [...]byte{'\\', 'u'} {
				if d.pos == d.end && !d.more() {
					return 0, d.unexpectedEnd()
				}
				if d.buf[d.pos] != want {
					return 0, d.failAt(off, "lone high surrogate in a \\u escape")
				}
				d.pos++
			}
			lo, err := d.hex4(off)
			if err != nil {
				return 0, err
			}
			if lo < 0xdc00 || lo > 0xdfff {
				return 0, d.failAt(off, "lone high surrogate in a \\u escape")
			}
			return 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00), nil
		}
		return r, nil
	}
	return 0, d.failAt(off, "invalid escape \\"+string(rune(c)))
}

// hex4 reads the four hex digits of a \u escape.
func (d *Decoder) hex4(off int64) (rune, error) {
	var r rune
	for range 4 {
		if d.pos == d.end && !d.more() {
			return 0, d.unexpectedEnd()
		}
		c := d.buf[d.pos]
		d.pos++
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, d.failAt(off, "invalid hex digit in a \\u escape")
		}
	}
	return r, nil
}

// maxNumber bounds the length of a number, read or skipped.
const maxNumber = 256

// number reads a number starting at d.pos; with keep it returns its text.
func (d *Decoder) number(keep bool) ([]byte, error) {
	start := d.Offset()
	// Fast path: the whole number is in the buffer, followed by a byte
	// that ends it.
	if j, ok := scanNumber(d.buf[d.pos:d.end]); ok {
		s := d.buf[d.pos : d.pos+j]
		d.pos += j
		return s, nil
	}
	out := d.scratch[:0]
	next := func() (byte, bool) {
		if d.pos == d.end && !d.more() {
			return 0, false
		}
		return d.buf[d.pos], true
	}
	length := 0
	take := func(c byte) {
		if keep {
			out = append(out, c)
		}
		d.pos++
		length++
	}
	digits := func() int {
		n := 0
		for {
			c, ok := next()
			if !ok || c < '0' || c > '9' {
				return n
			}
			take(c)
			n++
			if length > maxNumber {
				return -1
			}
		}
	}
	bad := func() ([]byte, error) {
		switch {
		case d.err != nil:
			return nil, d.err
		case length > maxNumber:
			return nil, d.failAt(start, "number longer than "+strconv.Itoa(maxNumber)+" bytes")
		}
		return nil, d.failAt(start, "malformed number")
	}
	if c, _ := next(); c == '-' {
		take(c)
	}
	c, ok := next()
	switch {
	case !ok:
		return bad()
	case c == '0':
		take(c)
	case c >= '1' && c <= '9':
		if digits() < 0 {
			return bad()
		}
	default:
		return bad()
	}
	if c, ok := next(); ok && c == '.' {
		take(c)
		if digits() <= 0 {
			return bad()
		}
	}
	if c, ok := next(); ok && (c == 'e' || c == 'E') {
		take(c)
		if c, ok := next(); ok && (c == '+' || c == '-') {
			take(c)
		}
		if digits() <= 0 {
			return bad()
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if keep {
		d.scratch = out
	}
	return out, nil
}

// scanNumber returns the length of the number at the start of b and true
// when it is well formed and b holds the byte that ends it.
func scanNumber(b []byte) (int, bool) {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return 0, false
	}
	if i < len(b) && b[i] == '.' {
		if j := digits(b, i+1); j > i+1 {
			i = j
		} else {
			return 0, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if j := digits(b, i); j > i {
			i = j
		} else {
			return 0, false
		}
	}
	if i >= len(b) || i > maxNumber {
		return 0, false // the number may go on past the buffer
	}
	return i, true
}

// digits returns the index in b past the digits from i.
func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}
