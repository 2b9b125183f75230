package storage_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	"improvementtracker/storage"
)

type auditBetweener interface {
	AuditBetween(findingID model.ID, after, until time.Time) ([]model.AuditEvent, error)
}

// TestAuditBetween checks that a span of a finding's history is what
// filtering the whole history by time gives, for spans that take in none,
// some and all of its events.
func TestAuditBetween(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	sd := seed(t, s)
	start := c.Now()
	for _, st := range []model.Status{model.InProgress, model.CompletePending} {
		c.Advance(24 * time.Hour)
		rag := model.Green
		if st.InClosure() {
			rag = model.Blue // Blue means complete
		}
		u := model.Update{FindingID: sd.finding.ID, Date: model.DateOf(c.Now()), Narrative: "Moved on.", Status: st, RAG: rag}
		if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
			t.Fatal(err)
		}
	}
	c.Advance(24 * time.Hour)
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		f, err := tx.Finding(sd.finding.ID)
		if err != nil {
			return err
		}
		f.GovernanceBoard = "Chief Officer Group"
		return tx.SaveFinding(&f)
	}); err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		ab, ok := tx.(auditBetweener)
		if !ok {
			t.Fatal("the store's transaction has no AuditBetween")
		}
		all := must(tx.Audit(sd.finding.ID))
		if len(all) < 4 {
			t.Fatalf("the finding's history has %d events, want at least 4", len(all))
		}
		for _, span := range [][2]time.Time{
			{start.Add(-time.Hour), c.Now()},
			{start, c.Now()},
			{start, start.Add(36 * time.Hour)},
			{start.Add(36 * time.Hour), c.Now().Add(-time.Hour)},
			{c.Now(), c.Now().Add(time.Hour)},
		} {
			var want []model.ID
			for _, e := range all {
				if e.At.After(span[0]) && !e.At.After(span[1]) {
					want = append(want, e.ID)
				}
			}
			var got []model.ID
			for _, e := range must(ab.AuditBetween(sd.finding.ID, span[0], span[1])) {
				got = append(got, e.ID)
			}
			if len(got) != len(want) {
				t.Errorf("events after %s and by %s: got %v, want %v", span[0], span[1], got, want)
				continue
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("events after %s and by %s: got %v, want %v", span[0], span[1], got, want)
					break
				}
			}
		}
		return nil
	})
}

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
		ab := tx.(auditBetweener)
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
