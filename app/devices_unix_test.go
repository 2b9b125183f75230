//go:build unix

package app

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// windowDevices maps the devices and a pipe the window must refuse to what
// its message must say.
func windowDevices(t *testing.T) map[string]string {
	out := map[string]string{}
	for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
		if _, err := os.Stat(dev); err == nil {
			out[dev] = "is a device, not a file"
		}
	}
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	out[fifo] = "is a pipe (a FIFO), not a file"
	return out
}
