package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// TestHistorySaysASharedNoteOnce: the sample is loaded in one save, whose
// note ("loaded the Kent PEEL 2021/22 sample") belongs to every event of
// it; the history says it once, not on every line.
func TestHistorySaysASharedNoteOnce(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	e.history.refresh()
	n := 0
	for _, l := range e.history.lines {
		if strings.Contains(l, "loaded the Kent PEEL 2021/22 sample") {
			n++
		}
	}
	if len(e.history.lines) < 3 || n != 1 {
		t.Errorf("%d of %d history lines carry the sample's note, want 1", n, len(e.history.lines))
	}
}

// TestHistoryNamesTheMilestoneAndReadsAReopening: a milestone's change names
// the milestone; a reopening reads as one ("reopened once", never "1
// item(s)") with no brackets inside brackets.
func TestHistoryNamesTheMilestoneAndReadsAReopening(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	id := e.orig.ID
	err := h.u.store.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		ms, err := tx.Milestones(id)
		if err != nil || len(ms) == 0 {
			return fmt.Errorf("no milestone to change (%v)", err)
		}
		for _, m := range ms {
			if m.Open() {
				m.Outcome, m.Completed = model.OutcomeCompleted, h.u.today()
				if err := tx.SaveMilestone(&m); err != nil {
					return err
				}
			}
		}
		f, err := tx.Finding(id)
		if err != nil {
			return err
		}
		for _, st := range []model.Status{model.ClosureProposed, model.Closed} {
			f.Status, f.RAG, f.ClosureProposedDate, f.ClosureRationale = st, model.Blue, h.u.today(), "Done."
			if st == model.Closed {
				f.ClosedDate = h.u.today()
			}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			f, _ = tx.Finding(id)
		}
		f.Status, f.RAG = model.InProgress, model.Amber
		f.Reopenings = append(f.Reopenings, model.Reopening{Reason: "The inspectorate asked for more."})
		return tx.SaveFinding(&f)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.history.refresh()
	all := strings.Join(e.history.lines, "\n")
	if !strings.Contains(all, "milestone \"") {
		t.Errorf("no history line names the milestone:\n%s", all)
	}
	if strings.Contains(all, "item(s)") || !strings.Contains(all, "reopened once") {
		t.Errorf("the reopening reads:\n%s", all)
	}
	for _, l := range e.history.lines {
		depth, deepest := 0, 0
		for _, r := range l {
			switch r {
			case '(':
				depth++
				deepest = max(deepest, depth)
			case ')':
				depth--
			}
		}
		if deepest > 1 {
			t.Errorf("brackets inside brackets: %s", l)
		}
	}
}

// TestHistoryMarksALateUpdate: a progress update typed in after the return
// for its quarter was submitted is allowed, and the finding's history says
// so beside it, naming the return that does not include it.
func TestHistoryMarksALateUpdate(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	q, err := model.ParseQuarter("Q2 2026/27")
	if err != nil {
		t.Fatal(err)
	}
	err = h.store.Update(context.Background(), model.Actor{Who: "Improvement lead"}, func(tx model.Tx) error {
		return tx.SaveSubmission(&model.Submission{Kind: model.SubmissionReturn, Period: q, AsAt: q.AsAt(),
			Marking: model.Marking{Classification: model.Official}, FileName: "q2.xlsx", SHA256: strings.Repeat("0", 64)})
	})
	if err != nil {
		t.Fatal(err)
	}
	h.clock.set(h.clock.Now().Add(24 * time.Hour))
	err = h.store.Update(context.Background(), model.Actor{Who: "Improvement lead"}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: e.orig.ID, Date: model.MustDate("15/09/2026"), Narrative: "Typed in late: the September review.",
			Status: e.orig.Status, RAG: e.orig.RAG})
	})
	if err != nil {
		t.Fatal(err)
	}
	e.history.refresh()
	var late []string
	for _, l := range e.history.lines {
		if strings.Contains(l, "recorded late") {
			late = append(late, l)
		}
	}
	if len(late) != 1 || !strings.Contains(late[0], "dated 15/09/2026, after the Q2 2026/27 return (as at 30/09/2026) was submitted on") {
		t.Errorf("the history marks %d lines as recorded late: %q", len(late), late)
	}
}
