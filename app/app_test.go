package app

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"improvementtracker/testkit/memstore"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

// clock is the injected clock of the GUI tests. It starts on 10/11/2026,
// after the sample's last progress update, and moves only when a test says.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock {
	return &clock{t: time.Date(2026, time.November, 10, 9, 30, 0, 0, time.Local)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// openStore opens a new register file in a temporary folder.
func openStore(t testing.TB, now func() time.Time) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "register.db"), bolt.Options{Now: now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// harness is the window under test, its store and its clock.
type harness struct {
	t     *testing.T
	u     *ui
	store model.Store
	clock *clock
}

// newHarness builds the window over a register in memory: the screens and
// the rules are under test, not the file. With withSample the Kent sample
// is loaded first, on the clock's first day; the clock then moves on ten
// days, so that "as at" dates in between see the sample as loaded.
func newHarness(t *testing.T, withSample bool, with ...func(*Options)) *harness {
	t.Helper()
	c := newClock()
	return harnessOver(t, memstore.New(c.Now), c, withSample, with...)
}

// newFileHarness is newHarness over a register file in a temporary folder,
// for the screens that are about the file (copies, backups, opening
// another register).
func newFileHarness(t *testing.T, withSample bool, with ...func(*Options)) *harness {
	t.Helper()
	c := newClock()
	return harnessOver(t, openStore(t, c.Now), c, withSample, with...)
}

func harnessOver(t *testing.T, s model.Store, c *clock, withSample bool, with ...func(*Options)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	if withSample {
		if err := sample.Load(s); err != nil {
			t.Fatal(err)
		}
		c.set(c.Now().AddDate(0, 0, 10))
	}
	opts := Options{Store: s, Now: c.Now}
	for _, f := range with {
		f(&opts)
	}
	u, err := newUI(a, opts, false)
	if err != nil {
		t.Fatal(err)
	}
	u.win.Resize(fyne.NewSize(1280, 800))
	u.wait()
	return &harness{t: t, u: u, store: s, clock: c}
}

// overlay returns every object of the topmost dialog, or fails.
func (h *harness) overlay() []fyne.CanvasObject {
	h.t.Helper()
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil {
		h.t.Fatal("no dialog is showing")
	}
	return test.LaidOutObjects(top)
}

// noDialog fails when a dialog is still showing.
func (h *harness) noDialog() {
	h.t.Helper()
	if top := h.u.win.Canvas().Overlays().Top(); top != nil {
		var texts []string
		for _, o := range test.LaidOutObjects(top) {
			if l, ok := o.(*widget.Label); ok && l.Visible() && l.Text != "" {
				texts = append(texts, l.Text)
			}
		}
		h.t.Fatalf("a dialog is still showing: %s", strings.Join(texts, " | "))
	}
}

// tapIn taps the visible button labelled text among objs.
func (h *harness) tapIn(objs []fyne.CanvasObject, text string) {
	h.t.Helper()
	for _, o := range objs {
		if b, ok := buttonOf(o); ok && b.Text == text && b.Visible() {
			if b.Disabled() {
				h.t.Fatalf("button %q is disabled", text)
			}
			test.Tap(b)
			h.u.wait()
			return
		}
	}
	h.t.Fatalf("no button %q", text)
}

// tapDialog taps a button of the topmost dialog.
func (h *harness) tapDialog(text string) { h.t.Helper(); h.tapIn(h.overlay(), text) }

// chooseOutcomes answers the dialog's question about open milestones:
// every outcome choice is set to outcome. It returns how many there were.
func (h *harness) chooseOutcomes(outcome model.MilestoneOutcome) int {
	h.t.Helper()
	n := 0
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok && slices.Equal(sel.Options, outcomeWords) {
			sel.SetSelected(string(outcome))
			n++
		}
	}
	return n
}

// dialogShows reports whether the topmost dialog shows text in a label.
func (h *harness) dialogShows(text string) bool {
	h.t.Helper()
	for _, o := range h.overlay() {
		switch v := o.(type) {
		case *widget.Label:
			if v.Visible() && strings.Contains(v.Text, text) {
				return true
			}
		case *widget.RichText:
			if strings.Contains(v.String(), text) {
				return true
			}
		}
	}
	return false
}

// dialogEntries returns the text fields of the topmost dialog in order,
// date fields included.
func (h *harness) dialogEntries() []fyne.Focusable {
	var out []fyne.Focusable
	for _, o := range h.overlay() {
		switch v := o.(type) {
		case *dateEntry:
			out = append(out, v)
		case *textArea:
			out = append(out, v)
		case *lineEntry:
			out = append(out, v)
		case *widget.Entry:
			out = append(out, v)
		}
	}
	return out
}

// typeInto replaces the text of an entry as a person would: select all,
// then type.
func typeInto(e fyne.Focusable, text string) {
	switch v := e.(type) {
	case *dateEntry:
		v.SetText("")
	case *textArea:
		v.SetText("")
	case *lineEntry:
		v.SetText("")
	case *widget.Entry:
		v.SetText("")
	}
	test.Type(e, text)
}

// finding reads a finding by reference from the store.
func (h *harness) finding(ref string) model.Finding {
	h.t.Helper()
	var f model.Finding
	err := h.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		f, err = tx.FindingByRef(ref)
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return f
}

// updates reads a finding's progress updates, oldest first.
func (h *harness) updates(id model.ID) []model.Update {
	h.t.Helper()
	var us []model.Update
	if err := h.store.View(context.Background(), func(tx model.ReadTx) (err error) { us, err = tx.Updates(id); return }); err != nil {
		h.t.Fatal(err)
	}
	return us
}

// settleMilestones records every open milestone of a finding as completed
// today, straight in the store.
func (h *harness) settleMilestones(id model.ID) {
	h.t.Helper()
	err := h.store.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		ms, err := tx.Milestones(id)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.Open() {
				m.Outcome, m.Completed = model.OutcomeCompleted, h.u.today()
				if err := tx.SaveMilestone(&m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// milestones reads a finding's milestones.
func (h *harness) milestones(id model.ID) []model.Milestone {
	h.t.Helper()
	var ms []model.Milestone
	if err := h.store.View(context.Background(), func(tx model.ReadTx) (err error) { ms, err = tx.Milestones(id); return }); err != nil {
		h.t.Fatal(err)
	}
	return ms
}

// search types into the register's search box.
func (h *harness) search(text string) {
	h.t.Helper()
	typeInto(h.u.register.search, text)
}

// shownRefs lists the references the register shows, in order.
func (h *harness) shownRefs() []string {
	r := h.u.register
	out := make([]string, len(r.shown))
	for i, idx := range r.shown {
		out[i] = r.data.rows[idx].f.Ref
	}
	return out
}

// openRUI finds the bail and RUI finding by search and opens it from the
// table, as a person would.
func (h *harness) openRUI() *editorScreen {
	h.t.Helper()
	h.search("RUI policy")
	refs := h.shownRefs()
	if len(refs) != 1 {
		h.t.Fatalf("searching for the RUI policy shows %v", refs)
	}
	h.u.register.table.Select(widget.TableCellID{Row: 0, Col: colTitle})
	e := h.u.register.editor
	if e == nil {
		h.t.Fatal("selecting the row did not open the editor")
	}
	return e
}
