package app

import (
	"strings"
	"testing"
)

// TestFailedSaveKeepsThePlaceAndClearsAsFixed: a save refused for two bad
// dates keeps what was typed and the focus, says
// in one line how many fields to correct, and each problem goes as its
// field is put right, the line at the top with the last.
func TestFailedSaveKeepsThePlaceAndClearsAsFixed(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	typeInto(e.interpretation, "Our reading of it, typed before the save.")
	typeInto(e.originalTarget, "30/02/2026")
	typeInto(e.currentTarget, "31/02/2027")
	// Saved from the keyboard (Ctrl+S), with the typing in a field.
	h.u.win.Canvas().Focus(e.interpretation)
	h.u.onSave()
	if !e.errs["original_target"].Visible() || !e.errs["current_target"].Visible() {
		t.Fatalf("the problems are not beside their fields: %q, %q", e.errs["original_target"].Text, e.errs["current_target"].Text)
	}
	if got := e.problem.Text; got != "The finding was not saved: 2 fields to correct, marked below." {
		t.Errorf("the line at the top reads %q", got)
	}
	if e.interpretation.Text != "Our reading of it, typed before the save." {
		t.Errorf("what was typed became %q", e.interpretation.Text)
	}
	if h.u.win.Canvas().Focused() != e.interpretation {
		t.Errorf("the focus moved to %T", h.u.win.Canvas().Focused())
	}
	typeInto(e.originalTarget, e.orig.OriginalTarget.String())
	if e.errs["original_target"].Visible() || !strings.Contains(e.problem.Text, "1 field to correct") {
		t.Errorf("after the first date was put right: its problem %q, the top line %q", e.errs["original_target"].Text, e.problem.Text)
	}
	typeInto(e.currentTarget, e.orig.CurrentTarget.String())
	if e.errs["current_target"].Visible() || e.problem.Visible() {
		t.Errorf("after the date was put right: its problem %q, the top line %q", e.errs["current_target"].Text, e.problem.Text)
	}
}
