package bolt

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// sweepFiles removes from the folder of attached files those that neither
// the register nor any backup kept refers to: files of evidence deleted
// since the oldest backup that had it was removed, and files written for
// a save that never committed. It runs after the backups are rotated. A
// backup whose list cannot be read stops it with nothing removed: a file
// is never taken from a backup that may need it.
func (s *Store) sweepFiles() error {
	if s.readOnly {
		return nil
	}
	err := s.guard(func() error {
		// A write transaction, rolled back: it keeps saves out, so that
		// no file is written for a save still to commit while the folder
		// is swept.
		tx, err := s.db.Begin(true)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }()
		refs, listed, err := fileRefs(tx)
		if err != nil || !listed {
			return err
		}
		keep := map[string]bool{}
		for _, r := range refs {
			keep[r.SHA256] = true
		}
		backups, err := ListBackups(s.path)
		if err != nil {
			return err
		}
		for _, b := range backups {
			refs, _, err := backupFileRefs(b.Path)
			if err != nil {
				return fmt.Errorf("the backup %s cannot be read for the files it needs (%s)", b.Path, plainOSError(err))
			}
			for _, r := range refs {
				keep[r.SHA256] = true
			}
		}
		have, err := s.files.list()
		if err != nil {
			return err
		}
		for sum := range have {
			if keep[sum] {
				continue
			}
			if err := os.Remove(s.files.path(sum)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("attached files that nothing refers to any more were not removed from %s: %s", s.files.dir, strings.TrimPrefix(plainOSError(err), s.files.dir+": "))
	}
	return nil
}

// checkBackupFiles refuses, unless force is set, a backup that refers to
// attached files that are missing from (or changed in) the folder beside
// the register at dbPath: restored, its evidence would be without them.
func checkBackupFiles(dbPath, backupPath string, force bool) error {
	refs, _, err := backupFileRefs(backupPath)
	if err != nil {
		return fmt.Errorf("cannot restore from %s: its list of attached files cannot be read (%s). Choose a backup that checks clean", backupPath, plainOSError(err))
	}
	missing := missingFiles(fileStore{dir: filesDir(dbPath)}, refs)
	if len(missing) == 0 || force {
		return nil
	}
	more := ""
	if len(missing) > 1 {
		more = fmt.Sprintf(" (and %d more)", len(missing)-1)
	}
	return fmt.Errorf("cannot restore from %s: it needs attached files that are not there: %s%s. Put the folder %s back as it was, or choose another backup; to restore this one all the same (its evidence would be without those files), give --force",
		backupPath, missing[0], more, filesDir(dbPath))
}
