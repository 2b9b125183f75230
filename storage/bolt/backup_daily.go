package bolt

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// dailyBackup writes the day's backup unless one was made today (by Open or
// by hand). It returns the new backup's path, or "" when none was needed.
func (s *Store) dailyBackup() (string, error) {
	b, err := s.beginDailyBackup()
	if err != nil || b == nil {
		return "", err
	}
	return b.write()
}

// dayBackup is the day's backup, begun: the read transaction whose
// register it copies is open, so it holds the register as it was when
// begun, whatever is saved while it is written.
type dayBackup struct {
	s    *Store
	tx   *bolt.Tx
	name string
}

// beginDailyBackup begins the day's backup when it is due: the read
// transaction it copies is begun before it returns, so that a save made
// after it returns is not in the backup, which holds the register as it
// was before (the command line starts its backup, then saves). It returns
// nil when no backup is due, or when the register holds nothing yet (the
// first day of a new one is not worth a backup: the day's backup is made
// once it holds something). The transaction is the caller's to end, by
// write.
func (s *Store) beginDailyBackup() (*dayBackup, error) {
	now := s.now().Local()
	if !backupDue(s.path, now) {
		return nil, nil
	}
	b := &dayBackup{s: s, name: compressedName(backupName(s.path, kindDaily, now, 0))}
	err := s.guard(func() error {
		tx, err := s.db.Begin(false)
		if err != nil {
			return err
		}
		// Damage met below is a panic, turned into an error by guard:
		// the transaction is not left open, or Close would wait for it
		// for ever.
		kept := false
		defer func() {
			if !kept {
				_ = tx.Rollback()
			}
		}()
		if empty(tx) {
			return nil
		}
		b.tx, kept = tx, true
		return nil
	})
	if err != nil {
		return nil, s.dailyBackupError(err)
	}
	if b.tx == nil {
		return nil, nil
	}
	return b, nil
}

// write writes the backup begun, ends its transaction, then removes the
// backups no longer kept and the attached files nothing refers to any
// more. It may run on another goroutine than the one that began it, but
// on one at a time. It returns errStopped, having written nothing under a
// backup's name, when the register is being closed.
//
// While the transaction is open, a save that needs the file's memory map
// made larger (bbolt maps the file in steps that double, so rarely) waits
// for the backup to end, as bbolt's remapping waits for every open read
// transaction: the save is delayed, never lost, and cannot wait for ever,
// since the backup waits for no save while its transaction is open (the
// sweep of attached files, which does keep saves out, comes after it).
func (b *dayBackup) write() (string, error) {
	s := b.s
	err := s.guard(func() error {
		defer func() { _ = b.tx.Rollback() }()
		_, err := writeBackup(b.tx, b.name, s.stopping.Load)
		return err
	})
	if errors.Is(err, errStopped) {
		return "", err
	} else if err != nil {
		return "", s.dailyBackupError(err)
	}
	if err := rotate(s.path, KindDaily); err != nil {
		return b.name, err
	}
	return b.name, s.sweepFiles()
}

// dailyBackupError says, in words, that the day's backup was not made.
func (s *Store) dailyBackupError(err error) error {
	if errors.Is(err, errCopyFails) {
		// Made in the background, the day's backup is where damage a
		// page check on opening would have refused is found: the
		// advice is the damage's, not to make a backup by hand.
		return fmt.Errorf("the daily backup of %s was not made: %w. Save nothing more to it until it is put right: \"improvement-tracker check\" says what is damaged. %s", s.path, err, restoreAdvice(s.path))
	}
	return fmt.Errorf("the daily backup of %s could not be written to %s: %w. The register is open; make a backup by hand once this is put right", s.path, backupDir(s.path), err)
}

// StartBackup makes the day's backup, if it is due, in the background, for
// a register opened with BackupInBackground; BackupDone gives the result.
// The backup holds the register as it is when StartBackup is called: its
// read transaction is begun before StartBackup returns, so nothing saved
// after it is in the backup (beginDailyBackup). Only the first call does
// anything, and none after Close.
func (s *Store) StartBackup() {
	if s.backupDone == nil {
		return // opened for reading only: no backups
	}
	s.startOnce.Do(func() {
		b, err := s.beginDailyBackup()
		if err != nil || b == nil {
			s.backupDone <- err
			close(s.backupDone)
			return
		}
		s.backingUp.Add(1)
		go func() {
			defer s.backingUp.Done()
			_, err := b.write()
			if errors.Is(err, errStopped) {
				err = nil // closed first: the next open makes it
			}
			s.backupDone <- err
			close(s.backupDone)
		}()
	})
}
