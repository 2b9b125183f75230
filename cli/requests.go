package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

func init() {
	register(&Command{
		Name: "export requests",
		Usage: "export requests --out FOLDER [--quarter \"Q3 2025/26\"] [--as-at dd/mm/yyyy] [--marking M] [--descriptor D] " +
			"[--password-file F] [--force] [--db PATH]",
		Short: "Write one update request workbook per delivery lead, with only their findings and milestones, for \"import return\" to merge back",
		Run:   runExportRequests,
	})
}

func runExportRequests(env *Env) (err error) {
	fs := newFlags(env, commands["export requests"])
	quarter := fs.String("quarter", "", "the financial quarter the updates are for, like \"Q3 2025/26\" (default: the quarter of the as-at date)")
	x := addExportFlags(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("export requests takes no arguments, got %q", args[0])
	}
	if *x.record {
		return usageError("update requests are not recorded as submitted; record the return made from what comes back")
	}
	folder := strings.TrimSpace(*x.out)
	if folder == "" {
		return usageError("say which folder the workbooks go in with --out FOLDER")
	}
	if info, err := os.Stat(folder); err != nil || !info.IsDir() {
		return fmt.Errorf("%s is not a folder; create it first, or give another with --out", folder)
	}
	var q model.Quarter
	if strings.TrimSpace(*quarter) != "" {
		if q, err = model.ParseQuarter(*quarter); err != nil {
			return usageError("--quarter: %s", err)
		}
	}
	opts := export.ReturnOptions{Period: q}
	s, err := openForReading(env, *x.db)
	if err != nil {
		return err
	}
	in, err := x.read(env, s, exportKind{
		asAt: func(typed model.Date, now time.Time) model.Date {
			// Requests go out during a quarter: as at today unless told,
			// for the quarter of that day unless told.
			if typed.IsZero() {
				typed = model.Today(now)
			}
			if opts.Period.IsZero() {
				opts.Period = model.QuarterOf(typed)
			}
			opts.AsAt = typed
			return typed
		},
		narrativesFrom: func() model.Date { return opts.Period.FirstDay() },
	})
	closeStore(env, s, &err)
	if err != nil {
		return err
	}
	opts.Marking, opts.Now = in.marking, in.now
	books, unled, err := export.BuildUpdateRequests(in.src, opts)
	if err != nil {
		return err
	}
	defer func() {
		for _, w := range books {
			_ = w.Close()
		}
	}()
	if len(books) == 0 {
		fmt.Fprintln(env.Stdout, "No open finding has a delivery lead, so there is nobody to ask for updates.")
	}
	bolt.CleanTempFiles(folder)
	for _, w := range books {
		path := filepath.Join(folder, w.DefaultFileName())
		saved, err := w.Save(path, export.SaveOptions{Password: in.password, Replace: *x.force})
		if errors.Is(err, export.ErrExists) {
			return fmt.Errorf("%s already exists; give --force to replace it, or --out another folder", path)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Saved %s\n  for %s: %d %s; marking %s; SHA-256 %s\n", saved.Path, w.DeliveryLead, w.RowCount(),
			model.Plural(w.RowCount(), "finding", "findings"), w.Marking, saved.SHA256)
		for _, warning := range w.Warnings {
			fmt.Fprintln(env.Stderr, "Warning: "+warning)
		}
	}
	if in.password != "" && len(books) > 0 {
		fmt.Fprintln(env.Stdout, "Each workbook is encrypted: it opens only with the password. Send the password separately.")
	}
	if len(unled) > 0 {
		fmt.Fprintf(env.Stderr, "Warning: %d open %s no delivery lead, so nobody is asked about %s: %s\n", len(unled),
			model.Plural(len(unled), "finding has", "findings have"), model.Plural(len(unled), "it", "them"), strings.Join(unled, ", "))
	}
	return nil
}
