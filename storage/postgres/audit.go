package postgres

import (
	"time"

	"improvementtracker/model"
)

// The audit table keeps each event's time in a column of its own, indexed,
// so that the as-at register reads only the events it needs.
//
// PostgreSQL keeps times to the microsecond and Go to the nanosecond: the
// query asks for a span a microsecond wider than the one wanted, and the
// events are then judged by their own recorded time, so that the answer is
// exactly what filtering the whole trail would give.

// AuditSince lists the audit events recorded after t, oldest first (in the
// order they were recorded, as Audit(0) lists them).
func (r *records) AuditSince(t time.Time) ([]model.AuditEvent, error) {
	rows, err := r.tx.Query(r.ctx, `SELECT id, body FROM `+table("audit")+` WHERE at >= $1 ORDER BY id`,
		t.Truncate(time.Microsecond))
	if err != nil {
		return nil, err
	}
	all, err := collect[model.AuditEvent](model.KindAudit, rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, ev := range all {
		if ev.At.After(t) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// AuditBetween lists a finding's audit events recorded after after and by
// until, oldest first.
func (r *records) AuditBetween(findingID model.ID, after, until time.Time) ([]model.AuditEvent, error) {
	rows, err := r.tx.Query(r.ctx, `SELECT id, body FROM `+table("audit")+`
		WHERE finding_id = $1 AND at >= $2 AND at <= $3 ORDER BY id`,
		int64(findingID), after.Truncate(time.Microsecond), until.Truncate(time.Microsecond).Add(time.Microsecond))
	if err != nil {
		return nil, err
	}
	all, err := collect[model.AuditEvent](model.KindAudit, rows)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, ev := range all {
		if ev.At.After(after) && !ev.At.After(until) {
			out = append(out, ev)
		}
	}
	return out, nil
}
