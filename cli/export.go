package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"improvementtracker/export"
	"improvementtracker/internal/infile"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

func init() {
	register(&Command{
		Name: "export return",
		Usage: "export return --quarter \"Q3 2025/26\" [--as-at dd/mm/yyyy] [--marking OFFICIAL-SENSITIVE] [--descriptor PERSONAL] " +
			"[--password-file F] [--out FILE] [--force] [--record] [--db PATH]",
		Short: "Write the quarterly progress return workbook for the inspectorate",
		Run:   runExportReturn,
	})
	register(&Command{
		Name: "export briefing",
		Usage: "export briefing [--lead NAME] [--as-at dd/mm/yyyy] [--marking OFFICIAL] [--descriptor D] " +
			"[--password-file F] [--out FILE] [--force] [--record] [--db PATH]",
		Short: "Write the chief officer briefing workbook: exceptions first, with a chart",
		Run:   runExportBriefing,
	})
	register(&Command{
		Name:  "submissions",
		Usage: "submissions [--db PATH]",
		Short: "List the returns and briefings recorded as submitted",
		Run:   runSubmissions,
	})
}

// exportFlags are the options both exports share.
type exportFlags struct {
	db, asAt, marking, descriptor, passwordFile, password, out *string
	force, record                                              *bool
}

func addExportFlags(fs *flag.FlagSet) *exportFlags {
	return &exportFlags{
		db:           dbFlag(fs),
		asAt:         fs.String("as-at", "", "the date the workbook speaks for, dd/mm/yyyy (default: the quarter's last day; today for a briefing)"),
		marking:      fs.String("marking", "", "OFFICIAL or OFFICIAL-SENSITIVE (default: the register's default marking)"),
		descriptor:   fs.String("descriptor", "", "a descriptor after the marking, such as PERSONAL"),
		passwordFile: fs.String("password-file", "", "encrypt the workbook with the password in this file (its first line; - reads standard input)"),
		password:     fs.String("password", "", "encrypt the workbook with this password (others on this computer may see it; prefer --password-file)"),
		out:          fs.String("out", "", "the file to write (default: the suggested name, in the current folder)"),
		force:        fs.Bool("force", false, "replace the file if it exists"),
		record:       fs.Bool("record", false, "record the workbook as submitted, so the next one shows what changed since"),
	}
}

// settle reads the as-at date, marking and password the flags give.
func (x *exportFlags) settle(env *Env, s model.Store) (asAt model.Date, marking model.Marking, password string, err error) {
	if asAt, err = model.ParseDate(*x.asAt); err != nil {
		return asAt, marking, "", usageError("--as-at: %s", err)
	}
	text := strings.TrimSpace(*x.marking + " " + *x.descriptor)
	if strings.TrimSpace(*x.marking) == "" {
		var settings model.Settings
		if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { settings, err = tx.Settings(); return }); err != nil {
			return asAt, marking, "", err
		}
		def := settings.DefaultMarking
		if def.Classification == "" {
			def.Classification = model.Official
		}
		text = strings.TrimSpace(string(def.Classification) + " " + firstNonEmpty(*x.descriptor, def.Descriptor))
	}
	if marking, err = model.ParseMarking(text); err != nil {
		return asAt, marking, "", usageError("--marking: %s", err)
	}
	password = *x.password
	if *x.passwordFile != "" {
		if password != "" {
			return asAt, marking, "", usageError("give --password or --password-file, not both")
		}
		if password, err = readPassword(env, *x.passwordFile); err != nil {
			return asAt, marking, "", err
		}
	}
	return asAt, marking, password, nil
}

func firstNonEmpty(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	return b
}

// readPassword reads the first line of a file, or of standard input for -.
func readPassword(env *Env, path string) (string, error) {
	var b []byte
	var err error
	if path == "-" {
		b, err = io.ReadAll(io.LimitReader(env.Stdin, 4096))
	} else {
		b, err = infile.Read(path, "the password file", 4096)
	}
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", fmt.Errorf("the password file %s is empty", path)
	}
	return line, nil
}

// save writes the workbook, reports it and any warnings, and records it as
// submitted when asked, in the register opened again for that.
func (x *exportFlags) save(env *Env, w *export.Workbook, password string) (err error) {
	path := *x.out
	if path == "" {
		path = w.DefaultFileName()
	} else if info, err := os.Stat(path); (err == nil && info.IsDir()) || strings.HasSuffix(path, string(os.PathSeparator)) {
		// --out FOLDER: the suggested name, in that folder.
		path = filepath.Join(path, w.DefaultFileName())
	}
	// A copy killed half way leaves its temporary file beside the output.
	bolt.CleanTempFiles(filepath.Dir(path))
	saved, err := w.Save(path, export.SaveOptions{Password: password, Replace: *x.force})
	if errors.Is(err, export.ErrExists) {
		return fmt.Errorf("%s already exists; give --force to replace it, or --out another name", path)
	}
	if err != nil {
		return err
	}
	rows := fmt.Sprintf("%d rows", w.RowCount())
	if w.RowCount() == 1 {
		rows = "1 row"
	}
	fmt.Fprintf(env.Stdout, "Saved %s\n  marking %s; %s; SHA-256 %s\n", saved.Path, w.Marking, rows, saved.SHA256)
	if password != "" {
		fmt.Fprintln(env.Stdout, "  encrypted: it opens only with the password")
	}
	for _, warning := range w.Warnings {
		fmt.Fprintln(env.Stderr, "Warning: "+warning)
	}
	if *x.record {
		// Its notes and warnings were shown when it was opened to be read.
		quiet := *env
		quiet.Stderr = io.Discard
		s, err := openExisting(&quiet, *x.db)
		if err != nil {
			return fmt.Errorf("%s was saved, but not recorded as submitted: %w. To record it, export it again with --record", saved.Path, err)
		}
		defer closeStore(&quiet, s, &err)
		sub := w.Submission(saved, "", s.Now())
		if err := export.RecordSubmission(s, &sub); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "Recorded as submitted (submission %d).\n", sub.ID)
	}
	return nil
}

// exportKind is what one export command adds to the steps both share.
type exportKind struct {
	// asAt is the date the workbook speaks for, given the date typed
	// (zero when none) and the clock. The register is read as at it, and
	// build is given it: the one date flows through both.
	asAt func(typed model.Date, now time.Time) model.Date
	// lookUp, when set, reads what the command needs besides the source,
	// in the same transaction.
	lookUp func(tx model.ReadTx) error
	build  func(src export.Source, asAt model.Date, marking model.Marking, now time.Time) (*export.Workbook, error)
	// narrativesFrom, when set, is the first date whose progress
	// narratives the workbook prints (export.ReadSourceFrom).
	narrativesFrom func() model.Date
}

// export does what both export commands do once their own flags are read:
// open the register, settle the shared flags, read the register as at the
// workbook's date, build the workbook, then save and record it.
func (x *exportFlags) export(env *Env, kind exportKind) (err error) {
	// A workbook to be recorded as submitted is refused up front while a
	// window has the register open, rather than written and not recorded.
	open := openForReading
	if *x.record {
		open = openExisting
	}
	s, err := open(env, *x.db)
	if err != nil {
		return err
	}
	in, err := x.read(env, s, kind)
	// The register is let go once it has been read: the workbook is built
	// from what was read, and a large register's file is then neither
	// held in memory (it is mapped into it) nor locked against the app
	// while the workbook is made and written.
	closeStore(env, s, &err)
	if err != nil {
		return err
	}
	// Nothing holds what was read once the build has taken it, so that
	// the build can let it go (the rows made from it are all it keeps).
	password := in.password
	w, err := kind.build(in.src, in.asAt, in.marking, in.now)
	if err != nil {
		return err
	}
	defer w.Close()
	return x.save(env, w, password)
}

// exportInput is what an export reads from the register and its flags.
type exportInput struct {
	src      export.Source
	asAt     model.Date
	marking  model.Marking
	password string
	now      time.Time
}

// read settles the shared flags and reads the register as at the
// workbook's date.
func (x *exportFlags) read(env *Env, s model.Store, kind exportKind) (in exportInput, err error) {
	typed, marking, password, err := x.settle(env, s)
	if err != nil {
		return in, err
	}
	in = exportInput{marking: marking, password: password, now: s.Now()}
	in.asAt = kind.asAt(typed, in.now)
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		if kind.lookUp != nil {
			if err := kind.lookUp(tx); err != nil {
				return err
			}
		}
		var from model.Date
		if kind.narrativesFrom != nil {
			from = kind.narrativesFrom()
		}
		var err error
		in.src, err = export.ReadSourceFrom(tx, in.asAt, from)
		return err
	})
	return in, err
}

func runExportReturn(env *Env) (err error) {
	fs := newFlags(env, commands["export return"])
	quarter := fs.String("quarter", "", "the financial quarter, like \"Q3 2025/26\"")
	fs.StringVar(quarter, "period", "", "the same as --quarter")
	x := addExportFlags(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("export return takes no arguments, got %q", args[0])
	}
	if strings.TrimSpace(*quarter) == "" {
		return usageError("say which quarter with --quarter, like --quarter \"Q3 2025/26\"")
	}
	q, err := model.ParseQuarter(*quarter)
	if err != nil {
		return usageError("--quarter: %s", err)
	}
	return x.export(env, exportKind{
		asAt: func(typed model.Date, _ time.Time) model.Date {
			return export.ReturnOptions{Period: q, AsAt: typed}.AsAtDate()
		},
		narrativesFrom: func() model.Date { return q.FirstDay() },
		build: func(src export.Source, asAt model.Date, marking model.Marking, now time.Time) (*export.Workbook, error) {
			return export.BuildReturn(src, export.ReturnOptions{Period: q, AsAt: asAt, Marking: marking, Now: now})
		},
	})
}

func runExportBriefing(env *Env) (err error) {
	fs := newFlags(env, commands["export briefing"])
	lead := fs.String("lead", "", "only the findings this chief officer leads (name or role; part of one will do)")
	x := addExportFlags(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("export briefing takes no arguments, got %q", args[0])
	}
	// leadID is the chief officer named by --lead, looked up in the
	// transaction that reads the register.
	var leadID model.ID
	kind := exportKind{
		asAt: func(typed model.Date, now time.Time) model.Date {
			return export.BriefingOptions{AsAt: typed, Now: now}.AsAtDate()
		},
		build: func(src export.Source, asAt model.Date, marking model.Marking, now time.Time) (*export.Workbook, error) {
			return export.BuildBriefing(src, export.BriefingOptions{AsAt: asAt, LeadID: leadID, Marking: marking, Now: now})
		},
	}
	if strings.TrimSpace(*lead) != "" {
		kind.lookUp = func(tx model.ReadTx) error {
			leads, err := model.ChiefOfficers(tx)
			if err != nil {
				return err
			}
			p, err := model.FindLead(leads, *lead)
			if err != nil {
				return usageError("--lead: %s", err)
			}
			leadID = p.ID
			return nil
		}
	}
	return x.export(env, kind)
}

func runSubmissions(env *Env) (err error) {
	fs := newFlags(env, commands["submissions"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("submissions takes no arguments, got %q", args[0])
	}
	s, err := openForReading(env, *db)
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)
	var subs []model.Submission
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { subs, err = tx.Submissions(); return }); err != nil {
		return err
	}
	if len(subs) == 0 {
		fmt.Fprintln(env.Stdout, "No return or briefing has been recorded as submitted yet. Use --record when you export one.")
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tKind\tPeriod\tAs at\tMarking\tRecorded\tBy\tRows\tSHA-256\tFile")
	for _, sub := range subs {
		what := string(sub.Kind)
		if sub.Filter != "" {
			what += " (" + sub.Filter + ")"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", sub.ID, what, sub.Period, sub.AsAt, sub.Marking,
			sub.Recorded.Local().Format("02/01/2006 15:04"), sub.By, len(sub.Rows), short(sub.SHA256), sub.FileName)
	}
	return tw.Flush()
}

// short abbreviates a digest for a table; the full one is in the record.
func short(sum string) string {
	if len(sum) > 12 {
		return sum[:12] + "…"
	}
	return sum
}
