package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"improvementtracker/model"
)

var update = flag.Bool("update", false, "rewrite the golden files from the parser's output")

// golden compares the parse of each fixture with its golden JSON. The
// golden files were checked by hand against the reports' text; rewrite them
// with -update only after checking the difference the same way.
func TestGolden(t *testing.T) {
	for _, name := range []string{"kent-peel-2021-22", "midshire-peel-2023-25", "westshire-peel-2018-19"} {
		t.Run(name, func(t *testing.T) {
			p := parseFile(t, filepath.Join("testdata", name+".txt"))
			got, err := json.MarshalIndent(p, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run the test with -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("parse of %s differs from %s:\n%s", name, path, firstDiff(string(want), string(got)))
			}
		})
	}
}

func parseFile(t *testing.T, path string) *Parsed {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + a + "\n  got: " + b
		}
	}
	return ""
}

type want struct {
	typ   model.FindingType
	area  string
	grade model.Grade
	title string // "" for a box whose wording is missing
}

const (
	fair = "Engaging with and treating the public with fairness and respect"
	prev = "Preventing crime and anti-social behaviour"
	resp = "Responding to the public"
	inv  = "Investigating crime"
	pvp  = "Protecting vulnerable people"
	mos  = "Managing offenders and suspects"
	plan = "Strategic planning, organisational management and value for money"
)

// kentSeed is what the seed report must give, written out by hand from
// the report's text.
var kentSeed = []want{
	// The box came out empty; its wording is the last block of the
	// same page, by the rule that places the other moved boxes.
	{model.AFI, "Crime data integrity", model.Outstanding, "The force needs to improve how it collects information about the diversity of crime victims and use this to ensure it serves different communities equally"},
	{model.AFI, fair, model.Good, "The force should improve the way it assesses public satisfaction with the service it provides"},
	{model.InnovativePractice, fair, model.Good, "The force adopts a proactive approach to community engagement"},
	{model.AFI, prev, model.Good, "The force needs to ensure that neighbourhood policing officers have access to structured training"},
	{model.InnovativePractice, prev, model.Good, "The force has adopted a proactive approach to vulnerable repeat callers"},
	{model.AFI, resp, model.RequiresImprovement, "The force needs to make sure that repeat callers and callers who are vulnerable are routinely identified"},
	{model.AFI, resp, model.RequiresImprovement, "The force needs to make sure that call takers give appropriate advice on the preservation of evidence and crime prevention"},
	{model.AFI, resp, model.RequiresImprovement, "The force needs to better manage its response to incidents"},
	// The box ran over its page: the rest is at the end of the next.
	{model.AFI, resp, model.RequiresImprovement, "The force needs to improve the capacity and capability of its response teams"},
	{model.AFI, inv, model.RequiresImprovement, "The force is failing to properly resource the teams that investigate domestic abuse"},
	{model.AFI, inv, model.RequiresImprovement, "The force needs to make sure that crimes are allocated and investigated in a timely manner"},
	{model.AFI, inv, model.RequiresImprovement, "Investigation plans should be created where applicable and properly supervised"},
	{model.AFI, inv, model.RequiresImprovement, "The force needs to take every opportunity to pursue offenders when victims disengage"},
	{model.AFI, inv, model.RequiresImprovement, "The force needs to make sure the needs of all victims are assessed so they can be supported"},
	{model.AFI, inv, model.RequiresImprovement, "The force needs to improve how it records why victims withdraw their support for investigations"},
	{model.AFI, pvp, model.Adequate, "The force should make sure that orders protecting victims of domestic abuse are considered in all appropriate cases"},
	{model.AFI, pvp, model.Adequate, "The force should maintain and improve the wellbeing of staff involved in protecting vulnerable people"},
	{model.AFI, mos, model.RequiresImprovement, "The force needs to review its policy for people released on bail and while under investigation"},
	{model.AFI, mos, model.RequiresImprovement, "The force needs to review whether its operating model is hampering its ability to effectively manage registered sex offenders"},
	{model.AFI, mos, model.RequiresImprovement, "The force should review its digital capability and capacity to effectively target online child abuse"},
	// Likewise: the one block between "Main findings" and the end of
	// the heading's page.
	{model.AFI, plan, model.Good, "The force needs to review how it allocates resources to ensure it can meet demand"},
}

// TestSeed spells out what the seed report must give, so that the golden
// file cannot drift from it unnoticed.
func TestSeed(t *testing.T) {
	p := parseFile(t, filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if p.Force != "Kent Police" || p.Cycle != "2021/22" || p.Layout != Layout2021 {
		t.Errorf("force, cycle, layout = %q, %q, %q", p.Force, p.Cycle, p.Layout)
	}
	wants := kentSeed
	if len(p.Findings) != len(wants) {
		t.Fatalf("found %d findings, want %d", len(p.Findings), len(wants))
	}
	for i, w := range wants {
		f := p.Findings[i]
		if f.Type != w.typ || f.Area != w.area || f.Grade != w.grade {
			t.Errorf("finding %d: %s | %s | %s, want %s | %s | %s", i+1, f.Type, f.Area, f.Grade, w.typ, w.area, w.grade)
		}
		if w.title == "" {
			if !f.HasFlag(FlagWordingMissing) || f.Text != "" {
				t.Errorf("finding %d (%s): want it flagged %q with no text, got flags %v and text %q", i+1, w.area, FlagWordingMissing, f.Flags, f.Text)
			}
			continue
		}
		if f.Title != w.title || f.HasFlag(FlagWordingMissing) {
			t.Errorf("finding %d: title %q flags %v, want %q", i+1, f.Title, f.Flags, w.title)
		}
		// The box's own sentence stays first in the wording; the title is
		// only a label made from it.
		if !strings.HasPrefix(f.Text, w.title+"\n\n") || strings.Contains(f.Text, "http") {
			t.Errorf("finding %d: text must be the whole wording, its heading first, without links: %q", i+1, f.Text)
		}
	}
	// The verbatim text is kept whole: the domestic abuse AFI's second
	// paragraph is there, word for word.
	if !strings.Contains(p.Findings[9].Text, "It has also appointed a dedicated chief superintendent for domestic abuse to oversee and deliver improvements.") {
		t.Errorf("domestic abuse AFI text lost words: %q", p.Findings[8].Text)
	}
}

// TestCleaning covers the repairs PDF text needs, one at a time.
func TestCleaning(t *testing.T) {
	tests := map[string]struct {
		text      string
		wantTitle string
		wantText  string
	}{
		"title broken over a blank line": {
			text:      "Investigating crime\n\nRequires improvement\n\nArea for improvement\n\nThe force needs to make sure that crimes are allocated in a \n\ntimely manner \n\nDelays are common.\n",
			wantTitle: "The force needs to make sure that crimes are allocated in a timely manner",
			wantText:  "The force needs to make sure that crimes are allocated in a timely manner\n\nDelays are common.",
		},
		"glossary links and page number inside a box": {
			text:      "Investigating crime\n\nGood\n\nArea for improvement\n\nThe force should review bail\n\nBail is often used and suspects are \nhttps://example.org/glossary/bail/\n12\n released without checks.\n",
			wantTitle: "The force should review bail",
			wantText:  "The force should review bail\n\nBail is often used and suspects are released without checks.",
		},
		"heading and wording on one line": {
			text:      "Investigating crime\n\nGood\n\nArea for improvement 1: The force should record victims’ wishes.\n",
			wantTitle: "The force should record victims’ wishes.",
			wantText:  "The force should record victims’ wishes.",
		},
		"carriage returns and a form feed": {
			text:      "Investigating crime\r\n\r\nGood\r\n\r\nArea for improvement\r\n\r\nThe force should plan\r\n\r\nPlans are \f\r\nmissing.\r\n",
			wantTitle: "The force should plan",
			wantText:  "The force should plan\n\nPlans are missing.",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Findings) != 1 {
				t.Fatalf("got %d findings: %+v", len(p.Findings), p.Findings)
			}
			f := p.Findings[0]
			if f.Title != tc.wantTitle || f.Text != tc.wantText || f.Area != "Investigating crime" {
				t.Errorf("got title %q text %q area %q", f.Title, f.Text, f.Area)
			}
		})
	}
}

func TestNothingFound(t *testing.T) {
	p, err := Parse("Minutes of the board meeting.\n\nApologies were received.\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Findings) != 0 || len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "inspection report") {
		t.Errorf("want no findings and a warning, got %+v", p)
	}
}

func TestTooLarge(t *testing.T) {
	_, err := Parse(strings.Repeat("a", MaxInputBytes+1))
	if err == nil || !strings.Contains(err.Error(), "MB") {
		t.Errorf("want a plain message about the size, got %v", err)
	}
}

// BenchmarkParseSeed measures reading the whole Kent report.
func BenchmarkParseSeed(b *testing.B) {
	text, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := Parse(string(text)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPDFText measures extracting the text of the seed's PDF.
func BenchmarkPDFText(b *testing.B) {
	for b.Loop() {
		if _, err := ReadFile(filepath.Join("testdata", "kent-peel-2021-22.pdf")); err != nil {
			b.Fatal(err)
		}
	}
}

// TestWarnings covers what the parser says when something may be missing.
func TestWarnings(t *testing.T) {
	tests := map[string]struct {
		text string
		want string
	}{
		"a grade under no area": {
			text: "Summary\n\nThe force did well.\n\nGood\n\nArea for improvement\n\nThe force should plan.\n",
			want: "Line 5 gives the grade \"Good\" under no heading that could be read as an area",
		},
		"numbered boxes with a gap": {
			text: "Investigating crime\n\nGood\n\nArea for improvement 1\n\nThe force should plan.\n\nArea for improvement 3\n\nThe force should record.\n",
			want: "The numbered areas for improvement skip number 2",
		},
		"an empty box": {
			text: "Investigating crime\n\nGood\n\nArea for improvement 1\n\nArea for improvement 2\n\nThe force should record.\n",
			want: "2 ‘Area for improvement’ headings, 1 finding with wording.",
		},
		"a bracketed note": {
			text: "Investigating crime\n\nGood\n\n[This section was corrected on 1 May 2024.]\n\nArea for improvement\n\nThe force should plan.\n",
			want: "Line 5 is a bracketed note, left out",
		},
		"elided wording": {
			text: "Investigating crime\n\nGood\n\nArea for improvement\n\nThe force should […] plan.\n",
			want: "the text leaves part of the wording out",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(p.Warnings, "\n"), tc.want) {
				t.Errorf("warnings %q, want one saying %q", p.Warnings, tc.want)
			}
			for _, f := range p.Findings {
				if strings.Contains(f.Text, "This section was corrected") {
					t.Errorf("a bracketed note became wording: %+v", f)
				}
			}
		})
	}
}
