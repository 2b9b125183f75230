package model_test

import (
	"context"
	"testing"
	"time"

	"improvementtracker/internal/memstore"
	"improvementtracker/model"
	"improvementtracker/sample"
)

// Updates typed in out of date order (a back-dated one, two of one date)
// are a finding's in order of date, those of a date in the order they were
// recorded, and the last of them sets the finding's RAG and latest
// narrative: whether the snapshot lists the updates by date
// (Updates) or in the order they were recorded (UpdateHeads).
func TestSnapshotTakesUpdatesByDateThenRecorded(t *testing.T) {
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	s := memstore.New(func() time.Time { return clock })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	var f model.Finding
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for _, c := range fs {
			if c.Status == model.InProgress {
				f = c
				break
			}
		}
		for _, u := range []struct {
			date, narrative string
			rag             model.RAG
		}{
			{"10/11/2026", "first of the tenth", model.Green},
			{"01/11/2026", "back-dated", model.Amber},
			{"22/11/2026", "after the as-at date", model.Green},
			{"10/11/2026", "second of the tenth", model.Red},
		} {
			up := model.Update{FindingID: f.ID, Date: model.MustDate(u.date), Narrative: u.narrative, Status: model.InProgress, RAG: u.rag, Author: "test"}
			if err := tx.AppendUpdate(&up); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.ID == 0 {
		t.Fatal("the sample has no finding in progress")
	}
	asAt := model.MustDate("20/11/2026")
	for _, from := range []model.Date{{}, asAt.AddDays(1)} {
		var snap *model.Snapshot
		view(t, s, func(tx model.ReadTx) (err error) {
			snap, err = model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: from})
			return err
		})
		us := snap.UpdatesOf(f.ID)
		if len(us) < 3 {
			t.Fatalf("narratives from %s: %d updates, want at least the three dated by %s", from, len(us), asAt)
		}
		for i := 1; i < len(us); i++ {
			if us[i].Date.Before(us[i-1].Date) {
				t.Errorf("narratives from %s: update %d dated %s comes after one dated %s", from, us[i].ID, us[i].Date, us[i-1].Date)
			}
		}
		tail := us[len(us)-3:]
		for i, want := range []string{"01/11/2026", "10/11/2026", "10/11/2026"} {
			if tail[i].Date.String() != want {
				t.Errorf("narratives from %s: update %d of the last three is dated %s, want %s", from, i+1, tail[i].Date, want)
			}
		}
		if tail[1].ID > tail[2].ID {
			t.Errorf("narratives from %s: the updates of 10/11/2026 come as #%d then #%d, not in the order recorded", from, tail[1].ID, tail[2].ID)
		}
		got, _ := snap.Finding(f.ID)
		if got.RAG != model.Red {
			t.Errorf("narratives from %s: the finding is %s as at %s, want Red, from the last update of the latest date", from, got.RAG, asAt)
		}
		if r := snap.LatestReason(got); r != "second of the tenth" {
			t.Errorf("narratives from %s: latest narrative %q, want %q", from, r, "second of the tenth")
		}
	}
}
