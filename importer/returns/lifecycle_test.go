package returns_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"improvementtracker/importer/returns"
	"improvementtracker/model"
)

// TestReturnHeldToTheLifecycle: a returned spreadsheet is held to the rules
// the finding editor obeys. Each refused change is listed as a problem in
// words against its row, and is not offered for import; the sample as at Q3
// 2026/27 has AFI-16 in progress (Red), AFI-13 in progress (Green, no
// milestones) and AFI-08 in progress with a milestone still open.
func TestReturnHeldToTheLifecycle(t *testing.T) {
	tests := map[string]struct {
		ref   string
		cells map[string]string // column header → new value
		want  string            // words the problem must hold; "" means allowed
	}{
		"in progress straight to closed": {"KEN-PEEL2122-AFI-16", map[string]string{"Status": "Closed (inspectorate agreed)"}, "closing is two-stage"},
		"complete, and red made green":   {"KEN-PEEL2122-AFI-16", map[string]string{"Status": "Complete – pending internal sign-off", "RAG": "Green"}, "contradict"},
		"open but blue":                  {"KEN-PEEL2122-AFI-13", map[string]string{"RAG": "Blue"}, "Blue means complete"},
		"closure with a milestone open":  {"KEN-PEEL2122-AFI-08", map[string]string{"Status": "Closure proposed to the inspectorate"}, "milestones are open"},
		"target moved with no reason":    {"KEN-PEEL2122-AFI-13", map[string]string{"Current target": "31/03/2027"}, "with no reason"},
		"complete, RAG left as it was":   {"KEN-PEEL2122-AFI-13", map[string]string{"Status": "complete"}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s, _, path := setup(t, "")
			before, beforeUpdates := finding(t, s, tc.ref)
			edit(t, path, "", func(r, _ *sheet) {
				row := r.row(r.col("Ref"), tc.ref)
				for header, v := range tc.cells {
					if header == "Current target" {
						d := model.MustDate(v)
						r.set(r.col(header), row, time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
						continue
					}
					r.set(r.col(header), row, v)
				}
			})
			ret, err := returns.ReadFile(path, "")
			if err != nil {
				t.Fatal(err)
			}
			d, err := returns.Compare(s, ret)
			if err != nil {
				t.Fatal(err)
			}
			var problems []string
			for _, p := range d.Problems {
				if p.Ref == tc.ref {
					problems = append(problems, p.What)
				}
			}
			if tc.want == "" {
				if len(problems) > 0 {
					t.Fatalf("an allowed change was refused: %q", problems)
				}
				if _, err := d.Apply(s, "Delivery lead"); err != nil {
					t.Fatal(err)
				}
				f, _ := finding(t, s, tc.ref)
				if f.Status != model.CompletePending || f.RAG != model.Blue {
					t.Errorf("after the import %s is %s / %s, want complete pending sign-off and Blue", tc.ref, f.Status, f.RAG)
				}
				return
			}
			if len(problems) != 1 || !strings.Contains(problems[0], tc.want) {
				t.Fatalf("problems for %s = %q, want one saying %q", tc.ref, problems, tc.want)
			}
			for _, fd := range d.Findings {
				if fd.Ref != tc.ref {
					continue
				}
				for _, c := range fd.Changes {
					if c.Kind == returns.KindStatus || c.Kind == returns.KindRAG || c.Kind == returns.KindTarget {
						t.Errorf("the refused change is still offered: %+v", c)
					}
				}
			}
			if _, ticked := d.Count(); ticked > 0 {
				if _, err := d.Apply(s, "Delivery lead"); err != nil {
					t.Fatal(err)
				}
			}
			after, afterUpdates := finding(t, s, tc.ref)
			if after.Status != before.Status || after.RAG != before.RAG || after.CurrentTarget != before.CurrentTarget || len(afterUpdates) != len(beforeUpdates) {
				t.Errorf("a refused change reached the register: %s/%s target %s, %d updates; was %s/%s target %s, %d updates",
					after.Status, after.RAG, after.CurrentTarget, len(afterUpdates), before.Status, before.RAG, before.CurrentTarget, len(beforeUpdates))
			}
		})
	}
}

// TestFormulaWithoutResultListed: a status typed as a formula that no
// program has calculated reads as empty; it is listed as a problem in
// words, not passed over as "no change".
func TestFormulaWithoutResultListed(t *testing.T) {
	_, _, path := setup(t, "")
	edit(t, path, "", func(r, _ *sheet) {
		row := r.row(r.col("Ref"), "KEN-PEEL2122-AFI-13")
		cell := fmt.Sprintf("%s%d", r.col("Status"), row)
		if err := r.f.SetCellFormula(r.name, cell, `IF(1=1,"Complete","In progress")`); err != nil {
			t.Fatal(err)
		}
	})
	ret, err := returns.ReadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ret.Problems {
		if p.Ref == "KEN-PEEL2122-AFI-13" && strings.Contains(p.What, "holds a formula") && strings.Contains(p.What, "no saved result") {
			return
		}
	}
	t.Fatalf("the formula with no result is not listed: %+v", ret.Problems)
}
