//go:build windows

package bolt

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes the lock bbolt takes on the register for saving (the byte
// range at offset -1, exclusive), without waiting; busy is set when
// another holds it.
func tryLock(f *os.File) (busy bool, err error) {
	const m1 = ^uint32(0)
	err = windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY,
		0, 1, 0, &windows.Overlapped{Offset: m1, OffsetHigh: m1})
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return true, nil
	}
	return false, err
}
