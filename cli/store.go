package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/postgres"
)

// dbFlag adds the --db option every command takes.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "the register: a file, or a shared register's address postgres://… (default: $"+storage.EnvDB+", else the app's data folder)")
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
// default location) and opens it: a file, or a shared register on a
// PostgreSQL server. Its errors already say, in words, which register and
// what went wrong: locked by a window, damaged (with the backups to
// restore), from a newer version, or a server that cannot be reached or
// refuses the login.
func openStore(env *Env, db string) (model.Store, error) {
	return openStoreWith(env, db, storage.Options{})
}

// openStoreWith is openStore with the file's options, for commands that
// must not make the daily backup (backup makes its own).
func openStoreWith(env *Env, db string, opts storage.Options) (model.Store, error) {
	loc, isURL, err := locate(env, db)
	if err != nil {
		return nil, err
	}
	return openAt(loc, isURL, opts)
}

// openAt opens the register at a location locate gave.
func openAt(loc string, isURL bool, opts storage.Options) (model.Store, error) {
	if isURL {
		s, err := postgres.Open(context.Background(), loc, postgres.Options{Now: opts.Now})
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	s, err := storage.Open(loc, opts)
	if err != nil {
		return nil, err // not a nil *Store inside the interface
	}
	return s, nil
}

// openIfThere opens the register for a dry run, which reads a register to
// compare with and never creates one: a file that does not exist gives a
// nil store. A shared register is never created by opening it.
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
	s, err := openAt(loc, isURL, storage.Options{NoBackup: true})
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

// upperFirst starts a sentence with a capital.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
