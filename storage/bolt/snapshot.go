package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/bolt/pages"
)

// A command that only reads (list, summary, an export) can read a register
// that a window has open for saving. bbolt's read-only open takes a shared
// lock, which the window's lock refuses, so such a command reads a copy
// instead: the file is copied with no lock at all, and the copy is taken
// as the register at one moment only if no save was made while it was
// copied.
//
// Why that is enough: bbolt never writes over a page that the newest saved
// state uses. A save writes its new pages into free space, then writes
// its header page (the header names the state's pages and carries a
// checksum). The pages of the state a header names are freed by the next
// save and can be written over only by a save after that, once the next
// header is written. So if both header pages read the same, byte for byte,
// before the copy and after it (and in the copy), no header was written
// while the file was read, and every page the newest header names was
// copied as it was saved. Pages written meanwhile for a save not yet
// finished are free space to that header, and unread. The copy is then
// opened as any register is for reading, which checks every page of it.

// snapshotTries is how many copies are tried while the other window keeps
// saving, before the command gives up in words.
const snapshotTries = 12

// afterCopy runs after each copy is read and before the headers are read
// again: tests save there, to be sure a save made during a copy is seen.
var afterCopy = func() {}

// errBusy is the detail when every copy met a save.
var errBusy = errors.New("the other window saved to it each time it was read")

// OpenSnapshot opens, for reading only, a copy of the register at path as
// it was at one moment, for a command that reads while another window has
// the register open for saving. The copy lives in a private temporary
// folder and is removed by Close. Its ReadOnlyNotice says when it was read.
func OpenSnapshot(path string, opts Options) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot use %q as the register's location: %w", path, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("cannot open the register %s: %s", abs, plainOSError(err))
	}
	if err := notRegular(abs, info); err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	dir, err := os.MkdirTemp("", "improvement-tracker-read-")
	if err != nil {
		return nil, fmt.Errorf("cannot read the register %s while it is open in another window: no room for a copy to read (%s)", abs, plainOSError(err))
	}
	copyPath := filepath.Join(dir, filepath.Base(abs))
	at, err := copySteady(abs, copyPath, now)
	if err != nil {
		_ = os.RemoveAll(dir)
		if errors.Is(err, errBusy) {
			return nil, fmt.Errorf("cannot read %s: it is open in another Improvement Tracker window, which saved to it each of the %d times it was read; try again in a moment: %w",
				abs, snapshotTries, model.ErrLocked)
		}
		return nil, fmt.Errorf("cannot read the register %s while it is open in another window: %s", abs, plainOSError(err))
	}
	s, err := Open(copyPath, Options{Now: opts.Now, NoBackup: true, MustExist: true, ReadOnly: true})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("the register %s, open in another window, was copied to be read, but the copy could not be read: %w", abs, err)
	}
	s.path = abs
	s.files = fileStore{dir: filesDir(abs)} // the files stay where they are
	s.snapshotDir = dir
	s.snapshotAt = at
	return s, nil
}

// copySteady copies src to dst until a copy is made with no save during
// it, and returns when that copy was read.
func copySteady(src, dst string, now func() time.Time) (time.Time, error) {
	for try := range snapshotTries {
		if try > 0 {
			// A save takes a few milliseconds: leave a little more
			// room each time.
			time.Sleep(time.Duration(try) * 5 * time.Millisecond)
		}
		before, err := pages.HeaderBytes(src)
		if err != nil {
			continue // a header page half written: try again
		}
		at := now()
		if err := copyPlain(src, dst); err != nil {
			return time.Time{}, err
		}
		afterCopy()
		after, err1 := pages.HeaderBytes(src)
		copied, err2 := pages.HeaderBytes(dst)
		if err1 == nil && err2 == nil && bytes.Equal(before, after) && bytes.Equal(before, copied) {
			return at, nil
		}
	}
	return time.Time{}, errBusy
}

// copyPlain copies src over dst, readable by the user alone.
func copyPlain(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
