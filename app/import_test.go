package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

// TestImportReportScreen pastes the seed report, unticks one finding,
// imports, and then sees every finding marked as already there.
func TestImportReportScreen(t *testing.T) {
	h := newHarness(t, false)
	seed, err := os.ReadFile(filepath.Join("..", "importer", "report", "testdata", "kent-peel-2021-22.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := newImportReportScreen(h.u)
	s.dlg.Show()
	s.paste.SetText(string(seed))
	h.tapDialog("Read the pasted text")
	if len(s.plan.Rows) != 21 || s.title.Text != "Kent Police PEEL 2021/22" {
		t.Fatalf("preview shows %d rows for %q", len(s.plan.Rows), s.title.Text)
	}
	// Correct a title, untick the first finding.
	s.plan.Rows[1].Title = "Public satisfaction surveys"
	s.plan.Rows[0].Include = false
	s.updateSummary()
	if s.doImport.Text != "Import 20 findings" {
		t.Fatalf("button says %q", s.doImport.Text)
	}
	h.tapDialog("Import 20 findings")
	var fs []model.Finding
	h.store.View(context.Background(), func(tx model.ReadTx) error { fs, _ = tx.Findings(); return nil })
	if len(fs) != 20 {
		t.Fatalf("stored %d findings, want 20", len(fs))
	}
	titled := false
	for _, f := range fs {
		titled = titled || f.Title == "Public satisfaction surveys"
	}
	if !titled {
		t.Error("the edited title was not stored")
	}

	again := newImportReportScreen(h.u)
	again.load("kent-peel-2021-22.txt", string(seed))
	dups := 0
	for _, r := range again.plan.Rows {
		if r.Duplicate != "" {
			dups++
		}
	}
	if dups != 20 || again.doImport.Text != "Import 1 finding" || !strings.Contains(again.summary.Text, "20 are already in the register") {
		t.Errorf("second preview: %d duplicates, button %q, summary %q", dups, again.doImport.Text, again.summary.Text)
	}
}

// TestImportReturnScreen exports the sample's return, changes a status in
// it as a delivery lead would, and applies it from the screen.
func TestImportReturnScreen(t *testing.T) {
	h := newHarness(t, true)
	opts := export.ReturnOptions{Period: model.QuarterOf(h.u.today()), Now: h.store.Now()}
	var src export.Source
	if err := h.store.View(context.Background(), func(tx model.ReadTx) (err error) { src, err = export.ReadSource(tx, opts.AsAtDate()); return }); err != nil {
		t.Fatal(err)
	}
	w, err := export.BuildReturn(src, opts)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "return.xlsx")
	if _, err := w.Save(path, export.SaveOptions{Password: "Pa55"}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	h.clock.set(h.clock.Now().Add(3600e9))
	f, err := excelize.OpenFile(path, excelize.Options{Password: "Pa55"})
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Return")
	var statusCol string
	statusIdx := 0
	for i, v := range rows[2] {
		if v == "Status" {
			statusCol, _ = excelize.ColumnNumberToName(i + 1)
			statusIdx = i
		}
	}
	ref := rows[3][0]
	f.SetCellValue("Return", statusCol+"4", "Not started")
	if rows[3][statusIdx] == "Not started" {
		f.SetCellValue("Return", statusCol+"4", "In progress")
	}
	if err := f.SaveAs(path, excelize.Options{Password: "Pa55"}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	data, _ := os.ReadFile(path)

	s := newImportReturnScreen(h.u)
	s.dlg.Show()
	if !s.reread.Disabled() {
		t.Error("reading again is offered before a return is open")
	}
	s.load("return.xlsx", data)
	if s.diff != nil || !strings.Contains(s.summary.Text, "password") {
		t.Fatalf("without the password: %q", s.summary.Text)
	}
	test.Type(s.password, "Pa55")
	h.tapDialog("Read again with the password")
	if s.diff == nil || len(s.diff.Findings) != 1 || s.diff.Findings[0].Ref != ref {
		t.Fatalf("diff %+v, summary %q", s.diff, s.summary.Text)
	}
	want := s.diff.Findings[0].Changes[0].To
	h.tapDialog("Apply 1 change")
	if got := h.finding(ref); string(got.Status) != want {
		t.Errorf("%s status %q, want %q", ref, got.Status, want)
	}
}

// TestWelcomeOffersImport: on an empty register the welcome screen's
// "Import a report…" opens the report import.
func TestWelcomeOffersImport(t *testing.T) {
	h := newHarness(t, false)
	h.tapIn(test.LaidOutObjects(h.u.win.Content()), "Import a report…")
	if !h.dialogShows("Import findings from an inspection report") {
		t.Error("the import did not open")
	}
}
