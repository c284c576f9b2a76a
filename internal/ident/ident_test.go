package ident

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

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
		{"\x80", false},
		{"cont\x80", false},
		// Invisible formatting characters (Unicode category Cf).
		{"g-sa\u200bles", false},
		{"zwj\u200dx", false},
		{"zwnj\u200cx", false},
		{"bom\ufeff", false},
		{"ana\u2028@contoso.com", false}, // a line separator
		{"ana\u2029", false},             // a paragraph separator
		{"ana\u2027x", true},             // U+2027, the hyphenation point beside them, is no separator
		{"soft\u00adhyphen", false},
		{"word\u2060joiner", false},
		{"tag\U000e0041", false},
		// A GUID in its canonical, lower-case form only.
		{"7D2C1F0A-1B2C-4D5E-8F90-123456789ABC", false},
		{"7d2c1f0a-1b2c-4d5e-8f90-123456789aBc", false},
		{"7D2C1F0A-1B2C-4D5E-8F90-123456789ABCX", true}, // not a GUID
		// At most MaxLen characters.
		{string(make([]byte, 0)) + strings.Repeat("a", MaxLen), true},
		{strings.Repeat("a", MaxLen+1), false},
		{strings.Repeat("é", MaxLen), true},
		{strings.Repeat("é", MaxLen+1), false},
	} {
		if got := Valid(c.s); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// PrintableASCII skips exactly the whole words of printable ASCII: never a
// byte Valid must look at, and every word it need not.
func TestPrintableASCII(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Printable ASCII with a few bytes of the edges put in at random
		// places, so that whole printable words are common.
		b := rapid.SliceOfN(rapid.ByteRange(0x20, 0x7e), 0, 40).Draw(t, "printable")
		for _, at := range rapid.SliceOfN(rapid.IntRange(0, 39), 0, 2).Draw(t, "at") {
			if at < len(b) {
				b[at] = rapid.SampledFrom([]byte{0x00, 0x01, 0x1f, 0x20, 0x7e, 0x7f, 0x80, 0xc3, 0xff}).Draw(t, "edge")
			}
		}
		s := string(b)
		n := PrintableASCII(s)
		want := 0
		for want+8 <= len(s) {
			ok := true
			for _, c := range []byte(s[want : want+8]) {
				ok = ok && c >= 0x20 && c <= 0x7e
			}
			if !ok {
				break
			}
			want += 8
		}
		if n != want {
			t.Fatalf("PrintableASCII(%q) = %d, want %d", s, n, want)
		}
	})
}

// Valid agrees with the byte-by-byte reading (validFrom from the start) on
// any string, long or short: the eight-byte words it skips never hide a
// character it must refuse.
func TestValidSkipsOnlyPrintableASCII(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOfN(rapid.SampledFrom([]string{"a", "0123456789abcdef", "-", "@", "\x00", "\x1f", "\x7f", "\u0085", "\u202e", "\u2066", "é", "漢", "\xff", " "}), 0, 12).Draw(t, "parts")
		s := ""
		for _, p := range parts {
			s += p
		}
		if got, want := Valid(s), validFrom(s, 0); got != want {
			t.Fatalf("Valid(%q) = %v, the byte-by-byte reading says %v", s, got, want)
		}
	})
}

func TestCanonical(t *testing.T) {
	for in, want := range map[string]string{
		"7D2C1F0A-1B2C-4D5E-8F90-123456789ABC": "7d2c1f0a-1b2c-4d5e-8f90-123456789abc",
		"7d2c1f0a-1b2c-4d5e-8f90-123456789abc": "7d2c1f0a-1b2c-4d5e-8f90-123456789abc",
		"7d2c1f0a-1b2c-4d5e-8f90-123456789aBC": "7d2c1f0a-1b2c-4d5e-8f90-123456789abc",
		"u-ANA":                                "u-ANA", // not a GUID: as it is
		"7D2C1F0A-1B2C-4D5E-8F90-123456789ABG": "7D2C1F0A-1B2C-4D5E-8F90-123456789ABG",
		"7D2C1F0A_1B2C-4D5E-8F90-123456789ABC": "7D2C1F0A_1B2C-4D5E-8F90-123456789ABC",
	} {
		if got := Canonical(in); got != want {
			t.Errorf("Canonical(%q) = %q, want %q", in, got, want)
		}
		if got := Canonical(in); IsGUID(in) && !Valid(got) {
			t.Errorf("the canonical %q is not Valid", got)
		}
		var buf [GUIDLen]byte
		b := []byte(in)
		if got := CanonicalBytes(b, &buf); string(got) != want || string(b) != in {
			t.Errorf("CanonicalBytes(%q) = %q (its input now %q), want %q", in, got, b, want)
		}
	}
}

// hasUpper finds an upper-case ASCII letter wherever it stands in a
// string of a GUID's length, and nothing else.
func TestHasUpper(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := rapid.SliceOfN(rapid.ByteRange(0x20, 0x7e), GUIDLen, GUIDLen).Draw(t, "bytes")
		want := false
		for _, c := range b {
			want = want || 'A' <= c && c <= 'Z'
		}
		if got := hasUpper(string(b)); got != want {
			t.Fatalf("hasUpper(%q) = %v, want %v", b, got, want)
		}
	})
}

// hasUpper finds one upper-case letter alone in every position, and
// nothing in a string of lower-case letters with one of the bytes just
// outside 'A' to 'Z' there.
func TestHasUpperEveryPosition(t *testing.T) {
	for i := range GUIDLen {
		for _, c := range []byte{'@', 'A', 'M', 'Z', '[', '`', 'a', 'z', '0', '-'} {
			b := []byte(strings.Repeat("a", GUIDLen))
			b[i] = c
			if got, want := hasUpper(string(b)), 'A' <= c && c <= 'Z'; got != want {
				t.Errorf("hasUpper(%q) = %v, want %v", b, got, want)
			}
		}
	}
}
