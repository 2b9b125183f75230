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
	refs := make(map[ID]string, len(findings))
	for _, f := range findings {
		refs[f.ID] = f.Ref
	}
	var out []LateUpdate
	for _, u := range updates {
		for _, r := range returns {
			if !u.Date.After(r.AsAt) && u.Recorded.After(r.Recorded) {
				ref := refs[u.FindingID]
				if ref == "" {
					ref = fmt.Sprintf("finding record %d", u.FindingID)
				}
				out = append(out, LateUpdate{Update: u, Ref: ref, Return: r})
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Update.Date.Before(out[j].Update.Date) })
	return out
}
