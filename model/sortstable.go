package model

import (
	"cmp"
	"slices"
)

// sortStable orders items by compare, keeping equal items in the order they
// came (record ID order, as the buckets are walked). A large register holds
// hundreds of thousands of updates, each a struct of a couple of hundred
// bytes: sort.SliceStable would move them around many times through
// reflection. Instead their positions are sorted, with the position itself
// breaking ties (which makes the order stable), and each record is then
// moved once, in place, following the permutation's cycles.
func sortStable[T any](items []T, compare func(a, b *T) int) {
	sorted := true
	for i := 1; i < len(items) && sorted; i++ {
		sorted = compare(&items[i-1], &items[i]) <= 0
	}
	if sorted {
		return
	}
	order := make([]int32, len(items))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := compare(&items[a], &items[b]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	// items[k] must become the record now at items[order[k]]. Each cycle
	// of the permutation is walked once; a finished place is marked by
	// order[k] == k.
	for k := range order {
		if order[k] == int32(k) {
			continue
		}
		held := items[k]
		j := k
		for {
			next := int(order[j])
			order[j] = int32(j)
			if next == k {
				items[j] = held
				break
			}
			items[j] = items[next]
			j = next
		}
	}
}
