package model_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage"
)

// TestSnapshotOfARealRegister takes the Kent sample as it stood at the end
// of Q3 2025/26 from a real register file, makes every kind of edit after
// that date (through the store, so the audit trail is the store's own), and
// takes the same snapshot again: nothing in it may change.
func TestSnapshotOfARealRegister(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	s, err := storage.Open(filepath.Join(t.TempDir(), "register.db"), storage.Options{Now: func() time.Time { return now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	asAt := model.MustDate("31/12/2025")
	take := func() *model.Snapshot {
		var snap *model.Snapshot
		if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { snap, err = model.TakeSnapshot(tx, asAt); return }); err != nil {
			t.Fatal(err)
		}
		return snap
	}
	before := take()
	if len(before.Findings) == 0 || len(before.Milestones) == 0 || len(before.Updates) == 0 {
		t.Fatalf("the sample's snapshot is empty: %d findings", len(before.Findings))
	}

	now = now.AddDate(0, 0, 1)
	err = s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		for _, f := range before.Findings {
			cur, err := tx.Finding(f.ID)
			if err != nil {
				return err
			}
			cur.Title += " (renamed)"
			if !cur.CurrentTarget.IsZero() {
				to := cur.CurrentTarget.AddDays(60)
				cur.TargetRevisions = append(cur.TargetRevisions, model.Revision{From: cur.CurrentTarget, To: to, Reason: "Later slip", AgreedBy: "Board"})
				cur.CurrentTarget = to
			}
			if err := tx.SaveFinding(&cur); err != nil {
				return err
			}
			if err := tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(now), Narrative: "Later news",
				Status: model.InProgress, RAG: model.Red}); err != nil {
				return err
			}
		}
		ms, err := tx.Milestones(0)
		if err != nil {
			return err
		}
		for i, m := range ms {
			if i%2 == 0 {
				if err := tx.DeleteMilestone(m.ID); err != nil {
					return err
				}
				continue
			}
			m.Completed = model.DateOf(now)
			if err := tx.SaveMilestone(&m); err != nil {
				return err
			}
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		for _, p := range people {
			p.Name = "New " + p.Name
			if err := tx.SavePerson(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := take()
	for name, pair := range map[string][2]any{
		"findings":   {before.Findings, after.Findings},
		"milestones": {before.Milestones, after.Milestones},
		"updates":    {before.Updates, after.Updates},
		"evidence":   {before.Evidence, after.Evidence},
		"people":     {before.People, after.People},
		"reports":    {before.Reports, after.Reports},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("the %s as at %s changed after later edits", name, asAt)
			b, a := reflect.ValueOf(pair[0]), reflect.ValueOf(pair[1])
			if b.Kind() == reflect.Slice {
				for i := 0; i < min(b.Len(), a.Len()); i++ {
					if !reflect.DeepEqual(b.Index(i).Interface(), a.Index(i).Interface()) {
						t.Errorf("first difference, item %d:\nbefore %+v\nafter  %+v", i, b.Index(i).Interface(), a.Index(i).Interface())
						break
					}
				}
			}
		}
	}
	if !reflect.DeepEqual(before.Count(nil), after.Count(nil)) || !reflect.DeepEqual(before.OverdueFindings(), after.OverdueFindings()) {
		t.Error("the counts or the overdue list as at the date changed after later edits")
	}
}
