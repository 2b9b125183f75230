package model_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// lateRegister is a register typed in "late": a report published in May
// 2022 whose findings are all entered on one day in November 2026, with
// their history back-dated: updates on the dates they speak for, target
// moves with the dates they were agreed, milestones completed on their
// dates, one finding proposed and closed, one taken back after the
// inspectorate declined, one reopened.
func lateRegister(t *testing.T) model.Store {
	t.Helper()
	today := time.Date(2026, 11, 20, 15, 0, 0, 0, time.Local)
	s := memstore.New(func() time.Time { return today })
	d := model.MustDate
	err := s.Update(context.Background(), model.Actor{Who: "Improvement lead"}, func(tx model.Tx) error {
		r := model.Report{Title: "Westshire PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22", Published: d("12/05/2022")}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		up := func(id model.ID, date string, st model.Status, rag model.RAG, text string) error {
			return tx.AppendUpdate(&model.Update{FindingID: id, Date: d(date), Status: st, RAG: rag, Narrative: text})
		}
		for i := range 6 {
			f := model.Finding{ReportID: r.ID, Type: model.AFI, Title: fmt.Sprintf("Finding %d", i+1), Verbatim: "The force should improve.",
				Status: model.NotStarted, CurrentTarget: d("31/03/2024")}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			m := model.Milestone{FindingID: f.ID, Title: "Action plan agreed", CurrentDue: d("30/09/2022"), Completed: d("15/09/2022")}
			if err := tx.SaveMilestone(&m); err != nil {
				return err
			}
			if err := up(f.ID, "30/09/2022", model.InProgress, model.Green, "Action plan agreed at the board."); err != nil {
				return err
			}
			// The target moved, agreed in February 2024.
			f, _ = tx.Finding(f.ID)
			f.TargetRevisions = append(f.TargetRevisions, model.Revision{To: d("30/09/2025"), Reason: "Dependent on the new records system",
				AgreedBy: "Force Improvement Board", Agreed: d("20/02/2024")})
			f.CurrentTarget = d("30/09/2025")
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			if err := up(f.ID, "31/03/2024", model.InProgress, model.Amber, "Records system delayed."); err != nil {
				return err
			}
			switch i {
			case 0: // proposed, then closed
				if err := up(f.ID, "15/06/2025", model.CompletePending, model.Blue, "Done; awaiting sign-off."); err != nil {
					return err
				}
				if err := up(f.ID, "10/07/2025", model.ClosureProposed, model.Blue, "Audit shows the change has held."); err != nil {
					return err
				}
				if err := up(f.ID, "20/11/2025", model.Closed, model.Blue, "The inspectorate agreed closure."); err != nil {
					return err
				}
				f, _ = tx.Finding(f.ID)
				f.InspectoratePosition, f.InspectoratePositionDate = "Closure agreed at the liaison meeting.", d("20/11/2025")
				if err := tx.SaveFinding(&f); err != nil {
					return err
				}
			case 1: // proposed, declined, back in progress
				if err := up(f.ID, "10/07/2025", model.ClosureProposed, model.Blue, "Proposed for closure."); err != nil {
					return err
				}
				if err := up(f.ID, "02/10/2025", model.InProgress, model.Red, "The inspectorate asked for a second audit."); err != nil {
					return err
				}
			case 2: // closed, then reopened
				if err := up(f.ID, "10/01/2025", model.ClosureProposed, model.Blue, "Proposed."); err != nil {
					return err
				}
				if err := up(f.ID, "10/03/2025", model.Closed, model.Blue, "Agreed."); err != nil {
					return err
				}
				if err := up(f.ID, "01/09/2026", model.InProgress, model.Amber, "Reopened after a repeat inspection finding."); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestAsAtNothingFromTheFuture checks, for the Kent sample and for a
// register typed in late, every quarter's snapshot from Q1 2022/23 to Q3
// 2026/27 the way a reader reads a return: no event dated after the as-at
// date shows, a finding's status agrees with its dates as at then, nothing
// in the closure process is overdue, nothing closed shows Red, Amber or
// Green, and "new this period" counts only findings raised in it.
func TestAsAtNothingFromTheFuture(t *testing.T) {
	kent := memstore.New(func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local) })
	if err := sample.Load(kent); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]model.Store{"Kent sample": kent, "typed in late": lateRegister(t)} {
		t.Run(name, func(t *testing.T) {
			_ = s.View(context.Background(), func(tx model.ReadTx) error {
				for q := model.QuarterOf(model.MustDate("01/04/2022")); !q.FirstDay().After(model.MustDate("31/12/2026")); q = q.Next() {
					asAt := q.AsAt()
					snap, err := model.TakeSnapshot(tx, asAt)
					if err != nil {
						t.Fatal(err)
					}
					checkNothingAfter(t, snap, q)
				}
				return nil
			})
		})
	}
}

func checkNothingAfter(t *testing.T, snap *model.Snapshot, q model.Quarter) {
	t.Helper()
	asAt := snap.AsAt
	after := func(what string, d model.Date) {
		if !d.IsZero() && d.After(asAt) {
			t.Errorf("%s as at %s: %s is dated %s, after the as-at date", q, asAt, what, d)
		}
	}
	newThisPeriod := 0
	for _, f := range snap.Findings {
		after(f.Ref+" raised", f.Raised)
		if q.Contains(f.Raised) {
			newThisPeriod++
		}
		after(f.Ref+" closure proposed", f.ClosureProposedDate)
		after(f.Ref+" closed", f.ClosedDate)
		after(f.Ref+" inspectorate position", f.InspectoratePositionDate)
		for _, r := range f.TargetRevisions {
			after(f.Ref+" target revision", r.Effective())
		}
		for _, r := range f.Reopenings {
			after(f.Ref+" reopening", r.Date)
		}
		switch f.Status {
		case model.Closed:
			if f.ClosedDate.IsZero() || f.ClosureProposedDate.IsZero() {
				t.Errorf("%s as at %s: %s is closed without its closure dates (proposed %s, closed %s)", q, asAt, f.Ref, f.ClosureProposedDate, f.ClosedDate)
			}
		case model.ClosureProposed:
			if f.ClosureProposedDate.IsZero() || !f.ClosedDate.IsZero() {
				t.Errorf("%s as at %s: %s is proposed for closure with proposed %s, closed %s", q, asAt, f.Ref, f.ClosureProposedDate, f.ClosedDate)
			}
		}
		if (f.Status.InClosure() || f.Status.IsFinal()) && f.RAG != model.Blue && f.RAG != "" {
			t.Errorf("%s as at %s: %s is %s but %s", q, asAt, f.Ref, f.Status, f.RAG)
		}
		if model.Overdue(f, asAt) && !f.Status.IsOpen() {
			t.Errorf("%s as at %s: %s is overdue while %s", q, asAt, f.Ref, f.Status)
		}
		if u, ok := snap.LatestUpdate(f.ID); ok && u.Status != "" && u.Status != f.Status {
			t.Errorf("%s as at %s: %s is %s, but its latest update then says %s", q, asAt, f.Ref, f.Status, u.Status)
		}
		for _, u := range snap.UpdatesOf(f.ID) {
			after(f.Ref+" update", u.Date)
		}
		for _, m := range snap.MilestonesOf(f.ID) {
			after(f.Ref+" milestone completed", m.Completed)
			for _, r := range m.Revisions {
				after(f.Ref+" milestone revision", r.Effective())
			}
		}
	}
	// Both registers' findings were all raised on the report's
	// publication date, in Q1 2022/23.
	want := 0
	if q == model.QuarterOf(model.MustDate("01/05/2022")) {
		want = len(snap.Findings)
	}
	if newThisPeriod != want {
		t.Errorf("%s: %d findings new this period, want %d", q, newThisPeriod, want)
	}
}

// TestLateRegisterAsAt reads the late-typed register at chosen dates, cell
// by cell: status, RAG, target and closure dates of the findings whose
// story differs.
func TestLateRegisterAsAt(t *testing.T) {
	s := lateRegister(t)
	type want struct {
		status           model.Status
		rag              model.RAG
		target, proposed string
		closed           string
		overdue          bool
	}
	cases := map[string]map[string]want{
		"31/12/2023": {
			"Finding 1": {model.InProgress, model.Green, "31/03/2024", "", "", false},
		},
		"31/03/2024": {
			"Finding 1": {model.InProgress, model.Amber, "30/09/2025", "", "", false},
		},
		"30/09/2025": {
			"Finding 1": {model.ClosureProposed, model.Blue, "30/09/2025", "10/07/2025", "", false},
			"Finding 2": {model.ClosureProposed, model.Blue, "30/09/2025", "10/07/2025", "", false},
			"Finding 3": {model.Closed, model.Blue, "30/09/2025", "10/01/2025", "10/03/2025", false},
			"Finding 4": {model.InProgress, model.Amber, "30/09/2025", "", "", false},
		},
		"31/12/2025": {
			"Finding 1": {model.Closed, model.Blue, "30/09/2025", "10/07/2025", "20/11/2025", false},
			"Finding 2": {model.InProgress, model.Red, "30/09/2025", "", "", true},
			"Finding 3": {model.Closed, model.Blue, "30/09/2025", "10/01/2025", "10/03/2025", false},
			"Finding 4": {model.InProgress, model.Amber, "30/09/2025", "", "", true},
		},
		"30/09/2026": {
			"Finding 3": {model.InProgress, model.Amber, "30/09/2025", "", "", true},
		},
	}
	_ = s.View(context.Background(), func(tx model.ReadTx) error {
		for asAt, findings := range cases {
			snap, err := model.TakeSnapshot(tx, model.MustDate(asAt))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range snap.Findings {
				w, ok := findings[f.Title]
				if !ok {
					continue
				}
				got := want{f.Status, f.RAG, f.CurrentTarget.String(), dateText(f.ClosureProposedDate), dateText(f.ClosedDate), model.Overdue(f, snap.AsAt)}
				if got != w {
					t.Errorf("as at %s, %s reads %+v, want %+v", asAt, f.Title, got, w)
				}
				if f.Title == "Finding 1" && asAt == "30/09/2025" && f.InspectoratePosition != "" {
					t.Errorf("as at %s the inspectorate's position of 20/11/2025 shows: %q", asAt, f.InspectoratePosition)
				}
				if f.Title == "Finding 1" && asAt == "31/12/2025" && f.InspectoratePosition == "" {
					t.Errorf("as at %s the inspectorate's position is missing", asAt)
				}
			}
		}
		return nil
	})
}

func dateText(d model.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}
