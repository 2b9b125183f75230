package model

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"time"
)

// SaveMilestone adds or replaces a milestone. A moved due date needs a
// revision, as a finding's target does. checkRevisions fills in the new
// revisions in place, so the copy has its own.
func (w *writer) SaveMilestone(m *Milestone) error {
	return onCopy(m, func(m Milestone) Milestone {
		m.Revisions = slices.Clone(m.Revisions)
		return m
	}, w.saveMilestone)
}

func (w *writer) saveMilestone(m *Milestone) error {
	var old Milestone
	creating := m.ID == 0
	if !creating {
		var err error
		if old, err = load[Milestone](&w.reader, KindMilestone, m.ID, "milestone"); err != nil {
			return err
		}
		if m.FindingID != old.FindingID {
			return invalid("finding_id", "a milestone cannot move to another finding; add it there instead")
		}
		if err := w.checkVersion(EntityMilestone, m.ID, m.FindingID, old.Title, old.Version, m.Version, time.Time{}); err != nil {
			return err
		}
	}
	if m.OriginalDue.IsZero() {
		m.OriginalDue = m.CurrentDue
	} else if !old.OriginalDue.IsZero() && m.OriginalDue != old.OriginalDue {
		return invalid("original_due", fmt.Sprintf("the original due date (%s) cannot change; move the current due date instead, with a reason", old.OriginalDue))
	}
	notes, err := w.checkRevisions("current_due", "revisions", old.CurrentDue, m.CurrentDue, old.Revisions, m.Revisions)
	if err != nil {
		return err
	}
	today := DateOf(w.at.Local())
	if m.Outcome != "" && m.Completed.IsZero() {
		m.Completed = today
	}
	switch {
	case m.Completed.IsZero():
		m.CompletedBy = ""
	case old.Completed.IsZero() && m.CompletedBy == "":
		m.CompletedBy = w.who()
	case !old.Completed.IsZero() && m.CompletedBy == "":
		m.CompletedBy = old.CompletedBy
	}
	if err := mustExist[Finding](w, KindFinding, "carried_to", m.CarriedTo, "finding"); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	f, err := w.parentFinding(m.FindingID)
	if err != nil {
		return err
	}
	if err := mustExist[Person](w, KindPerson, "owner_id", m.OwnerID, "person"); err != nil {
		return err
	}
	if creating {
		if m.ID, err = w.rec.NextID(KindMilestone); err != nil {
			return err
		}
	}
	changes := Diff(old, *m, w.names)
	if !creating && len(changes) == 0 {
		return nil
	}
	m.Version = old.Version + 1
	if err := w.rec.Put(KindMilestone, m.ID, m); err != nil {
		return err
	}
	ev := AuditEvent{Action: ActionCreate, Entity: EntityMilestone, EntityID: m.ID, FindingID: m.FindingID,
		Summary: fmt.Sprintf("Milestone %q added to %s", m.Title, f.Ref), Changes: changes}
	if !creating {
		ev.Action = ActionChange
		ev.Summary = fmt.Sprintf("Milestone %q of %s changed: %s", m.Title, f.Ref, changedLabels(changes))
	}
	return w.audit(ev, notes...)
}

// DeleteMilestone removes a milestone.
func (w *writer) DeleteMilestone(id ID) error {
	m, err := load[Milestone](&w.reader, KindMilestone, id, "milestone")
	if err != nil {
		return err
	}
	if err := w.rec.Delete(KindMilestone, id); err != nil {
		return err
	}
	return w.audit(AuditEvent{Action: ActionDelete, Entity: EntityMilestone, EntityID: id, FindingID: m.FindingID,
		Summary: fmt.Sprintf("Milestone %q deleted from %s", m.Title, w.names("finding_id", m.FindingID)), Changes: Diff(m, Milestone{}, w.names)})
}

// AppendUpdate stores a new progress update and, unless a later-dated
// update exists already, sets the finding's status and RAG to the update's.
// A back-dated update (an old return typed in late) is history, and must
// not overwrite where the finding stands now.
func (w *writer) AppendUpdate(u *Update) error { return onCopy(u, shallow, w.appendUpdate) }

func (w *writer) appendUpdate(u *Update) error {
	if u.ID != 0 {
		return fmt.Errorf("update #%d is already stored: %w", u.ID, ErrAppendOnly)
	}
	if u.Author == "" || w.by.Signed {
		u.Author = w.who()
	}
	u.Recorded = w.at
	if err := u.Validate(); err != nil {
		return err
	}
	f, err := w.parentFinding(u.FindingID)
	if err != nil {
		return err
	}
	earlier, err := w.Updates(u.FindingID)
	if err != nil {
		return err
	}
	latest := len(earlier) == 0 || !earlier[len(earlier)-1].Date.After(u.Date)
	if p := RAGFits(u.Status, u.RAG); p != "" {
		return invalid("rag", p)
	}
	// The finding as the update leaves it, checked against the lifecycle
	// before anything is stored. A back-dated update (an old return typed
	// in late) is history, and does not change where the finding stands
	// now.
	after := f
	changed := latest && (f.Status != u.Status || (u.RAG != "" && f.RAG != u.RAG))
	if changed {
		settings, err := w.Settings()
		if err != nil {
			return err
		}
		after.Status = u.Status
		if u.RAG != "" {
			after.RAG = u.RAG
		}
		if (u.Status == ClosureProposed || u.Status == NoFurtherAction) && strings.TrimSpace(after.ClosureRationale) == "" {
			// The update says why closure is proposed, or why no more
			// will be done.
			after.ClosureRationale = u.Narrative
		}
		if u.Status == ClosureProposed && f.Status != ClosureProposed {
			after.ClosureProposedDate = u.Date
		}
		if u.Status == Closed && f.Status != Closed {
			after.ClosedDate = u.Date
		}
		if GoesBack(f.Status, u.Status) {
			// The update's narrative says why.
			after.Reopenings = append(slices.Clone(f.Reopenings), Reopening{Date: u.Date, Reason: u.Narrative})
		}
		if _, err := w.applyLifecycle(&f, &after, u.Date, settings); err != nil {
			return err
		}
		if err := after.Validate(); err != nil {
			return fmt.Errorf("the update sets %s to %q, but the finding is not ready for it: %w", f.Ref, u.Status, err)
		}
	}
	if u.ID, err = w.rec.NextID(KindUpdate); err != nil {
		return err
	}
	if err := w.rec.Put(KindUpdate, u.ID, u); err != nil {
		return err
	}
	// The update is never changed, so it is its own record of what was
	// written: the event says that it was added, without copying the text.
	if err := w.audit(AuditEvent{Action: ActionCreate, Entity: EntityUpdate, EntityID: u.ID, FindingID: u.FindingID,
		Summary: fmt.Sprintf("Progress update of %s added to %s: %s, %s", u.Date, f.Ref, u.Status, ragWords(u.RAG))}, u.Source); err != nil {
		return err
	}
	if !changed {
		return nil
	}
	after.Modified = w.at
	after.Version = f.Version + 1
	if err := w.rec.Put(KindFinding, f.ID, &after); err != nil {
		return err
	}
	changes := Diff(f, after, w.names)
	return w.audit(AuditEvent{Action: ActionChange, Entity: EntityFinding, EntityID: f.ID, FindingID: f.ID,
		Summary: fmt.Sprintf("Finding %s changed by the progress update of %s: %s", f.Ref, u.Date, changedLabels(changes)), Changes: changes})
}

// AddEvidence stores new evidence, and its attached file when there is one.
func (w *writer) AddEvidence(e *Evidence, file []byte) error {
	return onCopy(e, shallow, func(e *Evidence) error { return w.addEvidence(e, file) })
}

func (w *writer) addEvidence(e *Evidence, file []byte) error {
	if e.ID != 0 {
		return fmt.Errorf("evidence #%d is already stored; change its details instead", e.ID)
	}
	e.FileSize, e.SHA256 = 0, ""
	if file != nil {
		if len(file) > MaxAttachmentSize {
			name := e.FileName
			if name == "" {
				name = "the file"
			}
			return fmt.Errorf("%s is %s; attached files are limited to %s (%w). Keep it on force systems and record where it is instead",
				name, HumanSize(int64(len(file))), HumanSize(MaxAttachmentSize), ErrTooLarge)
		}
		if e.FileName == "" {
			e.FileName = "attachment"
		}
		e.FileSize, e.SHA256 = int64(len(file)), Digest(file)
	} else {
		e.FileName = ""
	}
	e.Added = w.at
	if e.AddedBy == "" {
		e.AddedBy = w.who()
	}
	if err := e.Validate(); err != nil {
		return err
	}
	f, err := w.parentFinding(e.FindingID)
	if err != nil {
		return err
	}
	if e.ID, err = w.rec.NextID(KindEvidence); err != nil {
		return err
	}
	if err := w.rec.Put(KindEvidence, e.ID, e); err != nil {
		return err
	}
	summary := fmt.Sprintf("Evidence %q added to %s", e.Title, f.Ref)
	if file != nil {
		// A store may keep the slice until the transaction ends; a copy
		// means the caller may reuse its buffer.
		if err := w.rec.PutFile(e.ID, bytes.Clone(file)); err != nil {
			return err
		}
		summary += fmt.Sprintf(", with the file %s (%s)", e.FileName, HumanSize(e.FileSize))
	}
	return w.audit(AuditEvent{Action: ActionCreate, Entity: EntityEvidence, EntityID: e.ID, FindingID: e.FindingID,
		Summary: summary, Changes: Diff(Evidence{}, *e, w.names)})
}

// SaveEvidence changes evidence details. The attached file stays as it was:
// replacing it would break the link between what was shared and its digest.
func (w *writer) SaveEvidence(e *Evidence) error { return onCopy(e, shallow, w.saveEvidence) }

func (w *writer) saveEvidence(e *Evidence) error {
	old, err := load[Evidence](&w.reader, KindEvidence, e.ID, "evidence")
	if err != nil {
		return err
	}
	if e.FindingID != old.FindingID {
		return invalid("finding_id", "evidence cannot move to another finding; add it there instead")
	}
	if e.SHA256 != "" && e.SHA256 != old.SHA256 {
		return invalid("file_name", "an attached file cannot be replaced; add new evidence with the new file instead")
	}
	e.FileName, e.FileSize, e.SHA256 = old.FileName, old.FileSize, old.SHA256
	e.Added, e.AddedBy = old.Added, old.AddedBy
	if err := e.Validate(); err != nil {
		return err
	}
	changes := Diff(old, *e, w.names)
	if len(changes) == 0 {
		return nil
	}
	if err := w.rec.Put(KindEvidence, e.ID, e); err != nil {
		return err
	}
	return w.audit(AuditEvent{Action: ActionChange, Entity: EntityEvidence, EntityID: e.ID, FindingID: e.FindingID,
		Summary: fmt.Sprintf("Evidence %q of %s changed: %s", e.Title, w.names("finding_id", e.FindingID), changedLabels(changes)), Changes: changes})
}

// DeleteEvidence removes evidence and its attached file.
func (w *writer) DeleteEvidence(id ID) error {
	e, err := load[Evidence](&w.reader, KindEvidence, id, "evidence")
	if err != nil {
		return err
	}
	if err := w.rec.Delete(KindEvidence, id); err != nil {
		return err
	}
	return w.audit(AuditEvent{Action: ActionDelete, Entity: EntityEvidence, EntityID: id, FindingID: e.FindingID,
		Summary: fmt.Sprintf("Evidence %q deleted from %s", e.Title, w.names("finding_id", e.FindingID)), Changes: Diff(e, Evidence{}, w.names)})
}
