package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// inspect reads an existing file without taking it for writing. It refuses
// a file from a newer version, and a file that is damaged or is not a
// register, before anything writes to it. When the file needs migrating, it
// first copies it, byte for byte, to the backups folder.
//
// With full set it checks every page of the file (verifyFile), which takes a
// few hundred milliseconds on a very large register. Open asks for it when
// the day's backup is due (so a damaged file is never copied over good
// backups) and when it makes no backups; it is also done before any
// migration. On other opens the header, size and version checks suffice,
// because every later read is guarded and turns a damaged page into an
// error anyway.
func inspect(path string, timeout time.Duration, now func() time.Time, full bool) error {
	err := guard(path, func() error {
		db, held, err := openBolt(path, bolt.Options{Timeout: timeout, ReadOnly: true, PreLoadFreelist: true})
		if err != nil {
			if !errors.Is(err, bolt.ErrTimeout) && !errors.Is(err, os.ErrPermission) {
				return whyDamaged(path, openError(path, err))
			}
			return openError(path, err)
		}
		defer db.Close()
		// bbolt opens the older state without a word when the newest
		// header page is damaged: read both, now that the shared lock
		// keeps writers out (a header read while another window saves
		// could be caught half written).
		if err := checkMetas(path); err != nil {
			return err
		}
		return db.View(func(tx *bolt.Tx) error {
			// With the shared lock held, nobody writes while the pages
			// are read; they are checked before bbolt walks them.
			if full {
				if err := verifyFile(path); err != nil {
					return damagedError(path, err.Error())
				}
			}
			// The size as it is now the lock is held: another process
			// may have grown the file while this one waited for it.
			v, err := readVersion(path, tx, held.Size())
			if err != nil || v == 0 {
				return err
			}
			if !full && v < SchemaVersion {
				if err := verifyFile(path); err != nil {
					return damagedError(path, err.Error())
				}
			}
			if v < SchemaVersion {
				// The copy keeps the file as the older version left it,
				// in case the upgrade goes wrong or the older app is
				// needed: compressed, it unpacks to the file byte for
				// byte (`zstd -d`, or a restore).
				name := compressedName(backupName(path, kindBeforeUpgrade, now(), v))
				refs, _, err := fileRefs(tx) // from version filesOutside on
				if err == nil {
					err = makeBackupDir(filepath.Dir(name))
				}
				if err == nil {
					err = writeCompressed(path, name, commits(tx), refs)
				}
				if err != nil {
					return fmt.Errorf("cannot upgrade the register %s: the copy made before upgrading could not be written (%s)", path, plainOSError(err))
				}
			}
			return nil
		})
	})
	if err != nil && strings.Contains(err.Error(), pageUnreadable) {
		return whyDamaged(path, err)
	}
	return err
}

// whyDamaged replaces an error that only says a file is damaged with one
// that says how, when the header pages or the page check can tell.
func whyDamaged(path string, err error) error {
	if merr := checkMetas(path); merr != nil {
		return merr
	}
	if verr := verifyFile(path); verr != nil {
		return damagedError(path, verr.Error())
	}
	return err
}

// readVersion checks that tx is a register this version can open and
// returns its schema version; 0 means a bbolt file with nothing in it yet (a
// new register whose first write never happened).
func readVersion(path string, tx *bolt.Tx, fileSize int64) (int, error) {
	if tx.Size() > fileSize {
		return 0, damagedError(path, fmt.Sprintf("the file is %d bytes but its contents need %d: it has been cut short", fileSize, tx.Size()))
	}
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		if k, _ := tx.Cursor().First(); k != nil {
			return 0, damagedError(path, "it is another program's database")
		}
		return 0, nil
	}
	if !bytes.Equal(meta.Get(keyApp), []byte(appMarker)) {
		return 0, damagedError(path, "it is another program's database")
	}
	v := int(btoi(meta.Get(keySchema)))
	loadDicts(tx)
	if v <= 0 {
		return 0, damagedError(path, "its schema version is missing")
	}
	if v > SchemaVersion {
		return 0, fmt.Errorf("cannot open %s: %w (the file is version %d; this version of the app reads up to version %d). Open it with the newer version; the file has not been changed",
			path, model.ErrNewerVersion, v, SchemaVersion)
	}
	return v, nil
}

// damagedError says the file cannot be used, names it, and offers the
// newest backup that checks clean.
func damagedError(path, detail string) error {
	return fmt.Errorf("cannot open %s: %w (%s). %s", path, model.ErrDamaged, detail, restoreAdvice(path))
}

// restoreAdvice offers the newest backup of the register at path that
// checks clean, or says to keep the damaged file when there is none.
func restoreAdvice(path string) string {
	msg := ""
	dir := backupDir(path)
	if b, ok := newestCleanBackup(path); ok {
		when := b.Time.Local().Format("on 02/01/2006 at 15:04")
		msg += fmt.Sprintf("The newest backup that checks clean is %s in %s, made %s. Restore it with Restore backup in the app or \"improvement-tracker restore %s\"; the damaged file is kept",
			filepath.Base(b.Path), dir, when, b.Path)
	} else if backups, _ := ListBackups(path); len(backups) > 0 {
		msg += fmt.Sprintf("No backup in %s checks clean. Keep the damaged file: do not delete it", dir)
	} else {
		msg += fmt.Sprintf("No backups exist yet (they are kept in %s). Keep the damaged file: do not delete it", dir)
	}
	return msg
}
