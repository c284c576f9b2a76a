// Package enum holds the text form shared by the module's closed enums:
// a table of names indexed by value, printed by String and parsed back by
// Parse. An empty name marks a value that is not part of the enum.
package enum

import (
	"strconv"
	"strings"

	"github.com/provisionrules/provisionrules/internal/sentinel"
)

// ErrUnknown is wrapped by every error that Parse returns.
var ErrUnknown = sentinel.ErrUnknown

// Error reports text that names no value of an enum.
type Error struct {
	Type string // the enum's qualified name, such as "usertype.AccessMode"
	Text string // the text that was given
}

// Error returns "Type: unknown value \"text\"".
func (e *Error) Error() string {
	return e.Type + ": unknown value " + strconv.Quote(e.Text)
}

// Unwrap returns ErrUnknown, so that errors.Is(err, ErrUnknown) holds.
func (e *Error) Unwrap() error { return ErrUnknown }

// Name returns the name of v in names, or "Type(v)" when v has none.
func Name[V ~uint8](names []string, typ string, v V) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}

// Valid reports whether v has a name in names.
func Valid[V ~uint8](names []string, v V) bool {
	return int(v) < len(names) && names[v] != ""
}

// Parse returns the value whose name equals text, ignoring ASCII case. It
// returns an *Error for any other text, including the empty string.
func Parse[V ~uint8](names []string, typ string, text []byte) (V, error) {
	for i, n := range names {
		if n != "" && strings.EqualFold(n, string(text)) {
			return V(i), nil
		}
	}
	return 0, &Error{Type: typ, Text: string(text)}
}

// Marshal returns the name of v in names, or an *Error when v has none.
func Marshal[V ~uint8](names []string, typ string, v V) ([]byte, error) {
	if !Valid(names, v) {
		return nil, &Error{Type: typ, Text: Name(names, typ, v)}
	}
	return []byte(names[v]), nil
}

// Unmarshal sets *v to the value named by text, as Parse reads it, and
// leaves *v unchanged on error.
func Unmarshal[V ~uint8](names []string, typ string, text []byte, v *V) error {
	x, err := Parse[V](names, typ, text)
	if err != nil {
		return err
	}
	*v = x
	return nil
}
