package report

import (
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is one paragraph of the cleaned text: lines that belong together,
// joined with single spaces.
type para struct {
	text string
	line int // 1-based line of the source where it starts
	end  int // the line where it ends
	// pageStart marks a paragraph that begins a page: after a form feed, a
	// block of glossary links, or written with the leading space that PDF
	// extraction puts on a page's first line.
	pageStart bool
	bullet    bool
}

var (
	// urlLine is a line that holds nothing but a link: the glossary links
	// that PDF extraction gathers at the foot of each page.
	urlLine = regexp.MustCompile(`^\s*(?:https?://|www\.)\S*\s*$`)
	// urlTail is the rest of a link wrapped onto the next line: no spaces,
	// and the slashes, dots or hyphens of a path.
	urlTail = regexp.MustCompile(`^[A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*[/#=.-][A-Za-z0-9._~:/?#@!$&'()*+,;=%-]*$`)
	// inlineURL is a link inside running text.
	inlineURL = regexp.MustCompile(`\s*\(?(?:https?://|www\.)[^\s)]+\)?`)
	// pageNumber is page furniture: "12", "Page 12", "Page 12 of 40".
	pageNumber = regexp.MustCompile(`^\s*(?i:page\s+)?\d{1,3}(?:\s+(?i:of)\s+\d{1,3})?\s*$`)
	// glossaryMark is the "(glossary)" or "[glossary link]" left where a
	// web page linked a term.
	glossaryMark = regexp.MustCompile(`\s*[\[(](?i:glossary(?: link)?|opens in a new window|external link)[\])]`)
	bulletMark   = regexp.MustCompile(`^\s*(?:[•●▪■◦○·*–-]|\d{1,2}[.)]|\([a-z0-9]{1,3}\))\s+`)
)

// maxLineRunes caps one line; longer lines are cut so that no single line
// can make the later passes slow. Real report lines are under 200
// characters.
const maxLineRunes = 20_000

// boxEnd is the line the web page reader writes where a box (an aside or
// a boxed div) ends, so that the parser knows the box's wording stops
// there. It is a private-use character, which no report's text holds.
const boxEnd = "\uE000"

// blankLineRatio: text with fewer blank lines than one per this many lines
// has lost its paragraph breaks (pasted from a web page or a word
// processor, one paragraph per line), and paragraphs are told apart line
// by line instead.
const blankLineRatio = 20

// paragraphs cleans the text and splits it into paragraphs: line endings
// and invalid bytes are mended, links, glossary marks, page numbers and
// running headers are dropped, and paragraphs broken across lines or
// across pages are joined again. It does not rely on blank lines: text
// with none is split by what each line looks like.
func paragraphs(text string) []para {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u202f", " ", "\u2009", " ", "\u2007", " ",
		"\u2028", "\n", "\u2029", "\n\n", "\ufeff", "", "\u200b", "", "\u00ad", "").Replace(text)
	raw, lineNo := splitHeadings(strings.Split(text, "\n"))
	// Headings glued to paragraphs are put on lines of their own first;
	// a heading-like tail is split off only where lines are paragraphs.
	if u, w := lineShape(raw); true {
		raw, lineNo = splitGlued(raw, lineNo, u && w == 0)
	}
	furniture := runningHeaders(raw)
	unbroken, width := lineShape(raw)
	marked := pageMarked(raw)

	var (
		out       []para
		cur       []string
		curLine   int
		curEnd    int
		curPage   bool
		nextPage  bool
		curBullet bool
		inURL     bool
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, para{text: strings.Join(cur, " "), line: curLine, end: curEnd, pageStart: curPage, bullet: curBullet})
		}
		cur, curPage, curBullet = nil, false, false
	}
	for i, l := range raw {
		if utf8.RuneCountInString(l) > maxLineRunes {
			l = string([]rune(l)[:maxLineRunes])
		}
		if strings.Contains(l, "\f") {
			// A form feed ends a page: what follows starts the next one.
			flush()
			nextPage = true
			l = strings.ReplaceAll(l, "\f", "")
		}
		switch {
		case urlLine.MatchString(l):
			// Glossary links sit at the foot of a page.
			flush()
			nextPage = true
			inURL = true
			continue
		case inURL && urlTail.MatchString(l):
			// The rest of a link too long for its line.
			continue
		case pageNumber.MatchString(l) && strings.TrimSpace(l) != "":
			flush()
			nextPage = true
			continue
		case furniture[strings.TrimSpace(l)]:
			flush()
			nextPage = true
			continue
		case questionNumber.MatchString(l):
			// "Question 2" above a 2018/19 question: the number adds
			// nothing to the question's heading.
			flush()
			continue
		}
		inURL = false
		leading := strings.HasPrefix(l, " ") && strings.TrimSpace(l) != ""
		l = glossaryMark.ReplaceAllString(inlineURL.ReplaceAllString(l, ""), "")
		t := strings.Join(strings.Fields(l), " ")
		if t == "" {
			flush()
			continue
		}
		if t == boxEnd {
			flush()
			out = append(out, para{text: boxEnd, line: lineNo[i], end: lineNo[i]})
			continue
		}
		isKeyword := keywordOf(t) != kwNone
		isBullet := bulletMark.MatchString(t) && !isKeyword
		// A grade on a line of its own, as 2018/19 and 2023–25 reports set
		// it under a heading, is a paragraph of its own even when nothing
		// separates it from the heading; so is a core question.
		isGrade := gradeWord(t) != ""
		startsQuestion := questionStart.MatchString(t)
		// An area's heading is a paragraph of its own even when the text
		// runs straight into it; it may be broken over two lines.
		isArea := knownAreas[foldArea(t)] || (i+1 < len(raw) && knownAreas[foldArea(t+" "+strings.TrimSpace(raw[i+1]))])
		// A structural heading or a bullet starts its own paragraph even
		// when the text has no blank line before it; a heading also ends
		// its paragraph.
		if isBullet || isKeyword || isGrade || startsQuestion || isArea || (leading && len(cur) > 0 && endsSentence(cur[len(cur)-1])) {
			flush()
		}
		if len(cur) > 0 {
			prev := cur[len(cur)-1]
			switch {
			case unbroken && !runsOn(prev, t, width):
				flush()
			case width > 0 && !marked && endsSentence(prev) && utf8.RuneCountInString(prev)*5 < width*3 && startsUpper(t):
				// A short line that ends a sentence, in wrapped text, ends
				// its paragraph: the page break that separated the next
				// may have been lost.
				flush()
			}
		}
		if len(cur) == 0 {
			curLine = lineNo[i]
			curPage = nextPage || leading
			curBullet = isBullet
			nextPage = false
		}
		curEnd = lineNo[i]
		if n := len(cur); n > 0 && brokenAtHyphen(cur[n-1], t) {
			// A hyphenated word broken at its hyphen: "risk-" and
			// "mitigation" are one word.
			cur[n-1] += t
		} else {
			cur = append(cur, t)
		}
		if isKeyword || isGrade || (strings.HasSuffix(t, "?") && questionStart.MatchString(cur[0])) || (len(cur) <= 2 && knownAreas[foldArea(strings.Join(cur, " "))]) {
			flush()
		}
	}
	flush()
	return joinBroken(out)
}

var (
	// questionNumber is the number set above a 2018/19 core question.
	questionNumber = regexp.MustCompile(`^\s*(?i:question)\s+\d{1,2}\s*:?\s*$`)
	// questionStart is the start of a 2018/19 core question, perhaps
	// numbered: "2. How effective is the force at investigating crime?"
	questionStart = regexp.MustCompile(`^(?:(?i:question)\s+)?(?:\d{1,2}(?:\.\d{1,2})?[.:)]?\s+)?How (?:effective(?:ly)?|efficient(?:ly)?|legitimate|well|good)\b`)
)

// lineShape tells whether the text has lost its blank lines and, if so,
// how wide its lines are wrapped: the length most lines stay within, or 0
// when lines are whole paragraphs.
func lineShape(lines []string) (unbroken bool, width int) {
	blank, full := 0, 0
	var lengths []int
	// The blank lines at the end (the newline a file ends with) say
	// nothing of how paragraphs are separated.
	for len(lines) > 0 && strings.TrimSpace(strings.ReplaceAll(lines[len(lines)-1], "\f", "")) == "" {
		lines = lines[:len(lines)-1]
	}
	for _, l := range lines {
		t := strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))
		if t == "" {
			blank++
			continue
		}
		full++
		lengths = append(lengths, utf8.RuneCountInString(t))
	}
	if full < 10 {
		return false, 0
	}
	unbroken = blank*blankLineRatio < full
	sort.Ints(lengths)
	w := lengths[len(lengths)*9/10]
	if w > 130 {
		// Lines far longer than a printed line are whole paragraphs.
		return unbroken, 0
	}
	return unbroken, w
}

// brokenAtHyphen reports whether a line ends with a word broken at its
// hyphen, which the next line finishes: "risk-" then "mitigation plans".
func brokenAtHyphen(prev, next string) bool {
	if len(prev) < 2 || !strings.HasSuffix(prev, "-") {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
	first, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLetter(before) && unicode.IsLower(first)
}

// pageMarked reports whether the text shows where its pages break: form
// feeds, or links and page numbers at the foot of pages.
func pageMarked(lines []string) bool {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, "\f") || urlLine.MatchString(l) || (pageNumber.MatchString(l) && strings.TrimSpace(l) != "") {
			n++
		}
	}
	return n >= 3
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// runsOn reports whether line next carries on the paragraph whose last
// line is prev, in text without blank lines. Lines that are whole
// paragraphs (width 0) run on only when the sentence plainly does; wrapped
// lines run on when the previous line is unfinished and reaches the wrap.
func runsOn(prev, next string, width int) bool {
	if keywordOf(prev) != kwNone || gradeWord(prev) != "" {
		return false
	}
	if continues(prev, next) {
		return true
	}
	return width > 0 && !endsSentence(prev) && utf8.RuneCountInString(prev)*4 >= width*3
}

// inlineHeading is a box heading with its wording on the same line:
// "Area for improvement 1: The force should…".
var inlineHeading = regexp.MustCompile(`^(\s*(?i:areas? for improvement(?:\s+\d{1,3})?|causes? of concern(?:\s+\d{1,3})?|innovative practice|recommendations?))\s*[:–—-]\s+(\S.*)$`)

// splitHeadings puts a box heading written on the same line as its wording
// on a line of its own, and returns each line's number in the source.
func splitHeadings(lines []string) ([]string, []int) {
	out := make([]string, 0, len(lines))
	nums := make([]int, 0, len(lines))
	for i, l := range lines {
		if m := inlineHeading.FindStringSubmatch(l); m != nil && len(l) < 2000 {
			out = append(out, m[1], m[2])
			nums = append(nums, i+1, i+1)
			continue
		}
		out = append(out, l)
		nums = append(nums, i+1)
	}
	return out, nums
}

// runningHeaders finds a report's running title or footer: a line of a few
// capitalised words that recurs beside the page numbers or page breaks.
// Lines that merely repeat (a sentence wrapped the same way in two places)
// are content and are kept.
func runningHeaders(lines []string) map[string]bool {
	nearPageEdge := func(i int) bool {
		for j := max(0, i-2); j <= min(len(lines)-1, i+2); j++ {
			if j != i && (strings.Contains(lines[j], "\f") || (pageNumber.MatchString(lines[j]) && strings.TrimSpace(lines[j]) != "")) {
				return true
			}
		}
		return strings.Contains(lines[i], "\f")
	}
	count := map[string]int{}
	for i, l := range lines {
		t := strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))
		if t == "" || len(t) > 200 || !nearPageEdge(i) {
			continue
		}
		count[t]++
	}
	out := map[string]bool{}
	for t, n := range count {
		if n < 3 || keywordOf(t) != kwNone || gradeWord(t) != "" || isBulletText(t) {
			continue
		}
		if r, _ := utf8.DecodeRuneInString(t); len(strings.Fields(t)) < 2 || !(unicode.IsUpper(r) || unicode.IsDigit(r)) {
			continue
		}
		out[t] = true
	}
	return out
}

func isBulletText(t string) bool { return bulletMark.MatchString(t) }

// joinBroken joins paragraphs that PDF extraction split: a title broken
// over two lines with a blank line between, and a sentence cut by a page
// break and the glossary links at its foot.
func joinBroken(ps []para) []para {
	var out []para
	// Joined text is built up in a builder: adding to a string again and
	// again would copy it each time, which a long run of fragments turns
	// into minutes.
	var b strings.Builder
	flush := func() {
		if n := len(out); n > 0 && b.Len() > 0 {
			out[n-1].text = b.String()
		}
		b.Reset()
	}
	last := ""
	for _, p := range ps {
		// (A 2018/19 core question starts with its number, which would
		// otherwise read as the end of a sentence cut at a page break.)
		if len(out) > 0 && continues(last, p.text) && keywordOf(last) == kwNone && keywordOf(p.text) == kwNone && !p.bullet && !isQuestion(p.text) {
			if b.Len() == 0 {
				b.WriteString(out[len(out)-1].text)
			}
			b.WriteString(" ")
			b.WriteString(p.text)
			out[len(out)-1].end = p.end
			last = p.text
			continue
		}
		flush()
		out = append(out, p)
		last = p.text
	}
	flush()
	return out
}

// danglingWords cannot end a heading or a sentence; a line ending with one
// runs on into the next.
var danglingWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true,
	"with": true, "in": true, "for": true, "on": true, "at": true, "by": true, "from": true,
	"between": true, "its": true, "their": true, "that": true, "which": true, "is": true,
	"are": true, "be": true, "as": true, "into": true, "but": true, "how": true, "who": true,
}

// continues reports whether next carries on the unfinished prev.
func continues(prev, next string) bool {
	if endsSentence(prev) || next == "" || gradeWord(prev) != "" || gradeWord(next) != "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	if unicode.IsLower(r) || unicode.IsDigit(r) {
		return true
	}
	words := strings.Fields(prev)
	return len(words) > 0 && danglingWords[strings.ToLower(words[len(words)-1])]
}

// endsSentence reports whether s ends as a sentence or a lead-in does.
func endsSentence(s string) bool {
	s = strings.TrimRight(s, " ")
	s = strings.TrimRight(s, "”’\"')")
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?:;", r)
}
