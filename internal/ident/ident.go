// Package ident checks identifiers (object IDs, UPNs, tenant, environment,
// group and role IDs) for characters that have no place in them.
package ident

import "unicode/utf8"

// Valid reports whether s is valid UTF-8 free of control characters (C0,
// DEL and C1) and of the bidirectional formatting characters that can make
// an identifier display as another (U+061C, U+200E, U+200F, U+202A to
// U+202E, U+2066 to U+2069). The empty string is valid; whether a value is
// required is the caller's question. Printable ASCII is settled eight
// bytes at a time; the rest byte by byte.
func Valid(s string) bool {
	i := 0
	if len(s) >= 16 { // shorter strings cost less byte by byte than a call
		i = PrintableASCII(s)
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return validFrom(s, i)
		}
	}
	return true
}

// validFrom is Valid for s from byte i on, a byte that is not printable
// ASCII.
func validFrom(s string, i int) bool {
	for i < len(s) {
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

// PrintableASCII returns the length of the longest prefix of s made of
// whole eight-byte words of printable ASCII (0x20 to 0x7e): the part of s
// that a check of control and non-ASCII characters may skip.
func PrintableASCII(s string) int {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
		space = 0x2020202020202020
		del   = 0x7f7f7f7f7f7f7f7f
	)
	n := len(s)
	// Reslicing, rather than indexing from i, lets the compiler drop the
	// bounds checks and read each word with one load.
	for len(s) >= 8 {
		w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		// A byte at 0x80 or above sets its high bit in w; one below 0x20
		// sets it in w-space (or borrows from a byte above it, which
		// then sets its own); a 0x7f is a zero byte of w^del.
		d := w ^ del
		if (w|(w-space))&highs != 0 || (d-ones)&^d&highs != 0 {
			break
		}
		s = s[8:]
	}
	return n - len(s)
}
