//go:build unix

package infile

import (
	"errors"
	"os"
	"syscall"
)

// openNoWait opens path for reading without waiting for a writer: a pipe
// opened the ordinary way blocks until one comes. For a regular file, the
// only kind read past the check that follows, the flag changes nothing.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

func plainSys(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return ""
	}
	switch errno {
	case syscall.EISDIR:
		return "it is a folder"
	case syscall.EIO:
		return "the disk could not be read (it may be failing, or be a network drive that went away)"
	case syscall.ENAMETOOLONG:
		return "its name is too long"
	case syscall.ENOTDIR:
		return "a part of its path is a file, not a folder"
	case syscall.ELOOP:
		return "its path has shortcuts (links) that go round in a circle"
	}
	return ""
}
