package pages

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestSecondHeaderFoundAtEveryPageSize spoils the first header page of
// files made with each page size bbolt allows, and checks that both the
// header reader and the page verifier find the second header where that
// page size puts it, and so read the file as bbolt would.
func TestSecondHeaderFoundAtEveryPageSize(t *testing.T) {
	for _, ps := range []int{512, 1024, 2048, 4096, 8192, 16384, 32768, 65536} {
		path := filepath.Join(t.TempDir(), "r.db")
		db, err := bolt.Open(path, 0o600, &bolt.Options{PageSize: ps})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if err := db.Update(func(tx *bolt.Tx) error {
				b, err := tx.CreateBucketIfNotExists([]byte("records"))
				if err != nil {
					return err
				}
				return b.Put([]byte{byte(i)}, make([]byte, 100))
			}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		before, err := ReadHeaders(path)
		if err != nil || before.Problem != "" || before.Newest < 0 {
			t.Fatalf("page size %d: a sound file reads %+v, %v", ps, before, err)
		}
		// Spoil the first header's checksum.
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte{0xFF, 0xFF}, pageHeaderSize+56); err != nil {
			t.Fatal(err)
		}
		f.Close()
		h, err := ReadHeaders(path)
		if err != nil || h.Valid != [2]bool{false, true} || h.Newest != 1 || h.Problem == "" {
			t.Errorf("page size %d: with the first header spoilt: %+v, %v", ps, h, err)
		}
		// The first header held the newest save or the one before it:
		// either way the file is still whole at the second.
		if err := Verify(path); err != nil {
			t.Errorf("page size %d: the verifier did not find the second header: %v", ps, err)
		}
	}
}

// TestChildrenOutOfTheirRange swaps two children of a branch page: every
// page alone is sound, its keys in order and no page used twice, but the
// keys of the tree are no longer in order, which bbolt's own check finds
// and so must Verify, which stands in for it.
func TestChildrenOutOfTheirRange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := bolt.Open(path, 0o600, &bolt.Options{PageSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("records"))
		if err != nil {
			return err
		}
		for i := range 2000 {
			if err := b.Put([]byte(fmt.Sprintf("key %06d", i)), make([]byte, 40)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := Verify(path); err != nil {
		t.Fatalf("a sound file: %v", err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	swapped := false
	for id := 2; (id+1)*4096 <= len(raw) && !swapped; id++ {
		p := raw[id*4096 : (id+1)*4096]
		if binary.LittleEndian.Uint64(p) != uint64(id) || p[8] != branchPageFlag || binary.LittleEndian.Uint16(p[10:]) < 2 {
			continue
		}
		a, b := p[pageHeaderSize+8:pageHeaderSize+16], p[pageHeaderSize+elementSize+8:pageHeaderSize+elementSize+16]
		tmp := append([]byte(nil), a...)
		copy(a, b)
		copy(b, tmp)
		swapped = true
	}
	if !swapped {
		t.Fatal("no branch page to change")
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	err = Verify(path)
	if err == nil || !strings.Contains(err.Error(), "outside the range the page above it gives them") {
		t.Errorf("children swapped: Verify says %v", err)
	}
	// bbolt's own check agrees that the file is damaged.
	db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := 0
	_ = db.View(func(tx *bolt.Tx) error {
		for range tx.Check() {
			n++
		}
		return nil
	})
	if n == 0 {
		t.Error("bbolt's own check finds the swapped children sound: the test damages nothing")
	}
}

// TestVerifyFindsWhatBoltsCheckFinds damages a file of many pages in
// generated ways (bytes flipped anywhere in a page past the headers, a
// few at a time) and holds Verify to finding, in every damaged copy that
// bbolt's own check (tx.Check) calls damaged, something wrong too: the
// register's check runs Verify alone. Where Verify finds nothing, the
// file's offsets are safe for bbolt to follow, so its check is run only
// then.
func TestVerifyFindsWhatBoltsCheckFinds(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	db, err := bolt.Open(good, 0o600, &bolt.Options{PageSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for s := range 3 {
			b, err := tx.CreateBucket([]byte(fmt.Sprintf("section %d", s)))
			if err != nil {
				return err
			}
			for i := range 1500 {
				if err := b.Put([]byte(fmt.Sprintf("key %06d", i*(s+1))), make([]byte, 20+i%90)); err != nil {
					return err
				}
			}
			inner, err := b.CreateBucket([]byte("inner"))
			if err != nil {
				return err
			}
			if err := inner.Put([]byte("a"), []byte("b")); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Free some pages, so that the freelist has entries to damage too.
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("section 1"))
		for i := range 700 {
			if err := b.Delete([]byte(fmt.Sprintf("key %06d", i*2))); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	base, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(good); err != nil {
		t.Fatalf("the sound file: %v", err)
	}
	pages := len(base) / 4096
	rnd := rand.New(rand.NewPCG(7, 11))
	bad := filepath.Join(dir, "bad.db")
	verified, both := 0, 0
	for seed := range 400 {
		raw := bytes.Clone(base)
		page := 2 + rnd.IntN(pages-2)
		for range 1 + rnd.IntN(4) {
			// The page header and the element headers most of the time,
			// where a flip changes the structure; anywhere else now and then.
			at := rnd.IntN(4096)
			if rnd.IntN(4) > 0 {
				at = rnd.IntN(16 + 16*8)
			}
			raw[page*4096+at] ^= byte(1 + rnd.IntN(255))
		}
		if err := os.WriteFile(bad, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		if Verify(bad) != nil {
			verified++
			continue
		}
		db, err := bolt.Open(bad, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			continue // bbolt refuses it on opening: the register's open would too
		}
		var found []error
		_ = db.View(func(tx *bolt.Tx) error {
			for e := range tx.Check() {
				found = append(found, e)
			}
			return nil
		})
		db.Close()
		if len(found) > 0 {
			both++
			t.Errorf("seed %d, page %d: Verify finds nothing; bbolt's check finds %v", seed, page, found[0])
		}
	}
	t.Logf("%d of 400 damaged copies found by Verify; %d found by bbolt's check alone", verified, both)
	if verified < 100 {
		t.Errorf("only %d of 400 damaged copies were found damaged: the damage generated is too mild to prove anything", verified)
	}
}
