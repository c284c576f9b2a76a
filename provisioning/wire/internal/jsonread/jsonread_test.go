package jsonread

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// walk reads one value of any kind into the shape encoding/json gives it.
func walk(d *Decoder) (any, error) {
	k, err := d.Peek()
	if err != nil {
		return nil, err
	}
	switch k {
	case Null:
		return nil, d.Null()
	case Bool:
		return d.Bool()
	case Number:
		b, err := d.Number()
		if err != nil {
			return nil, err
		}
		return json.Number(string(b)), nil
	case String:
		b, err := d.String()
		return string(b), err
	case Object:
		if err := d.BeginObject(); err != nil {
			return nil, err
		}
		m := map[string]any{}
		for {
			name, ok, err := d.Key()
			if err != nil {
				return nil, err
			}
			if !ok {
				return m, nil
			}
			key := string(name)
			v, err := walk(d)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
	case Array:
		if err := d.BeginArray(); err != nil {
			return nil, err
		}
		list := []any{}
		for {
			ok, err := d.Next()
			if err != nil {
				return nil, err
			}
			if !ok {
				return list, nil
			}
			v, err := walk(d)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
	}
	return nil, errors.New("unreachable")
}

// document reads a whole document, as walk does, then its end.
func document(r io.Reader) (any, error) {
	d := NewDecoder(r)
	v, err := walk(d)
	if err != nil {
		return nil, err
	}
	return v, d.End()
}

// skipped reads a whole document with Skip.
func skipped(r io.Reader) error {
	d := NewDecoder(r)
	if err := d.Skip(); err != nil {
		return err
	}
	return d.End()
}

// stdlib decodes data as encoding/json does, numbers as json.Number.
func stdlib(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	return v
}

func TestValidDocuments(t *testing.T) {
	long := strings.Repeat("a", 3*BufferSize) + "é" + strings.Repeat("b", BufferSize)
	for _, doc := range []string{
		`null`, `true`, `false`, `0`, `-0`, `12.5e-3`, `1E+2`, `""`, `"a\"b\\c\/d\b\f\n\r\t"`,
		`"\u00e9\u20ac\ud83d\ude00 é€😀"`, `{}`, `[]`, ` { "a" : [ 1 , 2 , { "b" : null } ] , "c" : "d" } `,
		`{"value":[{"id":"u1","accountEnabled":true,"businessPhones":[]}],"@odata.nextLink":"x"}`,
		`"` + long + `"`, `{"` + long + `":1}`, `[` + strings.Repeat(`12345678,`, BufferSize/4) + `0]`,
	} {
		for name, r := range map[string]io.Reader{
			"whole":    strings.NewReader(doc),
			"one byte": iotest.OneByteReader(strings.NewReader(doc)),
			"half":     iotest.HalfReader(strings.NewReader(doc)),
		} {
			got, err := document(r)
			if err != nil {
				t.Errorf("%.40q (%s): %v", doc, name, err)
				continue
			}
			if diff := cmp.Diff(stdlib(t, []byte(doc)), got); diff != "" {
				t.Errorf("%.40q (%s) mismatch (-encoding/json +jsonread):\n%s", doc, name, diff)
			}
		}
		if err := skipped(iotest.OneByteReader(strings.NewReader(doc))); err != nil {
			t.Errorf("skipping %.40q: %v", doc, err)
		}
	}
}

func TestMalformedDocuments(t *testing.T) {
	deep := strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1)
	for _, c := range []struct {
		doc    string
		offset int64
		msg    string
	}{
		{``, 0, "unexpected end of input"},
		{`   `, 3, "unexpected end of input"},
		{`{"a":1,}`, 7, "want a member name"},
		{`{"a" 1}`, 5, "want ':'"},
		{`{"a":1 "b":2}`, 7, "want ',' or '}'"},
		{`[1,]`, 3, "looking for a value"},
		{`[1 2]`, 3, "want ',' or ']'"},
		{`{"a":1}x`, 7, "data after the top-level value"},
		{`{} {}`, 3, "data after the top-level value"},
		{`tru`, 3, "unexpected end of input"},
		{`nul1`, 0, "want null"},
		{`01`, 1, "data after the top-level value"},
		{`-`, 0, "malformed number"},
		{`1.`, 0, "malformed number"},
		{`1e`, 0, "malformed number"},
		{`[` + strings.Repeat("1", maxNumber+1) + `]`, 1, "number longer than"},
		{`"abc`, 4, "unexpected end of input"},
		{"\"a\x01b\"", 2, "control character"},
		{"\"a\xffb\"", 2, "invalid UTF-8"},
		{"\"a\xed\xa0\x80\"", 2, "invalid UTF-8"},
		{"\"\xf6", 1, "invalid UTF-8"},
		{"\"\xe0\x41\"", 1, "invalid UTF-8"},
		{"\"\xc3", 2, "unexpected end of input"},
		{`"\ud800"`, 1, "lone high surrogate"},
		{`"\ud800\u0041"`, 1, "lone high surrogate"},
		{`"\udc00"`, 1, "lone low surrogate"},
		{`"\x"`, 1, "invalid escape"},
		{`"\u12g4"`, 1, "invalid hex digit"},
		{deep, DefaultMaxDepth, "nesting deeper than"},
		{`{"a":` + deep + `}`, 5 + DefaultMaxDepth - 1, "nesting deeper than"},
	} {
		for _, read := range []func(io.Reader) error{
			func(r io.Reader) error { _, err := document(r); return err },
			skipped,
		} {
			for _, r := range []io.Reader{strings.NewReader(c.doc), iotest.OneByteReader(strings.NewReader(c.doc))} {
				err := read(r)
				var e *Error
				if !errors.As(err, &e) || e.Offset != c.offset || !strings.Contains(e.Msg, c.msg) {
					t.Errorf("%.50q: error %v, want %q at offset %d", c.doc, err, c.msg, c.offset)
				}
			}
		}
	}
}

func TestReadError(t *testing.T) {
	broken := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(`{"a":[1,2`), iotest.ErrReader(broken))
	_, err := document(r)
	var e *Error
	if !errors.Is(err, broken) || !errors.As(err, &e) || e.Offset != 9 {
		t.Errorf("error %v, want the reader's error at offset 9", err)
	}
}

func TestMaxString(t *testing.T) {
	d := NewDecoder(strings.NewReader(`"` + strings.Repeat("x", 100) + `"`))
	d.MaxString = 10
	if _, err := d.String(); err == nil || !strings.Contains(err.Error(), "longer than 10 bytes") {
		t.Errorf("String = %v, want too long", err)
	}
	d = NewDecoder(strings.NewReader(`"` + strings.Repeat("x", 100) + `"`))
	d.MaxString = 10
	if err := d.Skip(); err != nil {
		t.Errorf("Skip of a long string: %v", err)
	}
}

// Key's name survives the refill that finds its colon.
func TestKeyAcrossRefill(t *testing.T) {
	doc := `{"` + strings.Repeat("k", BufferSize-3) + `"` + strings.Repeat(" ", 10) + `:1}`
	d := NewDecoder(strings.NewReader(doc))
	if err := d.BeginObject(); err != nil {
		t.Fatal(err)
	}
	name, ok, err := d.Key()
	if err != nil || !ok || string(name) != strings.Repeat("k", BufferSize-3) {
		t.Fatalf("Key = %.20q, %v, %v", name, ok, err)
	}
}

func FuzzDecoder(f *testing.F) {
	for _, s := range []string{`{"a":[1,2,{"b":null}],"c":"d"}`, `"\u00e9"`, `[true,false,null,-1.5e3]`, `{"value":[]}`, `"é"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := document(iotest.HalfReader(bytes.NewReader(data)))
		skipErr := skipped(bytes.NewReader(data))
		if (err == nil) != (skipErr == nil) {
			t.Fatalf("reading: %v; skipping: %v", err, skipErr)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
				t.Fatalf("error %v has no offset within the input", err)
			}
		}
		// Where encoding/json's reading is the same as ours (valid UTF-8,
		// no \u escapes, shallow), we agree with it.
		// Numbers are bounded in length, which encoding/json does not do.
		if !utf8.Valid(data) || bytes.Contains(data, []byte(`\u`)) || bytes.Count(data, []byte("["))+bytes.Count(data, []byte("{")) >= DefaultMaxDepth ||
			err != nil && strings.Contains(err.Error(), "number longer than") {
			return
		}
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("json.Valid = %v, jsonread error = %v", valid, err)
		}
		if err == nil {
			if diff := cmp.Diff(stdlib(t, data), got); diff != "" {
				t.Fatalf("mismatch (-encoding/json +jsonread):\n%s", diff)
			}
		}
	})
}

// special finds every byte that ends the fast path of a string, in every
// position of a word.
func TestSpecial(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			w := uint64(0x6161616161616161) // "aaaaaaaa"
			w = w&^(0xff<<(8*pos)) | uint64(c)<<(8*pos)
			want := c == '"' || c == '\\' || c < 0x20 || c >= 0x80
			if got := special(w); got != want {
				t.Errorf("byte %#x at %d: special = %v", c, pos, got)
			}
		}
	}
}

// A value read apart with ResetBytes, from the bytes of a larger input,
// reads as it does in place: its errors give offsets of that input, and
// nesting counts the levels open around it.
func TestResetBytes(t *testing.T) {
	doc := `{"a":[{"b":"x","c":[1,2]}],"z":{"bad": tru}}`
	at := strings.Index(doc, `{"b"`)
	end := strings.Index(doc, `]}],`) + 2
	d := NewDecoder(nil)
	d.ResetBytes([]byte(doc[at:end]), int64(at), 2)
	v, err := walk(d)
	if err != nil || d.Offset() != int64(end) || d.Depth() != 2 {
		t.Fatalf("walk = %v, %v; offset %d, depth %d, want %d and 2", v, err, d.Offset(), d.Depth(), end)
	}
	if diff := cmp.Diff(map[string]any{"b": "x", "c": []any{json.Number("1"), json.Number("2")}}, v); diff != "" {
		t.Errorf("value mismatch (-want +got):\n%s", diff)
	}
	bad := strings.Index(doc, `{"bad"`)
	d.ResetBytes([]byte(doc[bad:len(doc)-1]), int64(bad), 1)
	var e *Error
	if _, err := walk(d); !errors.As(err, &e) || e.Offset != int64(strings.Index(doc, "tru")) {
		t.Errorf("error %v, want one at offset %d", err, strings.Index(doc, "tru"))
	}
	// Cut short, a value is an error, not a shorter value.
	d.ResetBytes([]byte(doc[at:end-1]), int64(at), 2)
	if _, err := walk(d); err == nil {
		t.Errorf("a value cut short read without an error")
	}
	// The levels open around it count towards MaxDepth.
	d.ResetBytes([]byte(`[[1]]`), 0, DefaultMaxDepth-1)
	if err := d.Skip(); err == nil || !strings.Contains(err.Error(), "nesting deeper") {
		t.Errorf("Skip at depth %d = %v, want too deep", DefaultMaxDepth-1, err)
	}
}

// SkipTo moves past a value read elsewhere as reading it would have:
// whatever follows reads the same, whichever buffer the value ends in.
func TestSkipTo(t *testing.T) {
	long := strings.Repeat("x", BufferSize+10)
	for _, doc := range []string{
		`[{"a":1},"after"]`,
		`[{"a":"` + long + `"},"after"]`,
		`[{"a":"` + long[:BufferSize-8] + `"},"after"]`,
		`[{"a":"` + long[:BufferSize-9] + `"},"after"]`,
	} {
		for name, r := range map[string]func() io.Reader{
			"whole":     func() io.Reader { return strings.NewReader(doc) },
			"bytewise":  func() io.Reader { return iotest.OneByteReader(strings.NewReader(doc)) },
			"with eof":  func() io.Reader { return iotest.DataErrReader(strings.NewReader(doc)) },
			"half-full": func() io.Reader { return iotest.HalfReader(strings.NewReader(doc)) },
		} {
			d := NewDecoder(r())
			if err := d.BeginArray(); err != nil {
				t.Fatal(err)
			}
			if more, err := d.Next(); !more || err != nil {
				t.Fatal(more, err)
			}
			d.Peek()
			if err := d.SkipTo(int64(strings.Index(doc, `},`) + 1)); err != nil {
				t.Fatalf("%s: SkipTo: %v", name, err)
			}
			more, err := d.Next()
			s, err2 := d.String()
			if !more || err != nil || err2 != nil || string(s) != "after" {
				t.Errorf("%s, %d bytes: after the skip, %v %v %q %v", name, len(doc), more, err, s, err2)
			}
			if more, err := d.Next(); more || err != nil || d.End() != nil {
				t.Errorf("%s, %d bytes: the end reads as %v, %v, %v", name, len(doc), more, err, d.End())
			}
		}
	}
	d := NewDecoder(strings.NewReader(`[{"a":1}`))
	if err := d.SkipTo(100); err == nil {
		t.Errorf("SkipTo past the end of the input: no error")
	}
}
