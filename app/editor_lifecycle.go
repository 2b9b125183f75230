package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// The finding lifecycle as the editor and the update dialog meet it: the
// rules themselves are model's (model/lifecycle.go); this file asks the
// questions a move needs answered before the store will take it: the
// reason a finding goes back, and what became of each open milestone
// when its work is done.

// outcomeChoices asks, for each open milestone, how it ended, and for work
// carried into a successor, which finding carries it.
type outcomeChoices struct {
	ms         []model.Milestone
	selects    []*widget.Select
	successors []*widget.Select
	// dates are when each milestone's work was done: asked, not taken to
	// be the day of the closure, which may come months after.
	dates  []*dateEntry
	today  model.Date
	others []model.Finding
	box    *fyne.Container
}

// outcomeWords are the choices offered, in the order shown.
var outcomeWords = []string{string(model.OutcomeCompleted), string(model.OutcomeNotNeeded), string(model.OutcomeCarried)}

// newOutcomeChoices asks about ms; others are the findings work may be
// carried into.
func newOutcomeChoices(ms []model.Milestone, others []model.Finding, today model.Date) *outcomeChoices {
	o := &outcomeChoices{ms: ms, others: others, today: today, box: container.NewVBox()}
	if len(ms) == 0 {
		return o
	}
	intro := widget.NewLabel("Milestones still open: say how each ended and when (its due date if that has passed, else today, until you change it), and for work carried into a successor, which finding carries it.")
	intro.Wrapping = fyne.TextWrapWord
	var labels []string
	for _, f := range others {
		labels = append(labels, findingLabel(f))
	}
	form := widget.NewForm()
	for _, m := range ms {
		succ := widget.NewSelect(labels, nil)
		succ.PlaceHolder = "(the finding that carries it)"
		succ.Hide()
		sel := widget.NewSelect(outcomeWords, func(v string) {
			if v == string(model.OutcomeCarried) {
				succ.Show()
			} else {
				succ.Hide()
			}
		})
		sel.PlaceHolder = "(choose)"
		label := m.Title
		if !m.CurrentDue.IsZero() {
			label += " (due " + m.CurrentDue.String() + ")"
		}
		on := newDateEntry()
		if !m.CurrentDue.IsZero() && m.CurrentDue.Before(today) {
			on.SetDate(m.CurrentDue)
		} else {
			on.SetDate(today)
		}
		form.Append(label, container.NewVBox(sel, container.NewHBox(widget.NewLabel("On"), on), succ))
		o.dates = append(o.dates, on)
		o.selects = append(o.selects, sel)
		o.successors = append(o.successors, succ)
	}
	o.box.Add(intro)
	o.box.Add(form)
	return o
}

// settled returns the milestones with the outcomes and dates chosen, or
// says which still needs one. None may end after latest (the day of the
// update or save that ends the work).
func (o *outcomeChoices) settled(latest model.Date) ([]model.Milestone, error) {
	out := make([]model.Milestone, len(o.ms))
	for i, m := range o.ms {
		if o.selects[i].Selected == "" {
			return nil, fmt.Errorf("say how the milestone %q ended", m.Title)
		}
		on, err := o.dates[i].Date()
		if err != nil || on.IsZero() {
			return nil, fmt.Errorf("say when the milestone %q ended, as dd/mm/yyyy", m.Title)
		}
		if on.After(latest) {
			return nil, fmt.Errorf("the milestone %q cannot have ended on %s, after %s", m.Title, on, latest)
		}
		m.Outcome, m.Completed = model.MilestoneOutcome(o.selects[i].Selected), on
		if m.Outcome == model.OutcomeCarried {
			j := o.successors[i].SelectedIndex()
			if j < 0 {
				return nil, fmt.Errorf("choose the finding the milestone %q is carried into", m.Title)
			}
			m.CarriedTo = o.others[j].ID
		}
		out[i] = m
	}
	return out, nil
}

// openMilestones reads the finding's milestones that are still open.
func (e *editorScreen) openMilestones() []model.Milestone {
	var open []model.Milestone
	if e.orig.ID == 0 {
		return nil
	}
	_ = e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		ms, err := tx.Milestones(e.orig.ID)
		for _, m := range ms {
			if m.Open() {
				open = append(open, m)
			}
		}
		return err
	})
	return open
}

// endsWork reports whether a finding moving to s has its work done, so its
// open milestones must be settled first.
func endsWork(from, to model.Status) bool {
	return from != to && (to.InClosure() || to.IsFinal()) && !(from.InClosure() || from.IsFinal())
}

// askLifecycle asks what a status change needs before it can be saved (the
// reason a finding goes back, the outcome of each open milestone) and then
// saves the finding with it. It returns false when nothing needs asking.
func (e *editorScreen) askLifecycle(f model.Finding) bool {
	if !editorCanMove(e.orig.Status, f.Status) {
		return false // the store refuses it, in words, beside the status
	}
	back := f.ID != 0 && model.GoesBack(e.orig.Status, f.Status)
	var open []model.Milestone
	if endsWork(e.orig.Status, f.Status) {
		open = e.openMilestones()
	}
	if !back && len(open) == 0 {
		return false
	}
	reason := newTextArea()
	reason.Wrapping = fyne.TextWrapWord
	reason.SetMinRowsVisible(3)
	reason.SetPlaceHolder("for example: the inspectorate asked for a second audit")
	outcomes := newOutcomeChoices(open, e.others, e.u.today())
	content := container.NewVBox()
	// A finding going back to work cannot keep Blue (complete): its RAG is
	// asked here with the reason, so that the save does not fail on it
	// after the reason was typed.
	var rag *widget.Select
	if back {
		msg := widget.NewLabel(fmt.Sprintf("%s goes back from %s to %s. Why?", f.Ref, e.orig.Status, f.Status))
		msg.Wrapping = fyne.TextWrapWord
		content.Add(msg)
		content.Add(reason)
		if f.Status.IsOpen() && (f.RAG == model.Blue || f.RAG == "") {
			rag = widget.NewSelect([]string{noneChoice, string(model.Red), string(model.Amber), string(model.Green)}, nil)
			rag.SetSelected(noneChoice)
			content.Add(widget.NewForm(widget.NewFormItem("RAG from now", rag)))
		}
	}
	content.Add(outcomes.box)
	problem := newFieldError()
	content.Add(problem)
	title := "Before the status changes"
	e.u.formDialog(title, "Save", content, problem, func() error {
		g := f
		if back {
			why := strings.TrimSpace(reason.Text)
			if why == "" {
				return errors.New("give the reason the finding goes back")
			}
			g.Reopenings = append(append([]model.Reopening(nil), f.Reopenings...), model.Reopening{Reason: why, Date: e.u.today()})
			if rag != nil {
				g.RAG = ""
				if rag.Selected != noneChoice {
					g.RAG = model.RAG(rag.Selected)
				}
			}
		}
		settled, err := outcomes.settled(e.u.today())
		if err != nil {
			return err
		}
		e.saveSettled(g, settled)
		return nil
	})
	return true
}

// editorCanMove is the lifecycle as the editor offers it: model's table,
// and "propose and close", which records the proposal and the agreement in
// one save where the finding may be proposed for closure.
func editorCanMove(from, to model.Status) bool {
	return model.CanMove(from, to) || (to == model.Closed && from != model.Closed && model.CanMove(from, model.ClosureProposed))
}

// saveSteps writes what a save of f involves in one transaction: the
// settled milestones first, then, where the finding is closed without its
// closure having been proposed, the proposal ("propose and close": both
// stages recorded, each with its date), then the finding itself.
func saveSteps(tx model.Tx, orig model.Finding, f *model.Finding, settled []model.Milestone) error {
	for i := range settled {
		if err := tx.SaveMilestone(&settled[i]); err != nil {
			return fmt.Errorf("milestone %q: %w", settled[i].Title, err)
		}
	}
	if f.ID != 0 && f.Status == model.Closed && orig.Status != model.Closed && orig.Status != model.ClosureProposed &&
		model.CanMove(orig.Status, model.ClosureProposed) {
		proposed := *f
		proposed.Status, proposed.ClosedDate = model.ClosureProposed, model.Date{}
		if err := tx.SaveFinding(&proposed); err != nil {
			return err
		}
		// The proposal is a save of its own: the closure saves on top of it.
		f.ClosureProposedDate, f.Version = proposed.ClosureProposedDate, proposed.Version
	}
	return tx.SaveFinding(f)
}
