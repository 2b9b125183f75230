package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// The tests in this file do each flow of flows_test.go with the keyboard
// alone, delivering keys the way Fyne's desktop driver does: Tab moves
// the keyboard on (unless the field takes tabs), a key goes to the field
// that has the keyboard or else to the window, Space on a button is a key
// and a character, and Ctrl+key is first looked up in the main menu.

// focused is the widget with the keyboard, or nil.
func (h *harness) focused() fyne.Focusable { return h.u.win.Canvas().Focused() }

// press presses a key without modifiers.
func (h *harness) press(name fyne.KeyName) {
	h.t.Helper()
	c := h.u.win.Canvas()
	f := c.Focused()
	if name == fyne.KeyTab {
		if t, ok := f.(fyne.Tabbable); !ok || !t.AcceptsTab() {
			c.FocusNext()
			return
		}
	}
	ev := &fyne.KeyEvent{Name: name}
	if f != nil {
		f.TypedKey(ev)
	} else if k := c.OnTypedKey(); k != nil {
		k(ev)
	}
	if name == fyne.KeySpace {
		h.typeKeys(" ")
	}
	h.u.wait()
}

// typeKeys types characters into whatever has the keyboard.
func (h *harness) typeKeys(s string) {
	c := h.u.win.Canvas()
	for _, r := range s {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if k := c.OnTypedRune(); k != nil {
			k(r)
		}
	}
}

// ctrl presses Ctrl (Cmd on a Mac) with key: the main menu's shortcuts
// first, then the focused widget's, then the window's.
func (h *harness) ctrl(key fyne.KeyName) {
	h.t.Helper()
	sc := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
	var s fyne.Shortcut = sc
	if key == fyne.KeyA {
		s = &fyne.ShortcutSelectAll{}
	}
	for _, m := range h.u.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == s.ShortcutName() && it.Action != nil {
				it.Action()
				h.u.wait()
				return
			}
		}
	}
	if f, ok := h.focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
	} else {
		h.u.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
	}
	h.u.wait()
}

// tabTo presses Tab until match accepts the widget with the keyboard, and
// fails if it never does: the widget cannot be reached from the keyboard.
func (h *harness) tabTo(what string, match func(fyne.Focusable) bool) {
	h.t.Helper()
	for range 300 {
		h.press(fyne.KeyTab)
		if f := h.focused(); f != nil && match(f) {
			return
		}
	}
	h.t.Fatalf("Tab never reaches %s", what)
}

// tabToButton presses Tab until the button labelled text has the keyboard.
func (h *harness) tabToButton(text string) {
	h.t.Helper()
	h.tabTo("the button "+text, func(f fyne.Focusable) bool {
		b, ok := buttonOf(f)
		return ok && b.Text == text
	})
}

// tabToWidget presses Tab until w has the keyboard.
func (h *harness) tabToWidget(what string, w fyne.Focusable) {
	h.t.Helper()
	h.tabTo(what, func(f fyne.Focusable) bool { return f == w })
}

// replaceTyping selects everything in the focused field and types s.
func (h *harness) replaceTyping(s string) {
	h.t.Helper()
	h.ctrl(fyne.KeyA)
	h.typeKeys(s)
}

// chooseByKeys picks option in the focused Select with the arrow keys.
func (h *harness) chooseByKeys(option string) {
	h.t.Helper()
	sel, ok := h.focused().(*widget.Select)
	if fs, isForm := h.focused().(*formSelect); isForm {
		sel, ok = &fs.Select, true
	}
	if !ok {
		h.t.Fatalf("%T has the keyboard, not a choice", h.focused())
	}
	for range len(sel.Options) + 1 {
		if sel.Selected == option {
			return
		}
		h.press(fyne.KeyRight)
	}
	h.t.Fatalf("the arrow keys never choose %q among %v", option, sel.Options)
}

// Flows 1 and 7 by keyboard: load the sample from the welcome screen,
// search with Ctrl+F, open the finding from the table, change it, leave
// with Escape (asked first), and come back to the search with Ctrl+F.
func TestKeyboardLoadSearchOpenAndLeave(t *testing.T) {
	h := newHarness(t, false)
	h.tabToButton("Load the Kent PEEL 2021/22 sample")
	h.press(fyne.KeySpace)
	h.noDialog()
	if h.u.body.Objects[0] != h.u.tabs || len(h.u.register.data.rows) < 20 {
		t.Fatal("Space on the sample button did not load the register")
	}
	h.ctrl(fyne.KeyF)
	if h.focused() != h.u.register.search {
		t.Fatalf("Ctrl+F gives the keyboard to %T, not the search box", h.focused())
	}
	h.typeKeys("RUI policy")
	if refs := h.shownRefs(); len(refs) != 1 {
		t.Fatalf("searching by keyboard shows %v", refs)
	}
	h.tabToWidget("the register table", h.u.register.table)
	h.press(fyne.KeySpace)
	e := h.u.register.editor
	if e == nil {
		t.Fatal("Space in the table did not open the finding")
	}
	h.tabToWidget("the interpretation", e.interpretation)
	h.typeKeys(" And more.")
	// Escape in a field leaves the editor, asking first; Escape on the
	// question keeps editing.
	h.press(fyne.KeyEscape)
	if !h.dialogShows("changes that have not been saved") {
		t.Fatal("Escape in a changed field did not ask before leaving")
	}
	h.press(fyne.KeyEscape)
	h.noDialog()
	if h.u.register.editor != e {
		t.Fatal("Escape on the question did not keep editing")
	}
	// Ctrl+F from the finding goes back to the search, asking first.
	h.ctrl(fyne.KeyF)
	h.tabToButton("Discard changes")
	h.press(fyne.KeySpace)
	if h.u.register.editor != nil || h.focused() != h.u.register.search {
		t.Fatalf("Ctrl+F and Discard leave the editor open (%v) or the keyboard on %T", h.u.register.editor != nil, h.focused())
	}
	if got := h.finding(e.orig.Ref).Interpretation; strings.Contains(got, "And more.") {
		t.Error("discarded text was stored")
	}
	// An unchanged finding is left with one Escape, even from a field.
	h.tabToWidget("the register table", h.u.register.table)
	h.press(fyne.KeySpace)
	e = h.u.register.editor
	h.tabToWidget("the title", e.title)
	h.press(fyne.KeyEscape)
	if h.u.register.editor != nil {
		t.Fatal("one Escape from a field did not leave an unchanged finding")
	}
}

// Flows 2 and 6 by keyboard: move the target (the reason dialog filled in
// and confirmed with Enter), then close the finding, choosing the status
// with the arrow keys and saving with Ctrl+S.
func TestKeyboardTargetRevisionAndClosure(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	before := h.finding(e.orig.Ref)
	h.u.win.Canvas().Unfocus()
	h.tabToWidget("the current target", e.currentTarget)
	h.replaceTyping("31/12/2026")
	h.ctrl(fyne.KeyS)
	if !h.dialogShows("to 31/12/2026") {
		t.Fatal("Ctrl+S with a new target did not ask why")
	}
	// The dialog starts in its first field.
	h.typeKeys("Waiting for the new case system")
	h.press(fyne.KeyTab)
	h.typeKeys("Force improvement board")
	h.press(fyne.KeyReturn)
	h.noDialog()
	after := h.finding(e.orig.Ref)
	if len(after.TargetRevisions) != len(before.TargetRevisions)+1 ||
		after.TargetRevisions[len(after.TargetRevisions)-1].Reason != "Waiting for the new case system" {
		t.Fatalf("the revision typed was not stored: %+v", after.TargetRevisions)
	}

	// The finding's open milestones are settled first (the question that
	// asks about them is the flow test's); closing then takes the
	// rationale, the date closure was proposed and the date it was agreed.
	h.settleMilestones(after.ID)
	h.u.win.Canvas().Unfocus()
	h.tabToWidget("the status", e.status)
	h.chooseByKeys(string(model.Closed))
	h.ctrl(fyne.KeyS)
	if l := e.errs["closed_date"]; !l.Visible() {
		t.Fatal("an incomplete closure was not refused")
	}
	h.tabToWidget("the closure rationale", e.rationale)
	h.typeKeys("Bail policy rewritten and audited.")
	h.tabToWidget("the date closure was proposed", e.proposedDate)
	h.typeKeys("01/10/2026")
	h.tabToWidget("the closure date", e.closedDate)
	h.typeKeys("05/11/2026")
	h.ctrl(fyne.KeyS)
	h.noDialog()
	if got := h.finding(e.orig.Ref); got.Status != model.Closed || got.ClosedDate != model.MustDate("05/11/2026") {
		t.Errorf("closure typed stored as %s on %s", got.Status, got.ClosedDate)
	}
}

// Flow 3 by keyboard: Ctrl+PageDown to the milestones, add one, complete
// it, then add a progress update.
func TestKeyboardMilestoneAndUpdate(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	ms := e.milestones
	n := len(ms.items)
	h.ctrl(fyne.KeyPageDown)
	if e.tabs.Selected().Text != "Milestones" {
		t.Fatalf("Ctrl+PageDown shows %q", e.tabs.Selected().Text)
	}
	h.u.win.Canvas().Unfocus()
	h.tabToButton("Add milestone…")
	h.press(fyne.KeySpace)
	h.typeKeys("Train custody sergeants")
	h.tabTo("the due date", func(f fyne.Focusable) bool { _, ok := f.(*dateEntry); return ok })
	h.typeKeys("28/02/2027")
	h.press(fyne.KeyReturn)
	h.noDialog()
	if len(ms.items) != n+1 {
		t.Fatalf("milestones %d, want %d", len(ms.items), n+1)
	}
	idx := -1
	for i, m := range ms.items {
		if m.Title == "Train custody sergeants" {
			idx = i
		}
	}
	h.tabToWidget("the milestone list", ms.list)
	for range idx {
		h.press(fyne.KeyDown)
	}
	h.press(fyne.KeySpace)
	h.tabToButton("Complete…")
	h.press(fyne.KeySpace)
	h.press(fyne.KeyReturn)
	h.noDialog()
	for _, m := range ms.items {
		if m.Title == "Train custody sergeants" && m.Completed != h.u.today() {
			t.Errorf("completed %s, want today", m.Completed)
		}
	}

	h.ctrl(fyne.KeyPageDown)
	h.ctrl(fyne.KeyPageDown)
	if e.tabs.Selected().Text != "Progress updates" {
		t.Fatalf("two more Ctrl+PageDown show %q", e.tabs.Selected().Text)
	}
	before := len(e.updates.items)
	h.u.win.Canvas().Unfocus()
	h.tabToButton("Add update…")
	h.press(fyne.KeySpace)
	// The dialog starts in the narrative; Tab leaves it for the next field.
	h.typeKeys("Custody sergeants trained.")
	h.tabToButton("Save update")
	h.press(fyne.KeySpace)
	h.noDialog()
	if len(e.updates.items) != before+1 || e.updates.items[0].Narrative != "Custody sergeants trained." {
		t.Fatalf("the update typed was not stored: %d updates", len(e.updates.items))
	}
}

// Flow 4 by keyboard: attach a file by typing its path, then show its
// SHA-256 and close that with Escape.
func TestKeyboardAttachEvidence(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	path := writeTemp(t, "board-minutes.txt", "Minutes of the custody review board.\n")
	h.ctrl(fyne.KeyPageDown)
	h.ctrl(fyne.KeyPageDown)
	if e.tabs.Selected().Text != "Evidence" {
		t.Fatalf("Ctrl+PageDown twice shows %q", e.tabs.Selected().Text)
	}
	h.u.win.Canvas().Unfocus()
	h.tabToWidget("the path box", e.evidence.path)
	h.typeKeys(path)
	h.press(fyne.KeyReturn)
	if !h.dialogShows("board-minutes.txt") {
		t.Fatal("Enter on a typed path did not ask for the evidence details")
	}
	h.press(fyne.KeyReturn)
	h.noDialog()
	idx := -1
	for i, it := range e.evidence.items {
		if it.FileName == "board-minutes.txt" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("the file typed was not attached")
	}
	h.tabToWidget("the evidence list", e.evidence.list)
	for range idx {
		h.press(fyne.KeyDown)
	}
	h.press(fyne.KeySpace)
	h.tabToButton("Show SHA-256")
	h.press(fyne.KeySpace)
	if !h.dialogShows(e.evidence.items[idx].SHA256) {
		t.Fatal("Show SHA-256 by keyboard does not show the digest")
	}
	h.press(fyne.KeyEscape)
	h.noDialog()
}

// Flows 5 and 8 by keyboard: the overdue filter with Space, and the
// dashboard with Ctrl+2 and a typed as-at date.
func TestKeyboardOverdueFilterAndDashboard(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	want := 0
	for _, row := range r.data.rows {
		if model.Overdue(row.f, h.u.today()) {
			want++
		}
	}
	h.tabToWidget("Overdue only", r.overdue)
	h.press(fyne.KeySpace)
	if got := len(h.shownRefs()); got != want || !r.overdue.Checked {
		t.Fatalf("Space on Overdue only shows %d findings, want %d", got, want)
	}
	h.ctrl(fyne.KeyName("2"))
	if h.u.tabs.Selected().Text != "Dashboard" {
		t.Fatalf("Ctrl+2 shows %q", h.u.tabs.Selected().Text)
	}
	d := h.u.dashboard
	h.u.win.Canvas().Unfocus()
	h.tabToWidget("the as-at date", d.asAt)
	h.replaceTyping("15/11/2026")
	h.u.wait()
	if d.dash.asAt != model.MustDate("15/11/2026") {
		t.Fatalf("the dashboard is as at %s after typing 15/11/2026", d.dash.asAt)
	}
	h.ctrl(fyne.KeyName("1"))
	if h.u.tabs.Selected().Text != "Register" {
		t.Fatalf("Ctrl+1 shows %q", h.u.tabs.Selected().Text)
	}
}

// writeTemp writes a file in a temporary folder and returns its path.
func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A file dropped on the window while the evidence tab is in view is
// attached, and the file dialog then starts in its folder; a path pasted
// with Explorer's quotes is attached too; a drop elsewhere does nothing.
func TestEvidenceDropAndPastedPath(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	path := writeTemp(t, "custody audit.pdf", "%PDF-1.4 audit\n")
	h.u.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(path)})
	h.noDialog() // the Details tab is in view: nothing happens
	e.tabs.Select(e.tabs.Items[2])
	h.u.onDropped(fyne.Position{}, []fyne.URI{storage.NewFileURI(path)})
	if !h.dialogShows("custody audit.pdf") {
		t.Fatal("a file dropped on the evidence tab was not offered for attaching")
	}
	h.tapDialog("Save")
	h.noDialog()
	found := false
	for _, it := range e.evidence.items {
		if it.FileName == "custody audit.pdf" && it.FileSize == int64(len("%PDF-1.4 audit\n")) {
			found = true
		}
	}
	if !found {
		t.Fatalf("the dropped file is not listed: %+v", e.evidence.items)
	}
	if got := h.u.prefs.String(prefEvidenceFolder); got != filepath.Dir(path) {
		t.Errorf("the next attachment starts in %q, want %q", got, filepath.Dir(path))
	}

	other := writeTemp(t, "plan.txt", "plan")
	paste(e.evidence.path, `"`+other+`"`)
	e.evidence.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !h.dialogShows("plan.txt") {
		t.Fatal("a pasted path in quotes was not offered for attaching")
	}
	h.tapDialog("Cancel")
	typeInto(e.evidence.path, filepath.Join(filepath.Dir(other), "missing.txt"))
	e.evidence.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !h.dialogShows("there is no file there") {
		t.Fatal("a path to no file was not refused in words")
	}
	h.tapDialog("OK")
	// A device or a pipe is refused in words before it is opened for
	// reading: /dev/zero never ends, and a pipe nobody writes to would
	// hang the window.
	for path, want := range windowDevices(t) {
		typeInto(e.evidence.path, path)
		e.evidence.path.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if !h.dialogShows(want) {
			t.Fatalf("%s was not refused in words (%q)", path, want)
		}
		h.tapDialog("OK")
	}
}

// Cancelling a dialog after typing in it asks first: Keep writing brings
// it back with the text, Escape is Cancel, and Discard throws the text
// away; an untouched dialog closes at once. (A half-typed update was lost
// to a stray Cancel.)
func TestCancelAfterTypingAsks(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	before := len(e.updates.items)
	test.Tap(findButton(t, e.updates.content, "Add update…"))
	h.press(fyne.KeyEscape)
	h.noDialog()

	test.Tap(findButton(t, e.updates.content, "Add update…"))
	h.typeKeys("Half a sentence about the")
	h.tapDialog("Cancel")
	if !h.dialogShows("has not been saved") {
		t.Fatal("cancelling after typing did not ask")
	}
	h.tapDialog("Keep writing")
	if got := h.dialogTextAreas()[0].Text; got != "Half a sentence about the" {
		t.Fatalf("keeping on writing shows %q", got)
	}
	h.press(fyne.KeyEscape)
	if !h.dialogShows("has not been saved") {
		t.Fatal("Escape after typing did not ask")
	}
	h.tapDialog("Discard")
	h.noDialog()
	if len(e.updates.items) != before {
		t.Error("a discarded update was saved")
	}
}

// On the tabs whose records are saved as they are added, the editor says
// so instead of offering Save and Cancel; a new milestone is the delivery
// lead's.
func TestRecordTabsSayTheySaveAtOnce(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	h.ctrl(fyne.KeyPageDown)
	if e.save.Visible() || e.cancel.Visible() || !e.savedNote.Visible() {
		t.Errorf("on Milestones: Save shown %v, Cancel shown %v, note shown %v", e.save.Visible(), e.cancel.Visible(), e.savedNote.Visible())
	}
	test.Tap(findButton(t, e.milestones.content, "Add milestone…"))
	var owner string
	for _, o := range h.overlay() {
		if s, ok := o.(*widget.Select); ok {
			owner = s.Selected
		}
	}
	if want := e.personChoice(e.orig.DeliveryLeadID); owner != want || owner == noneChoice {
		t.Errorf("a new milestone's owner is %q, want the delivery lead %q", owner, want)
	}
	h.press(fyne.KeyEscape)
	h.ctrl(fyne.KeyPageUp)
	if !e.save.Visible() || !e.cancel.Visible() || e.savedNote.Visible() {
		t.Error("back on the details, Save and Cancel are not offered")
	}
}

// A save refused for a field out of sight brings that field into view:
// the details tab, scrolled to it.
func TestRefusedSaveShowsTheField(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	e.status.SetSelected(string(model.Closed))
	e.closedDate.SetText("")
	h.ctrl(fyne.KeyPageDown)
	h.ctrl(fyne.KeyS)
	if e.tabs.SelectedIndex() != 0 {
		t.Fatalf("a refused save leaves tab %q in view", e.tabs.Selected().Text)
	}
	if !e.errs["closed_date"].Visible() {
		t.Fatal("the closure date's problem is not shown")
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(e.errs["closed_date"]).Y - d.AbsolutePositionForObject(e.detailsScroll).Y
	if y < 0 || y > e.detailsScroll.Size().Height {
		t.Errorf("the problem is %v below the top of a form %v high: out of sight", y, e.detailsScroll.Size().Height)
	}
}

// Tab through the finding's details at 1280 × 720: each text field,
// drop-down list, tick box and button that takes the keyboard is scrolled
// into view, all of it where it fits, so that nobody types into (or ticks,
// or presses) a field they cannot see.
func TestTabScrollsTheFieldIntoView(t *testing.T) {
	h := newHarness(t, true)
	h.u.win.Resize(fyne.NewSize(1280, 720))
	e := h.openRUI()
	s := e.detailsScroll
	h.u.win.Canvas().Focus(e.inspectorateRef)
	d := fyne.CurrentApp().Driver()
	checked, lowest := 0, float32(0)
	kinds := map[string]bool{}
	for range 60 {
		h.press(fyne.KeyTab)
		f := h.focused()
		o, ok := f.(fyne.CanvasObject)
		switch f.(type) {
		case *lineEntry, *textArea, *dateEntry, *formSelect, *formSelectEntry, *formCheck, *formButton:
			kinds[fmt.Sprintf("%T", f)] = true
		case *widget.Check, *widget.Button, *widget.SelectEntry, *widget.Entry, *widget.Select:
			// Inside the scrolled form, every kind that takes the
			// keyboard must be one of the app's, which reveal themselves.
			if _, in := scrollAround(s, o, nil); in {
				t.Errorf("Tab reached a %T inside the form that does not scroll itself into view", f)
			}
			continue
		default:
			continue
		}
		if !ok {
			continue
		}
		top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s).Y
		bottom := top + min(o.Size().Height, s.Size().Height)
		if top < 0 || bottom > s.Size().Height+1 {
			t.Errorf("Tab reached a field %v–%v in a view 0–%v high (scrolled %v)", top, bottom, s.Size().Height, s.Offset.Y)
		}
		checked++
		lowest = max(lowest, s.Offset.Y)
	}
	if checked < 5 || lowest == 0 {
		t.Errorf("%d fields checked, the form scrolled at most %v: the test proves nothing", checked, lowest)
	}
	for _, k := range []string{"*app.formSelectEntry", "*app.formCheck", "*app.formButton"} {
		if !kinds[k] {
			t.Errorf("Tab never reached a %s in the form: %v", k, kinds)
		}
	}
}
