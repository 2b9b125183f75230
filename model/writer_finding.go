package model

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// nextRef gives the next free local reference for a report and type:
// PREFIX-REPORTCODE-TYPECODE-NN. Numbers are never reused, even after a
// finding entered in error is deleted, so a reference means one thing for
// ever.
func (w *writer) nextRef(f *Finding, report Report) (string, error) {
	s, err := w.Settings()
	if err != nil {
		return "", err
	}
	n, err := w.rec.RefCounter(report.ID, f.Type.Code())
	if err != nil {
		return "", err
	}
	base := report.RefCode() + "-" + f.Type.Code()
	if p := strings.TrimSpace(s.RefPrefix); p != "" {
		base = p + "-" + base
	}
	for {
		n++
		ref := fmt.Sprintf("%s-%02d", base, n)
		_, err := w.rec.FindingIDByRef(ref)
		if errors.Is(err, ErrNotFound) {
			return ref, w.rec.SetRefCounter(report.ID, f.Type.Code(), n)
		} else if err != nil {
			return "", err
		}
	}
}

// checkLinks checks that every record a finding refers to exists and fits.
func (w *writer) checkLinks(f *Finding) (Report, error) {
	report, err := w.Report(f.ReportID)
	if errors.Is(err, ErrNotFound) {
		return report, invalid("report_id", fmt.Sprintf("report #%d does not exist", f.ReportID))
	} else if err != nil {
		return report, err
	}
	for _, p := range []struct {
		field string
		id    ID
	}{{"chief_officer_id", f.ChiefOfficerID}, {"delivery_lead_id", f.DeliveryLeadID}} {
		if err := mustExist[Person](w, KindPerson, p.field, p.id, "person"); err != nil {
			return report, err
		}
	}
	if f.ParentID != 0 {
		parent, err := w.Finding(f.ParentID)
		if errors.Is(err, ErrNotFound) {
			return report, invalid("parent_id", fmt.Sprintf("finding #%d does not exist", f.ParentID))
		} else if err != nil {
			return report, err
		}
		if parent.Type != CauseOfConcern {
			return report, invalid("parent_id", fmt.Sprintf("%s is a %s, not a cause of concern", parent.Ref, strings.ToLower(string(parent.Type))))
		}
	}
	if f.SupersededBy != 0 {
		if f.SupersededBy == f.ID {
			return report, invalid("superseded_by", "a finding cannot supersede itself")
		}
		if err := mustExist[Finding](w, KindFinding, "superseded_by", f.SupersededBy, "finding"); err != nil {
			return report, err
		}
	}
	for _, id := range f.Related {
		if err := mustExist[Finding](w, KindFinding, "related", id, "finding"); err != nil {
			return report, err
		}
	}
	return report, nil
}

// SaveFinding adds or replaces a finding; see Tx. checkRevisions and
// applyLifecycle fill in the new revisions and reopening in place, so the
// copy has its own.
func (w *writer) SaveFinding(f *Finding) error {
	return onCopy(f, func(f Finding) Finding {
		f.TargetRevisions = slices.Clone(f.TargetRevisions)
		f.Reopenings = slices.Clone(f.Reopenings)
		return f
	}, w.saveFinding)
}

func (w *writer) saveFinding(f *Finding) error {
	var old Finding
	creating := f.ID == 0
	if !creating {
		var err error
		if old, err = w.Finding(f.ID); err != nil {
			return err
		}
		// A copy read before a colleague's save would overwrite it unseen;
		// checked first, as the rules below would judge a stale copy
		// against a finding it no longer describes.
		if err := w.checkVersion(EntityFinding, f.ID, f.ID, old.Ref, old.Version, f.Version, old.Modified); err != nil {
			return err
		}
		if f.Ref == "" {
			f.Ref = old.Ref
		}
		if f.Ref != old.Ref {
			return invalid("ref", fmt.Sprintf("a reference never changes once given: this finding is %s", old.Ref))
		}
		f.Created = old.Created
	} else {
		if f.Status == "" {
			f.Status = AwaitingAllocation
		}
		if f.Marking.Classification == "" {
			s, err := w.Settings()
			if err != nil {
				return err
			}
			f.Marking = s.DefaultMarking
		}
		f.Created = w.at
	}
	settings, err := w.Settings()
	if err != nil {
		return err
	}
	today := DateOf(w.at.Local())
	if creating && f.Raised.IsZero() {
		f.Raised = today
		if r, err := w.Report(f.ReportID); err == nil && !r.Published.IsZero() {
			f.Raised = r.Published
		}
	}
	on := statusChangeDate(old, *f, today)
	sentence, err := w.applyLifecycle(&old, f, on, settings)
	if err != nil {
		return err
	}
	if !creating && sentence == "" && f.RAG != old.RAG {
		sentence = fmt.Sprintf("RAG changed from %s to %s.", ragWords(old.RAG), ragWords(f.RAG))
	}
	if err := notAfter(today, map[string]Date{"closed_date": f.ClosedDate, "closure_proposed_date": f.ClosureProposedDate,
		"raised": f.Raised}); err != nil {
		return err
	}
	if f.OriginalTarget.IsZero() {
		f.OriginalTarget = f.CurrentTarget
	} else if !old.OriginalTarget.IsZero() && f.OriginalTarget != old.OriginalTarget {
		return invalid("original_target", fmt.Sprintf("the original target (%s) cannot change; move the current target instead, with a reason", old.OriginalTarget))
	}
	notes, err := w.checkRevisions("current_target", "target_revisions", old.CurrentTarget, f.CurrentTarget, old.TargetRevisions, f.TargetRevisions)
	if err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	report, err := w.checkLinks(f)
	if err != nil {
		return err
	}
	f.Modified = w.at
	if creating {
		if f.Ref == "" {
			if f.Ref, err = w.nextRef(f, report); err != nil {
				return err
			}
		} else if _, err := w.rec.FindingIDByRef(f.Ref); err == nil {
			return invalid("ref", fmt.Sprintf("%s is already the reference of another finding", f.Ref))
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if f.ID, err = w.rec.NextID(KindFinding); err != nil {
			return err
		}
	}
	changes := Diff(old, *f, w.names)
	if !creating && len(changes) == 0 {
		f.Modified = old.Modified
		return nil
	}
	f.Version = old.Version + 1
	if err := w.rec.Put(KindFinding, f.ID, f); err != nil {
		return err
	}
	ev := AuditEvent{Action: ActionCreate, Entity: EntityFinding, EntityID: f.ID, FindingID: f.ID,
		Summary: fmt.Sprintf("Finding %s added", f.Ref), Changes: changes}
	if !creating {
		ev.Action = ActionChange
		ev.Summary = fmt.Sprintf("Finding %s changed: %s", f.Ref, changedLabels(changes))
	}
	if err := w.audit(ev, notes...); err != nil {
		return err
	}
	if creating || sentence == "" {
		return nil
	}
	return w.recordStatusChange(f, on, sentence)
}

// statusChangeDate is the date a change of status made on the finding
// itself takes effect: the closure dates for closing, the reopening's date
// for reopening, and otherwise the day it is recorded.
func statusChangeDate(old, f Finding, today Date) Date {
	var d Date
	switch {
	case f.Status == Closed && old.Status != Closed:
		d = f.ClosedDate
	case f.Status == ClosureProposed && old.Status != ClosureProposed:
		d = f.ClosureProposedDate
	case len(f.Reopenings) > len(old.Reopenings):
		d = f.Reopenings[len(f.Reopenings)-1].Date
	}
	if d.IsZero() {
		return today
	}
	return d
}

// notAfter refuses dates of things that have happened when they fall after
// today: a closure agreed tomorrow has not been agreed.
func notAfter(today Date, dates map[string]Date) error {
	for _, field := range []string{"raised", "closure_proposed_date", "closed_date"} {
		if d := dates[field]; !d.IsZero() && d.After(today) {
			return invalid(field, fmt.Sprintf("%s is after today (%s): record it on or after the day it happens", d, today))
		}
	}
	return nil
}

// DeleteFinding removes a finding entered in error, with its milestones and
// evidence. Its audit trail stays, so the deletion itself is on record.
func (w *writer) DeleteFinding(id ID) error {
	f, err := w.Finding(id)
	if err != nil {
		return err
	}
	n, err := w.rec.CountByFinding(KindUpdate, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%s has %d progress update(s), so it cannot be deleted: %w. Set its status to No further action instead", f.Ref, n, ErrInUse)
	}
	others, err := loadAll[Finding](&w.reader, KindFinding, 0)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID != id && (o.ParentID == id || o.SupersededBy == id || slices.Contains(o.Related, id)) {
			return fmt.Errorf("%s cannot be deleted because %s refers to it: %w", f.Ref, o.Ref, ErrInUse)
		}
	}
	ms, err := w.Milestones(id)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := w.DeleteMilestone(m.ID); err != nil {
			return err
		}
	}
	es, err := w.Evidence(id)
	if err != nil {
		return err
	}
	for _, e := range es {
		if err := w.DeleteEvidence(e.ID); err != nil {
			return err
		}
	}
	if err := w.rec.Delete(KindFinding, id); err != nil {
		return err
	}
	return w.audit(AuditEvent{Action: ActionDelete, Entity: EntityFinding, EntityID: id, FindingID: id,
		Summary: fmt.Sprintf("Finding %s deleted", f.Ref), Changes: Diff(f, Finding{}, w.names)})
}
