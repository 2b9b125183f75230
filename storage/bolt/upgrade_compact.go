package bolt

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// compactAfterUpgrade writes the register again without the pages an
// upgrade has given up, when they are a quarter of it or more, and swaps
// the copy in under the lock, as a restore swaps in a backup. An upgrade
// writes sections afresh in one transaction, so their old pages stay in
// the file beside the new (the step to version 8 left the 10,000-finding
// synthetic register at 1,095 MB with 662 MB free); bbolt never gives
// pages back to the disk, and an upgraded register would stay larger than
// the same register made new. The copy kept before the upgrade is not
// touched.
//
// compacted is false when there was too little to gain. An error before
// the swap leaves the register upgraded and whole, only larger, and open;
// after the swap s.db is nil when the swapped-in file could not be opened.
func (s *Store) compactAfterUpgrade(timeout time.Duration) (compacted bool, err error) {
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".copying-*.tmp")
	if err != nil {
		return false, err
	}
	name := tmp.Name()
	_ = tmp.Close()
	defer os.Remove(name) // fails harmlessly once renamed
	err = s.guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			if !mostlyFree(tx) {
				return nil
			}
			compacted = true
			return compactTo(tx, name, nil)
		})
	})
	if err != nil || !compacted {
		return false, err
	}
	if err := verifyFile(name); err != nil {
		return false, fmt.Errorf("the compacted copy does not check clean (%v)", err)
	}
	if err := os.Chmod(name, 0o600); err != nil {
		return false, err
	}
	if swapReleasesLock {
		// Windows renames no file over one that is open.
		_ = s.db.Close()
	}
	renameErr := os.Rename(name, s.path)
	if !swapReleasesLock {
		// Another process waiting for the lock finds the file under the
		// register's name changed and opens the new one (openBolt).
		_ = s.db.Close()
	}
	s.db = nil
	db, _, err := openBolt(s.path, bolt.Options{Timeout: timeout})
	if err != nil {
		return false, err
	}
	db.AllocSize = growStep
	s.db = db
	return renameErr == nil, renameErr
}
