package bolt

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
func (r *records) AuditBetween(findingID model.ID, after, until time.Time) ([]model.AuditEvent, error) {
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
		if err := r.decode(bucketAudit, id, raw, &ev); err != nil {
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

// eventPrefix is how the encoder starts every stored audit event: its ID
// and then its time, the first two fields of model.AuditEvent.
var eventPrefix = []byte(`{"id":`)

// eventTime reads an audit event's time from the start of its stored
// record's payload (inside its envelope) without decoding the rest; ok is false when the record does not
// start as the encoder writes it, and the caller decodes it in full.
func eventTime(raw []byte) (t time.Time, ok bool) {
	if isLeanEvent(raw) {
		return leanEventTime(raw)
	}
	if !bytes.HasPrefix(raw, eventPrefix) {
		return time.Time{}, false
	}
	rest := raw[len(eventPrefix):]
	i := 0
	for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
		i++
	}
	rest, ok = bytes.CutPrefix(rest[i:], []byte(`,"at":"`))
	if i == 0 || !ok {
		return time.Time{}, false
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, string(rest[:end]))
	return t, err == nil
}
