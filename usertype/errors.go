package usertype

import (
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// The sentinel errors of this package. Each is the same value in every
// package of the module that reports the same problem, so that
// errors.Is(err, usertype.ErrUnknown) and errors.Is(err,
// provisioning.ErrUnknown) agree.
var (
	// ErrUnknown is wrapped by every error about text or a number that
	// names no access mode or kind.
	ErrUnknown = sentinel.ErrUnknown
	// ErrContradiction is wrapped by Classify's error when a record's facts
	// disagree about its kind.
	ErrContradiction = sentinel.ErrContradiction
)

// FactsError reports the field of Facts that Classify could not accept.
type FactsError struct {
	// Field is the field of Facts: "Mode", "UPN" or "ApplicationID".
	Field string
	// Value is the value found, as text.
	Value string
	// Err is ErrContradiction, or an error wrapping ErrUnknown.
	Err error
}

// Error names the field, the value and the contradiction.
func (e *FactsError) Error() string {
	return "usertype: field " + e.Field + " = " + strconv.Quote(e.Value) + ": " + strings.TrimPrefix(e.Err.Error(), "usertype: ")
}

// Unwrap returns the underlying error.
func (e *FactsError) Unwrap() error { return e.Err }
