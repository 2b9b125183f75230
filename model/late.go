package model

import (
	"fmt"
	"sort"
)

// LateUpdate is a progress update recorded after a return that should have
// included it was submitted: dated on or before the return's "as at" date,
// recorded after the return was. Recording late is legitimate (a lead back
// from leave types in what happened in February); it is shown, in the next
// return's changes, in check and in the finding's history, so that nobody
// can mistake it for what the submitted return said.
type LateUpdate struct {
	Update Update
	// Ref is the finding's reference.
	Ref string
	// Return is the first submitted return that did not include it.
	Return Submission
}

// String says it in a sentence.
func (l LateUpdate) String() string {
	by := ""
	if l.Update.Author != "" {
		by = " by " + l.Update.Author
	}
	return fmt.Sprintf("the progress update of %s on %s was recorded on %s%s, after the return for %s (as at %s) was submitted on %s, so that return does not include it",
		l.Update.Date, l.Ref, l.Update.Recorded.Local().Format("02/01/2006 15:04"), by,
		l.Return.Period, l.Return.AsAt, l.Return.Recorded.Local().Format("02/01/2006"))
}

// LateUpdates lists the progress updates recorded after a submitted return
// that should have included them, oldest update first.
func LateUpdates(findings []Finding, updates []Update, subs []Submission) []LateUpdate {
	l := NewLateFinder(subs)
	if l == nil {
		return nil
	}
	refs := make(map[ID]string, len(findings))
	for _, f := range findings {
		refs[f.ID] = f.Ref
	}
	for _, u := range updates {
		l.Add(u, refs[u.FindingID])
	}
	return l.Late()
}

// LateFinder is LateUpdates one update at a time, so that a register's
// updates need not all be held to find the few recorded late.
type LateFinder struct {
	returns []Submission
	out     []LateUpdate
}

// NewLateFinder starts looking for updates recorded after the returns among
// subs; nil when no return has been submitted, so none can be late (Add
// and Late take a nil LateFinder).
func NewLateFinder(subs []Submission) *LateFinder {
	var returns []Submission
	for _, s := range subs {
		if s.Kind == SubmissionReturn && !s.Recorded.IsZero() {
			returns = append(returns, s)
		}
	}
	if len(returns) == 0 {
		return nil
	}
	// The earliest "as at" first: an update is named against the first
	// return that should have held it.
	sort.SliceStable(returns, func(i, j int) bool { return returns[i].AsAt.Before(returns[j].AsAt) })
	return &LateFinder{returns: returns}
}

// Add looks at one update; ref is its finding's reference ("" when there
// is no such finding).
func (l *LateFinder) Add(u Update, ref string) {
	if l == nil {
		return
	}
	for _, r := range l.returns {
		if !u.Date.After(r.AsAt) && u.Recorded.After(r.Recorded) {
			if ref == "" {
				ref = fmt.Sprintf("finding record %d", u.FindingID)
			}
			l.out = append(l.out, LateUpdate{Update: u, Ref: ref, Return: r})
			return
		}
	}
}

// Late lists the late updates found, oldest update first.
func (l *LateFinder) Late() []LateUpdate {
	if l == nil {
		return nil
	}
	sort.SliceStable(l.out, func(i, j int) bool { return l.out[i].Update.Date.Before(l.out[j].Update.Date) })
	return l.out
}
