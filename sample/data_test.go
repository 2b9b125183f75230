package sample

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/model"
)

// referenceText reads the report's text: the copy kept in testdata, or,
// failing that, the shared reference folder beside the repository.
func referenceText(t *testing.T) string {
	t.Helper()
	for _, p := range []string{
		filepath.Join("testdata", "kent-peel-2021-22.txt"),
		filepath.Join("..", "..", "shared", "reference", "kent-peel-2021-22.txt"),
	} {
		b, err := os.ReadFile(p)
		if err == nil {
			return string(b)
		}
	}
	t.Fatal("the Kent PEEL 2021/22 reference text is in neither sample/testdata nor ../shared/reference")
	return ""
}

// normalise folds every run of white space to one space, so that text joined
// from broken lines can be found in the extracted text.
func normalise(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestEveryVerbatimIsInTheReport(t *testing.T) {
	ref := normalise(referenceText(t))
	for _, f := range findings {
		t.Run(f.Key, func(t *testing.T) {
			if f.WordingMissing {
				if len(f.Verbatim) != 0 {
					t.Fatalf("a finding flagged as wording missing has wording: %q", f.Verbatim)
				}
				return
			}
			if len(f.Verbatim) < 2 {
				t.Fatalf("expected the boxed heading and at least one paragraph, got %d paragraphs", len(f.Verbatim))
			}
			// The whole finding, heading and paragraphs in order, is one
			// run of the report's text.
			whole := normalise(strings.Join(f.Verbatim, "\n\n"))
			if !strings.Contains(ref, whole) {
				for i, p := range f.Verbatim {
					if !strings.Contains(ref, normalise(p)) {
						t.Errorf("paragraph %d is not in the report: %q", i+1, p)
					}
				}
				t.Fatalf("the finding's wording is not one continuous passage of the report")
			}
			for _, p := range f.Verbatim {
				if strings.Contains(p, "[Sample") || strings.Contains(p, "http") {
					t.Errorf("verbatim carries a label or a link: %q", p)
				}
			}
		})
	}
}

func TestJudgmentsAreTheReportsWords(t *testing.T) {
	ref := normalise(referenceText(t))
	for _, a := range append(append([]area(nil), areas...), pendingAreas...) {
		if !strings.Contains(ref, normalise(a.Judgment)) {
			t.Errorf("%s: judgment %q is not in the report", a.Name, a.Judgment)
		}
	}
	if !strings.Contains(ref, reportURL) {
		t.Errorf("the report URL %q is not in the text", reportURL)
	}
}

// TestFindingCounts pins the number of findings by type and area, as read
// from the report (see the comment on findings).
func TestFindingCounts(t *testing.T) {
	want := map[model.FindingType]map[string]int{
		model.AFI: {
			areaCDI:         1,
			areaFairness:    1,
			areaPrevention:  1,
			areaResponding:  4,
			areaInvestigate: 6,
			areaVulnerable:  2,
			areaOffenders:   3,
			areaEfficiency:  1,
		},
		model.InnovativePractice: {
			areaFairness:   1,
			areaPrevention: 1,
		},
	}
	got := map[model.FindingType]map[string]int{}
	for _, f := range findings {
		if got[f.Type] == nil {
			got[f.Type] = map[string]int{}
		}
		got[f.Type][f.Area]++
	}
	for typ, byArea := range want {
		for a, n := range byArea {
			if got[typ][a] != n {
				t.Errorf("%s in %q: got %d, want %d", typ, a, got[typ][a], n)
			}
		}
		for a, n := range got[typ] {
			if _, ok := byArea[a]; !ok {
				t.Errorf("unexpected %d %s in %q", n, typ, a)
			}
		}
	}
	for typ := range got {
		if _, ok := want[typ]; !ok {
			t.Errorf("unexpected finding type %s", typ)
		}
	}
	if len(findings) != 21 {
		t.Errorf("got %d findings, want 21 (19 areas for improvement and 2 innovative practices)", len(findings))
	}
}

func TestPlansCoverEveryFindingAndAreLabelled(t *testing.T) {
	keys := map[string]bool{}
	for _, f := range findings {
		if keys[f.Key] {
			t.Errorf("key %q used twice", f.Key)
		}
		keys[f.Key] = true
		if _, ok := plans[f.Key]; !ok {
			t.Errorf("finding %q has no sample plan", f.Key)
		}
	}
	for k, p := range plans {
		if !keys[k] {
			t.Errorf("plan %q has no finding", k)
		}
		if p.Chief == "" || p.Lead == "" {
			t.Errorf("plan %q lacks a chief officer or delivery lead", k)
		}
	}
	roles := map[string]bool{}
	for _, p := range people {
		roles[p.Role] = true
	}
	for k, p := range plans {
		if !roles[p.Chief] || !roles[p.Lead] {
			t.Errorf("plan %q names an owner who is not in people", k)
		}
		for _, r := range p.Revisions {
			if !roles[r.AgreedBy] {
				t.Errorf("plan %q: revision agreed by %q, who is not in people", k, r.AgreedBy)
			}
		}
	}
}
