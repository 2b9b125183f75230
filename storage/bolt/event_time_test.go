package bolt

import (
	"encoding/json"
	"testing"
	"time"

	"improvementtracker/model"
)

// TestEventTime checks that the time read from the start of a stored audit
// event is the one decoding gives, and that a record in any other shape is
// left to be decoded in full.
func TestEventTime(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2025, 11, 24, 9, 30, 0, 0, time.UTC),
		time.Date(2025, 6, 1, 23, 59, 59, 999999999, time.FixedZone("BST", 3600)),
		{},
	} {
		raw, err := json.Marshal(model.AuditEvent{ID: 123456, At: at, Who: "x", Summary: `"at":"2001-01-01T00:00:00Z"`})
		if err != nil {
			t.Fatal(err)
		}
		got, ok := eventTime(raw)
		if !ok || !got.Equal(at) {
			t.Errorf("eventTime(%s) = %v, %v; want %v", raw, got, ok, at)
		}
	}
	for _, raw := range []string{``, `{}`, `{"id":,"at":"2025-01-01T00:00:00Z"}`, `{"at":"2025-01-01T00:00:00Z","id":1}`,
		`{"id":1,"at":"yesterday"}`, `{"id":1,"at":"2025-01-01T00:00:00Z`} {
		if _, ok := eventTime([]byte(raw)); ok {
			t.Errorf("eventTime(%s) read a time from a record not in the encoder's shape", raw)
		}
	}
}
