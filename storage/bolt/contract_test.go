package bolt_test

import (
	"path/filepath"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
	storage "improvementtracker/storage/bolt"
)

// TestContract runs the register's contract on the bbolt store: a new file
// in a temporary folder for each check, with bbolt's consistency check on
// the file when the check ends.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) model.Store {
		return openAt(t, filepath.Join(t.TempDir(), "register.db"), now)
	})
}

// TestRoundTripAfterReopen checks that every kind of record reads back
// the same from the file after it is closed and opened again.
func TestRoundTripAfterReopen(t *testing.T) {
	c := storetest.NewClock(storetest.Start)
	s := openNew(t, c)
	check := storetest.WriteOneOfEach(t, s, c)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check(t, r)
}
