package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/postgres"
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
	srcLoc, srcURL, err := copyLocation(*from)
	if err != nil {
		return err
	}
	dstLoc, dstURL, err := copyLocation(*to)
	if err != nil {
		return err
	}
	if srcURL == dstURL && srcLoc == dstLoc {
		return fmt.Errorf("%s: %w", shown(srcLoc, srcURL), transfer.ErrSameRegister)
	}
	if !srcURL {
		if _, statErr := os.Stat(srcLoc); statErr != nil {
			return fmt.Errorf("there is no register file at %s to copy", srcLoc)
		}
	}
	// A new target file that the copy does not fill is removed again, so
	// that a failed copy leaves nothing behind to be mistaken for one.
	madeFile := false
	if !dstURL {
		if _, statErr := os.Stat(dstLoc); errors.Is(statErr, os.ErrNotExist) {
			madeFile = true
		}
	}

	src, err := openAt(env, srcLoc, srcURL, storage.Options{NoBackup: true})
	if err != nil {
		return err
	}
	defer closeStore(src, &err)
	dst, err := openAt(env, dstLoc, dstURL, storage.Options{NoBackup: true})
	if err != nil {
		// Opening a new file that cannot be made (a full disk) removes
		// what it made; anything still there from this copy goes too.
		if madeFile && !errors.Is(err, model.ErrLocked) {
			_ = os.Remove(dstLoc)
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
			_ = os.Remove(dstLoc)
		}
		return err
	}
	fmt.Fprintf(env.Stdout, "Copied %s into %s: %s.\n", shown(srcLoc, srcURL), shown(dstLoc, dstURL), sum)
	return nil
}

// copyLocation resolves a --from or --to value: a URL as it is, a path
// made absolute. Neither falls back to IMPROVEMENT_TRACKER_DB: a copy
// names both ends.
func copyLocation(v string) (string, bool, error) {
	v = strings.TrimSpace(v)
	if storage.IsURL(v) {
		return v, true, nil
	}
	p, err := storage.ResolvePath(v, func(string) string { return "" })
	if err != nil {
		return "", false, err
	}
	return filepath.Clean(p), false, nil
}

// shown is a location fit for a message.
func shown(loc string, isURL bool) string {
	if isURL {
		return postgres.Redact(loc)
	}
	return loc
}
