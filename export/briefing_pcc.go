package export

import (
	"fmt"
	"sort"

	"improvementtracker/model"
)

// pccNoticeDays is how far ahead the briefing lists a PCC response that
// falls due: a chief officer briefed monthly hears of it before it is late.
const pccNoticeDays = 28

// PCCResponsesOwed lists the reports whose Police and Crime Commissioner's
// response is due within pccNoticeDays of asAt, or overdue, and not
// recorded as published by then: the reports of snap, or, when portfolio
// is set, only those with findings in snap.
func PCCResponsesOwed(snap *model.Snapshot, portfolio bool) []model.Report {
	with := map[model.ID]bool{}
	for _, f := range snap.Findings {
		with[f.ReportID] = true
	}
	var out []model.Report
	for _, r := range snap.Reports {
		due := r.PCCResponseDue()
		if due.IsZero() || (portfolio && !with[r.ID]) || !r.PCCResponseOwed(snap.AsAt) || snap.AsAt.DaysUntil(due) > pccNoticeDays {
			continue
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PCCResponseDue().Before(out[j].PCCResponseDue()) })
	return out
}

// pccSection lists the PCC responses due or overdue; a briefing with none
// owed has no such section.
func (bw *briefingWriter) pccSection(portfolio bool) error {
	owed := PCCResponsesOwed(bw.snap, portfolio)
	if len(owed) == 0 {
		return nil
	}
	var rows [][]any
	for _, r := range owed {
		due := r.PCCResponseDue()
		var days any
		state := fmt.Sprintf("Due in %d days; not yet recorded as published.", bw.snap.AsAt.DaysUntil(due))
		if d := due.DaysUntil(bw.snap.AsAt); d > 0 {
			days = d
			state = "Overdue: no published response is recorded."
		}
		rows = append(rows, []any{r.RefCode(), r.Title, r.Force, nil, due, days, nil,
			fmt.Sprintf("Published %s. %s", r.Published, state)})
	}
	return bw.section("PCC responses due or overdue", []column{{header: "Report"}, {header: "Title"}, {header: "Force"},
		{header: ""}, {header: "Due"}, {header: "Days overdue"}, {header: ""}, {header: "State"}},
		rows, "", -1)
}
