package export

import (
	"sort"
	"strings"
	"time"

	"improvementtracker/model"
)

// change is one thing that happened to a finding between two dates, as the
// "Changes this period" sheet and the briefing list it.
type change struct {
	date  model.Date
	ref   string
	title string
	what  string // "Status changed", "Target date revised", …
	from  string
	to    string
	// fromDate and toDate are from and to as dates, when they are dates,
	// so that the sheet's cells are real dates.
	fromDate, toDate model.Date
	detail           string
	by               string
	order            int // keeps changes on the same day in the order they happened
}

// The kinds of change, as written in the Change column.
const (
	changeNew          = "New finding"
	changeStatus       = "Status changed"
	changeRAG          = "RAG changed"
	changeClosed       = "Closed"
	changeTarget       = "Target date revised"
	changeMilestoneDue = "Milestone due date revised"
	changeMilestoneMet = "Milestone completed"
)

// localDate is the calendar date of an instant on this computer, which is
// how a person would date it.
func localDate(t time.Time) model.Date {
	if t.IsZero() {
		return model.Date{}
	}
	return model.DateOf(t.Local())
}

func within(d, first, last model.Date) bool {
	return !d.IsZero() && !d.Before(first) && !d.After(last)
}

// changesBetween lists what changed from first to last (inclusive) for the
// findings keep accepts, from the snapshot's updates, revisions and dates.
func changesBetween(s *model.Snapshot, first, last model.Date, keep func(model.Finding) bool) []change {
	var out []change
	add := func(c change) {
		c.order = len(out)
		out = append(out, c)
	}
	for _, f := range s.Findings {
		if keep != nil && !keep(f) {
			continue
		}
		title := f.DisplayTitle()
		base := change{ref: f.Ref, title: title}

		// A finding is new in the period it was raised (its report's
		// publication, unless raised later), not when it was typed in.
		published := model.Date{}
		if r, ok := s.Reports[f.ReportID]; ok {
			published = r.Published
		}
		switch raised := f.Raised; {
		case !raised.IsZero() && within(raised, first, last):
			c := base
			c.date, c.what, c.to = raised, changeNew, string(f.Type)
			c.detail = "Raised in " + s.Reports[f.ReportID].Title
			if raised == published {
				c.detail = "Published in " + s.Reports[f.ReportID].Title
			}
			add(c)
		case raised.IsZero() && within(published, first, last):
			c := base
			c.date, c.what, c.to = published, changeNew, string(f.Type)
			c.detail = "Published in " + s.Reports[f.ReportID].Title
			add(c)
		case raised.IsZero() && published.IsZero() && within(localDate(f.Created), first, last):
			c := base
			c.date, c.what, c.to = localDate(f.Created), changeNew, string(f.Type)
			c.detail = "Added to the register"
			add(c)
		}

		closed := false
		var prev *model.Update
		us := s.UpdatesOf(f.ID)
		for k := range us {
			u := &us[k]
			if within(u.Date, first, last) {
				c := base
				c.date, c.detail, c.by = u.Date, u.Narrative, u.Author
				prevStatus, prevRAG := "(no earlier update)", "(no earlier update)"
				if prev != nil {
					prevStatus, prevRAG = string(prev.Status), ragText(prev.RAG)
				}
				if u.Status != "" && (prev == nil || prev.Status != u.Status) {
					sc := c
					sc.what, sc.from, sc.to = changeStatus, prevStatus, string(u.Status)
					if u.Status == model.Closed {
						sc.what = changeClosed
						closed = true
					}
					add(sc)
				}
				if u.RAG != "" && (prev == nil || prev.RAG != u.RAG) {
					rc := c
					rc.what, rc.from, rc.to = changeRAG, prevRAG, string(u.RAG)
					add(rc)
				}
			}
			if u.Date.After(last) {
				break
			}
			prev = u
		}
		if !closed && f.Status == model.Closed && within(f.ClosedDate, first, last) {
			c := base
			c.date, c.what, c.to = f.ClosedDate, changeClosed, string(model.Closed)
			c.detail = f.InspectoratePosition
			add(c)
		}
		for _, r := range f.TargetRevisions {
			if d := r.Effective(); within(d, first, last) {
				c := base
				c.date, c.what, c.from, c.to = d, changeTarget, r.From.String(), r.To.String()
				c.fromDate, c.toDate = r.From, r.To
				c.detail = revisionReason(r)
				c.by = r.By
				add(c)
			}
		}
		for _, m := range s.MilestonesOf(f.ID) {
			for _, r := range m.Revisions {
				if d := r.Effective(); within(d, first, last) {
					c := base
					c.date, c.what, c.from, c.to = d, changeMilestoneDue, r.From.String(), r.To.String()
					c.fromDate, c.toDate = r.From, r.To
					c.detail = m.Title + ": " + revisionReason(r)
					c.by = r.By
					add(c)
				}
			}
			if within(m.Completed, first, last) {
				c := base
				c.date, c.what, c.to, c.toDate = m.Completed, changeMilestoneMet, m.Completed.String(), m.Completed
				c.detail = m.Title
				// Who recorded it done; before that was kept, the
				// milestone's owner, who did it.
				c.by = m.CompletedBy
				if c.by == "" {
					c.by = s.PersonLabel(m.OwnerID)
				}
				add(c)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := out[i].date.Compare(out[j].date); c != 0 {
			return c < 0
		}
		if out[i].ref != out[j].ref {
			return out[i].ref < out[j].ref
		}
		return out[i].order < out[j].order
	})
	return out
}

func revisionReason(r model.Revision) string {
	reason := strings.TrimSpace(r.Reason)
	if r.AgreedBy != "" {
		if reason != "" {
			reason += " "
		}
		reason += "(agreed by " + r.AgreedBy + ")"
	}
	return reason
}

func ragText(r model.RAG) string {
	if r == "" {
		return "Not rated"
	}
	return string(r)
}

// changeColumns are the columns of a sheet of changes.
var changeColumns = []column{
	{header: "Date", kind: dateCol},
	{header: "Ref", kind: textCol, max: 22},
	{header: "Title", kind: wrapCol, max: 20},
	{header: "Change", kind: wrapCol, max: 14},
	{header: "From", kind: wrapCol, max: 12},
	{header: "To", kind: wrapCol, max: 12},
	{header: "Detail", kind: wrapCol, max: 40},
	{header: "By", kind: wrapCol, max: 14},
}

func changeRows(cs []change) [][]any {
	rows := make([][]any, len(cs))
	for i, c := range cs {
		var from, to any = c.from, c.to
		if !c.fromDate.IsZero() {
			from = c.fromDate
		}
		if !c.toDate.IsZero() {
			to = c.toDate
		}
		rows[i] = []any{c.date, c.ref, c.title, c.what, from, to, c.detail, c.by}
	}
	return rows
}
