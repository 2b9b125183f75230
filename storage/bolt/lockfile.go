package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openBolt is bolt.Open, making sure that the file it locked is still the
// one at path. A restore swaps a new file in under the register's name; a
// process that opened the old file and was waiting for its lock would get
// it once the restore let go, and would write to a file that no longer has
// a name, its saves acknowledged and lost. So the locked file is compared
// with the one at path, and opened again if they differ, until timeout.
// It also returns the locked file's details as they were once the lock was
// held: a size read before could be out of date by then, since the process
// that had the lock may have grown the file.
func openBolt(path string, opts bolt.Options) (*bolt.DB, fs.FileInfo, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	deadline := time.Now().Add(opts.Timeout)
	for {
		var f *os.File
		opts.OpenFile = func(name string, flag int, mode os.FileMode) (*os.File, error) {
			file, err := os.OpenFile(name, flag, mode)
			f = file
			return file, err
		}
		db, err := bolt.Open(path, 0o600, &opts)
		if err != nil {
			return nil, nil, err
		}
		held, err := f.Stat()
		now, statErr := os.Stat(path)
		if err == nil && statErr == nil && os.SameFile(held, now) {
			return db, held, nil
		}
		_ = db.Close()
		if err == nil && statErr != nil && !errors.Is(statErr, fs.ErrNotExist) {
			return nil, nil, statErr
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil, nil, bolt.ErrTimeout
		}
		// bbolt waits for ever when told no time at all.
		opts.Timeout = max(left, 10*time.Millisecond)
	}
}

// notRegular refuses, in words, a register location that is not a regular
// file: a device such as /dev/zero or a pipe is not a register, and is
// never opened (a pipe would block the open for ever).
func notRegular(path string, info fs.FileInfo) error {
	m := info.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%s is a folder, not a register file", path)
	case m&fs.ModeNamedPipe != 0:
		return fmt.Errorf("%s is a pipe (a FIFO), not a register file: it was not opened. Give the path of the register file", path)
	case m&(fs.ModeDevice|fs.ModeCharDevice) != 0:
		return fmt.Errorf("%s is a device, not a register file: it was not opened. Give the path of the register file", path)
	default:
		return fmt.Errorf("%s is not an ordinary file, so it cannot be a register: it was not opened. Give the path of the register file", path)
	}
}

// unbornLimit is the largest file looked at for being a register that was
// never made: a new register is four pages, 16 KB on most computers and
// 64 KB on some.
const unbornLimit = 64 << 10

// unborn reports whether the file at path is a register that was begun but
// never came to be: one whose making was cut short by a full disk or a
// stopped computer, so that nothing was ever saved in it. Such a file is
// empty, or holds nothing but zero bytes, or is shorter than a new
// register's four pages with only the header pages of its making. (A 0-byte file
// is made again by the open itself; the others are refused in words.)
func unborn(path string, size int64) bool {
	if size == 0 {
		return true
	}
	if size > unbornLimit {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, unbornLimit+1))
	if err != nil {
		return false
	}
	if len(bytes.Trim(b, "\x00")) == 0 {
		return true
	}
	if int64(len(b)) >= 4*minPageSize {
		return false
	}
	// Shorter than a new register: unborn if its newest header page is
	// the one bbolt writes as it makes the file (transaction 1), before
	// the app's first save. A file with no header at all is not taken
	// for one: it may be anything.
	st, err := readMetas(path)
	return err == nil && st.newest >= 0 && st.txid[st.newest] <= 1
}

// minPageSize is the smallest page a register file is made with.
const minPageSize = 4096

// unbornError refuses a register that never came to be, in words that do
// not call it damaged: nothing was lost, because nothing was ever in it.
// An empty file with backups beside it may instead be a register that was
// emptied: the newest backup is offered.
func unbornError(path string, size int64) error {
	if backups, _ := ListBackups(path); len(backups) > 0 {
		offer := fmt.Sprintf("Backups of it are kept in %s", backupDir(path))
		if b, ok := newestCleanBackup(path); ok {
			offer = fmt.Sprintf("The newest backup that checks clean is %s, made %s: restore it with Restore backup in the app or \"improvement-tracker restore %s\"", filepath.Base(b.Path), b.Time.Local().Format("on 02/01/2006 at 15:04"), b.Path)
		}
		return fmt.Errorf("%s holds nothing that can be read (%d bytes, and no save in it), though the register there has backups. %s; or delete the file to start a new register", path, size, offer)
	}
	return fmt.Errorf("%s holds no register: it was begun (%d bytes) but never finished, so nothing was ever saved in it; the computer may have stopped, or the disk filled up, while it was being made. Delete it and open the register again to make a new one", path, size)
}

// missingFolders lists dir and those of its parents that do not exist,
// deepest first: the folders making a register there would create.
func missingFolders(dir string) []string {
	var out []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		out = append(out, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	return out
}

// unmade removes what an open that was making a new register created (the
// file, then any folders made for it, if still empty) after the making
// failed, and says so: a half-made file would otherwise be found next
// time, and a mistyped path would leave folders behind.
func unmade(path string, made []string, err error) error {
	left := "no file was left behind"
	if len(made) > 0 && made[len(made)-1] == path {
		_ = os.Remove(path)
		for _, d := range made[:len(made)-1] {
			_ = os.Remove(d) // fails, harmlessly, on a folder not empty
		}
	} else {
		// The empty file was there before: it stays as it was found,
		// to be made again next time.
		left = "the empty file is left as it was"
	}
	if p := diskProblem(err); p != "" {
		return fmt.Errorf("cannot make the register %s: %s. Nothing was saved and %s; free some space (or choose another place) and try again", path, p, left)
	}
	return fmt.Errorf("cannot make the register %s: %s. Nothing was saved and %s", path, plainOSError(err), left)
}

// lockForSwap takes the register's lock for saving without opening it as
// a database (a damaged file would make bbolt fail, or panic, before the
// lock was of use), waiting up to timeout for another process to let go.
// Like openBolt, it makes sure the file locked is the one at path. Closing
// the file lets go of the lock.
func lockForSwap(path string, timeout time.Duration) (*os.File, error) {
	deadline := time.Now().Add(timeout)
	for {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return nil, err
		}
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if !busy {
			held, err := f.Stat()
			now, statErr := os.Stat(path)
			if err == nil && statErr == nil && os.SameFile(held, now) {
				return f, nil
			}
		}
		f.Close()
		if time.Now().After(deadline) {
			return nil, bolt.ErrTimeout
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// hasBackups reports whether the register at path has any backups: an
// empty file with backups is not made again, in case it was emptied.
func hasBackups(path string) bool {
	backups, _ := ListBackups(path)
	return len(backups) > 0
}
