//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly || windows)

package bolt

import "os"

// tryLock does nothing where the register's lock is not known.
func tryLock(*os.File) (busy bool, err error) { return false, nil }
