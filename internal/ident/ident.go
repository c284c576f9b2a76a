// Package ident checks identifiers (object IDs, UPNs, tenant, environment,
// group and role IDs) for characters that have no place in them, bounds
// their length, and holds a GUID in one canonical form.
package ident

import (
	"unicode"
	"unicode/utf8"
)

// MaxLen is the most characters an identifier may have. Microsoft Entra
// ID's and Dataverse's identifiers are GUIDs (36 characters) or names of
// at most a few hundred (a UPN 113, a Dataverse team name 160, a role name
// 100): an identifier longer than this is no identifier of theirs.
const MaxLen = 256

// Valid reports whether s is an identifier: valid UTF-8, at most MaxLen
// characters, free of control characters (C0, DEL and C1) and of the
// invisible formatting characters (Unicode category Cf: the bidirectional
// controls, zero-width spaces and joiners, the byte-order mark, the soft
// hyphen, the word joiner, the tag characters, ...) that can make an
// identifier display as another, free of the line and paragraph
// separators U+2028 and U+2029 (which break a line where the identifier
// is shown), and, when it is a GUID, in its canonical
// lower-case form (Canonical). The empty string is valid; whether a value
// is required is the caller's question. Printable ASCII is settled eight
// bytes at a time; the rest byte by byte.
func Valid(s string) bool {
	if len(s) > MaxLen && utf8.RuneCountInString(s) > MaxLen {
		return false
	}
	if len(s) == GUIDLen && hasUpper(s) && IsGUID(s) {
		return false // a GUID in upper case: not canonical
	}
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
		if r == utf8.RuneError && n == 1 || r >= 0x80 && r <= 0x9f || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Cf, r) {
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

// hasUpper reports whether s, of GUIDLen bytes, holds an upper-case ASCII
// letter, reading it a word at a time (the last word overlapping the one
// before), so that a GUID in lower case costs five loads.
func hasUpper[S ~string | ~[]byte](s S) bool {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	word := func(s S) uint64 {
		return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	}
	for i := 0; i < GUIDLen; i += 8 {
		w := word(s[min(i, GUIDLen-8):])
		// A byte from 'A' to 'Z', when no byte has its high bit set (a GUID
		// has none; other strings go on to the full check anyway): adding
		// 0x80-'A' sets the high bit of those at 'A' or above, adding
		// 0x80-'Z'-1 of those above 'Z'.
		if w&highs == 0 && (w+(0x80-'A')*ones)&^(w+(0x80-'Z'-1)*ones)&highs != 0 {
			return true
		}
	}
	return false
}

// GUIDLen is the length of a GUID's text: 8-4-4-4-12 hexadecimal digits.
const GUIDLen = 36

// IsGUID reports whether s is a GUID's text, 8-4-4-4-12 hexadecimal
// digits in either case, as Microsoft Entra ID and Dataverse write object,
// tenant, group and row IDs.
func IsGUID[S ~string | ~[]byte](s S) bool {
	if len(s) != GUIDLen {
		return false
	}
	for i := 0; i < GUIDLen; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// CanonicalBytes is Canonical of b: b itself when it is in canonical
// form, else its canonical form written into buf. It never changes b, and
// allocates nothing.
func CanonicalBytes(b []byte, buf *[GUIDLen]byte) []byte {
	if len(b) != GUIDLen || !hasUpper(b) || !IsGUID(b) {
		return b
	}
	for i, c := range b {
		if 'A' <= c && c <= 'F' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf[:]
}

// Canonical returns s in its canonical form: a GUID in lower case, so
// that two IDs that differ only in letter case are one ID; any other s as
// it is.
func Canonical(s string) string {
	if !IsGUID(s) {
		return s
	}
	for i := 0; i < GUIDLen; i++ {
		if c := s[i]; 'A' <= c && c <= 'F' {
			b := []byte(s)
			for j := i; j < GUIDLen; j++ {
				if c := b[j]; 'A' <= c && c <= 'F' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
