package app

import (
	"context"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// TestDashboardCountsWhatIsActedOn: the sample's 21 findings are 19
// tracked and 2 innovative practices, counted apart and said so. Of the 19,
// three were closed before this quarter and are not counted: 16 are open,
// 14 of them to act on and 2 in closure. Counts read as English ("1 day",
// "2 days").
func TestDashboardCountsWhatIsActedOn(t *testing.T) {
	s := memstore.New(func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local) })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	var d *dashboard
	err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
		d, err = buildDashboard(tx, model.MustDate("25/11/2026"), "", "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if f := d.figures; f.Open != 16 || f.ToActOn != 14 || f.InClosure != 2 || f.Closed != 0 || d.innovative != 2 {
		t.Errorf("%d open, %d to act on, %d in closure, %d closed this quarter and %d innovative practices; want 16, 14, 2, 0 and 2",
			f.Open, f.ToActOn, f.InClosure, f.Closed, d.innovative)
	}
	for n, want := range map[int]string{0: "0 days", 1: "1 day", 2: "2 days"} {
		if got := plural(n, "day", "days"); got != want {
			t.Errorf("plural(%d) = %q, want %q", n, got, want)
		}
	}
	for _, x := range d.exceptions {
		if !x.Finding.Status.IsOpen() && x.DaysOverdue > 0 {
			t.Errorf("%s is %s but listed %d days overdue", x.Finding.Ref, x.Finding.Status, x.DaysOverdue)
		}
	}
}
