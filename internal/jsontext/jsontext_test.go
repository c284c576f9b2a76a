package jsontext

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"pgregory.net/rapid"
)

func TestAppend(t *testing.T) {
	for in, want := range map[string]string{
		"":                `""`,
		"ana@contoso.com": `"ana@contoso.com"`,
		"a\"b\\c":         `"a\"b\\c"`,
		"l\ni\tn\re":      `"l\ni\tn\re"`,
		"\x00\x1f":        `"\u0000\u001f"`,
		"bad\xffbyte":     `"bad\ufffdbyte"`,
		"\u2028\u2029":    `"\u2028\u2029"`,
		"José 漢字 😀":       `"José 漢字 😀"`,
	} {
		if got := string(Append(nil, in)); got != want {
			t.Errorf("Append(%q) = %s, want %s", in, got, want)
		}
	}
}

// Whatever s holds, the output is valid UTF-8 JSON that reads back as s
// with its invalid bytes replaced; when NeedsEscape says no, Escape
// changes nothing.
func TestEscapeProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := string(rapid.SliceOf(rapid.Byte()).Draw(t, "bytes"))
		if rapid.Bool().Draw(t, "text?") {
			s = rapid.String().Draw(t, "text") + string(rapid.SampledFrom([]rune{'\u2028', '"', '\\', '\n', 0x01, 'é'}).Draw(t, "special"))
		}
		out := Append(nil, s)
		if !utf8.Valid(out) || !json.Valid(out) {
			t.Fatalf("Append(%q) = %q, not valid UTF-8 JSON", s, out)
		}
		var back string
		if err := json.Unmarshal(out, &back); err != nil || back != strings.ToValidUTF8(s, "\ufffd") && back != replaceEach(s) {
			t.Fatalf("Append(%q) reads back as %q, %v", s, back, err)
		}
		if !NeedsEscape(s) && string(Escape(nil, s)) != s {
			t.Fatalf("NeedsEscape(%q) = false, but Escape changes it", s)
		}
	})
}

// replaceEach replaces each invalid byte of s with U+FFFD, as Escape does
// (strings.ToValidUTF8 replaces a run of them with one).
func replaceEach(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}
