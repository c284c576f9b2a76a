// Package jsoncheck is the check every fuzz target of a strict JSON reader
// in this module makes, written once: the reader never panics; a refusal
// is of the reader's error type and leaves the value as it was; what it
// reads is valid, and writes back to JSON that reads into the same value.
// The packages' fuzz tests call ReadBack with their own error type,
// validation and comparison.
package jsoncheck

import (
	"encoding/json"
	"testing"
)

// Checks are what ReadBack asks of one reader.
type Checks[T any] struct {
	// Refusal returns nil for an error of the kind the reader must
	// return, and otherwise what is wrong with it.
	Refusal func(err error) error
	// Valid, when not nil, returns the error of a value the reader should
	// have refused.
	Valid func(v *T) error
	// Diff returns how b differs from a, "" when they are equal.
	Diff func(a, b T) string
}

// ReadBack reads data into v with its UnmarshalJSON, and fails t unless:
// a refusal passes c.Refusal and leaves v equal to what it was; what is
// read passes c.Valid, and its JSON (json.Marshal) reads into again
// equal to v.
func ReadBack[T any, P interface {
	*T
	json.Unmarshaler
}](t testing.TB, data []byte, v, again P, c Checks[T]) {
	t.Helper()
	before := *v
	if err := v.UnmarshalJSON(data); err != nil {
		if bad := c.Refusal(err); bad != nil {
			t.Fatalf("UnmarshalJSON(%q) = %v: %v", data, err, bad)
		}
		if diff := c.Diff(before, *v); diff != "" {
			t.Fatalf("UnmarshalJSON(%q) refused it (%v) but changed the value (-before +after):\n%s", data, err, diff)
		}
		return
	}
	if c.Valid != nil {
		if err := c.Valid(v); err != nil {
			t.Fatalf("UnmarshalJSON(%q) read a value Validate refuses: %v", data, err)
		}
	}
	out, err := json.Marshal(*v)
	if err != nil {
		t.Fatalf("UnmarshalJSON(%q) read a value that cannot be written: %v", data, err)
	}
	if err := again.UnmarshalJSON(out); err != nil {
		t.Fatalf("%q read, written as %s, is refused: %v", data, out, err)
	}
	if diff := c.Diff(*v, *again); diff != "" {
		t.Fatalf("%q read, written as %s, reads back otherwise (-first +again):\n%s", data, out, diff)
	}
}
