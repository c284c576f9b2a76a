package tenant

import (
	"cmp"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// sortParallel sorts like slices.SortStableFunc would, for any number of
// workers and any run size, with equal entries from an earlier run first:
// entries are (key, position) pairs compared by key only, and within each
// run of the input equal keys keep no particular order, so the check is
// that the keys are sorted and the entries are the input's, each once.
func TestSortParallel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		type entry struct{ key, pos int }
		keys := rapid.SliceOfN(rapid.IntRange(0, 40), 0, 300).Draw(t, "keys")
		in := make([]entry, len(keys))
		for i, k := range keys {
			in[i] = entry{k, i}
		}
		old := minSortRun
		minSortRun = rapid.IntRange(1, 64).Draw(t, "minSortRun")
		defer func() { minSortRun = old }()
		workers := rapid.IntRange(1, 9).Draw(t, "workers")

		got := sortParallel(slices.Clone(in), func(a, b entry) int { return cmp.Compare(a.key, b.key) }, workers)
		if !slices.IsSortedFunc(got, func(a, b entry) int { return cmp.Compare(a.key, b.key) }) {
			t.Fatalf("not sorted: %v", got)
		}
		byPos := slices.Clone(got)
		slices.SortFunc(byPos, func(a, b entry) int { return cmp.Compare(a.pos, b.pos) })
		if !slices.Equal(byPos, in) {
			t.Fatalf("entries lost or repeated: sorted %v from %v", got, in)
		}
		// Equal keys from different runs keep the runs' order.
		runs := max(1, min(workers, len(in)/minSortRun))
		run := func(pos int) int {
			for r := range runs {
				if pos < (r+1)*len(in)/runs {
					return r
				}
			}
			return runs
		}
		for i := 1; i < len(got); i++ {
			if a, b := got[i-1], got[i]; a.key == b.key && run(a.pos) > run(b.pos) {
				t.Fatalf("key %d: position %d (run %d) before %d (run %d)", a.key, a.pos, run(a.pos), b.pos, run(b.pos))
			}
		}
	})
}

// merge and split agree on every cut: the first k merged entries hold
// split(a, b, k) entries of a.
func TestMergeSplit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := rapid.SliceOfN(rapid.IntRange(0, 10), 0, 30).Draw(t, "a")
		b := rapid.SliceOfN(rapid.IntRange(0, 10), 0, 30).Draw(t, "b")
		slices.Sort(a)
		slices.Sort(b)
		type tagged struct{ v, from int }
		ta, tb := make([]tagged, len(a)), make([]tagged, len(b))
		for i, v := range a {
			ta[i] = tagged{v, 0}
		}
		for i, v := range b {
			tb[i] = tagged{v, 1}
		}
		c := func(x, y tagged) int { return cmp.Compare(x.v, y.v) }
		dst := make([]tagged, len(a)+len(b))
		merge(dst, ta, tb, c)
		for k := 0; k <= len(dst); k++ {
			fromA := 0
			for _, e := range dst[:k] {
				if e.from == 0 {
					fromA++
				}
			}
			if got := split(ta, tb, k, c); got != fromA {
				t.Fatalf("split(%v, %v, %d) = %d, the merge %v takes %d from a", a, b, k, got, dst, fromA)
			}
		}
	})
}
