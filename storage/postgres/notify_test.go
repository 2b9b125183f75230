package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// patience is how long a test waits for a notification before it fails.
// The goal is well under two seconds (BenchmarkLiveLatency measures it);
// the wait is long so that a busy machine does not fail the test.
const patience = 20 * time.Second

// watch starts watching s and returns the changes it hears.
func watch(t *testing.T, s *postgres.Store) <-chan model.Change {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	ch := make(chan model.Change, 100)
	if err := s.Watch(ctx, func(c model.Change) { ch <- c }); err != nil {
		t.Fatal(err)
	}
	return ch
}

// next is the next change heard, or a failure after patience.
func next(t *testing.T, ch <-chan model.Change) model.Change {
	t.Helper()
	select {
	case c := <-ch:
		return c
	case <-time.After(patience):
		t.Fatalf("no change was heard within %s", patience)
	}
	return model.Change{}
}

// openSecond opens the register at url again, as a colleague's copy of the
// app would.
func openSecond(t *testing.T, url string, now func() time.Time) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// TestWatchHearsColleaguesSave: a save through one store is heard by
// another on the same register, naming the finding, the kinds, the person
// and the login; the saving store hears it as its own.
func TestWatchHearsColleaguesSave(t *testing.T) {
	c := newClock()
	a, url := openNew(t, c.Now)
	x := seed(t, a)
	b := openSecond(t, url, c.Now)
	heardByB := watch(t, b)
	heardByA := watch(t, a)

	c.Advance(time.Hour)
	f := x.finding
	f.Interpretation = "Two more investigators in each team"
	start := time.Now()
	if err := a.Update(context.Background(), model.Actor{Who: "Jane Smith"}, func(tx model.Tx) error {
		return tx.SaveFinding(&f)
	}); err != nil {
		t.Fatal(err)
	}
	got := next(t, heardByB)
	t.Logf("heard by the colleague's store %s after the save began", time.Since(start))
	if !slices.Equal(got.Findings, []model.ID{f.ID}) {
		t.Errorf("findings = %v, want [%d]", got.Findings, f.ID)
	}
	if !slices.Equal(got.Kinds, []model.Kind{model.KindAudit, model.KindFinding}) {
		t.Errorf("kinds = %v, want [audit findings]", got.Kinds)
	}
	if got.Who != "Jane Smith" || got.Login != "postgres" {
		t.Errorf("who = %q, login = %q; want Jane Smith, postgres", got.Who, got.Login)
	}
	if !got.At.Equal(c.Now()) {
		t.Errorf("at = %v, want %v", got.At, c.Now())
	}
	if got.Own || got.Everything {
		t.Errorf("own = %v, everything = %v; want both false", got.Own, got.Everything)
	}
	if !got.Touches(f.ID) || got.Touches(f.ID+1000) {
		t.Errorf("Touches is wrong for %+v", got)
	}
	own := next(t, heardByA)
	if !own.Own || !slices.Equal(own.Findings, []model.ID{f.ID}) {
		t.Errorf("the saving store heard %+v, want its own save of finding %d", own, f.ID)
	}

	// A milestone names its finding; settings name no finding.
	m := model.Milestone{FindingID: f.ID, Title: "Recruit 12 investigators", CurrentDue: model.MustDate("31/01/2026")}
	mustUpdate(t, a, func(tx model.Tx) error { return tx.SaveMilestone(&m) })
	got = next(t, heardByB)
	if !slices.Equal(got.Findings, []model.ID{f.ID}) || !slices.Contains(got.Kinds, model.KindMilestone) {
		t.Errorf("a milestone's save was heard as %+v", got)
	}
	if got.Who != "Improvement Team" {
		t.Errorf("who = %q, want the author setting the audit trail names", got.Who)
	}
	mustUpdate(t, a, func(tx model.Tx) error {
		s, err := tx.Settings()
		if err != nil {
			return err
		}
		s.ForceName = "Kent Police (test)"
		return tx.SaveSettings(s)
	})
	got = next(t, heardByB)
	if len(got.Findings) != 0 || !slices.Contains(got.Kinds, model.KindSettings) {
		t.Errorf("a settings save was heard as %+v", got)
	}
}

// TestWatchHearsNoRolledBackSave: a save that fails tells nobody; the next
// change heard is the save after it.
func TestWatchHearsNoRolledBackSave(t *testing.T) {
	c := newClock()
	a, url := openNew(t, c.Now)
	x := seed(t, a)
	b := openSecond(t, url, c.Now)
	heard := watch(t, b)

	refused := errors.New("changed my mind")
	f := x.finding
	f.Title = "Never saved"
	err := a.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		return refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("the save gave %v, want the callback's error", err)
	}
	p := model.Person{Name: "Sam Patel", Role: "Analyst"}
	mustUpdate(t, a, func(tx model.Tx) error { return tx.SavePerson(&p) })
	got := next(t, heard)
	if len(got.Findings) != 0 || !slices.Equal(got.Kinds, []model.Kind{model.KindAudit, model.KindPerson}) {
		t.Errorf("the first change heard is %+v, want the person's save (the rolled-back save must not be heard)", got)
	}
	select {
	case c := <-heard:
		t.Errorf("another change was heard: %+v", c)
	default:
	}
}

// TestWatchRecoversFromDroppedConnection: when the server cuts the
// listening connection, the store connects again, tells its watchers to
// read everything, and hears later saves.
func TestWatchRecoversFromDroppedConnection(t *testing.T) {
	c := newClock()
	a, url := openNew(t, c.Now)
	x := seed(t, a)
	b := openSecond(t, url, c.Now)
	heard := watch(t, b)

	n, err := pgtest.Exec(context.Background(), "postgres",
		`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = $2`,
		"improvement-tracker live updates", dbName(url))
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d listening connections were cut, want 1", n)
	}
	got := next(t, heard)
	if !got.Everything {
		t.Fatalf("after the drop the first change is %+v, want one saying to read everything", got)
	}
	f := x.finding
	f.Interpretation = "After the reconnection"
	mustUpdate(t, a, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	got = next(t, heard)
	if got.Everything || !slices.Equal(got.Findings, []model.ID{f.ID}) {
		t.Errorf("after reconnecting the save was heard as %+v", got)
	}
}

// TestWatchLargeSaveSaysEverything: a save that touches more findings than
// a notification can list says "everything" instead.
func TestWatchLargeSaveSaysEverything(t *testing.T) {
	c := newClock()
	a, url := openNew(t, c.Now)
	x := seed(t, a)
	b := openSecond(t, url, c.Now)
	heard := watch(t, b)
	mustUpdate(t, a, func(tx model.Tx) error {
		for i := range 600 {
			f := model.Finding{ReportID: x.report.ID, Type: model.AFI, Area: "Investigating crime",
				Title: "Finding " + strings.Repeat("x", i%5), Verbatim: "Wording", Status: model.NotStarted}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	got := next(t, heard)
	if !got.Everything || len(got.Findings) != 0 || !slices.Contains(got.Kinds, model.KindFinding) {
		t.Errorf("a save of 600 findings was heard as everything=%v, %d findings, kinds %v", got.Everything, len(got.Findings), got.Kinds)
	}
}

// TestWatchAfterClose: a closed store refuses to watch.
func TestWatchAfterClose(t *testing.T) {
	a, _ := openNew(t, nil)
	_ = watch(t, a)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	err := a.Watch(context.Background(), func(model.Change) {})
	if !errors.Is(err, postgres.ErrClosed) {
		t.Errorf("Watch on a closed store gave %v, want ErrClosed", err)
	}
}

// BenchmarkLiveLatency measures how long a colleague's save takes to be
// heard: from the start of the save to the notification's arrival.
func BenchmarkLiveLatency(b *testing.B) {
	a, url := openNew(b, nil)
	x := seed(b, a)
	other, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer other.Close()
	ch := make(chan model.Change, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := other.Watch(ctx, func(c model.Change) { ch <- c }); err != nil {
		b.Fatal(err)
	}
	f := x.finding
	b.ResetTimer()
	for i := range b.N {
		f.Interpretation = strings.Repeat("v", i%50+1)
		mustUpdate(b, a, func(tx model.Tx) error { return tx.SaveFinding(&f) })
		<-ch
	}
}

// TestForgedNoticeNamesNobody: any login may send a notice on the
// register's channel, naming anyone; the listener takes it as a hint to
// read again, and names nobody, since who saved comes from the database.
func TestForgedNoticeNamesNobody(t *testing.T) {
	c := newClock()
	a, url := openNew(t, c.Now)
	x := seed(t, a)
	heard := watch(t, a)
	forged := `{"src":"x","who":"Deputy Chief Constable","login":"dcc","at":"2020-01-01T00:00:00Z","findings":[` +
		fmt.Sprint(uint64(x.finding.ID)) + `]}`
	for _, payload := range []string{forged, strings.Replace(forged, `"src"`, `"tx":1,"src"`, 1)} {
		if _, err := pgtest.Psql(t, url, `SELECT pg_notify('improvement_tracker_changes', '`+payload+`')`); err != nil {
			t.Fatal(err)
		}
		got := next(t, heard)
		if got.Who != "" || got.Login != "" || got.At.Year() == 2020 || got.Own {
			t.Errorf("a forged notice was heard as %+v: it names someone, or its time, or is taken as our own", got)
		}
		if !got.Touches(x.finding.ID) {
			t.Errorf("a notice naming finding %d does not ask for it to be read again", x.finding.ID)
		}
	}
}
