package syncfields

import (
	"errors"
	"strconv"

	"github.com/provisionrules/provisionrules/internal/errtext"
	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// The errors of this package wrap the module's sentinel errors, whose
// home is package provisioning: provisioning.ErrUnknown (text that names
// no column, policy or rule), ErrMissing (directory values without the
// object ID, the join key, or a nil argument), ErrMalformed (a value that
// is not valid UTF-8 or holds a NUL byte, a column name that is not a
// Dataverse logical name, an attribute of the wrong JSON type),
// ErrDuplicate (a custom column named like a mapped one) and
// ErrObjectMismatch (a record of another directory object than the one
// synced into it: records match users by object ID only). ErrUnmapped is
// this package's own.
var (
	// ErrUnmapped: an attribute name that the profile does not map.
	ErrUnmapped = errors.New("no row of the profile maps this attribute")
)

// ColumnError reports a column that cannot be read or written: which
// input, which column (a logical name or an attribute name), the value
// found and what is wrong. It names no package: an error enclosing it
// adds its own context.
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
	// Err wraps one of the sentinel errors above.
	Err error
}

// Error names the input, the column, the value and what is wrong; an
// error about the input as a whole (text that is not JSON, say) names no
// column.
func (e *ColumnError) Error() string {
	if e.Column == "" && e.Value == "" {
		return e.What + ": " + errtext.Inner(e.Err)
	}
	return e.What + ": column " + e.Column + " = " + strconv.Quote(e.Value) + ": " + errtext.Inner(e.Err)
}

// Unwrap returns the underlying sentinel error.
func (e *ColumnError) Unwrap() error { return e.Err }

// nilArgument reports a nil record (or destination) or nil directory
// values, as a new error each time.
func nilArgument(record bool) error {
	if record {
		return &ColumnError{What: "record", Column: "*Fields", Value: "nil", Err: sentinel.ErrMissing}
	}
	return &ColumnError{What: "directory", Column: "*Values", Value: "nil", Err: sentinel.ErrMissing}
}
