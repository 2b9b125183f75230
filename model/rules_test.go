package model_test

import (
	"testing"
	"time"

	"improvementtracker/model"
)

func TestOverdue(t *testing.T) {
	asAt := model.MustDate("31/12/2025")
	tests := map[string]struct {
		status model.Status
		typ    model.FindingType
		target string
		want   int // days overdue; -1 means not overdue
	}{
		"before as-at":           {model.InProgress, model.AFI, "30/11/2025", 31},
		"on as-at":               {model.InProgress, model.AFI, "31/12/2025", -1},
		"after as-at":            {model.InProgress, model.AFI, "31/03/2026", -1},
		"no target":              {model.InProgress, model.AFI, "", -1},
		"closed":                 {model.Closed, model.AFI, "30/11/2025", -1},
		"superseded":             {model.Superseded, model.AFI, "30/11/2025", -1},
		"no further action":      {model.NoFurtherAction, model.AFI, "30/11/2025", -1},
		"closure proposed":       {model.ClosureProposed, model.AFI, "30/12/2025", -1},
		"complete pending":       {model.CompletePending, model.AFI, "30/12/2024", -1},
		"awaiting allocation":    {model.AwaitingAllocation, model.AFI, "30/12/2025", 1},
		"innovative practice":    {model.InProgress, model.InnovativePractice, "30/11/2025", -1},
		"recommendation overdue": {model.NotStarted, model.Recommendation, "31/12/2024", 365},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := model.Finding{Type: tc.typ, Status: tc.status}
			if tc.target != "" {
				f.CurrentTarget = model.MustDate(tc.target)
			}
			got := model.Overdue(f, asAt)
			if got != (tc.want >= 0) {
				t.Fatalf("Overdue = %v, want %v", got, tc.want >= 0)
			}
			wantDays := max(tc.want, 0)
			if d := model.DaysOverdue(f, asAt); d != wantDays {
				t.Fatalf("DaysOverdue = %d, want %d", d, wantDays)
			}
		})
	}
}

func TestRevisionCountAsAt(t *testing.T) {
	at := func(s string) time.Time { return model.MustDate(s).Time().Add(10 * time.Hour) }
	f := model.Finding{TargetRevisions: []model.Revision{
		{To: model.MustDate("30/06/2025"), Reason: "a", AgreedBy: "x", At: at("01/03/2025")},
		{To: model.MustDate("30/09/2025"), Reason: "b", AgreedBy: "x", At: at("31/12/2025")},
		{To: model.MustDate("31/03/2026"), Reason: "c", AgreedBy: "x", At: at("02/01/2026")},
	}}
	for asAt, want := range map[string]int{"28/02/2025": 0, "01/03/2025": 1, "31/12/2025": 2, "01/06/2026": 3} {
		if got := model.RevisionCount(f, model.MustDate(asAt)); got != want {
			t.Errorf("RevisionCount as at %s = %d, want %d", asAt, got, want)
		}
	}
}

func TestMilestonesAndDueWithin(t *testing.T) {
	asAt := model.MustDate("01/02/2026")
	m := model.Milestone{CurrentDue: model.MustDate("31/01/2026")}
	if !model.MilestoneOverdue(m, asAt) || !model.MilestoneSlipped(m, asAt) {
		t.Error("an incomplete milestone past its date is overdue and slipped")
	}
	m.Completed = model.MustDate("30/01/2026")
	if model.MilestoneOverdue(m, asAt) || model.MilestoneSlipped(m, asAt) {
		t.Error("a completed milestone is neither overdue nor slipped")
	}
	m.Revisions = []model.Revision{{To: m.CurrentDue, Reason: "r", AgreedBy: "x"}}
	if !model.MilestoneSlipped(m, asAt) {
		t.Error("a milestone whose date moved has slipped")
	}
	f := model.Finding{Type: model.AFI, Status: model.InProgress, CurrentTarget: asAt.AddDays(30)}
	if !model.DueWithin(f, asAt, 30) || model.DueWithin(f, asAt, 29) {
		t.Error("DueWithin edges wrong")
	}
}

func TestReportDerived(t *testing.T) {
	r := model.Report{Type: model.PEEL, Cycle: "2021/22", Published: model.MustDate("02/09/2022")}
	if got := r.PCCResponseDue(); got != model.MustDate("28/10/2022") {
		t.Errorf("PCC response due = %v", got)
	}
	if got := r.RefCode(); got != "PEEL2122" {
		t.Errorf("RefCode = %q", got)
	}
	if got := (model.Report{Type: model.ChildProtection, Cycle: "2024"}).RefCode(); got != "CHILDPROTECTION2024" {
		t.Errorf("RefCode = %q", got)
	}
}
