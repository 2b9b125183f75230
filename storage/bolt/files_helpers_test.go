package bolt_test

import (
	"path/filepath"

	storage "improvementtracker/storage/bolt"
)

// attachedPath is where the register at dbPath keeps the attached file
// with SHA-256 sum.
func attachedPath(dbPath, sum string) string {
	return filepath.Join(storage.FilesDir(dbPath), sum[:2], sum[2:4], sum)
}
