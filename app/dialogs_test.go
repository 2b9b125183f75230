package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// pressEnter sends Enter to the field that has the keyboard.
func (h *harness) pressEnter() {
	h.t.Helper()
	f := h.u.win.Canvas().Focused()
	if f == nil {
		h.t.Fatal("no field has the keyboard")
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.u.wait()
}

// A dialog opens with the keyboard in its first field, and Enter there
// confirms it: a person can fill in the settings without the mouse.
func TestFormDialogStartsInFirstFieldAndEnterConfirms(t *testing.T) {
	h := newHarness(t, false)
	h.u.onSettings()
	focused := h.u.win.Canvas().Focused()
	if focused == nil {
		t.Fatal("the settings dialog opened with no field taking the keyboard")
	}
	test.Type(focused, "Westshire Police")
	h.pressEnter()
	if !h.dialogShows("Reference prefix: is required") {
		t.Fatal("Enter did not try to save the settings")
	}
	prefix := h.dialogEntries()[1]
	h.u.win.Canvas().Focus(prefix)
	test.Type(prefix, "wsp")
	h.pressEnter()
	h.noDialog()
	s, err := h.u.settings()
	if err != nil {
		t.Fatal(err)
	}
	if s.ForceName != "Westshire Police" || s.RefPrefix != "WSP" {
		t.Errorf("settings stored as %q, %q", s.ForceName, s.RefPrefix)
	}
}

// A refused dialog comes back with the keyboard in the field where Enter
// was pressed, so the mistake can be put right at once.
func TestRefusedDialogKeepsTheKeyboard(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	e.tabs.SelectIndex(1)
	e.milestones.onAdd()
	entries := h.dialogEntries()
	if h.u.win.Canvas().Focused() != entries[0] {
		t.Fatal("the milestone dialog did not start in its first field")
	}
	test.Type(entries[0], "Review every RUI case over 90 days")
	var due fyne.Focusable
	for _, f := range entries {
		if d, ok := f.(*dateEntry); ok {
			due = d
		}
	}
	if due == nil {
		t.Fatal("the milestone dialog has no due date")
	}
	h.u.win.Canvas().Focus(due)
	test.Type(due, "31/02/2027")
	h.pressEnter()
	if !h.dialogShows("February has no day 31") {
		t.Fatal("a date that does not exist was not refused in words")
	}
	if got := h.u.win.Canvas().Focused(); got != due {
		t.Fatalf("the refused dialog put the keyboard in %T, not back in the date", got)
	}
	typeInto(due, "28/02/2027")
	h.pressEnter()
	h.noDialog()
}

// The calendar beside a date answers a click but is not in the Tab order,
// and the field is wide enough for a whole date beside it.
func TestDateEntryCalendarOutOfTabOrder(t *testing.T) {
	h := newHarness(t, false)
	d := newDateEntry()
	if _, ok := d.ActionItem.(fyne.Focusable); ok {
		t.Error("the calendar button takes the keyboard, so Tab stops on it")
	}
	h.u.win.SetContent(d)
	h.u.win.Resize(d.MinSize().Add(fyne.NewSquareSize(20)))
	text := fyne.MeasureText("00/00/0000", 14, fyne.TextStyle{}).Width
	if room := d.MinSize().Width - d.ActionItem.MinSize().Width; room < text {
		t.Errorf("the date field leaves %.0f for a date %.0f wide", room, text)
	}
	test.Tap(d.ActionItem.(fyne.Tappable))
	if top := h.u.win.Canvas().Overlays().Top(); top == nil {
		t.Fatal("tapping the calendar did not open it")
	} else if _, ok := top.(*widget.PopUp); !ok {
		t.Fatalf("tapping the calendar showed %T", top)
	}
}

// Giving a saved finding its first target is not a revision: it becomes
// the original target without asking why it moved. Moving it afterwards
// asks.
func TestFirstTargetOnSavedFindingIsNotARevision(t *testing.T) {
	h := newHarness(t, true)
	menuItemByLabel(t, h.u, "New finding").Action()
	e := h.u.register.editor
	typeInto(e.verbatim, "The force should make sure its vetting backlog is cleared.")
	e.area.SetText("Vetting")
	test.Tap(e.save)
	h.noDialog()
	if e.orig.ID == 0 {
		t.Fatal("the finding was not stored")
	}

	typeInto(e.currentTarget, "31/03/2027")
	test.Tap(e.save)
	h.noDialog()
	f := h.finding(e.orig.Ref)
	if f.CurrentTarget != model.MustDate("31/03/2027") || f.OriginalTarget != f.CurrentTarget {
		t.Errorf("targets stored as original %s, current %s", f.OriginalTarget, f.CurrentTarget)
	}
	if len(f.TargetRevisions) != 0 {
		t.Errorf("the first target was recorded as a revision: %+v", f.TargetRevisions)
	}

	typeInto(e.currentTarget, "30/06/2027")
	test.Tap(e.save)
	if !h.dialogShows("moves from 31/03/2027 to 30/06/2027") {
		t.Fatal("moving a target already set did not ask why")
	}
}

func TestTimesInWords(t *testing.T) {
	for n, want := range map[int]string{1: "once", 2: "twice", 3: "3 times", 12: "12 times"} {
		if got := times(n); got != want {
			t.Errorf("times(%d) = %q, want %q", n, got, want)
		}
	}
}

// A retired person stays readable in the People list, selected or not:
// set in italics with the word "retired", not in a disabled grey.
func TestRetiredPersonReadable(t *testing.T) {
	h := newHarness(t, true)
	h.u.selectTab("People")
	p := h.u.people
	idx := -1
	for i, person := range p.people {
		if person.Label() == "Head of Wellbeing" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("the sample has no Head of Wellbeing")
	}
	p.list.Select(idx)
	p.onRetire()
	h.tapDialog("Retire")
	h.noDialog()
	idx = -1
	for i, person := range p.people {
		if person.Label() == "Head of Wellbeing" {
			idx = i
		}
	}
	if idx < 0 || !p.people[idx].Retired {
		t.Fatal("Head of Wellbeing was not retired")
	}
	var l *widget.Label
	for _, o := range test.LaidOutObjects(p.list) {
		if v, ok := o.(*widget.Label); ok && v.Text == "Head of Wellbeing — retired" {
			l = v
		}
	}
	if l == nil {
		t.Fatal("the list does not show Head of Wellbeing as retired")
	}
	if l.Importance == widget.LowImportance || !l.TextStyle.Italic {
		t.Errorf("retired row drawn with importance %v, italic %v", l.Importance, l.TextStyle.Italic)
	}
}

// The Reports screen of a register without reports says how to add one,
// and stops saying it once there is one.
func TestReportsEmptySaysWhatToDo(t *testing.T) {
	h := newHarness(t, false)
	h.u.showTabs()
	h.u.selectTab("Reports")
	r := h.u.reports
	if !r.empty.Visible() || !strings.Contains(r.empty.Text, "Add report") {
		t.Fatalf("an empty Reports screen shows no advice (visible %v: %q)", r.empty.Visible(), r.empty.Text)
	}
	if err := h.u.update(func(tx model.Tx) error {
		return tx.SaveReport(&model.Report{Title: "Westshire PEEL 2023–25", Force: "Westshire Police",
			Type: model.PEEL, Cycle: "2023–25", Code: "PEEL2325", Published: model.MustDate("25/03/2026")})
	}); err != nil {
		t.Fatal(err)
	}
	h.u.changed()
	if r.empty.Visible() {
		t.Error("the advice stays after a report was added")
	}
}

// When nothing matches, the register says so on a panel of its own over
// the empty table, and the panel goes when rows come back.
func TestRegisterNoMatchOnPanel(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	h.search("zzzq")
	if !r.empty.Visible() || !r.emptyBg.Visible() || !strings.Contains(r.empty.Text, "No findings match") {
		t.Fatalf("no-match message visible %v, panel visible %v: %q", r.empty.Visible(), r.emptyBg.Visible(), r.empty.Text)
	}
	h.search("RUI")
	if r.empty.Visible() || r.emptyBg.Visible() {
		t.Error("the no-match panel stays over the rows")
	}
}

// "Add update" starts in the narrative: the date is already today's.
func TestAddUpdateStartsInNarrative(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	e.tabs.SelectIndex(3)
	e.updates.onAdd()
	if _, ok := h.u.win.Canvas().Focused().(*textArea); !ok {
		t.Fatalf("the update dialog starts in %T, not the narrative", h.u.win.Canvas().Focused())
	}
}

// A huge paste into the interpretation is refused beside the field in
// words, and what was pasted stays in the form to be cut down.
func TestHugeInterpretationRefusedInWords(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	// About 105,000 characters in paragraphs, as pasted from a document.
	huge := strings.Repeat(strings.Repeat("The force will review every case. ", 18)+"\n\n", 172)
	e.interpretation.SetText(huge)
	test.Tap(e.save)
	h.noDialog()
	l := e.errs["interpretation"]
	if l == nil || !l.Visible() || !strings.Contains(l.Text, "the limit is 100000") {
		t.Fatalf("the long interpretation was not refused beside the field: %+v", l)
	}
	if e.interpretation.Text != huge {
		t.Error("the pasted text was lost")
	}
	if got := h.finding(e.orig.Ref).Interpretation; got == huge {
		t.Error("the over-long interpretation was stored")
	}
}

// A report pasted as one enormous line (as text copied from some PDFs
// comes) goes into the import box without Fyne wrapping it word by word,
// which took seconds per 10,000 characters.
func TestImportPasteBoxDoesNotWrap(t *testing.T) {
	h := newHarness(t, false)
	s := newImportReportScreen(h.u)
	if s.paste.Wrapping != fyne.TextWrapOff {
		t.Fatalf("the paste box wraps (%v)", s.paste.Wrapping)
	}
	s.paste.SetText(strings.Repeat("The force should improve how it supervises investigations. ", 600))
	if len(s.paste.Text) < 30000 {
		t.Fatal("the long line was not kept")
	}
}

// Saving a finding says so beside the Save button, with the time.
func TestEditorSaysSaved(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	if e.saved.Text != "" {
		t.Fatalf("a finding just opened already says %q", e.saved.Text)
	}
	typeInto(e.board, "Crime and Justice Board")
	test.Tap(e.save)
	h.noDialog()
	if want := "Saved at " + h.clock.Now().Format("15:04"); e.saved.Text != want {
		t.Errorf("after saving the editor says %q, want %q", e.saved.Text, want)
	}
}

// Tab in a multi-line field moves to the next field instead of typing a
// tab: the revision dialog's reason, then who agreed.
func TestTabLeavesTextArea(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	typeInto(e.currentTarget, "31/12/2026")
	test.Tap(e.save)
	entries := h.dialogEntries()
	reason, ok := entries[0].(*textArea)
	if !ok {
		t.Fatalf("the reason is a %T", entries[0])
	}
	if reason.AcceptsTab() {
		t.Fatal("Tab types into the reason instead of moving on")
	}
	c := h.u.win.Canvas()
	if c.Focused() != reason {
		t.Fatalf("the revision dialog starts in %T, not the reason", c.Focused())
	}
	test.Type(reason, "Waiting for the new case system")
	c.FocusNext()
	if c.Focused() != entries[1] {
		t.Fatalf("Tab from the reason went to %T, not Agreed by", c.Focused())
	}
}
