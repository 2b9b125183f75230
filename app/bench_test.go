package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// typing is what a person types into the search box, one keystroke at a
// time, and then clears to type the next thing; the benchmarks replay it.
// The first letters match almost every finding, the last few a handful, so
// the rows on screen change as in real use.
var typing = []string{
	"", "v", "ve", "vet", "vett", "vetti", "vettin", "vetting",
	"", "c", "ca", "cal", "call", "call ", "call h", "call ha", "call han", "call hand",
	"", "b", "ba", "bai", "bail",
	"", "d", "di", "dig", "digi", "digit", "digita", "digital",
}

// syntheticUI builds the window over a private copy of a synthetic register.
func syntheticUI(tb testing.TB, size synthetic.Size) *ui {
	tb.Helper()
	a := test.NewTempApp(tb)
	s := synthetic.OpenSize(tb, size)
	now := s.Now
	u, err := newUI(a, Options{Store: s, Now: now, Screen: "register"}, false)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// BenchmarkSearchKeystroke is one keystroke in the register's search box on
// the 10,000-finding register: filtering, sorting, the count and the
// table's refresh of its visible cells. The goal is under 16 ms, one frame.
func BenchmarkSearchKeystroke(b *testing.B) {
	u := syntheticUI(b, synthetic.Default)
	r := u.register
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r.search.SetText(typing[i%len(typing)])
	}
	b.StopTimer()
	b.ReportMetric(float64(len(r.shown)), "rows-shown")
}

// BenchmarkFilterKeystroke is a keystroke with filters set as well: a
// status, "overdue only" and a sort by days overdue.
func BenchmarkFilterKeystroke(b *testing.B) {
	u := syntheticUI(b, synthetic.Default)
	r := u.register
	r.view.Status = string(model.InProgress)
	r.view.Overdue = true
	r.view.SortCol, r.view.Desc = colOverdue, true
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		r.search.SetText(typing[i%len(typing)])
	}
}

// BenchmarkRegisterLoad reads the whole register and prepares its rows and
// search text: what happens once when the window opens and after each
// change, off the UI goroutine.
func BenchmarkRegisterLoad(b *testing.B) {
	s := synthetic.Open(b)
	today := model.Today(s.Now())
	for b.Loop() {
		err := s.View(context.Background(), func(tx model.ReadTx) error {
			_, err := loadRegister(tx, today)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDashboard builds the briefing dashboard (snapshot, counts,
// exceptions, slipped milestones) as at today and as at a quarter ago.
func BenchmarkDashboard(b *testing.B) {
	s := synthetic.Open(b)
	today := model.Today(s.Now())
	for _, c := range []struct {
		name string
		asAt model.Date
	}{{"today", today}, {"quarter-ago", today.AddDays(-91)}} {
		// The snapshot alone, to tell its share from the dashboard's own.
		b.Run(c.name+"/snapshot-only", func(b *testing.B) {
			for b.Loop() {
				err := s.View(context.Background(), func(tx model.ReadTx) error {
					_, err := model.TakeSnapshotWith(tx, c.asAt, model.SnapshotOptions{NarrativesFrom: c.asAt.AddDays(1)})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				err := s.View(context.Background(), func(tx model.ReadTx) error {
					_, err := buildDashboard(tx, c.asAt, "", "")
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The register's table is virtual: however many findings there are, it
// makes cells only for the rows on screen.
func TestRegisterTableIsVirtual(t *testing.T) {
	u := syntheticUI(t, synthetic.Small)
	u.win.Resize(u.win.Canvas().Size().Max(u.win.Content().MinSize()))
	r := u.register
	if len(r.shown) != synthetic.Small.Findings {
		t.Fatalf("the register shows %d of %d findings", len(r.shown), synthetic.Small.Findings)
	}
	cells := 0
	for _, o := range test.LaidOutObjects(r.table) {
		if _, ok := o.(*widget.Label); ok {
			cells++
		}
	}
	if cells == 0 || cells > 60*numCols {
		t.Errorf("the table made %d cells for %d rows; it should make only what is on screen", cells, len(r.shown))
	}
}
