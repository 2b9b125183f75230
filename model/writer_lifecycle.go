package model

import (
	"fmt"
	"strings"
)

// applyLifecycle checks a finding's change of status against the lifecycle
// and fills in what each stage records: the date closure was proposed, the
// RAG of a finding that is complete or has ended, a reopening's date, who
// and from where, and clears the closure dates of a finding that goes back
// to work. on is the date the change takes effect. It returns a sentence
// for the progress update that records the change, or "" when the status
// did not change.
func (w *writer) applyLifecycle(old, f *Finding, on Date, settings Settings) (string, error) {
	from, to := old.Status, f.Status
	if !CanMove(from, to) {
		return "", TransitionError(f.Ref, from, to)
	}
	// A colour chosen for a finding already complete or closed is refused
	// in words, not quietly put back while the save reports success. A
	// finding entering the closure process or ending takes the closed RAG.
	if colour := f.RAG != "" && f.RAG != Blue; from == to && (to.InClosure() || to.IsFinal()) && colour && f.RAG != old.RAG {
		return "", invalid("rag", fmt.Sprintf("%s is %s, so it is not rated Red, Amber or Green: %s. To rate it again, reopen it first",
			f.Ref, strings.ToLower(string(to)), ragOfClosed(settings)))
	}
	if to.InClosure() || to.IsFinal() {
		f.RAG = settings.ClosedRAG()
	} else if p := RAGFits(to, f.RAG); p != "" {
		return "", invalid("rag", p)
	}
	if len(f.Reopenings) < len(old.Reopenings) {
		return "", invalid("reopenings", "earlier reopenings are kept for ever and cannot be removed")
	}
	for i := range old.Reopenings {
		if f.Reopenings[i] != old.Reopenings[i] {
			return "", invalid("reopenings", fmt.Sprintf("reopening %d was already recorded and cannot be changed", i+1))
		}
	}
	added := f.Reopenings[len(old.Reopenings):]
	reopening := GoesBack(from, to)
	switch {
	case reopening && len(added) != 1:
		return "", invalid("status", fmt.Sprintf("%s was %s: going back needs the reason (for example, the inspectorate did not agree closure)", f.Ref, strings.ToLower(string(from))))
	case !reopening && len(added) > 0:
		return "", invalid("reopenings", "a reopening is recorded only when a finding that was complete, proposed for closure or ended goes back")
	}
	if from == to {
		return "", nil
	}
	if to == ClosureProposed && f.ClosureProposedDate.IsZero() {
		f.ClosureProposedDate = on
	}
	if to == Closed && f.ClosedDate.IsZero() {
		f.ClosedDate = on
	}
	if to.InClosure() || to.IsFinal() {
		if err := w.noOpenMilestones(f, to); err != nil {
			return "", err
		}
	}
	sentence := fmt.Sprintf("Status changed from %s to %s.", from, to)
	switch {
	case reopening:
		r := &f.Reopenings[len(f.Reopenings)-1]
		r.Reason = strings.TrimSpace(r.Reason)
		if r.Reason == "" {
			return "", invalid("reopenings", "give the reason the finding is reopened")
		}
		if r.Date.IsZero() {
			r.Date = on
		}
		r.From = from
		if r.By == "" {
			r.By = w.who()
		}
		// The closure that ended is kept on the reopening; the finding's
		// closure fields now describe the next one.
		r.ProposedOn, r.ClosedOn, r.Rationale = f.ClosureProposedDate, f.ClosedDate, f.ClosureRationale
		f.ClosedDate, f.ClosureProposedDate, f.ClosureRationale = Date{}, Date{}, ""
		// No brackets around the status: some statuses hold their own
		// ("closed (inspectorate agreed)"), and brackets in brackets read
		// badly wherever the sentence is quoted.
		sentence = fmt.Sprintf("Reopened from %s: %s", strings.ToLower(string(from)), r.Reason)
		if !from.IsFinal() {
			sentence = fmt.Sprintf("Back to %s from %s: %s", strings.ToLower(string(to)), strings.ToLower(string(from)), r.Reason)
		}
	case to == ClosureProposed:
		sentence = fmt.Sprintf("Closure proposed to the inspectorate on %s. Rationale: %s", f.ClosureProposedDate, strings.TrimSpace(f.ClosureRationale))
	case to == Closed:
		sentence = fmt.Sprintf("The inspectorate agreed closure on %s.", f.ClosedDate)
	case to == NoFurtherAction:
		sentence = fmt.Sprintf("No further action. Rationale: %s", strings.TrimSpace(f.ClosureRationale))
	case to == Superseded:
		sentence = fmt.Sprintf("Superseded by, or carried forward into, %s.", w.names("superseded_by", f.SupersededBy))
	}
	return sentence, nil
}

// noOpenMilestones refuses to let a finding enter the closure process or end
// while any of its milestones is still open: each must first be recorded as
// completed, no longer needed, or carried into a successor.
func (w *writer) noOpenMilestones(f *Finding, to Status) error {
	if f.ID == 0 {
		return nil
	}
	ms, err := w.Milestones(f.ID)
	if err != nil {
		return err
	}
	var open []string
	for _, m := range ms {
		if m.Open() {
			d := ""
			if !m.CurrentDue.IsZero() {
				d = " (due " + m.CurrentDue.String() + ")"
			}
			open = append(open, fmt.Sprintf("%q%s", m.Title, d))
		}
	}
	if len(open) == 0 {
		return nil
	}
	what := "1 milestone is"
	if len(open) > 1 {
		what = fmt.Sprintf("%d milestones are", len(open))
	}
	return invalid("milestones", fmt.Sprintf("%s still open: %s. Before %s, say for each whether it was completed, is no longer needed, or is carried into a successor",
		what, strings.Join(open, ", "), movingTo(to)))
}

func movingTo(s Status) string {
	switch s {
	case CompletePending:
		return "marking the finding complete"
	case ClosureProposed:
		return "proposing closure"
	case Closed:
		return "closing the finding"
	case Superseded:
		return "marking it superseded"
	}
	return "taking no further action"
}

// recordStatusChange appends the progress update that dates a status change
// made on the finding itself, so that the register as it stood at any date,
// and the return for any period, can tell when the change took effect.
func (w *writer) recordStatusChange(f *Finding, on Date, sentence string) error {
	u := Update{FindingID: f.ID, Date: on, Narrative: sentence, Status: f.Status, RAG: f.RAG,
		Author: w.who(), Source: "recorded on the finding", Recorded: w.at}
	id, err := w.rec.NextID(KindUpdate)
	if err != nil {
		return err
	}
	u.ID = id
	if err := w.rec.Put(KindUpdate, u.ID, &u); err != nil {
		return err
	}
	return w.audit(AuditEvent{Action: ActionCreate, Entity: EntityUpdate, EntityID: u.ID, FindingID: f.ID,
		Summary: fmt.Sprintf("Progress update of %s added to %s: %s, %s", u.Date, f.Ref, u.Status, ragWords(u.RAG))})
}

func ragWords(r RAG) string {
	if r == "" {
		return "not rated"
	}
	return string(r)
}

// ragOfClosed says what RAG the settings give a finding complete or closed.
func ragOfClosed(settings Settings) string {
	if r := settings.ClosedRAG(); r != "" {
		return "its RAG is " + string(r) + " (complete)"
	}
	return "the register leaves such findings without a RAG"
}
