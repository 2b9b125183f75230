package bolt_test

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// TestMigrateTimesAuditIndex checks that the upgrade to version 3 writes
// each event's time into the finding's history index, so that the events
// outside a span are passed over without being read.
func TestMigrateTimesAuditIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "register.db")
	if err := writeFile(path, fileBytes(t, v1Fixture)); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(path, storage.Options{Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC) // the fixture's one event
	mustView(t, s, func(tx model.ReadTx) error {
		ab := tx.(model.AuditBetweener)
		if got := must(ab.AuditBetween(1, at.Add(-time.Second), at)); len(got) != 1 || !got[0].At.Equal(at) {
			t.Errorf("the fixture's event is not found in its span: %+v", got)
		}
		if got := must(ab.AuditBetween(1, at, at.Add(time.Hour))); len(got) != 0 {
			t.Errorf("an event outside the span is listed: %+v", got)
		}
		return nil
	})
	s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		n := 0
		_ = tx.Bucket([]byte("audit_by_finding")).ForEach(func(k, v []byte) error {
			n++
			if len(v) != 12 {
				t.Errorf("index entry %x holds %d bytes, want the event's time (12)", k, len(v))
			}
			return nil
		})
		if n == 0 {
			t.Error("the upgraded file has no audit index entries")
		}
		return nil
	})
}
