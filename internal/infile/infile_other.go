//go:build !unix

package infile

import "os"

// openNoWait opens path for reading. Outside Unix a named pipe is not
// something a path on disk can be, so the ordinary open cannot block.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }

func plainSys(error) string { return "" }
