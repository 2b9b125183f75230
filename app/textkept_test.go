package app

import (
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// typeRandom clears a multi-line box, gives it the keyboard and types
// random text into it as a person would (see typist); it returns the text.
func (h *harness) typeRandom(ty typist, box *textArea) string {
	h.t.Helper()
	box.SetText("")
	h.u.win.Canvas().Focus(box)
	n := 250 + ty.rnd.IntN(250)
	if raceEnabled {
		n /= 3
	}
	s := ty.text(n)
	ty.typeText(box, s)
	return s
}

// dialogTextAreas returns the multi-line boxes of the topmost dialog.
func (h *harness) dialogTextAreas() []*textArea {
	var out []*textArea
	for _, o := range h.overlay() {
		if a, ok := o.(*textArea); ok {
			out = append(out, a)
		}
	}
	return out
}

// TestTypedTextIsStoredExactly types random text (spaces everywhere,
// including each wrap point, tabs, new lines, accented letters, emoji and
// pasted paragraphs) into every multi-line box of the app, at two window
// widths, saves, and compares the stored record with what was typed, byte
// for byte. Boxes whose text is trimmed on save (a reason, a narrative)
// are compared with the typed text less its leading and trailing space.
//
// Without textArea's repair of Fyne's cursor (fyne-io/fyne#2698), spaces
// typed at wrap points move and this test fails.
func TestTypedTextIsStoredExactly(t *testing.T) {
	h := newHarness(t, true)
	check := func(box, typed, stored string) {
		t.Helper()
		if stored != typed {
			t.Errorf("%s:\ntyped  %q\nstored %q", box, typed, stored)
		}
	}
	widths := []float32{1280, 960}
	if raceEnabled {
		widths = widths[:1]
	}
	for i, width := range widths {
		h.u.win.Resize(fyne.NewSize(width, 800))
		ty := typist{rand.New(rand.NewPCG(uint64(i), 10))}

		// The finding's own boxes: interpretation, closure rationale and
		// the inspectorate's position, saved with the finding.
		e := h.openRUI()
		interp := h.typeRandom(ty, e.interpretation)
		rationale := h.typeRandom(ty, e.rationale)
		position := h.typeRandom(ty, e.position)
		test.Tap(e.save)
		h.noDialog()
		f := h.finding(e.orig.Ref)
		check("interpretation", interp, f.Interpretation)
		check("closure rationale", rationale, f.ClosureRationale)
		check("inspectorate position", position, f.InspectoratePosition)

		// The reason a target moved.
		typeInto(e.currentTarget, model.MustDate("31/12/2026").AddDays(i).String())
		test.Tap(e.save)
		reason := h.typeRandom(ty, h.dialogTextAreas()[0])
		typeInto(h.dialogEntries()[1], "Force improvement board")
		h.tapDialog("Save")
		h.noDialog()
		revs := h.finding(e.orig.Ref).TargetRevisions
		check("target revision reason", strings.TrimSpace(reason), revs[len(revs)-1].Reason)

		// A milestone's notes, and the reason its date moved.
		ms := e.milestones
		test.Tap(findButton(t, ms.content, "Add milestone…"))
		title := "Milestone " + string(rune('A'+i))
		typeInto(h.dialogEntries()[0], title)
		typeInto(h.dialogEntries()[1], "28/02/2027")
		notes := h.typeRandom(ty, h.dialogTextAreas()[0])
		h.tapDialog("Save")
		h.noDialog()
		idx := -1
		for j, m := range ms.items {
			if m.Title == title {
				idx = j
			}
		}
		if idx < 0 {
			t.Fatalf("milestone %q not stored", title)
		}
		check("milestone notes", notes, ms.items[idx].Notes)
		ms.list.Select(idx)
		test.Tap(findButton(t, ms.content, "Revise due date…"))
		typeInto(h.dialogEntries()[0], "31/03/2027")
		mreason := h.typeRandom(ty, h.dialogTextAreas()[0])
		typeInto(h.dialogEntries()[2], "Delivery board")
		h.tapDialog("Save")
		h.noDialog()
		for _, m := range ms.items {
			if m.Title == title {
				check("milestone revision reason", strings.TrimSpace(mreason), m.Revisions[len(m.Revisions)-1].Reason)
			}
		}

		// A progress update's narrative.
		up := e.updates
		test.Tap(findButton(t, up.content, "Add update…"))
		narrative := h.typeRandom(ty, h.dialogTextAreas()[0])
		h.tapDialog("Save update")
		h.noDialog()
		check("update narrative", strings.TrimSpace(narrative), up.items[0].Narrative)
		e.onCancel()

		// A report's notes.
		h.u.selectTab("Reports")
		h.u.reports.onAdd()
		rtitle := "Report " + string(rune('A'+i))
		typeInto(h.dialogEntries()[0], rtitle)
		for _, en := range h.dialogEntries() {
			if d, ok := en.(*dateEntry); ok {
				typeInto(d, "01/10/2026")
			}
		}
		for _, o := range h.overlay() {
			if sel, ok := o.(*widget.Select); ok && sel.Selected == "" {
				sel.SetSelected(string(model.ChildProtection))
			}
		}
		rnotes := h.typeRandom(ty, h.dialogTextAreas()[0])
		h.tapDialog("Save")
		h.noDialog()
		found := false
		for _, row := range h.u.reports.rows {
			if row.r.Title == rtitle {
				found = true
				check("report notes", rnotes, row.r.Notes)
			}
		}
		if !found {
			t.Fatalf("report %q not stored", rtitle)
		}

		// The inspectorate's wording of a new finding.
		h.u.onNewFinding()
		ne := h.u.register.editor
		verbatim := h.typeRandom(ty, ne.verbatim)
		ne.area.SetText("Vetting")
		test.Tap(ne.save)
		h.noDialog()
		check("wording of a new finding", verbatim, h.finding(ne.orig.Ref).Verbatim)
		ne.onCancel()
	}
}
