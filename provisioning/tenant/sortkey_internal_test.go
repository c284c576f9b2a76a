package tenant

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// sortKey orders exactly as the strings it holds do, whatever their
// length, bytes or shared prefixes.
func TestSortKeyOrdersAsStrings(t *testing.T) {
	str := rapid.OneOf(
		rapid.String(),
		rapid.StringMatching(`u-[0-9]{0,12}`),
		rapid.Map(rapid.SliceOfN(rapid.SampledFrom([]byte{0, 1, 2, 'a', 0xff}), 0, 10), func(b []byte) string { return string(b) }),
	)
	rapid.Check(t, func(t *rapid.T) {
		a, b := str.Draw(t, "a"), str.Draw(t, "b")
		if got, want := keyOf(a).compare(keyOf(b)), strings.Compare(a, b); got != want {
			t.Fatalf("compare(%q, %q) = %d, want %d", a, b, got, want)
		}
	})
}
