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
	// Late are the progress updates recorded since the last return was
	// submitted that a submitted return should have included (dated on or
	// before its "as at" date): the next return names them.
	Late []model.LateUpdate
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
	late, err := lateSince(tx, snap, subs, asAt)
	if err != nil {
		return Source{}, fmt.Errorf("reading the updates recorded since the last return: %w", err)
	}
	return Source{Snapshot: snap, Submissions: subs, Late: late}, nil
}

// lateSince lists the progress updates recorded since the last return
// before asAt was submitted that a submitted return should have held. It
// reads only the history since that return, and the updates of the
// findings it names, so that a large register's return does not read
// every update to find the few typed in late.
func lateSince(tx model.ReadTx, snap *model.Snapshot, subs []model.Submission, asAt model.Date) ([]model.LateUpdate, error) {
	last := lastSubmission(subs, model.SubmissionReturn, asAt, "")
	if last == nil {
		return nil, nil
	}
	var events []model.AuditEvent
	var err error
	if as, ok := tx.(model.AuditSincer); ok {
		events, err = as.AuditSince(last.Recorded)
	} else {
		events, err = tx.Audit(0)
	}
	if err != nil {
		return nil, err
	}
	var updates []model.Update
	seen := map[model.ID]bool{}
	for _, ev := range events {
		if ev.Entity != model.EntityUpdate || ev.Action != model.ActionCreate || !ev.At.After(last.Recorded) || seen[ev.FindingID] {
			continue
		}
		seen[ev.FindingID] = true
		us, err := tx.Updates(ev.FindingID)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			if u.Recorded.After(last.Recorded) {
				updates = append(updates, u)
			}
		}
	}
	return model.LateUpdates(snap.Findings, updates, subs), nil
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
