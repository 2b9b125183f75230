package model

import "time"

// A snapshot asks, of each finding whose status or RAG differs from its
// latest progress update's, whether it was set on the finding directly
// after that update: one question of the audit trail per finding. On a file
// each is a lookup; on a server each is a round trip, and a large register
// asks thousands. So the questions can be asked together.

// AuditSpan asks for one finding's audit events recorded after After.
type AuditSpan struct {
	FindingID ID
	After     time.Time
}

// AuditSpanner is a ReadTx, or Records, that answers many AuditBetween
// questions at once: each span's finding's audit events recorded after its
// After and by until, oldest first, by finding. TakeSnapshot uses it when
// the transaction has it.
type AuditSpanner interface {
	AuditSpans(spans []AuditSpan, until time.Time) (map[ID][]AuditEvent, error)
}

var _ AuditSpanner = (*reader)(nil)

// AuditSpans answers from the store in one go when it can, and otherwise
// one span at a time.
func (r *reader) AuditSpans(spans []AuditSpan, until time.Time) (map[ID][]AuditEvent, error) {
	if as, ok := r.rec.(AuditSpanner); ok {
		return as.AuditSpans(spans, until)
	}
	out := make(map[ID][]AuditEvent, len(spans))
	for _, sp := range spans {
		events, err := r.AuditBetween(sp.FindingID, sp.After, until)
		if err != nil {
			return nil, err
		}
		out[sp.FindingID] = events
	}
	return out, nil
}
