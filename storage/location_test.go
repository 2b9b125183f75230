package storage_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/bolt"
)

// TestLocateTellsAServerFromAFile checks the one decision between a file
// and a server: an address, however it is cased or spaced, and from the
// option or the environment, is a shared register and never a file named
// after it; a path that merely mentions postgres is a file; and no message
// or shown location carries the password.
func TestLocateTellsAServerFromAFile(t *testing.T) {
	none := func(string) string { return "" }
	for _, addr := range []string{"postgres://jo:s3cret@db.force.local/register", "POSTGRESQL://db/register", " postgres:///register?host=/run/pg&password=s3cret "} {
		for name, loc := range map[string]func() (storage.Location, error){
			"option":      func() (storage.Location, error) { return storage.Locate(addr, none) },
			"environment": func() (storage.Location, error) { return storage.Locate("", func(string) string { return addr }) },
			"copy end":    func() (storage.Location, error) { return storage.Parse(addr) },
		} {
			l, err := loc()
			if err != nil || !l.Server() || l.Path() != "" {
				t.Errorf("%s %q: server %v, path %q, %v", name, addr, l.Server(), l.Path(), err)
			}
			if strings.Contains(l.String(), "s3cret") || l.Name() != "Shared register" {
				t.Errorf("%s %q: shown as %q, named %q", name, addr, l.String(), l.Name())
			}
			if _, err := l.FileFor("backup"); err == nil || !strings.Contains(err.Error(), "backup works on a register file") {
				t.Errorf("%s %q: a file-only command was not refused: %v", name, addr, err)
			}
			if got, err := l.AddressFor("server init"); err != nil || got != strings.TrimSpace(addr) {
				t.Errorf("%s %q: address %q, %v", name, addr, got, err)
			}
		}
	}
	dir := t.TempDir()
	for _, p := range []string{"register.db", "postgres.db", filepath.Join(dir, "postgres", "register.db")} {
		l, err := storage.Parse(p)
		if err != nil || l.Server() || !filepath.IsAbs(l.Path()) || l.Name() != filepath.Base(p) {
			t.Errorf("%q: server %v, path %q, name %q, %v", p, l.Server(), l.Path(), l.Name(), err)
		}
		if _, err := l.AddressFor("server grant"); err == nil || !strings.Contains(err.Error(), "server grant works on a shared register") {
			t.Errorf("%q: a server-only command was not refused: %v", p, err)
		}
	}
	// A file chosen in a file dialog is a file, whatever its name.
	if l, err := storage.File(filepath.Join(dir, "postgres:")); err != nil || l.Server() {
		t.Errorf("a chosen file was taken for a server: %v, %v", l.Server(), err)
	}
	if _, err := storage.Parse("  "); err == nil || !strings.Contains(err.Error(), "no register was named") {
		t.Errorf("an empty copy end: %v", err)
	}
}

// TestOpenGoesWhereTheLocationSays opens a file through the one way in and
// checks it is the file store, with its options; a server that is not
// there is reported by address, without the password; and the file-only
// and server-only openers refuse the other kind in words.
func TestOpenGoesWhereTheLocationSays(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	loc, err := storage.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	if loc.Exists() {
		t.Fatal("a register that is not there exists")
	}
	if _, err := storage.Open(ctx, loc, storage.Options{MustExist: true, NoBackup: true}); err == nil {
		t.Fatal("MustExist made a register")
	}
	if _, statErr := os.Stat(path); statErr == nil {
		t.Fatal("a refused open left a file behind")
	}
	fixed := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s, err := storage.Open(ctx, loc, storage.Options{NoBackup: true, Now: func() time.Time { return fixed }})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.(*bolt.Store); !ok {
		t.Fatalf("a file opened as %T", s)
	}
	if ro, warnings := storage.Notes(s); ro != "" || len(warnings) > 0 {
		t.Errorf("a fresh file has notes: %q %q", ro, warnings)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if !loc.Exists() {
		t.Fatal("the register made is not there")
	}
	if _, err := storage.OpenServer(ctx, loc, "check", storage.Options{}); err == nil || !strings.Contains(err.Error(), "check works on a shared register") {
		t.Errorf("a file was opened as a server: %v", err)
	}

	// Port 1 on this computer: nothing answers, at once.
	srv, err := storage.Parse("postgres://jo:s3cret@127.0.0.1:1/register?sslmode=disable&connect_timeout=5")
	if err != nil {
		t.Fatal(err)
	}
	_, err = storage.Open(ctx, srv, storage.Options{})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Errorf("a server that is not there: %v", err)
	}
	if _, err := storage.OpenFile(srv, "backup", storage.Options{}); err == nil || !strings.Contains(err.Error(), "backup works on a register file") {
		t.Errorf("a server was opened as a file: %v", err)
	}
	var zero storage.Location
	if _, err := storage.OpenFile(zero, "opening", storage.Options{}); !errors.Is(err, model.ErrProgram) {
		t.Errorf("a location made by no one opened: %v", err)
	}
}
