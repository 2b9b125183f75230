package bolt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// Restore replaces the register at dbPath with the backup at backupPath.
// The backup is checked in full first (CheckFile): a backup with any
// problem is refused. The current file, damaged or not, is kept in the
// backups folder before the swap, so a restore can itself be undone. The
// swap is a rename, so the register is never half-written. The register
// must not be open.
func Restore(dbPath, backupPath string, now time.Time) error {
	return RestoreWith(dbPath, backupPath, now, false)
}

// RestoreWith is Restore; with force set it restores a backup that has
// problems (the best there is, when every backup is damaged) as long as
// it can be opened at all.
//
// The register is locked for writing from before the backup is checked
// until the restored file has been swapped in: a save made between the
// copy kept of the current file and the swap would be in neither, and so
// lost though it was acknowledged. A process that was waiting for the
// lock then finds a different file under the register's name and opens
// that (openBolt).
func RestoreWith(dbPath, backupPath string, now time.Time, force bool) error {
	dbPath, err := filepath.Abs(dbPath)
	if err != nil {
		return fmt.Errorf("cannot use %q as the register's location: %s", dbPath, plainOSError(err))
	}
	// Through a link, the file it points to is replaced, not the link.
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real
	}
	info, statErr := os.Stat(dbPath)
	var held *os.File
	if statErr == nil {
		if err := notRegular(dbPath, info); err != nil {
			return fmt.Errorf("cannot restore: %w", err)
		}
		held, err = lockForSwap(dbPath, DefaultTimeout)
		switch {
		case errors.Is(err, bolt.ErrTimeout):
			return fmt.Errorf("cannot restore: %w", lockedError(dbPath))
		case errors.Is(err, os.ErrPermission):
			return fmt.Errorf("cannot restore: you may not change the register %s; nothing was changed", dbPath)
		case err != nil:
			return fmt.Errorf("cannot restore: the register %s could not be opened (%s); nothing was changed", dbPath, plainOSError(err))
		}
	}
	release := func() {
		if held != nil {
			_ = held.Close()
			held = nil
		}
	}
	defer release()
	// The restored file is made whole beside the register, then renamed
	// over it, so a failure at any point leaves the register as it was. A
	// compressed backup is unpacked there first and checked unpacked.
	var tmp string
	if compressed(backupPath) {
		if tmp, err = unpackToTemp(backupPath, filepath.Dir(dbPath)); errors.Is(err, errBadPack) {
			return fmt.Errorf("cannot restore from %s: %w (%v). Choose a backup that checks clean", backupPath, model.ErrDamaged, err)
		} else if err != nil {
			return fmt.Errorf("cannot restore from %s: %s; the register was not changed", backupPath, plainOSError(err))
		}
		defer os.Remove(tmp) // fails harmlessly once renamed
		if err := checkBackupAs(tmp, backupPath, force); err != nil {
			return err
		}
	} else {
		if err := checkBackupAs(backupPath, backupPath, force); err != nil {
			return err
		}
		if tmp, err = copyToTemp(backupPath, filepath.Dir(dbPath)); err != nil {
			return fmt.Errorf("cannot restore from %s: %s; the register was not changed", backupPath, plainOSError(err))
		}
		defer os.Remove(tmp) // fails harmlessly once renamed
	}
	if err := checkBackupFiles(dbPath, backupPath, force); err != nil {
		return err
	}
	if statErr == nil {
		kept := uniqueName(backupName(dbPath, kindBeforeRestore, now, 0))
		if err := copyFile(dbPath, kept); err != nil {
			return fmt.Errorf("cannot restore: the current register could not be kept first (%s); nothing was changed", plainOSError(err))
		}
	}
	markRestored(dbPath, tmp)
	if swapReleasesLock {
		release()
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return fmt.Errorf("cannot restore from %s: %s; the register was not changed", backupPath, plainOSError(err))
	}
	return nil
}

// uniqueName is path, or, when a file has that name already (two restores
// in the same second), the first of path-2, path-3, … that is free, so
// that a copy kept never overwrites another.
func uniqueName(path string) string {
	ext := filepath.Ext(path)
	stem := strings.TrimSuffix(path, ext)
	name := path
	for n := 2; ; n++ {
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			return name
		}
		name = fmt.Sprintf("%s-%d%s", stem, n, ext)
	}
}

// markRestored raises the commit counter of the file about to be restored
// (tmp) above every backup's of the register at dbPath, so that a register
// put back on purpose is not taken for one rolled back behind the app's
// back. A file too damaged to take the write (restored by force) is left
// as it is.
func markRestored(dbPath, tmp string) {
	var top uint64
	all, _ := ListBackups(dbPath)
	for _, b := range all {
		if n, err := backupCommits(b.Path); err == nil {
			top = max(top, n)
		}
	}
	_ = guard(tmp, func() error {
		db, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: DefaultTimeout})
		if err != nil {
			return err
		}
		defer db.Close()
		return db.Update(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil || commits(tx) > top {
				return nil
			}
			return meta.Put(keyCommits, itob(top+1))
		})
	})
}

// checkBackupAs refuses a file that is not a register this version can
// open or, unless force is set, that has any problem CheckFile finds. It
// names the file as shown: the backup a person chose, where path is its
// unpacked copy.
func checkBackupAs(path, shown string, force bool) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot restore from %s: %s", shown, plainOSError(err))
	}
	if err := notRegular(path, info); err != nil {
		return fmt.Errorf("cannot restore from it: %w", err)
	}
	if info.Size() == 0 {
		return fmt.Errorf("cannot restore from %s: it is empty, so it holds no register", shown)
	}
	groups, err := CheckFile(path)
	if err != nil {
		return fmt.Errorf("cannot restore from %s: %w", shown, err)
	}
	if len(groups) == 0 {
		return nil
	}
	first := Flatten(groups)[0]
	if !force {
		return fmt.Errorf("cannot restore from %s: %w (%s). Choose a backup that checks clean; to restore this one all the same, give --force", shown, model.ErrDamaged, first)
	}
	// Even by force, the file must be one the app can open.
	if st, err := readMetas(path); err != nil || st.newest < 0 {
		return fmt.Errorf("cannot restore from %s: %w (%s)", shown, model.ErrDamaged, first)
	}
	if err := verifyFile(path); err != nil {
		return fmt.Errorf("cannot restore from %s: %w (%v)", shown, model.ErrDamaged, err)
	}
	return nil
}
