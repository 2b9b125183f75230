package report_test

import (
	"context"
	"strings"
	"testing"

	. "improvementtracker/importer/report"
	"improvementtracker/model"
)

func day(t *testing.T, s string) model.Date {
	t.Helper()
	d, err := model.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

const recText = "Responding to the public\n\nInadequate\n\nSouthvale Police is inadequate at responding to the public.\n\n" +
	"Cause of concern\n\nThe force doesn’t answer calls quickly enough.\n\n" +
	"Recommendations\n\nWe recommend that, within six months, the force:\n\n• answers its calls within its standard; and\n\n• calls back the callers who hang up.\n\n" +
	"Cause of concern\n\nThe force doesn’t manage its control room well.\n\n" +
	"Recommendation\n\nBy the end of 2027, the force should review how its control room is staffed.\n"

func TestPublishedDate(t *testing.T) {
	tests := map[string]struct {
		text string
		want string
		warn bool
	}{
		"published on":        {"PEEL 2023–25\nAn inspection of Southvale Police\nPublished on: 14 October 2026\n\n" + recText, "14/10/2026", false},
		"published, colon":    {"Published: 9th May, 2019\n\n" + recText, "09/05/2019", false},
		"the cover's date":    {"PEEL 2023–25\n\nAn inspection of Southvale Police\n\n3 March 2026\n\n" + recText, "03/03/2026", true},
		"no date in the text": {recText, "", false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if p.Published.String() != tc.want {
				t.Errorf("published %q, want %q", p.Published, tc.want)
			}
			warned := false
			for _, w := range p.Warnings {
				if strings.Contains(w, "as a cover gives it") {
					warned = true
				}
			}
			if warned != tc.warn {
				t.Errorf("cover date warning %v, want %v: %q", warned, tc.warn, p.Warnings)
			}
		})
	}
}

// Relative deadlines get targets counted from the publication date, typed
// in the preview when the text gives none, and flagged for checking.
func TestTargetsFromPublication(t *testing.T) {
	p, err := Parse(recText)
	if err != nil {
		t.Fatal(err)
	}
	var recs []Proposed
	for _, f := range p.Findings {
		if f.Type == model.Recommendation {
			recs = append(recs, f)
		}
	}
	if len(recs) != 3 {
		t.Fatalf("got %d recommendations", len(recs))
	}
	for _, r := range recs[:2] {
		if !r.Target.IsZero() || !r.HasFlag(FlagNeedsPublished) {
			t.Errorf("%q: target %s, flags %v before the date is known", r.Title, r.Target, r.Flags)
		}
	}
	if r := recs[2]; r.Target.String() != "31/12/2027" || !r.HasFlag(FlagTargetCounted) {
		t.Errorf("“by the end of 2027”: target %s, flags %v", r.Target, r.Flags)
	}

	s := openStore(t)
	pl, err := NewPlan(s, p, PastedText, "Southvale Police PEEL 2023–25")
	if err != nil {
		t.Fatal(err)
	}
	pl.SetPublished(day(t, "14/10/2024"))
	for _, r := range pl.Rows {
		if r.Deadline == "within six months" && (r.Target.String() != "14/04/2025" || !r.HasFlag(FlagTargetCounted) || r.HasFlag(FlagNeedsPublished)) {
			t.Errorf("%q after the date is typed: target %s, flags %v", r.Title, r.Target, r.Flags)
		}
	}
	res, err := pl.Apply(s, "tester")
	if err != nil {
		t.Fatal(err)
	}
	if res.Report.Published.String() != "14/10/2024" {
		t.Errorf("report published %s", res.Report.Published)
	}
	targets := map[string]string{}
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		all, err := tx.Findings()
		for _, f := range all {
			targets[f.Title] = f.CurrentTarget.String()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if targets["Answers its calls within its standard"] != "14/04/2025" || targets["By the end of 2027, the force should review how its control room is staffed."] != "31/12/2027" {
		t.Errorf("stored targets %v", targets)
	}
}
