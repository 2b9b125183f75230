package bolt

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// The register's search reads every update's finding and narrative
// without copying the narratives: the same texts as the updates' own,
// escaped ones (quotes, line breaks, dashes) included.
func TestUpdateTextsAreTheNarratives(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, _ := sampleStore(t, &now)
	if err := s.Update(context.Background(), model.Actor{Who: "tester"}, func(tx model.Tx) error {
		f := must(tx.Findings())[0]
		return tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(now), Status: model.InProgress, RAG: model.Red,
			Narrative: "Said \"on track\" –\nthen\tslipped \\ again"})
	}); err != nil {
		t.Fatal(err)
	}
	err := s.ViewRecords(context.Background(), func(rec model.Records) error {
		var us []model.Update
		if err := rec.LoadAll(model.KindUpdate, 0, &us); err != nil {
			return err
		}
		var texts []model.UpdateText
		if err := rec.(model.UpdateTextLister).LoadUpdateTexts(&texts); err != nil {
			return err
		}
		if len(texts) != len(us) || len(us) < 10 {
			t.Fatalf("%d texts for %d updates", len(texts), len(us))
		}
		escaped := 0
		for i, u := range us {
			if texts[i].FindingID != u.FindingID || string(texts[i].Text) != u.Narrative {
				t.Errorf("update %d: %d %q, want %d %q", u.ID, texts[i].FindingID, texts[i].Text, u.FindingID, u.Narrative)
			}
			if strings.ContainsAny(u.Narrative, "\"\n–") {
				escaped++
			}
		}
		if escaped == 0 {
			t.Error("no narrative needed an escape or held a dash: nothing hard compared")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A history key is read without an allocation: a snapshot as at an
// earlier date reads tens of thousands of them, several times over.
func TestHistoryKeyReadsWithoutAllocating(t *testing.T) {
	k, err := historyKey(42, time.Date(2025, 11, 24, 9, 30, 0, 5, time.UTC), model.EntityFinding, model.ActionChange)
	if err != nil {
		t.Fatal(err)
	}
	var e historyEntry
	if n := testing.AllocsPerRun(100, func() { e, _ = readHistoryKey(k) }); n != 0 {
		t.Errorf("reading a history key allocates %v times", n)
	}
	if e.entity != model.EntityFinding || e.action != model.ActionChange || e.id != 42 {
		t.Errorf("the key reads as %+v", e)
	}
}

// A damaged progress update stops the register's search with the update
// named, never a search quietly without it.
func TestUpdateTextsFindDamage(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, path := sampleStore(t, &now)
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUpdates)
		k, v := b.Cursor().First()
		damaged := bytes.Clone(v)
		damaged[len(damaged)-2] ^= 4
		return b.Put(bytes.Clone(k), damaged)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = Open(path, Options{Now: func() time.Time { return now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.ViewRecords(context.Background(), func(rec model.Records) error {
		var texts []model.UpdateText
		return rec.(model.UpdateTextLister).LoadUpdateTexts(&texts)
	})
	if !errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), "(record 1) is damaged: its stored bytes no longer match their checksum") {
		t.Errorf("reading the texts of a register with a damaged update: %v", err)
	}
}
