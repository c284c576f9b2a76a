package tenant

import (
	"slices"
	"sort"
)

// minSortRun is the fewest entries worth sorting, or merging, on a
// goroutine of their own; a variable so that tests can split small inputs.
var minSortRun = 1 << 14

// sortParallel sorts s by cmp on up to workers goroutines and returns the
// sorted entries, in s or in a second array of its size: runs of s sorted
// side by side, then merged pairwise, each merge itself split among the
// workers, so that no step of a large sort runs on one core alone. Of two
// equal entries, the one from the earlier run comes first.
func sortParallel[E any](s []E, cmp func(a, b E) int, workers int) []E {
	runs := max(1, min(workers, len(s)/minSortRun))
	if runs == 1 {
		slices.SortFunc(s, cmp)
		return s
	}
	bound := func(r int) int { return r * len(s) / runs }
	parallel(runs, runs, func(r int) { slices.SortFunc(s[bound(r):bound(r+1)], cmp) })
	src, dst := s, make([]E, len(s))
	// Merge passes until one run is left (a pass more, width == runs,
	// would only copy the run to the other array).
	for width := 1; width < runs; width *= 2 {
		for r := 0; r < runs; r += 2 * width {
			lo, mid, hi := bound(r), bound(min(r+width, runs)), bound(min(r+2*width, runs))
			mergeParallel(dst[lo:hi], src[lo:mid], src[mid:hi], cmp, workers)
		}
		src, dst = dst, src
	}
	return src
}

// mergeParallel merges the sorted a and b into dst, whose length is theirs
// together, taking a's entry first of two equal ones. The output is cut
// into parts of equal size, each merged on a goroutine of its own from
// the runs of a and b that make it up (found by binary search).
func mergeParallel[E any](dst, a, b []E, cmp func(a, b E) int, workers int) {
	parts := max(1, min(workers, len(dst)/minSortRun))
	cut := make([]int, parts+1) // cut[p] entries of a come before dst[p*len/parts]
	for p := range parts - 1 {
		cut[p+1] = split(a, b, (p+1)*len(dst)/parts, cmp)
	}
	cut[parts] = len(a)
	parallel(parts, parts, func(p int) {
		k0, k1 := p*len(dst)/parts, (p+1)*len(dst)/parts
		i0, i1 := cut[p], cut[p+1]
		merge(dst[k0:k1], a[i0:i1], b[k0-i0:k1-i1], cmp)
	})
}

// split returns how many of the first k entries of the merge of a and b
// come from a.
func split[E any](a, b []E, k int, cmp func(a, b E) int) int {
	lo, hi := max(0, k-len(b)), min(k, len(a))
	// The smallest i for which b's last entry taken, b[k-i-1], comes before
	// a's first entry left, a[i]: every a[i:] then follows every b[:k-i].
	return lo + sort.Search(hi-lo, func(d int) bool {
		i := lo + d
		j := k - i
		return j == 0 || cmp(b[j-1], a[i]) < 0
	})
}

// merge merges the sorted a and b into dst, a's entry first of two equal
// ones.
func merge[E any](dst, a, b []E, cmp func(a, b E) int) {
	k := 0
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			dst[k], b = b[0], b[1:]
		} else {
			dst[k], a = a[0], a[1:]
		}
		k++
	}
	k += copy(dst[k:], a)
	copy(dst[k:], b)
}
