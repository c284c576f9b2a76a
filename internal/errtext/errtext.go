// Package errtext prints the module's errors so that each adds its
// context once.
//
// An error about one value (provisioning.FieldError, OpError,
// syncfields.ColumnError, usertype.TraitsError) names its input, field and
// value, and no package. A report that encloses such errors (wire.Error,
// tenant.MalformedError, tenant.FindingsError) starts with its package's
// name, "wire: " or "tenant: ", when it is printed on its own, and
// without it when another report encloses it: a report's Format prints
// it without the prefix under the flag '-' (%-v, %-w), which Inner and
// fmt.Errorf("%-w") ask for.
package errtext

import (
	"fmt"
	"io"
	"strconv"
)

// Inner returns err's text as a report enclosing it prints it: without
// its package's prefix when err is a report of the module, and err's
// Error otherwise.
func Inner(err error) string { return fmt.Sprintf("%-v", err) }

// Format prints a report whose text is prefix followed by body: body
// alone under the flag '-', quoted for the verb 'q', and prefix and body
// for any other verb.
func Format(f fmt.State, verb rune, prefix, body string) {
	switch {
	case f.Flag('-'):
		io.WriteString(f, body)
	case verb == 'q':
		io.WriteString(f, strconv.Quote(prefix+body))
	default:
		io.WriteString(f, prefix+body)
	}
}

// Indexed names element i of list in an error, and a field of it when
// field is not empty: "Licenses[1]", "Users[3].ObjectID". It is the one
// place the module writes an element's path.
func Indexed(list string, i int, field string) string {
	s := list + "[" + strconv.Itoa(i) + "]"
	if field != "" {
		s += "." + field
	}
	return s
}

// Cut shortens a value an error quotes to its first max bytes, backing up
// to the start of a rune so as not to split one, and marks the cut with
// "…". A value of max bytes or fewer is returned as it is.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && s[i]&0xc0 == 0x80 { // a continuation byte: inside a rune
		i--
	}
	return s[:i] + "…"
}

// Explain wraps sentinel err with words about the case: its text is err's
// followed by ": " and msg, and errors.Is finds err through it.
func Explain(err error, msg string) error { return &detail{err: err, msg: msg} }

// detail is a sentinel error with words about one case.
type detail struct {
	err error
	msg string
}

// Error is the sentinel's message and the words about the case.
func (e *detail) Error() string { return e.err.Error() + ": " + e.msg }

// Unwrap returns the sentinel.
func (e *detail) Unwrap() error { return e.err }
