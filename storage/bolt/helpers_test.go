package bolt_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
	storage "improvementtracker/storage/bolt"
)

// clock is the suite's clock, which tests move by hand.
type clock = storetest.Clock

func newClock() *clock { return storetest.NewClock(storetest.Start) }

// openNew opens a new register in a temporary folder. When the test ends
// the store is closed and bbolt's consistency check is run on the file.
func openNew(t *testing.T, c *clock) *storage.Store {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "register.db"), c.Now)
}

// openAt opens the register at path on the clock now, closing it and
// running bbolt's consistency check on the file when the test ends.
func openAt(t *testing.T, path string, now func() time.Time) *storage.Store {
	t.Helper()
	s, err := storage.Open(path, storage.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = s.Close() // a test may have closed it already
		checkFile(t, path)
	})
	return s
}

// checkFile runs bbolt's own consistency check on a closed register file.
func checkFile(t *testing.T, path string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Errorf("reopening %s for the consistency check: %v", path, err)
		return
	}
	defer db.Close()
	_ = db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("consistency check of %s: %v", filepath.Base(path), err)
		}
		return nil
	})
}

// seeded is a small register: settings, a PEEL report, two people and one
// AFI, as a starting point.
type seeded struct {
	report       model.Report
	acc, inspctr model.Person
	finding      model.Finding
}

func seed(t *testing.T, s model.Store) seeded {
	t.Helper()
	x := storetest.Seed(t, s)
	return seeded{report: x.Report, acc: x.ACC, inspctr: x.Jo, finding: x.Finding}
}

// mustView runs fn in a read transaction, failing the test on error.
func mustView(t *testing.T, s model.Store, fn func(tx model.ReadTx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// must drops the error of a read that the test has already made sure works.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fileBytes reads a whole file.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wantIs fails unless err wraps target.
func wantIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("got error %v, want one wrapping %q", err, target)
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }
