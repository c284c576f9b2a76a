package wire

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by an *Error.
var (
	// ErrMissing: a required field is absent or null.
	ErrMissing = errors.New("wire: required field missing")
	// ErrType: a field holds a value of the wrong JSON type.
	ErrType = errors.New("wire: wrong type")
	// ErrValue: a field holds a value outside what the service documents.
	ErrValue = errors.New("wire: value not understood")
	// ErrSyntax: the document is not JSON.
	ErrSyntax = errors.New("wire: malformed JSON")
)

// Error reports a payload that cannot be read: which source ("graph
// user", "licenseDetails", "systemuser", ...), which record (its index in
// the page and its ID when known), which field, the value found, and why.
type Error struct {
	Source string
	Index  int    // the record's index in its page, or -1 for the page itself
	ID     string // the record's ID, when it could be read
	Field  string
	Value  string
	Err    error
}

// Error names the source, the record, the field, the value and why.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wire: ")
	b.WriteString(e.Source)
	if e.Index >= 0 {
		b.WriteString("[" + strconv.Itoa(e.Index) + "]")
	}
	if e.ID != "" {
		b.WriteString(" " + strconv.Quote(e.ID))
	}
	if e.Field != "" {
		b.WriteString(": field " + e.Field)
	}
	if e.Value != "" {
		b.WriteString(" = " + strconv.Quote(e.Value))
	}
	b.WriteString(": ")
	b.WriteString(strings.TrimPrefix(e.Err.Error(), "wire: "))
	return b.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// jsonError turns an encoding/json error into an *Error naming the field.
func jsonError(source string, index int, err error) *Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return &Error{Source: source, Index: index, Field: typeErr.Field, Value: typeErr.Value, Err: ErrType}
	case errors.As(err, &syntaxErr):
		return &Error{Source: source, Index: index, Value: "offset " + strconv.FormatInt(syntaxErr.Offset, 10), Err: ErrSyntax}
	}
	return &Error{Source: source, Index: index, Err: errors.Join(ErrSyntax, err)}
}
