package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// TestClosureCarriesAMilestoneForward: proposing closure with a milestone
// open, the lead says its work is carried into a successor; the editor asks
// which finding, refuses in words until one is chosen, and stores the
// milestone's outcome and the finding it went to.
func TestClosureCarriesAMilestoneForward(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	e.status.SetSelected(string(model.ClosureProposed))
	typeInto(e.rationale, "Policy rewritten; the dashboard work moves to the 2025 inspection's finding.")
	typeInto(e.proposedDate, h.u.today().String())
	test.Tap(e.save)
	if n := h.chooseOutcomes(model.OutcomeCarried); n == 0 {
		t.Fatal("proposing closure with a milestone open did not ask about it")
	}
	h.tapDialog("Save")
	if !h.dialogShows("the finding the milestone") {
		t.Fatal("carrying work forward without naming the finding was not refused in words")
	}
	var successor string
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok && sel.PlaceHolder == "(the finding that carries it)" && sel.Visible() {
			sel.SetSelectedIndex(0)
			successor = sel.Selected
		}
	}
	h.tapDialog("Save")
	h.noDialog()
	f := h.finding(e.orig.Ref)
	if f.Status != model.ClosureProposed {
		t.Fatalf("the finding is %s, want closure proposed", f.Status)
	}
	carried := 0
	for _, m := range h.milestones(f.ID) {
		if m.Result() == model.OutcomeCarried {
			carried++
			var to model.Finding
			for _, o := range e.others {
				if o.ID == m.CarriedTo {
					to = o
				}
			}
			if to.ID == 0 || !strings.HasPrefix(successor, to.Ref) {
				t.Errorf("milestone %q carried into #%d, want %q", m.Title, m.CarriedTo, successor)
			}
		}
	}
	if carried == 0 {
		t.Error("no milestone was recorded as carried into a successor")
	}
}
