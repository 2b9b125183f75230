package app

import (
	"strings"
	"testing"

	"improvementtracker/model"
)

// A person's milestones are listed with their finding's reference, and an
// overdue one says so.
func TestHoldingsNameTheFindingAndMarkOverdue(t *testing.T) {
	h := holdings{
		milestones: []model.Milestone{
			{FindingID: 7, Title: "Monthly RUI dashboard", CurrentDue: model.MustDate("30/06/2026")},
			{FindingID: 7, Title: "Publish the policy", CurrentDue: model.MustDate("31/10/2025"), Completed: model.MustDate("03/02/2026")},
		},
		refs:  map[model.ID]string{7: "KEN-PEEL2122-AFI-16"},
		today: model.MustDate("01/12/2026"),
	}
	got := holdingsText(h)
	for _, want := range []string{
		"KEN-PEEL2122-AFI-16  Monthly RUI dashboard — OVERDUE by 154 days: due 30/06/2026",
		"KEN-PEEL2122-AFI-16  Publish the policy — completed 03/02/2026",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("holdings read\n%s\nwant a line %q", got, want)
		}
	}
}

// The history brackets a note once: "(reason: …, agreed by …)", never
// "… (agreed by …))".
func TestFlattenAgreed(t *testing.T) {
	tests := map[string]string{
		"reason: Waiting (agreed by Force Improvement Board, 28/11/2026)":                   "reason: Waiting, agreed by Force Improvement Board, 28/11/2026",
		"reason: Legal review (agreed by Assistant Chief Constable (Crime)); loaded sample": "reason: Legal review, agreed by Assistant Chief Constable (Crime); loaded sample",
		"loaded the Kent PEEL 2021/22 sample":                                               "loaded the Kent PEEL 2021/22 sample",
		"reason: open (agreed by nobody":                                                    "reason: open (agreed by nobody",
	}
	for in, want := range tests {
		if got := flattenAgreed(in); got != want {
			t.Errorf("%q became %q, want %q", in, got, want)
		}
	}
	if got := lowerFirst("Status changed"); got != "status changed" {
		t.Errorf("lowerFirst gives %q", got)
	}
	if got := lowerFirst("RAG changed"); got != "RAG changed" {
		t.Errorf("lowerFirst changes an acronym: %q", got)
	}
}
