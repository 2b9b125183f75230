package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage"
)

func TestAuditSince(t *testing.T) {
	now := time.Date(2025, 10, 1, 9, 0, 0, 0, time.UTC)
	s, err := storage.Open(filepath.Join(t.TempDir(), "r.db"), storage.Options{Now: func() time.Time { return now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// One person saved on each of five days.
	for i := range 5 {
		now = now.AddDate(0, 0, 1)
		if err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
			return tx.SavePerson(&model.Person{Name: "Person " + string(rune('A'+i))})
		}); err != nil {
			t.Fatal(err)
		}
	}
	cut := time.Date(2025, 10, 3, 12, 0, 0, 0, time.UTC) // after the 2nd save
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		since, ok := tx.(interface {
			AuditSince(time.Time) ([]model.AuditEvent, error)
		})
		if !ok {
			t.Fatal("the store's transaction has no AuditSince")
		}
		got, err := since.AuditSince(cut)
		if err != nil {
			return err
		}
		all, err := tx.Audit(0)
		if err != nil {
			return err
		}
		var want []model.AuditEvent
		for _, e := range all {
			if e.At.After(cut) {
				want = append(want, e)
			}
		}
		if len(got) != 3 || len(got) != len(want) {
			t.Fatalf("AuditSince gave %d events, want 3 (%d by filtering)", len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i].ID {
				t.Errorf("event %d is #%d, want #%d (oldest first)", i, got[i].ID, want[i].ID)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
