package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/transfer"
)

func init() {
	register(&Command{
		Name:  "copy",
		Usage: "copy --from FILE|URL --to FILE|URL",
		Short: "Copy a whole register into an empty one: a file to a shared register on PostgreSQL, back to a file, or file to file",
		Run:   runCopy,
	})
}

// runCopy copies a register, IDs, references and audit trail as they are,
// into an empty target: a new file is made; a shared register must have
// been set up with "server init" and be empty.
func runCopy(env *Env) (err error) {
	fs := newFlags(env, commands["copy"])
	from := fs.String("from", "", "the register to copy: a file, or a shared register's address postgres://…")
	to := fs.String("to", "", "the empty register to copy into: a new file, or an empty shared register's address")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("copy takes no arguments, got %q", args[0])
	}
	if strings.TrimSpace(*from) == "" || strings.TrimSpace(*to) == "" {
		return usageError("give both the register to copy (--from) and the one to copy into (--to)")
	}
	// Neither end falls back to IMPROVEMENT_TRACKER_DB: a copy names both.
	fromLoc, err := storage.Parse(*from)
	if err != nil {
		return err
	}
	toLoc, err := storage.Parse(*to)
	if err != nil {
		return err
	}
	if fromLoc == toLoc {
		return fmt.Errorf("%s: %w", fromLoc, transfer.ErrSameRegister)
	}
	if !fromLoc.Exists() {
		return fmt.Errorf("there is no register file at %s to copy", fromLoc)
	}
	// A new target file that the copy does not fill is removed again, so
	// that a failed copy leaves nothing behind to be mistaken for one.
	madeFile := !toLoc.Exists()
	// So is the folder of attached files beside it, if the copy made it.
	madeFiles := false
	if dir := toLoc.FilesDir(); dir != "" {
		_, err := os.Stat(dir)
		madeFiles = errors.Is(err, os.ErrNotExist)
	}

	src, err := open(env, fromLoc, storage.Options{NoBackup: true})
	if err != nil {
		return err
	}
	defer closeStore(env, src, &err)
	dst, err := open(env, toLoc, storage.Options{NoBackup: true})
	if err != nil {
		// Opening a new file that cannot be made (a full disk) removes
		// what it made; anything still there from this copy goes too.
		if madeFile && !errors.Is(err, model.ErrLocked) {
			_ = os.Remove(toLoc.Path())
		}
		return err
	}
	source, ok1 := src.(transfer.Source)
	target, ok2 := dst.(transfer.Target)
	if !ok1 || !ok2 {
		_ = dst.Close()
		return fmt.Errorf("%w: these registers cannot be copied record by record", model.ErrProgram)
	}
	sum, err := transfer.Copy(context.Background(), source, target)
	cerr := dst.Close()
	if err == nil {
		err = cerr
	}
	if err != nil {
		if madeFile {
			_ = os.Remove(toLoc.Path())
		}
		if madeFiles {
			_ = os.RemoveAll(toLoc.FilesDir())
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "Copied %s into %s: %s.\n", fromLoc, toLoc, sum)
	return nil
}
