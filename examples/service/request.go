package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/provisionrules/provisionrules/provisioning"
)

// member is one member of a request object: its JSON name, whether it is
// required, and the value it is read into. A value of the model reads
// itself strictly (its UnmarshalJSON); an enum reads its name
// (UnmarshalText), a number a whole number.
type member struct {
	name     string
	required bool
	into     any
}

// readRequest reads body, one JSON object, into members as strictly as
// the model reads its own values: valid UTF-8, every key exactly one
// member's name and given once, a required member present and not null,
// nothing after the object. A member left out or null is left as it is.
// A mistake in a member's value is the *provisioning.FieldError of its
// reader, its Field the member's name and the JSON path in it, such as
// "user.licenses[0].plan" (each problem of a snapshot, joined); any other
// is a *requestError naming the member. The first mistake in the text is
// reported.
func readRequest(body []byte, members []member) error {
	bad := func(member string, err error) error { return &requestError{Member: member, Err: err} }
	if !utf8.Valid(body) {
		i := 0
		for r, n := utf8.DecodeRune(body); r != utf8.RuneError || n > 1; r, n = utf8.DecodeRune(body[i:]) {
			i += n
		}
		return bad("", because(provisioning.ErrMalformed, "the request is not valid UTF-8 at byte %d", i))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return bad("", because(provisioning.ErrMalformed, "the request is not a JSON object"))
	}
	seen := make([]bool, len(members))
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return bad("", because(provisioning.ErrMalformed, "%s", jsonText(err)))
		}
		key, _ := tok.(string)
		i := -1
		for j := range members {
			if members[j].name == key {
				i = j
			}
		}
		var raw json.RawMessage
		switch {
		case i < 0:
			return bad(key, because(provisioning.ErrUnknown, "unknown member %q; the members here are %s", key, names(members)))
		case seen[i]:
			return bad(key, because(provisioning.ErrDuplicate, "the member %q is given twice", key))
		}
		seen[i] = true
		if err := dec.Decode(&raw); err != nil {
			return bad(key, because(provisioning.ErrMalformed, "%s", jsonText(err)))
		}
		if string(raw) == "null" {
			if members[i].required {
				return bad(key, because(provisioning.ErrMissing, "null where a value is required"))
			}
			continue
		}
		if err := json.Unmarshal(raw, members[i].into); err != nil {
			return under(key, err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return bad("", because(provisioning.ErrMalformed, "%s", jsonText(err)))
	}
	if _, err := dec.Token(); err != io.EOF {
		return bad("", because(provisioning.ErrMalformed, "data after the end of the request"))
	}
	for i, m := range members {
		if m.required && !seen[i] {
			return bad(m.name, because(provisioning.ErrMissing, "the required member %q is missing", m.name))
		}
	}
	return nil
}

// jsonText is an error of encoding/json as a request error encloses it:
// without the package's "json: ", as the module's own reports drop
// theirs inside another (see internal/errtext). It is the one place the
// module trims an error's text.
func jsonText(err error) string { return strings.TrimPrefix(err.Error(), "json: ") }

// names lists the members' names.
func names(members []member) string {
	out := make([]string, len(members))
	for i, m := range members {
		out[i] = m.name
	}
	return strings.Join(out, ", ")
}

// under puts err, an error of reading member key's value, under key: each
// *provisioning.FieldError it is or joins gets its Field below key.
func under(key string, err error) error {
	var errs []error
	for _, e := range unjoin(err) {
		var fe *provisioning.FieldError
		if !errors.As(e, &fe) { // encoding/json's, or an enum's
			if !errors.Is(e, provisioning.ErrUnknown) {
				e = because(provisioning.ErrMalformed, "%s", jsonText(e))
			}
			errs = append(errs, &requestError{Member: key, Err: e})
			continue
		}
		out := *fe
		switch {
		case fe.Field == "":
			out.Field = key
		case fe.Field[0] == '[':
			out.Field = key + fe.Field
		default:
			out.Field = key + "." + fe.Field
		}
		errs = append(errs, &out)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// unjoin returns the errors err joins, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// requestError is a mistake in a request that no reader of the model
// found: in the request object itself, or in a member's value that is no
// value of the model (an enum, a number).
type requestError struct {
	// Member is the member's name; empty for the request as a whole.
	Member string
	// Err says what is wrong, wrapping a sentinel of package provisioning.
	Err error
}

// Error says where and what.
func (e *requestError) Error() string {
	if e.Member == "" {
		return "request: " + e.Err.Error()
	}
	return "request: member " + e.Member + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *requestError) Unwrap() error { return e.Err }

// reason is what is wrong, said in words, and the sentinel error it is a
// case of.
type reason struct {
	sentinel error
	msg      string
}

func (r *reason) Error() string { return r.msg }
func (r *reason) Unwrap() error { return r.sentinel }

// because returns the reason of sentinel, said by format and args.
func because(sentinel error, format string, args ...any) error {
	return &reason{sentinel: sentinel, msg: fmt.Sprintf(format, args...)}
}
