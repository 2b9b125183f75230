package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWebPage reads the seed report saved as a web page: the same 21
// findings as the seed text (type, area, grade, title and wording), and
// none flagged, since the page has the boxes where they belong.
func TestWebPage(t *testing.T) {
	text, err := ReadFile(filepath.Join("testdata", "kent-peel-2021-22.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, furniture := range []string{"Skip to main content", "cookies", "Accept", "Home", "Crown copyright", "Back to top", "dataLayer", "border-left"} {
		if strings.Contains(text, furniture) {
			t.Errorf("page furniture %q in the text", furniture)
		}
	}
	got, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	want := parseFile(t, filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if got.Force != "Kent Police" || got.Cycle != "2021/22" || got.Layout != Layout2021 {
		t.Errorf("force, cycle, layout = %q, %q, %q", got.Force, got.Cycle, got.Layout)
	}
	if len(got.Findings) != len(want.Findings) {
		t.Fatalf("the page gave %d findings, the text %d", len(got.Findings), len(want.Findings))
	}
	for i, w := range want.Findings {
		g := got.Findings[i]
		if d := sameFinding(g, w); d != "" {
			t.Errorf("finding %d: %s", i+1, d)
		}
		if len(g.Flags) != 0 {
			t.Errorf("finding %d flagged %v", i+1, g.Flags)
		}
	}
	if len(got.Warnings) != 0 {
		t.Errorf("warnings %q", got.Warnings)
	}
}

// TestWebPageMarkup covers the markup the reader relies on, one piece at
// a time.
func TestWebPageMarkup(t *testing.T) {
	tests := map[string]struct {
		page string
		want []string // titles of the findings, in order
	}{
		"box in an aside, narrative after it": {
			page: `<h2>Investigating crime</h2><p>Good</p><aside><h3>Area for improvement</h3><h4>The force should plan</h4><p>Plans are missing.</p></aside><h4>The force should also do other things</h4><p>Narrative.</p>`,
			want: []string{"The force should plan"},
		},
		"box as a div with a class, two findings": {
			page: `<h2>Investigating crime</h2><p>Good</p><div class="callout afi"><h3>Areas for improvement</h3><h4>The force should plan</h4><p>Plans are missing.</p><h4>The force should record</h4><p>Records are missing.</p></div><p>More narrative.</p>`,
			want: []string{"The force should plan", "The force should record"},
		},
		"recommendations as a list, paragraph in each item": {
			page: `<h2>Responding to the public</h2><p>Inadequate</p><div class="box cause-of-concern"><h3>Cause of concern</h3><p>Calls wait too long.</p><h3>Recommendations</h3><p>We recommend that, within six months, the force:</p><ul><li><p>answers calls promptly; and</p></li><li>reviews its staffing.</li></ul></div><p>The force should do more, we recommend.</p>`,
			want: []string{"Calls wait too long.", "Answers calls promptly", "Reviews its staffing."},
		},
		"furniture left out": {
			page: `<html><head><title>Report</title><script>var x = "Area for improvement";</script></head><body><nav><p>Areas for improvement</p></nav><header>Area for improvement</header><h2>Investigating crime</h2><p>Good</p><div hidden><h3>Area for improvement</h3></div><aside><h3>Area for improvement</h3><p>The force should plan.</p></aside><footer><h3>Area for improvement</h3></footer></body></html>`,
			want: []string{"The force should plan."},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			text, err := Decode("page.html", []byte(tc.page))
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(text)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range p.Findings {
				got = append(got, f.Title)
			}
			if strings.Join(got, " | ") != strings.Join(tc.want, " | ") {
				t.Errorf("got %q, want %q\ntext:\n%s", got, tc.want, text)
			}
		})
	}
}

func TestWebPageEncoding(t *testing.T) {
	// A page saved in Windows-1252, as older browsers save it.
	page := []byte("<html><head><meta charset=\"windows-1252\"></head><body><h2>Investigating crime</h2><p>Good</p><aside><h3>Area for improvement</h3><p>The force\x92s plans should be reviewed.</p></aside></body></html>")
	text, err := Decode("page.htm", page)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := Parse(text)
	if len(p.Findings) != 1 || p.Findings[0].Text != "The force’s plans should be reviewed." {
		t.Errorf("got %+v", p.Findings)
	}
}

func TestWebPageEmpty(t *testing.T) {
	_, err := Decode("page.html", []byte("<html><body><nav>Home</nav></body></html>"))
	if err == nil || !strings.Contains(err.Error(), "no text") {
		t.Errorf("want a plain message, got %v", err)
	}
	if _, err := os.Stat(filepath.Join("testdata", "kent-peel-2021-22.html")); err != nil {
		t.Fatal(err)
	}
}
