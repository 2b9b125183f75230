package bolt

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMigrationTo7 writes the indexes of a version 6 file again and
// changes nothing that any section holds.
func TestMigrationTo7(t *testing.T) {
	before, after := runMigration(t, 7)
	sameExcept(t, before, after)
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("the step to version 7 made a section %s", name)
		}
	}
}

// TestFillIndexPages: an index written one entry at a time out of key
// order, as a register written one change at a time writes its indexes,
// has its pages about half full; written again by the step to version 7
// they are nearly full, with the same entries and sequence.
func TestFillIndexPages(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "r.db"), 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// Each finding's events at the end of its own entries, findings in
	// turn at random: the pattern of audit_by_finding.
	rnd := rand.New(rand.NewPCG(1, 2))
	next := map[uint64]uint64{}
	for i := range 4000 {
		f := uint64(rnd.IntN(200)) + 1
		next[f]++
		if err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists(bucketAuditByFinding)
			if err != nil {
				return err
			}
			if err := b.SetSequence(uint64(i)); err != nil {
				return err
			}
			k := binary.BigEndian.AppendUint64(itob(f), next[f])
			return b.Put(k, auditTime(time.Unix(int64(i), 0)))
		}); err != nil {
			t.Fatal(err)
		}
	}
	fill := func() (float64, map[string]string, uint64) {
		var st bolt.BucketStats
		var seq uint64
		entries := map[string]string{}
		if err := db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketAuditByFinding)
			st, seq = b.Stats(), b.Sequence()
			return b.ForEach(func(k, v []byte) error { entries[string(k)] = string(v); return nil })
		}); err != nil {
			t.Fatal(err)
		}
		return float64(st.LeafInuse) / float64(st.LeafAlloc), entries, seq
	}
	was, before, seqBefore := fill()
	if err := db.Update(fillIndexPages); err != nil {
		t.Fatal(err)
	}
	now, after, seqAfter := fill()
	if was > 0.8 || now < 0.95 {
		t.Errorf("leaf pages %.0f%% full before the step, %.0f%% after: want at most 80%% before (else the test shows nothing) and at least 95%% after", 100*was, 100*now)
	}
	if len(after) != len(before) || seqAfter != seqBefore {
		t.Fatalf("%d entries (sequence %d) after, %d (%d) before", len(after), seqAfter, len(before), seqBefore)
	}
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("entry %x changed", k)
		}
	}
}

// TestFillIndexPagesRefusesNested: a section of an index holding a
// section of its own is no file the app wrote; the step says so rather
// than drop it.
func TestFillIndexPagesRefusesNested(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "r.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket(bucketUpdatesByFinding)
		if err != nil {
			return err
		}
		_, err = b.CreateBucket([]byte("odd"))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(fillIndexPages)
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("holds a section of its own")) {
		t.Fatalf("error %v, want one saying the index holds a section", err)
	}
}
