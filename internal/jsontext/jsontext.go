// Package jsontext writes JSON strings: the module's one escaper, shared
// by every package that writes JSON by hand (decisions, actions, requests,
// generated exports), so that they agree on every byte.
package jsontext

import "unicode/utf8"

const hexDigits = "0123456789abcdef"

// NeedsEscape reports whether Escape would change s: whether it holds a
// quote, a backslash, a control character or a byte above ASCII (of which
// invalid UTF-8, U+2028 and U+2029 are escaped, and the rest copied).
func NeedsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// Append appends s to b as a JSON string, between quotes (Escape).
func Append(b []byte, s string) []byte {
	b = append(b, '"')
	b = Escape(b, s)
	return append(b, '"')
}

// Escape appends s to b escaped for the inside of a JSON string: quotes,
// backslashes and control characters escaped (\n, \r and \t by name, the
// rest as \u00XX), U+2028 and U+2029 as \u2028 and \u2029 (JavaScript
// reads them as line ends), and each byte that is not valid UTF-8 as
// \ufffd, so that the output is valid UTF-8 JSON whatever s holds. Other
// characters are copied as they are, plain runs in one copy. It allocates
// nothing once b has room.
func Escape(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += n
			continue
		}
		i += n
		start = i
	}
	return append(b, s[start:]...)
}
