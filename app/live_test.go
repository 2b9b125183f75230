package app

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// The shared-register tests run against a real PostgreSQL server, which
// pgtest starts for this test binary.
func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// livePatience is how long a test waits for a colleague's save to be
// heard before it fails; it is heard in milliseconds (see the store's
// BenchmarkLiveLatency), and the wait is long for a busy machine.
const livePatience = 20 * time.Second

// newServerRegister makes a shared register in a new database on the test
// server and returns its address.
func newServerRegister(t *testing.T) string {
	t.Helper()
	url := pgtest.NewDatabase(t)
	if _, err := postgres.Init(context.Background(), url, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	return url
}

// openServer opens the shared register at url with the clock now; it is
// closed when the test ends.
func openServer(t *testing.T, url string, now func() time.Time) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newServerHarness is newHarness over a shared register on the test
// server, with the sample; colleague is a second store on the same
// register, saving as another copy of the app would.
func newServerHarness(t *testing.T, with ...func(*Options)) (h *harness, colleague *postgres.Store, url string) {
	t.Helper()
	url = newServerRegister(t)
	c := newClock()
	h = harnessOver(t, openServer(t, url, c.Now), c, true, with...)
	return h, openServer(t, url, c.Now), url
}

// waitLive waits for the window to hear a colleague's save, then shows it
// as the UI goroutine would.
func (h *harness) waitLive() {
	h.t.Helper()
	lw := h.u.live
	if lw == nil {
		h.t.Fatal("the window is not listening for colleagues' saves")
	}
	select {
	case <-lw.queue:
	case <-time.After(livePatience):
		h.t.Fatalf("the window heard no save within %s", livePatience)
	}
	h.u.showLive(lw)
	h.u.wait()
}

// colleagueSaves changes finding ref through the colleague's store as
// Jane Smith.
func colleagueSaves(t *testing.T, s model.Store, ref string, change func(f *model.Finding)) model.Finding {
	t.Helper()
	var f model.Finding
	err := s.Update(context.Background(), model.Actor{Who: "Jane Smith"}, func(tx model.Tx) error {
		var err error
		if f, err = tx.FindingByRef(ref); err != nil {
			return err
		}
		change(&f)
		return tx.SaveFinding(&f)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLiveRegisterShowsColleaguesSave: a finding a colleague adds appears
// in the register list, with the search the person had typed still
// applied.
func TestLiveRegisterShowsColleaguesSave(t *testing.T) {
	h, colleague, _ := newServerHarness(t)
	h.u.goToScreen("Register")
	before := len(h.u.register.data.rows)
	h.search("Neighbourhood")
	shownBefore := h.shownRefs()

	var added model.Finding
	err := colleague.Update(context.Background(), model.Actor{Who: "Jane Smith"}, func(tx model.Tx) error {
		rs, err := tx.Reports()
		if err != nil {
			return err
		}
		added = model.Finding{ReportID: rs[0].ID, Type: model.AFI, Area: "Neighbourhood policing",
			Title: "Neighbourhood teams abstracted to response", Verbatim: "The force should reduce abstractions.",
			Status: model.NotStarted}
		return tx.SaveFinding(&added)
	})
	if err != nil {
		t.Fatal(err)
	}
	h.waitLive()
	r := h.u.register
	if got := len(r.data.rows); got != before+1 {
		t.Fatalf("the register lists %d findings, want %d", got, before+1)
	}
	if r.search.Text != "Neighbourhood" || r.view.Search != "Neighbourhood" {
		t.Errorf("the search is %q, want it kept", r.search.Text)
	}
	shown := h.shownRefs()
	if !slices.Contains(shown, added.Ref) || len(shown) != len(shownBefore)+1 {
		t.Errorf("the register shows %v, want %v and %s", shown, shownBefore, added.Ref)
	}
	if want := fmt.Sprintf("%d of %d findings", len(shown), before+1); r.count.Text != want {
		t.Errorf("the count says %q, want %q", r.count.Text, want)
	}
}

// TestLiveEditorTakesColleaguesSaveQuietly: an open finding with no
// unsaved edits shows a colleague's save without a word.
func TestLiveEditorTakesColleaguesSaveQuietly(t *testing.T) {
	h, colleague, _ := newServerHarness(t)
	h.u.goToScreen("Register")
	e := h.openRUI()
	ref := e.orig.Ref
	saved := colleagueSaves(t, colleague, ref, func(f *model.Finding) {
		f.Interpretation = "Bail and RUI reviewed weekly by the custody inspector"
	})
	h.waitLive()
	if h.u.register.editor != e {
		t.Fatal("the editor was closed")
	}
	if e.interpretation.Text != saved.Interpretation {
		t.Errorf("the interpretation shows %q, want the colleague's %q", e.interpretation.Text, saved.Interpretation)
	}
	if e.orig.Interpretation != saved.Interpretation {
		t.Errorf("the editor's stored version is %q, want the colleague's", e.orig.Interpretation)
	}
	if e.live.banner.Visible() {
		t.Errorf("a banner shows %q; a form without edits takes the save quietly", e.live.text.Text)
	}
	if e.dirty() {
		t.Error("the form counts as edited after taking the colleague's save")
	}
}

// TestLiveEditorKeepsTyping: with unsaved edits in the form, a
// colleague's save to the same finding keeps every keystroke and says who
// saved and when.
func TestLiveEditorKeepsTyping(t *testing.T) {
	h, colleague, _ := newServerHarness(t)
	h.u.goToScreen("Register")
	e := h.openRUI()
	ref, origTitle := e.orig.Ref, e.orig.Title
	typeInto(e.interpretation, "My own reading, half ")
	test.Type(e.interpretation, "typed")
	typed := e.interpretation.Text

	colleagueSaves(t, colleague, ref, func(f *model.Finding) { f.Title = "Retitled by a colleague" })
	h.waitLive()
	if e.interpretation.Text != typed {
		t.Errorf("the interpretation shows %q, want what was typed, %q", e.interpretation.Text, typed)
	}
	if e.title.Text != origTitle {
		t.Errorf("the title shows %q; the form must not change under the person's edits", e.title.Text)
	}
	if e.orig.Title != origTitle {
		t.Errorf("the editor's base version moved to %q; saving must compare with what the edits began from", e.orig.Title)
	}
	want := "Jane Smith saved this finding at " + h.clock.Now().Format("15:04") + ". Your edits are kept; saving will show both versions."
	if !e.live.banner.Visible() || e.live.text.Text != want {
		t.Errorf("the banner shows %q (visible %v), want %q", e.live.text.Text, e.live.banner.Visible(), want)
	}
	// Typing goes on as before.
	test.Type(e.interpretation, " and more")
	if e.interpretation.Text != typed+" and more" {
		t.Errorf("typing after the banner gives %q", e.interpretation.Text)
	}
}

// TestLiveOwnSavesNotHeard: the window's own save is not shown again as a
// colleague's; a colleague's save after it is.
func TestLiveOwnSavesNotHeard(t *testing.T) {
	h, colleague, _ := newServerHarness(t)
	h.u.goToScreen("Register")
	e := h.openRUI()
	ref := e.orig.Ref
	typeInto(e.interpretation, "Saved from this window")
	e.onSave()
	h.u.wait()
	if e.dirty() {
		t.Fatal("the window's own save did not go through")
	}
	colleagueSaves(t, colleague, ref, func(f *model.Finding) { f.GovernanceBoard = "Crime board" })
	lw := h.u.live
	select {
	case <-lw.queue:
	case <-time.After(livePatience):
		t.Fatal("the colleague's save was not heard")
	}
	lw.mu.Lock()
	pending := slices.Clone(lw.pending)
	lw.mu.Unlock()
	if len(pending) != 1 || pending[0].Who != "Jane Smith" || pending[0].Own {
		t.Fatalf("the window heard %+v, want only Jane Smith's save", pending)
	}
	h.u.showLive(lw)
	if e.board.Text != "Crime board" || e.interpretation.Text != "Saved from this window" || e.live.banner.Visible() {
		t.Errorf("after the colleague's save the form shows board %q, interpretation %q, banner %v",
			e.board.Text, e.interpretation.Text, e.live.banner.Visible())
	}
}

// TestLiveDashboardShowsColleaguesSave: a colleague's change of a
// finding's RAG shows in the dashboard's counts, and the dashboard keeps
// the portfolio chosen.
func TestLiveDashboardShowsColleaguesSave(t *testing.T) {
	h, colleague, _ := newServerHarness(t)
	h.u.goToScreen("Dashboard")
	d := h.u.dashboard
	if d.dash == nil {
		t.Fatal("the dashboard was not built")
	}
	red := d.dash.counts.ByRAG[model.Red]
	total := d.dash.counts.Total
	var target model.Finding
	for _, f := range d.dash.snap.Findings {
		if f.RAG == model.Green && f.Status.IsOpen() {
			target = f
			break
		}
	}
	if target.ID == 0 {
		t.Fatal("the sample has no open green finding")
	}
	err := colleague.Update(context.Background(), model.Actor{Who: "Jane Smith"}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: target.ID, Date: h.u.today(), Status: target.Status,
			RAG: model.Red, Narrative: "Recruitment has stalled."})
	})
	if err != nil {
		t.Fatal(err)
	}
	h.waitLive()
	if got := d.dash.counts.ByRAG[model.Red]; got != red+1 {
		t.Errorf("the dashboard counts %d red findings, want %d", got, red+1)
	}
	if got := d.dash.counts.Total; got != total {
		t.Errorf("the dashboard counts %d findings to act on, want %d as before", got, total)
	}
}
