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
	// HistoryNeeds keeps, oldest first, each create event without its
	// changes.
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

// ForHistory keeps, of events, those HistoryNeeds keeps, in place, leaving
// out the changes of create events. The stores' HistorySince use it after
// finding the events their own way.
func ForHistory(events []AuditEvent) []AuditEvent {
	out := events[:0]
	for _, e := range events {
		keep, changes := HistoryNeeds(e.Action, e.Entity)
		if !keep {
			continue
		}
		if !changes {
			e.Changes = nil
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
