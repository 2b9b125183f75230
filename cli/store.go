package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/postgres"
)

// dbFlag adds the --db option every command takes. An empty --db is a
// mistake (a shell variable that was not set), not a request for the
// default register: it is refused.
func dbFlag(fs *flag.FlagSet) *string {
	v := &dbValue{}
	fs.Var(v, "db", "the register: a file, or a shared register's address postgres://… (default: $"+storage.EnvDB+", else the app's data folder)")
	return &v.path
}

// dbValue is the --db option's value.
type dbValue struct{ path string }

func (v *dbValue) String() string { return v.path }

func (v *dbValue) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("--db was given no file: give the register file's path (or a shared register's address), or leave --db out to use the default register")
	}
	v.path = s
	return nil
}

// locate decides which register to use: the --db value, then
// IMPROVEMENT_TRACKER_DB, then the default file. A PostgreSQL URL is kept
// as it is; anything else is a file path (storage.ResolvePath).
func locate(env *Env, db string) (loc string, isURL bool, err error) {
	v := strings.TrimSpace(db)
	if v == "" {
		v = strings.TrimSpace(env.Getenv(storage.EnvDB))
	}
	if storage.IsURL(v) {
		return v, true, nil
	}
	path, err := storage.ResolvePath(v, env.Getenv)
	return path, false, err
}

// openStore finds the register (--db, then IMPROVEMENT_TRACKER_DB, then the
// default location) and opens it: a file, created when there is none, or
// a shared register on a PostgreSQL server. Its errors already say, in
// words, which register and what went wrong: locked by a window, damaged
// (with the backup to restore), from a newer version, or a server that
// cannot be reached or refuses the login.
func openStore(env *Env, db string) (model.Store, error) {
	return openStoreWith(env, db, storage.Options{})
}

// openExisting is openStore for commands that only read (or write to a
// register that must already be there): a path with no register is
// refused, so that a mistyped --db never quietly gives an empty register.
// (A shared register is never created by opening it.)
func openExisting(env *Env, db string) (model.Store, error) {
	return openStoreWith(env, db, storage.Options{MustExist: true})
}

// openForReading is openExisting for the commands that only read (list,
// summary, reports, submissions, the exports): a register file that a
// window has open for saving is read from a copy of it as it was at one
// moment (storage.OpenSnapshot), said on stderr, rather than refused.
// Commands that save keep the refusal, from openExisting.
func openForReading(env *Env, db string) (model.Store, error) {
	loc, isURL, err := locate(env, db)
	if err != nil {
		return nil, err
	}
	if isURL {
		return openServer(loc, storage.Options{})
	}
	// Waiting for the window to let go is pointless: it holds the file
	// until it closes. A short wait still lets another command finish.
	opts := storage.Options{MustExist: true, Timeout: 200 * time.Millisecond}
	s, err := openFileAt(env, loc, opts)
	if errors.Is(err, model.ErrLocked) {
		s, err = storage.OpenSnapshot(loc, storage.Options{})
		if err == nil {
			fmt.Fprintf(env.Stderr, "Note: %s.\n", s.ReadOnlyNotice())
		}
	}
	if err != nil {
		return nil, err // not a nil *Store inside the interface
	}
	return s, nil
}

// openStoreWith is openStore with the file's options.
func openStoreWith(env *Env, db string, opts storage.Options) (model.Store, error) {
	loc, isURL, err := locate(env, db)
	if err != nil {
		return nil, err
	}
	if isURL {
		return openServer(loc, opts)
	}
	s, err := openFileAt(env, loc, opts)
	if err != nil {
		return nil, err // not a nil *Store inside the interface
	}
	return s, nil
}

// openFileWith opens a register file, for the commands that work on files
// only (backup, check); a shared register's address is refused by
// storage.ResolvePath.
func openFileWith(env *Env, db string, opts storage.Options) (*storage.Store, error) {
	path, err := storage.ResolvePath(db, env.Getenv)
	if err != nil {
		return nil, err
	}
	return openFileAt(env, path, opts)
}

// openFileAt opens the register file at path. What went wrong on opening
// without stopping it (a daily backup that could not be written, a
// register opened for reading only) is said on stderr, one line each.
func openFileAt(env *Env, path string, opts storage.Options) (*storage.Store, error) {
	s, err := storage.Open(path, opts)
	if err != nil {
		return nil, err
	}
	if s.ReadOnly() {
		fmt.Fprintf(env.Stderr, "Note: %s.\n", s.ReadOnlyNotice())
	}
	for _, w := range s.Warnings() {
		fmt.Fprintf(env.Stderr, "Warning: %s\n", w)
	}
	return s, nil
}

// openServer opens a shared register; of the file's options only the
// clock applies.
func openServer(url string, opts storage.Options) (model.Store, error) {
	s, err := postgres.Open(context.Background(), url, postgres.Options{Now: opts.Now})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// openAt opens the register at a location that names both ends of a copy.
func openAt(env *Env, loc string, isURL bool, opts storage.Options) (model.Store, error) {
	if isURL {
		return openServer(loc, opts)
	}
	s, err := openFileAt(env, loc, opts)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// openIfThere opens the register for a dry run, which reads a register to
// compare with and never creates one: a file that does not exist gives a
// nil store.
func openIfThere(env *Env, db string) (model.Store, string, error) {
	loc, isURL, err := locate(env, db)
	if err != nil {
		return nil, "", err
	}
	if !isURL {
		if _, statErr := os.Stat(loc); statErr != nil {
			return nil, loc, nil
		}
	}
	s, err := openAt(env, loc, isURL, storage.Options{NoBackup: true})
	return s, loc, err
}

// where names a register in messages: the file's path, or the database
// and server of a shared register (never a password).
func where(s model.Store) string {
	switch s := s.(type) {
	case model.FileStore:
		return s.Path()
	case interface{ Where() string }:
		return s.Where()
	}
	return "the register"
}

// fileOnly is the error of a command that works on a register file when it
// is given a shared register.
func fileOnly(what string) error {
	return errors.New(what + " works on a register file; a shared register on a PostgreSQL server is backed up, restored and checked by the server's own tools (for example pg_dump), which the force's IT runs")
}

// closeStore closes s, reporting a failure to close only when the command
// itself succeeded.
func closeStore(s model.Store, err *error) {
	if cerr := s.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("%w", cerr)
	}
}
