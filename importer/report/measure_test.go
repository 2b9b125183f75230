package report

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"improvementtracker/model"
)

// expect is one finding a fixture must give.
type expect struct {
	typ     model.FindingType
	area    string
	grade   model.Grade
	title   string // its start, quotes and case folded
	missing bool   // flagged wording missing
	others  bool   // a recommendation not for the force
}

func kentExpected() []expect {
	var out []expect
	for _, w := range kentSeed {
		out = append(out, expect{typ: w.typ, area: w.area, grade: w.grade, title: w.title, missing: w.title == ""})
	}
	return out
}

const ri = model.RequiresImprovement

var measured = []struct {
	name   string
	source func(t *testing.T) string
	want   []expect
}{
	{"kent-peel-2021-22.txt (the seed)", fixtureText("kent-peel-2021-22.txt"), kentExpected()},
	{"kent, one paragraph per line", seedForm(onePerLine), kentExpected()},
	{"kent, blank lines, no page markers", seedForm(noPageMarkers), kentExpected()},
	{"kent, singular and plural swapped", seedForm(swapPlural), kentExpected()},
	{"kent, straight quotes, CRLF, nbsp", seedForm(windowsPlain), kentExpected()},
	{"kent, pasted + swapped + plain", seedForm(func(s string) string { return windowsPlain(swapPlural(onePerLine(s))) }), kentExpected()},
	{"kent, no page markers + swapped", seedForm(func(s string) string { return swapPlural(noPageMarkers(s)) }), kentExpected()},
	{"kent-peel-2021-22.html (web page)", fixtureText("kent-peel-2021-22.html"), kentExpected()},
	{"kent-peel-2021-22.pdf (LibreOffice, from the text)", fixtureText("kent-peel-2021-22.pdf"), kentExpected()},
	{"pdf/kent-peel-2021-22.chromium.pdf", fixtureText(filepath.Join("pdf", "kent-peel-2021-22.chromium.pdf")), kentExpected()},
	{"pdf/kent-peel-2021-22.libreoffice.pdf", fixtureText(filepath.Join("pdf", "kent-peel-2021-22.libreoffice.pdf")), kentExpected()},
	{"midshire-peel-2023-25.txt", fixtureText("midshire-peel-2023-25.txt"), []expect{
		{typ: model.AFI, area: "Providing a service to victims of crime", grade: model.Ungraded, title: "The force should make sure it records the reasons"},
		{typ: model.AFI, area: "Providing a service to victims of crime", grade: model.Ungraded, title: "The force should make sure victims are given a needs assessment"},
		{typ: model.CauseOfConcern, area: resp, grade: ri, title: "The force isn’t answering non-emergency calls"},
		{typ: model.Recommendation, area: resp, grade: ri, title: "Makes sure that it answers non-emergency calls"},
		{typ: model.Recommendation, area: resp, grade: ri, title: "Makes sure call handlers use a structured risk assessment"},
		{typ: model.Recommendation, area: resp, grade: ri, title: "Improves the supervision of its control room"},
		{typ: model.AFI, area: resp, grade: ri, title: "The force should make sure that it attends incidents"},
		{typ: model.AFI, area: "Investigating crime", grade: model.Adequate, title: "The force should make sure that investigations are allocated"},
		{typ: model.AFI, area: "Investigating crime", grade: model.Adequate, missing: true},
		{typ: model.InnovativePractice, area: "Investigating crime", grade: model.Adequate, title: "The force’s investigation support hub"},
		{typ: model.CauseOfConcern, area: pvp, grade: model.Inadequate, title: "The force doesn’t manage the risk posed by registered sex offenders"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "Make sure that every registered sex offender"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "Clear its backlog of overdue risk assessments"},
		{typ: model.CauseOfConcern, area: pvp, grade: model.Inadequate, title: "The force doesn’t always use the powers"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "We recommend that, by 31 March 2026"},
		{typ: model.AFI, area: pvp, grade: model.Inadequate, title: "The force should improve how it shares information"},
	}},
	{"westshire-peel-2018-19.txt", fixtureText("westshire-peel-2018-19.txt"), []expect{
		{typ: model.AFI, area: "Effectiveness", grade: ri, title: "The force should ensure that its neighbourhood teams"},
		{typ: model.AFI, area: "Effectiveness", grade: ri, title: "The force should improve how it evaluates its problem-solving"},
		{typ: model.CauseOfConcern, area: pvp, grade: model.Inadequate, title: "Westshire Constabulary doesn’t respond"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "Review how it prioritises calls"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "Make sure supervisors in the control room"},
		{typ: model.AFI, area: pvp, grade: model.Inadequate, title: "The force should improve how it identifies repeat victims"},
		{typ: model.AFI, area: pvp, grade: model.Inadequate, title: "The force should make sure that it uses domestic violence"},
		{typ: model.AFI, area: pvp, grade: model.Inadequate, title: "The force should ensure that the risk posed by registered sex offenders"},
		{typ: model.AFI, area: "Planning for the future", grade: model.Good, title: "The force should develop its understanding"},
		{typ: model.AFI, area: "Legitimacy", grade: model.Good, title: "The force should improve how it monitors the use of force"},
	}},
	{"northshire-peel-2018-19.txt (question, number, grade on consecutive lines)", fixtureText("northshire-peel-2018-19.txt"), []expect{
		{typ: model.AFI, area: "Preventing crime and tackling anti-social behaviour", grade: model.Good, title: "The force should evaluate its problem-solving work"},
		{typ: model.AFI, area: "Investigating crime", grade: ri, title: "The force should make sure that investigations are allocated"},
		{typ: model.AFI, area: "Investigating crime", grade: ri, title: "The force should ensure that victims are kept informed"},
		{typ: model.AFI, area: "Investigating crime", grade: ri, title: "The force should improve how it manages outstanding suspects"},
		{typ: model.AFI, area: "Investigating crime", grade: ri, title: "The force should reduce the backlog of digital devices"},
		{typ: model.CauseOfConcern, area: pvp, grade: model.Inadequate, title: "Northshire Police does not respond"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "Review how it prioritises calls"},
		{typ: model.Recommendation, area: pvp, grade: model.Inadequate, title: "Make sure supervisors in the control room"},
		{typ: model.AFI, area: pvp, grade: model.Inadequate, title: "The force should improve how it identifies repeat victims"},
		{typ: model.AFI, area: pvp, grade: model.Inadequate, title: "The force should make sure that it uses domestic violence", missing: true},
		{typ: model.AFI, area: "Planning for the future", grade: model.Adequate, title: "The force should develop its understanding"},
		{typ: model.AFI, area: "Treating the public fairly", grade: model.Good, title: "The force should improve how it monitors the use of force"},
	}},
	{"thematic-rural-crime-2023.txt", fixtureText("thematic-rural-crime-2023.txt"), []expect{
		{typ: model.Recommendation, title: "By 31 March 2024, chief constables should"},
		{typ: model.Recommendation, title: "By 30 September 2024, the College of Policing should", others: true},
		{typ: model.Recommendation, title: "By 31 December 2024, the Home Office and the National Police Chiefs", others: true},
		{typ: model.Recommendation, title: "By 31 March 2025, chief constables and the College of Policing"},
		{typ: model.Recommendation, title: "Within six months, chief constables should"},
		{typ: model.AFI, title: "Forces should make sure that rural crime"},
		{typ: model.AFI, title: "Forces should make better use of rural crime volunteers"},
	}},
}

func fixtureText(name string) func(t *testing.T) string {
	return func(t *testing.T) string {
		text, err := ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
}

func seedForm(form func(string) string) func(t *testing.T) string {
	return func(t *testing.T) string { return form(fixtureText("kent-peel-2021-22.txt")(t)) }
}

// matches reports whether a finding is the expected one.
func (e expect) matches(f Proposed) bool {
	if f.Type != e.typ || f.Area != e.area || f.Grade != e.grade || f.HasFlag(FlagWordingMissing) != e.missing || f.NotForForce != e.others {
		return false
	}
	if e.title == "" {
		return e.missing && f.Text == ""
	}
	return strings.HasPrefix(foldWording(f.Title), foldWording(e.title))
}

// TestRecallPrecision parses every fixture and counts the findings
// expected, found and correct (type, area, grade, title, flags). Run with
// -v to see the table; every fixture must be read exactly.
func TestRecallPrecision(t *testing.T) {
	var rows []string
	for _, m := range measured {
		p, err := Parse(m.source(t))
		if err != nil {
			t.Fatal(err)
		}
		used := make([]bool, len(m.want))
		correct := 0
		for _, f := range p.Findings {
			for k, e := range m.want {
				if !used[k] && e.matches(f) {
					used[k] = true
					correct++
					break
				}
			}
		}
		for k, e := range m.want {
			if !used[k] {
				t.Errorf("%s: not found: %s | %s | %s | %q", m.name, e.typ, e.area, e.grade, e.title)
			}
		}
		if len(p.Findings) != correct {
			t.Errorf("%s: %d findings, %d correct", m.name, len(p.Findings), correct)
		}
		warnings := append([]string(nil), p.Warnings...)
		sort.Strings(warnings)
		rows = append(rows, fmt.Sprintf("| %s | %d | %d | %d | %s | %s | %s |", m.name, len(m.want), len(p.Findings), correct,
			ratio(correct, len(m.want)), ratio(correct, len(p.Findings)), strings.Join(warnings, "<br>")))
	}
	if testing.Verbose() || os.Getenv("MEASURE") != "" {
		fmt.Println("| fixture | expected | found | correct | recall | precision | warnings |")
		fmt.Println("| --- | --- | --- | --- | --- | --- | --- |")
		fmt.Println(strings.Join(rows, "\n"))
	}
}

func ratio(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}
