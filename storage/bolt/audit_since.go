package bolt

import (
	"slices"
	"time"

	"improvementtracker/model"
)

// auditClockSlack is how far back past the asked-for instant AuditSince
// keeps reading. Events are keyed by a sequence that grows as they are
// written, so their times grow too, unless the computer's clock was put
// back; reading a day further than needed covers a clock corrected by up
// to a day.
const auditClockSlack = 24 * time.Hour

// AuditSince lists the audit events recorded after t, oldest first. It
// reads backwards from the newest event and stops once events are well
// before t, so that "the register as it stood" at a recent date does not
// decode the whole trail. model.TakeSnapshot uses it when the store has it.
func (r *records) AuditSince(t time.Time) ([]model.AuditEvent, error) {
	keys, vals, err := r.eventsSince(t)
	if err != nil {
		return nil, err
	}
	out, err := decodeParallel[model.AuditEvent](r, bucketAudit, keys, vals)
	if err != nil {
		return nil, err
	}
	slices.Reverse(out)
	return out, nil
}

// eventsSince finds the stored audit events recorded after t, newest
// first, without decoding them.
func (r *records) eventsSince(t time.Time) (keys, vals [][]byte, err error) {
	b, err := r.bucket(bucketAudit)
	if err != nil {
		return nil, nil, err
	}
	stop := t.Add(-auditClockSlack)
	// The events kept, newest first, are decoded together at the end, on
	// every core: an as-at date before a register was typed in keeps the
	// whole trail.
	c := b.Cursor()
	for k, v := c.Last(); k != nil; k, v = c.Prev() {
		// Most events read here are passed over (a register typed in
		// on one day has all of them within the slack): their time is
		// read from the start of the record, and only those kept are
		// decoded in full.
		// The checksum is verified on every event read, even those
		// passed over: a damaged time would otherwise stop the walk in
		// the wrong place without a word.
		payload, err := unseal(bucketAudit, k, v)
		if err != nil {
			return nil, nil, r.damage(bucketAudit, k, payload, err)
		}
		at, ok := eventTime(payload)
		if !ok {
			var ev model.AuditEvent
			if err := r.decode(bucketAudit, k, v, &ev); err != nil {
				return nil, nil, err
			}
			at = ev.At
		}
		if !at.After(stop) {
			break
		}
		if at.After(t) {
			keys, vals = append(keys, k), append(vals, v)
		}
	}
	return keys, vals, nil
}
