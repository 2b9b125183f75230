package bolt

import (
	"context"
	"errors"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// TestLostNarrativesSaid: from version 8 the narratives are kept in the
// index by date alone, so a file that has lost it is not opened as if it
// could be built again: opening for writing fails, naming an update whose
// narrative is gone, and a read-only check says the narratives are lost.
func TestLostNarrativesSaid(t *testing.T) {
	s := openFixtureAt(t, 7)
	path := s.path
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bucketNarrativesByDate) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(path, Options{NoBackup: true})
	if !errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), "progress update 01/04/2024 on KEN-PEEL2122-AFI-01 (record 1) is damaged: its narrative is missing from the index of progress narratives by date") {
		t.Errorf("opening for writing: %v", err)
	}
	ro, err := Open(path, Options{ReadOnly: true, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	problems, err := ro.Check()
	if err != nil {
		t.Fatal(err)
	}
	if all := strings.Join(problems, "\n"); !strings.Contains(all, "the narratives_by_date section is missing: it holds the progress narratives, which are lost with it") {
		t.Errorf("check says:\n%s", all)
	}
	err = ro.View(context.Background(), func(tx model.ReadTx) error {
		_, err := tx.Updates(1)
		return err
	})
	if !errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), "which the file no longer has") {
		t.Errorf("reading the updates: %v", err)
	}
}

// TestApartUpdateRoundTrip: updates of every kind of narrative, saved and
// changed through the store, read back as they were saved, by every
// reader; each is stored without its narrative.
func TestApartUpdateRoundTrip(t *testing.T) {
	s := openFixtureAt(t, 7)
	ctx := context.Background()
	narratives := []string{"plain", "Ünïcødé ✓ 😀", `"quoted" \\ back\slash`, "tab\tnew\nline",
		"<b>&amp;</b>\u2028", strings.Repeat("a long narrative ", 5000)}
	var saved []model.Update
	for i, n := range narratives {
		u := model.Update{FindingID: 1, Date: model.MustDate("01/10/2024").AddDays(i), Narrative: n, Status: model.InProgress, RAG: model.Green}
		if err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, u)
	}
	check := func() {
		t.Helper()
		err := s.View(ctx, func(tx model.ReadTx) error {
			us, err := tx.Updates(1)
			if err != nil {
				return err
			}
			byID := map[model.ID]model.Update{}
			for _, u := range us {
				byID[u.ID] = u
			}
			for _, want := range saved {
				got := byID[want.ID]
				if string(mustMarshal(t, got)) != string(mustMarshal(t, want)) {
					t.Errorf("update %d reads as %s, want %s", want.ID, mustMarshal(t, got), mustMarshal(t, want))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.db.View(func(tx *bolt.Tx) error {
			for _, u := range saved {
				k := itob(uint64(u.ID))
				payload, err := unseal(bucketUpdates, k, tx.Bucket(bucketUpdates).Get(k))
				if err != nil {
					return err
				}
				if !isApartUpdate(payload) {
					t.Errorf("update %d (narrative %.20q) stored with its narrative", u.ID, u.Narrative)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if problems, err := s.Check(); err != nil || len(problems) > 0 {
			t.Errorf("check: %v %v", problems, err)
		}
	}
	check()
	// A correction moves the update to another date: its narrative moves
	// with it.
	saved[2].Date, saved[2].Narrative = saved[2].Date.AddDays(40), "moved"
	if err := s.db.Update(func(tx *bolt.Tx) error {
		r := &records{s: s, tx: tx}
		return r.Put(model.KindUpdate, saved[2].ID, &saved[2])
	}); err != nil {
		t.Fatal(err)
	}
	check()
	var all []model.UpdateText
	if err := s.db.View(func(tx *bolt.Tx) error { return (&records{s: s, tx: tx}).LoadUpdateTexts(&all) }); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, u := range all {
		if string(u.Text) == "moved" || string(u.Text) == narratives[1] {
			found++
		}
	}
	if found != 2 {
		t.Errorf("the search's texts hold %d of the two narratives looked for", found)
	}
}

// TestSearchTextsSayDamage: the search's texts, read from the entries by
// date in one walk, fall back to reading the record when an update's entry
// is damaged, missing or under another date, so the damage is said rather
// than the narrative left out.
func TestSearchTextsSayDamage(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(b *bolt.Bucket, k []byte, v []byte) error
		want   string
	}{
		{"damaged", func(b *bolt.Bucket, k, v []byte) error {
			v = append([]byte(nil), v...)
			v[len(v)-1] ^= 1
			return b.Put(k, v)
		}, "fails its check"},
		{"missing", func(b *bolt.Bucket, k, v []byte) error { return b.Delete(k) }, "is missing from the index of progress narratives by date"},
		{"under another date", func(b *bolt.Bucket, k, v []byte) error {
			if err := b.Delete(k); err != nil {
				return err
			}
			date, id, _ := readByDateKey(k)
			other := byDateKey(model.Date{Year: int(date >> 9), Month: 1, Day: 1}, id)
			return b.Put(other, seal(bucketNarrativesByDate, other, v[envelopeSize:]))
		}, "is missing from the index of progress narratives by date"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openFixtureAt(t, 7)
			if err := s.db.Update(func(tx *bolt.Tx) error {
				b := tx.Bucket(bucketNarrativesByDate)
				k, v := b.Cursor().First()
				return c.change(b, append([]byte(nil), k...), append([]byte(nil), v...))
			}); err != nil {
				t.Fatal(err)
			}
			var all []model.UpdateText
			err := s.db.View(func(tx *bolt.Tx) error { return (&records{s: s, tx: tx}).LoadUpdateTexts(&all) })
			if !errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("reading the search texts: %v", err)
			}
		})
	}
}

// TestApartTextFastPath: the search reads an update kept apart without
// decoding it, and only when its entry is under the record's date.
func TestApartTextFastPath(t *testing.T) {
	u := model.Update{ID: 9, FindingID: 4, Date: model.MustDate("14/03/2026"), Narrative: "Done.", Status: model.InProgress, RAG: model.Green,
		Author: `Jo "finding_id":7 Bloggs`, Source: `"date":"2020-01-01"`}
	payload := apartUpdate(mustMarshal(t, u))
	if !isApartUpdate(payload) {
		t.Fatal("not stored apart")
	}
	got, ok := apartText(payload, datedText{date: dateBits(u.Date), text: []byte("Done.")})
	if !ok || got.FindingID != 4 || string(got.Text) != "Done." {
		t.Errorf("apartText = %+v %v", got, ok)
	}
	if _, ok := apartText(payload, datedText{date: dateBits(u.Date.AddDays(1)), text: []byte("Done.")}); ok {
		t.Error("an entry under another date was taken")
	}
	if _, ok := apartText(payload, datedText{}); ok {
		t.Error("no entry was taken")
	}
}
