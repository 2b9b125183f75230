package model

import "testing"

// TestSnapshotUndatedReportIncludesTrackedFindings: when the report has no
// publication date, a finding typed in after the as-at date is still in the
// snapshot if it has a progress update dated by then (the built-in sample is
// such a register), and is left out if it has none.
func TestSnapshotUndatedReportIncludesTrackedFindings(t *testing.T) {
	h := &history{}
	h.d.settings = Settings{ForceName: "Kent Police", RefPrefix: "KEN"}
	h.d.reports = []Report{{ID: 1, Title: "Kent Police PEEL 2021/22", Type: PEEL, Cycle: "2021/22"}}
	h.d.findings = []Finding{
		{ID: 1, Ref: "KEN-PEEL2122-AFI-01", ReportID: 1, Type: AFI, Status: InProgress, RAG: Red, Created: at("25/11/2026")},
		{ID: 2, Ref: "KEN-PEEL2122-AFI-02", ReportID: 1, Type: AFI, Status: NotStarted, Created: at("25/11/2026")},
	}
	h.d.updates = []Update{
		{ID: 1, FindingID: 1, Date: MustDate("12/12/2025"), Narrative: "Dip sample done.", Status: InProgress, RAG: Amber},
		{ID: 2, FindingID: 1, Date: MustDate("15/04/2026"), Narrative: "Overdue.", Status: InProgress, RAG: Red},
	}
	for _, f := range h.d.findings {
		h.event(f.Created, ActionCreate, EntityFinding, f.ID, Finding{}, f)
	}
	s := snap(t, h)
	if len(s.Findings) != 1 || s.Findings[0].ID != 1 {
		t.Fatalf("included %d findings, want only the one with an update dated by 31/12/2025", len(s.Findings))
	}
	if f := s.Findings[0]; f.RAG != Amber || len(s.Updates) != 1 {
		t.Errorf("finding 1 is %s with %d updates, want Amber and the one update dated by then", f.RAG, len(s.Updates))
	}
}
