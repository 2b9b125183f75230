package model

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// TestSortStableMatchesSliceStable checks the in-place permutation against
// the standard library's stable sort on records with many equal keys.
func TestSortStableMatchesSliceStable(t *testing.T) {
	type rec struct{ key, seq int }
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 3, 10, 100, 5000} {
		items := make([]rec, n)
		for i := range items {
			items[i] = rec{key: rnd.IntN(1 + n/4), seq: i}
		}
		want := slices.Clone(items)
		sort.SliceStable(want, func(i, j int) bool { return want[i].key < want[j].key })
		sortStable(items, func(a, b *rec) int { return a.key - b.key })
		if !slices.Equal(items, want) {
			t.Fatalf("%d records: got %v, want %v", n, items, want)
		}
	}
}
