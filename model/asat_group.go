package model

import (
	"slices"
)

// Grouping a snapshot's records by finding, in the order of its findings,
// without holding a large register's updates twice.

// groupUpdates keeps the updates of included findings (byID gives each
// one's place among n findings) and groups them by finding in that order,
// each finding's in the order they came: a counting sort (groupByFinding),
// done in place so that a large register's updates are never held twice,
// and copied out when few are kept (trimKept). dropped is the rest of the
// store's slice, past the updates kept so far; it is cleared so that the
// narratives of updates left out can be let go.
func groupUpdates(us, dropped []Update, byID map[ID]int, n int) []Update {
	clear(dropped)
	kept := us[:0]
	for _, u := range us {
		if _, ok := byID[u.FindingID]; ok {
			kept = append(kept, u)
		}
	}
	clear(us[len(kept):])
	groupByFinding(kept, func(u *Update) ID { return u.FindingID }, byID, n)
	return trimKept(kept)
}

// byDate puts each finding's run of updates (grouped by groupUpdates) in
// order of date, keeping those of a date in the order they came.
func byDate(us []Update) {
	inRuns(us, func(u *Update) ID { return u.FindingID }, func(a, b *Update) int { return a.Date.Compare(b.Date) })
}

// inRuns orders each run of items of one finding by compare, keeping equal
// items in the order they came; a run already in order, as most are, is
// only looked over.
func inRuns[T any](items []T, findingOf func(*T) ID, compare func(a, b *T) int) {
	for i := 0; i < len(items); {
		j := i + 1
		for j < len(items) && findingOf(&items[j]) == findingOf(&items[i]) {
			j++
		}
		sortStable(items[i:j], compare)
		i = j
	}
}

// groupByFinding puts items in the order of their findings' places (byID,
// among n findings; every item's finding has one), each finding's in the
// order they came: a counting sort, in place.
func groupByFinding[T any](items []T, findingOf func(*T) ID, byID map[ID]int, n int) {
	starts := make([]int32, n+1)
	dest := make([]int32, len(items))
	for p := range items {
		i := byID[findingOf(&items[p])]
		dest[p] = int32(i)
		starts[i+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	for p, i := range dest {
		dest[p] = starts[i]
		starts[i]++
	}
	// Each swap puts one item in its final place.
	for p := range items {
		for int(dest[p]) != p {
			q := dest[p]
			items[p], items[q] = items[q], items[p]
			dest[p], dest[q] = dest[q], dest[p]
		}
	}
}

// trimKept is a list filtered in place as the snapshot keeps it: nil when
// nothing was kept, as a list appended to from nothing would be, and
// copied out when few were kept (an as-at date long ago), so that the
// rest of the store's list can be let go.
func trimKept[T any](kept []T) []T {
	switch {
	case len(kept) == 0:
		return nil
	case len(kept) < cap(kept)/2:
		return slices.Clone(kept)
	}
	return kept
}

// zeroLast ranks an unset date after every set one.
func zeroLast(d Date) int {
	if d.IsZero() {
		return 1
	}
	return 0
}
