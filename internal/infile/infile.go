// Package infile reads the files a person names to the app (a report, a
// returned workbook, a file to attach as evidence) by one rule: only a
// regular file is read, its size is checked before a byte of it is read,
// and no more than the limit is ever read even if it grows meanwhile.
//
// A device such as /dev/zero never ends and a named pipe (FIFO) blocks
// until something writes to it, so reading either would fill the memory or
// hang the app for ever. They are told from files by what the operating
// system says they are, before they are opened for reading, and refused in
// words.
package infile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Check says, in words, why path cannot be read as a file of the kind
// named by what ("the report", "the return"), or returns its details when
// it is a regular file of at most limit bytes.
func Check(path, what string, limit int64) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, statError(path, what, err)
	}
	if err := kindError(path, what, info); err != nil {
		return nil, err
	}
	if info.Size() > limit {
		return nil, tooLarge(path, what, info.Size(), limit)
	}
	return info, nil
}

// Read returns the bytes of the regular file at path, refusing in words a
// folder, a device, a pipe or a file larger than limit bytes.
func Read(path, what string, limit int64) ([]byte, error) {
	f, err := Open(path, what, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, what, limit)
}

// ReadAll reads at most limit bytes from r, refusing a file that turns out
// longer (one that grew after it was checked).
func ReadAll(r io.Reader, path, what string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s %s: %s", what, filepath.Base(path), Plain(err))
	}
	if int64(len(b)) > limit {
		return nil, tooLarge(path, what, int64(len(b)), limit)
	}
	return b, nil
}

// Open opens the regular file at path for reading after the checks of
// Check. The file is opened without waiting (a pipe put in its place
// after the check does not block the open) and checked again once open,
// so what is read is the file that was checked.
func Open(path, what string, limit int64) (*os.File, error) {
	if _, err := Check(path, what, limit); err != nil {
		return nil, err
	}
	f, err := openNoWait(path)
	if err != nil {
		return nil, statError(path, what, err)
	}
	info, err := f.Stat()
	if err == nil {
		err = kindError(path, what, info)
		if err == nil && info.Size() > limit {
			err = tooLarge(path, what, info.Size(), limit)
		}
	} else {
		err = statError(path, what, err)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// kindError refuses anything but a regular file, naming what it is.
func kindError(path, what string, info fs.FileInfo) error {
	// Named in full: "zero is a device" says less than "/dev/zero is".
	name := path
	m := info.Mode()
	switch {
	case m.IsRegular():
		return nil
	case m.IsDir():
		return fmt.Errorf("%s is a folder, not %s: give the path of the file itself", path, article(what))
	case m&fs.ModeNamedPipe != 0:
		return fmt.Errorf("%s is a pipe (a FIFO), not a file: it was not read, since reading it would wait for ever for something to write to it. Save %s as a file and give that file", name, what)
	case m&fs.ModeSocket != 0:
		return fmt.Errorf("%s is a socket, not a file: it was not read. Save %s as a file and give that file", name, what)
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return fmt.Errorf("%s is a device, not a file: it was not read, since a device can give data without end. Save %s as a file and give that file", name, what)
	default:
		return fmt.Errorf("%s is not an ordinary file: it was not read. Save %s as a file and give that file", name, what)
	}
}

// article turns "the report" into "a report" for "is a folder, not a report".
func article(what string) string {
	if len(what) > 4 && what[:4] == "the " {
		return "a " + what[4:]
	}
	return what
}

func tooLarge(path, what string, size, limit int64) error {
	return fmt.Errorf("%s is %s, larger than %s can be (%s at most): it was not read", filepath.Base(path), Size(size), what, Size(limit))
}

// Size says a number of bytes the way a person reads it.
func Size(n int64) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

func statError(path, what string, err error) error {
	return fmt.Errorf("cannot read %s %s: %s", what, path, Plain(err))
}

// Plain says what went wrong with a file in words rather than in the
// operating system's, which name system calls and error numbers.
func Plain(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "there is no file there (check the name and the folder)"
	case errors.Is(err, fs.ErrPermission):
		return "you do not have permission to read it"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "it ended before it was read in full"
	}
	if p := plainSys(err); p != "" {
		return p
	}
	return "the computer could not read it"
}
