package usertype

import (
	"strconv"

	"github.com/provisionrules/provisionrules/internal/errtext"
)

// This package's errors wrap the module's sentinel errors, whose home is
// package provisioning: an unknown access mode or kind wraps
// provisioning.ErrUnknown, and traits that disagree about a record's kind
// wrap provisioning.ErrContradiction.

// TraitsError reports the field of Traits that Classify could not accept.
// It names the field and the value, and no package: an error enclosing it
// adds its own context.
type TraitsError struct {
	// Field is the field of Traits: "Mode", "UPN" or "ApplicationID".
	Field string
	// Value is the value found, as text.
	Value string
	// Err wraps provisioning.ErrContradiction or provisioning.ErrUnknown.
	Err error
}

// Error names the field, the value and what is wrong:
// field Mode = "support-user": contradicts another field: ….
func (e *TraitsError) Error() string {
	return "field " + e.Field + " = " + strconv.Quote(e.Value) + ": " + errtext.Inner(e.Err)
}

// Unwrap returns the underlying error.
func (e *TraitsError) Unwrap() error { return e.Err }
