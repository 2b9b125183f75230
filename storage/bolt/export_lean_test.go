package bolt

import (
	"time"

	"improvementtracker/model"
)

// HistorySinceByWalk is HistorySince as it is read from a file without the
// index of the history by time, for the tests that compare the two.
func HistorySinceByWalk(rec model.Records, t time.Time) ([]model.AuditEvent, error) {
	return rec.(*records).historySinceByWalk(t)
}
