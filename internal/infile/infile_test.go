package infile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/internal/infile"
)

// TestRefusedWithoutReading gives Read what is not a regular file: each is
// refused in words naming what it is, without a byte read (a FIFO with no
// writer would block an ordinary open for ever; /dev/zero never ends).
func TestRefusedWithoutReading(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]struct {
		path string
		want string
	}{
		"folder":       {dir, "is a folder"},
		"missing":      {filepath.Join(dir, "nope.txt"), "there is no file there"},
		"/dev/zero":    {"/dev/zero", "is a device"},
		"/dev/urandom": {"/dev/urandom", "is a device"},
	}
	if fifo := makeFIFO(t, dir); fifo != "" {
		cases["fifo"] = struct{ path, want string }{fifo, "is a pipe"}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := os.Stat(c.path); err != nil && name != "missing" {
				t.Skip(err)
			}
			b, err := infile.Read(c.path, "the report", 1<<20)
			if err == nil {
				t.Fatalf("read %d bytes", len(b))
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %q, want it to say %q", err, c.want)
			}
		})
	}
}

func TestSizeCheckedFirst(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(p, make([]byte, 2048), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := infile.Read(p, "the report", 1024); err == nil || !strings.Contains(err.Error(), "larger than the report can be (1024 bytes at most)") {
		t.Errorf("got %v", err)
	}
	b, err := infile.Read(p, "the report", 4096)
	if err != nil || len(b) != 2048 {
		t.Errorf("got %d bytes, %v", len(b), err)
	}
}
