package export

import (
	"errors"
	"fmt"
	"time"

	"improvementtracker/model"
)

// Source is what a workbook is built from: the register as it stood at the
// workbook's as-at date, and the returns and briefings recorded as
// submitted, which the workbook compares itself with. Exports read nothing
// else, so they work the same over any store.
type Source struct {
	Snapshot    *model.Snapshot
	Submissions []model.Submission
}

// ReadSource reads, in the caller's transaction, the source of a workbook
// as at asAt.
func ReadSource(tx model.ReadTx, asAt model.Date) (Source, error) {
	return ReadSourceFrom(tx, asAt, model.Date{})
}

// ReadSourceFrom is ReadSource holding the progress updates dated from
// narrativesFrom, with their narratives, and of the earlier ones each
// finding's latest only, as model.SnapshotOptions says: a return prints
// those of its period and compares them with the update before, and the
// others are most of a large register's memory.
func ReadSourceFrom(tx model.ReadTx, asAt, narrativesFrom model.Date) (Source, error) {
	snap, err := model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: narrativesFrom, UpdatesFrom: narrativesFrom})
	if err != nil {
		return Source{}, fmt.Errorf("reading the register as at %s: %w", asAt, err)
	}
	subs, err := tx.Submissions()
	if err != nil {
		return Source{}, fmt.Errorf("reading the submissions: %w", err)
	}
	return Source{Snapshot: snap, Submissions: subs}, nil
}

// holdsNarrativesFrom refuses a source read without the updates dated
// from first or their narratives.
func (s Source) holdsNarrativesFrom(first model.Date) error {
	if from := s.Snapshot.NarrativesFrom; !from.IsZero() && from.After(first) {
		return fmt.Errorf("the register was read without the progress narratives from %s", first)
	}
	if from := s.Snapshot.UpdatesFrom; !from.IsZero() && from.After(first) {
		return fmt.Errorf("the register was read without the progress updates from %s", first)
	}
	return nil
}

// check refuses a source read for another date than the workbook's.
func (s Source) check(asAt model.Date) error {
	if s.Snapshot == nil {
		return errors.New("the register has not been read")
	}
	if s.Snapshot.AsAt != asAt {
		return fmt.Errorf("the register was read as at %s, not as at %s", s.Snapshot.AsAt, asAt)
	}
	return nil
}

// clock is now, or the computer's clock when now is zero.
func clock(now time.Time) time.Time {
	if now.IsZero() {
		return time.Now()
	}
	return now
}
