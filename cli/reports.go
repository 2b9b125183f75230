package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"improvementtracker/model"
)

func init() {
	register(&Command{
		Name:  "reports",
		Usage: "reports [--db PATH]",
		Short: "List the inspection reports with the PCC's response (due, overdue or published) and each report's life",
		Run:   runReports,
	})
	register(&Command{
		Name: "report record",
		Usage: "report record --report CODE|TITLE --event pcc-response|action-plan|revisit|closure-agreed|closure-declined|revisit-findings|letter " +
			"--date dd/mm/yyyy [--link URL] [--file PATH] [--findings REF,REF] [--summary TEXT] [--db PATH]",
		Short: "Record an event of a report's life: the PCC's published response, a revisit, a letter from the inspectorate",
		Run:   runReportRecord,
	})
}

// pccState says where a report's PCC response stands on a day, in the
// words the reports screen uses.
func pccState(r model.Report, today model.Date) string {
	due := r.PCCResponseDue()
	if e, ok := r.PCCResponse(today); ok {
		return "PCC response published " + e.Date.String()
	}
	switch {
	case due.IsZero():
		return "PCC response due: set the publication date"
	case due.Before(today):
		return fmt.Sprintf("PCC response was due %s (%d days ago)", due, due.DaysUntil(today))
	}
	return fmt.Sprintf("PCC response due %s (in %d days)", due, today.DaysUntil(due))
}

func runReports(env *Env) (err error) {
	fs := newFlags(env, commands["reports"])
	db := dbFlag(fs)
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("reports takes no arguments, got %q", args[0])
	}
	s, err := openForReading(env, *db)
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)
	var reports []model.Report
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { reports, err = tx.Reports(); return }); err != nil {
		return err
	}
	if len(reports) == 0 {
		fmt.Fprintln(env.Stdout, "No reports yet.")
		return nil
	}
	today := model.Today(s.Now())
	for _, r := range reports {
		fmt.Fprintf(env.Stdout, "%s  %s (published %s)\n  %s\n", r.RefCode(), r.Title, r.Published, pccState(r, today))
		for _, e := range r.LifeInOrder() {
			fmt.Fprintf(env.Stdout, "  - %s\n", e.Describe())
		}
	}
	return nil
}

// findReport finds a report by its code or part of its title.
func findReport(reports []model.Report, what string) (model.Report, error) {
	what = strings.TrimSpace(what)
	var found []model.Report
	for _, r := range reports {
		if strings.EqualFold(r.RefCode(), what) {
			return r, nil
		}
		if strings.Contains(strings.ToLower(r.Title), strings.ToLower(what)) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return model.Report{}, fmt.Errorf("no report has the code %q or a title containing it; \"reports\" lists them", what)
	}
	return model.Report{}, fmt.Errorf("%d reports match %q; give the report's code (\"reports\" lists them)", len(found), what)
}

func runReportRecord(env *Env) (err error) {
	fs := newFlags(env, commands["report record"])
	db := dbFlag(fs)
	which := fs.String("report", "", "the report: its code (PEEL2122) or part of its title")
	kind := fs.String("event", "", "what happened: pcc-response, action-plan, revisit, closure-agreed, closure-declined, revisit-findings or letter")
	date := fs.String("date", "", "when it happened, dd/mm/yyyy")
	link := fs.String("link", "", "where the document is: a web address or a location on force systems")
	file := fs.String("file", "", "the document itself: its SHA-256 is kept, and a letter about findings is attached to each as evidence")
	refs := fs.String("findings", "", "for a letter: the findings it speaks for, comma-separated references")
	summary := fs.String("summary", "", "what it said, in a line or two")
	args, err := parse(fs, env.Args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usageError("report record takes no arguments, got %q", args[0])
	}
	if strings.TrimSpace(*which) == "" {
		return usageError("say which report with --report, like --report PEEL2122")
	}
	k, err := model.ParseReportEventKind(*kind)
	if err != nil {
		return usageError("--event: %s", err)
	}
	d, err := model.ParseDate(*date)
	if err != nil || d.IsZero() {
		return usageError("--date: give the date it happened, dd/mm/yyyy")
	}
	e := model.ReportEvent{Kind: k, Date: d, Link: *link, Summary: *summary}
	for _, ref := range strings.Split(*refs, ",") {
		if ref = strings.ToUpper(strings.TrimSpace(ref)); ref != "" {
			e.Findings = append(e.Findings, ref)
		}
	}
	var doc []byte
	if *file != "" {
		info, err := os.Stat(*file)
		if err != nil {
			return fmt.Errorf("reading the document: %w", err)
		}
		if info.Size() > model.MaxAttachmentSize {
			return fmt.Errorf("%s is %s; documents are limited to %s: give --link to where it is kept instead", *file,
				model.HumanSize(info.Size()), model.HumanSize(model.MaxAttachmentSize))
		}
		if doc, err = os.ReadFile(*file); err != nil {
			return fmt.Errorf("reading the document: %w", err)
		}
		e.FileName = filepath.Base(*file)
	}
	s, err := openExisting(env, *db)
	if err != nil {
		return err
	}
	defer closeStore(env, s, &err)
	var said []string
	err = s.Update(context.Background(), model.Actor{Note: e.Describe()}, func(tx model.Tx) error {
		reports, err := tx.Reports()
		if err != nil {
			return err
		}
		r, err := findReport(reports, *which)
		if err != nil {
			return err
		}
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		r, said, err = model.RecordReportEvent(tx, r.ID, e, doc, settings.Author, s.Now())
		if err == nil {
			said = append(said, pccState(r, model.Today(s.Now()))+".")
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("nothing was recorded: %w", err)
	}
	for _, line := range said {
		fmt.Fprintln(env.Stdout, line)
	}
	return nil
}
