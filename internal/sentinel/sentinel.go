// Package sentinel holds the error values that mean the same thing in
// every package of the module, so that one errors.Is test finds them
// whichever package reported the problem. Each package re-exports the
// ones it uses under the same names.
package sentinel

import "errors"

var (
	// ErrUnknown: text or a number that names no member of a closed enum.
	ErrUnknown = errors.New("unknown value")
	// ErrMissing: a required value is empty, absent or nil.
	ErrMissing = errors.New("required value is missing")
	// ErrContradiction: two fields say things that cannot both be true.
	ErrContradiction = errors.New("contradicts another field")
	// ErrDuplicate: a key given twice where it must be unique.
	ErrDuplicate = errors.New("key given twice")
	// ErrMalformed: a value that is not well formed, such as text that is
	// not valid UTF-8 or an identifier holding control characters.
	ErrMalformed = errors.New("malformed value")
	// ErrObjectMismatch: a record belongs to another directory object than
	// the user it was given for; records match users by object ID only
	// (LIFE-MATCH).
	ErrObjectMismatch = errors.New("belongs to another directory object (LIFE-MATCH)")
)
