// Package report reads the text of an HMICFRS inspection report (pasted,
// a .txt file or a PDF) and proposes the findings it contains: areas for
// improvement, causes of concern with their recommendations, and
// innovative practice, each with its area and grade. Nothing is stored
// until the person has checked the proposal: see Plan.
//
// Reports reach forces in three layouts, all read here: the 2018/19
// integrated PEEL assessment (a core question, its grade, bulleted areas
// for improvement), the 2021/22 PEEL assessment (a grade sentence such as
// "Kent Police requires improvement at investigating crime.", boxed areas
// for improvement with a title and text) and the 2023–25 PEEL assessment
// (a grade under each heading, numbered "Area for improvement 1" boxes and
// causes of concern with "We recommend that, within six months, the
// force…").
//
// Text extracted from a PDF is untidy: titles broken over lines, glossary
// links and page numbers between paragraphs, and boxes whose text came out
// empty or in another place. The parser mends what it safely can and flags
// the rest. A box whose wording cannot be found gives a finding flagged
// "wording missing from the source text"; wording is never invented.
package report

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"improvementtracker/model"
)

// Flags a proposed finding can carry.
const (
	// FlagWordingMissing marks a heading whose wording is not in the text.
	FlagWordingMissing = "wording missing from the source text"
	// FlagNoArea marks a finding found before any area heading.
	FlagNoArea = "area not found in the text"
	// FlagTitleShortened marks a title cut from a heading too long for one.
	FlagTitleShortened = "title shortened from a long heading"
	// FlagMoved marks wording taken from later in its section, where the
	// PDF's text put the box.
	FlagMoved = "wording found later in the section, where the PDF put the box: check it against the report"
)

// MaxInputBytes caps the text read. A long PEEL report's text is under
// 1 MB; anything far larger is not a report's text, and reading it whole
// would only make the computer slow.
const MaxInputBytes = 8 << 20

// Proposed is one finding the parser found, for the person to check.
type Proposed struct {
	Type  model.FindingType `json:"type"`
	Area  string            `json:"area"`
	Grade model.Grade       `json:"grade,omitempty"`
	Title string            `json:"title"`
	// Text is the inspectorate's wording, verbatim and whole: a box's
	// heading sentence stays first in it. Title is a label made from it.
	Text  string   `json:"text"`
	Flags []string `json:"flags,omitempty"`
	// Parent is the 1-based position in the list of the cause of concern
	// a recommendation belongs to; 0 for none.
	Parent int `json:"parent,omitempty"`
	// Deadline is the time the inspectorate gave, as written: "within six
	// months".
	Deadline string `json:"deadline,omitempty"`
	// Target is the target date the deadline gives, counted from the
	// publication date where it is relative (flagged for checking).
	Target model.Date `json:"target,omitzero"`
	// Line is the line of the source text the finding starts on.
	Line int `json:"line"`
	// Lines are the lines of the text the finding was read from, as
	// first and last line pairs; Source is their text, which the preview
	// shows beside the finding so that it can be checked against it.
	Lines  [][2]int `json:"lines,omitempty"`
	Source string   `json:"source,omitempty"`
	// NotForForce marks a recommendation addressed to others (the Home
	// Office, the College of Policing): listed, not imported unless ticked.
	NotForForce bool `json:"not_for_force,omitempty"`
	// Addressee is who such a recommendation is addressed to.
	Addressee string `json:"addressee,omitempty"`
}

// HasFlag reports whether the finding carries the flag.
func (p Proposed) HasFlag(flag string) bool {
	for _, f := range p.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// Parsed is what the parser found in a report's text.
type Parsed struct {
	// Title is a national report's title, which names no force or cycle.
	Title     string     `json:"title,omitempty"`
	Force     string     `json:"force,omitempty"`
	Cycle     string     `json:"cycle,omitempty"`
	Layout    string     `json:"layout"`
	Published model.Date `json:"published,omitempty"`
	Findings  []Proposed `json:"findings"`
	// Headings counts the box headings read and the findings made from
	// them, so that a gap shows.
	Headings []HeadingCount `json:"headings,omitempty"`
	// Warnings are things the person should know, in plain words.
	Warnings []string `json:"warnings,omitempty"`
}

// HeadingCount is how many headings of one kind the text has and how many
// findings were made from them.
type HeadingCount struct {
	Heading  string `json:"heading"`
	Seen     int    `json:"seen"`
	Findings int    `json:"findings"`
	// Worded counts the findings with wording (not flagged missing).
	Worded int `json:"with_wording"`
}

// The layouts the parser tells apart.
const (
	Layout2018 = "PEEL 2018/19"
	Layout2021 = "PEEL 2021/22"
	Layout2023 = "PEEL 2023–25"
	// LayoutThematic is a national report on one subject, whose
	// recommendations are addressed to chief constables and others.
	LayoutThematic = "Thematic inspection"
)

// Parse reads a report's text and proposes its findings. It fails only
// for text too large to be a report; text with no findings gives an empty
// list and a warning.
func Parse(text string) (*Parsed, error) {
	if len(text) > MaxInputBytes {
		return nil, fmt.Errorf("the text is %.1f MB, more than the %d MB a report's text can be: check that this is the text of one inspection report", float64(len(text))/(1<<20), MaxInputBytes>>20)
	}
	ps, notes := dropNotes(paragraphs(text))
	p := &parser{ps: ps, consumed: make([]bool, len(ps)), out: &Parsed{}, seen: map[keyword]int{}, notes: notes}
	pages := 0
	for _, pa := range ps {
		if pa.pageStart {
			pages++
		}
	}
	p.paged = pages >= 3
	// Recommendations quoted in running text are read only where the
	// text has none of a report's boxes: in a report, a sentence about
	// past recommendations is narrative.
	p.quotable = !hasBoxes(ps)
	p.run()
	p.checkFindings()
	defer p.quoteSource(text)
	p.describe(text)
	return p.out, nil
}

type parser struct {
	ps       []para
	consumed []bool
	area     string
	grade    model.Grade
	out      *Parsed
	numbered bool // saw "Area for improvement 1"
	// quotable: the text has no box headings, so recommendations quoted
	// in running text are read (see quoted.go); quoted: some were.
	quotable, quoted bool
	// listHeading is set while the boxes under a plural "Areas for
	// improvement" heading are read (see lists.go).
	listHeading bool
	question    bool // saw a 2018/19 core question
	// paged is whether the text shows its page breaks (form feeds,
	// glossary links at a page's foot, page numbers).
	paged bool
	// seen counts the box headings read, to compare with the findings
	// made from them.
	seen map[keyword]int
	// notes are warnings found on the way: bracketed notes left out, a
	// grade with no area.
	notes []string
	// sentences are the sections' own grade sentences, in order, to
	// check the findings' areas and grades against.
	sentences []gradeNote
	// cur is the paragraph being read; areaLine the line of the
	// paragraph that set the area; areaLines that line for each finding.
	cur, areaLine int
	areaLines     []int
	// afterBoxes are the paragraphs where each run of area for
	// improvement boxes ended, to look for boxes the PDF moved.
	afterBoxes []int
}

func (p *parser) run() {
	for i := 0; i < len(p.ps); {
		p.cur = i
		if p.consumed[i] {
			i++
			continue
		}
		if next, ok := p.areaAt(i); ok {
			i = next
			continue
		}
		switch keywordOf(p.ps[i].text) {
		case kwAFI, kwAFIs, kwIP, kwCause:
			i = p.boxes(i)
			continue
		case kwRecs:
			p.seen[kwRecs]++
			i = p.recommendations(i+1, 0)
			continue
		}
		if p.quotable {
			if next, ok := p.quotedList(i); ok {
				i = next
				continue
			}
		}
		if g := gradeWord(p.ps[i].text); g != "" {
			// A grade under no heading read as an area: the findings after
			// it are not given the area before it.
			p.notes = append(p.notes, fmt.Sprintf("Line %d gives the grade %q under no heading that could be read as an area: the findings after it have no area.", p.ps[i].line, g))
			p.area, p.grade = "", g
		}
		i++
	}
}

// areaAt recognises the start of an area at paragraph i and returns the
// index after it.
func (p *parser) areaAt(i int) (int, bool) {
	t := p.ps[i].text
	if keywordOf(t) != kwNone {
		return 0, false
	}
	if isTitle(p.ps[i]) {
		next := p.nextText(i)
		if g := gradeWord(next); g != "" {
			p.setArea(t, g)
			if isQuestion(t) {
				p.question = true
			}
			return i + 2, true // the heading and its grade
		}
		if who, g, _, ok := gradeIn(next); ok && (knownAreas[foldArea(t)] || !isGeneric(who)) {
			p.setArea(t, g)
			p.noteForce(who)
			// The grade sentence may run on into the section's first
			// paragraph; only the heading is consumed.
			return i + 1, true
		}
		if isVictimService(t) {
			if p.area == "" || !p.areaJustSet(i) {
				p.setArea(strings.TrimSpace(t), model.Ungraded)
			} else {
				p.grade = model.Ungraded
			}
			return i + 1, true
		}
		if isQuestion(t) {
			p.question = true
			p.setArea(t, "")
			return i + 1, true
		}
		if knownAreas[foldArea(t)] {
			p.setArea(t, "")
			return i + 1, true
		}
		return 0, false
	}
	// A grade sentence with no heading before it names the area itself.
	// Elsewhere it only gives the grade of the area it names.
	if who, g, what, ok := gradeIn(t); ok && !isGeneric(who) && (i == 0 || !isTitle(p.ps[i-1])) {
		switch {
		case p.area == "" && !strings.HasPrefix(strings.ToLower(what), "its ") && !strings.HasPrefix(strings.ToLower(what), "their "):
			p.setArea(model.UpperFirst(what), g)
		case foldArea(what) == foldArea(p.area) && p.grade == "":
			p.grade = g
		}
		p.noteForce(who)
	}
	return 0, false
}

var (
	// bracketNote is a paragraph wholly in square brackets: an editor's
	// note ("[This section has been updated]", "[Image: chart]"), never
	// the inspectorate's finding.
	bracketNote = regexp.MustCompile(`^\[[^\[\]]*\]\.?$`)
	// elided is a gap the text marks as left out: "[...]", "[…]", "(...)".
	elided = regexp.MustCompile(`[\[(]\s*(?:\.\s?\.\s?\.|…)\s*[\])]`)
)

// contentsEntry is a line of a contents list: a heading and its page.
var contentsEntry = regexp.MustCompile(`^\S.{1,150}?\s\d{1,3}$`)

// dropNotes leaves bracketed editorial notes and the contents list out of
// the paragraphs, and says so of the notes.
func dropNotes(ps []para) ([]para, []string) {
	out := ps[:0:0]
	var notes []string
	inContents := false
	for _, pa := range ps {
		if strings.EqualFold(strings.TrimSpace(pa.text), "contents") {
			inContents = true
			continue
		}
		if inContents && contentsEntry.MatchString(pa.text) {
			continue
		}
		inContents = false
		if bracketNote.MatchString(pa.text) && !elided.MatchString(pa.text) {
			notes = append(notes, fmt.Sprintf("Line %d is a bracketed note, left out: %s", pa.line, clipRunes(pa.text, 80)))
			continue
		}
		out = append(out, pa)
	}
	return out, notes
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// markElided flags a finding whose wording the text marks as partly left
// out.
func (p *parser) markElided(f *Proposed) {
	if elided.MatchString(f.Text) || elided.MatchString(f.Title) {
		if !f.HasFlag(FlagWordingMissing) {
			f.Flags = append(f.Flags, FlagWordingMissing)
		}
		p.notes = append(p.notes, fmt.Sprintf("Line %d: the text leaves part of the wording out ([…]): copy it from the published report.", f.Line))
	}
}

// areaJustSet reports whether the paragraph before i set the area.
func (p *parser) areaJustSet(i int) bool {
	return i > 0 && foldArea(p.ps[i-1].text) == foldArea(p.area)
}

func (p *parser) setArea(name string, g model.Grade) {
	p.areaLine = p.ps[p.cur].line
	p.area = strings.TrimRight(strings.TrimSpace(name), " :")
	if a := questionArea(p.area); a != "" {
		p.area = a
	}
	p.grade = g
}

// nextText is the text of the paragraph after i, or "".
func (p *parser) nextText(i int) string {
	if i+1 < len(p.ps) {
		return p.ps[i+1].text
	}
	return ""
}

func isGeneric(who string) bool {
	l := strings.ToLower(who)
	return l == "the force" || l == "it" || l == "this force" || l == "the constabulary" || l == "we" || l == "they"
}

func (p *parser) noteForce(who string) {
	if p.out.Force == "" && !isGeneric(who) {
		p.out.Force = who
	}
}

// isTitle reports whether a paragraph reads as a heading: a line of words
// with no full stop at its end.
func isTitle(pa para) bool {
	t := pa.text
	if isQuestion(t) {
		return true
	}
	if pa.bullet || endsSentence(t) || utf8.RuneCountInString(t) > 400 || keywordOf(t) != kwNone {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || r == '‘' || r == '\''
}

// isStop reports whether paragraph i ends a box: another heading of the
// report's structure or the start of an area.
func (p *parser) isStop(i int) bool {
	t := p.ps[i].text
	if keywordOf(t) != kwNone || sectionSentence(t) {
		return true
	}
	if !isTitle(p.ps[i]) {
		return false
	}
	if gradeWord(p.nextText(i)) != "" || isQuestion(t) || isVictimService(t) || knownAreas[foldArea(t)] {
		return true
	}
	if who, _, _, ok := gradeIn(p.nextText(i)); ok && !isGeneric(who) {
		return true
	}
	return false
}

// sectionSentence reports whether a paragraph is a section's own grade
// sentence naming a known area ("Kent Police requires improvement at
// responding to the public."), which no box's wording runs past.
func sectionSentence(t string) bool {
	who, _, what, ok := gradeIn(t)
	return ok && !isGeneric(who) && knownAreas[foldArea(model.UpperFirst(what))]
}

func (p *parser) base(t model.FindingType, line int) Proposed {
	// (Every finding made is added to the list next.)
	p.areaLines = append(p.areaLines, p.areaLine)
	f := Proposed{Type: t, Area: p.area, Grade: p.grade, Line: line}
	if p.area == "" {
		f.Flags = append(f.Flags, FlagNoArea)
	}
	return f
}

// emit adds a finding from a block and returns its 1-based index.
func (p *parser) emit(t model.FindingType, b block, parent int) int {
	f := p.base(t, b.line)
	f.Parent = parent
	body := strings.Join(b.body, "\n\n")
	switch {
	case b.title != "" && body != "":
		// The box's heading is the inspectorate's own sentence: it stays
		// first in the wording, and the title is only a label made from
		// it, which the person may shorten without losing a word.
		f.Title, f.Flags = titleFrom(b.title, f.Flags)
		f.Text = b.title + "\n\n" + body
	case b.title != "":
		f.Text = b.title
		f.Title, f.Flags = titleFrom(b.title, f.Flags)
	default:
		f.Text = body
		f.Title = model.FirstSentence(body)
	}
	f.Lines = p.linesOf(b.paras)
	p.markElided(&f)
	p.out.Findings = append(p.out.Findings, f)
	return len(p.out.Findings)
}

// linesOf gives the source lines of paragraphs, runs of adjacent lines
// merged.
func (p *parser) linesOf(paras []int) [][2]int {
	var out [][2]int
	for _, k := range paras {
		if k < 0 || k >= len(p.ps) {
			continue
		}
		from, to := p.ps[k].line, max(p.ps[k].end, p.ps[k].line)
		if n := len(out); n > 0 && from <= out[n-1][1]+2 && from >= out[n-1][0] {
			out[n-1][1] = max(out[n-1][1], to)
			continue
		}
		out = append(out, [2]int{from, to})
	}
	return out
}

// emitMissing adds a finding whose wording is not in the text.
func (p *parser) emitMissing(t model.FindingType, line int) int {
	f := p.base(t, line)
	f.Flags = append(f.Flags, FlagWordingMissing)
	where := ""
	if p.area != "" {
		where = " under " + p.area
	}
	label := string(t)
	if t == model.AFI {
		label = "Area for improvement"
	}
	f.Title = label + where + " (" + FlagWordingMissing + ")"
	f.Lines = [][2]int{{line, line}}
	p.out.Findings = append(p.out.Findings, f)
	return len(p.out.Findings)
}

// titleFrom makes a title from a heading or, when there is none, from the
// first sentence of the wording.
func titleFrom(s string, flags []string) (string, []string) {
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= 250 && !strings.Contains(s, "\n") {
		return strings.TrimRight(s, " "), flags
	}
	t := model.FirstSentence(s)
	if t != s {
		flags = append(flags, FlagTitleShortened)
	}
	return t, flags
}

// trimListEnd drops the "; and" that joins the items of a list.
func trimListEnd(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, " and")
	s = strings.TrimSuffix(s, " or")
	return strings.TrimRight(s, ";, ")
}

func stripBullet(s string) string {
	return strings.TrimSpace(bulletMark.ReplaceAllString(s, ""))
}

var (
	cyclePattern     = regexp.MustCompile(`(?i)\bPEEL\b[^.\n]{0,60}?\b(20\d\d)\s?[/–—-]\s?(?:20)?(\d\d)\b`)
	cycleBefore      = regexp.MustCompile(`(?i)\b(20\d\d)\s?[/–—-]\s?(?:20)?(\d\d)\b[^.\n]{0,20}\bPEEL\b`)
	inspectionOf     = regexp.MustCompile(`\b[Aa]n inspection of ((?:the )?[A-Z][\pL&’'. -]{2,60}?(?:Police|Constabulary|Police Service(?: of [A-Z][\pL ]{2,30})?))\b`)
	howGood          = regexp.MustCompile(`\bhow good ([A-Z][\pL&’'. -]{2,60}?) is\b`)
	forceName        = regexp.MustCompile(`\b((?:[A-Z][\pL’'-]+|and|&|of)(?: (?:[A-Z][\pL’'-]+|and|&|of)){0,4} (?:Police|Constabulary))\b`)
	publishedPattern = regexp.MustCompile(`(?i)\bpublished(?:\s+on)?:?\s+(?:on\s+)?(\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8},?\s+20\d\d)\b`)
)
