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
	"time"
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
	// Text is the inspectorate's wording, verbatim apart from the title.
	Text  string   `json:"text"`
	Flags []string `json:"flags,omitempty"`
	// Parent is the 1-based position in the list of the cause of concern
	// a recommendation belongs to; 0 for none.
	Parent int `json:"parent,omitempty"`
	// Deadline is the time the inspectorate gave, as written: "within six
	// months".
	Deadline string `json:"deadline,omitempty"`
	// Line is the line of the source text the finding starts on.
	Line int `json:"line"`
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
	p.run()
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
	question bool // saw a 2018/19 core question
	// paged is whether the text shows its page breaks (form feeds,
	// glossary links at a page's foot, page numbers).
	paged bool
	// seen counts the box headings read, to compare with the findings
	// made from them.
	seen map[keyword]int
	// notes are warnings found on the way: bracketed notes left out, a
	// grade with no area.
	notes []string
}

func (p *parser) run() {
	for i := 0; i < len(p.ps); {
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
			p.setArea(upperFirst(what), g)
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
	if keywordOf(t) != kwNone {
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

// block is the wording of one box: an optional title and its text.
type block struct {
	title  string
	body   []string
	line   int
	start  int // the paragraph it starts at
	bullet bool
}

// boxes reads a run of box headings starting at i ("Area for
// improvement", then perhaps "Innovative practice" with nothing between,
// as PDF extraction leaves side-by-side boxes) and the wording after them,
// and shares the wording out between the headings in order.
//
// The number of boxes is read from the text, not from the heading: a
// report that says "Area for improvement" over three boxes has three, and
// one that says "Areas for improvement" over one has one. The heading only
// says where to look.
func (p *parser) boxes(i int) int {
	type heading struct {
		kw   keyword
		line int
	}
	var queue []heading
	numbered := false
	for i < len(p.ps) {
		kw := keywordOf(p.ps[i].text)
		if kw != kwAFI && kw != kwAFIs && kw != kwIP && kw != kwCause {
			break
		}
		n := number(p.ps[i].text) > 0
		if n && len(queue) > 0 {
			// "Area for improvement 1" starts its own box; a plural
			// heading just before it is only the section's title.
			if len(queue) == 1 && queue[0].kw == kwAFIs {
				queue = queue[:0]
				p.seen[kwAFIs]--
			} else {
				break
			}
		}
		queue = append(queue, heading{kw, p.ps[i].line})
		p.seen[kw]++
		i++
		if n {
			p.numbered = true
			numbered = true
			break
		}
	}
	plural := false
	for _, h := range queue {
		if h.kw == kwAFIs {
			plural = true
		}
	}
	limit := -1
	if numbered {
		limit = 1
	}
	j, blocks := p.collect(i, limit)
	end := ""
	if j < len(p.ps) {
		end = p.ps[j].text
	}
	atMain := keywordOf(end) == kwMain
	if !numbered && !atMain && end != boxEnd && keywordOf(end) == kwNone {
		// Nothing marks where the boxes end (no "Main findings" heading
		// after them): beyond one block per heading, only blocks that read
		// as boxes are taken, so the narrative after them is not.
		keep := len(queue)
		for keep < len(blocks) && (blocks[keep].bullet || boxLike(blocks[keep])) {
			keep++
		}
		if keep < len(blocks) {
			j = blocks[keep].start
			blocks = blocks[:keep]
		}
	}
	moved := 0
	if atMain && !numbered && (len(blocks) != len(queue) || plural) {
		// Fewer boxes than headings, or a heading that allows more: the
		// PDF may have put the box's wording after the "Main findings"
		// heading.
		extra := p.moved(j, len(blocks))
		moved = len(extra)
		blocks = append(blocks, extra...)
	}

	// Share out: each heading takes one block in order, and the first
	// area-for-improvement heading takes any left over.
	absorber := 0
	for qi, h := range queue {
		if h.kw == kwAFI || h.kw == kwAFIs {
			absorber = qi
			break
		}
	}
	k := 0
	var causeIndex int
	for qi, h := range queue {
		take := 1
		if qi == absorber {
			take = max(1, len(blocks)-(len(queue)-1))
		}
		for n := 0; n < take; n++ {
			typ := findingType(h.kw)
			var idx int
			if k < len(blocks) {
				idx = p.emit(typ, blocks[k], 0)
				if k >= len(blocks)-moved {
					f := &p.out.Findings[idx-1]
					f.Flags = append(f.Flags, FlagMoved)
				}
				k++
			} else {
				idx = p.emitMissing(typ, h.line)
			}
			if typ == model.CauseOfConcern {
				causeIndex = idx
			}
		}
	}
	if causeIndex > 0 && j < len(p.ps) && keywordOf(p.ps[j].text) == kwRecs {
		p.seen[kwRecs]++
		j = p.recommendations(j+1, causeIndex)
	}
	return j
}

func findingType(kw keyword) model.FindingType {
	switch kw {
	case kwIP:
		return model.InnovativePractice
	case kwCause:
		return model.CauseOfConcern
	}
	return model.AFI
}

// collect reads up to limit blocks (no limit when negative) from i and
// returns the index after them.
func (p *parser) collect(i, limit int) (int, []block) {
	var blocks []block
	bulleted := false
	for i < len(p.ps) && (limit < 0 || len(blocks) < limit) {
		if p.consumed[i] {
			i++
			continue
		}
		if p.isStop(i) {
			break
		}
		pa := p.ps[i]
		if pa.bullet {
			// A bulleted list: each bullet is a finding.
			blocks = append(blocks, block{body: []string{stripBullet(pa.text)}, line: pa.line, start: i, bullet: true})
			bulleted = true
			i++
			continue
		}
		if bulleted {
			break // the list has ended
		}
		b := block{line: pa.line, start: i}
		if isTitle(pa) {
			b.title = pa.text
			i++
		}
		for i < len(p.ps) && !p.isStop(i) && !isTitle(p.ps[i]) {
			if p.consumed[i] {
				i++
				continue
			}
			if p.ps[i].bullet && len(b.body) > 0 && !strings.HasSuffix(b.body[len(b.body)-1], ":") {
				break // a list after the box's wording starts new boxes
			}
			b.body = append(b.body, p.ps[i].text)
			i++
		}
		blocks = append(blocks, b)
	}
	return i, blocks
}

// shouldTitle matches the inspectorate's wording for what a force must
// improve.
var shouldTitle = regexp.MustCompile(`(?i)\b(?:should|must)\b`)

// directiveTitle matches a heading that tells the force what to improve,
// as box headings do, with the "should" or "needs to" among its first
// words ("The force needs to…", "Investigation plans should…"). Main
// findings mostly describe ("The workforce understands why and how it
// should…").
var directiveTitle = regexp.MustCompile(`(?i)^(?:[\pL\pN’'&-]+\s+){0,4}(?:should|must|needs?\s+to)\b`)

// boxLike reports whether a block reads as a box's wording: a heading
// telling the force what to improve, then a brief paragraph or two. The
// narrative of the main findings runs longer.
func boxLike(b block) bool {
	return directiveTitle.MatchString(b.title) && len(b.body) >= 1 && len(b.body) <= 2 && words(b) <= 120
}

// boxLikeLoose is boxLike for the one block that must be a box (its
// heading is empty and it is alone at the place the box's wording would
// be): up to four paragraphs.
func boxLikeLoose(b block) bool {
	return directiveTitle.MatchString(b.title) && len(b.body) >= 1 && len(b.body) <= 4 && words(b) <= 300
}

func words(b block) int {
	n := 0
	for _, p := range b.body {
		n += len(strings.Fields(p))
	}
	return n
}

// span is a titled block of a section with where it lies.
type span struct {
	b          block
	start, end int  // paragraphs [start, end)
	page       int  // pages after the first, counted from the start
	endsPage   bool // the block is the last on its page
}

// spans reads the titled blocks from i to the end of the section.
func (p *parser) spans(i int) []span {
	var out []span
	page := 0
	for k := i; k < len(p.ps) && !p.isStop(k); {
		if p.ps[k].pageStart && k > i {
			page++
		}
		if !isTitle(p.ps[k]) || p.consumed[k] {
			k++
			continue
		}
		sp := span{b: block{title: p.ps[k].text, line: p.ps[k].line, start: k}, start: k, page: page}
		k++
		// A page break inside a block's wording does not end the block.
		for k < len(p.ps) && !p.isStop(k) && !isTitle(p.ps[k]) && !p.consumed[k] {
			if p.ps[k].pageStart {
				page++
			}
			sp.b.body = append(sp.b.body, p.ps[k].text)
			k++
		}
		sp.end = k
		sp.endsPage = k >= len(p.ps) || p.ps[k].pageStart || p.isStop(k)
		out = append(out, sp)
	}
	return out
}

// moved finds the wording of boxes that PDF extraction put after the "Main
// findings" heading at main; found boxes were in place.
//
// Where the text shows its pages, the box's wording is at the end of a
// page: the box-like blocks at the end of the heading's page when "Main
// findings" is on that page, or, when the box filled its page and "Main
// findings" starts the next, at the end of that next page. Where it does
// not (text pasted without page breaks), the first run of box-like blocks
// of the section is taken. A heading still without wording is flagged
// missing rather than guessed.
func (p *parser) moved(main, found int) []block {
	start := main + 1
	if start < len(p.ps) && !isTitle(p.ps[start]) && strings.HasPrefix(strings.ToLower(p.ps[start].text), "in this section") {
		start++
	}
	all := p.spans(start)
	var pick []span
	if p.paged {
		var page []span
		for _, sp := range all {
			if sp.page == 0 {
				page = append(page, sp)
			}
		}
		first := len(page)
		if first > 0 && page[first-1].endsPage {
			for first > 0 && boxLike(page[first-1].b) {
				first--
			}
		}
		switch {
		case first < len(page) && (first > 0 || !p.ps[main].pageStart):
			// A page of nothing but box-like blocks after a "Main
			// findings" heading that starts it is a page of findings,
			// not a box that ran over.
			pick = page[first:]
		case found == 0 && len(page) > 0 && page[len(page)-1].endsPage && boxLikeLoose(page[len(page)-1].b) && !p.ps[main].pageStart:
			pick = page[len(page)-1:]
		}
	}
	if len(pick) == 0 {
		// No page showed the box, or the text shows only some of its
		// page breaks (links kept, the page's leading space lost).
		k := 0
		for k < len(all) && !boxLike(all[k].b) {
			k++
		}
		for ; k < len(all) && boxLike(all[k].b); k++ {
			pick = append(pick, all[k])
		}
		if len(pick) == 0 && found == 0 && len(all) > 0 && all[0].start == start && boxLikeLoose(all[0].b) {
			pick = all[:1]
		}
	}
	var out []block
	for _, sp := range pick {
		for k := sp.start; k < sp.end; k++ {
			p.consumed[k] = true
		}
		out = append(out, sp.b)
	}
	return out
}

// deadlinePattern finds the time the inspectorate gave for a
// recommendation.
var deadlinePattern = regexp.MustCompile(`(?i)\b(immediately|within (?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen) (?:months?|weeks?|days?)|by \d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d)\b`)

// recStart is how a recommendation written as a sentence starts: "We
// recommend…", a deadline, or someone who "should" act, named within its
// first words.
var recStart = regexp.MustCompile(`(?i)^(?:we recommend|by \d{1,2} \pL+ 20\d\d|within |immediately|(?:[\pL’'&,-]+\s+){0,12}?(?:should|must)\b)`)

// recommendations reads the recommendations from i: a lead-in ("We
// recommend that, within six months, the force:") and its bullets, or
// recommendations written as whole sentences. parent is the 1-based index
// of their cause of concern. The recommendations end where their list
// ends, or at the first paragraph that is not one: later narrative that
// happens to say "should" is not taken.
func (p *parser) recommendations(i, parent int) int {
	stem := ""
	found := 0
	bullets := 0
	skipped := 0
	for i < len(p.ps) && !p.isStop(i) {
		pa := p.ps[i]
		if p.consumed[i] {
			i++
			continue
		}
		text := strings.TrimSpace(pa.text)
		switch {
		case pa.bullet:
			if found > 0 && bullets == 0 && stem == "" {
				return i // a list after sentence recommendations is not theirs
			}
			item := stripBullet(text)
			full := item
			if stem != "" {
				full = stem + "\n• " + item
			}
			p.emitRec(full, item, stem, pa.line, parent)
			found++
			bullets++
		case bullets > 0:
			// The list has ended, and with it the recommendations.
			return i
		case isTitle(pa):
			if found > 0 {
				return i
			}
			// A recommendation may have a heading of its own.
			stem = ""
		case strings.HasSuffix(text, ":") && (found == 0 || recStart.MatchString(text)):
			stem = text
		case recStart.MatchString(text):
			p.emitRec(text, text, text, pa.line, parent)
			found++
		case found > 0:
			return i
		default:
			// A sentence introducing the recommendations; more than a few
			// means there are none here.
			skipped++
			if skipped > 3 {
				i = p.missingRec(i, parent)
				return i
			}
		}
		i++
	}
	if found == 0 && (i >= len(p.ps) || keywordOf(p.ps[i].text) != kwRecs) {
		// (A heading "Recommendations" over numbered ones, "Recommendation
		// 1", has none of its own.)
		p.missingRec(i, parent)
	}
	return i
}

// missingRec adds a recommendation whose wording is not in the text.
func (p *parser) missingRec(i, parent int) int {
	line := 0
	if i > 0 && i <= len(p.ps) {
		line = p.ps[i-1].line
	}
	p.emitMissing(model.Recommendation, line)
	if parent > 0 {
		p.out.Findings[len(p.out.Findings)-1].Parent = parent
	}
	return i
}

var (
	// forceAddressee names a force among those a recommendation is for.
	forceAddressee = regexp.MustCompile(`(?i)\b(?:chief constables?|(?:all |each |every )?forces?|the constabulary|police forces|the force)\b`)
	// otherAddressee names bodies other than forces that recommendations
	// are addressed to.
	otherAddressee = regexp.MustCompile(`(?i)\b(?:the home office|the home secretary|the college of policing|the national police chiefs[’']? council|npcc|the national crime agency|the crown prosecution service|the cps|the ministry of justice|the department for [\pL ]{3,40}?|the government|police and crime commissioners|pccs|the independent office for police conduct|the iopc|nhs england|local authorities|the national fire chiefs[’']? council|hmicfrs)\b`)
	// addresseeEnd is where the words naming who should act end.
	addresseeEnd = regexp.MustCompile(`(?i)\b(?:should|must)\b|:\s*$`)
)

// addressee returns who a recommendation is for, from the words before
// its "should" (or the lead-in of its list): forOthers is true when those
// words name only bodies other than forces, such as the Home Office.
func addressee(stem, item string) (who string, forOthers bool) {
	subject := stem
	if subject == "" {
		subject = item
	}
	if loc := addresseeEnd.FindStringIndex(subject); loc != nil {
		subject = subject[:loc[0]]
	}
	if forceAddressee.MatchString(subject) {
		return "", false
	}
	var names []string
	for _, m := range otherAddressee.FindAllString(subject, -1) {
		names = append(names, m)
	}
	if len(names) == 0 {
		return "", false
	}
	return strings.Join(names, ", "), true
}

func (p *parser) emitRec(text, item, stem string, line, parent int) {
	f := p.base(model.Recommendation, line)
	f.Text = text
	f.Title = model.FirstSentence(upperFirst(trimListEnd(item)))
	f.Parent = parent
	if m := deadlinePattern.FindString(stem + " " + item); m != "" {
		f.Deadline = strings.ToLower(m[:1]) + m[1:]
	}
	if who, others := addressee(stem, item); others {
		f.NotForForce = true
		f.Addressee = who
	}
	p.markElided(&f)
	p.out.Findings = append(p.out.Findings, f)
}

func (p *parser) base(t model.FindingType, line int) Proposed {
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
		f.Title, f.Flags = titleFrom(b.title, f.Flags)
		f.Text = body
		if f.HasFlag(FlagTitleShortened) {
			f.Text = b.title + "\n\n" + body
		}
	case b.title != "":
		f.Text = b.title
		f.Title, f.Flags = titleFrom(b.title, f.Flags)
	default:
		f.Text = body
		f.Title = model.FirstSentence(body)
	}
	p.markElided(&f)
	p.out.Findings = append(p.out.Findings, f)
	return len(p.out.Findings)
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

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

var (
	cyclePattern     = regexp.MustCompile(`(?i)\bPEEL\b[^.\n]{0,60}?\b(20\d\d)\s?[/–—-]\s?(?:20)?(\d\d)\b`)
	cycleBefore      = regexp.MustCompile(`(?i)\b(20\d\d)\s?[/–—-]\s?(?:20)?(\d\d)\b[^.\n]{0,20}\bPEEL\b`)
	inspectionOf     = regexp.MustCompile(`\b[Aa]n inspection of ((?:the )?[A-Z][\pL&’'. -]{2,60}?(?:Police|Constabulary|Police Service(?: of [A-Z][\pL ]{2,30})?))\b`)
	howGood          = regexp.MustCompile(`\bhow good ([A-Z][\pL&’'. -]{2,60}?) is\b`)
	forceName        = regexp.MustCompile(`\b((?:[A-Z][\pL’'-]+|and|&|of)(?: (?:[A-Z][\pL’'-]+|and|&|of)){0,4} (?:Police|Constabulary))\b`)
	publishedPattern = regexp.MustCompile(`(?i)\bpublished:?\s+(?:on\s+)?(\d{1,2}\s+[A-Z][a-z]{2,8}\s+20\d\d)\b`)
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
	if m := publishedPattern.FindStringSubmatch(head); m != nil {
		if t, err := time.Parse("2 January 2006", strings.Join(strings.Fields(m[1]), " ")); err == nil {
			p.out.Published = model.DateOf(t)
		} else if t, err := time.Parse("2 Jan 2006", strings.Join(strings.Fields(m[1]), " ")); err == nil {
			p.out.Published = model.DateOf(t)
		}
	}
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
			missing, plural(missing, "heading has", "headings have"), plural(missing, "it", "them")))
	}
	if moved > 0 {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d %s was found later in their section, where the PDF put the box, not under the heading: check %s against the report.",
			moved, plural(moved, "finding's wording", "findings' wording"), plural(moved, "it", "them")))
	}
	if noArea > 0 {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d %s before any heading the parser could read as an area: give %s an area.",
			noArea, plural(noArea, "finding comes", "findings come"), plural(noArea, "it", "them")))
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
			p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d ‘%s’ %s, %d %s with wording.",
				c.Seen, k.label, plural(c.Seen, "heading", "headings"), c.Worded, plural(c.Worded, "finding", "findings")))
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
		plural(len(missing), "number", "numbers"), strings.Join(missing, ", "), plural(len(missing), "it", "them"))
}

func hasNumbered(ps []para) bool {
	for _, pa := range ps {
		if k := keywordOf(pa.text); (k == kwAFI || k == kwCause) && number(pa.text) > 0 {
			return true
		}
	}
	return false
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
