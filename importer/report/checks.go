package report

// Checking the findings against what the text itself says. The parser
// reads a report by the shape of its paragraphs; the text also says, in
// words, which area and grade each section is about ("Kent Police
// requires improvement at responding to the public."). A finding filed
// under another area or grade than its section's own sentence is
// corrected or flagged, and a finding whose wording looks like two run
// together, like a box run on into the main findings, or whose title ends
// with another heading, is flagged. Each flag names the finding in the
// preview, beside it, and in a warning: the rule is that an import gives
// the right findings or says which may not be.

import (
	"fmt"
	"sort"
	"strings"

	"improvementtracker/model"
)

// gradeNote is a section's grade sentence.
type gradeNote struct {
	line  int
	text  string
	grade model.Grade
	// area is the known area the sentence names, "" when it names none
	// ("good at prevention and deterrence").
	area string
}

// Flags of the checks; each starts with the words a test can look for.
const (
	// FlagTwoInOne marks wording that holds two directive sentences or
	// bullet texts: perhaps two findings run together.
	FlagTwoInOne = "its wording holds more than one “The force should…” sentence or bullet: it may be two findings run together; check it against the report"
	// FlagRunOn marks a box whose wording may run on into the text after
	// it.
	FlagRunOn = "its wording runs on past the box’s first paragraph: the box may have run into the main findings text; check where it ends"
	// FlagTitleHeading marks a title that ends with another heading.
	FlagTitleHeading = "its title ends with another heading of the report: check the title and the area"
)

// noteSentences gathers the sentences that name a known area and give
// its grade: "Kent Police requires improvement at responding to the
// public." A sentence naming no known area ("good at prevention and
// deterrence", a pillar's "at keeping people safe") cannot say which
// area a finding is under, and is not used.
func (p *parser) noteSentences() {
	for _, pa := range p.ps {
		who, g, what, ok := gradeIn(pa.text)
		if !ok || isGeneric(who) {
			continue
		}
		a := model.UpperFirst(strings.TrimSpace(what))
		if !knownAreas[foldArea(a)] {
			continue
		}
		p.sentences = append(p.sentences, gradeNote{line: pa.line, text: clipRunes(model.FirstSentence(pa.text), 120), grade: g, area: a})
	}
}

// pillars are the 2018/19 areas named after a pillar, which cover several
// of the areas a sentence may name.
var pillars = map[string]bool{"Effectiveness": true, "Efficiency": true, "Legitimacy": true}

// checkFindings runs the checks on every finding.
func (p *parser) checkFindings() {
	p.noteSentences()
	for k := range p.out.Findings {
		f := &p.out.Findings[k]
		p.checkSentence(k, f)
		p.checkWording(k, f)
	}
	p.checkMissedBoxes()
}

// flag adds a flag to finding k and a warning naming it.
func (p *parser) flag(k int, f *Proposed, flag, warning string) {
	if f.HasFlag(flag) {
		return
	}
	f.Flags = append(f.Flags, flag)
	p.notes = append(p.notes, fmt.Sprintf("Finding %d (line %d, “%s”): %s", k+1, f.Line, clipRunes(firstWordsOf(f), 70), warning))
}

func firstWordsOf(f *Proposed) string {
	if f.Text != "" {
		return model.FirstSentence(f.Text)
	}
	return f.Title
}

// checkSentence compares a finding's area and grade with the nearest
// grade sentence before it.
func (p *parser) checkSentence(k int, f *Proposed) {
	if f.Area == "" || f.Grade == model.Ungraded || pillars[f.Area] {
		return
	}
	// The sentences are in the text's order: the last at or before the
	// finding's line.
	n := sort.Search(len(p.sentences), func(i int) bool { return p.sentences[i].line > f.Line })
	if n == 0 {
		return
	}
	s := &p.sentences[n-1]
	if k < len(p.areaLines) && s.line < p.areaLines[k] {
		// The area's heading comes after the sentence: it is the
		// nearer, and its own grade sentence (if any) is not there.
		return
	}
	areaDiffers := foldArea(s.area) != foldArea(f.Area)
	if s.grade == f.Grade && !areaDiffers {
		return
	}
	if s.area != "" && areaDiffers {
		was := f.Area + ", " + string(f.Grade)
		f.Area, f.Grade = s.area, s.grade
		p.flag(k, f, fmt.Sprintf("area and grade set from the section’s own sentence at line %d (“%s”), not from the heading before it (%s): check them", s.line, s.text, was),
			fmt.Sprintf("filed under %s, %s by the section’s own sentence at line %d, not %s as the headings gave: check it.", f.Area, f.Grade, s.line, was))
		return
	}
	if s.grade != f.Grade {
		p.flag(k, f, fmt.Sprintf("the section’s own sentence at line %d (“%s”) gives the grade %s, not %s: check the area and grade", s.line, s.text, s.grade, f.Grade),
			fmt.Sprintf("the section’s own sentence at line %d gives the grade %s, not %s: check its area and grade.", s.line, s.grade, f.Grade))
	}
}

// checkWording flags wording that looks like two findings, a box run on
// into the main findings, or a title ending with another heading.
func (p *parser) checkWording(k int, f *Proposed) {
	if f.Text == "" {
		return
	}
	paras := strings.Split(f.Text, "\n\n")
	titled := f.Type != model.Recommendation && len(paras) > 1 && foldWording(paras[0]) == foldWording(f.Title) && !endsSentence(paras[0])
	bullets := strings.Count(f.Text, "•")
	directives := 0
	if !titled {
		for _, para := range paras {
			if s := directiveSentences(para); s != nil {
				directives += len(s)
			} else if directiveSentence.MatchString(para) {
				directives++
			}
		}
	}
	if directives >= 2 || (f.Type == model.Recommendation && bullets >= 2) || (f.Type != model.Recommendation && bullets >= 1) {
		p.flag(k, f, FlagTwoInOne, "its wording holds more than one “The force should…” sentence or bullet: it may be two findings run together.")
	}
	if f.Type == model.AFI && !titled && len(paras) >= 2 && directiveSentence.MatchString(paras[0]) && !directiveSentence.MatchString(paras[1]) {
		p.flag(k, f, FlagRunOn, "its wording runs on past the box’s first paragraph, into what may be the main findings: check where the box ends.")
	}
	if knownHeadingEnd(f.Title) || knownHeadingEnd(paras[len(paras)-1]) {
		p.flag(k, f, FlagTitleHeading, "its title or wording ends with another heading of the report: check the title and the area.")
	}
}

// knownHeadingEnd reports whether s ends with a heading the parser knows,
// run onto it.
func knownHeadingEnd(s string) bool {
	words := strings.Fields(s)
	for n := 1; n < len(words) && n <= 12; n++ {
		tail := strings.Join(words[len(words)-n:], " ")
		switch kw := keywordOf(tail); {
		case kw != kwNone && kw != kwRecs:
			return true
		case knownHeading(tail) && endsSentence(words[len(words)-n-1]):
			// An area's name ends many a sentence ("…staff involved in
			// protecting vulnerable people"); only after a full stop is
			// it a heading run on.
			return true
		}
	}
	return false
}

// checkMissedBoxes warns, in text that does not show its pages, of
// paragraphs after a section's boxes that read like an area for
// improvement and were not taken as one: where the PDF moved a box and
// the text no longer shows where, the box may be among them.
func (p *parser) checkMissedBoxes() {
	if p.paged {
		return
	}
	taken := map[string]bool{}
	for _, f := range p.out.Findings {
		for _, para := range strings.Split(f.Text, "\n\n") {
			taken[foldWording(para)] = true
		}
	}
	var named []string
	seen := map[int]bool{}
	scanned := 0 // paragraphs before it were looked at already
	for _, j := range p.afterBoxes {
		for k := max(j, scanned); k < len(p.ps); k++ {
			scanned = k + 1
			if k > j && p.sectionStart(k) {
				break
			}
			t := p.ps[k].text
			if seen[k] || taken[foldWording(t)] || !directiveSentence.MatchString(t) || keywordOf(t) != kwNone {
				continue
			}
			seen[k] = true
			named = append(named, fmt.Sprintf("line %d “%s”", p.ps[k].line, clipRunes(t, 120)))
		}
	}
	if len(named) > 0 {
		p.notes = append(p.notes, fmt.Sprintf("The text does not show its pages, so a box the PDF moved away from its heading cannot be found by its place. These paragraphs after boxes read like areas for improvement but were not taken: %s. If one is a box, add it by hand.",
			strings.Join(named, "; ")))
	}
}

// sectionStart reports whether paragraph k starts another area or another
// run of boxes.
func (p *parser) sectionStart(k int) bool {
	t := p.ps[k].text
	switch keywordOf(t) {
	case kwAFI, kwAFIs, kwIP, kwCause, kwRecs:
		return true
	}
	if !isTitle(p.ps[k]) {
		return false
	}
	if knownAreas[foldArea(t)] || isVictimService(t) || isQuestion(t) || gradeWord(p.nextText(k)) != "" {
		return true
	}
	who, _, _, ok := gradeIn(p.nextText(k))
	return ok && !isGeneric(who)
}
