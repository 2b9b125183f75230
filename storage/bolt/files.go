package bolt

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"improvementtracker/model"
)

// Attached files are kept beside the register, not in it, from schema
// version filesOutside on: one file per content, in a folder named after
// the register (register.db keeps its files in register.files), named by
// the SHA-256 of what it holds, under two levels of folders named by its
// first four hex digits (register.files/ab/cd/abcd…), so that no folder
// holds more than a few hundred of them. The evidence record's SHA256 is
// the reference: the same file attached twice, to one finding or to two,
// is kept once, and a backup (a copy of the register) refers to the files
// its evidence names instead of carrying them, so that 34 backups cost one
// copy of each file, not 34.
//
// A file is written whole (a temporary file, synced, made private,
// renamed, its folder synced) before the save that refers to it is
// committed: a crash between the two leaves a file nothing refers to,
// never a record whose file is missing. A file is removed only when
// neither the register nor any backup kept refers to it (sweepFiles).

// filesDir is the folder of attached files of the register at dbPath.
func filesDir(dbPath string) string {
	dir := strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + ".files"
	if dir == dbPath { // a register named something.files
		dir += ".files"
	}
	return dir
}

// FilesDir is the folder beside the register at dbPath where its attached
// files are kept: a copy of the register made by hand needs it too.
func FilesDir(dbPath string) string { return filesDir(dbPath) }

// fileTemp is the pattern of a file being written into the folder: at its
// top, so that the sweep of temporary files left by a crash finds it.
const fileTemp = ".writing-*.tmp"

// fileStore is the folder of a register's attached files.
type fileStore struct{ dir string }

// validSum reports whether s is a SHA-256 as evidence records it: 64
// lower-case hex digits. Nothing else is ever made into a path.
func validSum(s string) bool {
	if len(s) != 2*sha256.Size {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// path is where the file with SHA-256 sum is kept.
func (f fileStore) path(sum string) string {
	return filepath.Join(f.dir, sum[:2], sum[2:4], sum)
}

// read returns the bytes of the file with SHA-256 sum, or an error wrapping
// model.ErrNotFound when there is none; the caller checks the digest. A
// file larger than any attachment may be is not read.
func (f fileStore) read(sum string) ([]byte, error) {
	if !validSum(sum) {
		return nil, fmt.Errorf("%w: the recorded SHA-256 %q is not one", model.ErrNotFound, sum)
	}
	p := f.path(sum)
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", p, model.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the attached file %s: %s", p, plainOSError(err))
	}
	if !info.Mode().IsRegular() || info.Size() > model.MaxAttachmentSize {
		return nil, fmt.Errorf("the attached file %s is not a file of at most %s; it has been changed since it was attached: %w",
			p, model.HumanSize(model.MaxAttachmentSize), model.ErrDigestMismatch)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("cannot read the attached file %s: %s", p, plainOSError(err))
	}
	return data, nil
}

// sound reports whether the file with SHA-256 sum is there and holds what
// its name says; missing tells a missing file from an altered one.
func (f fileStore) sound(sum string) (ok, missing bool) {
	data, err := f.read(sum)
	if errors.Is(err, model.ErrNotFound) {
		return false, true
	}
	if err != nil {
		return false, false
	}
	return model.MatchesDigest(data, sum), false
}

// put keeps data, whose SHA-256 is sum, in the folder, unless a sound copy
// is there already (the same file attached again). A copy that no longer
// holds what its name says (altered or damaged) is replaced: attaching the
// file again puts it right. put returns once the file is on the disk.
func (f fileStore) put(sum string, data []byte) error {
	if !validSum(sum) || !model.MatchesDigest(data, sum) {
		return fmt.Errorf("%w: an attached file was to be kept under a SHA-256 that is not its own", model.ErrProgram)
	}
	if old, err := f.read(sum); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return f.write(sum, data)
}

// write puts data in the folder under sum, whole, synced and private.
func (f fileStore) write(sum string, data []byte) error {
	p := f.path(sum)
	if err := mkdirPrivate(filepath.Dir(p), f.dir); err != nil {
		return fmt.Errorf("cannot make the folder of attached files %s: %s", f.dir, plainOSError(err))
	}
	tmp, err := writeTemp(f.dir, fileTemp, func(out *os.File) error {
		_, err := out.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("the attached file could not be written to %s: %s", f.dir, plainOSError(err))
	}
	if err := os.Rename(tmp, p); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("the attached file could not be written to %s: %s", f.dir, plainOSError(err))
	}
	// The name is on the disk only once its folder is: without this, a
	// power cut could keep the save and lose the file's name.
	syncDir(filepath.Dir(p))
	return nil
}

// mkdirPrivate makes dir and the folders above it up to and including top,
// readable by the user alone, as the register is; a folder made earlier
// with a looser mode is tightened.
func mkdirPrivate(dir, top string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if info, err := os.Stat(d); err == nil && info.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(d, 0o700)
		}
		if d == top || filepath.Dir(d) == d {
			return nil
		}
	}
}

// syncDir syncs a folder, so that the names made in it survive a power
// cut. Windows cannot open a folder to sync it (and its file system keeps
// names with the data): there this does nothing.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// list walks the folder and returns the SHA-256 of every file kept in it
// with the bytes each takes. A folder that does not exist holds nothing.
func (f fileStore) list() (map[string]int64, error) {
	out := map[string]int64{}
	err := filepath.WalkDir(f.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == f.dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.Type().IsRegular() && validSum(d.Name()) && p == f.path(d.Name()) {
			if info, err := d.Info(); err == nil {
				out[d.Name()] = info.Size()
			}
		}
		return nil
	})
	return out, err
}

// CopyFiles gives a copy of the register, written by WriteCopy to
// copyPath and to be named dstPath, the attached files it refers to: each
// is copied, checked against its SHA-256, into the folder beside dstPath
// (FilesDir). It reads what to copy from the copy itself, so that a save
// made between the two cannot leave the copy without a file. Call it
// before the copy takes its name, so that the register is never there
// without its files.
func (s *Store) CopyFiles(copyPath, dstPath string) error {
	refs, _, err := plainFileRefs(copyPath)
	if err != nil {
		return fmt.Errorf("the copy's list of attached files cannot be read: %s", plainOSError(err))
	}
	dst, err := filepath.Abs(dstPath)
	if err != nil {
		return err
	}
	to := fileStore{dir: filesDir(dst)}
	done := map[string]bool{}
	for _, ref := range refs {
		if done[ref.SHA256] {
			continue
		}
		done[ref.SHA256] = true
		data, err := s.files.read(ref.SHA256)
		if errors.Is(err, model.ErrNotFound) {
			return fmt.Errorf("the attached file %s is missing from %s, so the copy would be without it: %w", ref.words(), s.files.dir, model.ErrDigestMismatch)
		} else if err != nil {
			return err
		}
		if !model.MatchesDigest(data, ref.SHA256) {
			return fmt.Errorf("the attached file %s has been changed or damaged in %s, so it was not copied: %w. Attach the same file again to put it right", ref.words(), s.files.dir, model.ErrDigestMismatch)
		}
		if err := to.put(ref.SHA256, data); err != nil {
			return err
		}
	}
	return nil
}
