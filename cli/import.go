package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"improvementtracker/importer/report"
	"improvementtracker/importer/returns"
	"improvementtracker/model"
	"improvementtracker/storage"
)

func init() {
	register(&Command{
		Name:  "import report",
		Usage: "import report FILE|- [--db PATH] [--report-title T] [--published DD/MM/YYYY] [--dry-run] [--json]",
		Short: "Read an inspection report (.txt, .pdf, a saved web page .html/.htm, or - for text piped in) and add its findings to the register",
		Run:   runImportReport,
	})
}

// reportJSON is what "import report --json" prints.
type reportJSON struct {
	Report struct {
		Title     string `json:"title"`
		Force     string `json:"force,omitempty"`
		Cycle     string `json:"cycle,omitempty"`
		Layout    string `json:"layout"`
		Type      string `json:"type"`
		Published string `json:"published,omitempty"`
		InStore   bool   `json:"in_register"`
	} `json:"report"`
	Findings []findingJSON `json:"findings"`
	// Headings are the box headings the text has and the findings made
	// from them.
	Headings []report.HeadingCount `json:"headings,omitempty"`
	Warnings []string              `json:"warnings,omitempty"`
	DryRun   bool                  `json:"dry_run"`
}

type findingJSON struct {
	Type     model.FindingType `json:"type"`
	Area     string            `json:"area"`
	Grade    model.Grade       `json:"grade"`
	Title    string            `json:"title"`
	Text     string            `json:"text"`
	Flags    []string          `json:"flags"`
	Parent   int               `json:"parent,omitempty"`
	Deadline string            `json:"deadline,omitempty"`
	// Target is the date the deadline gives (yyyy-mm-dd).
	Target    string `json:"target,omitempty"`
	Duplicate string `json:"duplicate_of,omitempty"`
	// NotForForce marks a recommendation addressed to others: listed,
	// not imported.
	NotForForce bool   `json:"not_for_force,omitempty"`
	Addressee   string `json:"addressee,omitempty"`
	Include     bool   `json:"include"`
	// Lines and Source are the lines of the text the finding was read
	// from, to check it against.
	Lines  [][2]int `json:"lines,omitempty"`
	Source string   `json:"source,omitempty"`
	Ref    string   `json:"ref,omitempty"`
}

func runImportReport(env *Env) (err error) {
	fs := newFlags(env, commands["import report"])
	db := dbFlag(fs)
	title := fs.String("report-title", "", "the report's title in the register (default: force and cycle from the text, e.g. \"Kent Police PEEL 2021/22\")")
	published := fs.String("published", "", "the report's publication date (dd/mm/yyyy), where the text gives none or gives it wrong: deadlines such as \"within six months\" are counted from it")
	dry := fs.Bool("dry-run", false, "show what would be imported; the register is not changed (nor created)")
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usageError("give one report file (.txt, .pdf, .html or .htm), or - to read the text piped in")
	}
	file := args[0]
	var text string
	if file == "-" {
		// The text piped in, as when it is copied out of a PDF viewer.
		b, err := io.ReadAll(io.LimitReader(env.Stdin, report.MaxInputBytes+1))
		if err != nil {
			return fmt.Errorf("reading the report's text: %w", err)
		}
		file = report.PastedText
		text = string(b)
	} else if text, err = report.ReadFile(file); err != nil {
		return err
	}
	parsed, err := report.Parse(text)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(file), err)
	}

	var s model.Store
	if *dry {
		// A dry run reads the register, if there is one, to mark
		// duplicates, and never creates or writes it.
		if s, _, err = openIfThere(env, *db); err != nil {
			return err
		}
	} else if s, err = openStore(env, *db); err != nil {
		return err
	}
	if s != nil {
		defer closeStore(env, s, &err)
	}
	pl, err := report.NewPlan(s, parsed, filepath.Base(file), *title)
	if err != nil {
		return err
	}
	if *published != "" {
		d, err := model.ParseDate(*published)
		if err != nil {
			return usageError("--published: %v", err)
		}
		pl.SetPublished(d)
	}
	for _, w := range parsed.Warnings {
		fmt.Fprintln(env.Stderr, "Note: "+w)
	}
	if *dry {
		if *asJSON {
			return writeReportJSON(env.Stdout, pl, nil, true)
		}
		writeReportTable(env.Stdout, pl)
		fmt.Fprintf(env.Stdout, "\nDry run: %d of %d findings would be added to %q%s. Nothing was changed.\n",
			pl.Included(), len(pl.Rows), pl.Report.Title, newOrExisting(pl.Report))
		return nil
	}
	res, err := pl.Apply(s, "")
	if err != nil {
		if errors.Is(err, report.ErrNothingToImport) && len(pl.Rows) > 0 {
			return fmt.Errorf("%w (%q already holds all %d findings of %s)", err, pl.Report.Title, len(pl.Rows), filepath.Base(file))
		}
		return err
	}
	if *asJSON {
		return writeReportJSON(env.Stdout, pl, res.Created, false)
	}
	fmt.Fprintf(env.Stdout, "Imported %d findings into %q from %s", len(res.Created), res.Report.Title, filepath.Base(file))
	if res.Skipped > 0 {
		dups, others := 0, 0
		for _, r := range pl.Rows {
			switch {
			case r.Duplicate != "":
				dups++
			case r.NotForForce && !r.Include:
				others++
			}
		}
		var why []string
		if dups > 0 {
			why = append(why, fmt.Sprintf("%d already in the register", dups))
		}
		if others > 0 {
			why = append(why, fmt.Sprintf("%d not for the force", others))
		}
		if rest := res.Skipped - dups - others; rest > 0 {
			why = append(why, fmt.Sprintf("%d unticked", rest))
		}
		fmt.Fprintf(env.Stdout, " (%d skipped: %s)", res.Skipped, strings.Join(why, ", "))
	}
	fmt.Fprintln(env.Stdout, ".")
	for _, f := range res.Created {
		flag := ""
		if f.WordingMissing {
			flag = "  [" + report.FlagWordingMissing + "]"
		}
		fmt.Fprintf(env.Stdout, "  %s  %s%s\n", f.Ref, f.DisplayTitle(), flag)
	}
	return nil
}

// notForForce says why a recommendation is not imported.
func notForForce(addressee string) string {
	if addressee == "" {
		return "not for the force"
	}
	return "not for the force: addressed to " + addressee
}

func newOrExisting(r model.Report) string {
	if r.ID != 0 {
		return " (already in the register)"
	}
	return " (a new report)"
}

func writeReportTable(w io.Writer, pl *report.Plan) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tType\tArea\tGrade\tTitle\tNotes")
	for i, r := range pl.Rows {
		notes := append([]string(nil), r.Flags...)
		if r.Duplicate != "" {
			notes = append(notes, "already in the register as "+r.Duplicate)
		}
		if r.Parent > 0 {
			notes = append(notes, fmt.Sprintf("under #%d", r.Parent))
		}
		if r.Deadline != "" {
			if !r.Target.IsZero() {
				notes = append(notes, r.Deadline+" (target "+r.Target.String()+")")
			} else {
				notes = append(notes, r.Deadline)
			}
		}
		if r.NotForForce {
			notes = append(notes, notForForce(r.Addressee))
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", i+1, r.Type, clip(r.Area, 40), r.Grade, clip(r.Title, 70), strings.Join(notes, "; "))
	}
	tw.Flush()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func writeReportJSON(w io.Writer, pl *report.Plan, created []model.Finding, dry bool) error {
	var out reportJSON
	out.DryRun = dry
	out.Report.Title = pl.Report.Title
	out.Report.Force = pl.Parsed.Force
	out.Report.Cycle = pl.Parsed.Cycle
	out.Report.Layout = pl.Parsed.Layout
	out.Report.Type = string(pl.Report.Type)
	out.Report.Published = pl.Report.Published.ISO()
	out.Report.InStore = pl.Report.ID != 0
	out.Headings = pl.Parsed.Headings
	out.Warnings = pl.Parsed.Warnings
	k := 0
	out.Findings = []findingJSON{}
	for _, r := range pl.Rows {
		f := findingJSON{Type: r.Type, Area: r.Area, Grade: r.Grade, Title: r.Title, Text: r.Text,
			Flags: append([]string{}, r.Flags...), Parent: r.Parent, Deadline: r.Deadline, Target: r.Target.ISO(), Duplicate: r.Duplicate,
			NotForForce: r.NotForForce, Addressee: r.Addressee, Include: r.Include && r.Duplicate == "",
			Lines: r.Lines, Source: r.Source}
		if !dry {
			if !r.Include || r.Duplicate != "" {
				continue
			}
			if k < len(created) {
				f.Ref = created[k].Ref
				k++
			}
		}
		out.Findings = append(out.Findings, f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func init() {
	register(&Command{
		Name:  "import return",
		Usage: "import return FILE [--db PATH] [--dry-run] [--json] [--apply-all] [--password P]",
		Short: "Read a progress return a delivery lead edited, show what it changes, and apply the changes",
		Run:   runImportReturn,
	})
}

func runImportReturn(env *Env) (err error) {
	fs := newFlags(env, commands["import return"])
	db := dbFlag(fs)
	dry := fs.Bool("dry-run", false, "list the changes and problems only; the register is not changed")
	asJSON := fs.Bool("json", false, "print the changes and problems as JSON")
	all := fs.Bool("apply-all", false, "also apply changes that conflict with edits made in the app since the export (the return's value wins)")
	password := fs.String("password", "", "the password the workbook was saved with, if any")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usageError("give one returned workbook (.xlsx)")
	}
	ret, err := returns.ReadFile(args[0], *password)
	if err != nil {
		return err
	}
	var s model.Store
	if *dry {
		var loc storage.Location
		if s, loc, err = openIfThere(env, *db); err != nil {
			return err
		}
		if s == nil {
			return fmt.Errorf("there is no register at %s to compare the return with", loc)
		}
	} else if s, err = openExisting(env, *db); err != nil {
		// A return is applied to the register it was exported from: a
		// mistyped --db must not make an empty one and its folders.
		return err
	}
	defer closeStore(env, s, &err)
	d, err := returns.Compare(s, ret)
	if err != nil {
		return err
	}
	if *all {
		for i := range d.Findings {
			for j := range d.Findings[i].Changes {
				d.Findings[i].Changes[j].Apply = true
			}
		}
	}
	var applied *returns.Applied
	_, ticked := d.Count()
	if !*dry && ticked > 0 {
		res, err := d.Apply(s, "")
		if err != nil {
			return err
		}
		applied = &res
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			*returns.Diff
			DryRun  bool             `json:"dry_run"`
			Applied *returns.Applied `json:"applied,omitempty"`
		}{d, *dry, applied}); err != nil {
			return err
		}
	} else {
		writeReturnSummary(env.Stdout, d, *dry, applied)
	}
	if len(d.Problems) > 0 {
		rest := "nothing was applied"
		if applied != nil {
			rest = "the other changes were applied"
		}
		return fmt.Errorf("%d %s in %s could not be read or was refused (listed above) and %s left out; %s", len(d.Problems),
			model.Plural(len(d.Problems), "row or cell", "rows or cells"), ret.FileName, model.Plural(len(d.Problems), "was", "were"), rest)
	}
	return nil
}

func writeReturnSummary(w io.Writer, d *returns.Diff, dry bool, applied *returns.Applied) {
	total, ticked := d.Count()
	writeDiff(w, d)
	switch {
	case total == 0:
		fmt.Fprintln(w, "\nThe return changes nothing in the register.")
	case dry:
		fmt.Fprintf(w, "\nDry run: %d of %d changes would be applied. Nothing was changed.\n", ticked, total)
	case applied == nil:
		fmt.Fprintf(w, "\nNothing was applied: every change conflicts with an edit made in the app since the export. Check them, then run again with --apply-all to let the return's values win.\n")
	default:
		fmt.Fprintf(w, "\nApplied %d of %d changes to %d findings: %d progress updates, %d target revisions, %d milestones completed.\n",
			ticked, total, applied.Findings, applied.Updates, applied.Targets, applied.Milestones)
		if ticked < total {
			fmt.Fprintf(w, "%d conflicting changes were left alone; use --apply-all to apply them.\n", total-ticked)
		}
	}
}

// writeDiff lists the changes per finding in plain words, conflicts side
// by side, then the problems.
func writeDiff(w io.Writer, d *returns.Diff) {
	for _, w2 := range d.Warnings {
		fmt.Fprintln(w, "Note: "+w2)
	}
	for _, fd := range d.Findings {
		fmt.Fprintf(w, "%s  %s\n", fd.Ref, fd.Title)
		for _, c := range fd.Changes {
			mark := "[x]"
			if !c.Apply {
				mark = "[ ]"
			}
			fmt.Fprintf(w, "  %s %s\n", mark, c.Words)
			if c.Conflict {
				fmt.Fprintf(w, "      conflict: the return says %q; the app now says %q (changed since the export)\n", clip(c.To, 200), clip(c.AppNow, 200))
			}
		}
	}
	if len(d.Problems) > 0 {
		fmt.Fprintln(w, "\nProblems (not imported):")
		for _, p := range d.Problems {
			fmt.Fprintln(w, "  "+p.String())
		}
	}
}
