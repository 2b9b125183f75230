package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/importer/report"
	"improvementtracker/model"
)

func readReportFixture(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "importer", "report", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	text, err := report.Decode(name, b)
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// TestImportReportWebPageThenText imports the seed saved as a web page,
// then reads the seed's text: the same report, every finding a duplicate.
func TestImportReportWebPageThenText(t *testing.T) {
	h := newHarness(t, false)
	s := newImportReportScreen(h.u)
	s.dlg.Show()
	s.load("kent-peel-2021-22.html", readReportFixture(t, "kent-peel-2021-22.html"))
	if len(s.plan.Rows) != 21 || s.title.Text != "Kent Police PEEL 2021/22" {
		t.Fatalf("preview shows %d rows for %q", len(s.plan.Rows), s.title.Text)
	}
	if !strings.Contains(s.summary.Text, "Headings read: 8 Area for improvement (19 findings), 2 Innovative practice (2 findings).") {
		t.Errorf("summary %q does not give the headings read", s.summary.Text)
	}
	h.tapDialog("Import 21 findings")
	var fs []model.Finding
	h.store.View(context.Background(), func(tx model.ReadTx) error { fs, _ = tx.Findings(); return nil })
	if len(fs) != 21 {
		t.Fatalf("stored %d findings, want 21", len(fs))
	}

	again := newImportReportScreen(h.u)
	again.load("kent-peel-2021-22.txt", readReportFixture(t, "kent-peel-2021-22.txt"))
	if again.plan.Report.ID == 0 {
		t.Fatalf("the text was not recognised as the report already imported: %+v", again.plan.Report)
	}
	for i, r := range again.plan.Rows {
		if r.Duplicate == "" {
			t.Errorf("row %d (%s) not marked as already in the register", i+1, r.Title)
		}
	}
	if again.doImport.Text != "Import 0 findings" || !again.doImport.Disabled() {
		t.Errorf("button %q, disabled %v", again.doImport.Text, again.doImport.Disabled())
	}
}

// TestImportReportThematic previews a national report: the
// recommendations for other bodies are listed, unticked and say why.
func TestImportReportThematic(t *testing.T) {
	h := newHarness(t, false)
	s := newImportReportScreen(h.u)
	s.dlg.Show()
	s.load("thematic-rural-crime-2023.txt", readReportFixture(t, "thematic-rural-crime-2023.txt"))
	if len(s.plan.Rows) != 7 {
		t.Fatalf("preview shows %d rows, want 7", len(s.plan.Rows))
	}
	var unticked []string
	for _, r := range s.plan.Rows {
		if !r.Include {
			unticked = append(unticked, r.Addressee)
		}
	}
	if strings.Join(unticked, "; ") != "the College of Policing; the Home Office, the National Police Chiefs’ Council" {
		t.Errorf("unticked rows addressed to %q", unticked)
	}
	if !strings.Contains(s.summary.Text, "2 recommendations are addressed to others (not for the force) and left unticked.") {
		t.Errorf("summary %q", s.summary.Text)
	}
	if s.doImport.Text != "Import 5 findings" || s.plan.Report.Type != model.Thematic || s.title.Text != "An inspection of how well the police respond to rural crime" {
		t.Errorf("button %q, report %+v, title %q", s.doImport.Text, s.plan.Report, s.title.Text)
	}
	shown := false
	for _, o := range s.rows.Objects {
		shown = shown || strings.Contains(labelsIn(o), "Not for the force: addressed to the College of Policing")
	}
	if !shown {
		t.Error("no row says it is not for the force")
	}
}

// labelsIn gathers the text of the labels under o.
func labelsIn(o fyne.CanvasObject) string {
	switch v := o.(type) {
	case *widget.Label:
		return v.Text + "\n"
	case *fyne.Container:
		var b strings.Builder
		for _, c := range v.Objects {
			b.WriteString(labelsIn(c))
		}
		return b.String()
	}
	return ""
}

// TestImportReportDatesAndSource types the publication date the text does
// not give: the deadline's target is counted from it. Each row shows the
// lines of the text it was read from beside it.
func TestImportReportDatesAndSource(t *testing.T) {
	h := newHarness(t, false)
	s := newImportReportScreen(h.u)
	s.dlg.Show()
	text := "Responding to the public\n\nInadequate\n\nSouthvale Police is inadequate at responding to the public.\n\n" +
		"Cause of concern\n\nThe force doesn’t answer calls quickly enough.\n\n" +
		"Recommendations\n\nWe recommend that, within six months, the force:\n\n• answers its calls within its standard; and\n\n• calls back the callers who hang up.\n"
	s.load(report.PastedText, text)
	if len(s.plan.Rows) != 3 || !s.plan.Rows[1].HasFlag(report.FlagNeedsPublished) {
		t.Fatalf("rows %d, flags %v", len(s.plan.Rows), s.plan.Rows[1].Flags)
	}
	s.published.SetText("14/10/2024")
	if got := s.plan.Rows[1].Target.String(); got != "14/04/2025" {
		t.Errorf("target after the date is typed: %q", got)
	}
	row := labelsIn(s.rows.Objects[1])
	if !strings.Contains(row, "Deadline: within six months, target 14/04/2025") || !strings.Contains(row, "[lines 15–15]\n• answers its calls within its standard; and") {
		t.Errorf("row shows %q", row)
	}
}

// A report's path typed or pasted (in quotes, as Explorer's "Copy as path"
// gives it) opens it, and its folder is where the file dialog opens next;
// a path with no file is refused in words; the file dialog is nearly as
// large as the window, not the few rows Fyne gives it.
func TestImportReportFromATypedPath(t *testing.T) {
	h := newHarness(t, false)
	h.u.win.Resize(fyne.NewSize(1280, 720))
	abs, err := filepath.Abs(filepath.Join("..", "importer", "report", "testdata", "kent-peel-2021-22.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := newImportReportScreen(h.u)
	s.dlg.Show()
	s.path.SetText(`"` + abs + `"`)
	s.path.OnSubmitted(s.path.Text)
	h.u.wait()
	if s.plan == nil || len(s.plan.Rows) != 21 {
		t.Fatalf("the typed path gave no preview of the report's 21 findings: %q", s.summary.Text)
	}
	if got := h.u.prefs.String(prefReportFolder); got != filepath.Dir(abs) {
		t.Errorf("the folder kept is %q, want %q", got, filepath.Dir(abs))
	}

	missing := filepath.Join(t.TempDir(), "PEEL 2025 report.pdf")
	s.openPath(missing)
	if !h.dialogShows("PEEL 2025 report.pdf") {
		t.Error("a path with no file is not refused in words naming it")
	}
	h.tapDialog("OK")

	s.onOpenFile()
	top := h.u.win.Canvas().Overlays().Top()
	var biggest fyne.Size
	for _, o := range test.LaidOutObjects(top) {
		if sz := o.Size(); sz.Width < 1280 && sz.Width*sz.Height > biggest.Width*biggest.Height {
			biggest = sz
		}
	}
	if biggest.Width < 1150 || biggest.Height < 600 {
		t.Errorf("the file dialog is %v in a 1280 × 720 window", biggest)
	}
}
