// Package strictjson reads JSON into Go values as strictly as the model
// needs: one value and nothing after it, valid UTF-8, every object key a
// field's exact JSON name given once, every required field present and
// not null, every enum's text one of its names. encoding/json accepts all
// of these mistakes silently (it matches keys in any case, keeps the last
// of two, rewrites invalid UTF-8 and reads null as the zero value); a
// tenant's configuration read that way can admit or disable users because
// of a typo. It is not a hot path: tenant files and service requests,
// not million-user exports, which package wire reads.
//
// A field is required when its json tag has neither omitempty nor
// omitzero; null is the zero value of an optional field, and of a
// pointer, slice or map.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/provisionrules/provisionrules/internal/enum"
	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// Error is a value Decode refused: where it is (a path such as
// "users[3].licenses[0].plan", empty for the document itself) and what is
// wrong with it.
type Error struct {
	// Path is the value's place in the document.
	Path string
	// Value is the text found, cut short; empty when there is none.
	Value string
	// Err says what is wrong, wrapping one of the module's sentinel
	// errors (unknown, missing, duplicate, malformed).
	Err error
}

// Error returns "path: what is wrong".
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// Decode reads data into v, a non-nil pointer, strictly (see the package
// documentation). A value whose type implements json.Unmarshaler reads
// itself; one that implements encoding.TextUnmarshaler reads a JSON
// string. Every error is an *Error naming the path.
func Decode(data []byte, v any) error {
	if err := checkText(data); err != nil {
		return err
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &Error{Err: because(sentinel.ErrMissing, "Decode needs a non-nil pointer, not %T", v)}
	}
	w := newWalker(data)
	if err := w.value(rv.Elem(), "", true); err != nil {
		return err
	}
	return w.end()
}

// checkText refuses data that is not valid UTF-8, or that escapes half of
// a UTF-16 surrogate pair, before any of it is read.
func checkText(data []byte) error {
	if i := invalidUTF8(data); i >= 0 {
		return &Error{Err: because(sentinel.ErrMalformed, "the text is not valid UTF-8 at byte %d", i)}
	}
	if i := loneSurrogate(data); i >= 0 {
		return &Error{Err: because(sentinel.ErrMalformed, "the escape at byte %d is half of a UTF-16 surrogate pair, which stands for no character", i)}
	}
	return nil
}

// newWalker returns a walker of data.
func newWalker(data []byte) *walker {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return &walker{dec: d}
}

// end refuses anything after the value read.
func (w *walker) end() error {
	if _, err := w.dec.Token(); err != io.EOF {
		return &Error{Err: because(sentinel.ErrMalformed, "data after the end of the JSON value")}
	}
	return nil
}

// invalidUTF8 returns the offset of the first byte of data that is not
// valid UTF-8, or -1.
func invalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// loneSurrogate returns the offset of the first \u escape in a string of
// data that is a UTF-16 surrogate without its other half (which
// encoding/json would read as U+FFFD), or -1. Outside strings a backslash
// is a syntax error the decoder reports.
func loneSurrogate(data []byte) int {
	hex := func(i int) (rune, bool) {
		if i+6 > len(data) || data[i] != '\\' || data[i+1] != 'u' {
			return 0, false
		}
		n, err := strconv.ParseUint(string(data[i+2:i+6]), 16, 16)
		return rune(n), err == nil
	}
	in := false
	for i := 0; i < len(data); i++ {
		switch c := data[i]; {
		case c == '"':
			in = !in
		case c == '\\' && in:
			r, ok := hex(i)
			switch {
			case !ok:
				i++ // an escape of one character
			case r >= 0xd800 && r < 0xdc00:
				if low, ok := hex(i + 6); !ok || low < 0xdc00 || low > 0xdfff {
					return i
				}
				i += 11
			case r >= 0xdc00 && r <= 0xdfff:
				return i
			default:
				i += 5
			}
		}
	}
	return -1
}

// reason is what is wrong with a value: a message, and the sentinel error
// it is a case of.
type reason struct {
	err error
	msg string
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.err }

// because returns the reason of sentinel err, said by format and args.
func because(err error, format string, args ...any) error {
	return &reason{err: err, msg: fmt.Sprintf(format, args...)}
}

type walker struct {
	dec *json.Decoder
}

var (
	unmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// value reads the next JSON value into v, at path; required says whether
// null is refused.
func (w *walker) value(v reflect.Value, path string, required bool) error {
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		return w.pointer(v, path)
	}
	if v.CanAddr() {
		switch p := v.Addr(); {
		case p.Type().Implements(unmarshalerType):
			return w.custom(v, path, required, func(raw []byte) error { return p.Interface().(json.Unmarshaler).UnmarshalJSON(raw) })
		case p.Type().Implements(textUnmarshalerType):
			return w.text(v, path, required, p.Interface().(encoding.TextUnmarshaler))
		}
	}
	tok, err := w.token(path)
	if err != nil {
		return err
	}
	if tok == nil {
		switch t.Kind() {
		case reflect.Slice, reflect.Map:
			v.SetZero()
			return nil
		}
		if required {
			return &Error{Path: path, Err: because(sentinel.ErrMissing, "null where a value is required")}
		}
		v.SetZero()
		return nil
	}
	return w.valueFrom(tok, v, path)
}

// pointer reads the next JSON value into v, a pointer: null is nil, and
// any other value is read into a new value it points to, as that value's
// type reads it (its own UnmarshalJSON or UnmarshalText among them).
func (w *walker) pointer(v reflect.Value, path string) error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return syntax(path, err)
	}
	if string(raw) == "null" {
		v.SetZero()
		return nil
	}
	p := reflect.New(v.Type().Elem())
	if err := newWalker(raw).value(p.Elem(), path, true); err != nil {
		return err
	}
	v.Set(p)
	return nil
}

// valueFrom reads the value that starts with tok into v.
func (w *walker) valueFrom(tok json.Token, v reflect.Value, path string) error {
	t := v.Type()
	want := func(what string) error {
		return &Error{Path: path, Value: tokenText(tok), Err: because(sentinel.ErrMalformed, "a JSON %s where %s belongs", tokenKind(tok), what)}
	}
	switch t.Kind() {
	case reflect.Struct:
		if tok != json.Delim('{') {
			return want("an object")
		}
		return w.object(v, path)
	case reflect.Slice:
		if tok != json.Delim('[') {
			return want("a list")
		}
		return w.list(v, path)
	case reflect.Map:
		if tok != json.Delim('{') || t.Key().Kind() != reflect.String {
			return want("an object")
		}
		return w.mapping(v, path)
	case reflect.String:
		s, ok := tok.(string)
		if !ok {
			return want("a string")
		}
		v.SetString(s)
		return nil
	case reflect.Bool:
		b, ok := tok.(bool)
		if !ok {
			return want("true or false")
		}
		v.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := tok.(json.Number)
		if !ok {
			return want("a whole number")
		}
		i, err := strconv.ParseInt(string(n), 10, t.Bits())
		if err != nil {
			return &Error{Path: path, Value: string(n), Err: because(sentinel.ErrMalformed, "not a whole number that fits")}
		}
		v.SetInt(i)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, ok := tok.(json.Number)
		if !ok {
			return want("a whole number")
		}
		i, err := strconv.ParseUint(string(n), 10, t.Bits())
		if err != nil {
			return &Error{Path: path, Value: string(n), Err: because(sentinel.ErrMalformed, "not a whole number of 0 or more that fits")}
		}
		v.SetUint(i)
		return nil
	}
	return &Error{Path: path, Err: because(sentinel.ErrMalformed, "cannot read a %s", t)}
}

// field is one field of a struct as JSON names it.
type field struct {
	name     string
	index    []int
	required bool
}

// fields lists the JSON fields of struct type t, embedded structs' fields
// among them, in order.
func fields(t reflect.Type) []field {
	var out []field
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for _, inner := range fields(f.Type) {
				inner.index = append([]int{i}, inner.index...)
				out = append(out, inner)
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		optional := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		out = append(out, field{name: name, index: []int{i}, required: !optional})
	}
	return out
}

// object reads the members of an object, whose '{' is read, into struct
// v.
func (w *walker) object(v reflect.Value, path string) error {
	fs := fields(v.Type())
	seen := make([]bool, len(fs))
	for w.dec.More() {
		key, err := w.key(path)
		if err != nil {
			return err
		}
		at := join(path, key)
		i := slices.IndexFunc(fs, func(f field) bool { return f.name == key })
		if i < 0 {
			return unknownField(path, key, fs)
		}
		if seen[i] {
			return &Error{Path: at, Err: because(sentinel.ErrDuplicate, "the key %q is given twice", key)}
		}
		seen[i] = true
		if err := w.value(v.FieldByIndex(fs[i].index), at, fs[i].required); err != nil {
			return err
		}
	}
	if _, err := w.token(path); err != nil { // '}'
		return err
	}
	for i, f := range fs {
		if f.required && !seen[i] {
			return &Error{Path: join(path, f.name), Err: because(sentinel.ErrMissing, "the required field %q is missing%s", f.name, wantOneOf(v.FieldByIndex(f.index).Type()))}
		}
	}
	return nil
}

// wantOneOf returns "; want one of a, b, c" for t, an enum of the module
// (whose UnmarshalText refuses empty text with an *enum.Error listing its
// names), so that an enum left out or null says what it could be; the
// empty string for any other type.
func wantOneOf(t reflect.Type) string {
	u, ok := reflect.New(t).Interface().(encoding.TextUnmarshaler)
	if !ok {
		return ""
	}
	var e *enum.Error
	if !errors.As(u.UnmarshalText(nil), &e) || len(e.Valid) == 0 {
		return ""
	}
	return "; want one of " + strings.Join(e.Valid, ", ")
}

// unknownField reports key, which names no field of fs, naming the field
// it differs from only in case when there is one, or else every field.
func unknownField(path, key string, fs []field) error {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
		if strings.EqualFold(f.name, key) {
			return &Error{Path: join(path, key), Err: because(sentinel.ErrUnknown, "unknown field %q: field names are case-sensitive; did you mean %q?", key, f.name)}
		}
	}
	return &Error{Path: join(path, key), Err: because(sentinel.ErrUnknown, "unknown field %q; the fields here are %s", key, strings.Join(names, ", "))}
}

// list reads the elements of a list, whose '[' is read, into slice v.
func (w *walker) list(v reflect.Value, path string) error {
	out := reflect.MakeSlice(v.Type(), 0, 0)
	for i := 0; w.dec.More(); i++ {
		out = reflect.Append(out, reflect.Zero(v.Type().Elem()))
		if err := w.value(out.Index(i), path+"["+strconv.Itoa(i)+"]", true); err != nil {
			return err
		}
	}
	if _, err := w.token(path); err != nil { // ']'
		return err
	}
	v.Set(out)
	return nil
}

// mapping reads the members of an object, whose '{' is read, into map v:
// each key once.
func (w *walker) mapping(v reflect.Value, path string) error {
	out := reflect.MakeMap(v.Type())
	for w.dec.More() {
		key, err := w.key(path)
		if err != nil {
			return err
		}
		at := path + "[" + key + "]"
		k := reflect.ValueOf(key).Convert(v.Type().Key())
		if out.MapIndex(k).IsValid() {
			return &Error{Path: at, Err: because(sentinel.ErrDuplicate, "the key %q is given twice", key)}
		}
		e := reflect.New(v.Type().Elem()).Elem()
		if err := w.value(e, at, true); err != nil {
			return err
		}
		out.SetMapIndex(k, e)
	}
	if _, err := w.token(path); err != nil { // '}'
		return err
	}
	v.Set(out)
	return nil
}

// custom reads the next value whole and hands it to read, a type's own
// UnmarshalJSON; null is refused where a value is required.
func (w *walker) custom(v reflect.Value, path string, required bool, read func([]byte) error) error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return syntax(path, err)
	}
	if string(raw) == "null" {
		if required {
			return &Error{Path: path, Err: because(sentinel.ErrMissing, "null where a value is required")}
		}
		v.SetZero()
		return nil
	}
	if err := read(raw); err != nil {
		var e *Error
		if errors.As(err, &e) { // a strict reader of its own: its path goes under ours
			return &Error{Path: joinPath(path, e.Path), Value: e.Value, Err: e.Err}
		}
		return &Error{Path: path, Value: cut(string(raw)), Err: err}
	}
	return nil
}

// text reads a JSON string into u, an enum's UnmarshalText.
func (w *walker) text(v reflect.Value, path string, required bool, u encoding.TextUnmarshaler) error {
	tok, err := w.token(path)
	if err != nil {
		return err
	}
	switch s, ok := tok.(string); {
	case tok == nil && required:
		return &Error{Path: path, Err: because(sentinel.ErrMissing, "null where a value is required%s", wantOneOf(v.Type()))}
	case tok == nil:
		v.SetZero()
		return nil
	case !ok:
		return &Error{Path: path, Value: tokenText(tok), Err: because(sentinel.ErrMalformed, "a JSON %s where a string belongs", tokenKind(tok))}
	default:
		if err := u.UnmarshalText([]byte(s)); err != nil {
			return &Error{Path: path, Value: cut(s), Err: err}
		}
	}
	return nil
}

// token reads the next token; a syntax error is an *Error at path.
func (w *walker) token(path string) (json.Token, error) {
	tok, err := w.dec.Token()
	if err != nil {
		return nil, syntax(path, err)
	}
	return tok, nil
}

// key reads an object's next key.
func (w *walker) key(path string) (string, error) {
	tok, err := w.token(path)
	if err != nil {
		return "", err
	}
	key, _ := tok.(string) // the decoder reads only strings as keys
	return key, nil
}

// syntax reports a JSON syntax error, or the end of the text, at path.
func syntax(path string, err error) error {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{Path: path, Err: because(sentinel.ErrMalformed, "the JSON text ends too soon")}
	case errors.As(err, &se):
		return &Error{Path: path, Err: because(sentinel.ErrMalformed, "malformed JSON at byte %d: %s", se.Offset, se.Error())}
	}
	return &Error{Path: path, Err: because(sentinel.ErrMalformed, "%v", err)}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// joinPath puts the path inner below path.
func joinPath(path, inner string) string {
	switch {
	case inner == "":
		return path
	case path == "" || strings.HasPrefix(inner, "["):
		return path + inner
	}
	return path + "." + inner
}

func tokenKind(tok json.Token) string {
	switch tok.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case json.Delim:
		if tok == json.Delim('{') {
			return "object"
		}
		return "list"
	}
	return "null"
}

func tokenText(tok json.Token) string {
	switch t := tok.(type) {
	case string:
		return cut(t)
	case bool:
		return strconv.FormatBool(t)
	case json.Number:
		return string(t)
	case json.Delim:
		return string(t)
	}
	return "null"
}

// cut shortens a value quoted in an error.
func cut(s string) string { return errtext.Cut(s, 64) }

// Reason returns an error that says what e says is wrong, without where,
// and unwraps to e: the error a type's own reader (an UnmarshalJSON that
// returns an error naming the field itself) wraps, so that its message
// says the path once, and Decode, reading that type inside another,
// still finds e and puts its path below the outer one.
func Reason(e *Error) error { return reasonOf{e} }

// reasonOf is Reason's error.
type reasonOf struct{ e *Error }

func (r reasonOf) Error() string { return r.e.Err.Error() }
func (r reasonOf) Unwrap() error { return r.e }
