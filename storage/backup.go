package storage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// KeepBackups is how many daily (and, separately, how many hand-made)
// backups are kept: two weeks of days, enough to go back past a bad
// import noticed late, without filling a laptop's disk.
const KeepBackups = 14

// Backup kinds, as BackupInfo.Kind reports them.
const (
	KindDaily         = "daily"
	KindManual        = "manual"
	KindBeforeRestore = "before restore"
	KindBeforeUpgrade = "before upgrade"
)

// kindBeforeUpgrade etc. are the name parts; see backupName.
const (
	kindBeforeUpgrade = "before-upgrade"
	kindBeforeRestore = "before-restore"
	kindManual        = "manual"
	kindDaily         = "daily"
)

// timeLayout is the time in backup names: sortable, and a valid file name
// on Windows (no colons).
const timeLayout = "2006-01-02-150405"

// BackupInfo describes one backup copy of a register.
type BackupInfo struct {
	Path string
	// Time is when the copy was made, read from its name.
	Time time.Time
	Size int64
	// Kind is KindDaily, KindManual, KindBeforeRestore or KindBeforeUpgrade.
	Kind string
}

// backupDir is the backups folder beside the register file.
func backupDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "backups")
}

// stem is the register's file name without its extension: "register".
func stem(dbPath string) string {
	base := filepath.Base(dbPath)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// backupName returns the path of a new backup. Names carry the time the
// copy was made, so "changes since then are not in it" can be said exactly:
//
//	register-2025-11-24-093012.db                        daily, made on opening
//	register-manual-2025-11-24-153012.db                 made by hand
//	register-before-restore-2025-11-24-153012.db         kept by Restore
//	register-before-upgrade-v1-2025-11-24-153012.db      kept by a migration
func backupName(dbPath, kind string, at time.Time, version int) string {
	at = at.Local()
	var name string
	switch kind {
	case kindDaily:
		name = at.Format(timeLayout)
	case kindBeforeUpgrade:
		name = fmt.Sprintf("%s-v%d-%s", kind, version, at.Format(timeLayout))
	default:
		name = kind + "-" + at.Format(timeLayout)
	}
	return filepath.Join(backupDir(dbPath), stem(dbPath)+"-"+name+".db")
}

// parseBackupName reads a backup's kind and time from its file name.
func parseBackupName(dbPath, file string) (kind string, at time.Time, ok bool) {
	prefix := stem(dbPath) + "-"
	if !strings.HasPrefix(file, prefix) || !strings.HasSuffix(file, ".db") {
		return "", time.Time{}, false
	}
	rest := strings.TrimSuffix(strings.TrimPrefix(file, prefix), ".db")
	parse := func(layout, s string) (time.Time, bool) {
		t, err := time.ParseInLocation(layout, s, time.Local)
		return t, err == nil
	}
	switch {
	case strings.HasPrefix(rest, kindBeforeRestore+"-"):
		at, ok = parse(timeLayout, strings.TrimPrefix(rest, kindBeforeRestore+"-"))
		return KindBeforeRestore, at, ok
	case strings.HasPrefix(rest, kindBeforeUpgrade+"-v"):
		v, when, found := strings.Cut(strings.TrimPrefix(rest, kindBeforeUpgrade+"-v"), "-")
		if _, err := strconv.Atoi(v); err != nil || !found {
			return "", time.Time{}, false
		}
		at, ok = parse(timeLayout, when)
		return KindBeforeUpgrade, at, ok
	case strings.HasPrefix(rest, kindManual+"-"):
		at, ok = parse(timeLayout, strings.TrimPrefix(rest, kindManual+"-"))
		return KindManual, at, ok
	default:
		at, ok = parse(timeLayout, rest)
		return KindDaily, at, ok
	}
}

// ListBackups lists the backups of the register at dbPath, newest first.
// No backups folder means no backups, not an error.
func ListBackups(dbPath string) ([]BackupInfo, error) {
	dir := backupDir(dbPath)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot list the backups in %s: %w", dir, err)
	}
	var out []BackupInfo
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		kind, at, ok := parseBackupName(dbPath, e.Name())
		if !ok {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, BackupInfo{Path: filepath.Join(dir, e.Name()), Time: at, Size: info.Size(), Kind: kind})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Time.Equal(out[j].Time) {
			return out[i].Time.After(out[j].Time)
		}
		return out[i].Path > out[j].Path
	})
	return out, nil
}

// writeBackup writes a consistent copy of the file as tx sees it to path,
// through a temporary file renamed into place, so that a backup with a
// backup's name is always whole.
func writeBackup(tx *bolt.Tx, path string) (int64, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".writing-*.tmp")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	n, err := tx.WriteTo(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	return n, err
}

// Backup writes a backup copy now, whatever backups exist already, and
// returns its path. Older hand-made backups beyond KeepBackups are removed.
func (s *Store) Backup() (string, error) {
	name := backupName(s.path, kindManual, s.now(), 0)
	if err := s.guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			_, err := writeBackup(tx, name)
			return err
		})
	}); err != nil {
		return "", fmt.Errorf("cannot write a backup of %s to %s: %w", s.path, backupDir(s.path), err)
	}
	if err := rotate(s.path, KindManual); err != nil {
		return name, err
	}
	return name, nil
}

// backupDue reports whether no backup of the register has been made on
// now's day, by Open or by hand.
func backupDue(dbPath string, now time.Time) bool {
	existing, err := ListBackups(dbPath)
	if err != nil {
		return true
	}
	for _, b := range existing {
		if (b.Kind == KindDaily || b.Kind == KindManual) && sameDay(b.Time, now.Local()) {
			return false
		}
	}
	return true
}

// dailyBackup writes the day's backup unless one was made today (by Open or
// by hand). It returns the new backup's path, or "" when none was needed.
func (s *Store) dailyBackup() (string, error) {
	now := s.now().Local()
	if !backupDue(s.path, now) {
		return "", nil
	}
	name := backupName(s.path, kindDaily, now, 0)
	if err := s.guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			_, err := writeBackup(tx, name)
			return err
		})
	}); err != nil {
		return "", fmt.Errorf("cannot write the daily backup of %s to %s: %w", s.path, backupDir(s.path), err)
	}
	return name, rotate(s.path, KindDaily)
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// rotate removes the oldest backups of a kind beyond KeepBackups.
func rotate(dbPath, kind string) error {
	all, err := ListBackups(dbPath)
	if err != nil {
		return err
	}
	kept := 0
	for _, b := range all {
		if b.Kind != kind {
			continue
		}
		kept++
		if kept > KeepBackups {
			if err := os.Remove(b.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("cannot remove the old backup %s: %w", b.Path, err)
			}
		}
	}
	return nil
}

// Restore replaces the register at dbPath with the backup at backupPath.
// The backup is checked first: a file that is not a sound register is
// refused. The current file, damaged or not, is kept in the backups folder
// before the swap, so a restore can itself be undone. The swap is a rename,
// so the register is never half-written. The register must not be open.
func Restore(dbPath, backupPath string, now time.Time) error {
	dbPath, err := filepath.Abs(dbPath)
	if err != nil {
		return err
	}
	if err := checkBackup(backupPath); err != nil {
		return err
	}
	if _, err := os.Stat(dbPath); err == nil {
		// Hold a shared lock while copying, so that a window with the
		// register open (which holds it exclusively) makes this fail
		// rather than change the file under it.
		db, openErr := bolt.Open(dbPath, 0o600, &bolt.Options{Timeout: DefaultTimeout, ReadOnly: true})
		if errors.Is(openErr, bolt.ErrTimeout) {
			return fmt.Errorf("cannot restore: %w", lockedError(dbPath))
		}
		kept := backupName(dbPath, kindBeforeRestore, now, 0)
		err := copyFile(dbPath, kept)
		if db != nil {
			_ = db.Close()
		}
		if err != nil {
			return fmt.Errorf("cannot restore: the current register could not be kept first (%v); nothing was changed", err)
		}
	}
	// copyFile renames a whole copy over the register, so a failure at any
	// point leaves either the old file or the backup, never half of one.
	if err := copyFile(backupPath, dbPath); err != nil {
		return fmt.Errorf("cannot restore from %s: %w; the register was not changed", backupPath, err)
	}
	return nil
}

// checkBackup refuses a file that is not a register this version can open.
func checkBackup(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("cannot restore from %s: %w", path, err)
	}
	if info.IsDir() || info.Size() == 0 {
		return fmt.Errorf("cannot restore from %s: %w (it is empty or a folder)", path, model.ErrDamaged)
	}
	return guard(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultTimeout, ReadOnly: true, PreLoadFreelist: true})
		if err != nil {
			return fmt.Errorf("cannot restore from %s: %w (%v)", path, model.ErrDamaged, err)
		}
		defer db.Close()
		return db.View(func(tx *bolt.Tx) error {
			v, err := readVersion(path, tx, info.Size())
			if err != nil {
				return fmt.Errorf("cannot restore: %w", err)
			}
			if v == 0 {
				return fmt.Errorf("cannot restore from %s: %w (it is an empty database, not a register)", path, model.ErrDamaged)
			}
			if problems := checkFile(path, tx); len(problems) > 0 {
				return fmt.Errorf("cannot restore from %s: %w (%s)", path, model.ErrDamaged, problems[0])
			}
			return nil
		})
	})
}

// copyFile copies src to dst byte for byte, creating dst's folder (readable
// by the user alone) if needed. It writes a temporary file, syncs it and
// renames it into place, so dst is either whole or absent.
func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(dst), ".copying-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name()) // fails harmlessly once renamed
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(out.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(out.Name(), dst)
	}
	return err
}
