package model

// Overdue reports whether a finding is overdue as at a date: it is open
// (awaiting allocation, not started or in progress) and its current target
// is before that date. A finding whose work is done (complete pending
// sign-off, closure proposed) or has ended is never overdue: a reader
// seeing "Blue, 365 days overdue" is told two contradictory things. Those
// findings show their closure dates instead.
func Overdue(f Finding, asAt Date) bool {
	return f.Type.Tracked() && f.Status.IsOpen() &&
		!f.CurrentTarget.IsZero() && f.CurrentTarget.Before(asAt)
}

// DaysOverdue returns how many days a finding is overdue as at a date, or 0
// when it is not.
func DaysOverdue(f Finding, asAt Date) int {
	if !Overdue(f, asAt) {
		return 0
	}
	return f.CurrentTarget.DaysUntil(asAt)
}

// RevisionCount returns how many times a finding's target date had moved by
// the end of a date.
func RevisionCount(f Finding, asAt Date) int {
	return countRevisions(f.TargetRevisions, asAt)
}

// MilestoneOverdue reports whether a milestone is overdue as at a date.
func MilestoneOverdue(m Milestone, asAt Date) bool {
	return m.Completed.IsZero() && !m.CurrentDue.IsZero() && m.CurrentDue.Before(asAt)
}

// MilestoneSlipped reports whether a milestone's due date had moved by the
// as-at date, or it was overdue then: what a briefing calls slipped.
func MilestoneSlipped(m Milestone, asAt Date) bool {
	return countRevisions(m.Revisions, asAt) > 0 || MilestoneOverdue(m, asAt)
}

// countRevisions counts the revisions that had taken effect by asAt.
func countRevisions(revs []Revision, asAt Date) int {
	n := 0
	for _, r := range revs {
		if !r.Effective().After(asAt) {
			n++
		}
	}
	return n
}

// DueWithin reports whether an open finding's current target falls in the
// days after asAt (inclusive of asAt itself).
func DueWithin(f Finding, asAt Date, days int) bool {
	if !f.Type.Tracked() || !f.Status.IsOpen() || f.CurrentTarget.IsZero() {
		return false
	}
	return !f.CurrentTarget.Before(asAt) && !f.CurrentTarget.After(asAt.AddDays(days))
}
