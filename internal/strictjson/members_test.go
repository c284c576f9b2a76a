package strictjson_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/provisionrules/provisionrules/internal/sentinel"
	"github.com/provisionrules/provisionrules/internal/strictjson"
	"github.com/provisionrules/provisionrules/usertype"
)

// Members reads an object's members in the order they are written, and
// refuses what Decode refuses of an object.
func TestMembers(t *testing.T) {
	got, err := strictjson.Members([]byte(` {"b":1,"a":{"x":[null]},"c":"\u00e9"} `))
	if err != nil {
		t.Fatal(err)
	}
	want := []strictjson.Member{{Key: "b", Value: []byte("1")}, {Key: "a", Value: []byte(`{"x":[null]}`)}, {Key: "c", Value: []byte(`"\u00e9"`)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		in   string
		err  error
		path string
		says string
	}{
		{`{"a":1,"a":2}`, sentinel.ErrDuplicate, "a", `the key "a" is given twice`},
		{`[]`, sentinel.ErrMalformed, "", "a JSON list where an object belongs"},
		{`null`, sentinel.ErrMalformed, "", "a JSON null where an object belongs"},
		{"{\"a\":\"\xfe\"}", sentinel.ErrMalformed, "", "not valid UTF-8 at byte 6"},
		{`{"a":"\udfff"}`, sentinel.ErrMalformed, "", "half of a UTF-16 surrogate pair"},
		{`{"a":1} 2`, sentinel.ErrMalformed, "", "data after the end"},
		{`{"a":}`, sentinel.ErrMalformed, "a", "malformed JSON"},
	} {
		_, err := strictjson.Members([]byte(c.in))
		var e *strictjson.Error
		if !errors.As(err, &e) || e.Path != c.path || !errors.Is(err, c.err) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Members(%s) = %v, want an *Error at %q wrapping %v saying %q", c.in, err, c.path, c.err, c.says)
		}
	}
}

// A pointer reads the value it points to as that value's type reads
// itself: an enum by its UnmarshalText; null is nil.
func TestDecodePointer(t *testing.T) {
	var v struct {
		Mode *usertype.AccessMode `json:"mode,omitempty"`
		Next *struct {
			Mode *usertype.AccessMode `json:"mode"`
		} `json:"next,omitempty"`
	}
	if err := strictjson.Decode([]byte(`{"mode":"read","next":{"mode":null}}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Mode == nil || *v.Mode != usertype.Read || v.Next == nil || v.Next.Mode != nil {
		t.Errorf("read %+v", v)
	}
	err := strictjson.Decode([]byte(`{"next":{"mode":"owner"}}`), &v)
	if !errors.Is(err, sentinel.ErrUnknown) || !strings.HasPrefix(err.Error(), `next.mode: unknown access mode "owner"; want one of read-write,`) {
		t.Errorf("an unknown mode behind a pointer: %v", err)
	}
}

// An enum left out or null says what it could have been.
func TestEnumMissingListsValues(t *testing.T) {
	var v struct {
		Mode usertype.AccessMode `json:"mode"`
		Name string              `json:"name"`
	}
	for in, says := range map[string]string{
		`{"name":"x"}`:             `mode: the required field "mode" is missing; want one of read-write, administrative, read, support-user, non-interactive, delegated-admin`,
		`{"mode":null,"name":"x"}`: `mode: null where a value is required; want one of read-write, administrative, read, support-user, non-interactive, delegated-admin`,
		`{"mode":"read"}`:          `name: the required field "name" is missing`,
	} {
		if err := strictjson.Decode([]byte(in), &v); err == nil || err.Error() != says {
			t.Errorf("Decode(%s) = %v, want %q", in, err, says)
		}
	}
}

// A type's own reader that names the field itself wraps Reason: its
// message says the path once, and Decode of a value holding it puts the
// path below the outer one.
func TestReason(t *testing.T) {
	var v struct {
		Inner selfReader `json:"inner"`
	}
	err := strictjson.Decode([]byte(`{"inner":{"x":1}}`), &v)
	var e *strictjson.Error
	if !errors.As(err, &e) || e.Path != "inner[k].x" || e.Value != "1" || !errors.Is(err, sentinel.ErrMalformed) {
		t.Fatalf("Decode = %#v, want an *Error at inner[k].x", err)
	}
	if got := (&selfReader{}).UnmarshalJSON(nil).Error(); got != "self: field [k].x: malformed value: no x here" {
		t.Errorf("the reader's own error says %q", got)
	}
}

// selfReader refuses whatever it reads with an error of its own, naming
// the path [k].x.
type selfReader struct{}

func (selfReader) UnmarshalJSON([]byte) error {
	return ownError{strictjson.Reason(&strictjson.Error{Path: "[k].x", Value: "1", Err: fmt.Errorf("%w: no x here", sentinel.ErrMalformed)})}
}

type ownError struct{ err error }

func (e ownError) Error() string { return "self: field [k].x: " + e.err.Error() }
func (e ownError) Unwrap() error { return e.err }
