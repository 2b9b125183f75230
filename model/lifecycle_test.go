package model_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// lifecycleClock is the day the lifecycle tests run on.
var lifecycleClock = time.Date(2026, 11, 20, 10, 0, 0, 0, time.Local)

// findingAt stores a report and a finding that has reached status, with the
// dates and rationale that status needs, and returns the store and the
// finding's ID.
func findingAt(t *testing.T, status model.Status, milestones ...model.Milestone) (*memstore.Store, model.ID) {
	t.Helper()
	s := memstore.New(func() time.Time { return lifecycleClock })
	var id model.ID
	err := s.Update(context.Background(), model.Actor{Who: "Lead"}, func(tx model.Tx) error {
		r := model.Report{Title: "PEEL 2023–25", Type: model.PEEL, Cycle: "2023–25", Published: model.MustDate("01/05/2024")}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		f := model.Finding{ReportID: r.ID, Type: model.AFI, Title: "Bail", Verbatim: "The force should review bail.",
			Status: model.InProgress, RAG: model.Green, CurrentTarget: model.MustDate("31/03/2026")}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		id = f.ID
		for _, m := range milestones {
			m.FindingID = f.ID
			if err := tx.SaveMilestone(&m); err != nil {
				return err
			}
		}
		// Walk it to the status through the lifecycle, as a user would.
		path := map[model.Status][]model.Status{
			model.AwaitingAllocation: {model.NotStarted, model.AwaitingAllocation},
			model.NotStarted:         {model.NotStarted},
			model.InProgress:         nil,
			model.CompletePending:    {model.CompletePending},
			model.ClosureProposed:    {model.ClosureProposed},
			model.Closed:             {model.ClosureProposed, model.Closed},
			model.Superseded:         {model.Superseded},
			model.NoFurtherAction:    {model.NoFurtherAction},
		}[status]
		for _, st := range path {
			f, err := tx.Finding(id)
			if err != nil {
				return err
			}
			f.Status = st
			f.ClosureRationale = "Delivered; audit evidence shared."
			if st == model.Superseded {
				other := model.Finding{ReportID: r.ID, Type: model.AFI, Title: "Bail (2025)", Verbatim: "Carried forward.", Status: model.InProgress, RAG: model.Green}
				if err := tx.SaveFinding(&other); err != nil {
					return err
				}
				f.SupersededBy = other.ID
			}
			if !st.InClosure() && !st.IsFinal() {
				f.RAG = model.Amber
			}
			if err := tx.SaveFinding(&f); err != nil {
				return fmt.Errorf("to %s: %w", st, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, id
}

// TestTransitions tries every move between two statuses through SaveFinding
// and through a progress update, and checks each against the lifecycle
// table: allowed moves are stored, refused ones are refused in words and
// change nothing.
func TestTransitions(t *testing.T) {
	for _, from := range model.Statuses {
		for _, to := range model.Statuses {
			if from == to {
				continue
			}
			allowed := model.CanMove(from, to)
			for _, via := range []string{"finding", "update"} {
				t.Run(fmt.Sprintf("%s to %s via %s", from, to, via), func(t *testing.T) {
					s, id := findingAt(t, from)
					var before model.Finding
					_ = s.View(context.Background(), func(tx model.ReadTx) error { before, _ = tx.Finding(id); return nil })
					if before.Status != from {
						t.Fatalf("set-up reached %s, not %s", before.Status, from)
					}
					rag := model.Amber
					if to.InClosure() || to.IsFinal() {
						rag = model.Blue
					}
					err := s.Update(context.Background(), model.Actor{Who: "Lead"}, func(tx model.Tx) error {
						f, err := tx.Finding(id)
						if err != nil {
							return err
						}
						if via == "update" {
							return tx.AppendUpdate(&model.Update{FindingID: id, Date: model.MustDate("20/11/2026"),
								Narrative: "Moved on at the board.", Status: to, RAG: rag})
						}
						f.Status, f.RAG = to, rag
						f.ClosureRationale = "Delivered; audit evidence shared."
						if to == model.Superseded {
							f.SupersededBy = 1 // itself: refused, whatever the table says
							fs, _ := tx.Findings()
							for _, o := range fs {
								if o.ID != id {
									f.SupersededBy = o.ID
								}
							}
							if f.SupersededBy == 1 {
								other := model.Finding{ReportID: f.ReportID, Type: model.AFI, Title: "New", Verbatim: "New.", Status: model.InProgress, RAG: model.Green}
								if err := tx.SaveFinding(&other); err != nil {
									return err
								}
								f.SupersededBy = other.ID
							}
						}
						if model.GoesBack(from, to) {
							f.Reopenings = append(f.Reopenings, model.Reopening{Reason: "The inspectorate found the change had not held."})
						}
						return tx.SaveFinding(&f)
					})
					var after model.Finding
					_ = s.View(context.Background(), func(tx model.ReadTx) error { after, _ = tx.Finding(id); return nil })
					if allowed && via == "update" && to == model.Superseded {
						// The lifecycle allows it, but an update cannot
						// name the finding that supersedes: the finding
						// itself must.
						if err == nil || !strings.Contains(err.Error(), "choose the finding that supersedes") {
							t.Fatalf("superseding by an update alone: %v", err)
						}
						return
					}
					switch {
					case allowed && err != nil:
						t.Fatalf("an allowed move was refused: %v", err)
					case allowed && after.Status != to:
						t.Fatalf("the move was accepted but the finding is %s", after.Status)
					case !allowed && err == nil:
						t.Fatalf("a move the lifecycle forbids was stored: now %s", after.Status)
					case !allowed:
						var v *model.ValidationError
						if !errors.As(err, &v) || !strings.Contains(err.Error(), "cannot go from") {
							t.Errorf("the refusal is not in words: %v", err)
						}
						if after.Status != before.Status || after.RAG != before.RAG {
							t.Errorf("a refused move changed the finding to %s / %s", after.Status, after.RAG)
						}
					}
					if allowed && (to.InClosure() || to.IsFinal()) && after.RAG != model.Blue {
						t.Errorf("%s has RAG %q, want Blue", to, after.RAG)
					}
					if allowed && model.GoesBack(from, to) && (len(after.Reopenings) != 1 || after.Reopenings[0].From != from) {
						t.Errorf("the reopening was not recorded: %+v", after.Reopenings)
					}
				})
			}
		}
	}
}

// TestClosureNeedsProposalFirst: closing straight from In progress is
// refused, and "propose and close" in one transaction records both stages,
// each with its date, as progress updates.
func TestClosureNeedsProposalFirst(t *testing.T) {
	s, id := findingAt(t, model.InProgress)
	ctx := context.Background()
	err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		f, _ := tx.Finding(id)
		f.Status, f.ClosedDate = model.Closed, model.MustDate("10/11/2026")
		return tx.SaveFinding(&f)
	})
	if err == nil || !strings.Contains(err.Error(), "closing is two-stage") {
		t.Fatalf("closing from In progress: %v", err)
	}
	err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		f, _ := tx.Finding(id)
		f.Status, f.ClosureProposedDate, f.ClosureRationale = model.ClosureProposed, model.MustDate("01/10/2026"), "Policy rewritten; dip sample shows compliance."
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		f.Status, f.ClosedDate = model.Closed, model.MustDate("10/11/2026")
		return tx.SaveFinding(&f)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(ctx, func(tx model.ReadTx) error {
		f, _ := tx.Finding(id)
		if f.Status != model.Closed || f.RAG != model.Blue || f.ClosureProposedDate != model.MustDate("01/10/2026") || f.ClosedDate != model.MustDate("10/11/2026") {
			t.Errorf("closed finding: %s %s proposed %s closed %s", f.Status, f.RAG, f.ClosureProposedDate, f.ClosedDate)
		}
		us, _ := tx.Updates(id)
		var got []string
		for _, u := range us {
			got = append(got, u.Date.String()+" "+string(u.Status))
		}
		want := "01/10/2026 Closure proposed to the inspectorate|10/11/2026 Closed (inspectorate agreed)"
		if strings.Join(got, "|") != want {
			t.Errorf("the two stages recorded as %q, want %q", got, want)
		}
		// As at a day between the stages, the finding was proposed, not
		// closed; as at the day before the proposal, it was in progress.
		for _, c := range []struct {
			asAt string
			want model.Status
		}{{"31/10/2026", model.ClosureProposed}, {"30/09/2026", model.InProgress}, {"10/11/2026", model.Closed}} {
			snap, err := model.TakeSnapshot(tx, model.MustDate(c.asAt))
			if err != nil {
				t.Fatal(err)
			}
			if f, _ := snap.Finding(id); f.Status != c.want {
				t.Errorf("as at %s the finding is %s, want %s", c.asAt, f.Status, c.want)
			}
		}
		return nil
	})
}

// TestOpenMilestonesSettledBeforeClosure: proposing closure with a milestone
// open is refused, naming it; once its outcome is recorded, the proposal is
// accepted.
func TestOpenMilestonesSettledBeforeClosure(t *testing.T) {
	s, id := findingAt(t, model.InProgress, model.Milestone{Title: "Dip sample 50 cases", CurrentDue: model.MustDate("30/09/2026")})
	ctx := context.Background()
	propose := func(tx model.Tx) error {
		f, _ := tx.Finding(id)
		f.Status, f.ClosureRationale = model.ClosureProposed, "Done."
		return tx.SaveFinding(&f)
	}
	err := s.Update(ctx, model.Actor{}, propose)
	if err == nil || !strings.Contains(err.Error(), `"Dip sample 50 cases" (due 30/09/2026)`) || !strings.Contains(err.Error(), "no longer needed") {
		t.Fatalf("proposing with a milestone open: %v", err)
	}
	err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		ms, _ := tx.Milestones(id)
		m := ms[0]
		m.Outcome = model.OutcomeNotNeeded
		if err := tx.SaveMilestone(&m); err != nil {
			return err
		}
		return propose(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(ctx, func(tx model.ReadTx) error {
		ms, _ := tx.Milestones(id)
		if ms[0].Result() != model.OutcomeNotNeeded || ms[0].Completed != model.DateOf(lifecycleClock) {
			t.Errorf("milestone outcome %q on %s", ms[0].Result(), ms[0].Completed)
		}
		return nil
	})
}

// TestRedOnAClosedFindingIsRefused: choosing Red for a finding already
// closed is refused in words, and the finding keeps its Blue.
func TestRedOnAClosedFindingIsRefused(t *testing.T) {
	s := memstore.New(func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local) })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	var closed model.Finding
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		for _, f := range fs {
			if f.Status == model.Closed {
				closed = f
				break
			}
		}
		return err
	})
	if err != nil || closed.ID == 0 {
		t.Fatalf("no closed finding in the sample (%v)", err)
	}
	err = s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		f := closed
		f.RAG = model.Red
		return tx.SaveFinding(&f)
	})
	if err == nil || !strings.Contains(err.Error(), "so it is not rated Red, Amber or Green") {
		t.Errorf("Red on closed %s: %v, want a refusal in words", closed.Ref, err)
	}
	_ = s.View(context.Background(), func(tx model.ReadTx) error {
		f, err := tx.Finding(closed.ID)
		if err != nil || f.RAG != model.Blue {
			t.Errorf("%s is %q after the refusal (%v), want Blue", f.Ref, f.RAG, err)
		}
		return nil
	})
}
