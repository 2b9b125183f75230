package bolt_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// TestCompressedBackupDamage: a compressed backup with one byte changed,
// or cut short, fails its check, is never the clean backup offered, and
// is refused by restore even by force; the register is left as it was.
func TestCompressedBackupDamage(t *testing.T) {
	for name, spoil := range map[string]func([]byte) []byte{
		"byte flipped": func(b []byte) []byte { b[len(b)/2] ^= 0x40; return b },
		"cut short":    func(b []byte) []byte { return b[:len(b)*2/3] },
		"header gone":  func(b []byte) []byte { return b[8:] },
	} {
		t.Run(name, func(t *testing.T) {
			c := newClock()
			path := tempPath(t)
			s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
			if err != nil {
				t.Fatal(err)
			}
			seed(t, s)
			backup, err := s.Backup()
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			if !strings.HasSuffix(backup, ".db.zst") {
				t.Fatalf("backup %s is not compressed", backup)
			}
			if err := os.WriteFile(backup, spoil(fileBytes(t, backup)), 0o600); err != nil {
				t.Fatal(err)
			}
			groups, err := storage.CheckFile(backup)
			if err != nil || len(groups) == 0 {
				t.Fatalf("check of the spoilt backup: %v, %v; want it reported damaged", groups, err)
			}
			if b, ok := storage.NewestCleanBackup(path); ok {
				t.Errorf("the spoilt backup's register offers %s as clean", b.Path)
			}
			before := fileBytes(t, path)
			for _, force := range []bool{false, true} {
				err := storage.RestoreWith(path, backup, c.Now(), force)
				wantIs(t, err, model.ErrDamaged)
			}
			if string(fileBytes(t, path)) != string(before) {
				t.Fatal("a refused restore changed the register")
			}
			if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".copying-*.tmp")); len(left) > 0 {
				t.Errorf("the refused restore left %v", left)
			}
		})
	}
}

// TestRestorePlainBackup: a backup made by an earlier version, a plain
// copy of the register, is listed with its size and restored as before,
// beside the compressed ones, which are smaller than the register.
func TestRestorePlainBackup(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	base := seed(t, s)
	s.Close()
	plain := filepath.Join(filepath.Dir(path), "backups", "register-manual-2025-01-06-090000.db")
	if err := os.MkdirAll(filepath.Dir(plain), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plain, fileBytes(t, path), 0o600); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour)
	s, err = storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	all, err := storage.ListBackups(path)
	if err != nil || len(all) != 2 {
		t.Fatalf("backups %+v, %v: want the plain one and the day's", all, err)
	}
	reg := int64(len(fileBytes(t, path)))
	for _, b := range all {
		switch {
		case b.Size <= 0:
			t.Errorf("backup %s listed without its size", b.Path)
		case strings.HasSuffix(b.Path, ".zst") && b.Size*5 > reg*2:
			t.Errorf("compressed backup %s is %d bytes, the register %d: want at most 40%%", b.Path, b.Size, reg)
		}
	}
	if err := storage.Restore(path, plain, c.Now()); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustView(t, r, func(tx model.ReadTx) error {
		_, err := tx.FindingByRef(base.finding.Ref)
		return err
	})
}

// TestBackupInBackground: the day's backup made after Open has returned is
// whole and checks clean when BackupDone yields; a register closed while
// its backup is being made leaves no backup under a backup's name that
// fails its check, and the next open makes the day's backup.
func TestBackupInBackground(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()

	s, err = storage.Open(path, storage.Options{Now: c.Now, BackupInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	s.StartBackup()
	if err := <-s.BackupDone(); err != nil {
		t.Fatalf("the background backup: %v", err)
	}
	if _, open := <-s.BackupDone(); open {
		t.Error("BackupDone yielded twice")
	}
	s.Close()
	all, _ := storage.ListBackups(path)
	if len(all) != 1 {
		t.Fatalf("backups %+v, want the day's", all)
	}
	if groups, err := storage.CheckFile(all[0].Path); err != nil || len(groups) > 0 {
		t.Fatalf("the background backup checks %v, %v", groups, err)
	}

	// The next day, closed at once: whatever was written is whole.
	c.Advance(24 * time.Hour)
	s, err = storage.Open(path, storage.Options{Now: c.Now, BackupInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	s.StartBackup()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-s.BackupDone(); err != nil {
		t.Errorf("a backup given up on closing reports %v", err)
	}
	all, _ = storage.ListBackups(path)
	for _, b := range all {
		if groups, err := storage.CheckFile(b.Path); err != nil || len(groups) > 0 {
			t.Errorf("backup %s left by a close mid-backup checks %v, %v", b.Path, groups, err)
		}
	}
	s, err = storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if all, _ = storage.ListBackups(path); len(all) != 2 {
		t.Errorf("%d backups after the second day's open, want 2", len(all))
	}
}

// TestBackupInBackgroundFails: a day's backup that cannot be written (a
// file where the backups folder should be) opens the register all the
// same and yields the reason in words from BackupDone.
func TestBackupInBackgroundFails(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()
	if err := os.WriteFile(filepath.Join(filepath.Dir(path), "backups"), []byte("in the way"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err = storage.Open(path, storage.Options{Now: c.Now, BackupInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	s.StartBackup()
	defer s.Close()
	err = <-s.BackupDone()
	if err == nil || !strings.Contains(err.Error(), "daily backup") {
		t.Fatalf("BackupDone gave %v, want the daily backup's failure in words", err)
	}
}

// TestBackupNeverStarted: a register opened to make its backup in the
// background but closed before StartBackup makes none, and BackupDone is
// closed with nothing to say; StartBackup after Close does nothing.
func TestBackupNeverStarted(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()
	s, err = storage.Open(path, storage.Options{Now: c.Now, BackupInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.StartBackup()
	if err, open := <-s.BackupDone(); err != nil || open {
		t.Errorf("BackupDone gave %v (open %v), want it closed", err, open)
	}
	if all, _ := storage.ListBackups(path); len(all) != 0 {
		t.Errorf("backups %+v made though none was started", all)
	}
}
