package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage"
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

// openStore opens the register --db names (storage.Locate): a file, made
// when there is none, or a shared register on a PostgreSQL server. Its
// errors already say, in words, which register and what went wrong: locked
// by a window, damaged (with the backup to restore), from a newer version,
// or a server that cannot be reached or refuses the login.
//
// A command that saves makes the day's backup of a file, when it is due,
// alongside its own work rather than before it (storage.Options
// BackupInBackground): open starts it, holding the register as it was
// before the command's first save, and closeStore waits for it, so the
// command never ends with the backup half written.
func openStore(env *Env, db string) (model.Store, error) {
	return openDB(env, db, storage.Options{BackupInBackground: true})
}

// openExisting is openStore for commands that only read (or write to a
// register that must already be there): a path with no register is
// refused, so that a mistyped --db never quietly gives an empty register.
// The day's backup is made alongside the command's work, as openStore's.
func openExisting(env *Env, db string) (model.Store, error) {
	return openDB(env, db, storage.Options{MustExist: true, BackupInBackground: true})
}

// openForReading is openExisting for the commands that only read (list,
// summary, reports, submissions, the exports): a register file that a
// window has open for saving is read from a copy of it as it was at one
// moment, said on stderr, rather than refused. Commands that save keep
// the refusal, from openExisting. A command that only reads changes
// nothing, so it does not make the day's backup (which at 10,000 findings
// takes seconds to copy, check and compress): the window and every
// command that saves do.
func openForReading(env *Env, db string) (model.Store, error) {
	return openDB(env, db, storage.Options{MustExist: true, SnapshotIfHeld: true, NoBackup: true})
}

// openDB opens the register --db names with the options given.
func openDB(env *Env, db string, opts storage.Options) (model.Store, error) {
	loc, err := storage.Locate(db, env.Getenv)
	if err != nil {
		return nil, err
	}
	return open(env, loc, opts)
}

// open opens the register at loc. What went wrong on opening without
// stopping it (a daily backup that could not be written, a register opened
// for reading only) is said on stderr, one line each. A file's day's
// backup left to the background (opts.BackupInBackground) is started
// before open returns, so that it holds the register as it was before
// anything the command saves; closeStore waits for it and says if it
// failed.
func open(env *Env, loc storage.Location, opts storage.Options) (model.Store, error) {
	s, err := storage.Open(context.Background(), loc, opts)
	if err != nil {
		return nil, err
	}
	sayNotes(env, s)
	if b, ok := s.(backgroundBackup); ok && opts.BackupInBackground {
		b.StartBackup()
	}
	return s, nil
}

// backgroundBackup is a register file whose day's backup is made
// alongside the command's work (storage.Options.BackupInBackground). A
// shared register on a server has no daily backup, and is not one.
type backgroundBackup interface {
	StartBackup()
	BackupDone() <-chan error
}

// openIfThere opens the register for a dry run, which reads a register to
// compare with and never makes one: a file that is not there gives a nil
// store.
func openIfThere(env *Env, db string) (model.Store, storage.Location, error) {
	loc, err := storage.Locate(db, env.Getenv)
	if err != nil || !loc.Exists() {
		return nil, loc, err
	}
	s, err := open(env, loc, storage.Options{NoBackup: true})
	return s, loc, err
}

// sayNotes prints what went wrong on opening s without stopping it.
func sayNotes(env *Env, s model.Store) {
	readOnly, warnings := storage.Notes(s)
	if readOnly != "" {
		fmt.Fprintf(env.Stderr, "Note: %s.\n", readOnly)
	}
	for _, w := range warnings {
		fmt.Fprintf(env.Stderr, "Warning: %s\n", w)
	}
}

// waitForBackup waits for the day's backup to end and returns its error.
// The command has said what it did by then; a person waiting on a large
// register's backup is told why it has not ended, so as not to take it
// for hung and stop it. The clock is started only when the backup is
// still being written, as it is only on the day's first command.
func waitForBackup(env *Env, s model.Store, done <-chan error) error {
	select {
	case err := <-done:
		return err
	default:
	}
	t := time.NewTimer(backupNoticeAfter)
	defer t.Stop()
	select {
	case err := <-done:
		return err
	case <-t.C:
		fmt.Fprintf(env.Stderr, "Finishing the day's backup of %s…\n", where(s))
		return <-done
	}
}

// backupNoticeAfter is how long a command waits for the day's backup
// before it says that it is waiting for it: long enough that a force's
// register (a tenth of a second) never says it.
const backupNoticeAfter = time.Second

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

// closeStore closes s, reporting a failure to close only when the command
// itself succeeded. The day's backup of a file, when one is being made
// alongside the command, is waited for first, whether the command
// succeeded or not: closing would give it up, to be made again by the
// next command, and the process must not end with it half written. A
// backup that could not be made is said on stderr as the line an open
// that makes it says (sayNotes); the command's own outcome stands, since
// what it saved is in the register either way.
func closeStore(env *Env, s model.Store, err *error) {
	if b, ok := s.(backgroundBackup); ok {
		if berr := waitForBackup(env, s, b.BackupDone()); berr != nil {
			fmt.Fprintf(env.Stderr, "Warning: %s\n", berr)
		}
	}
	if cerr := s.Close(); cerr != nil && *err == nil {
		*err = fmt.Errorf("%w", cerr)
	}
}
