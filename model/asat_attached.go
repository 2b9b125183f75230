package model

import (
	"cmp"
	"time"
)

// A snapshot's milestones and evidence: what is attached to its findings,
// kept when its finding is in the snapshot and it stood by the as-at date.

// snapshotMilestones puts into s the milestones of its findings as they
// stood at asAt, grouped by finding and each finding's by due date.
func (d registerData) snapshotMilestones(s *Snapshot, later changeLog, asAt Date) error {
	milestones := d.milestones
	if err := restoreDeleted(later, EntityMilestone, func(m Milestone) { milestones = append(milestones, m) }); err != nil {
		return err
	}
	// Kept in place, as the updates are: the slice is ours.
	s.Milestones = milestones[:0]
	for i := range milestones {
		// Rolled back where it lies, as the findings are.
		cur := milestones[i]
		if err := later.rollBack(EntityMilestone, cur.ID, &milestones[i]); err != nil {
			return err
		}
		m := milestones[i]
		effectiveMilestone(&m, cur)
		if _, ok := s.byID[m.FindingID]; !ok {
			continue
		}
		m.Version = 0
		m.CurrentDue, m.Revisions = trimRevisions(m.CurrentDue, m.Revisions, asAt)
		if m.Completed.After(asAt) {
			m.Completed, m.Outcome, m.CarriedTo = Date{}, "", 0
		}
		s.Milestones = append(s.Milestones, m)
	}
	clear(milestones[len(s.Milestones):])
	s.Milestones = trimKept(s.Milestones)
	// Grouped by finding in the order of Findings, then each finding's
	// few ordered: far less work than one sort of them all.
	groupByFinding(s.Milestones, func(m *Milestone) ID { return m.FindingID }, s.byID, len(s.Findings))
	inRuns(s.Milestones, func(m *Milestone) ID { return m.FindingID }, func(a, b *Milestone) int {
		if c := a.CurrentDue.Compare(b.CurrentDue); c != 0 {
			// Undated milestones go last.
			if a.CurrentDue.IsZero() || b.CurrentDue.IsZero() {
				return cmp.Compare(zeroLast(a.CurrentDue), zeroLast(b.CurrentDue))
			}
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return nil
}

// snapshotEvidence puts into s the evidence of its findings that had
// taken effect by asAt (or been added by end, when it has no date).
func (d registerData) snapshotEvidence(s *Snapshot, later changeLog, asAt Date, end time.Time) error {
	evidence := d.evidence
	if err := restoreDeleted(later, EntityEvidence, func(e Evidence) { evidence = append(evidence, e) }); err != nil {
		return err
	}
	s.Evidence = evidence[:0]
	for i := range evidence {
		// Rolled back where it lies, as the findings are.
		if err := later.rollBack(EntityEvidence, evidence[i].ID, &evidence[i]); err != nil {
			return err
		}
		e := evidence[i]
		if _, ok := s.byID[e.FindingID]; !ok {
			continue
		}
		if e.EffectiveDate.IsZero() {
			if e.Added.After(end) {
				continue
			}
		} else if e.EffectiveDate.After(asAt) {
			continue
		}
		s.Evidence = append(s.Evidence, e)
	}
	clear(evidence[len(s.Evidence):])
	s.Evidence = trimKept(s.Evidence)
	groupByFinding(s.Evidence, func(e *Evidence) ID { return e.FindingID }, s.byID, len(s.Findings))
	inRuns(s.Evidence, func(e *Evidence) ID { return e.FindingID }, func(a, b *Evidence) int {
		if c := a.EffectiveDate.Compare(b.EffectiveDate); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return nil
}
