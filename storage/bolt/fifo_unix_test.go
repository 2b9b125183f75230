//go:build unix

package bolt_test

import (
	"path/filepath"
	"syscall"
	"testing"
)

// makeFIFO makes a named pipe in dir that nothing writes to.
func makeFIFO(t *testing.T, dir string) string {
	p := filepath.Join(dir, "pipe.db")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
