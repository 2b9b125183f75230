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
	Force     string     `json:"force,omitempty"`
	Cycle     string     `json:"cycle,omitempty"`
	Layout    string     `json:"layout"`
	Published model.Date `json:"published,omitempty"`
	Findings  []Proposed `json:"findings"`
	// Warnings are things the person should know, in plain words.
	Warnings []string `json:"warnings,omitempty"`
}

// The layouts the parser tells apart.
const (
	Layout2018 = "PEEL 2018/19"
	Layout2021 = "PEEL 2021/22"
	Layout2023 = "PEEL 2023–25"
)

// Parse reads a report's text and proposes its findings. It fails only
// for text too large to be a report; text with no findings gives an empty
// list and a warning.
func Parse(text string) (*Parsed, error) {
	if len(text) > MaxInputBytes {
		return nil, fmt.Errorf("the text is %.1f MB, more than the %d MB a report's text can be: check that this is the text of one inspection report", float64(len(text))/(1<<20), MaxInputBytes>>20)
	}
	ps := paragraphs(text)
	p := &parser{ps: ps, consumed: make([]bool, len(ps)), out: &Parsed{}}
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
			i = p.recommendations(i+1, 0)
			continue
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

// areaJustSet reports whether the paragraph before i set the area.
func (p *parser) areaJustSet(i int) bool {
	return i > 0 && foldArea(p.ps[i-1].text) == foldArea(p.area)
}

func (p *parser) setArea(name string, g model.Grade) {
	p.area = strings.TrimRight(strings.TrimSpace(name), " :")
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
	title string
	body  []string
	line  int
}

// boxes reads a run of box headings starting at i ("Area for
// improvement", then perhaps "Innovative practice" with nothing between,
// as PDF extraction leaves side-by-side boxes) and the wording after them,
// and shares the wording out between the headings in order.
func (p *parser) boxes(i int) int {
	type heading struct {
		kw   keyword
		line int
	}
	var queue []heading
	for i < len(p.ps) {
		kw := keywordOf(p.ps[i].text)
		if kw != kwAFI && kw != kwAFIs && kw != kwIP && kw != kwCause {
			break
		}
		numbered := number(p.ps[i].text) > 0
		if numbered && len(queue) > 0 {
			// "Area for improvement 1" starts its own box; a plural
			// heading just before it is only the section's title.
			if len(queue) == 1 && queue[0].kw == kwAFIs {
				queue = queue[:0]
			} else {
				break
			}
		}
		queue = append(queue, heading{kw, p.ps[i].line})
		i++
		if numbered {
			p.numbered = true
			break
		}
	}
	plural := false
	for _, h := range queue {
		if h.kw == kwAFIs {
			plural = true
		}
	}
	limit := len(queue)
	if plural {
		limit = -1
	}
	j, blocks := p.collect(i, limit)
	atMain := j < len(p.ps) && keywordOf(p.ps[j].text) == kwMain
	switch {
	case len(blocks) < len(queue) && atMain:
		// The box came out after the "Main findings" heading that follows
		// it on the page.
		need := len(queue) - len(blocks)
		if plural {
			need = -1
		}
		blocks = append(blocks, p.reordered(j+1, need)...)
	case plural && len(blocks) > 0 && atMain && p.ps[j].pageStart:
		// The box filled its page and ran over: the rest comes out at the
		// end of the next page's text.
		blocks = append(blocks, p.overflow(j+1)...)
	}

	// Share out: each singular heading takes one block; a plural heading
	// takes what is left over once later headings have had theirs.
	k := 0
	var causeIndex int
	for qi, h := range queue {
		take := 1
		if h.kw == kwAFIs {
			take = len(blocks) - k - (len(queue) - qi - 1)
		}
		if take < 1 {
			take = 1
		}
		for n := 0; n < take; n++ {
			typ := findingType(h.kw)
			if k < len(blocks) {
				idx := p.emit(typ, blocks[k], 0)
				if typ == model.CauseOfConcern {
					causeIndex = idx
				}
				k++
				continue
			}
			idx := p.emitMissing(typ, h.line)
			if typ == model.CauseOfConcern {
				causeIndex = idx
			}
		}
	}
	if causeIndex > 0 && j < len(p.ps) && keywordOf(p.ps[j].text) == kwRecs {
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
			blocks = append(blocks, block{body: []string{stripBullet(pa.text)}, line: pa.line})
			bulleted = true
			i++
			continue
		}
		if bulleted {
			break // the list has ended
		}
		b := block{line: pa.line}
		if isTitle(pa) {
			b.title = pa.text
			i++
		}
		for i < len(p.ps) && !p.isStop(i) && !isTitle(p.ps[i]) {
			if p.consumed[i] {
				i++
				continue
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
// as box headings do; main findings mostly describe ("The force is good
// at…").
var directiveTitle = regexp.MustCompile(`(?i)\b(?:should|must|needs? to)\b`)

// boxLike reports whether a block reads as a box's wording: a heading
// telling the force what to improve, then a brief paragraph or two. The
// narrative of the main findings runs longer.
func boxLike(b block) bool {
	words := 0
	for _, p := range b.body {
		words += len(strings.Fields(p))
	}
	return directiveTitle.MatchString(b.title) && len(b.body) >= 1 && len(b.body) <= 2 && words <= 120
}

// overflow finds the rest of a box that ran over its page: the box-like
// blocks at the very end of the next page's text, after that page's main
// findings. Anything less certain is left alone.
func (p *parser) overflow(i int) []block {
	end := i
	for end < len(p.ps) && !p.ps[end].pageStart && !p.isStop(end) {
		end++
	}
	// The blocks of the page, in order.
	type span struct {
		b          block
		start, end int
	}
	var spans []span
	for k := i; k < end; {
		if !isTitle(p.ps[k]) || p.consumed[k] {
			k++
			continue
		}
		sp := span{b: block{title: p.ps[k].text, line: p.ps[k].line}, start: k}
		k++
		for k < end && !isTitle(p.ps[k]) {
			sp.b.body = append(sp.b.body, p.ps[k].text)
			k++
		}
		sp.end = k
		spans = append(spans, sp)
	}
	first := len(spans)
	for first > 0 && boxLike(spans[first-1].b) {
		first--
	}
	if first == 0 {
		// Nothing on the page but box-like blocks: that is a page of
		// findings, not an overflow; leave it.
		return nil
	}
	var out []block
	for _, sp := range spans[first:] {
		for k := sp.start; k < sp.end; k++ {
			p.consumed[k] = true
		}
		out = append(out, sp.b)
	}
	return out
}

// reordered looks after a "Main findings" heading (and the sentence that
// opens the section) for the wording of a box that PDF extraction moved
// there. Only box-like passages (see boxLike) straight after it on the same
// page are taken: anything less certain leaves the box flagged as missing
// rather than guessed.
func (p *parser) reordered(i, need int) []block {
	if i < len(p.ps) && !isTitle(p.ps[i]) && strings.HasPrefix(strings.ToLower(p.ps[i].text), "in this section") {
		i++
	}
	var blocks []block
	for i < len(p.ps) && (need < 0 || len(blocks) < need) {
		pa := p.ps[i]
		if !isTitle(pa) || pa.pageStart || p.isStop(i) {
			break
		}
		b := block{title: pa.text, line: pa.line}
		k := i + 1
		for k < len(p.ps) && !p.isStop(k) && !isTitle(p.ps[k]) && !p.ps[k].pageStart {
			b.body = append(b.body, p.ps[k].text)
			k++
		}
		if !boxLike(b) {
			break
		}
		for ; i < k; i++ {
			p.consumed[i] = true
		}
		blocks = append(blocks, b)
	}
	return blocks
}

// deadlinePattern finds the time the inspectorate gave for a
// recommendation.
var deadlinePattern = regexp.MustCompile(`(?i)\b(immediately|within (?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen) (?:months?|weeks?|days?)|by \d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d)\b`)

// recommendations reads the recommendations from i: a lead-in ("We
// recommend that, within six months, the force:") and its bullets, or
// recommendations written as whole sentences. parent is the 1-based index
// of their cause of concern.
func (p *parser) recommendations(i, parent int) int {
	stem := ""
	found := 0
	for i < len(p.ps) && !p.isStop(i) {
		pa := p.ps[i]
		if p.consumed[i] {
			i++
			continue
		}
		switch {
		case pa.bullet:
			item := stripBullet(pa.text)
			text := item
			if stem != "" {
				text = stem + "\n• " + item
			}
			p.emitRec(text, item, stem, pa.line, parent)
			found++
		case isTitle(pa):
			if found > 0 {
				return i
			}
			// A recommendation may have a heading of its own.
			stem = ""
		case strings.HasSuffix(strings.TrimSpace(pa.text), ":"):
			stem = pa.text
		case strings.Contains(strings.ToLower(pa.text), "recommend") || deadlinePattern.MatchString(pa.text) || shouldTitle.MatchString(pa.text):
			p.emitRec(pa.text, pa.text, pa.text, pa.line, parent)
			found++
		}
		i++
	}
	if found == 0 {
		line := 0
		if i > 0 && i <= len(p.ps) {
			line = p.ps[i-1].line
		}
		p.emitMissing(model.Recommendation, line)
		if parent > 0 {
			p.out.Findings[len(p.out.Findings)-1].Parent = parent
		}
	}
	return i
}

func (p *parser) emitRec(text, item, stem string, line, parent int) {
	f := p.base(model.Recommendation, line)
	f.Text = text
	f.Title = model.FirstSentence(upperFirst(trimListEnd(item)))
	f.Parent = parent
	if m := deadlinePattern.FindString(stem + " " + item); m != "" {
		f.Deadline = strings.ToLower(m[:1]) + m[1:]
	}
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
	cyclePattern     = regexp.MustCompile(`(?i)\bPEEL\b[^.\n]{0,60}?\b(20\d\d)\s?([/–-])\s?(\d\d)\b`)
	cycleBefore      = regexp.MustCompile(`(?i)\b(20\d\d)\s?([/–-])\s?(\d\d)\b[^.\n]{0,20}\bPEEL\b`)
	inspectionOf     = regexp.MustCompile(`(?im)^\s*An inspection of ([A-Z][\pL&’'. -]{2,60}?)\s*$`)
	howGood          = regexp.MustCompile(`\bhow good ([A-Z][\pL&’'. -]{2,60}?) is\b`)
	publishedPattern = regexp.MustCompile(`(?i)\bpublished:?\s+(?:on\s+)?(\d{1,2}\s+[A-Z][a-z]{2,8}\s+20\d\d)\b`)
)

// describe fills in the force, cycle, layout and publication date, and
// warns when nothing was found.
func (p *parser) describe(text string) {
	head := text
	if len(head) > 200_000 {
		head = head[:200_000]
	}
	if m := inspectionOf.FindStringSubmatch(head); m != nil {
		p.out.Force = strings.TrimSpace(m[1])
	} else if m := howGood.FindStringSubmatch(head); m != nil && p.out.Force == "" {
		p.out.Force = strings.TrimSpace(m[1])
	}
	m := cyclePattern.FindStringSubmatch(head)
	if m == nil {
		m = cycleBefore.FindStringSubmatch(head)
	}
	if m != nil {
		sep := "/"
		if m[2] != "/" {
			sep = "–" // multi-year cycles are written 2023–25
		}
		p.out.Cycle = m[1] + sep + m[3]
	}
	if m := publishedPattern.FindStringSubmatch(head); m != nil {
		if t, err := time.Parse("2 January 2006", strings.Join(strings.Fields(m[1]), " ")); err == nil {
			p.out.Published = model.DateOf(t)
		} else if t, err := time.Parse("2 Jan 2006", strings.Join(strings.Fields(m[1]), " ")); err == nil {
			p.out.Published = model.DateOf(t)
		}
	}
	switch {
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
	missing := 0
	for _, f := range p.out.Findings {
		if f.HasFlag(FlagWordingMissing) {
			missing++
		}
	}
	if missing > 0 {
		p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("%d %s no wording in the text (the box came out empty). Copy the wording from the published report before you rely on %s.",
			missing, plural(missing, "heading has", "headings have"), plural(missing, "it", "them")))
	}
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
