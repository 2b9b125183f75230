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
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// DefaultTimeout is how long Open waits for another process to let go of the
// file. It is kept well under the two seconds after which a person would
// think the app has hung.
const DefaultTimeout = time.Second

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
}

// Store is the register in a bbolt file. It is safe for concurrent use: bbolt
// allows many read transactions and one write transaction at a time.
type Store struct {
	db   *bolt.DB
	path string
	now  func() time.Time
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
	if path == "" {
		return nil, errors.New("no register file was given")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cannot use %q as the register's location: %w", path, err)
	}
	path = abs
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the folder for the register %s: %w", path, err)
	}

	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && info.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a register file", path)
	case statErr == nil:
		// Read the file without taking it for writing first: a file from a
		// newer version must be left exactly as it is, and a damaged one
		// must be found out before bbolt is asked to write to it.
		full := opts.NoBackup || backupDue(path, opts.Now())
		if err := inspect(path, opts.Timeout, opts.Now, full); err != nil {
			return nil, err
		}
	case !errors.Is(statErr, os.ErrNotExist):
		return nil, fmt.Errorf("cannot open the register %s: %w", path, statErr)
	}

	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opts.Timeout})
	if err != nil {
		return nil, openError(path, err)
	}
	// bbolt only sets the mode when it creates the file; a register copied
	// in from elsewhere may be readable by others.
	_ = os.Chmod(path, 0o600)
	s := &Store{db: db, path: path, now: opts.Now}
	if err := s.prepare(); err != nil {
		_ = db.Close()
		return nil, err
	}
	if !opts.NoBackup {
		if _, err := s.dailyBackup(); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	return s, nil
}

// openError turns bbolt's errors into words.
func openError(path string, err error) error {
	if errors.Is(err, bolt.ErrTimeout) {
		return lockedError(path)
	}
	if errors.Is(err, os.ErrPermission) {
		return fmt.Errorf("cannot open the register %s: you do not have permission to read and write it", path)
	}
	detail := err.Error()
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
		// transaction, which costs no sync to disk.
		current := false
		_ = s.db.View(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			current = meta != nil && btoi(meta.Get(keySchema)) == SchemaVersion
			for _, name := range allBuckets {
				current = current && tx.Bucket(name) != nil
			}
			return nil
		})
		if current {
			return nil
		}
		return s.db.Update(func(tx *bolt.Tx) error {
			meta := tx.Bucket(bucketMeta)
			if meta == nil {
				return initialise(tx)
			}
			// Go by the version the file holds now: inspect read it
			// before the lock for writing was taken.
			return migrate(tx, int(btoi(meta.Get(keySchema))))
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
		return damagedError(path, fmt.Sprint(r))
	}
	return programError(path, r)
}

// isDamage tells damage from a bug; it must be called from the deferred
// function that recovers r.
func isDamage(r any) bool {
	_, fault := r.(interface{ Addr() uintptr })
	return fault || raisedIn(bboltPackage)
}

// programError logs a bug with its stack and says, in words, that it was
// the app's fault and that nothing was saved.
func programError(path string, r any) error {
	log.Printf("program error while using the register %s: %v\n%s", path, r, debug.Stack())
	return fmt.Errorf("%w (%v)", model.ErrProgram, r)
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
	if err := s.db.Close(); err != nil {
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
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.guard(func() error {
		btx, err := s.db.Begin(false)
		if err != nil {
			return fmt.Errorf("cannot read the register %s: %w", s.path, err)
		}
		defer func() { _ = btx.Rollback() }()
		return fn(model.NewReader(&records{tx: btx, s: s}))
	})
}

// Update runs fn in a read-write transaction. Every change fn makes is
// stored with its audit events when fn returns nil; nothing is stored when
// it returns an error (or panics).
func (s *Store) Update(ctx context.Context, by model.Actor, fn func(tx model.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.guard(func() error {
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
		if err := fn(model.NewWriter(&records{tx: btx, s: s}, by, s.now())); err != nil {
			return err
		}
		if err := btx.Commit(); err != nil {
			return fmt.Errorf("saving to the register %s: %w", s.path, err)
		}
		committed = true
		return nil
	})
}
