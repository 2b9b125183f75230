package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"log"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// The register's rules and what every store must do (round trips, the
// audit trail, references, links, transactions, concurrency) are checked
// by the contract suite, model/storetest, which contract_test.go runs on
// this store. The tests here are about the file.

// TestWriteCopy checks that "Save a copy" writes a register that opens and
// holds the data.
func TestWriteCopy(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	var buf strings.Builder
	if _, err := s.WriteCopy(&buf); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(copyPath, []byte(buf.String())); err != nil {
		t.Fatal(err)
	}
	cp, err := storage.Open(copyPath, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	mustView(t, cp, func(tx model.ReadTx) error {
		if f := must(tx.FindingByRef(base.finding.Ref)); f.Title != base.finding.Title {
			t.Errorf("copy holds %+v", f)
		}
		return nil
	})
}

// TestPanicInViewIsProgramError checks that a bug in a View callback on
// the file store (the callback runs with bbolt's transaction open) is
// reported as a program error, in those words, logged with its stack, and
// never as a damaged register file; and that the file is sound afterwards.
func TestPanicInViewIsProgramError(t *testing.T) {
	s := openNew(t, newClock())
	base := seed(t, s)
	var logged bytes.Buffer
	prev := log.Writer()
	log.SetOutput(&logged)
	defer log.SetOutput(prev)
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		_ = fs[len(fs)] // a bug: one past the end
		return nil
	})
	if !errors.Is(err, model.ErrProgram) || errors.Is(err, model.ErrDamaged) {
		t.Fatalf("got %v, want a program error and not damage", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "program error") || strings.Contains(msg, "damaged") || strings.Contains(msg, "backup") {
		t.Errorf("the message does not say it is a program error, or speaks of damage: %q", msg)
	}
	if l := logged.String(); !strings.Contains(l, "program error") || !strings.Contains(l, s.Path()) ||
		!strings.Contains(l, "index out of range") || !strings.Contains(l, "TestPanicInViewIsProgramError") {
		t.Errorf("the log does not name the file, the fault and where it was: %s", l)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("after the panic the file's check found %v %v", problems, err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		_, err := tx.FindingByRef(base.finding.Ref)
		return err
	})
}
