package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage"
	"improvementtracker/storage/bolt"
)

func init() {
	register(&Command{
		Name:  "list",
		Usage: "list [--db PATH] [--format table|csv] [--status S|open] [--rag R] [--type T] [--lead NAME] [--area A] [--report R] [--search TEXT] [--overdue] [--as-at dd/mm/yyyy]",
		Short: "List the findings: reference, type, area, grade, status, RAG, lead, current target and title",
		Run:   runList,
	})
	register(&Command{
		Name:  "backup",
		Usage: "backup [--db PATH]",
		Short: "Write a backup copy of the register into the backups folder beside it",
		Run:   runBackup,
	})
	register(&Command{
		Name:  "restore",
		Usage: "restore FILE [--db PATH] [--force]",
		Short: "Replace the register with a backup, keeping the current file in the backups folder first; with no FILE, list the backups and check each",
		Run:   runRestore,
	})
	register(&Command{
		Name:  "check",
		Usage: "check [--db PATH|URL]",
		Short: "Check the register (a file, or a shared register on a server) for damage, inconsistencies and changes made around its rules",
		Run:   runCheck,
	})
}

// listHeader is the column order of "list", in the table and in CSV.
var listHeader = []string{"Ref", "Type", "Area", "Grade", "Status", "RAG", "Lead", "Current target", "Title"}

func runList(env *Env) (err error) {
	fs := newFlags(env, commands["list"])
	db := dbFlag(fs)
	format := fs.String("format", "table", "table (aligned text) or csv")
	rf := addFilterFlags(fs)
	asAtText := fs.String("as-at", "", "with a filter: judge overdue as at this date, dd/mm/yyyy (default: today)")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("list takes no arguments, got %q", args[0])
	}
	if *format != "table" && *format != "csv" {
		return usageError("--format must be table or csv, not %q", *format)
	}
	if err := rf.Check(); err != nil {
		return usageError("%s", err)
	}
	asAt, err := model.ParseDate(*asAtText)
	if err != nil {
		return usageError("--as-at: %s", err)
	}
	s, err := openForReading(env, *db)
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)
	if asAt.IsZero() {
		asAt = model.Today(s.Now())
	}

	var rows [][]string
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		findings, err := tx.Findings()
		if err != nil {
			return err
		}
		if !rf.IsZero() {
			// The filters judge the register as "export register"
			// prints it: as at a date.
			snap, err := model.TakeSnapshot(tx, asAt)
			if err != nil {
				return err
			}
			findings = filtered(snap, *rf).Findings
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		names := map[model.ID]string{}
		for _, p := range people {
			names[p.ID] = p.Label()
		}
		for _, f := range findings {
			// The delivery lead does the work; without one, the chief
			// officer answers for it.
			lead := names[f.DeliveryLeadID]
			if lead == "" {
				lead = names[f.ChiefOfficerID]
			}
			rows = append(rows, []string{f.Ref, string(f.Type), f.Area, string(f.Grade), string(f.Status),
				string(f.RAG), lead, f.CurrentTarget.String(), f.DisplayTitle()})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the findings of %s: %w", where(s), err)
	}
	if *format == "csv" {
		return writeCSV(env.Stdout, rows)
	}
	if len(rows) == 0 {
		if _, file := s.(model.FileStore); file {
			fmt.Fprintf(env.Stdout, "The register %s has no findings yet.\n", where(s))
		} else {
			fmt.Fprintf(env.Stdout, "%s has no findings yet.\n", model.UpperFirst(where(s)))
		}
		return nil
	}
	return writeTable(env.Stdout, rows)
}

// writeCSV writes the list as CSV for a spreadsheet: a byte-order mark so
// that Excel reads it as UTF-8, and every cell that a spreadsheet could
// take for a formula neutralised as the workbooks' cells are.
func writeCSV(out io.Writer, rows [][]string) error {
	if _, err := io.WriteString(out, export.CSVByteOrderMark); err != nil {
		return err
	}
	w := csv.NewWriter(out)
	_ = w.Write(listHeader)
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			cells[i] = export.CSVCell(c)
		}
		_ = w.Write(cells)
	}
	w.Flush()
	return w.Error()
}

// Column widths for the text table: long areas and titles are cut with an
// ellipsis so each finding stays on one line; --format csv gives them whole.
var listWidths = []int{0, 0, 28, 0, 0, 0, 32, 0, 60}

func writeTable(out io.Writer, rows [][]string) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(listHeader, "\t"))
	for _, row := range rows {
		cells := make([]string, len(row))
		for i, c := range row {
			c = strings.Join(strings.Fields(c), " ")
			if i < len(listWidths) && listWidths[i] > 0 {
				c = truncate(c, listWidths[i])
			}
			cells[i] = c
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// truncate cuts s to n characters, ending with "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

func runBackup(env *Env) (err error) {
	fs := newFlags(env, commands["backup"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("backup takes no arguments, got %q", args[0])
	}
	loc, err := storage.Locate(*db, env.Getenv)
	if err != nil {
		return err
	}
	s, err := storage.OpenFile(loc, "backup", storage.Options{NoBackup: true, MustExist: true})
	if err != nil {
		return err
	}
	sayNotes(env, s)
	defer closeStore(env, s, &err)
	path, err := s.Backup()
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Backup written: %s\n", path)
	return nil
}

func runRestore(env *Env) error {
	fs := newFlags(env, commands["restore"])
	db := dbFlag(fs)
	force := fs.Bool("force", false, "restore the backup even if it fails its check (when no backup checks clean)")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	loc, err := storage.Locate(*db, env.Getenv)
	if err != nil {
		return err
	}
	path, err := loc.FileFor("restore")
	if err != nil {
		return err
	}
	if len(args) != 1 {
		listBackups(env.Stderr, path)
		return usageError("give the one backup file to restore")
	}
	backup, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	if err := bolt.RestoreWith(path, backup, time.Now(), *force); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Restored %s from %s.\n", path, backup)
	if all, err := bolt.ListBackups(path); err == nil {
		for _, b := range all {
			if b.Kind == bolt.KindBeforeRestore {
				fmt.Fprintf(env.Stdout, "The register as it was before is kept as %s.\n", b.Path)
				break
			}
		}
	}
	return nil
}

// listBackups prints the backups there are to restore, newest first, each
// with its size and the result of its check, so that a damaged one is not
// chosen.
func listBackups(w io.Writer, dbPath string) {
	all, err := bolt.ListBackups(dbPath)
	if err != nil || len(all) == 0 {
		fmt.Fprintf(w, "There are no backups of %s yet.\n", dbPath)
		return
	}
	fmt.Fprintf(w, "Backups of %s, newest first:\n", dbPath)
	for _, b := range all {
		verdict := "checks clean"
		if groups, err := bolt.CheckFile(b.Path); err != nil {
			verdict = "cannot be checked: " + err.Error()
		} else if len(groups) > 0 {
			verdict = "DAMAGED: " + bolt.Flatten(groups)[0]
		}
		fmt.Fprintf(w, "  %s  (%s, %s, %s): %s\n", b.Path, b.Kind, b.Time.Format("02/01/2006 15:04"), sizeText(b.Size), verdict)
	}
}

// sizeText is a file's size in words, as the window's restore list says it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func runCheck(env *Env) (err error) {
	fs := newFlags(env, commands["check"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("check takes no arguments, got %q", args[0])
	}
	loc, err := storage.Locate(*db, env.Getenv)
	if err != nil {
		return err
	}
	if loc.Server() {
		return checkServer(env, loc)
	}
	// The check only reads, so it makes no daily backup, which at 10,000
	// findings took longer than the check itself on the day's first run:
	// the backup is left to the background (never started here), which
	// also leaves the check of every page to the check's own first step,
	// not done twice.
	s, err := storage.OpenFile(loc, "check", storage.Options{MustExist: true, BackupInBackground: true})
	if errors.Is(err, model.ErrDamaged) {
		// The file will not open: check it as a closed file, so that
		// everything wrong with it is listed, not only the first thing.
		if groups, cerr := bolt.CheckFile(loc.Path()); cerr == nil {
			printGroups(env.Stdout, groups)
		}
	}
	if err != nil {
		return err
	}
	sayNotes(env, s)
	// No backup was started, so none is waited for (closeStore waits for
	// one started in the background, for ever if it never was).
	defer func() {
		if cerr := s.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	// The check reads each section once and counts what it read; the
	// updates recorded late are found in the same pass, so the register
	// is not read again (nor held) to say so.
	res, err := s.CheckRegister()
	if err != nil {
		return err
	}
	if n := printGroups(env.Stdout, res.Groups); n > 0 {
		return fmt.Errorf("%s has %d problem(s); restore a backup that checks clean (\"improvement-tracker restore\" lists them) or keep the file for inspection", s.Path(), n)
	}
	nf, nu, ne, late := res.Findings, res.Updates, res.Events, res.Late
	printLate(env.Stdout, late)
	fmt.Fprintf(env.Stdout, "%s is sound: %d findings, %d progress updates and %d history entries read and checked, no problems found.\n", s.Path(), nf, nu, ne)
	return nil
}

// checkServer checks a shared register: its records as the file's are
// checked, and its rows against the database's own log and rules.
func checkServer(env *Env, loc storage.Location) (err error) {
	s, err := storage.OpenServer(context.Background(), loc, "check", storage.Options{})
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)
	res, err := s.Check(context.Background())
	if err != nil {
		return err
	}
	printLate(env.Stdout, res.Late)
	if n := printGroups(env.Stdout, res.Problems); n > 0 {
		return fmt.Errorf("%s has %d problem(s); keep the database as it is and show this list to the force's IT: the database's log of changes (table improvement_tracker.changes) says which login made each change", s.Where(), n)
	}
	fmt.Fprintf(env.Stdout, "%s is sound: %d findings, %d progress updates and %d history entries read and checked against the database's rules and its log of changes, no problems found.\n", s.Where(), res.Findings, res.Updates, res.Events)
	return nil
}

// printLate lists the progress updates recorded after a submitted return
// that should have included them. They are not damage: recording late is
// allowed, and shown.
func printLate(w io.Writer, late []model.LateUpdate) {
	if len(late) == 0 {
		return
	}
	fmt.Fprintf(w, "Recorded after a return was submitted (%d; allowed, and shown in the next return's changes):\n", len(late))
	for _, l := range late {
		fmt.Fprintf(w, "  - %s\n", l)
	}
}

// printGroups prints check's problems under their groups' titles and
// returns how many there are.
func printGroups(w io.Writer, groups []bolt.ProblemGroup) int {
	n := 0
	for _, g := range groups {
		fmt.Fprintf(w, "%s:\n", g.Title)
		for _, p := range g.Problems {
			fmt.Fprintf(w, "  - %s\n", p)
		}
		n += len(g.Problems)
	}
	return n
}
