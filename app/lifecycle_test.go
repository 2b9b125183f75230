package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// lifecycleFinding stores a report, a successor finding and "Bail policy",
// walked through the lifecycle to status from, and opens "Bail policy" in
// the editor.
func lifecycleFinding(t *testing.T, from model.Status) (*harness, *editorScreen) {
	t.Helper()
	h := newHarness(t, false)
	today := h.u.today()
	err := h.store.Update(context.Background(), model.Actor{Who: "Lead"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Westshire Police", RefPrefix: "WES", DefaultMarking: model.Marking{Classification: model.Official}, Author: "Lead"}); err != nil {
			return err
		}
		r := model.Report{Title: "Westshire PEEL 2023–25", Type: model.PEEL, Cycle: "2023–25", Published: model.MustDate("01/05/2024")}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		succ := model.Finding{ReportID: r.ID, Type: model.AFI, Title: "Successor", Verbatim: "Carried forward.", Status: model.InProgress, RAG: model.Green}
		if err := tx.SaveFinding(&succ); err != nil {
			return err
		}
		f := model.Finding{ReportID: r.ID, Type: model.AFI, Title: "Bail policy", Verbatim: "The force should review bail.", Status: model.InProgress, RAG: model.Green}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		steps := map[model.Status][]model.Status{
			model.AwaitingAllocation: {model.NotStarted, model.AwaitingAllocation},
			model.NotStarted:         {model.NotStarted},
			model.CompletePending:    {model.CompletePending},
			model.ClosureProposed:    {model.ClosureProposed},
			model.Closed:             {model.ClosureProposed, model.Closed},
			model.Superseded:         {model.Superseded},
			model.NoFurtherAction:    {model.NoFurtherAction},
		}[from]
		for _, st := range steps {
			g, err := tx.Finding(f.ID)
			if err != nil {
				return err
			}
			g.Status, g.ClosureRationale, g.SupersededBy = st, "Delivered.", 0
			if st == model.Superseded {
				g.SupersededBy = succ.ID
			}
			if st.IsOpen() {
				g.RAG = model.Amber
			}
			if st == model.Closed {
				g.ClosedDate = today
			}
			if err := tx.SaveFinding(&g); err != nil {
				return fmt.Errorf("to %s: %w", st, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	h.u.changed()
	h.u.wait()
	h.search("Bail policy")
	h.u.register.table.Select(widget.TableCellID{Row: 0, Col: colTitle})
	e := h.u.register.editor
	if e == nil || e.orig.Status != from {
		t.Fatalf("the editor did not open Bail policy at %s", from)
	}
	return h, e
}

// TestEditorTransitions tries every move between two statuses in the
// finding editor, filling in what the target status needs and answering
// what the editor asks: an allowed move is stored, a refused one is
// explained beside the status and changes nothing. Closing from a status
// that may be proposed for closure is "propose and close": both stages are
// stored, so the finding ends Closed.
func TestEditorTransitions(t *testing.T) {
	for _, from := range model.Statuses {
		for _, to := range model.Statuses {
			if from == to {
				continue
			}
			t.Run(fmt.Sprintf("%s to %s", from, to), func(t *testing.T) {
				h, e := lifecycleFinding(t, from)
				before := h.finding(e.orig.Ref)
				today := h.u.today().String()
				e.status.SetSelected(string(to))
				if to.IsOpen() {
					e.rag.SetSelected(string(model.Amber))
				}
				typeInto(e.rationale, "Policy rewritten; dip sample shows compliance.")
				if to == model.ClosureProposed || to == model.Closed {
					typeInto(e.proposedDate, orText(e.proposedDate.Text, today))
				}
				if to == model.Closed {
					typeInto(e.closedDate, today)
				}
				if to == model.Superseded {
					for _, o := range e.supersededBy.Options {
						if strings.Contains(o, "Successor") {
							e.supersededBy.SetSelected(o)
						}
					}
				}
				test.Tap(e.save)
				allowed := editorCanMove(from, to)
				if allowed && model.GoesBack(from, to) {
					if !h.dialogShows("goes back") {
						t.Fatal("going back did not ask why")
					}
					typeInto(h.dialogEntries()[0], "The inspectorate asked for a second audit.")
					h.tapDialog("Save")
				}
				h.noDialog()
				after := h.finding(e.orig.Ref)
				if !allowed {
					if after.Status != before.Status {
						t.Fatalf("a move the lifecycle forbids was stored: now %s", after.Status)
					}
					if l := e.errs["status"]; !l.Visible() || !strings.Contains(l.Text, "cannot go from") {
						t.Errorf("the refusal beside the status reads %q", l.Text)
					}
					return
				}
				if after.Status != to {
					t.Fatalf("an allowed move was not stored: %s (beside the status: %q)", after.Status, e.errs["status"].Text)
				}
				if (to.InClosure() || to.IsFinal()) && after.RAG != model.Blue {
					t.Errorf("%s stored with RAG %q, want Blue", to, after.RAG)
				}
				if to == model.Closed && from != model.ClosureProposed && after.ClosureProposedDate.IsZero() {
					t.Errorf("propose and close left no date of the proposal")
				}
				if model.GoesBack(from, to) && len(after.Reopenings) != 1 {
					t.Errorf("going back was not recorded: %+v", after.Reopenings)
				}
			})
		}
	}
}

// TestReopeningAsksTheRAGWithTheReason: a closed finding taken back to work
// with its RAG left at Blue is not refused after the reason is typed: the
// dialog that asks why also asks its RAG from now, and the save keeps both.
func TestReopeningAsksTheRAGWithTheReason(t *testing.T) {
	h, e := lifecycleFinding(t, model.Closed)
	e.status.SetSelected(string(model.InProgress))
	e.rag.SetSelected(string(model.Blue))
	test.Tap(e.save)
	if !h.dialogShows("goes back") {
		t.Fatal("going back did not ask why")
	}
	typeInto(h.dialogEntries()[0], "The inspectorate asked for a second audit.")
	chosen := false
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok && slices.Contains(sel.Options, string(model.Amber)) && !slices.Contains(sel.Options, string(model.Blue)) {
			sel.SetSelected(string(model.Amber))
			chosen = true
		}
	}
	if !chosen {
		t.Fatal("the reopening dialog does not ask the RAG from now")
	}
	h.tapDialog("Save")
	h.noDialog()
	after := h.finding(e.orig.Ref)
	if after.Status != model.InProgress || after.RAG != model.Amber || len(after.Reopenings) != 1 ||
		after.Reopenings[0].Reason != "The inspectorate asked for a second audit." {
		t.Errorf("after reopening: %s, %q, reopenings %+v; want In progress, Amber and the reason typed", after.Status, after.RAG, after.Reopenings)
	}
}

// TestStatusChangeRefreshesTheUpdatesTab: a status changed on Details
// writes a progress update, and the Progress updates tab shows it at once.
func TestStatusChangeRefreshesTheUpdatesTab(t *testing.T) {
	h, e := lifecycleFinding(t, model.InProgress)
	before := len(e.updates.items)
	e.status.SetSelected(string(model.CompletePending))
	typeInto(e.rationale, "Policy rewritten; dip sample shows compliance.")
	test.Tap(e.save)
	if h.u.win.Canvas().Overlays().Top() != nil {
		h.chooseOutcomes(model.OutcomeCompleted)
		h.tapDialog("Save")
	}
	h.noDialog()
	if h.finding(e.orig.Ref).Status != model.CompletePending {
		t.Fatalf("the status change was not saved: %q", e.errs["status"].Text)
	}
	if len(e.updates.items) != before+1 || e.updates.items[0].Status != model.CompletePending {
		t.Errorf("the Progress updates tab holds %d updates (had %d), newest %+v", len(e.updates.items), before, e.updates.items)
	}
}
