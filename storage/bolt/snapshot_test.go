package bolt

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/model"
)

// A save made while the register is being copied is seen, and the copy
// made again: what is read is one save's register, never pages of two.
// With a save during every copy, the read is refused in words.
func TestSnapshotRetriesWhenASaveMeetsTheCopy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "register.db")
	w, err := Open(path, Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	save := func(name string) {
		err := w.Update(context.Background(), model.Actor{Who: "window"}, func(tx model.Tx) error {
			s, err := tx.Settings()
			if err != nil {
				return err
			}
			s.ForceName, s.RefPrefix = name, "KEN"
			return tx.SaveSettings(s)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	save("Kent Police 0")
	t.Cleanup(func() { afterCopy = func() {} })

	copies := 0
	afterCopy = func() {
		copies++
		if copies <= 2 {
			save("Kent Police " + string(rune('0'+copies)))
		}
	}
	s, err := OpenSnapshot(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got model.Settings
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { got, err = tx.Settings(); return }); err != nil {
		t.Fatal(err)
	}
	if copies != 3 || got.ForceName != "Kent Police 2" {
		t.Errorf("%d copies, read %q; want 3 copies (two met a save) and the second save", copies, got.ForceName)
	}
	if !strings.Contains(s.ReadOnlyNotice(), "as it was at") || s.Path() != path {
		t.Errorf("the copy's notice %q, path %s", s.ReadOnlyNotice(), s.Path())
	}
	dir := s.snapshotDir
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, "*")); len(matches) > 0 || dir == "" {
		t.Errorf("the copy is left behind: %v", matches)
	}

	// A save during every copy.
	copies = 0
	afterCopy = func() { copies++; save("Kent Police busy") }
	_, err = OpenSnapshot(path, Options{})
	if !errors.Is(err, model.ErrLocked) || !strings.Contains(err.Error(), "saved to it each of the 12 times it was read; try again in a moment") {
		t.Errorf("a read meeting a save every time: %v", err)
	}
	if copies != snapshotTries {
		t.Errorf("%d copies, want %d", copies, snapshotTries)
	}
}
