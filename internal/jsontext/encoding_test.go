package jsontext

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// Escape writes exactly what encoding/json writes for a string
// (without its HTML escaping), but for \b and \f, which it writes as
// \u0008 and \u000c: printable text as it is, every other character
// escaped once, each invalid byte as U+FFFD.
func TestEscapeMatchesEncodingJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(
			rapid.String(),
			rapid.StringOf(rapid.RuneFrom([]rune{' ', '"', '\\', 'b', 'f', 'u', '\b', '\f', '\n', '\r', '\t', 0, 0x1f, 0x7f, 'a', '\u2028', '\u2029', 'é', '😀'})),
			rapid.Map(rapid.SliceOf(rapid.Byte()), func(b []byte) string { return string(b) }),
		).Draw(t, "s")
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		w := strings.TrimSuffix(want.String(), "\n")
		w = strings.NewReplacer(`\b`, `\u0008`, `\f`, `\u000c`, `\\`, `\\`).Replace(w)
		if got := string(Append(nil, s)); got != w {
			t.Fatalf("Append(%q) = %s, encoding/json writes %s", s, got, w)
		}
	})
}
