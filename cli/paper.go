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

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

func init() {
	register(&Command{
		Name:  "export finding",
		Usage: "export finding --finding REF [--format pdf] [--as-at dd/mm/yyyy] [--marking M] [--descriptor D] [--out FILE] [--force] [--db PATH]",
		Short: "Write one finding as an A4 PDF for a meeting: wording, leads, dates, milestones, progress and evidence",
		Run:   runExportFinding,
	})
	register(&Command{
		Name: "export register",
		Usage: "export register [--format pdf|xlsx] [--status S|open] [--rag R] [--type T] [--lead NAME] [--area A] [--report R] [--search TEXT] [--overdue] " +
			"[--as-at dd/mm/yyyy] [--marking M] [--descriptor D] [--out FILE] [--force] [--db PATH]",
		Short: "Write the register, filtered as \"list\" filters it, as an A4 PDF or a workbook",
		Run:   runExportRegister,
	})
	register(&Command{
		Name:  "export pack",
		Usage: "export pack --finding REF [--out FILE.zip] [--marking M] [--descriptor D] [--as-at dd/mm/yyyy] [--force] [--db PATH]",
		Short: "Write a finding's closure evidence pack (cover PDF, attached files, manifest.sha256) and record it against the finding",
		Run:   runExportPack,
	})
}

// paperFlags are the options every paper shares.
type paperFlags struct {
	db, asAt, marking, descriptor, out *string
	force                              *bool
	// records is set for a paper recorded in the register once written
	// (a closure pack): it is refused up front while a window has the
	// register open, rather than written and then not recorded.
	records bool
}

func addPaperFlags(fs *flag.FlagSet) *paperFlags {
	return &paperFlags{
		db:         dbFlag(fs),
		asAt:       fs.String("as-at", "", "the date the paper speaks for, dd/mm/yyyy (default: today)"),
		marking:    fs.String("marking", "", "OFFICIAL or OFFICIAL-SENSITIVE (default: the register's default marking)"),
		descriptor: fs.String("descriptor", "", "a descriptor after the marking, such as PERSONAL"),
		out:        fs.String("out", "", "the file to write (default: the suggested name, in the current folder)"),
		force:      fs.Bool("force", false, "replace the file if it exists"),
	}
}

// read opens the register, settles the marking and as-at date, reads the
// register as at that date and lets the register go; look, when set, reads
// more in the same transaction.
func (x *paperFlags) read(env *Env, look func(tx model.ReadTx, snap *model.Snapshot) error) (*model.Snapshot, export.PaperOptions, error) {
	var opts export.PaperOptions
	open := openForReading
	if x.records {
		open = openExisting
	}
	s, err := open(env, *x.db)
	if err != nil {
		return nil, opts, err
	}
	ef := exportFlags{marking: x.marking, descriptor: x.descriptor, asAt: x.asAt, password: new(string), passwordFile: new(string)}
	typed, marking, _, err := ef.settle(env, s)
	if err != nil {
		closeStore(env, s, &err)
		return nil, opts, err
	}
	opts = export.PaperOptions{Marking: marking, AsAt: typed, Now: s.Now()}
	opts.AsAt = opts.AsAtDate()
	var snap *model.Snapshot
	err = s.View(context.Background(), func(tx model.ReadTx) (err error) {
		if snap, err = model.TakeSnapshot(tx, opts.AsAt); err != nil {
			return fmt.Errorf("reading the register as at %s: %w", opts.AsAt, err)
		}
		if look != nil {
			return look(tx, snap)
		}
		return nil
	})
	closeStore(env, s, &err)
	return snap, opts, err
}

// save writes a paper under --out, or the suggested name, and says where.
func (x *paperFlags) save(env *Env, suggested, ext string, write func(io.Writer) error) (export.Saved, error) {
	path := *x.out
	if path == "" {
		path = suggested
	} else if info, err := os.Stat(path); (err == nil && info.IsDir()) || strings.HasSuffix(path, string(os.PathSeparator)) {
		path = filepath.Join(path, suggested)
	}
	bolt.CleanTempFiles(filepath.Dir(path))
	saved, err := export.SaveFile(path, ext, *x.force, write)
	if errors.Is(err, export.ErrExists) {
		return saved, fmt.Errorf("%s already exists; give --force to replace it, or --out another name", path)
	}
	return saved, err
}

func runExportFinding(env *Env) error {
	fs := newFlags(env, commands["export finding"])
	ref := fs.String("finding", "", "the finding's local reference, like KEN-PEEL2122-AFI-12")
	format := fs.String("format", "pdf", "pdf (the only format of one finding's paper)")
	x := addPaperFlags(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("export finding takes no arguments, got %q", args[0])
	}
	if strings.TrimSpace(*ref) == "" {
		return usageError("say which finding with --finding, like --finding KEN-PEEL2122-AFI-12")
	}
	if *format != "pdf" {
		return usageError("--format must be pdf for one finding, not %q", *format)
	}
	snap, opts, err := x.read(env, nil)
	if err != nil {
		return err
	}
	fo := export.FindingPaperOptions{PaperOptions: opts, Ref: strings.ToUpper(strings.TrimSpace(*ref))}
	saved, err := x.save(env, export.FindingPaperFileName(opts.Marking, fo.Ref), ".pdf", func(w io.Writer) error {
		return export.WriteFindingPaper(w, snap, fo)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Saved %s\n  marking %s; as at %s; SHA-256 %s\n", saved.Path, opts.Marking, opts.AsAt, saved.SHA256)
	return nil
}

// addFilterFlags adds the register's filters, which "list" shares.
func addFilterFlags(fs *flag.FlagSet) *export.RegisterFilter {
	var rf export.RegisterFilter
	fs.StringVar(&rf.Status, "status", "", "only findings at this status (or open: every status not closed or ended)")
	fs.StringVar(&rf.RAG, "rag", "", "only findings with this RAG rating")
	fs.StringVar(&rf.Type, "type", "", "only findings of this type (AFI, COC, REC, IP or the type in words)")
	fs.StringVar(&rf.Lead, "lead", "", "only findings this person leads, as chief officer or delivery lead (part of a name or role)")
	fs.StringVar(&rf.Area, "area", "", "only findings in this area (part of its name)")
	fs.StringVar(&rf.Report, "report", "", "only findings of this report (part of its title, or its code)")
	fs.StringVar(&rf.Search, "search", "", "only findings whose reference, title, wording or interpretation contains this")
	fs.BoolVar(&rf.Overdue, "overdue", false, "only overdue findings")
	return &rf
}

// filtered is the view of the snapshot the filter keeps.
func filtered(snap *model.Snapshot, rf export.RegisterFilter) export.RegisterView {
	v := export.RegisterView{Snapshot: snap, Filter: rf.Describe()}
	for _, f := range snap.Findings {
		if rf.Keep(snap, f) {
			v.Findings = append(v.Findings, f)
		}
	}
	return v
}

func runExportRegister(env *Env) error {
	fs := newFlags(env, commands["export register"])
	format := fs.String("format", "pdf", "pdf or xlsx")
	rf := addFilterFlags(fs)
	x := addPaperFlags(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("export register takes no arguments, got %q", args[0])
	}
	if *format != "pdf" && *format != "xlsx" {
		return usageError("--format must be pdf or xlsx, not %q", *format)
	}
	if err := rf.Check(); err != nil {
		return usageError("%s", err)
	}
	snap, opts, err := x.read(env, nil)
	if err != nil {
		return err
	}
	v := filtered(snap, *rf)
	name := export.RegisterFileName(opts.Marking, snap.Settings.ForceName, opts.AsAt, *format)
	var saved export.Saved
	if *format == "pdf" {
		saved, err = x.save(env, name, ".pdf", func(w io.Writer) error { return export.WriteRegisterPaper(w, v, opts) })
	} else {
		var wb *export.Workbook
		if wb, err = export.BuildRegisterView(v, opts); err != nil {
			return err
		}
		defer wb.Close()
		saved, err = x.save(env, name, ".xlsx", func(w io.Writer) error { _, err := wb.Write(w, ""); return err })
		for _, warning := range wb.Warnings {
			fmt.Fprintln(env.Stderr, "Warning: "+warning)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Saved %s\n  %d %s, %s; marking %s; as at %s; SHA-256 %s\n", saved.Path, len(v.Findings),
		model.Plural(len(v.Findings), "finding", "findings"), v.Filter, opts.Marking, opts.AsAt, saved.SHA256)
	return nil
}

func runExportPack(env *Env) (err error) {
	fs := newFlags(env, commands["export pack"])
	ref := fs.String("finding", "", "the finding's local reference, like KEN-PEEL2122-AFI-12")
	x := addPaperFlags(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("export pack takes no arguments, got %q", args[0])
	}
	if strings.TrimSpace(*ref) == "" {
		return usageError("say which finding with --finding, like --finding KEN-PEEL2122-AFI-12")
	}
	po := export.PackOptions{Ref: strings.ToUpper(strings.TrimSpace(*ref))}
	// The attached files are read, and checked against their digests, in
	// the transaction the register is read in.
	files := map[model.ID][]byte{}
	fileErrs := map[model.ID]error{}
	x.records = true
	snap, opts, err := x.read(env, func(tx model.ReadTx, snap *model.Snapshot) error {
		for _, f := range snap.Findings {
			if f.Ref != po.Ref {
				continue
			}
			for _, e := range snap.EvidenceOf(f.ID) {
				if e.HasFile() {
					files[e.ID], fileErrs[e.ID] = tx.EvidenceFile(e.ID)
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	po.PaperOptions = opts
	var pack export.Pack
	saved, err := x.save(env, export.PackFileName(opts.Marking, po.Ref), ".zip", func(w io.Writer) (err error) {
		pack, err = export.WritePack(w, snap, po, func(e model.Evidence) ([]byte, error) { return files[e.ID], fileErrs[e.ID] })
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Saved %s\n  marking %s; as at %s; %d %s and %s; SHA-256 %s\n", saved.Path, opts.Marking, opts.AsAt,
		len(pack.Files), model.Plural(len(pack.Files), "file", "files"), export.PackManifest, saved.SHA256)
	if pack.References > 0 {
		fmt.Fprintf(env.Stdout, "  %d evidence %s kept on force systems, listed on the cover\n", pack.References, model.Plural(pack.References, "reference", "references"))
	}
	s, err := openExisting(env, *x.db)
	if err != nil {
		return fmt.Errorf("%s was saved, but not recorded against %s: %w", saved.Path, po.Ref, err)
	}
	defer closeStore(env, s, &err)
	sub := pack.Submission(saved, s.Now())
	if err := export.RecordSubmission(s, &sub); err != nil {
		return fmt.Errorf("%s was saved, but %w", saved.Path, err)
	}
	fmt.Fprintf(env.Stdout, "Recorded against %s (submission %d).\n", po.Ref, sub.ID)
	return nil
}
