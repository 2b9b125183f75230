package model

import "time"

// HistorySincer is a ReadTx that can list, of the audit events recorded
// after an instant, only what reading records as they stood before then
// needs (ForHistory): a large register's trail is mostly progress updates
// being added, each event holding the update's narrative, and those tell a
// snapshot nothing, since updates are never changed and are taken by their
// dates; nor do records being created, since a record keeps when it was
// created. TakeSnapshot uses it when the transaction has it and falls back
// to AuditSincer.
type HistorySincer interface {
	// HistorySince lists the audit events recorded after t that
	// ForHistory keeps, oldest first, each with what ForHistory keeps of
	// it.
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

// ForHistory keeps, of events (oldest first), the changes and deletions
// HistoryNeeds keeps, in place, with what a snapshot reads of each: its
// ID, time, action and record, and of its changes each field and earlier
// value.
//
//   - Creations are left out: the snapshot reads when a record deleted
//     after the as-at date was created from that record's own trail
//     (createdOfRestored), and on a register imported in one go they are
//     half of what is left.
//   - Of the changes to a record, only the first to each field is kept,
//     and a change event left with none is left out. Rolling a record back
//     puts each field back to its value before the first change after the
//     as-at date (rollBackFields, RollBack); on a register imported in one
//     go every finding's status and rating changed at each of its updates,
//     and those after the first were most of what was read.
//   - The words (who, the summary and note, the chain's hash, the changes'
//     labels, text and later values) are left out.
//
// A store may pass over what is left out, and every store gives the same.
// The stores' HistorySince use it after finding the events their own way.
func ForHistory(events []AuditEvent) []AuditEvent {
	out := events[:0]
	changed := FirstChanges{}
	for _, e := range events {
		if keep, _ := HistoryNeeds(e.Action, e.Entity); !keep || e.Action == ActionCreate {
			continue
		}
		e.Who, e.Summary, e.Note, e.Prev = "", "", "", ""
		kept := e.Changes[:0]
		for _, c := range e.Changes {
			if e.Action != ActionChange || changed.First(e.Entity, e.EntityID, c.Field) {
				kept = append(kept, FieldChange{Field: c.Field, BeforeJSON: c.BeforeJSON})
			}
		}
		if e.Action == ActionChange && len(kept) == 0 {
			continue
		}
		clear(e.Changes[len(kept):])
		if e.Changes != nil {
			e.Changes = kept
		}
		out = append(out, e)
	}
	clear(events[len(out):])
	return out
}

// FirstChanges remembers which fields of which records have been changed,
// for ForHistory and the stores that pass over the changes it leaves out
// before reading them.
type FirstChanges map[changedField]struct{}

type changedField struct {
	entity Entity
	id     ID
	field  string
}

// First reports whether this is the first change to the field of the
// record, and remembers it.
func (f FirstChanges) First(entity Entity, id ID, field string) bool {
	k := changedField{entity, id, field}
	if _, ok := f[k]; ok {
		return false
	}
	f[k] = struct{}{}
	return true
}

// Seen reports whether the field of the record has been changed, without
// remembering anything: for a store deciding whether to read an event.
func (f FirstChanges) Seen(entity Entity, id ID, field []byte) bool {
	_, ok := f[changedField{entity, id, string(field)}]
	return ok
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
