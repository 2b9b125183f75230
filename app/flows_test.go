package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// Flow 1: load the sample from the welcome screen, then find the RUI
// finding by search, including by words that are only in its updates.
func TestFlowLoadSampleAndSearch(t *testing.T) {
	h := newHarness(t, false)
	if h.u.body.Objects[0] != h.u.welcome.content {
		t.Fatal("an empty register does not open on the welcome screen")
	}
	if h.u.welcome.importBox.Visible() != (h.u.importReport != nil) {
		t.Error("import is offered exactly when something can import")
	}
	test.Tap(h.u.welcome.sample)
	h.u.wait()
	h.noDialog()
	if h.u.body.Objects[0] != h.u.tabs {
		t.Fatal("after loading the sample the register is not shown")
	}
	total := len(h.u.register.data.rows)
	if total < 20 {
		t.Fatalf("the register shows %d findings after loading the sample", total)
	}
	if want := fmt.Sprintf("%d of %d findings", total, total); h.u.register.count.Text != want {
		t.Errorf("count reads %q, want %q", h.u.register.count.Text, want)
	}

	h.search("RUI")
	refs := h.shownRefs()
	if len(refs) == 0 {
		t.Fatal("searching for RUI finds nothing")
	}
	rui := h.finding(refs[0])
	if !strings.Contains(rui.Title+rui.Verbatim, "released under investigation") {
		t.Errorf("the first match for RUI is %s %q", rui.Ref, rui.DisplayTitle())
	}
	if want := fmt.Sprintf("%d of %d findings", len(refs), total); h.u.register.count.Text != want {
		t.Errorf("count reads %q, want %q", h.u.register.count.Text, want)
	}

	// "1,480 suspects" appears only in a progress update.
	h.search("1,480 suspects")
	if got := h.shownRefs(); len(got) != 1 || got[0] != rui.Ref {
		t.Errorf("searching the updates finds %v, want %s", got, rui.Ref)
	}
	h.search("no such words anywhere")
	if len(h.shownRefs()) != 0 || !h.u.register.empty.Visible() {
		t.Error("a search with no match should say so")
	}
}

// Flow 2: moving the current target asks for a reason and who agreed it;
// the revision and the audit entry are stored and shown in the history.
func TestFlowTargetRevision(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	before := h.finding(e.orig.Ref)

	typeInto(e.currentTarget, "31/12/2026")
	test.Tap(e.save)
	if !h.dialogShows("moves from " + before.CurrentTarget.String() + " to 31/12/2026") {
		t.Fatal("changing the target did not ask why")
	}
	// Saving without a reason is refused in words, keeping what was typed.
	entries := h.dialogEntries()
	typeInto(entries[1], "Force improvement board")
	h.tapDialog("Save")
	if !h.dialogShows("Give the reason the target moved") {
		t.Fatal("a revision without a reason was not refused")
	}
	entries = h.dialogEntries()
	if got := entries[1].(*lineEntry).Text; got != "Force improvement board" {
		t.Errorf("the refused dialog lost what was typed: %q", got)
	}
	typeInto(entries[0], "Waiting for the new case system")
	h.tapDialog("Save")
	h.noDialog()

	after := h.finding(e.orig.Ref)
	if after.CurrentTarget != model.MustDate("31/12/2026") {
		t.Errorf("stored target %s", after.CurrentTarget)
	}
	if len(after.TargetRevisions) != len(before.TargetRevisions)+1 {
		t.Fatalf("revisions %d, want %d", len(after.TargetRevisions), len(before.TargetRevisions)+1)
	}
	rev := after.TargetRevisions[len(after.TargetRevisions)-1]
	if rev.From != before.CurrentTarget || rev.Reason != "Waiting for the new case system" || rev.AgreedBy != "Force improvement board" {
		t.Errorf("stored revision %+v", rev)
	}
	var events []model.AuditEvent
	if err := h.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		events, err = tx.Audit(after.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if !strings.Contains(last.Note, "Waiting for the new case system") {
		t.Errorf("the audit entry does not carry the reason: %+v", last)
	}
	want := fmt.Sprintf("current target changed from %s to 31/12/2026 (reason: Waiting for the new case system", before.CurrentTarget)
	if len(e.history.lines) == 0 || !strings.Contains(e.history.lines[0], want) {
		t.Errorf("history shows %q, want it to contain %q", e.history.lines, want)
	}
	if !strings.HasPrefix(e.history.lines[0], "20/11/2026 09:30 — ") {
		t.Errorf("history line %q is not dated by the clock", e.history.lines[0])
	}
	if !strings.Contains(e.revisions.Text, "Waiting for the new case system") {
		t.Errorf("the form's revision list reads %q", e.revisions.Text)
	}
}

// Flow 3: add a milestone, complete it, and add an update, which can then
// not be edited.
func TestFlowMilestoneAndUpdate(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	ms := e.milestones
	n := len(ms.items)

	test.Tap(findButton(t, ms.content, "Add milestone…"))
	entries := h.dialogEntries()
	typeInto(entries[0], "Train custody sergeants on the new policy")
	typeInto(entries[1], "31/02/2027")
	h.tapDialog("Save")
	if !h.dialogShows("February has no day 31") {
		t.Fatal("an impossible date was not explained")
	}
	typeInto(h.dialogEntries()[1], "28/02/2027")
	h.tapDialog("Save")
	h.noDialog()
	if len(ms.items) != n+1 {
		t.Fatalf("milestones %d, want %d", len(ms.items), n+1)
	}
	idx := -1
	for i, m := range ms.items {
		if m.Title == "Train custody sergeants on the new policy" {
			idx = i
		}
	}
	if idx < 0 || ms.items[idx].CurrentDue != model.MustDate("28/02/2027") {
		t.Fatalf("the milestone was not stored as typed: %+v", ms.items)
	}

	ms.list.Select(idx)
	test.Tap(ms.complete)
	h.tapDialog("Complete")
	h.noDialog()
	var stored model.Milestone
	for _, m := range ms.items {
		if m.Title == "Train custody sergeants on the new policy" {
			stored = m
		}
	}
	if stored.Completed != h.u.today() {
		t.Errorf("completed %s, want today %s", stored.Completed, h.u.today())
	}

	up := e.updates
	before := len(up.items)
	test.Tap(findButton(t, up.content, "Add update…"))
	entries = h.dialogEntries()
	if got := entries[0].(*dateEntry).Text; got != "20/11/2026" {
		t.Errorf("the update's date defaults to %q, want today", got)
	}
	typeInto(entries[1], "Custody sergeants trained; RUI reviews now weekly.")
	h.tapDialog("Save update")
	h.noDialog()
	if len(up.items) != before+1 {
		t.Fatalf("updates %d, want %d", len(up.items), before+1)
	}
	newest := up.items[0]
	if newest.Narrative != "Custody sergeants trained; RUI reviews now weekly." || newest.Author != "Improvement lead" {
		t.Errorf("newest update %+v", newest)
	}
	if newest.Status != e.orig.Status {
		t.Errorf("update status %q, finding %q", newest.Status, e.orig.Status)
	}
	// The timeline offers no way to change it, and the store refuses.
	for _, o := range test.LaidOutObjects(up.list) {
		switch o.(type) {
		case *widget.Entry, *lineEntry, *textArea:
			t.Fatal("the timeline holds an editable field")
		}
	}
	changed := newest
	changed.Narrative = "rewritten"
	err := h.store.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&changed) })
	if !errors.Is(err, model.ErrAppendOnly) {
		t.Errorf("changing a saved update gave %v, want ErrAppendOnly", err)
	}
}

// Flow 4: attach an evidence file and read it back with a matching digest.
func TestFlowAttachEvidence(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	ev := e.evidence
	data := []byte("Minutes of the custody review board, 12/11/2026.\n")
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])

	ev.attachFrom("board-minutes.txt", io.NopCloser(bytes.NewReader(data)))
	if !h.dialogShows("board-minutes.txt") {
		t.Fatal("attaching did not ask for the evidence details")
	}
	h.tapDialog("Save")
	h.noDialog()
	idx := -1
	for i, it := range ev.items {
		if it.FileName == "board-minutes.txt" {
			idx = i
		}
	}
	if idx < 0 {
		t.Fatal("the attached file is not listed")
	}
	if ev.items[idx].SHA256 != digest {
		t.Errorf("stored digest %s, want %s", ev.items[idx].SHA256, digest)
	}
	ev.list.Select(idx)
	test.Tap(ev.digest)
	if !h.dialogShows(digest) {
		t.Error("Show SHA-256 does not show the digest")
	}
	h.tapDialog("Close")
	back, err := ev.readFile(ev.items[idx])
	if err != nil || !bytes.Equal(back, data) {
		t.Errorf("read back %q, %v", back, err)
	}

	// Too large a file is refused in words, before anything is stored.
	big := bytes.Repeat([]byte{'x'}, model.MaxAttachmentSize+1)
	ev.attachFrom("huge.bin", io.NopCloser(bytes.NewReader(big)))
	if !h.dialogShows("larger than") {
		t.Error("an oversized file was not refused with a message")
	}
}

// Flow 5: "overdue only" against the injected clock.
func TestFlowOverdueFilter(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	today := h.u.today()
	var want []string
	for _, row := range r.data.rows {
		if model.Overdue(row.f, today) {
			want = append(want, row.f.Ref)
		}
	}
	if len(want) == 0 {
		t.Fatal("the sample has nothing overdue on the test date; the test proves nothing")
	}
	test.Tap(r.overdue)
	got := h.shownRefs()
	if len(got) != len(want) {
		t.Fatalf("overdue only shows %d findings, want %d (%v)", len(got), len(want), want)
	}
	for _, idx := range r.shown {
		row := r.data.rows[idx]
		if !row.isOver || cellText(&row, colOverdue) != fmt.Sprint(model.DaysOverdue(row.f, today))+" days" {
			t.Errorf("%s shown as overdue with %q days", row.f.Ref, cellText(&row, colOverdue))
		}
	}
	// The filter is remembered for the next run.
	if !strings.Contains(h.u.prefs.String(prefRegister), `"overdue":true`) {
		t.Errorf("the filter was not kept: %s", h.u.prefs.String(prefRegister))
	}

	// A year later more is overdue: the filter follows the clock.
	h.clock.set(h.clock.Now().AddDate(1, 0, 0))
	r.refresh()
	h.u.wait()
	later := 0
	for _, row := range r.data.rows {
		if model.Overdue(row.f, h.u.today()) {
			later++
		}
	}
	if len(h.shownRefs()) != later || later <= len(want) {
		t.Errorf("a year on, overdue only shows %d, want %d (more than %d)", len(h.shownRefs()), later, len(want))
	}
}

// Flow 6: each closure rule refuses incomplete input with a message beside
// the field, and nothing is stored.
func TestFlowClosureRules(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	stored := h.finding(e.orig.Ref)
	cases := []struct {
		status model.Status
		field  string
		msg    string
	}{
		{model.ClosureProposed, "closure_rationale", "proposing closure needs a rationale"},
		{model.Closed, "closed_date", "give the date the inspectorate agreed closure"},
		{model.Superseded, "superseded_by", "choose the finding that supersedes"},
		{model.NoFurtherAction, "closure_rationale", "no further action needs a rationale"},
	}
	for _, c := range cases {
		t.Run(string(c.status), func(t *testing.T) {
			e.rationale.SetText("")
			e.closedDate.SetText("")
			e.supersededBy.SetSelected(noneChoice)
			e.status.SetSelected(string(c.status))
			if !strings.Contains(e.statusHelp.Text, "Needs") {
				t.Errorf("the rule is not shown beside the status: %q", e.statusHelp.Text)
			}
			test.Tap(e.save)
			h.noDialog()
			l := e.errs[c.field]
			if !l.Visible() || !strings.Contains(l.Text, c.msg) {
				t.Errorf("beside %s: %q (visible %v), want %q", c.field, l.Text, l.Visible(), c.msg)
			}
			if got := h.finding(e.orig.Ref); got.Status != stored.Status {
				t.Errorf("an incomplete closure was stored: %s", got.Status)
			}
		})
	}
	// Complete input is accepted: closing from In progress proposes and
	// closes in one save, so it needs the rationale and the date closure
	// was proposed, as well as the date the inspectorate agreed.
	e.status.SetSelected(string(model.Closed))
	typeInto(e.rationale, "Bail policy rewritten; dip sample of 50 cases shows compliance.")
	typeInto(e.proposedDate, "01/10/2026")
	typeInto(e.closedDate, "32/10/2026")
	test.Tap(e.save)
	if l := e.errs["closed_date"]; !strings.Contains(l.Text, "no day 32") {
		t.Errorf("a bad date is explained as %q", l.Text)
	}
	typeInto(e.closedDate, "05/11/2026")
	// Save through the menu item that carries Ctrl/Cmd+S.
	item := menuItemByLabel(t, h.u, "Save finding")
	if sc, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || sc.KeyName != fyne.KeyS {
		t.Errorf("Save finding has shortcut %v", item.Shortcut)
	}
	item.Action()
	// A milestone is still open: the editor asks how it ended.
	if !h.dialogShows("Milestones still open") {
		t.Fatal("closing with a milestone open did not ask about it")
	}
	h.tapDialog("Save")
	if !h.dialogShows("how the milestone") {
		t.Error("saving without an outcome for the open milestone was not refused in words")
	}
	if n := h.chooseOutcomes(model.OutcomeNotNeeded); n == 0 {
		t.Fatal("the dialog offers no outcome to choose")
	}
	h.tapDialog("Save")
	h.noDialog()
	got := h.finding(e.orig.Ref)
	if got.Status != model.Closed || got.ClosedDate != model.MustDate("05/11/2026") || got.ClosureProposedDate != model.MustDate("01/10/2026") || got.RAG != model.Blue {
		t.Errorf("complete closure stored as %s (%s) proposed %s, closed %s", got.Status, got.RAG, got.ClosureProposedDate, got.ClosedDate)
	}
	// Both stages are on record, each on its date.
	var stages []string
	for _, u := range h.updates(got.ID) {
		if u.Status == model.ClosureProposed || u.Status == model.Closed {
			stages = append(stages, u.Date.String()+" "+string(u.Status))
		}
	}
	if strings.Join(stages, "|") != "01/10/2026 Closure proposed to the inspectorate|05/11/2026 Closed (inspectorate agreed)" {
		t.Errorf("the two stages are recorded as %q", stages)
	}
	for _, m := range h.milestones(got.ID) {
		if m.Open() {
			t.Errorf("milestone %q is still open after closing", m.Title)
		}
	}
}

// Flow 7: leaving the editor with unsaved changes asks first.
func TestFlowUnsavedChangesPrompt(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	orig := h.finding(e.orig.Ref)

	// Nothing changed: leaving does not ask.
	test.Tap(findButton(t, e.content, "Register"))
	if h.u.register.editor != nil {
		t.Fatal("leaving an unchanged finding did not go back to the register")
	}
	h.u.register.table.Select(widget.TableCellID{Row: 0, Col: colRef})
	e = h.u.register.editor

	test.Type(e.interpretation, " And more.")
	test.Tap(findButton(t, e.content, "Register"))
	if !h.dialogShows("changes that have not been saved") {
		t.Fatal("no unsaved-changes prompt")
	}
	h.tapDialog("Keep editing")
	if h.u.register.editor != e || !strings.Contains(e.interpretation.Text, " And more.") {
		t.Fatal("keeping on editing lost the editor or the text")
	}
	// Opening another finding from the menu's New finding asks too.
	h.u.onNewFinding()
	h.tapDialog("Discard changes")
	if h.u.register.editor == nil || h.u.register.editor.orig.ID != 0 {
		t.Fatal("discarding did not go on to the new finding")
	}
	if got := h.finding(orig.Ref); got.Interpretation != orig.Interpretation {
		t.Error("discarded text was stored")
	}
	// Closing the window asks as well.
	e = h.u.register.editor
	typeInto(e.title, "Draft")
	h.u.onClose()
	if !h.dialogShows("changes that have not been saved") {
		t.Fatal("closing the window with unsaved changes did not ask")
	}
	h.tapDialog("Keep editing")
	// Escape cancels, asking first.
	h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !h.dialogShows("changes that have not been saved") {
		t.Fatal("Escape with unsaved changes did not ask")
	}
	h.tapDialog("Discard changes")
	if h.u.register.editor != nil {
		t.Error("Escape and discard did not close the editor")
	}
}

// menuItemByLabel finds an item of the main menu by its label.
func menuItemByLabel(t *testing.T, u *ui, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range u.win.MainMenu().Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

// Flow 8: the dashboard's counts match the register today and as at an
// earlier date, before a change made today.
func TestFlowDashboardCounts(t *testing.T) {
	h := newHarness(t, true)
	countRegister := func() map[model.Status]int {
		m := map[model.Status]int{}
		for _, row := range h.u.register.data.rows {
			// The dashboard counts the findings open, or closed this
			// quarter; none of the sample's closed this quarter.
			if row.f.Type.Tracked() && !row.f.Status.IsFinal() {
				m[row.f.Status]++
			}
		}
		return m
	}
	check := func(label string, d *dashboard, want map[model.Status]int) {
		t.Helper()
		total := 0
		for _, st := range model.Statuses {
			total += want[st]
			if d.counts.ByStatus[st] != want[st] {
				t.Errorf("%s: %s counts %d, want %d", label, st, d.counts.ByStatus[st], want[st])
			}
		}
		if d.counts.Total != total {
			t.Errorf("%s: total %d, want %d", label, d.counts.Total, total)
		}
	}
	before := countRegister()
	h.u.selectTab("Dashboard")
	d := h.u.dashboard
	check("today", d.dash, before)
	if len(d.dash.exceptions) == 0 {
		t.Error("the sample shows no exceptions")
	}
	ragTotal := 0
	for _, n := range d.dash.counts.ByRAG {
		ragTotal += n
	}
	if ragTotal != d.dash.counts.Total {
		t.Errorf("RAG counts add up to %d, total %d", ragTotal, d.dash.counts.Total)
	}

	// Today, an update says the RUI work is complete, pending sign-off.
	h.u.selectTab("Register")
	e := h.openRUI()
	test.Tap(findButton(t, e.updates.content, "Add update…"))
	typeInto(h.dialogEntries()[1], "Policy published and RUI cases reviewed weekly.")
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok && slices.Contains(sel.Options, string(model.CompletePending)) {
			sel.SetSelected(string(model.CompletePending))
		}
	}
	// Complete means Blue, and the open milestones are settled first.
	h.chooseOutcomes(model.OutcomeCompleted)
	h.tapDialog("Save update")
	h.noDialog()
	after := countRegister()
	if after[model.CompletePending] != before[model.CompletePending]+1 {
		t.Fatalf("the register did not take the change: %v", after)
	}

	h.u.selectTab("Dashboard")
	check("today after the change", d.dash, after)
	typeInto(d.asAt, "31/11/2026")
	if !d.asAtErr.Visible() || !strings.Contains(d.asAtErr.Text, "November has no day 31") {
		t.Errorf("a bad as-at date is explained as %q", d.asAtErr.Text)
	}
	typeInto(d.asAt, "15/11/2026")
	if d.asAtErr.Visible() {
		t.Error("the explanation stays after the date is put right")
	}
	h.u.wait()
	if d.dash.asAt != model.MustDate("15/11/2026") {
		t.Fatalf("the dashboard is as at %s", d.dash.asAt)
	}
	check("as at 15/11/2026", d.dash, before)

	// A portfolio filter keeps only that chief officer's findings.
	chief := d.dash.chiefs[0]
	d.chief.SetSelected(chief)
	h.u.wait()
	for _, f := range d.dash.snap.Findings {
		if d.dash.snap.PersonLabel(f.ChiefOfficerID) != chief {
			t.Errorf("%s is not in the portfolio of %s", f.Ref, chief)
		}
	}
}

// buttonOf is the button o is: Fyne's own, or one of the form's that
// scrolls itself into view (formButton).
func buttonOf(o any) (*widget.Button, bool) {
	switch b := o.(type) {
	case *widget.Button:
		return b, true
	case *formButton:
		return &b.Button, true
	}
	return nil, false
}

// findButton finds a visible button by its text within o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, x := range test.LaidOutObjects(o) {
		if b, ok := buttonOf(x); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	t.Fatalf("no button %q", text)
	return nil
}
