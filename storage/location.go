// Package storage is the one way into a register. It turns a location (the
// --db option, IMPROVEMENT_TRACKER_DB, the window's choice, either end of a
// copy) into an open store, and it is the only package that decides between
// a register file and a shared register on a server. The stores themselves
// are its sub-packages, each named by its technology: bolt (a file on this
// computer) and postgres (a database on the force's server).
package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
	"improvementtracker/storage/postgres"
)

// Location is a register's place: a file, or a shared register's address.
// It is made only by Locate, Parse and File, so that every caller has the
// same answer to "which register, and of which kind".
type Location struct {
	path string // the file's absolute path; empty for a server
	url  string // the server's address, password and all; empty for a file
}

// Locate decides which register to use: the value given (--db), then
// IMPROVEMENT_TRACKER_DB, then the default file in the app's data folder.
// getenv nil means os.Getenv.
func Locate(given string, getenv func(string) string) (Location, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	v := strings.TrimSpace(given)
	if v == "" {
		v = strings.TrimSpace(getenv(EnvDB))
	}
	if v == "" {
		p, err := DefaultPath()
		return Location{path: p}, err
	}
	return Parse(v)
}

// Parse reads a location given on its own, with no default behind it: an
// end of a copy, which must be named. A postgres:// or postgresql://
// address is a shared register; anything else is a file's path.
func Parse(given string) (Location, error) {
	v := strings.TrimSpace(given)
	if v == "" {
		return Location{}, errors.New("no register was named: give a register file's path, or a shared register's address postgres://…")
	}
	if postgres.IsURL(v) {
		return Location{url: v}, nil
	}
	return File(v)
}

// File is the location of a register file the user chose as a file (in a
// file dialog), so an odd name is never taken for a server's address.
func File(path string) (Location, error) {
	p, err := filePath(strings.TrimSpace(path))
	if err != nil {
		return Location{}, err
	}
	return Location{path: p}, nil
}

// Server reports whether the register is shared, on a PostgreSQL server.
func (l Location) Server() bool { return l.url != "" }

// Path is the register file's absolute path; empty for a shared register.
func (l Location) Path() string { return l.path }

// String is the location fit to show: the file's path, or the server's
// address without its password.
func (l Location) String() string {
	if l.Server() {
		return postgres.Redact(l.url)
	}
	return l.path
}

// Name names the register in a title bar before it is open.
func (l Location) Name() string {
	if l.Server() {
		return "Shared register"
	}
	return filepath.Base(l.path)
}

// Exists reports whether there is a register at the location to read. A
// server is taken to be there: opening it says if it is not.
func (l Location) Exists() bool {
	if l.Server() {
		return true
	}
	_, err := os.Stat(l.path)
	return err == nil
}

// FilesDir is the folder beside a register file where its attached files
// are kept; empty for a shared register, which keeps them on the server.
func (l Location) FilesDir() string {
	if l.Server() {
		return ""
	}
	return bolt.FilesDir(l.path)
}

// FileFor is the register file's path for what works on a file only (its
// backups, its restore); a shared register is refused in words saying what
// does the same for it.
func (l Location) FileFor(what string) (string, error) {
	if l.Server() {
		return "", errors.New(what + " works on a register file; a shared register on a PostgreSQL server is backed up, restored and checked by the server's own tools (for example pg_dump), which the force's IT runs")
	}
	return l.path, nil
}

// AddressFor is the shared register's address for what works on a server
// only (setting it up, giving logins their roles); a file is refused.
func (l Location) AddressFor(what string) (string, error) {
	if !l.Server() {
		return "", fmt.Errorf("%s works on a shared register on a PostgreSQL server: give the database's address with --db postgres://USER@HOST/DATABASE; a register file needs no setting up", what)
	}
	return l.url, nil
}

// Options are how a register is opened. Of them a shared register takes
// only the clock; the rest are about a file.
type Options struct {
	// Now is the clock of audit events, record times and backup names;
	// nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// NoBackup skips a file's daily backup (a copy, a dry run, tests).
	NoBackup bool
	// MustExist refuses a path with no register file instead of making
	// one: for commands that only read, where a mistyped path must not
	// quietly give an empty register. (A shared register is never made by
	// opening it.)
	MustExist bool
	// ReadOnly opens a file for reading only.
	ReadOnly bool
	// BackupInBackground makes a file's daily backup after the open
	// returns, once the store's StartBackup is called (the window, which
	// shows the register at once; a command that saves, which waits for
	// it before closing); the store's BackupDone says how it went. A
	// shared register has no daily backup and no StartBackup.
	BackupInBackground bool
	// Timeout is how long to wait for a file another window holds; 0 is
	// the file store's default.
	Timeout time.Duration
	// SnapshotIfHeld reads a file that another window holds for saving
	// from a copy of it as it was at one moment (bolt.OpenSnapshot),
	// rather than waiting for the window, which holds it until it closes:
	// for commands that only read. Its read-only notice says when.
	SnapshotIfHeld bool
}

// Open opens the register at l. A file is made when there is none (unless
// MustExist); a shared register must have been set up (server init). Its
// errors say in words which register and what went wrong.
func Open(ctx context.Context, l Location, o Options) (model.Store, error) {
	if l.Server() {
		s, err := OpenServer(ctx, l, "opening", o)
		if err != nil {
			return nil, err // not a nil *Store inside the interface
		}
		return s, nil
	}
	s, err := OpenFile(l, "opening", o)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// OpenFile opens a register file for what only a file has (its backups,
// the check of its pages); a shared register is refused as FileFor says.
func OpenFile(l Location, what string, o Options) (*bolt.Store, error) {
	path, err := l.FileFor(what)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("%w: a register file was opened with no path", model.ErrProgram)
	}
	bo := bolt.Options{Now: o.Now, NoBackup: o.NoBackup, MustExist: o.MustExist, ReadOnly: o.ReadOnly, Timeout: o.Timeout, BackupInBackground: o.BackupInBackground}
	if !o.SnapshotIfHeld {
		return bolt.Open(path, bo)
	}
	// A short wait still lets another command finish; a window never
	// lets go.
	if bo.Timeout == 0 {
		bo.Timeout = 200 * time.Millisecond
	}
	s, err := bolt.Open(path, bo)
	if errors.Is(err, model.ErrLocked) {
		return bolt.OpenSnapshot(path, bolt.Options{Now: o.Now})
	}
	return s, err
}

// OpenServer opens a shared register for what only a server has (the
// check of its rules against the database's own log); a file is refused as
// AddressFor says.
func OpenServer(ctx context.Context, l Location, what string, o Options) (*postgres.Store, error) {
	url, err := l.AddressFor(what)
	if err != nil {
		return nil, err
	}
	return postgres.Open(ctx, url, postgres.Options{Now: o.Now})
}

// OpenShared opens a shared register from the parts the window asks for
// (File → Open shared register…), the password apart from the address.
func OpenShared(ctx context.Context, a postgres.Address, password string, o Options) (model.Store, error) {
	s, err := postgres.OpenAddress(ctx, a, password, postgres.Options{Now: o.Now})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Notes are what went wrong on opening without stopping it: a register
// opened for reading only (and why), and warnings such as a daily backup
// that could not be written. A shared register has none.
func Notes(s model.Store) (readOnly string, warnings []string) {
	f, ok := s.(*bolt.Store)
	if !ok {
		return "", nil
	}
	if f.ReadOnly() {
		readOnly = f.ReadOnlyNotice()
	}
	return readOnly, f.Warnings()
}
