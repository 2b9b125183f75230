package bolt_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
	"improvementtracker/testkit/synthetic"
)

// goodFile makes a register with enough records to span many pages, closes
// it and returns its path and bytes.
func goodFile(t *testing.T) (string, []byte) {
	t.Helper()
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := synthetic.Generate(s, synthetic.Size{Findings: 40, Milestones: 120, Updates: 400, Evidence: 80}); err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		return tx.AddEvidence(&model.Evidence{FindingID: 1, Title: "Attached", EffectiveDate: model.MustDate("01/01/2025"), FileName: "a.txt"},
			[]byte(strings.Repeat("attached evidence ", 500)))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	return path, fileBytes(t, path)
}

// useAll opens a register and reads and writes everything it can, returning
// the first error. A damaged file must give an error, never a panic.
func useAll(path string) error {
	s, err := storage.Open(path, storage.Options{NoBackup: true, Now: newClock().Now})
	if err != nil {
		return err
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		if _, err := tx.Settings(); err != nil {
			return err
		}
		if _, err := tx.Reports(); err != nil {
			return err
		}
		if _, err := tx.People(); err != nil {
			return err
		}
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for _, f := range fs {
			if _, err := tx.FindingByRef(f.Ref); err != nil {
				return err
			}
			if _, err := tx.Updates(f.ID); err != nil {
				return err
			}
			if _, err := tx.Milestones(f.ID); err != nil {
				return err
			}
		}
		es, err := tx.Evidence(0)
		if err != nil {
			return err
		}
		for _, e := range es {
			if e.HasFile() {
				if _, err := tx.EvidenceFile(e.ID); err != nil {
					return err
				}
			}
		}
		_, err = tx.Audit(0)
		return err
	})
	if err != nil {
		return err
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		// The check found what the reads did not: that is damage
		// reported, in words.
		return fmt.Errorf("%w: %s %v", model.ErrDamaged, strings.Join(problems, "; "), err)
	}
	return s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: 1, Date: model.MustDate("01/01/2026"), Narrative: "after damage", Status: model.InProgress})
	})
}

// wantDamaged checks the message of a damaged file: it wraps ErrDamaged and
// names the file.
func wantDamaged(t *testing.T, path string, err error) {
	t.Helper()
	if !errors.Is(err, model.ErrDamaged) {
		t.Fatalf("got %v, want an error wrapping ErrDamaged", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("the message does not name the file: %v", err)
	}
}

func TestDamageNotARegister(t *testing.T) {
	t.Run("text file", func(t *testing.T) {
		path := tempPath(t)
		if err := writeFile(path, []byte(strings.Repeat("Ref,Title\nKEN-1,Something\n", 400))); err != nil {
			t.Fatal(err)
		}
		_, err := storage.Open(path, storage.Options{})
		wantDamaged(t, path, err)
	})
	t.Run("another program's bbolt file", func(t *testing.T) {
		path := tempPath(t)
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		_ = db.Update(func(tx *bolt.Tx) error {
			b, _ := tx.CreateBucket([]byte("widgets"))
			return b.Put([]byte("a"), []byte("b"))
		})
		db.Close()
		before := fileBytes(t, path)
		_, err = storage.Open(path, storage.Options{})
		wantDamaged(t, path, err)
		if !strings.Contains(err.Error(), "another program") {
			t.Errorf("message: %v", err)
		}
		if string(fileBytes(t, path)) != string(before) {
			t.Error("another program's file was changed")
		}
	})
}

// TestDamageTruncated cuts a register short at points within its used
// pages. (bbolt grows a file ahead of need, so cutting unused space off the
// end harms nothing and is rightly not reported.)
func TestDamageTruncated(t *testing.T) {
	path, good := goodFile(t)
	used := usedSize(t, path)
	// (Cut to nothing, it is a register that never came to be: see
	// TestUnbornRegister.)
	for _, cut := range []int{used - 1, used - 4096, used / 2, 3 * 4096, 4096, 100} {
		path := tempPath(t)
		if err := writeFile(path, good[:cut]); err != nil {
			t.Fatal(err)
		}
		err := useAll(path)
		wantDamaged(t, path, err)
	}
}

// TestDamageByteFlips damages copies of a register with random byte flips.
// Heavy damage (64 flips) must always be reported. A single flipped byte
// may land where it changes nothing a reader can see (unused space, a
// letter in a narrative), so there the test demands only what matters: no
// panic, and any error is reported as damage.
func TestDamageByteFlips(t *testing.T) {
	_, good := goodFile(t)
	dir := t.TempDir()
	for _, c := range []struct {
		name       string
		seeds      int
		flips      int
		mustDetect bool
	}{
		{"single byte", 40, 1, false},
		{"heavy", 30, 64, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			detected := 0
			for seed := range c.seeds {
				rnd := rand.New(rand.NewPCG(uint64(seed), 99))
				bad := append([]byte(nil), good...)
				for range c.flips {
					i := rnd.IntN(len(bad))
					bad[i] ^= byte(1 + rnd.IntN(255))
				}
				path := filepath.Join(dir, "flipped.db")
				_ = os.RemoveAll(filepath.Join(dir, "backups"))
				if err := writeFile(path, bad); err != nil {
					t.Fatal(err)
				}
				err := useAll(path)
				switch {
				case err == nil:
					if c.mustDetect {
						t.Errorf("seed %d: %d flipped bytes went unnoticed", seed, c.flips)
					}
				case errors.Is(err, model.ErrDamaged), errors.Is(err, model.ErrDigestMismatch),
					errors.Is(err, model.ErrNewerVersion), errors.Is(err, model.ErrNotFound), model.AsValidation(err) != nil:
					// A flip in the version number reads as a newer
					// version; one in an index key makes a lookup find
					// nothing; one in a stored record can make it fail
					// validation on the write. All are refusals in words.
					detected++
				default:
					t.Errorf("seed %d: error not reported as damage: %v", seed, err)
				}
			}
			t.Logf("%s: %d of %d damaged copies reported", c.name, detected, c.seeds)
		})
	}
}

// TestDamageNamesBackups checks that the message says where the backups are
// and which is newest, and that a damaged file is not backed up.
func TestDamageNamesBackups(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	for range 3 {
		s, err := storage.Open(path, storage.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		seedOnce(t, s)
		s.Close()
		c.Advance(24 * time.Hour)
	}
	good := fileBytes(t, path)
	if err := writeFile(path, good[:len(good)/2]); err != nil {
		t.Fatal(err)
	}
	before, _ := storage.ListBackups(path)
	_, err := storage.Open(path, storage.Options{Now: c.Now})
	wantDamaged(t, path, err)
	newest := filepath.Base(before[0].Path)
	if !strings.Contains(err.Error(), "The newest backup that checks clean is "+newest+" in "+filepath.Join(filepath.Dir(path), "backups")) {
		t.Errorf("the message does not point to the backups (newest %s): %v", newest, err)
	}
	if after, _ := storage.ListBackups(path); len(after) != len(before) {
		t.Errorf("a damaged file was backed up: %d backups before, %d after", len(before), len(after))
	}
}

// seedOnce seeds a register the first time it is called on it.
func seedOnce(t *testing.T, s model.Store) {
	t.Helper()
	var n int
	mustView(t, s, func(tx model.ReadTx) error {
		n = len(must(tx.Reports()))
		return nil
	})
	if n == 0 {
		seed(t, s)
	}
}

// usedSize is how much of a register file its pages use: bbolt's high-water
// mark.
func usedSize(t *testing.T, path string) int {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int64
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return int(n)
}
