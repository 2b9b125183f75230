package cli

import (
	"flag"
	"fmt"
	"strings"

	"improvementtracker/storage"
)

// dbFlag adds the --db option every command takes. An empty --db is a
// mistake (a shell variable that was not set), not a request for the
// default register: it is refused.
func dbFlag(fs *flag.FlagSet) *string {
	v := &dbValue{}
	fs.Var(v, "db", "the register file (default: $"+storage.EnvDB+", else the app's data folder)")
	return &v.path
}

// dbValue is the --db option's value.
type dbValue struct{ path string }

func (v *dbValue) String() string { return v.path }

func (v *dbValue) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("--db was given no file: give the register file's path, or leave --db out to use the default register")
	}
	v.path = s
	return nil
}

// openStore finds the register (--db, then IMPROVEMENT_TRACKER_DB, then the
// default location) and opens it, creating it when there is none. Its
// errors already say, in words, which file and what went wrong: locked by
// a window, damaged (with the backup to restore), or from a newer version.
func openStore(env *Env, db string) (*storage.Store, error) {
	return openStoreWith(env, db, storage.Options{})
}

// openExisting is openStore for commands that only read (or write to a
// register that must already be there): a path with no register is
// refused, so that a mistyped --db never quietly gives an empty register.
func openExisting(env *Env, db string) (*storage.Store, error) {
	return openStoreWith(env, db, storage.Options{MustExist: true})
}

// openStoreWith is openStore with options, for commands that must not make
// the daily backup (backup makes its own). What went wrong on opening
// without stopping it (a daily backup that could not be written, a
// register opened for reading only) is said on stderr, one line each.
func openStoreWith(env *Env, db string, opts storage.Options) (*storage.Store, error) {
	path, err := storage.ResolvePath(db, env.Getenv)
	if err != nil {
		return nil, err
	}
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

// closeStore closes s, reporting a failure to close only when the command
// itself succeeded.
func closeStore(s *storage.Store, err *error) {
	if cerr := s.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("%w", cerr)
	}
}
