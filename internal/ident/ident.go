// Package ident checks identifiers (object IDs, UPNs, tenant, environment,
// group and role IDs) for characters that have no place in them.
package ident

import "unicode/utf8"

// Valid reports whether s is valid UTF-8 free of control characters (C0,
// DEL and C1) and of the bidirectional formatting characters that can make
// an identifier display as another (U+061C, U+200E, U+200F, U+202A to
// U+202E, U+2066 to U+2069). The empty string is valid; whether a value is
// required is the caller's question. Plain ASCII is settled byte by byte.
func Valid(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1,
			r >= 0x80 && r <= 0x9f,
			r == 0x061c, r == 0x200e, r == 0x200f,
			r >= 0x202a && r <= 0x202e,
			r >= 0x2066 && r <= 0x2069:
			return false
		}
		i += n
	}
	return true
}
