package tenant

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/provisionrules/provisionrules/provisioning"
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

// sortUsers reads every user once, whichever worker's part it is in, and
// reports the first malformed ID in the users' order.
func TestSortUsersParts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 80).Draw(t, "users")
		users := make([]provisioning.User, n)
		for i, k := range rapid.Permutation(seq(n)).Draw(t, "order") {
			users[i].ObjectID = fmt.Sprintf("u-%03d", k)
		}
		old := minSortRun
		minSortRun = rapid.IntRange(1, 16).Draw(t, "minSortRun")
		defer func() { minSortRun = old }()
		workers := rapid.IntRange(1, 5).Draw(t, "workers")
		bad := -1
		if n > 0 && rapid.Bool().Draw(t, "a bad ID?") {
			bad = rapid.IntRange(0, n-1).Draw(t, "bad")
			users[bad].ObjectID = ""
		}
		got, err := sortUsers(users, workers)
		if bad >= 0 {
			if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("Users[%d]", bad)) {
				t.Fatalf("users[%d] has no ID: error %v", bad, err)
			}
			return
		}
		if err != nil || len(got) != n {
			t.Fatalf("sortUsers = %d entries, %v; want %d", len(got), err, n)
		}
		for i, e := range got {
			if want := fmt.Sprintf("u-%03d", i); e.u.ObjectID != want || e.u != &users[e.pos] {
				t.Fatalf("entry %d is %s at %d, want %s", i, e.u.ObjectID, e.pos, want)
			}
		}
	})
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
