package model

import "time"

// HistorySincer is a ReadTx that can list, of the audit events recorded
// after an instant, only what reading records as they stood before then
// needs (HistoryNeeds): a large register's trail is mostly progress updates
// being added, each event holding the update's narrative, and those tell a
// snapshot nothing, since updates are never changed and are taken by their
// dates. TakeSnapshot uses it when the transaction has it and falls back to
// AuditSincer.
type HistorySincer interface {
	// HistorySince lists the audit events recorded after t that
	// HistoryNeeds keeps, oldest first, each with what ForHistory keeps
	// of it.
	HistorySince(t time.Time) ([]AuditEvent, error)
}

// HistoryNeeds says what the snapshot uses of an audit event by its action
// and entity: keep, whether it is used at all (events about reports, people,
// findings, milestones and evidence), and changes, whether its field
// changes are (for a created record only when it was created is).
func HistoryNeeds(action Action, entity Entity) (keep, changes bool) {
	switch entity {
	case EntityReport, EntityPerson, EntityFinding, EntityMilestone, EntityEvidence:
		return true, action != ActionCreate
	}
	return false, false
}

// ForHistory keeps, of events, those HistoryNeeds keeps, in place, with
// what a snapshot reads of each: its ID, time, action and record, and of
// its changes (none for a create event) each field and earlier value. The
// words (who, the summary and note, the chain's hash, the changes' labels,
// text and later values) are left out: a store may pass over them, and
// every store gives the same. The stores' HistorySince use it after finding
// the events their own way.
func ForHistory(events []AuditEvent) []AuditEvent {
	out := events[:0]
	for _, e := range events {
		keep, changes := HistoryNeeds(e.Action, e.Entity)
		if !keep {
			continue
		}
		e.Who, e.Summary, e.Note, e.Prev = "", "", "", ""
		if !changes {
			e.Changes = nil
		}
		for i, c := range e.Changes {
			e.Changes[i] = FieldChange{Field: c.Field, BeforeJSON: c.BeforeJSON}
		}
		out = append(out, e)
	}
	clear(events[len(out):])
	return out
}

// HistorySince lists the audit events recorded after t that a snapshot
// needs, from the store when it has them and by filtering AuditSince when it
// does not.
func (r *reader) HistorySince(t time.Time) ([]AuditEvent, error) {
	if hs, ok := r.rec.(HistorySincer); ok {
		return hs.HistorySince(t)
	}
	events, err := r.AuditSince(t)
	if err != nil {
		return nil, err
	}
	return ForHistory(events), nil
}
