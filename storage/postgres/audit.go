package postgres

import (
	"slices"
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
	return r.auditWhere(func(ev model.AuditEvent) bool { return ev.At.After(t) },
		`SELECT id, body FROM `+table("audit")+` WHERE at >= $1 ORDER BY id`,
		t.Truncate(time.Microsecond))
}

// AuditBetween lists a finding's audit events recorded after after and by
// until, oldest first.
func (r *records) AuditBetween(findingID model.ID, after, until time.Time) ([]model.AuditEvent, error) {
	return r.auditWhere(func(ev model.AuditEvent) bool { return ev.At.After(after) && !ev.At.After(until) },
		`SELECT id, body FROM `+table("audit")+`
		WHERE finding_id = $1 AND at >= $2 AND at <= $3 ORDER BY id`,
		int64(findingID), after.Truncate(time.Microsecond), until.Truncate(time.Microsecond).Add(time.Microsecond))
}

// auditWhere lists the audit events a query of (id, body) selects, keeping
// those keep accepts by their own recorded time, for the reason above.
func (r *records) auditWhere(keep func(ev model.AuditEvent) bool, sql string, args ...any) ([]model.AuditEvent, error) {
	rows, err := r.tx.Query(r.ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	all, err := collect[model.AuditEvent](model.KindAudit, rows)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(ev model.AuditEvent) bool { return !keep(ev) }), nil
}
