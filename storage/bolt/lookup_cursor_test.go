package bolt

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestLookupCursorIsGet holds records.get on a kept cursor to bbolt's Get
// for keys asked in order, in reverse, at random, twice over, between
// entries, past both ends and on a nested section, over several pages.
func TestLookupCursorIsGet(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "r.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("s"))
		if err != nil {
			return err
		}
		for i := uint64(10); i < 3000; i += 3 {
			if err := b.Put(itob(i), bytes.Repeat([]byte{byte(i)}, int(i%50))); err != nil {
				return err
			}
		}
		_, err = b.CreateBucket(itob(1502))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var keys []uint64
	for i := uint64(0); i < 3100; i++ {
		keys = append(keys, i)
	}
	random := slices.Clone(keys)
	rnd.Shuffle(len(random), func(i, j int) { random[i], random[j] = random[j], random[i] })
	var twice []uint64
	for _, k := range keys {
		twice = append(twice, k, k)
	}
	var runs []uint64 // short runs in order from random starts, as a batch asks
	for range 400 {
		start := rnd.Uint64N(3100)
		for k := start; k < start+8; k++ {
			runs = append(runs, k)
		}
	}
	err = db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("s"))
		for name, order := range map[string][]uint64{"in order": keys, "at random": random, "each twice": twice, "in runs": runs, "in reverse": reversed(keys)} {
			r := &records{cursors: map[*bolt.Bucket]*lookupCursor{}}
			for _, k := range order {
				got, want := r.get(b, itob(k)), b.Get(itob(k))
				if !bytes.Equal(got, want) || (got == nil) != (want == nil) {
					t.Fatalf("%s: key %d: get gives %v, Get %v", name, k, got, want)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func reversed(s []uint64) []uint64 {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
