package errtext_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/provisionrules/provisionrules/internal/errtext"
)

// report is a report of a made-up package "pkg".
type report struct{ inner error }

func (r *report) body() string {
	if r.inner == nil {
		return "body"
	}
	return "outer: " + errtext.Inner(r.inner)
}
func (r *report) Error() string                 { return "pkg: " + r.body() }
func (r *report) Format(f fmt.State, verb rune) { errtext.Format(f, verb, "pkg: ", r.body()) }
func (r *report) Unwrap() error                 { return r.inner }

// A report prints its prefix once, at the outermost; an error that is no
// report prints as it is, wherever it is.
func TestPrefixOnce(t *testing.T) {
	plain := errors.New("plain: as it is")
	for _, c := range []struct {
		got, want string
	}{
		{(&report{}).Error(), "pkg: body"},
		{fmt.Sprint(&report{}), "pkg: body"},
		{fmt.Sprintf("%s", &report{}), "pkg: body"},
		{fmt.Sprintf("%q", &report{}), `"pkg: body"`},
		{fmt.Sprintf("%-v", &report{}), "body"},
		{errtext.Inner(&report{}), "body"},
		{(&report{inner: &report{}}).Error(), "pkg: outer: body"},
		{(&report{inner: &report{inner: &report{}}}).Error(), "pkg: outer: outer: body"},
		{(&report{inner: plain}).Error(), "pkg: outer: plain: as it is"},
		{errtext.Inner(plain), "plain: as it is"},
		{fmt.Errorf("load: f: %-w", &report{}).Error(), "load: f: body"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestIndexed(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{errtext.Indexed("Users", 3, ""), "Users[3]"},
		{errtext.Indexed("Licenses", 0, "Tenant"), "Licenses[0].Tenant"},
		{errtext.Indexed("Records[env-a]", 12, "ObjectID"), "Records[env-a][12].ObjectID"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// Cut keeps a short value, and cuts a long one at a rune's start, never
// inside it.
func TestCut(t *testing.T) {
	for _, c := range []struct {
		s    string
		max  int
		want string
	}{
		{"abc", 3, "abc"},
		{"abcd", 3, "abc…"},
		{"", 0, ""},
		{"ab€", 3, "ab…"},   // € is 3 bytes: cutting at 3 would split it
		{"ab€", 4, "ab…"},   // still inside €
		{"ab€c", 5, "ab€…"}, // after it
		{"€€", 3, "€…"},
	} {
		if got := errtext.Cut(c.s, c.max); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.s, c.max, got, c.want)
		}
	}
}

// An explained sentinel prints the sentinel and the words, and is the
// sentinel to errors.Is, as every reader that wraps one counts on.
func TestExplain(t *testing.T) {
	sentinel := errors.New("required value is missing")
	err := errtext.Explain(sentinel, "no boundary")
	if got, want := err.Error(), "required value is missing: no boundary"; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	if !errors.Is(err, sentinel) || errors.Is(err, errors.New("required value is missing")) {
		t.Errorf("errors.Is(%v) finds the wrong sentinel", err)
	}
	if errors.Unwrap(err) != sentinel {
		t.Errorf("Unwrap = %v; want the sentinel", errors.Unwrap(err))
	}
}
