package wire

import (
	"slices"
	"testing"
)

// chunks gives back every value in order, across block boundaries, and
// nil for none.
func TestChunks(t *testing.T) {
	for _, n := range []int{0, 1, chunk - 1, chunk, chunk + 1, 3*chunk + 7} {
		var c chunks[int]
		want := make([]int, n)
		for i := range n {
			want[i] = i * 7
			c.add(i * 7)
		}
		got := c.slice()
		if n == 0 && got != nil {
			t.Fatalf("n=0: got %v, want nil", got)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("n=%d: got %d values, want %d, or out of order", n, len(got), n)
		}
		if cap(got) != n {
			t.Fatalf("n=%d: cap %d, want the exact size", n, cap(got))
		}
		if again := c.slice(); again != nil {
			t.Fatalf("n=%d: a second slice gave %d values, want none", n, len(again))
		}
	}
}
