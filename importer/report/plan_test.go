package report_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/importer/report"
	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

func openStore(t *testing.T) *bolt.Store {
	t.Helper()
	clock := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	s, err := bolt.Open(filepath.Join(t.TempDir(), "register.db"), bolt.Options{NoBackup: true, Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if problems, err := s.Check(); err != nil || len(problems) > 0 {
			t.Errorf("register check: %v %v", problems, err)
		}
		s.Close()
	})
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		return tx.SaveSettings(model.Settings{ForceName: "Kent Police", RefPrefix: "KEN", Author: "Test Lead"})
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

func plan(t *testing.T, s model.Store, fixture, title string) *report.Plan {
	t.Helper()
	text, err := report.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	p, err := report.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := report.NewPlan(s, p, fixture, title)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func findings(t *testing.T, s model.Store) []model.Finding {
	t.Helper()
	var fs []model.Finding
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		fs, err = tx.Findings()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestImportSeedThenAgain(t *testing.T) {
	s := openStore(t)
	pl := plan(t, s, "kent-peel-2021-22.txt", "")
	if pl.Report.ID != 0 || pl.Report.Title != "Kent Police PEEL 2021/22" || pl.Report.Type != model.PEEL || pl.Report.Cycle != "2021/22" {
		t.Fatalf("report to create: %+v", pl.Report)
	}
	res, err := pl.Apply(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 21 || res.Skipped != 0 {
		t.Fatalf("created %d, skipped %d; want 21 and 0", len(res.Created), res.Skipped)
	}
	missing := 0
	for _, f := range findings(t, s) {
		if f.WordingMissing {
			missing++
			if f.Verbatim != "" {
				t.Errorf("%s: missing wording must stay empty, got %q", f.Ref, f.Verbatim)
			}
		}
		if f.Status != model.AwaitingAllocation || f.ReportID != res.Report.ID {
			t.Errorf("%s: status %q report %d", f.Ref, f.Status, f.ReportID)
		}
	}
	if missing != 0 {
		t.Errorf("%d findings flagged wording missing, want none: every box of the seed has its wording", missing)
	}
	var audit []model.AuditEvent
	s.View(context.Background(), func(tx model.ReadTx) error { audit, _ = tx.Audit(0); return nil })
	imported := 0
	for _, e := range audit {
		if e.Note == "imported from kent-peel-2021-22.txt" {
			imported++
		}
	}
	if imported < 22 { // the report and 21 findings
		t.Errorf("%d audit events say where they came from, want at least 22", imported)
	}

	// The same report again: every finding is a duplicate, and nothing
	// changes.
	again := plan(t, s, "kent-peel-2021-22.txt", "")
	if again.Report.ID != res.Report.ID {
		t.Fatalf("second import did not find the report: %+v", again.Report)
	}
	for i, r := range again.Rows {
		if r.Duplicate == "" || r.Include {
			t.Errorf("row %d (%s) not marked duplicate", i+1, r.Title)
		}
	}
	if _, err := again.Apply(s, ""); !errors.Is(err, report.ErrNothingToImport) {
		t.Errorf("want ErrNothingToImport, got %v", err)
	}
	if n := len(findings(t, s)); n != 21 {
		t.Errorf("register has %d findings after the repeat, want 21", n)
	}
}

// TestSampleIsDuplicate checks the parser against the built-in sample,
// which was read from the same report by hand: every finding the parser
// proposes is one the sample already holds.
func TestSampleIsDuplicate(t *testing.T) {
	s := openStore(t)
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	pl := plan(t, s, "kent-peel-2021-22.txt", "")
	if pl.Report.ID == 0 {
		t.Fatal("the sample's report was not matched")
	}
	sampleCount := 0
	for _, f := range findings(t, s) {
		if f.ReportID == pl.Report.ID {
			sampleCount++
		}
	}
	if len(pl.Rows) != sampleCount {
		t.Errorf("parser proposes %d findings, the sample holds %d", len(pl.Rows), sampleCount)
	}
	for i, r := range pl.Rows {
		if r.Duplicate == "" {
			t.Errorf("row %d %q is not in the sample", i+1, r.Title)
		}
	}
}

func TestImportCausesWithRecommendations(t *testing.T) {
	s := openStore(t)
	pl := plan(t, s, "midshire-peel-2023-25.txt", "")
	if pl.Report.Published != model.NewDate(2025, 5, 14) {
		t.Errorf("published %v", pl.Report.Published)
	}
	// Untick the first finding; it must not be stored.
	pl.Rows[0].Include = false
	res, err := pl.Apply(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != len(pl.Rows)-1 || res.Skipped != 1 {
		t.Errorf("created %d skipped %d of %d", len(res.Created), res.Skipped, len(pl.Rows))
	}
	byTitle := map[string]model.Finding{}
	for _, f := range findings(t, s) {
		byTitle[f.Title] = f
	}
	cause := byTitle["The force isn’t answering non-emergency calls quickly enough, and it doesn’t always identify vulnerable and repeat callers when they first contact it."]
	rec := byTitle["Improves the supervision of its control room so that calls are assessed consistently."]
	if cause.ID == 0 || rec.ParentID != cause.ID {
		t.Errorf("recommendation parent %d, cause %d", rec.ParentID, cause.ID)
	}
	if rec.CurrentTarget != model.NewDate(2025, 11, 14) {
		t.Errorf("within six months of 14/05/2025 gives %v", rec.CurrentTarget)
	}
	var dated model.Finding
	for title, f := range byTitle {
		if strings.HasPrefix(title, "We recommend that, by 31 March 2026") {
			dated = f
		}
	}
	if dated.CurrentTarget != model.NewDate(2026, 3, 31) {
		t.Errorf("by 31 March 2026 gives %v", dated.CurrentTarget)
	}
}

// TestFailedApplyStoresNothing: one bad row (a title over the limit) stops
// the whole import, report included.
func TestFailedApplyStoresNothing(t *testing.T) {
	s := openStore(t)
	pl := plan(t, s, "westshire-peel-2018-19.txt", "Westshire PEEL 2018/19")
	pl.Rows[len(pl.Rows)-1].Title = strings.Repeat("x", model.MaxShortText+1)
	_, err := pl.Apply(s, "")
	if err == nil || !strings.Contains(err.Error(), "nothing was imported") {
		t.Fatalf("want a failure, got %v", err)
	}
	var reports []model.Report
	s.View(context.Background(), func(tx model.ReadTx) error { reports, _ = tx.Reports(); return nil })
	if len(reports) != 0 || len(findings(t, s)) != 0 {
		t.Errorf("a failed import stored %d reports and %d findings", len(reports), len(findings(t, s)))
	}
}

// TestSameReportFromWebPageAndPDF imports the report from its web page,
// then reads it printed to PDF: the same report, every finding already
// there.
func TestSameReportFromWebPageAndPDF(t *testing.T) {
	s := openStore(t)
	first := plan(t, s, "kent-peel-2021-22.html", "")
	res, err := first.Apply(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 21 {
		t.Fatalf("created %d findings from the web page, want 21", len(res.Created))
	}
	for _, name := range []string{filepath.Join("pdf", "kent-peel-2021-22.chromium.pdf"), "kent-peel-2021-22.txt"} {
		again := plan(t, s, name, "")
		if again.Report.ID != res.Report.ID {
			t.Errorf("%s: not recognised as the report imported from the web page: %+v", name, again.Report)
		}
		for i, r := range again.Rows {
			if r.Duplicate == "" || r.Include {
				t.Errorf("%s: row %d (%s) not marked as already in the register", name, i+1, r.Title)
			}
		}
	}
}

func TestCycle(t *testing.T) {
	for in, want := range map[string]string{
		"PEEL 2021/22":                  "2021/22",
		"PEEL 2021–22":                  "2021/22",
		"peel-assessments-2021-22/kent": "2021/22",
		"PEEL 2023–25":                  "2023–25",
		"PEEL 2023-2025":                "2023–25",
		"PEEL 2025–27":                  "2025–27",
		"2018/19 PEEL":                  "2018/19",
	} {
		p, err := report.Parse(in + "\n")
		if err != nil {
			t.Fatal(err)
		}
		if p.Cycle != want {
			t.Errorf("%q: cycle %q, want %q", in, p.Cycle, want)
		}
	}
}

// TestImportElidedAndThematic stores an elided box flagged with its partial
// wording, and a thematic report's recommendations with their deadlines as
// targets, leaving out those for other bodies.
func TestImportElidedAndThematic(t *testing.T) {
	s := openStore(t)
	res, err := plan(t, s, "northshire-peel-2018-19.txt", "").Apply(s, "")
	if err != nil {
		t.Fatal(err)
	}
	elided := 0
	for _, f := range res.Created {
		if f.WordingMissing {
			elided++
			if !strings.Contains(f.Verbatim, "[...]") || f.Area != "Protecting vulnerable people" || f.Grade != model.Inadequate {
				t.Errorf("elided finding stored as %+v", f)
			}
		}
	}
	if len(res.Created) != 12 || elided != 1 {
		t.Errorf("created %d findings, %d flagged; want 12 and 1", len(res.Created), elided)
	}

	pl := plan(t, s, "thematic-rural-crime-2023.txt", "")
	if pl.Report.Type != model.Thematic || pl.Report.Title != "An inspection of how well the police respond to rural crime" {
		t.Errorf("thematic report to create: %+v", pl.Report)
	}
	res, err = pl.Apply(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 5 || res.Skipped != 2 {
		t.Fatalf("created %d, skipped %d; want 5 and 2", len(res.Created), res.Skipped)
	}
	if got := res.Created[0].CurrentTarget.String(); got != "31/03/2024" || res.Created[0].OriginalTarget.String() != "31/03/2024" {
		t.Errorf("first recommendation's target %s, original %s; want 31/03/2024", got, res.Created[0].OriginalTarget)
	}
	for _, f := range res.Created {
		if strings.Contains(f.Verbatim, "College of Policing should update") || strings.Contains(f.Verbatim, "the Home Office and") {
			t.Errorf("a recommendation for others was imported: %s", f.Verbatim)
		}
	}
}
