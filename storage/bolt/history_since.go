package bolt

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"improvementtracker/internal/parallel"
	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

var _ model.HistorySincer = (*records)(nil)

// historySinceByWalk is HistorySince for a file without the index of the
// history by time: the events are found as AuditSince finds them, every
// checksum verified, but the changes of an event that are not needed (a
// progress update's narrative, most of a large trail) are passed over, not
// decoded.
func (r *records) historySinceByWalk(t time.Time) ([]model.AuditEvent, error) {
	keys, vals, err := r.eventsSince(t)
	if err != nil {
		return nil, err
	}
	out, err := parallel.Decode(len(vals), func(i int, out *model.AuditEvent) error {
		return r.decodeHistory(keys[i], vals[i], out)
	}, unreadable(bucketAudit))
	if err != nil {
		return nil, err
	}
	// Oldest first, as ForHistory takes them.
	slices.Reverse(out)
	return model.ForHistory(out), nil
}

// decodeHistory decodes one stored event, passing over its changes when
// they are not needed and the event is in the plain form; otherwise in full,
// as decode does.
func (r *records) decodeHistory(key, raw []byte, e *model.AuditEvent) error {
	payload, err := unseal(bucketAudit, key, raw)
	if err == nil && isLeanEvent(payload) {
		err = decodeLeanEvent(payload, e)
	} else if err == nil {
		if recjson.EventHeads(payload, e) {
			return nil
		}
		*e = model.AuditEvent{}
		if err = json.Unmarshal(payload, e); err != nil {
			err = fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
		}
	}
	if err != nil {
		return r.damage(bucketAudit, key, payload, err)
	}
	return nil
}
