// Package storage keeps the register in a single bbolt file and implements
// model.Store over it.
//
// The file is opened with a timeout, so a second window fails quickly with a
// plain message instead of hanging; it is checked before use, so a damaged
// file gives an error that says where the backups are instead of a crash;
// its schema is versioned, with migrations applied in one transaction after
// a backup copy; and a consistent copy is written to a backups folder beside
// it once a day.
//
// Every write is one bbolt transaction, which also appends the audit events
// that describe it: either both are stored or neither is.
package bolt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// DefaultTimeout is how long Open waits for another process to let go of the
// file. It is kept well under the two seconds after which a person would
// think the app has hung.
const DefaultTimeout = time.Second

// growStep is how much room the file is given beyond its last page when
// a save needs more. bbolt's default, 16 MB, is half of a force's
// register (a register of 300 findings with five years of quarterly
// updates uses 19 MB of pages and was 34 MB on disk), and is copied into
// nothing but is counted against the laptop's disk all the same; a
// megabyte costs one more sync of the file's size in every megabyte of
// growth.
const growStep = 1 << 20

// Options change how Open behaves. The zero value is what the app uses.
type Options struct {
	// Timeout is how long to wait for the file lock; 0 means DefaultTimeout.
	Timeout time.Duration
	// Now is the clock used for audit events, record times and backup
	// names; nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// NoBackup skips the daily backup made on open (tests, benchmarks, and
	// short-lived tools that open the file many times).
	NoBackup bool
	// MustExist refuses a path where there is no register, instead of
	// creating one there: for commands that only read, where a mistyped
	// path must not quietly give an empty register.
	MustExist bool
	// ReadOnly opens the register for reading only, as Open does by
	// itself when the file or its folder cannot be written.
	ReadOnly bool
	// BackupInBackground leaves the day's backup to StartBackup, which
	// makes it in the background once the caller has what it opened the
	// register for (the window, once it shows the register; a command
	// that saves, at once, before its first save), so that the first
	// open of a day is no slower than the others. BackupDone gives its
	// result; a command waits for it before it closes the register, which
	// would otherwise give the backup up. The check of every
	// page that a due backup asks for on opening is then the backup's own
	// check of its copy, which refuses a damaged register in the same
	// words.
	BackupInBackground bool
}

// Store is the register in a bbolt file. It is safe for concurrent use: bbolt
// allows many read transactions and one write transaction at a time.
type Store struct {
	db   *bolt.DB
	path string
	// files is the folder of attached files beside the register.
	files fileStore
	now   func() time.Time
	// readOnly is set when the register was opened for reading only.
	readOnly bool
	// warnings are what went wrong on opening without stopping it (the
	// daily backup could not be written, the register is older than a
	// backup): the window and the command line show them.
	warnings []string
	// upgraded is set when opening brought the file up from an older
	// schema version (it is then compacted: upgrade_compact.go).
	upgraded bool

	// snapshotDir holds the copy a register open in another window was
	// read from (snapshot.go), removed on Close; snapshotAt is when it
	// was read. Both are zero for the register itself.
	snapshotDir string
	snapshotAt  time.Time

	cleanOnce sync.Once
	clean     BackupInfo
	cleanOK   bool

	// backupDone yields the result of a backup made in the background
	// (BackupInBackground), then is closed; startOnce starts it, or
	// closes backupDone when Close comes first; stopping asks that backup
	// to give up, and backingUp is waited for by Close.
	backupDone chan error
	startOnce  sync.Once
	stopping   atomic.Bool
	backingUp  sync.WaitGroup
}

var (
	_ model.FileStore = (*Store)(nil)
	_ model.Backuper  = (*Store)(nil)
)

// Open opens the register at path, creating it (and its folder, readable by
// the user alone) when it does not exist. It fails within about
// opts.Timeout with an error wrapping model.ErrLocked when another process
// has the file open, with model.ErrNewerVersion when a newer version of the
// app wrote it, and with model.ErrDamaged when it is not a sound register.
func Open(path string, opts Options) (*Store, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("no register file was given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot use %q as the register's location: %w", path, err)
	}
	path = abs

	info, statErr := os.Stat(path)
	// fresh is set for a file that does not exist yet or is empty: bbolt
	// makes it, once it holds the lock. made lists what this open
	// created, to be removed again if the register cannot be made.
	fresh := false
	var made []string
	switch {
	case statErr == nil && info.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a register file", path)
	case statErr == nil && !info.Mode().IsRegular():
		return nil, notRegular(path, info)
	case statErr == nil && unborn(path, info.Size()):
		// A register whose making was cut short holds nothing: an empty
		// one is made again, any other refused, never called damaged.
		if info.Size() > 0 || opts.MustExist || opts.ReadOnly || hasBackups(path) {
			return nil, unbornError(path, info.Size())
		}
		fresh = true
	case statErr == nil:
		// Read the file without taking it for writing first: a file from a
		// newer version must be left exactly as it is, and a damaged one
		// must be found out before bbolt is asked to write to it.
		full := opts.NoBackup || !opts.BackupInBackground && backupDue(path, opts.Now())
		if err := inspect(path, opts.Timeout, opts.Now, full); err != nil {
			return nil, err
		}
	case errors.Is(statErr, os.ErrNotExist) && opts.MustExist:
		return nil, fmt.Errorf("no register at %s; `improvement-tracker sample` or the window creates one", path)
	case errors.Is(statErr, os.ErrNotExist):
		fresh = true
		made = missingFolders(filepath.Dir(path))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("cannot create the folder for the register %s: %s", path, plainOSError(err))
		}
		made = append(made, path)
	default:
		return nil, fmt.Errorf("cannot open the register %s: %s", path, plainOSError(statErr))
	}

	s := &Store{path: path, files: fileStore{dir: filesDir(path)}, now: opts.Now, readOnly: opts.ReadOnly}
	if !s.readOnly {
		s.db, _, err = openBolt(path, bolt.Options{Timeout: opts.Timeout})
		if err == nil {
			s.db.AllocSize = growStep
		}
		if err != nil && statErr == nil && cannotWrite(err) {
			// Read-only media, or a file this user may only read: open
			// it for reading rather than call it damaged.
			if fresh {
				return nil, unbornError(path, 0)
			}
			s.readOnly = true
		} else if err != nil && fresh && !errors.Is(err, bolt.ErrTimeout) {
			return nil, unmade(path, made, err)
		} else if err != nil {
			return nil, openError(path, err)
		}
	}
	if s.readOnly {
		if statErr != nil {
			return nil, fmt.Errorf("no register at %s to open for reading", path)
		}
		if s.db, _, err = openBolt(path, bolt.Options{Timeout: opts.Timeout, ReadOnly: true}); err != nil {
			return nil, openError(path, err)
		}
	} else {
		// bbolt only sets the mode when it creates the file; a register
		// copied in from elsewhere may be readable by others.
		_ = os.Chmod(path, 0o600)
	}
	if err := s.prepare(); err != nil {
		_ = s.db.Close()
		if fresh {
			return nil, unmade(path, made, err)
		}
		return nil, err
	}
	if s.readOnly {
		return s, nil
	}
	if s.upgraded {
		if _, err := s.compactAfterUpgrade(opts.Timeout); err != nil && s.db == nil {
			return nil, openError(path, err)
		} else if err != nil {
			s.warnings = append(s.warnings, fmt.Sprintf("The register was upgraded, but could not be written again without the room the upgrade left unused (%s): it works as it is, only larger on disk", plainOSError(err)))
		}
	}
	cleanTemp(path)
	if b := s.rollback(); b != "" {
		s.warnings = append(s.warnings, b)
	}
	s.backupDone = make(chan error, 1)
	switch {
	case opts.NoBackup:
		close(s.backupDone)
	case opts.BackupInBackground:
		// StartBackup makes it.
	default:
		// Reading never depends on writing: a backup that cannot be
		// written (a full disk, a read-only backups folder) is said, and
		// the register opens all the same.
		if _, err := s.dailyBackup(); err != nil {
			s.warnings = append(s.warnings, err.Error())
		}
		close(s.backupDone)
	}
	if opts.NoBackup || !opts.BackupInBackground {
		s.startOnce.Do(func() {}) // nothing for StartBackup to start
	}
	return s, nil
}

// BackupDone yields, once, the error of the day's backup made in the
// background (nil when it was made, not due, or given up because the
// register was closed first), then is closed. For a register opened
// without BackupInBackground it is closed from the start: Warnings says
// how the backup went.
func (s *Store) BackupDone() <-chan error {
	if s.backupDone == nil {
		done := make(chan error)
		close(done)
		return done
	}
	return s.backupDone
}

// cannotWrite reports whether opening for writing failed because the file
// or its filesystem may not be written, rather than because it is damaged
// or locked.
func cannotWrite(err error) bool {
	return errors.Is(err, syscall.EROFS) || errors.Is(err, os.ErrPermission)
}

// ReadOnly reports whether the register was opened for reading only:
// nothing can be saved to it.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Warnings are the problems met while opening that did not stop it, in
// words: the daily backup could not be written, or the register holds
// fewer saves than a backup of it.
func (s *Store) Warnings() []string { return slices.Clone(s.warnings) }

// ReadOnlyNotice is the line shown when a register is opened for reading
// only.
func (s *Store) ReadOnlyNotice() string {
	if s.snapshotDir != "" {
		return fmt.Sprintf("%s is open in another Improvement Tracker window, so what follows is the register as it was at %s, when it was read; anything saved in the window since is not in it",
			s.path, s.snapshotAt.Format("15:04:05 on 02/01/2006"))
	}
	return fmt.Sprintf("%s is read-only here (read-only media, or you may not change it): it was opened for reading, and nothing can be saved to it", s.path)
}

// openError turns bbolt's errors into words.
func openError(path string, err error) error {
	if errors.Is(err, bolt.ErrTimeout) {
		return lockedError(path)
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("cannot open the register %s: you do not have permission to read it", path)
	}
	// bbolt's own texts ("invalid freelist page…") mean nothing to a
	// person: say what can be said.
	detail := "it cannot be read as a register"
	switch {
	case errors.Is(err, bolt.ErrInvalid):
		detail = "it is not a database file"
	case errors.Is(err, bolt.ErrVersionMismatch):
		detail = "it is in a database format this app does not read"
	case errors.Is(err, bolt.ErrChecksum):
		detail = "its header pages fail their checksum"
	}
	return damagedError(path, detail)
}

func lockedError(path string) error {
	return fmt.Errorf("cannot open %s: %w. Close it there (or wait for the other command to finish), then try again", path, model.ErrLocked)
}

// prepare brings the file to the current schema in one transaction: a new
// file gets every bucket and the version; an older one is migrated.
func (s *Store) prepare() error {
	return s.guard(func() error {
		// Most opens find the file up to date: check that in a read
		// transaction, which costs no sync to disk. A register opened for
		// reading only must already be.
		current, train := false, false
		_ = s.db.View(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			current = meta != nil && btoi(meta.Get(keySchema)) == SchemaVersion
			loadDicts(tx)
			train = !s.readOnly && current && untrained(tx)
			for _, name := range allBuckets {
				// A file opened for reading only is read without an
				// index of version 5 it has lost; opening it for writing
				// builds the index again.
				current = current && (tx.Bucket(name) != nil || s.readOnly && isLeanIndex(name))
			}
			return nil
		})
		if current && train {
			// A register made by this version, now large enough to
			// train its compression from: written again compressed,
			// and then compacted as after an upgrade.
			s.upgraded = true
			return s.db.Update(func(tx *bolt.Tx) error {
				if err := packTexts(tx); err != nil {
					return err
				}
				return bumpCommits(tx)
			})
		}
		if current {
			return nil
		}
		if s.readOnly {
			return fmt.Errorf("cannot open %s: it was saved by an older version of the app and needs upgrading, which cannot be done while it is read-only here. Copy it somewhere you may change it, or open it with the older version", s.path)
		}
		return s.db.Update(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil {
				return initialise(tx)
			}
			// Go by the version the file holds now: inspect read it
			// before the lock for writing was taken.
			from := int(btoi(meta.Get(keySchema)))
			if err := migrate(tx, from); err != nil {
				return err
			}
			s.upgraded = from < SchemaVersion
			return bumpCommits(tx)
		})
	})
}

// initialise lays out a new register.
func initialise(tx *bolt.Tx) error {
	if err := createBuckets(tx); err != nil {
		return err
	}
	meta := tx.Bucket(bucketMeta)
	if err := meta.Put(keyApp, []byte(appMarker)); err != nil {
		return err
	}
	return meta.Put(keySchema, itob(uint64(SchemaVersion)))
}

func createBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("cannot create the %s section of the register: %w", name, err)
		}
	}
	return nil
}

// guard is guard for the store's own file.
func (s *Store) guard(fn func() error) (err error) {
	return guard(s.path, fn)
}

// guard runs fn so that a fault while reading a damaged file (a bbolt
// panic, or a read past the end of the memory map, which SetPanicOnFault
// turns into a panic) becomes a model.ErrDamaged error naming path instead
// of ending the program, and any other panic (a bug in the app) becomes a
// model.ErrProgram error, with the details in the log. Either way the
// transaction has been rolled back by the deferred calls that ran first.
func guard(path string, fn func() error) (err error) {
	old := debug.SetPanicOnFault(true)
	defer debug.SetPanicOnFault(old)
	defer func() {
		if r := recover(); r != nil {
			err = panicError(path, r)
		}
	}()
	return fn()
}

// panicError classifies a recovered panic. Only two things mean damage: a
// memory fault (the file is shorter than its pages say, or the mapping went
// away), and a panic raised by bbolt itself while it walked pages. A panic
// raised anywhere else, for example a nil map or an index out of range in
// a View callback, is a program error, even though bbolt's code is below
// it on the stack.
// It must be called from the deferred function that recovers.
func panicError(path string, r any) error {
	if isDamage(r) {
		// The panic's text is bbolt's or the runtime's, which means
		// nothing to a person (and the command line's log is the
		// terminal): say what it means.
		return damagedError(path, pageUnreadable)
	}
	return programError(path, r)
}

// pageUnreadable is the detail of a damaged-file error raised by a fault
// while reading pages.
const pageUnreadable = "a page of the file cannot be read: the file is damaged"

// isDamage tells damage from a bug; it must be called from the deferred
// function that recovers r.
func isDamage(r any) bool {
	_, fault := r.(interface{ Addr() uintptr })
	return fault || raisedIn(bboltPackage)
}

// programError logs a bug with its stack and says, in words, that it was
// the app's fault and that nothing was saved.
func programError(path string, r any) error {
	return parallel.Fault("using the register " + path)(r)
}

// bboltPackage is the import path of bbolt; its internal packages (the
// freelist, page decoding) are below it.
const bboltPackage = "go.etcd.io/bbolt"

// raisedIn reports whether the panic being recovered was raised by code in
// pkg: the first frame below the runtime's panic machinery belongs to it.
func raisedIn(pkg string) bool {
	pcs := make([]uintptr, 64)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	panicking := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic":
			panicking = true
		case panicking && strings.HasPrefix(f.Function, "runtime."):
			// panicmem, panicIndex, sigpanic…: still the runtime's.
		case panicking:
			rest, ok := strings.CutPrefix(f.Function, pkg)
			return ok && (strings.HasPrefix(rest, ".") || strings.HasPrefix(rest, "/"))
		}
		if !more {
			return false
		}
	}
}

// Path is the register file's location.
func (s *Store) Path() string { return s.path }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Close closes the file and lets go of the lock.
func (s *Store) Close() error {
	// A backup still being made is given up (its temporary file is
	// removed; no backup takes its name) rather than waited for.
	s.stopping.Store(true)
	s.startOnce.Do(func() { // never started
		if s.backupDone != nil {
			close(s.backupDone)
		}
	})
	s.backingUp.Wait()
	err := s.db.Close()
	if s.snapshotDir != "" {
		// The copy was this store's alone; it goes whatever happens.
		_ = os.RemoveAll(s.snapshotDir)
	}
	if err != nil {
		return fmt.Errorf("closing the register %s: %w", s.path, err)
	}
	return nil
}

// WriteCopy writes a consistent copy of the register to w while it stays
// open, for "Save a copy…".
func (s *Store) WriteCopy(w io.Writer) (n int64, err error) {
	err = s.guard(func() error {
		return s.db.View(func(tx *bolt.Tx) error {
			n, err = tx.WriteTo(w)
			return err
		})
	})
	if err != nil {
		return n, fmt.Errorf("writing a copy of the register: %w", err)
	}
	return n, nil
}

// View runs fn in a read-only transaction, which it begins and rolls back
// itself: the callback runs on this function's stack, not inside bbolt's,
// so a panic in it is told apart from damage found by bbolt.
func (s *Store) View(ctx context.Context, fn func(tx model.ReadTx) error) error {
	return s.read(ctx, func(rec *records) error { return fn(model.NewReader(rec)) })
}

// Update runs fn in a read-write transaction. Every change fn makes is
// stored with its audit events when fn returns nil; nothing is stored when
// it returns an error (or panics).
func (s *Store) Update(ctx context.Context, by model.Actor, fn func(tx model.Tx) error) error {
	return s.write(ctx, func(rec *records) error { return fn(model.NewWriter(rec, by, s.now())) })
}

// read runs fn over the records in a read-only transaction, which it begins
// and rolls back itself. View gives fn the register's rules over them;
// ViewRecords gives the records as they are.
func (s *Store) read(ctx context.Context, fn func(rec *records) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.guard(func() error {
		btx, err := s.db.Begin(false)
		if err != nil {
			return fmt.Errorf("cannot read the register %s: %w", s.path, err)
		}
		defer func() { _ = btx.Rollback() }()
		return fn(&records{tx: btx, s: s})
	})
}

// write runs fn over the records in one write transaction, committed with
// the register's commit counter raised when fn returns nil, and rolled back
// otherwise. Update and UpdateRecords both write through it, so a copy into
// a register obeys read-only media and counts as a save like any other.
func (s *Store) write(ctx context.Context, fn func(rec *records) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.guard(func() error {
		if s.readOnly {
			return fmt.Errorf("nothing was saved: %s", s.ReadOnlyNotice())
		}
		btx, err := s.db.Begin(true)
		if err != nil {
			return fmt.Errorf("cannot write to the register %s: %w", s.path, err)
		}
		committed := false
		defer func() {
			if !committed {
				_ = btx.Rollback()
			}
		}()
		if err := fn(&records{tx: btx, s: s}); err != nil {
			return err
		}
		if err := bumpCommits(btx); err != nil {
			return err
		}
		if err := btx.Commit(); err != nil {
			return fmt.Errorf("nothing was saved to the register %s: %s", s.path, saveProblem(err))
		}
		committed = true
		return nil
	})
}

// saveProblem says in words why a commit failed.
func saveProblem(err error) string {
	if p := diskProblem(err); p != "" {
		return p + ". Make room, or put it right, and save again"
	}
	return "the file could not be written (" + plainOSError(err) + ")"
}

// diskProblem names, in words, a full disk, read-only media or a missing
// permission behind err; "" for anything else. bbolt passes some of these
// on as text only ("meta 0 copy: write …: no space left on device"), so
// the text is looked at too.
func diskProblem(err error) string {
	text := err.Error()
	switch {
	case errors.Is(err, syscall.ENOSPC) || strings.Contains(text, "no space left on device"):
		return "the disk is full"
	case errors.Is(err, syscall.EDQUOT) || strings.Contains(text, "disk quota exceeded"):
		return "your disk quota is used up"
	case errors.Is(err, syscall.EROFS) || strings.Contains(text, "read-only file system"):
		return "the disk is read-only"
	case errors.Is(err, os.ErrPermission) || strings.Contains(text, "permission denied"):
		return "you may not write there"
	}
	return ""
}

// plainOSError is an operating system error without the Go call that met
// it ("write /path: no space left on device" gives "no space left on
// device").
func plainOSError(err error) string {
	if p := diskProblem(err); p != "" {
		return p
	}
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "it is not there (check the name and the folder)"
	case errors.Is(err, syscall.EISDIR):
		return "it is a folder"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of its path is a file, not a folder"
	case errors.Is(err, syscall.EIO):
		return "the disk could not be read or written (it may be failing, or be a network drive that went away)"
	case errors.Is(err, syscall.ENAMETOOLONG):
		return "its name is too long"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Err.Error()
	}
	return err.Error()
}

// keyCommits is the meta key of the commit counter: how many saves the
// register has taken (8 bytes big-endian). Each save adds one in its own
// transaction, and every backup carries the count it was made at, so a
// register that holds fewer saves than one of its backups has been rolled
// back (an old copy put in its place, or a lost save).
var keyCommits = []byte("commits")

// bumpCommits counts a save.
func bumpCommits(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return fmt.Errorf("%w: the meta section is missing", model.ErrDamaged)
	}
	return meta.Put(keyCommits, itob(btoi(meta.Get(keyCommits))+1))
}

// commits reads the commit counter of an open file.
func commits(tx *bolt.Tx) uint64 {
	if meta := tx.Bucket(bucketMeta); meta != nil {
		return btoi(meta.Get(keyCommits))
	}
	return 0
}
