package bolt

import (
	"encoding/json"
	"time"

	"improvementtracker/model"
)

// HistorySinceByWalk is HistorySince as it is read from a file without the
// index of the history by time, for the tests that compare the two.
func HistorySinceByWalk(rec model.Records, t time.Time) ([]model.AuditEvent, error) {
	return rec.(*records).historySinceByWalk(t)
}

// EventJSON is a stored event's payload (inside its envelope) as JSON: the
// JSON it was stored from, for an event stored lean.
func EventJSON(payload []byte) ([]byte, error) {
	if !isLeanEvent(payload) {
		return payload, nil
	}
	var ev model.AuditEvent
	if err := decodeLeanEvent(payload, &ev); err != nil {
		return nil, err
	}
	return json.Marshal(ev)
}
