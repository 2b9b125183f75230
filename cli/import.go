package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"improvementtracker/importer/report"
	"improvementtracker/model"
	"improvementtracker/storage"
)

func init() {
	register(&Command{
		Name:  "import report",
		Usage: "import report FILE [--db PATH] [--report-title T] [--dry-run] [--json]",
		Short: "Read an inspection report (.txt or .pdf) and add its findings to the register",
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
		Published string `json:"published,omitempty"`
		InStore   bool   `json:"in_register"`
	} `json:"report"`
	Findings []findingJSON `json:"findings"`
	Warnings []string      `json:"warnings,omitempty"`
	DryRun   bool          `json:"dry_run"`
}

type findingJSON struct {
	Type      model.FindingType `json:"type"`
	Area      string            `json:"area"`
	Grade     model.Grade       `json:"grade"`
	Title     string            `json:"title"`
	Text      string            `json:"text"`
	Flags     []string          `json:"flags"`
	Parent    int               `json:"parent,omitempty"`
	Deadline  string            `json:"deadline,omitempty"`
	Duplicate string            `json:"duplicate_of,omitempty"`
	Ref       string            `json:"ref,omitempty"`
}

func runImportReport(env *Env) (err error) {
	fs := newFlags(env, commands["import report"])
	db := dbFlag(fs)
	title := fs.String("report-title", "", "the report's title in the register (default: force and cycle from the text, e.g. \"Kent Police PEEL 2021/22\")")
	dry := fs.Bool("dry-run", false, "show what would be imported; the register is not changed (nor created)")
	asJSON := fs.Bool("json", false, "print the findings as JSON")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return usageError("give one report file (.txt or .pdf)")
	}
	file := args[0]
	text, err := report.ReadFile(file)
	if err != nil {
		return err
	}
	parsed, err := report.Parse(text)
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Base(file), err)
	}

	var s *storage.Store
	if *dry {
		// A dry run reads the register, if there is one, to mark
		// duplicates, and never creates or writes it.
		path, err := storage.ResolvePath(*db, env.Getenv)
		if err != nil {
			return err
		}
		if _, statErr := os.Stat(path); statErr == nil {
			if s, err = storage.Open(path, storage.Options{NoBackup: true}); err != nil {
				return err
			}
			defer closeStore(s, &err)
		}
	} else {
		if s, err = openStore(env, *db); err != nil {
			return err
		}
		defer closeStore(s, &err)
	}
	var store model.Store
	if s != nil {
		store = s
	}
	pl, err := report.NewPlan(store, parsed, filepath.Base(file), *title)
	if err != nil {
		return err
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
		fmt.Fprintf(env.Stdout, " (%d skipped: already in the register)", res.Skipped)
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
			notes = append(notes, r.Deadline)
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
	out.Report.Published = pl.Parsed.Published.ISO()
	out.Report.InStore = pl.Report.ID != 0
	out.Warnings = pl.Parsed.Warnings
	k := 0
	out.Findings = []findingJSON{}
	for _, r := range pl.Rows {
		f := findingJSON{Type: r.Type, Area: r.Area, Grade: r.Grade, Title: r.Title, Text: r.Text,
			Flags: append([]string{}, r.Flags...), Parent: r.Parent, Deadline: r.Deadline, Duplicate: r.Duplicate}
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
