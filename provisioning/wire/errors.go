package wire

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/provisioning"
	"github.com/provisionrules/provisionrules/provisioning/wire/internal/jsonread"
)

// Sentinel errors wrapped by an *Error, for callers that branch with
// errors.Is, beside the module's own: provisioning.ErrMissing (a required
// field is absent or null, a record is a JSON null, or a required part of
// an export is absent), ErrUnknown (an enum value the service does not
// document, a member of an export's top-level object this package does
// not read, or an ID listed for a user, group or record that the export
// does not hold), ErrMalformed (a value of the right JSON type that is not
// well formed: an identifier holding control or formatting characters, a
// time that is not RFC 3339, a negative count), ErrDuplicate (two users,
// records or groups with one ID in an input, or a member given twice in
// one object) and ErrContradiction (two fields that cannot both be true,
// such as a group team whose Dataverse team type says security group
// while Microsoft Graph says Microsoft 365 group).
var (
	// ErrType: a field holds a value of the wrong JSON type.
	ErrType = errors.New("wrong JSON type")
	// ErrSyntax: the input is not JSON (or not UTF-8), nests deeper than
	// this package reads, or goes on after its top-level value.
	ErrSyntax = errors.New("malformed JSON")
)

// Error reports an input that cannot be read (or, for package webapi, a
// write or batch it cannot make): which source, which record
// (its index in its page and its ID when known), which field, the value
// found, where in the input, and why.
type Error struct {
	// Source names the input: the kind of page for a page decoder
	// ("graph user", "licenseDetails", "systemuser", ...), or the place in
	// an export ("users[2]", `memberOf["<user id>"]`, "systemusers"); for
	// package webapi, which reports its errors as this type, "write",
	// "batch options", "batch request" or the part of a "$batch response".
	Source string
	// Index is the record's index in its page, or -1 when the problem is
	// not in one record.
	Index int
	// ID is the record's ID, when it was read.
	ID string
	// Field is the field's JSON name, with the path to it inside the
	// record ("servicePlans[2].provisioningStatus"), or, for a record that
	// fails provisioning's Validate, the Go name that Validate gives.
	Field string
	// Value is the value found, as text (a JSON kind for a value of the
	// wrong type); long values are cut.
	Value string
	// Offset is the byte offset in the input where the problem was found:
	// the start of the value in question, or of the record; -1 when the
	// problem is not at one place of the input. Error shows it when it is
	// positive.
	Offset int64
	// Err is one of the sentinel errors above, or an error wrapping one:
	// a *provisioning.FieldError for a record that fails provisioning's
	// Validate, or the reader's error for a failed read.
	Err error
}

// Error names the source, the record, the field, the value, why, and
// where.
func (e *Error) Error() string { return "wire: " + e.body() }

// Format prints the error as Error does, and without "wire: " under the
// flag '-' (%-v), as a report enclosing it prints it.
func (e *Error) Format(f fmt.State, verb rune) { errtext.Format(f, verb, "wire: ", e.body()) }

// body is the error's text after its package's name.
func (e *Error) body() string {
	var b strings.Builder
	b.WriteString(e.Source)
	if e.Index >= 0 {
		b.WriteString("[" + strconv.Itoa(e.Index) + "]")
	}
	if e.ID != "" {
		b.WriteString(" " + strconv.Quote(e.ID))
	}
	// A provisioning.FieldError names the field itself.
	var fe *provisioning.FieldError
	if !errors.As(e.Err, &fe) || fe.Field != e.Field {
		if e.Field != "" {
			b.WriteString(": field " + e.Field)
		}
		if e.Value != "" {
			b.WriteString(" = " + strconv.Quote(e.Value))
		}
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(errtext.Inner(e.Err))
	}
	if e.Offset > 0 {
		b.WriteString(" (offset " + strconv.FormatInt(e.Offset, 10) + ")")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// syntaxError is malformed JSON, as the tokenizer describes it.
type syntaxError struct{ msg string }

// Error says what is malformed.
func (e *syntaxError) Error() string { return "malformed JSON: " + e.msg }

// Unwrap returns ErrSyntax.
func (e *syntaxError) Unwrap() error { return ErrSyntax }

// typeError is a value of the wrong JSON type.
type typeError struct{ got, want string }

// Error names the kind found and the kind wanted.
func (e *typeError) Error() string {
	return "wrong JSON type: " + article(e.got) + " where " + e.want + " belongs"
}

// Unwrap returns ErrType.
func (e *typeError) Unwrap() error { return ErrType }

// article puts "a" or "an" before a JSON kind's name.
func article(kind string) string {
	switch kind {
	case "object", "array":
		return "an " + kind
	case "null":
		return kind
	}
	return "a " + kind
}

// maxValue bounds the Value of an Error.
const maxValue = 200

// cut shortens a value quoted in an error.
func cut(s string) string { return errtext.Cut(s, maxValue) }

// decodeError turns an error of the tokenizer into an *Error of src:
// malformed JSON wraps ErrSyntax, a failed read the reader's error.
func decodeError(src string, index int, id, field string, err error) *Error {
	var je *jsonread.Error
	if !errors.As(err, &je) {
		return &Error{Source: src, Index: index, ID: id, Field: field, Offset: -1, Err: err}
	}
	e := &Error{Source: src, Index: index, ID: id, Field: field, Offset: je.Offset}
	if je.Err != nil {
		e.Err = je.Err
	} else {
		e.Err = &syntaxError{msg: je.Msg}
	}
	return e
}
