package app

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// TestUpdateNeedsDetailsFirst: an update cannot supersede a finding, which
// needs the finding that supersedes it; the store refuses, and the dialog
// says where to fill it in, storing nothing.
func TestUpdateNeedsDetailsFirst(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	before := len(h.updates(e.orig.ID))
	test.Tap(findButton(t, e.updates.content, "Add update…"))
	typeInto(h.dialogEntries()[1], "Carried into the 2025 inspection's finding.")
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok && slices.Contains(sel.Options, string(model.Superseded)) {
			sel.SetSelected(string(model.Superseded))
		}
	}
	h.chooseOutcomes(model.OutcomeNotNeeded) // its open milestone is settled
	h.tapDialog("Save update")
	if !h.dialogShows("Fill it in on the Details tab") {
		t.Error("the refusal does not say where to fill in what is missing")
	}
	if n := len(h.updates(e.orig.ID)); n != before {
		t.Errorf("a refused update was stored: %d updates, was %d", n, before)
	}
}
