//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package bolt

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes the lock bbolt takes on the register for saving (flock,
// exclusive), without waiting; busy is set when another holds it.
func tryLock(f *os.File) (busy bool, err error) {
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err
}
