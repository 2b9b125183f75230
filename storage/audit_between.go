package storage

import (
	"bytes"
	"fmt"
	"time"

	"improvementtracker/model"
)

// AuditBetween lists a finding's audit events recorded after after and by
// until, oldest first: what Audit(findingID) gives, less the events outside
// that span. The finding's history index keeps each event's time, so the
// events outside the span are never read. model.TakeSnapshot uses it, when
// the store has it, to ask whether a finding's status was set by hand after
// its latest progress update: on a large register that question, asked of
// thousands of findings, otherwise reads most of the audit trail.
func (r *readTx) AuditBetween(findingID model.ID, after, until time.Time) ([]model.AuditEvent, error) {
	idx, err := r.bucket(bucketAuditByFinding)
	if err != nil {
		return nil, err
	}
	b, err := r.bucket(bucketAudit)
	if err != nil {
		return nil, err
	}
	var out []model.AuditEvent
	prefix := itob(uint64(findingID))
	c := idx.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if at, ok := readAuditTime(v); ok && (!at.After(after) || at.After(until)) {
			continue
		}
		id := k[8:]
		raw := b.Get(id)
		if raw == nil {
			return nil, fmt.Errorf("%w: the index %s names record %d, which is missing from %s", model.ErrDamaged, bucketAuditByFinding, btoi(id), r.s.path)
		}
		var ev model.AuditEvent
		if err := decode(bucketAudit, id, raw, &ev); err != nil {
			return nil, err
		}
		// An entry without a time (which the upgrade to version 3 leaves
		// none of) is judged by the event itself.
		if !ev.At.After(after) || ev.At.After(until) {
			continue
		}
		out = append(out, ev)
	}
	return out, nil
}
