package main

import (
	"context"
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
// shared register (from --db or IMPROVEMENT_TRACKER_DB), whose server is
// given openTimeout to answer.
func openLocation(loc storage.Location) (model.Store, error) {
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	// The day's backup of a file is made once the window is up
	// (showOpenNotes says if it fails), so the first open of a day is
	// not slower.
	return storage.Open(ctx, loc, storage.Options{BackupInBackground: true})
}

// openShared opens a shared register for File → Open shared register….
func openShared(ctx context.Context, a app.SharedAddress, password string) (model.Store, error) {
	return storage.OpenShared(ctx, postgres.Address{Server: a.Server, Database: a.Database, User: a.User}, password, storage.Options{})
}

// newRegisterFile makes the new register file that File → Save a copy… of
// a shared register copies into. It is a copy, not the register in use,
// so it takes no daily backup.
func newRegisterFile(path string) (model.Store, error) {
	loc, err := storage.File(path)
	if err != nil {
		return nil, err
	}
	return storage.Open(context.Background(), loc, storage.Options{NoBackup: true})
}
