package bolt

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestCompactTo: the copy a backup is made by holds every section, entry,
// sequence and nested section of the file, and leaves out the pages the
// file has given up and the room in its half-full pages.
func TestCompactTo(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, "r.db"), 0o600, &bolt.Options{Timeout: time.Second, NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rnd := rand.New(rand.NewPCG(3, 4))
	value := make([]byte, 300)
	for i := range 3000 {
		if err := db.Update(func(tx *bolt.Tx) error {
			b, err := tx.CreateBucketIfNotExists([]byte("records"))
			if err != nil {
				return err
			}
			if _, err := b.NextSequence(); err != nil {
				return err
			}
			inner, err := b.CreateBucketIfNotExists([]byte("inner"))
			if err != nil {
				return err
			}
			if err := inner.Put(itob(uint64(i)), []byte("x")); err != nil {
				return err
			}
			k := itob(rnd.Uint64N(1 << 40))
			if i%3 == 0 {
				// Given up again: free pages in the file.
				c := b.Cursor()
				if k, _ := c.Seek(k); k != nil && len(k) == 8 {
					return b.Delete(k)
				}
			}
			return b.Put(k, value)
		}); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(out, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx *bolt.Tx) error { return compactTo(tx, out, nil) }); err != nil {
		t.Fatal(err)
	}
	cp, err := bolt.Open(out, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	want, got := dump(t, db), dump(t, cp)
	sameExcept(t, want, got)
	if len(got) != len(want) {
		t.Errorf("%d sections in the copy, %d in the file", len(got), len(want))
	}
	seqs := func(db *bolt.DB) (outer, inner uint64, n int) {
		_ = db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte("records"))
			ib := b.Bucket([]byte("inner"))
			outer, inner, n = b.Sequence(), ib.Sequence(), ib.Stats().KeyN
			return nil
		})
		return
	}
	wo, wi, wn := seqs(db)
	if o, i, n := seqs(cp); o != wo || i != wi || n != wn || n != 3000 {
		t.Errorf("copy: sequences %d/%d and %d nested entries; file: %d/%d and %d", o, i, n, wo, wi, wn)
	}
	var fileSize, copySize int64
	_ = db.View(func(tx *bolt.Tx) error { fileSize = tx.Size(); return nil })
	_ = cp.View(func(tx *bolt.Tx) error { copySize = tx.Size(); return nil })
	if copySize*10 > fileSize*7 {
		t.Errorf("the copy uses %d bytes of pages, the file %d: want the copy under 70%%", copySize, fileSize)
	}
	if err := cp.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			return err
		}
		return nil
	}); err != nil {
		t.Errorf("the copy fails bbolt's check: %v", err)
	}
}

// TestBackupCompactsWhenMostlyFree: a register a quarter or more of which
// is pages given up is backed up compacted; one without is copied as it
// is (quicker, and compressed nearly as small).
func TestBackupCompactsWhenMostlyFree(t *testing.T) {
	for _, junk := range []bool{false, true} {
		path := filepath.Join(t.TempDir(), "register.db")
		s, err := Open(path, Options{NoBackup: true, Now: func() time.Time { return fixtureTime }})
		if err != nil {
			t.Fatal(err)
		}
		if junk {
			value := make([]byte, 1000)
			if err := s.db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucket([]byte("scratch"))
				for i := range 2000 {
					if err == nil {
						err = b.Put(itob(uint64(i)), value)
					}
				}
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if err := s.db.Update(func(tx *bolt.Tx) error { return tx.DeleteBucket([]byte("scratch")) }); err != nil {
				t.Fatal(err)
			}
		}
		var size int64
		_ = s.db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
		backup, err := s.Backup()
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		plain, done, err := unpacked(backup)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(plain)
		done()
		if err != nil {
			t.Fatal(err)
		}
		if compacted := info.Size()*4 < size*3; compacted != junk {
			t.Errorf("register of %d bytes (pages given up: %v) backed up as %d bytes: compacted %v, want %v", size, junk, info.Size(), compacted, junk)
		}
	}
}
