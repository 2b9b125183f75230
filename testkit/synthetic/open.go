package synthetic

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"improvementtracker/storage/bolt"
)

// generatorVersion changes whenever Generate's output changes, so a cached
// register from an older generator is not reused.
const generatorVersion = 2

var cache struct {
	sync.Mutex
	paths map[Size]string
}

// Path returns the file of a synthetic register of the given size, made on
// first use and kept in the system's temporary folder for later runs (named
// after the size, the generator and the schema version, and written under a
// temporary name then renamed, so parallel test binaries never see half a
// file). Treat it as read-only: Open gives a private copy to change.
func Path(tb testing.TB, size Size) string {
	tb.Helper()
	cache.Lock()
	defer cache.Unlock()
	if p, ok := cache.paths[size]; ok {
		return p
	}
	dir := filepath.Join(os.TempDir(), "improvement-tracker-synthetic")
	path := filepath.Join(dir, cacheName(size, bolt.SchemaVersion))
	if _, err := os.Stat(path); err != nil {
		if err := upgradeOrBuild(dir, path, size); err != nil {
			tb.Fatalf("making the synthetic register: %v", err)
		}
	}
	if cache.paths == nil {
		cache.paths = map[Size]string{}
	}
	cache.paths[size] = path
	return path
}

// cacheName is the cached file of a register of the given size at a schema
// version.
func cacheName(size Size, schema int) string {
	return fmt.Sprintf("register-g%d-s%d-%d-%d-%d-%d.db", generatorVersion, schema,
		size.Findings, size.Milestones, size.Updates, size.Evidence)
}

// upgradeOrBuild makes the cached file at path: from the same generator's
// file at an older schema version when there is one, upgraded as the app
// upgrades a register (the records are the same, and making the largest
// register takes minutes), else afresh.
func upgradeOrBuild(dir, path string, size Size) error {
	for v := bolt.SchemaVersion - 1; v >= 4; v-- {
		old := filepath.Join(dir, cacheName(size, v))
		if _, err := os.Stat(old); err == nil {
			return upgrade(dir, old, path)
		}
	}
	return build(dir, path, size)
}

// upgrade copies an older cached file and opens the copy, which brings it
// to the current schema, then puts it in place.
func upgrade(dir, old, path string) error {
	tmpDir, err := os.MkdirTemp(dir, "upgrading-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir) // with the copy the upgrade keeps of the older file
	tmp := filepath.Join(tmpDir, "register.db")
	if err := copyFile(old, tmp); err != nil {
		return err
	}
	s, err := bolt.Open(tmp, bolt.Options{Now: func() time.Time { return Clock }, NoBackup: true})
	if err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	// Attached files are kept beside the register (bolt.FilesDir): they
	// move with it.
	if _, err := os.Stat(bolt.FilesDir(tmp)); err == nil {
		if err := os.Rename(bolt.FilesDir(tmp), bolt.FilesDir(path)); err != nil {
			return err
		}
	}
	return os.Rename(tmp, path)
}

func build(dir, path string, size Size) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmpDir, err := os.MkdirTemp(dir, "building-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmpDir)
	tmp := filepath.Join(tmpDir, "register.db")
	s, err := bolt.Open(tmp, bolt.Options{Now: func() time.Time { return Clock }, NoBackup: true})
	if err != nil {
		return err
	}
	if err := Generate(s, size); err != nil {
		s.Close()
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	// Opened once more, as the app would next: a register made in one
	// go trains its compression then (bolt's packTrainAt), and each copy
	// opened from the cache would otherwise do it again.
	if s, err = bolt.Open(tmp, bolt.Options{Now: func() time.Time { return Clock }, NoBackup: true}); err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Open opens a private copy of the cached Default-sized synthetic register
// in tb's temporary folder, closed when the test or benchmark ends. The
// first call in a fresh temporary folder takes a minute or so to make it.
func Open(tb testing.TB) *bolt.Store {
	tb.Helper()
	return OpenSize(tb, Default)
}

// OpenSize is Open for a register of another size.
func OpenSize(tb testing.TB, size Size) *bolt.Store {
	tb.Helper()
	src := Path(tb, size)
	dst := filepath.Join(tb.TempDir(), "register.db")
	if err := copyFile(src, dst); err != nil {
		tb.Fatalf("copying the synthetic register: %v", err)
	}
	s, err := bolt.Open(dst, bolt.Options{Now: func() time.Time { return Clock }, NoBackup: true})
	if err != nil {
		tb.Fatalf("opening the synthetic register: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// copyFile streams src to dst: the Default register is hundreds of
// megabytes, too much to hold in memory for a copy.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
