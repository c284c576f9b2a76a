package strictjson_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/provisionrules/provisionrules/internal/sentinel"
	"github.com/provisionrules/provisionrules/internal/strictjson"
	"github.com/provisionrules/provisionrules/usertype"
)

type license struct {
	Plan   usertype.AccessMode `json:"plan"`
	Tenant string              `json:"tenant"`
	Note   string              `json:"note,omitempty"`
}

type user struct {
	ID       string         `json:"id"`
	Enabled  bool           `json:"enabled"`
	Licenses []license      `json:"licenses,omitempty"`
	Count    int            `json:"count,omitempty"`
	Tags     map[string]int `json:"tags,omitempty"`
	Next     *user          `json:"next,omitempty"`
}

type file struct {
	Label string `json:"label,omitempty"`
	user
}

func TestDecode(t *testing.T) {
	var got file
	in := `{"label":"x","id":"u-1","enabled":true,"licenses":[{"plan":"read","tenant":"contoso"}],"count":-3,"tags":{"a":1},"next":{"id":"u-2","enabled":false}}`
	if err := strictjson.Decode([]byte(in), &got); err != nil {
		t.Fatal(err)
	}
	want := file{Label: "x", user: user{ID: "u-1", Enabled: true, Licenses: []license{{Plan: usertype.Read, Tenant: "contoso"}}, Count: -3, Tags: map[string]int{"a": 1}, Next: &user{ID: "u-2"}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(file{})); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	// Null is the zero value of an optional field, a list, a map and a
	// pointer.
	var u user
	if err := strictjson.Decode([]byte(`{"id":"u","enabled":false,"licenses":null,"count":null,"tags":null,"next":null}`), &u); err != nil {
		t.Errorf("nulls of optional fields: %v", err)
	}
}

// Every mistake that encoding/json lets through is refused, naming the
// path, the value and what is wrong.
func TestDecodeRefuses(t *testing.T) {
	for _, c := range []struct {
		name, in string
		err      error
		says     string
	}{
		{"an unknown field", `{"id":"u","enabled":true,"colour":"red"}`, sentinel.ErrUnknown, `colour: unknown field "colour"; the fields here are id, enabled, licenses, count, tags, next`},
		{"a field in another case", `{"id":"u","Enabled":true}`, sentinel.ErrUnknown, `Enabled: unknown field "Enabled": field names are case-sensitive; did you mean "enabled"?`},
		{"a key twice", `{"id":"u","enabled":true,"id":"v"}`, sentinel.ErrDuplicate, `id: the key "id" is given twice`},
		{"a map key twice", `{"id":"u","enabled":true,"tags":{"a":1,"a":2}}`, sentinel.ErrDuplicate, `tags[a]: the key "a" is given twice`},
		{"a required field missing", `{"id":"u"}`, sentinel.ErrMissing, `enabled: the required field "enabled" is missing`},
		{"null where required", `{"id":null,"enabled":true}`, sentinel.ErrMissing, `id: null where a value is required`},
		{"a null enum", `{"id":"u","enabled":true,"licenses":[{"plan":null,"tenant":"t"}]}`, sentinel.ErrMissing, `licenses[0].plan: null where a value is required`},
		{"an unknown enum value", `{"id":"u","enabled":true,"licenses":[{"plan":"gold","tenant":"t"}]}`, sentinel.ErrUnknown, `licenses[0].plan: unknown access mode "gold"; want one of read-write,`},
		{"a null element", `{"id":"u","enabled":true,"licenses":[null]}`, sentinel.ErrMissing, `licenses[0]: null where a value is required`},
		{"a wrong type", `{"id":"u","enabled":"yes"}`, sentinel.ErrMalformed, `enabled: a JSON string where true or false belongs`},
		{"a fraction", `{"id":"u","enabled":true,"count":1.5}`, sentinel.ErrMalformed, `count: not a whole number`},
		{"invalid UTF-8", "{\"id\":\"u\xff\",\"enabled\":true}", sentinel.ErrMalformed, `not valid UTF-8 at byte 8`},
		{"a lone surrogate", `{"id":"u\udc00","enabled":true}`, sentinel.ErrMalformed, `half of a UTF-16 surrogate pair`},
		{"a high surrogate alone", `{"id":"\ud800x","enabled":true}`, sentinel.ErrMalformed, `byte 7 is half`},
		{"data after the value", `{"id":"u","enabled":true} {}`, sentinel.ErrMalformed, `data after the end`},
		{"cut short", `{"id":"u","enabled":`, sentinel.ErrMalformed, `ends too soon`},
		{"not an object", `[1]`, sentinel.ErrMalformed, `a JSON list where an object belongs`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var u user
			err := strictjson.Decode([]byte(c.in), &u)
			var e *strictjson.Error
			if !errors.As(err, &e) || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Decode = %v, want an *Error wrapping %v saying %q", err, c.err, c.says)
			}
		})
	}
	// A surrogate pair, escaped, is one character and is read.
	var u user
	if err := strictjson.Decode([]byte(`{"id":"\ud83d\ude00 \\u","enabled":true}`), &u); err != nil || u.ID != "😀 \\u" {
		t.Errorf("a surrogate pair: %q, %v", u.ID, err)
	}
}

// FuzzDecode: Decode never panics, refuses with an *Error, and what it
// reads encoding/json writes back into a document Decode reads the same.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"id":"u-1","enabled":true,"licenses":[{"plan":"read","tenant":"contoso"}],"count":-3,"tags":{"a":1},"next":{"id":"u-2","enabled":false}}`,
		`{"id":"u","Enabled":true}`, `{"id":"\ud800","enabled":true}`, "{\"id\":\"\xff\",\"enabled\":true}", `{"id":"u","enabled":true,"id":"v"}`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var u user
		if err := strictjson.Decode(data, &u); err != nil {
			var e *strictjson.Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode(%q) = %v, not an *Error", data, err)
			}
			return
		}
		out, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var again user
		// encoding/json leaves an empty list or map out (omitempty), and
		// Decode reads one left out as nil: the same value.
		if err := strictjson.Decode(out, &again); err != nil || !cmp.Equal(u, again, cmp.AllowUnexported(user{}), cmpopts.EquateEmpty()) {
			t.Fatalf("%q read as %+v, written as %s, read back as %+v, %v", data, u, out, again, err)
		}
	})
}
