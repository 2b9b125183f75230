package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

func readCell(t *testing.T, path, sheet, ref string, password string) string {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{Password: password})
	if err != nil {
		t.Fatalf("opening %s: %v", filepath.Base(path), err)
	}
	defer f.Close()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExportScreenReturnRecordAndReplace(t *testing.T) {
	h := newHarness(t, true)
	s := h.u.exporter
	s.show(kindReturn)
	if h.u.tabs.Selected().Text != "Export" {
		t.Fatalf("the Export tab is not shown: %q", h.u.tabs.Selected().Text)
	}
	s.quarter.SetSelected("Q3 2025/26")
	s.marking.SetSelected(string(model.OfficialSensitive))
	dir := t.TempDir()
	s.folder.SetText(dir)
	want := "OFFICIAL-SENSITIVE – Kent Police – progress return Q3 2025-26.xlsx"
	if s.name.Text != want {
		t.Errorf("suggested name %q, want %q", s.name.Text, want)
	}

	// Passwords that differ are caught before anything is written.
	test.Type(s.password, "s3cret")
	test.Type(s.repeat, "s3cre")
	test.Tap(s.run)
	if !strings.Contains(s.problem.Text, "passwords differ") {
		t.Errorf("problem %q", s.problem.Text)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a file was written despite the mistake: %v", entries)
	}
	s.password.SetText("")
	s.repeat.SetText("")

	test.Tap(s.run)
	h.u.wait()
	path := filepath.Join(dir, want)
	if got := readCell(t, path, "Return", "A1", ""); got != "OFFICIAL-SENSITIVE" {
		t.Errorf("Return!A1 = %q", got)
	}
	if !strings.Contains(s.status.Text, "Saved "+want) || s.run.Disabled() {
		t.Errorf("status %q, export button disabled %v", s.status.Text, s.run.Disabled())
	}
	if s.record == nil || s.record.Disabled() {
		t.Fatal("no Record as submitted button after the export")
	}

	test.Tap(s.record)
	subs := h.u.submissions.subs
	if len(subs) != 1 || subs[0].Period != (model.Quarter{StartYear: 2025, Q: 3}) || subs[0].Marking.Classification != model.OfficialSensitive ||
		len(subs[0].SHA256) != 64 || len(subs[0].Rows) == 0 {
		t.Fatalf("submissions after recording: %+v", subs)
	}
	if !s.record.Disabled() {
		t.Error("the workbook can be recorded twice")
	}
	h.u.submissions.list.Select(0)
	if !strings.Contains(h.u.submissions.detail.Text, subs[0].SHA256) {
		t.Errorf("submission detail %q lacks the digest", h.u.submissions.detail.Text)
	}

	// The file exists now: nothing is replaced without saying yes.
	before, _ := os.ReadFile(path)
	test.Tap(s.run)
	if s.confirm == nil {
		t.Fatal("no question before replacing the file")
	}
	s.confirm.Dismiss()
	h.u.wait()
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the file changed although the user said no")
	}
	s.password.SetText("s3cret")
	s.repeat.SetText("s3cret")
	test.Tap(s.run)
	if s.confirm == nil {
		t.Fatal("no question before replacing the file")
	}
	s.confirm.Confirm()
	h.u.wait()
	if _, err := excelize.OpenFile(path); err == nil {
		t.Error("the replacing workbook opens without its password")
	}
	if got := readCell(t, path, "Summary", "A1", "s3cret"); got != "OFFICIAL-SENSITIVE" {
		t.Errorf("Summary!A1 = %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want just the workbook", len(entries))
	}
}

func TestExportScreenBriefingForOneChiefOfficer(t *testing.T) {
	h := newHarness(t, true)
	s := h.u.exporter
	s.show(kindBriefing)
	if !s.quarter.Disabled() || s.lead.Disabled() {
		t.Error("a briefing takes a chief officer, not a quarter")
	}
	lead := ""
	for _, o := range s.lead.Options {
		if strings.Contains(o, "(Crime)") {
			lead = o
		}
	}
	if lead == "" {
		t.Fatalf("no crime portfolio among %v", s.lead.Options)
	}
	s.lead.SetSelected(lead)
	s.asAt.SetText("31/12/2025")
	dir := t.TempDir()
	s.folder.SetText(dir)
	if !strings.Contains(s.name.Text, "chief officer briefing 31-12-2025 – "+lead) {
		t.Errorf("suggested name %q", s.name.Text)
	}
	test.Tap(s.run)
	h.u.wait()
	path := filepath.Join(dir, s.name.Text)
	if got := readCell(t, path, "Briefing", "A2", ""); !strings.Contains(got, lead) {
		t.Errorf("Briefing!A2 = %q, want it to name %s", got, lead)
	}
	if !strings.Contains(s.status.Text, "Saved") {
		t.Errorf("status %q", s.status.Text)
	}
}

// TestExportKindChangeClearsTheResult: after a return is saved, choosing
// the briefing takes the return's result and its "Record as submitted" off
// the screen, so the wrong file cannot be recorded.
func TestExportKindChangeClearsTheResult(t *testing.T) {
	h := newHarness(t, true)
	s := h.u.exporter
	s.show(kindReturn)
	s.quarter.SetSelected("Q3 2025/26")
	s.folder.SetText(t.TempDir())
	test.Tap(s.run)
	h.u.wait()
	if s.record == nil || len(s.result.Objects) == 0 || !strings.Contains(s.status.Text, "Saved ") {
		t.Fatalf("the return's result is not shown: %q", s.status.Text)
	}
	s.kind.SetSelected(kindBriefing)
	if s.record != nil || len(s.result.Objects) != 0 || s.status.Text != "" || s.last != nil {
		t.Errorf("after choosing the briefing the screen still shows the return's result: %q, %d objects", s.status.Text, len(s.result.Objects))
	}
}
