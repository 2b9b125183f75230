package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// colleagueSaves changes a finding as another person would from another
// window on the same register: read, change, save, as who.
func (h *harness) colleagueSaves(id model.ID, who string, change func(f *model.Finding)) model.Finding {
	h.t.Helper()
	var f model.Finding
	err := h.store.Update(context.Background(), model.Actor{Who: who}, func(tx model.Tx) error {
		var err error
		if f, err = tx.Finding(id); err != nil {
			return err
		}
		change(&f)
		return tx.SaveFinding(&f)
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return f
}

// dialogRadios returns the choice groups of the topmost dialog.
func (h *harness) dialogRadios() []*widget.RadioGroup {
	var out []*widget.RadioGroup
	for _, o := range h.overlay() {
		if r, ok := o.(*widget.RadioGroup); ok {
			out = append(out, r)
		}
	}
	return out
}

// TestEditorConflict: a colleague saves the finding open in the editor.
// Saving is refused with their name and time; the editor shows each field
// that differs with both values, carries over the person's change to a
// field the colleague left alone, asks about the field both changed, and
// then saves with both people's changes.
func TestEditorConflict(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	opened := e.orig
	board := opened.GovernanceBoard

	// Jane, in another window, rewrites the interpretation and the title.
	h.clock.set(time.Date(2026, time.December, 1, 14, 32, 0, 0, time.Local))
	jane := h.colleagueSaves(opened.ID, "Jane Smith", func(f *model.Finding) {
		f.Interpretation = "Jane: the policy must cover voluntary attendance too."
		f.Title = "Jane's title for the RUI finding"
	})

	// Meanwhile the person changes the title and the governance board.
	h.clock.set(time.Date(2026, time.December, 1, 14, 40, 0, 0, time.Local))
	typeInto(e.title, "My title for the RUI finding")
	typeInto(e.board, "Criminal Justice Board")
	test.Tap(e.save)

	for _, want := range []string{
		"Jane Smith saved this finding at 14:32 on 1 December 2026, after you opened it; your changes have not been saved",
		"You both changed: title",
		"My title for the RUI finding", "Jane's title for the RUI finding", // both titles
		"Criminal Justice Board", board, // the board: mine, and theirs as it was
		"Jane: the policy must cover voluntary attendance too.",
		"Yours: only you changed it", "Jane Smith's: only they changed it",
	} {
		if !h.dialogShows(want) {
			t.Errorf("the conflict dialog does not show %q", want)
		}
	}
	if got := h.finding(opened.Ref); got.Title != jane.Title || got.GovernanceBoard != board || got.Version != jane.Version {
		t.Fatalf("the refused save changed the finding: %q, %q, version %d", got.Title, got.GovernanceBoard, got.Version)
	}

	// The field both changed must be chosen.
	radios := h.dialogRadios()
	if len(radios) != 1 || !slices.Contains(radios[0].Options, "Keep yours") || !slices.Contains(radios[0].Options, "Take theirs") {
		t.Fatalf("the dialog offers %d choices, want one for the title: %+v", len(radios), radios)
	}
	h.tapDialog("Save with my changes")
	if !h.dialogShows("Choose whether yours or Jane Smith's stands for: title") {
		t.Fatal("saving without choosing is not explained")
	}
	if got := h.finding(opened.Ref); got.Version != jane.Version {
		t.Fatal("saving without choosing stored something")
	}
	h.dialogRadios()[0].SetSelected("Keep yours")
	h.tapDialog("Save with my changes")
	h.noDialog()

	got := h.finding(opened.Ref)
	if got.Title != "My title for the RUI finding" || got.GovernanceBoard != "Criminal Justice Board" ||
		got.Interpretation != jane.Interpretation || got.Version != jane.Version+1 {
		t.Errorf("after re-applying: title %q, board %q, interpretation %q, version %d; want mine, mine, Jane's, %d",
			got.Title, got.GovernanceBoard, got.Interpretation, got.Version, jane.Version+1)
	}
	if e.orig.Version != got.Version || e.interpretation.Text != jane.Interpretation || e.title.Text != got.Title {
		t.Errorf("the editor shows version %d, %q, %q after the save", e.orig.Version, e.interpretation.Text, e.title.Text)
	}
	if e.dirty() {
		t.Error("the form differs from the stored finding after the save")
	}
	events := h.audit(opened.ID)
	last := events[len(events)-1]
	if last.Who != "Improvement lead" || last.Entity != model.EntityFinding {
		t.Errorf("the last event is %+v", last)
	}
	changed := map[string]bool{}
	for _, c := range last.Changes {
		changed[c.Field] = true
	}
	if !changed["title"] || !changed["governance_board"] || changed["interpretation"] || len(changed) != 2 {
		t.Errorf("the re-applied save changed %v; want the title and the board only", changed)
	}

	// Taking the colleague's value: Jane changes the title again, the
	// person too, and lets hers stand.
	jane = h.colleagueSaves(opened.ID, "Jane Smith", func(f *model.Finding) { f.Title = "Jane's second title" })
	typeInto(e.title, "My second title")
	typeInto(e.interpretation, "My interpretation.")
	test.Tap(e.save)
	h.dialogRadios()[0].SetSelected("Take theirs")
	h.tapDialog("Save with my changes")
	h.noDialog()
	if got := h.finding(opened.Ref); got.Title != "Jane's second title" || got.Interpretation != "My interpretation." {
		t.Errorf("after taking Jane's title: %q, %q", got.Title, got.Interpretation)
	}
}

// TestEditorConflictKeepsTyping: closing the conflict dialog keeps what
// was typed in the form, and a later save is refused again rather than
// overwriting.
func TestEditorConflictKeepsTyping(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	jane := h.colleagueSaves(e.orig.ID, "Jane Smith", func(f *model.Finding) { f.Area = "Jane's area" })
	typeInto(e.interpretation, "Typed and not yet saved.")
	test.Tap(e.save)
	h.tapDialog("Cancel")
	h.noDialog()
	if e.interpretation.Text != "Typed and not yet saved." {
		t.Fatalf("closing the dialog lost the typing: %q", e.interpretation.Text)
	}
	test.Tap(e.save)
	if !h.dialogShows("Jane Smith saved this finding") {
		t.Fatal("a second save was not refused")
	}
	h.tapDialog("Save with my changes")
	h.noDialog()
	if got := h.finding(jane.Ref); got.Area != "Jane's area" || got.Interpretation != "Typed and not yet saved." {
		t.Errorf("stored %q, %q; want both changes", got.Area, got.Interpretation)
	}
}

// TestEditorOwnWritesNoConflict: a progress update added from the editor
// moves the finding's version on; the editor takes it, so its own next
// save is not refused, and what was typed in the form is kept.
func TestEditorOwnWritesNoConflict(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	typeInto(e.interpretation, "Typed before the update.")
	before := e.orig.Version
	rag := model.Red
	if e.orig.RAG == model.Red {
		rag = model.Amber
	}
	test.Tap(findButton(t, e.updates.content, "Add update…"))
	typeInto(h.dialogEntries()[1], "RUI reviews now weekly.")
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok && slices.Contains(sel.Options, string(model.InProgress)) {
			sel.SetSelected(string(model.InProgress))
		}
		if sel, ok := o.(*widget.Select); ok && slices.Contains(sel.Options, string(rag)) {
			sel.SetSelected(string(rag))
		}
	}
	h.tapDialog("Save update")
	h.noDialog()
	stored := h.finding(e.orig.Ref)
	if stored.RAG != rag || stored.Version != before+1 {
		t.Fatalf("the update left RAG %s, version %d; want %s, %d", stored.RAG, stored.Version, rag, before+1)
	}
	if e.orig.Version != stored.Version || e.rag.Selected != string(rag) || e.interpretation.Text != "Typed before the update." {
		t.Fatalf("the editor has version %d, RAG %s, interpretation %q", e.orig.Version, e.rag.Selected, e.interpretation.Text)
	}
	test.Tap(e.save)
	h.noDialog()
	if got := h.finding(e.orig.Ref); got.Interpretation != "Typed before the update." || got.RAG != rag {
		t.Errorf("saved %q, RAG %s", got.Interpretation, got.RAG)
	}
}

// audit reads a finding's audit trail.
func (h *harness) audit(id model.ID) []model.AuditEvent {
	h.t.Helper()
	var evs []model.AuditEvent
	if err := h.store.View(context.Background(), func(tx model.ReadTx) (err error) { evs, err = tx.Audit(id); return }); err != nil {
		h.t.Fatal(err)
	}
	return evs
}

// TestMergeMovedTargets: both people moved the target. Keeping yours adds
// your revision after the colleague's, moving the date on from where they
// left it, and the store takes it; taking theirs keeps theirs alone.
func TestMergeMovedTargets(t *testing.T) {
	h := newHarness(t, true)
	base := h.openRUI().orig
	at := base.CurrentTarget
	jane := h.colleagueSaves(base.ID, "Jane Smith", func(f *model.Finding) {
		f.CurrentTarget = at.AddDays(30)
		f.TargetRevisions = append(f.TargetRevisions, model.Revision{To: f.CurrentTarget, Reason: "Jane's reason", AgreedBy: "Board"})
	})
	mine := base
	mine.CurrentTarget = at.AddDays(60)
	mine.TargetRevisions = append(slices.Clone(base.TargetRevisions), model.Revision{From: at, To: mine.CurrentTarget, Reason: "My reason", AgreedBy: "ACC"})
	m := newFindingMerge(base, mine, jane, nil)
	if c := m.conflicts(); len(c) != 1 || c[0].field != "current_target" || c[0].mine != mine.CurrentTarget.String() || c[0].theirs != jane.CurrentTarget.String() {
		t.Fatalf("conflicts %+v; want the current target, %s against %s", c, mine.CurrentTarget, jane.CurrentTarget)
	}

	theirs, err := m.result(nil)
	if err != nil {
		t.Fatal(err)
	}
	if theirs.CurrentTarget != jane.CurrentTarget || len(theirs.TargetRevisions) != len(jane.TargetRevisions) {
		t.Errorf("taking theirs gave %s with %d revisions", theirs.CurrentTarget, len(theirs.TargetRevisions))
	}

	merged, err := m.result(map[string]bool{"current_target": true})
	if err != nil {
		t.Fatal(err)
	}
	n := len(jane.TargetRevisions)
	if merged.CurrentTarget != mine.CurrentTarget || len(merged.TargetRevisions) != n+1 ||
		merged.TargetRevisions[n-1].Reason != "Jane's reason" || merged.TargetRevisions[n].Reason != "My reason" ||
		merged.TargetRevisions[n].From != jane.CurrentTarget || merged.Version != jane.Version || merged.OriginalTarget != jane.OriginalTarget {
		t.Fatalf("keeping mine gave %s, version %d, revisions %+v", merged.CurrentTarget, merged.Version, merged.TargetRevisions)
	}
	if err := h.store.Update(context.Background(), model.Actor{Who: "Sam"}, func(tx model.Tx) error { return tx.SaveFinding(&merged) }); err != nil {
		t.Fatalf("the store refused the merged finding: %v", err)
	}
	if got := h.finding(base.Ref); got.CurrentTarget != mine.CurrentTarget || len(got.TargetRevisions) != n+1 {
		t.Errorf("stored %s with %d revisions", got.CurrentTarget, len(got.TargetRevisions))
	}
}

// At a laptop's 1280 × 720 the conflict dialog fits the window and no
// word of it is cut short: a colleague with a long name once gave a choice
// that read "Take Impro…".
func TestConflictDialogFitsAt1280(t *testing.T) {
	h := newHarness(t, true)
	h.u.win.Resize(fyne.NewSize(1280, 720))
	e := h.openRUI()
	who := "Improvement Lead, Public Protection Unit"
	h.colleagueSaves(e.orig.ID, who, func(f *model.Finding) { f.Title = "Their title for the RUI finding" })
	typeInto(e.title, "My title for the RUI finding")
	test.Tap(e.save)
	if len(h.dialogRadios()) != 1 {
		t.Fatal("no choice for the title both changed")
	}
	cut := h.cutTexts()
	if len(cut) > 0 {
		t.Errorf("cut short or outside the window at 1280 × 720: %q", cut)
	}
}

// cutTexts are the texts of the topmost dialog drawn cut short (ending in
// "…" where the words do not, or wider than the space they are given) or
// reaching past the window's sides. (A scrolled list may run below the
// window: only the sides are checked.)
func (h *harness) cutTexts() []string {
	h.t.Helper()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatal("no dialog is showing")
	}
	width := h.u.win.Canvas().Size().Width
	var out []string
	var walk func(o fyne.CanvasObject, at fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position) {
		if !o.Visible() {
			return
		}
		at = at.Add(o.Position())
		switch v := o.(type) {
		case *canvas.Text:
			w := fyne.MeasureText(v.Text, v.TextSize, v.TextStyle).Width
			switch {
			case v.Text == "":
			case strings.HasSuffix(v.Text, "…"):
				out = append(out, v.Text)
			case at.X < 0 || at.X+w > width+1:
				out = append(out, fmt.Sprintf("%s (at x=%v, %v wide)", v.Text, at.X, w))
			case w > v.Size().Width+1:
				out = append(out, fmt.Sprintf("%s (%v wide in %v)", v.Text, w, v.Size().Width))
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c, at)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c, at)
			}
		}
	}
	walk(top, fyne.NewPos(0, 0))
	return out
}
