package model

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestGroupUpdates checks the in-place grouping against a plain one: the
// updates of included findings, by finding in the order of the findings,
// each finding's in the order they came.
func TestGroupUpdates(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{0, 1, 5, 40} {
		byID := map[ID]int{}
		for i := range n {
			byID[ID(100+2*i)] = n - 1 - i // included findings, in some order
		}
		for _, total := range []int{0, 1, 7, 300} {
			us := make([]Update, total)
			for k := range us {
				us[k] = Update{ID: ID(k + 1), FindingID: ID(100 + rnd.IntN(2*n+2)), Narrative: "n"}
			}
			var want []Update
			for i := range n {
				for _, u := range us {
					if byID[u.FindingID] == i {
						if _, ok := byID[u.FindingID]; ok {
							want = append(want, u)
						}
					}
				}
			}
			keep := len(us) * 2 / 3
			got := groupUpdates(us[:keep], us[keep:], byID, n)
			var wantKept []Update
			for _, w := range want {
				if int(w.ID) <= keep {
					wantKept = append(wantKept, w)
				}
			}
			if len(got) != len(wantKept) || (len(got) > 0 && !reflect.DeepEqual(got, wantKept)) {
				t.Fatalf("%d findings, %d updates: got %v, want %v", n, total, got, wantKept)
			}
			for _, u := range us[keep:] {
				if u != (Update{}) {
					t.Fatalf("an update left out is still held: %+v", u)
				}
			}
		}
	}
}
