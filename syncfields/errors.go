package syncfields

import (
	"errors"
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// The sentinel errors wrapped by a *ColumnError. ErrUnknown, ErrMissing,
// ErrMalformed, ErrDuplicate and ErrObjectMismatch are the same values in
// every package of the module that reports the same problem.
var (
	// ErrUnknown: text that names no column, policy or rule.
	ErrUnknown = sentinel.ErrUnknown
	// ErrMissing: the directory values lack the object ID, the join key, or
	// a required argument is nil.
	ErrMissing = sentinel.ErrMissing
	// ErrMalformed: a value is not valid UTF-8 or holds a NUL byte, a
	// column name is not a Dataverse logical name, or an attribute has the
	// wrong JSON type.
	ErrMalformed = sentinel.ErrMalformed
	// ErrDuplicate: a custom column named like a mapped one.
	ErrDuplicate = sentinel.ErrDuplicate
	// ErrObjectMismatch: the record belongs to another directory object
	// than the one being synced into it; records match users by object ID
	// only.
	ErrObjectMismatch = sentinel.ErrObjectMismatch
	// ErrUnmapped: an attribute name that the profile does not map.
	ErrUnmapped = errors.New("no row of the profile maps this attribute")

	errIndexZero = errors.New("index 0 of Values is unused and must be empty")
)

// ColumnError reports a column that cannot be read or written: which
// input, which column (a logical name or an attribute name), the value
// found and what is wrong.
type ColumnError struct {
	// What is the input: "record", "directory", "attributes", "values",
	// or, for an error of reading JSON, "columns" (a ColumnSet) or
	// "result".
	What string
	// Column is the column's logical name, or the attribute's name; for
	// an error of reading JSON, the JSON path of the mistake within the
	// value read ("columns[JobTitle]", "changes[0].rule"), a key itself
	// for Values, and empty for the text as a whole.
	Column string
	// Value is the value found.
	Value string
	// Err is one of the sentinel errors above.
	Err error
}

// Error names the input, the column, the value and what is wrong; an
// error about the input as a whole (text that is not JSON, say) names no
// column.
func (e *ColumnError) Error() string {
	if e.Column == "" && e.Value == "" {
		return "syncfields: " + e.What + ": " + strings.TrimPrefix(e.Err.Error(), "syncfields: ")
	}
	return "syncfields: " + e.What + ": column " + e.Column + " = " + strconv.Quote(e.Value) + ": " + strings.TrimPrefix(e.Err.Error(), "syncfields: ")
}

// Unwrap returns the underlying sentinel error.
func (e *ColumnError) Unwrap() error { return e.Err }

// nilArgument reports a nil record (or destination) or nil directory
// values, as a new error each time.
func nilArgument(record bool) error {
	if record {
		return &ColumnError{What: "record", Column: "*Fields", Value: "nil", Err: ErrMissing}
	}
	return &ColumnError{What: "directory", Column: "*Values", Value: "nil", Err: ErrMissing}
}
