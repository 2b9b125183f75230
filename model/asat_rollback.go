package model

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Rolling records back: the audit events recorded after the as-at instant,
// by record, undone on today's records, and records deleted since made again.

type entityKey struct {
	entity Entity
	id     ID
}

// changeLog holds the audit events recorded after the as-at instant, by
// record, oldest first.
type changeLog struct {
	// changes holds each record's field changes, its events' one after
	// the other, oldest event first.
	changes map[entityKey][]FieldChange
	deleted map[entityKey][]FieldChange
	created map[entityKey]time.Time // when records created after as-at were
}

func laterChanges(events []AuditEvent, end time.Time) changeLog {
	l := changeLog{
		changes: map[entityKey][]FieldChange{},
		deleted: map[entityKey][]FieldChange{},
		created: map[entityKey]time.Time{},
	}
	for _, e := range events {
		if !e.At.After(end) {
			continue
		}
		k := entityKey{e.Entity, e.EntityID}
		switch e.Action {
		case ActionChange:
			if len(e.Changes) > 0 {
				l.changes[k] = append(l.changes[k], e.Changes...)
			}
		case ActionDelete:
			// The store never reuses an ID, so a record is deleted once.
			if _, seen := l.deleted[k]; !seen {
				l.deleted[k] = e.Changes
			}
		case ActionCreate:
			l.created[k] = e.At
		}
	}
	return l
}

// rollBack undoes, newest first, the changes made to one record after
// as-at. RollBack takes a field's Before value from the oldest change to
// it, which is what undoing the events one at a time, newest first, comes
// to; in one call, a record changed at every update of a large register is
// encoded and decoded once rather than once per event.
func (l changeLog) rollBack(entity Entity, id ID, record any) error {
	changes := l.changes[entityKey{entity, id}]
	if len(changes) == 0 {
		return nil
	}
	if err := rollBackRecord(record, changes); err != nil {
		return fmt.Errorf("reading the history of %s #%d: %w", entity, id, err)
	}
	return nil
}

// restoreDeleted rebuilds the records of a kind that were deleted after
// as-at, from the values their delete events kept, as they stood at the
// delete. The caller then rolls them back and decides whether they belong
// in the snapshot exactly as for records that still exist: a record typed
// in after as-at (the sample, a register set up late) is judged by its
// dates, not by when it was typed, whether or not it has since been deleted.
func restoreDeleted[T any](l changeLog, entity Entity, add func(T)) error {
	var keys []entityKey
	for k, changes := range l.deleted {
		if k.entity == entity && len(changes) > 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].id < keys[j].id })
	for _, k := range keys {
		var rec T
		if err := rebuild(&rec, l.deleted[k]); err != nil {
			return fmt.Errorf("reading the history of deleted %s #%d: %w", entity, k.id, err)
		}
		setID(&rec, k.id, l.created[k])
		// Changes made after as-at but before the delete are undone by
		// the caller's rollBack, which has them in order.
		add(rec)
	}
	return nil
}

// createdOfRestored sets when each finding rebuilt from its delete event
// was created, where the events read do not say: its creation came before
// the as-at date, or the history was read without creations
// (ForHistory). A delete event keeps every field but that. Such findings
// are few, and each one's trail is asked for on its own.
func (d registerData) createdOfRestored(findings []Finding) error {
	for i := range findings {
		f := &findings[i]
		if !f.Created.IsZero() || d.auditOf == nil {
			continue
		}
		events, err := d.auditOf(f.ID)
		if err != nil {
			return fmt.Errorf("reading the history of deleted finding %s: %w", f.Ref, err)
		}
		for _, e := range events {
			if e.Entity == EntityFinding && e.EntityID == f.ID && e.Action == ActionCreate {
				f.Created = e.At
				break
			}
		}
	}
	return nil
}

// rebuild sets rec from the before values of a delete event.
func rebuild(rec any, changes []FieldChange) error {
	m := map[string]json.RawMessage{}
	for _, c := range changes {
		if len(c.BeforeJSON) > 0 {
			m[c.Field] = c.BeforeJSON
		}
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, rec)
}

// setID gives a rebuilt record its ID and, for a finding typed in after
// as-at, the time it was created; the delete event keeps neither.
func setID(rec any, id ID, created time.Time) {
	switch r := rec.(type) {
	case *Finding:
		// The creation is among the events undone only when it came
		// after the as-at date; otherwise the deleted record's own
		// time stands.
		r.ID = id
		if !created.IsZero() {
			r.Created = created
		}
	case *Milestone:
		r.ID = id
	case *Evidence:
		r.ID = id
	case *Person:
		r.ID = id
	case *Report:
		r.ID = id
	}
}
