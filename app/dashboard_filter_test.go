package app

import (
	"context"
	"slices"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// The dashboard's portfolio and report filters keep exactly the findings
// of that chief officer and report: its counts and lists, and the
// innovative practice it says is recorded apart, agree with the snapshot's
// findings taken one by one, for every chief officer and every report.
func TestDashboardFiltersByPortfolioAndReport(t *testing.T) {
	s := memstore.New(func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local) })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	// A second report, so that the report filter has something to leave
	// out: one finding to act on and one innovative practice.
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		people, err := tx.People()
		if err != nil {
			return err
		}
		r := model.Report{Title: "Vetting and counter-corruption", Type: model.Thematic, Cycle: "2025", Published: model.MustDate("01/06/2025")}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		for _, typ := range []model.FindingType{model.AFI, model.InnovativePractice} {
			f := model.Finding{ReportID: r.ID, Type: typ, Area: "Vetting", Title: "Vetting backlog " + string(typ),
				Verbatim: "The force should clear its vetting backlog.", ChiefOfficerID: people[len(people)-1].ID,
				Status: model.NotStarted, OriginalTarget: model.MustDate("31/03/2027"), CurrentTarget: model.MustDate("31/03/2027")}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	asAt := model.MustDate("25/11/2026")
	build := func(chief, report string) *dashboard {
		var d *dashboard
		err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
			d, err = buildDashboard(tx, asAt, chief, report)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	all := build("", "")
	if len(all.chiefs) < 2 || len(all.reports) < 2 {
		t.Fatalf("the sample offers %d chief officers and %d reports to filter by", len(all.chiefs), len(all.reports))
	}
	if !slices.IsSorted(all.chiefs) || slices.Contains(all.chiefs, "") {
		t.Errorf("the chief officers offered are %q, want sorted names", all.chiefs)
	}
	full := all.snap
	var snap *model.Snapshot
	err = s.View(context.Background(), func(tx model.ReadTx) (err error) {
		snap, err = model.TakeSnapshot(tx, asAt)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, chief := range append([]string{""}, all.chiefs...) {
		for _, report := range append([]string{""}, all.reports...) {
			d := build(chief, report)
			var tracked []string
			innovative, inView := 0, 0
			for _, f := range snap.Findings {
				if chief != "" && snap.PersonLabel(f.ChiefOfficerID) != chief ||
					report != "" && reportLabel(snap.Reports[f.ReportID]) != report {
					continue
				}
				if f.Type.Tracked() {
					tracked = append(tracked, f.Ref)
					if snap.InViewOf(f, model.QuarterOf(asAt).FirstDay()) {
						inView++
					}
				} else {
					innovative++
				}
			}
			var got []string
			for _, f := range d.snap.Findings {
				got = append(got, f.Ref)
			}
			// The counts are of the findings open, or closed this quarter.
			if !slices.Equal(got, tracked) || d.counts.Total != inView || d.innovative != innovative {
				t.Errorf("%q, %q: the dashboard holds %v (%d counted, %d innovative), want %v (%d innovative)",
					chief, report, got, d.counts.Total, d.innovative, tracked, innovative)
			}
			for _, sm := range d.slipped {
				if !slices.Contains(tracked, sm.Finding.Ref) {
					t.Errorf("%q, %q: slipped milestone of %s, which is not in the portfolio", chief, report, sm.Finding.Ref)
				}
			}
		}
	}
	open := 0
	for _, f := range full.Findings {
		if !f.Status.IsFinal() {
			open++
		}
	}
	if open != all.figures.Open || all.figures.Open+all.figures.Closed != all.counts.Total {
		t.Errorf("unfiltered, the dashboard counts %d open and %d closed this quarter of %d; %d of the findings it holds are open",
			all.figures.Open, all.figures.Closed, all.counts.Total, open)
	}
}
