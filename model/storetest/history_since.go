package storetest

import (
	"reflect"
	"testing"
	"time"

	"improvementtracker/model"
)

// testHistorySince checks that what a snapshot reads of the audit trail
// (HistorySince, from the store or the rules layer's filtering) is exactly
// AuditSince with the events HistoryNeeds leaves out taken away and of the
// others what ForHistory keeps (create events without their changes, no
// event with its words): the sample (every kind of event), then
// changes of each kind a day later, cut before, between and after.
func testHistorySince(t *testing.T, s model.Store, c *Clock) {
	c.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local))
	if err := seed(s); err != nil {
		t.Fatal(err)
	}
	loaded := c.Now()
	c.Advance(24 * time.Hour)
	mustUpdate(t, s, func(tx model.Tx) error {
		f := must(tx.Findings())[0]
		f.Title += " (renamed)"
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		if err := tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(c.Now()), Narrative: "Later news",
			Status: model.InProgress, RAG: model.Red}); err != nil {
			return err
		}
		ms := must(tx.Milestones(0))
		if err := tx.DeleteMilestone(ms[0].ID); err != nil {
			return err
		}
		ms[1].Title += " (renamed)"
		if err := tx.SaveMilestone(&ms[1]); err != nil {
			return err
		}
		ev := must(tx.Evidence(0))
		if err := tx.DeleteEvidence(ev[0].ID); err != nil {
			return err
		}
		p := must(tx.People())[0]
		p.Name = "New " + p.Name
		return tx.SavePerson(&p)
	})
	mustView(t, s, func(tx model.ReadTx) error {
		hs, ok := tx.(model.HistorySincer)
		if !ok {
			t.Fatal("the store's read transaction has no HistorySince")
		}
		for _, cut := range []time.Time{{}, loaded.Add(-time.Hour), loaded, loaded.Add(time.Hour), c.Now()} {
			want := model.ForHistory(must(tx.(model.AuditSincer).AuditSince(cut)))
			got := must(hs.HistorySince(cut))
			if len(want) == 0 && cut.Before(loaded) {
				t.Fatalf("no events after %s to compare", cut)
			}
			if len(got) > 0 && !reflect.DeepEqual(got, want) || len(got) != len(want) {
				t.Errorf("history after %s: %d events, want %d", cut, len(got), len(want))
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("first difference, event %d:\n got %+v\nwant %+v", i, got[i], want[i])
						break
					}
				}
			}
		}
		return nil
	})
}
