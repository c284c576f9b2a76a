package ident

import "testing"

func TestValid(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"7d2c1f0a-1b2c-4d5e-8f90-123456789abc", true},
		{"ana@contoso.com", true},
		{"José Müller", true},
		{"漢字", true},
		{"a\x00b", false},
		{"tab\there", false},
		{"line\n", false},
		{"del\x7f", false},
		{"c1\u0085", false},
		{"rlo\u202eevil", false},
		{"lri\u2066x", false},
		{"pdi\u2069", false},
		{"lrm\u200e", false},
		{"alm\u061c", false},
		{"bad\xff", false},
		{"\xc3", false},
	} {
		if got := Valid(c.s); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
