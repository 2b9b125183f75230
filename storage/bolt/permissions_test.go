package bolt_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	storage "improvementtracker/storage/bolt"
)

// TestOpenPermissions checks that a new register and its folder are private
// to the user.
func TestOpenPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps access in ACLs, not permission bits")
	}
	path := filepath.Join(t.TempDir(), "new", "folder", "register.db")
	s, err := storage.Open(path, storage.Options{Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for p, want := range map[string]os.FileMode{path: 0o600, filepath.Dir(path): 0o700} {
		if info, err := os.Stat(p); err != nil || info.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, info.Mode().Perm(), err, want)
		}
	}
}
