package wire

import (
	"slices"
	"testing"
)

// chunks gives back every value in order, across block boundaries, and
// nothing for none.
func TestChunks(t *testing.T) {
	for _, n := range []int{0, 1, chunk - 1, chunk, chunk + 1, 3*chunk + 7} {
		var c chunks[int]
		want := make([]int, n)
		for i := range n {
			want[i] = i * 7
			c.add(i * 7)
		}
		got := c.appendTo([]int{-1})
		if !slices.Equal(got, append([]int{-1}, want...)) {
			t.Fatalf("n=%d: got %d values, want %d after the one there, or out of order", n, len(got)-1, n)
		}
		if again := c.appendTo(nil); again != nil {
			t.Fatalf("n=%d: a second appendTo gave %d values, want none", n, len(again))
		}
	}
}
