package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// pccLine is the reports list's PCC label of the first report.
func pccLine(t *testing.T, h *harness) *widget.Label {
	t.Helper()
	for _, o := range test.LaidOutObjects(h.u.reports.list) {
		if l, ok := o.(*widget.Label); ok && strings.HasPrefix(l.Text, "PCC response") {
			return l
		}
	}
	t.Fatal("the reports list shows no PCC response line")
	return nil
}

// Recording the Kent PCC's response, through the report's life, clears
// the red on the report.
func TestRecordingThePCCResponseClearsTheRed(t *testing.T) {
	h := newHarness(t, true)
	h.u.selectTab("Reports")
	h.u.reports.refresh()
	h.u.wait()
	if l := pccLine(t, h); !strings.HasPrefix(l.Text, "PCC response was due 23/06/2022") || l.Importance != widget.DangerImportance {
		t.Fatalf("before: %q (importance %v)", l.Text, l.Importance)
	}
	h.u.reports.lifeDialog(h.u.reports.rows[0].r)
	if !h.dialogShows("Nothing recorded since publication yet") {
		t.Error("the empty life says nothing")
	}
	h.tapDialog("Record…")
	h.u.wait()
	for _, e := range h.dialogEntries() {
		switch e := e.(type) {
		case *dateEntry:
			typeInto(e, "20/06/2022")
		case *lineEntry:
			if strings.HasPrefix(e.PlaceHolder, "web address") {
				typeInto(e, "https://www.kent-pcc.gov.uk/peel-2021-22-response")
			}
		}
	}
	h.tapDialog("Record")
	h.u.wait()
	if !h.dialogShows("PCC response published 20/06/2022") {
		t.Error("the confirmation does not say what was recorded")
	}
	h.tapDialog("OK")
	h.u.reports.refresh()
	h.u.wait()
	if l := pccLine(t, h); l.Text != "PCC response published 20/06/2022" || l.Importance == widget.DangerImportance {
		t.Errorf("after: %q (importance %v)", l.Text, l.Importance)
	}
	r := h.u.reports.rows[0].r
	if e, ok := r.PCCResponse(model.Date{}); !ok || e.Link != "https://www.kent-pcc.gov.uk/peel-2021-22-response" || e.By == "" {
		t.Errorf("stored %+v", r.Life)
	}
	// The report's life lists it.
	h.u.reports.lifeDialog(r)
	if !h.dialogShows("PCC response published 20/06/2022: https://www.kent-pcc.gov.uk/peel-2021-22-response") {
		t.Error("the report's life does not list the response")
	}
}
