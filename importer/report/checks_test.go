package report

import (
	"strconv"
	"strings"
	"testing"

	"improvementtracker/model"
)

// parseOne parses a text that must give n findings.
func parseOne(t *testing.T, text string, n int) *Parsed {
	t.Helper()
	p, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Findings) != n {
		for _, f := range p.Findings {
			t.Logf("%s | %s | %s | %q %v", f.Type, f.Area, f.Grade, f.Text, f.Flags)
		}
		t.Fatalf("got %d findings, want %d", len(p.Findings), n)
	}
	return p
}

// warnsOf reports whether a warning names finding k (1-based).
func warnsOf(p *Parsed, k int, words string) bool {
	for _, w := range p.Warnings {
		if strings.HasPrefix(w, "Finding "+strconv.Itoa(k)+" ") && strings.Contains(w, words) {
			return true
		}
	}
	return false
}

// A section whose heading was lost: the section's own sentence files its
// finding, and says so.
func TestSectionSentenceCorrects(t *testing.T) {
	text := "Preventing crime and anti-social behaviour\n\nKent Police is good at prevention and deterrence.\n\n" +
		"Area for improvement\n\nThe force should train its neighbourhood officers.\n\n" +
		"Kent Police requires improvement at responding to the public.\n\n" +
		"Area for improvement\n\nThe force should identify repeat callers.\n"
	p := parseOne(t, text, 2)
	f := p.Findings[1]
	if f.Area != "Responding to the public" || f.Grade != model.RequiresImprovement {
		t.Errorf("second finding filed under %s, %s", f.Area, f.Grade)
	}
	if len(f.Flags) == 0 || !strings.Contains(f.Flags[0], "section’s own sentence") {
		t.Errorf("the correction is not flagged on the finding: %v", f.Flags)
	}
	if !warnsOf(p, 2, "by the section’s own sentence") {
		t.Errorf("no warning names finding 2: %q", p.Warnings)
	}
	if len(p.Findings[0].Flags) != 0 {
		t.Errorf("the first finding, right, is flagged: %v", p.Findings[0].Flags)
	}
}

// Two "The force should…" sentences under a singular heading are not
// split (it may be one box), but the finding says it may be two.
func TestTwoInOneFlagged(t *testing.T) {
	text := "Investigating crime\n\nGood\n\nArea for improvement\n\nThe force should record victims’ wishes. The force should review its bail policy.\n"
	p := parseOne(t, text, 1)
	if !p.Findings[0].HasFlag(FlagTwoInOne) || !warnsOf(p, 1, "two findings run together") {
		t.Errorf("flags %v, warnings %q", p.Findings[0].Flags, p.Warnings)
	}
	// Under a plural heading the same line is a list run onto one line,
	// split with nothing to check.
	plural := strings.Replace(text, "Area for improvement", "Areas for improvement", 1)
	p = parseOne(t, plural, 2)
	for _, f := range p.Findings {
		if len(f.Flags) != 0 || !strings.HasPrefix(f.Text, "The force should") {
			t.Errorf("split finding %q flagged %v", f.Text, f.Flags)
		}
	}
}

// A box with nothing to mark its end, run on into the next paragraph.
func TestRunOnFlagged(t *testing.T) {
	text := "Investigating crime\n\nGood\n\nArea for improvement\n\nThe force should record victims’ wishes.\n\nInvestigators understand what is expected of them.\n"
	p := parseOne(t, text, 1)
	if !p.Findings[0].HasFlag(FlagRunOn) || !warnsOf(p, 1, "runs on past the box") {
		t.Errorf("flags %v, warnings %q", p.Findings[0].Flags, p.Warnings)
	}
}

// A box's main sentence in bold on a web page stays first in its wording.
func TestWebStrongSentenceFirst(t *testing.T) {
	page := `<!DOCTYPE html><html><body><main>
<h2>Investigating crime</h2><p>Kent Police is good at investigating crime.</p>
<div class="box"><h3>Area for improvement</h3><p><strong>The force should record victims’ wishes.</strong> It rarely does so in writing.</p></div>
<div class="box"><h3>Area for improvement</h3><p><strong>The force needs to review its bail policy</strong></p><p>Delays are common.</p></div>
<h3>Main findings</h3><p>Investigators understand what is expected of them.</p>
</main></body></html>`
	text, err := HTMLText([]byte(page))
	if err != nil {
		t.Fatal(err)
	}
	p := parseOne(t, text, 2)
	if f := p.Findings[0]; !strings.HasPrefix(f.Text, "The force should record victims’ wishes. It rarely") || f.Title != "The force should record victims’ wishes." {
		t.Errorf("first finding: title %q text %q", f.Title, f.Text)
	}
	if f := p.Findings[1]; f.Text != "The force needs to review its bail policy\n\nDelays are common." || f.Title != "The force needs to review its bail policy" {
		t.Errorf("second finding: title %q text %q", f.Title, f.Text)
	}
}

// 2018/19 core questions pasted with the grade on the same line, and the
// "How effectively does the force…" form.
func TestQuestionGradeOneLine(t *testing.T) {
	text := "PEEL: Police effectiveness, efficiency and legitimacy 2018/19\n" +
		"1 How effective is the force at preventing crime and tackling anti-social behaviour? Good\n" +
		"Areas for improvement\n" +
		"• The force should evaluate its problem-solving work.\n" +
		"• The force should share what it learns across the force.\n" +
		"The force has a clear plan for neighbourhood policing.\n" +
		"2 How effectively does the force investigate crime and reduce re-offending? Requires improvement\n" +
		"Area for improvement\n" +
		"• The force should reduce the backlog of digital devices.\n"
	p := parseOne(t, text, 3)
	want := []struct {
		area  string
		grade model.Grade
	}{
		{"Preventing crime and tackling anti-social behaviour", model.Good},
		{"Preventing crime and tackling anti-social behaviour", model.Good},
		{"Investigating crime", model.RequiresImprovement},
	}
	for i, w := range want {
		if f := p.Findings[i]; f.Area != w.area || f.Grade != w.grade || len(f.Flags) != 0 {
			t.Errorf("finding %d: %s, %s, flags %v", i+1, f.Area, f.Grade, f.Flags)
		}
	}
	if len(p.Warnings) != 0 {
		t.Errorf("warnings on a text read right: %q", p.Warnings)
	}
}

// Headings glued to the paragraph before or after them are read.
func TestGluedHeadings(t *testing.T) {
	lines := []string{
		"Crime data integrity",
		"Kent Police is outstanding at recording crime.",
		"Area for improvement",
		"The force needs to improve how it collects diversity data",
		"Kent Police’s data shows that age is well recorded.",
		"Main findings In this section we set out our main findings.",
		"Some rape allegations had been cancelled despite there being insufficient evidence to show they were false. Responding to the public",
		"Kent Police requires improvement at responding to the public.",
		"Areas for improvement",
		"The force needs to make sure that repeat callers are routinely identified",
		"Checks weren’t always completed.",
		"Main findings",
		"The force answers calls promptly, and it regularly achieves or exceeds the national target time for answering 999 and 101 calls from the public.",
		"Its online chat service, which the public can use to contact the force, is well used and its use increased during the pandemic a great deal.",
		"Officers know their areas well, and the communities they serve say that they see them often and that they trust them to deal with problems.",
	}
	p := parseOne(t, strings.Join(lines, "\n")+"\n", 2)
	if f := p.Findings[1]; f.Area != "Responding to the public" || f.Grade != model.RequiresImprovement || len(f.Flags) != 0 {
		t.Errorf("second finding: %s, %s, %v", f.Area, f.Grade, f.Flags)
	}
	if f := p.Findings[0]; f.Area != "Crime data integrity" || f.Text != "The force needs to improve how it collects diversity data\n\nKent Police’s data shows that age is well recorded." {
		t.Errorf("first finding: %s, %q", f.Area, f.Text)
	}
}

// The checks stay quiet on texts read right: no finding of the PDF texts
// is flagged by them, and no 2018/19 text warns of a grade under no
// heading.
func TestChecksQuietOnPDFTexts(t *testing.T) {
	for _, d := range texts(t) {
		checkQuiet(t, d.name, d.pdfText())
	}
	for _, name := range []string{"midshire-peel-2023-25.txt", "westshire-peel-2018-19.txt", "northshire-peel-2018-19.txt"} {
		checkQuiet(t, name, fixtureText(name)(t))
	}
}

func checkQuiet(t *testing.T, name, text string) {
	t.Helper()
	p, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Findings {
		for _, fl := range f.Flags {
			if fl == FlagTwoInOne || fl == FlagRunOn || fl == FlagTitleHeading || strings.Contains(fl, "section’s own sentence") {
				t.Errorf("%s: %q flagged %q", name, f.Title, fl)
			}
		}
	}
	for _, w := range p.Warnings {
		if strings.Contains(w, "under no heading") || strings.Contains(w, "section’s own sentence") {
			t.Errorf("%s: warning %q", name, w)
		}
	}
}
