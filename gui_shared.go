package main

import (
	"context"
	"path/filepath"
	"time"

	"improvementtracker/app"
	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/postgres"
)

// openTimeout is how long the window waits for a shared register's server
// at start-up before it says the server did not answer.
const openTimeout = 45 * time.Second

// openLocation opens the register the window starts with: a file, or a
// shared register when loc is a postgres:// address (from --db or
// IMPROVEMENT_TRACKER_DB).
func openLocation(loc string) (model.Store, error) {
	if postgres.IsURL(loc) {
		ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
		defer cancel()
		s, err := postgres.Open(ctx, loc, postgres.Options{})
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	// The day's backup is made once the window is up (showOpenNotes
	// says if it fails), so the first open of a day is not slower.
	s, err := storage.Open(loc, storage.Options{BackupInBackground: true})
	if err != nil {
		return nil, err // not a nil *Store inside the interface
	}
	return s, nil
}

// shownLocation is a register's location fit to show: a shared register's
// address without its password.
func shownLocation(loc string) string {
	if postgres.IsURL(loc) {
		return postgres.Redact(loc)
	}
	return loc
}

// locationName names a register for the title bar before it is open.
func locationName(loc string) string {
	if postgres.IsURL(loc) {
		return "Shared register"
	}
	return filepath.Base(loc)
}

// openShared opens a shared register for File → Open shared register….
func openShared(ctx context.Context, a app.SharedAddress, password string) (model.Store, error) {
	s, err := postgres.OpenAddress(ctx, postgres.Address{Server: a.Server, Database: a.Database, User: a.User}, password, postgres.Options{})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// newRegisterFile makes the new register file that File → Save a copy… of
// a shared register copies into. It is a copy, not the register in use,
// so it takes no daily backup.
func newRegisterFile(path string) (model.Store, error) {
	s, err := storage.Open(path, storage.Options{NoBackup: true})
	if err != nil {
		return nil, err
	}
	return s, nil
}
