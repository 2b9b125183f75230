package cli

import (
	"flag"
	"fmt"

	"improvementtracker/storage"
)

// dbFlag adds the --db option every command takes.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "the register file (default: $"+storage.EnvDB+", else the app's data folder)")
}

// openStore finds the register (--db, then IMPROVEMENT_TRACKER_DB, then the
// default location) and opens it. Its errors already say, in words, which
// file and what went wrong: locked by a window, damaged (with the backups to
// restore), or from a newer version.
func openStore(env *Env, db string) (*storage.Store, error) {
	return openStoreWith(env, db, storage.Options{})
}

// openStoreWith is openStore with options, for commands that must not make
// the daily backup (backup makes its own).
func openStoreWith(env *Env, db string, opts storage.Options) (*storage.Store, error) {
	path, err := storage.ResolvePath(db, env.Getenv)
	if err != nil {
		return nil, err
	}
	s, err := storage.Open(path, opts)
	if err != nil {
		return nil, err
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
