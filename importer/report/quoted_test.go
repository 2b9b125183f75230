package report

import (
	"strings"
	"testing"

	"improvementtracker/model"
)

// The texts here were written for these tests in the forms forces receive
// recommendations in; they are not real responses or press releases.
func TestQuotedRecommendations(t *testing.T) {
	type rec struct {
		start, deadline, addressee string
	}
	tests := map[string]struct {
		text string
		want []rec
	}{
		"a PCC's response": {
			text: "Police and Crime Commissioner’s response to the inspectorate’s report on rural crime\n\nPublished: 5 December 2023\n\n" +
				"Recommendation 1\n\nBy 31 October 2023, chief constables should make sure that their forces record rural crime using the national definition.\n\n" +
				"The force adopted the national definition in September and now records rural crime using it.\n\n" +
				"Recommendation 2\n\nBy 31 March 2024, the College of Policing should update its guidance on investigating rural crime.\n\n" +
				"This recommendation is for the College of Policing.\n",
			want: []rec{{"By 31 October 2023, chief constables should", "by 31 October 2023", ""}, {"By 31 March 2024, the College of Policing", "by 31 March 2024", "the College of Policing"}},
		},
		"a press release, items on one line": {
			text: "Eastshire Police must improve how it answers calls, says the inspectorate\n\n" +
				"The inspectorate has today published a report on Eastshire Police, recommending that the force immediately: – improves how it answers 101 calls; – reviews the staffing of its control room; and – makes sure vulnerable callers are identified.\n",
			want: []rec{{"The inspectorate has today published", "immediately", ""}, {"The inspectorate has today published", "immediately", ""}, {"The inspectorate has today published", "immediately", ""}},
		},
		"a numbered list": {
			text: "The inspectorate made three recommendations: 1. Within six months, the force should review its bail policy. 2. By 31 March 2025, the force should clear its backlog of digital devices. 3. The Home Office should publish guidance on bail.\n",
			want: []rec{{"The inspectorate made three", "within six months", ""}, {"The inspectorate made three", "by 31 March 2025", ""}, {"The inspectorate made three", "", "The Home Office"}},
		},
		"a recommendation page, items under the lead-in": {
			text: "Recommendations from the PEEL 2023–25 inspection of Southvale Police\n\nWe recommend that, within three months, the force:\n\n• reviews how it grades calls; and\n\n• trains its call handlers in risk assessment.\n",
			want: []rec{{"We recommend that, within three months, the force:", "within three months", ""}, {"We recommend that, within three months", "within three months", ""}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Findings) != len(tc.want) {
				for _, f := range p.Findings {
					t.Logf("%s %q", f.Type, f.Text)
				}
				t.Fatalf("got %d findings, want %d; warnings %q", len(p.Findings), len(tc.want), p.Warnings)
			}
			for i, w := range tc.want {
				f := p.Findings[i]
				if f.Type != model.Recommendation || !strings.HasPrefix(f.Text, w.start) || f.Deadline != w.deadline || f.Addressee != w.addressee || !f.HasFlag(FlagQuoted) {
					t.Errorf("finding %d: %s %q deadline %q addressee %q flags %v", i+1, f.Type, f.Text, f.Deadline, f.Addressee, f.Flags)
				}
			}
			said := false
			for _, w := range p.Warnings {
				said = said || strings.Contains(w, "quotes the inspectorate’s recommendations")
			}
			if !said {
				t.Errorf("the preview does not say what a quotation gives: %q", p.Warnings)
			}
		})
	}
}

// A lead-in whose count disagrees with the items read says so, and a text
// that speaks of recommendations it cannot read says what it reads.
func TestQuotedWarnings(t *testing.T) {
	p, err := Parse("The inspectorate made three recommendations: 1. The force should review its bail policy. 2. The force should clear its backlog.\n")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range p.Warnings {
		found = found || strings.Contains(w, "announces three recommendations, but 2 were read")
	}
	if len(p.Findings) != 2 || !found {
		t.Errorf("%d findings, warnings %q", len(p.Findings), p.Warnings)
	}
	p, err = Parse("The inspectorate recommended that the force improve its call handling, and the force has accepted this.\n")
	if err != nil {
		t.Fatal(err)
	}
	found = false
	for _, w := range p.Warnings {
		found = found || strings.Contains(w, "speaks of recommendations, but none could be read")
	}
	if len(p.Findings) != 0 || !found {
		t.Errorf("%d findings, warnings %q", len(p.Findings), p.Warnings)
	}
}
