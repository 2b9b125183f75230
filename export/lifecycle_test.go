package export_test

import (
	"strings"
	"testing"

	"improvementtracker/export"
	"improvementtracker/model"
)

// TestSampleQ3Return2627 reads the sample's Q3 2026/27 return as a reader
// would: no finding is new (all were raised in 2022), nothing in the
// closure process shows days overdue, each row's status and RAG agree,
// and the closure story (rationale, dates, the inspectorate's position as
// at the date) is on the return.
func TestSampleQ3Return2627(t *testing.T) {
	s, _ := sampleStore(t)
	q := model.Quarter{StartYear: 2026, Q: 3}
	w, path := buildReturn(t, s, export.ReturnOptions{Period: q})
	defer w.Close()
	f := openBook(t, path)
	defer f.Close()

	if r := findRow(t, f, export.SheetSummary, export.FigureNew); r == 0 {
		t.Fatal("the Summary has no count of new findings")
	} else if got := cell(t, f, export.SheetSummary, 2, r); got != "0" {
		t.Errorf("%s = %s, want 0: the report was published in 2022", export.FigureNew, got)
	}
	head, rows := table(t, f, export.SheetReturn)
	colOf(t, head, export.ColClosureRationale)
	colOf(t, head, export.ColClosed)
	seen := map[model.Status]int{}
	for _, r := range rows {
		st := model.Status(r[export.ColStatus])
		seen[st]++
		if !st.IsOpen() && r[export.ColDaysOverdue] != "" {
			t.Errorf("%s is %s but shows %s days overdue", r[export.ColRef], st, r[export.ColDaysOverdue])
		}
		if p := model.RAGFits(st, model.RAG(r[export.ColRAG])); p != "" {
			t.Errorf("%s: %s", r[export.ColRef], p)
		}
		if st.InClosure() || st.IsFinal() {
			if !strings.HasPrefix(r[export.ColNextMilestone], "Closure proposed") && !strings.HasPrefix(r[export.ColNextMilestone], "Complete") {
				t.Errorf("%s (%s): next milestone reads %q, want where its closure stands", r[export.ColRef], st, r[export.ColNextMilestone])
			}
		}
		if st == model.ClosureProposed && (r[export.ColClosureRationale] == "" || r[export.ColClosureProposed] == "") {
			t.Errorf("%s is proposed for closure without its rationale or date: %q %q", r[export.ColRef], r[export.ColClosureRationale], r[export.ColClosureProposed])
		}
	}
	if seen[model.CompletePending]+seen[model.ClosureProposed] == 0 {
		t.Errorf("the sample's Q3 2026/27 return has no finding in the closure process to check: %v", seen)
	}
}

// TestSampleQ1Return2627Position: the inspectorate agreed AFI-03's closure
// on 30/09/2026, so the Q1 2026/27 return (as at 30/06/2026) shows it still
// proposed, with no agreement and no position dated after the as-at date.
func TestSampleQ1Return2627Position(t *testing.T) {
	s, _ := sampleStore(t)
	w, path := buildReturn(t, s, export.ReturnOptions{Period: model.Quarter{StartYear: 2026, Q: 1}})
	defer w.Close()
	f := openBook(t, path)
	defer f.Close()
	_, rows := table(t, f, export.SheetReturn)
	for _, r := range rows {
		if r[export.ColRef] != "KEN-PEEL2122-AFI-03" {
			continue
		}
		if r[export.ColStatus] == string(model.Closed) || r[export.ColClosed] != "" || strings.Contains(r[export.ColInspectoratePosition], "30/09/2026") {
			t.Errorf("as at 30/06/2026 AFI-03 reads %q, agreed %q, position %q", r[export.ColStatus], r[export.ColClosed], r[export.ColInspectoratePosition])
		}
		return
	}
	t.Fatal("AFI-03 is not on the Q1 2026/27 return")
}
