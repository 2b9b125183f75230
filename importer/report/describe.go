package report

// What the parser says about the report as a whole: its cycle, force and
// title, and the headings it read against the findings it made.

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"improvementtracker/model"
)

// Cycle returns a PEEL cycle written the inspectorate's way, whatever the
// text or web address said: one year apart is an annual cycle ("2021/22"),
// more is a multi-year one ("2023–25"). ok is false for years that make no
// cycle.
func Cycle(first, second string) (string, bool) {
	if len(first) != 4 || len(second) != 2 {
		return "", false
	}
	y := int(first[2]-'0')*10 + int(first[3]-'0')
	z := int(second[0]-'0')*10 + int(second[1]-'0')
	switch d := (z - y + 100) % 100; {
	case d == 1:
		return first + "/" + second, true
	case d >= 2 && d <= 4:
		return first + "–" + second, true
	}
	return "", false
}

// findForce names the force a report is about: from its title ("An
// inspection of Kent Police"), else the force named most often, else the
// subject of a grade sentence read on the way.
func findForce(head, fromGrades string) string {
	if m := inspectionOf.FindStringSubmatch(head); m != nil {
		return strings.TrimSpace(m[1])
	}
	count := map[string]int{}
	total := 0
	best := ""
	for _, m := range forceName.FindAllStringSubmatch(head, 2000) {
		name := strings.TrimPrefix(strings.TrimPrefix(m[1], "and "), "of ")
		if strings.HasPrefix(name, "The ") || strings.HasPrefix(name, "&") {
			continue
		}
		count[name]++
		total++
		if count[name] > count[best] {
			best = name
		}
	}
	// A report about one force names it far more than any other; a
	// national report names many.
	if best != "" && count[best] >= 3 && count[best]*5 >= total*3 {
		return best
	}
	if m := howGood.FindStringSubmatch(head); m != nil {
		return strings.TrimSpace(m[1])
	}
	return fromGrades
}

var peelWord = regexp.MustCompile(`\bPEEL\b`)

// reportTitle is a national report's title: its first heading, as long as
// a title can be.
func reportTitle(ps []para) string {
	for _, pa := range ps[:min(len(ps), 5)] {
		t := strings.TrimSpace(pa.text)
		if keywordOf(t) == kwNone && gradeWord(t) == "" && utf8.RuneCountInString(t) >= 10 && utf8.RuneCountInString(t) <= 200 && !endsSentence(t) {
			return t
		}
	}
	return ""
}

// describe fills in the force, cycle, layout and publication date, and
// warns when nothing was found.
func (p *parser) describe(text string) {
	head := text
	if len(head) > 200_000 {
		head = head[:200_000]
	}
	head = strings.ReplaceAll(head, "\u00a0", " ")
	p.out.Force = findForce(head, p.out.Force)
	m := cyclePattern.FindStringSubmatch(head)
	if m == nil {
		m = cycleBefore.FindStringSubmatch(head)
	}
	if m != nil {
		if c, ok := Cycle(m[1], m[2]); ok {
			p.out.Cycle = c
		}
	}
	p.findPublished(head)
	p.setTargets()
	switch {
	case p.out.Cycle == "" && p.out.Force == "" && !peelWord.MatchString(head):
		p.out.Layout = LayoutThematic
		p.out.Title = reportTitle(p.ps)
		// A national report has no areas: the flag would only be noise.
		for i := range p.out.Findings {
			f := &p.out.Findings[i]
			kept := f.Flags[:0]
			for _, fl := range f.Flags {
				if fl != FlagNoArea {
					kept = append(kept, fl)
				}
			}
			f.Flags = kept
			if len(f.Flags) == 0 {
				f.Flags = nil
			}
		}
	case p.question || p.out.Cycle == "2018/19" || p.out.Cycle == "2017/18":
		p.out.Layout = Layout2018
	case hasNumbered(p.ps) || strings.HasPrefix(p.out.Cycle, "2023") || strings.HasPrefix(p.out.Cycle, "2025"):
		p.out.Layout = Layout2023
	default:
		p.out.Layout = Layout2021
	}
	p.describeQuoted()
	if len(p.out.Findings) == 0 {
		p.out.Warnings = append(p.out.Warnings, "No areas for improvement, causes of concern, recommendations or innovative practice were found. Check that this is the text of an inspection report.")
	}
	p.countHeadings()
	p.out.Warnings = append(p.out.Warnings, p.notes...)
	missing, moved, noArea := 0, 0, 0
	for _, f := range p.out.Findings {
		if f.HasFlag(FlagWordingMissing) {
			missing++
		}
		if f.HasFlag(FlagMoved) {
			moved++
		}
		if f.HasFlag(FlagNoArea) {
			noArea++
		}
	}
	if missing > 0 {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d %s no wording in the text (the box came out empty, or the text leaves part of it out). Copy the wording from the published report before you rely on %s.",
			missing, model.Plural(missing, "heading has", "headings have"), model.Plural(missing, "it", "them")))
	}
	if moved > 0 {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d %s was found later in their section, where the PDF put the box, not under the heading: check %s against the report.",
			moved, model.Plural(moved, "finding's wording", "findings' wording"), model.Plural(moved, "it", "them")))
	}
	if noArea > 0 {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d %s before any heading the parser could read as an area: give %s an area.",
			noArea, model.Plural(noArea, "finding comes", "findings come"), model.Plural(noArea, "it", "them")))
	}
}

// countHeadings fills in the headings seen against the findings made, and
// warns where they disagree.
func (p *parser) countHeadings() {
	kinds := []struct {
		label string
		kws   []keyword
		typ   model.FindingType
	}{
		{"Area for improvement", []keyword{kwAFI, kwAFIs}, model.AFI},
		{"Cause of concern", []keyword{kwCause}, model.CauseOfConcern},
		{"Recommendation", []keyword{kwRecs}, model.Recommendation},
		{"Innovative practice", []keyword{kwIP}, model.InnovativePractice},
	}
	for _, k := range kinds {
		c := HeadingCount{Heading: k.label}
		for _, kw := range k.kws {
			c.Seen += p.seen[kw]
		}
		for _, f := range p.out.Findings {
			if f.Type == k.typ {
				c.Findings++
				if !f.HasFlag(FlagWordingMissing) {
					c.Worded++
				}
			}
		}
		if c.Seen == 0 && c.Findings == 0 {
			continue
		}
		p.out.Headings = append(p.out.Headings, c)
		if c.Worded < c.Seen && k.typ != model.Recommendation {
			// Name the findings without wording, so the count leads to
			// them.
			var missing []string
			for n, f := range p.out.Findings {
				if f.Type == k.typ && f.HasFlag(FlagWordingMissing) {
					missing = append(missing, fmt.Sprintf("finding %d (line %d, %s)", n+1, f.Line, f.Area))
				}
			}
			named := ""
			if len(missing) > 0 {
				named = " No wording: " + strings.Join(missing, "; ") + "."
			}
			p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d ‘%s’ %s, %d %s with wording.%s",
				c.Seen, k.label, model.Plural(c.Seen, "heading", "headings"), c.Worded, model.Plural(c.Worded, "finding", "findings"), named))
		}
	}
	if gaps := p.numberGaps(); gaps != "" {
		p.out.Warnings = append(p.out.Warnings, gaps)
	}
}

// numberGaps names numbered headings the text skips ("Area for
// improvement 2" between 1 and 3), which PDF extraction can lose.
func (p *parser) numberGaps() string {
	var missing []string
	last := 0
	for _, pa := range p.ps {
		if kw := keywordOf(pa.text); kw == kwAFI {
			n := number(pa.text)
			if n == 0 {
				continue
			}
			if n == 1 {
				last = 0
			}
			for g := last + 1; g < n && g-last < 20; g++ {
				missing = append(missing, fmt.Sprint(g))
			}
			last = n
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return fmt.Sprintf("The numbered areas for improvement skip %s %s: check the report for %s.",
		model.Plural(len(missing), "number", "numbers"), strings.Join(missing, ", "), model.Plural(len(missing), "it", "them"))
}

func hasNumbered(ps []para) bool {
	for _, pa := range ps {
		if k := keywordOf(pa.text); (k == kwAFI || k == kwCause) && number(pa.text) > 0 {
			return true
		}
	}
	return false
}
