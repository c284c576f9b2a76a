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
	Type  string   // the enum's qualified name, such as "usertype.AccessMode"
	Text  string   // the text that was given
	Valid []string // the names of the enum's values
}

// Error names the enum in words, the text, and the valid names: unknown
// access mode "owner"; want one of read-write, administrative, ...
func (e *Error) Error() string {
	s := "unknown " + words(e.Type) + " " + strconv.Quote(e.Text)
	if len(e.Valid) > 0 {
		s += "; want one of " + strings.Join(e.Valid, ", ")
	}
	return s
}

// words writes a qualified Go type name in words: "usertype.AccessMode"
// is "access mode".
func words(typ string) string {
	_, name, _ := strings.Cut(typ, ".")
	if name == "" {
		name = typ
	}
	var b strings.Builder
	for i, r := range name {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte(' ')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// valid returns the names of names, without the empty ones.
func valid(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
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
	return 0, Unknown(names, typ, string(text))
}

// Unknown returns the *Error of text, which names no value of the enum
// typ whose names are names.
func Unknown(names []string, typ, text string) *Error {
	return &Error{Type: typ, Text: text, Valid: valid(names)}
}

// Marshal returns the name of v in names, or an *Error when v has none.
func Marshal[V ~uint8](names []string, typ string, v V) ([]byte, error) {
	if !Valid(names, v) {
		return nil, Unknown(names, typ, Name(names, typ, v))
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

// All returns the values from 1 to end-1 in order: every value of an enum
// whose zero is invalid and whose last value is end-1.
func All[V ~uint8](end V) []V {
	out := make([]V, 0, max(int(end)-1, 0))
	for v := V(1); v < end; v++ {
		out = append(out, v)
	}
	return out
}

// Names returns, indexed by value, the name of each value from 1 to end-1
// as name reads it from the value's entry in table; the zero value's is
// "". table must hold an entry for every value below end.
func Names[V ~uint8, T any](end V, table []T, name func(*T) string) []string {
	names := make([]string, end)
	for v := V(1); v < end; v++ {
		names[v] = name(&table[v])
	}
	return names
}
