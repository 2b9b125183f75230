package model

import (
	"reflect"
	"testing"
)

// TestFilterKeepsEachFindingsRecordsInOrder checks Filter against filtering
// every list record by record, as it once did.
func TestFilterKeepsEachFindingsRecordsInOrder(t *testing.T) {
	h := kent()
	edit(h)
	s := snap(t, h)
	for name, keep := range map[string]func(Finding) bool{
		"all":    func(Finding) bool { return true },
		"none":   func(Finding) bool { return false },
		"first":  func(f Finding) bool { return f.ID == s.Findings[0].ID },
		"others": func(f Finding) bool { return f.ID != s.Findings[0].ID },
	} {
		got := s.Filter(keep)
		kept := map[ID]bool{}
		for _, f := range got.Findings {
			kept[f.ID] = true
		}
		var ms []Milestone
		for _, m := range s.Milestones {
			if kept[m.FindingID] {
				ms = append(ms, m)
			}
		}
		var us []Update
		for _, u := range s.Updates {
			if kept[u.FindingID] {
				us = append(us, u)
			}
		}
		var es []Evidence
		for _, e := range s.Evidence {
			if kept[e.FindingID] {
				es = append(es, e)
			}
		}
		if !reflect.DeepEqual(got.Milestones, ms) || !reflect.DeepEqual(got.Updates, us) || !reflect.DeepEqual(got.Evidence, es) {
			t.Errorf("%s: filtered milestones %v, updates %v, evidence %v; want %v, %v, %v",
				name, got.Milestones, got.Updates, got.Evidence, ms, us, es)
		}
		for _, f := range got.Findings {
			if !reflect.DeepEqual(got.UpdatesOf(f.ID), s.UpdatesOf(f.ID)) || !reflect.DeepEqual(got.MilestonesOf(f.ID), s.MilestonesOf(f.ID)) {
				t.Errorf("%s: %s's records differ after filtering", name, f.Ref)
			}
		}
	}
	if len(s.Updates) == 0 || len(s.Milestones) == 0 || len(s.Evidence) == 0 {
		t.Fatal("the test history has no updates, milestones or evidence to filter")
	}
}

// TestNarrowIsFilterInPlace checks that narrowing a snapshot in place
// leaves it as Filter would make it, for portfolios that keep every other
// finding, the first and last, and none, so that runs are moved down over
// runs left out at every place.
func TestNarrowIsFilterInPlace(t *testing.T) {
	h := kent()
	edit(h)
	base := snap(t, h)
	for name, keep := range map[string]func(Finding) bool{
		"all":         func(Finding) bool { return true },
		"none":        func(Finding) bool { return false },
		"every other": func(f Finding) bool { return f.ID%2 == 0 },
		"odd ones":    func(f Finding) bool { return f.ID%2 == 1 },
		"first":       func(f Finding) bool { return f.ID == base.Findings[0].ID },
		"last":        func(f Finding) bool { return f.ID == base.Findings[len(base.Findings)-1].ID },
		"no overdue":  func(f Finding) bool { return !Overdue(f, base.AsAt) },
	} {
		want := base.Filter(keep)
		got := snap(t, h)
		got.Narrow(keep)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: narrowed in place, the snapshot differs from the filtered one:\n got %d findings, %d milestones, %d updates, %d evidence\nwant %d, %d, %d, %d",
				name, len(got.Findings), len(got.Milestones), len(got.Updates), len(got.Evidence),
				len(want.Findings), len(want.Milestones), len(want.Updates), len(want.Evidence))
		}
		for _, f := range got.Findings {
			if !reflect.DeepEqual(got.MilestonesOf(f.ID), want.MilestonesOf(f.ID)) || !reflect.DeepEqual(got.UpdatesOf(f.ID), want.UpdatesOf(f.ID)) ||
				!reflect.DeepEqual(got.EvidenceOf(f.ID), want.EvidenceOf(f.ID)) {
				t.Errorf("%s: %s's records differ after narrowing", name, f.Ref)
			}
		}
	}
}
