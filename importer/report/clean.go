package report

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is one paragraph of the cleaned text: lines that belong together,
// joined with single spaces.
type para struct {
	text string
	line int // 1-based line of the source where it starts
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

// paragraphs cleans the text and splits it into paragraphs: line endings
// and invalid bytes are mended, links, glossary marks, page numbers and
// running headers are dropped, and paragraphs broken across lines or
// across pages are joined again.
func paragraphs(text string) []para {
	text = strings.ToValidUTF8(text, "\uFFFD")
	text = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ", "\u2028", "\n", "\u2029", "\n\n", "\ufeff", "").Replace(text)
	raw, lineNo := splitHeadings(strings.Split(text, "\n"))
	furniture := runningHeaders(raw)

	var (
		out       []para
		cur       []string
		curLine   int
		curPage   bool
		nextPage  bool
		curBullet bool
		inURL     bool
	)
	flush := func() {
		if len(cur) > 0 {
			out = append(out, para{text: strings.Join(cur, " "), line: curLine, pageStart: curPage, bullet: curBullet})
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
		}
		inURL = false
		leading := strings.HasPrefix(l, " ") && strings.TrimSpace(l) != ""
		l = glossaryMark.ReplaceAllString(inlineURL.ReplaceAllString(l, ""), "")
		t := strings.Join(strings.Fields(l), " ")
		if t == "" {
			flush()
			continue
		}
		isKeyword := keywordOf(t) != kwNone
		isBullet := bulletMark.MatchString(t) && !isKeyword
		// A structural heading or a bullet starts its own paragraph even
		// when the text has no blank line before it; a heading also ends
		// its paragraph.
		if isBullet || isKeyword || (leading && len(cur) > 0 && endsSentence(cur[len(cur)-1])) {
			flush()
		}
		if len(cur) == 0 {
			curLine = lineNo[i]
			curPage = nextPage || leading
			curBullet = isBullet
			nextPage = false
		}
		cur = append(cur, t)
		if isKeyword {
			flush()
		}
	}
	flush()
	return joinBroken(out)
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
		if len(out) > 0 && continues(last, p.text) && keywordOf(last) == kwNone && keywordOf(p.text) == kwNone && !p.bullet {
			if b.Len() == 0 {
				b.WriteString(out[len(out)-1].text)
			}
			b.WriteString(" ")
			b.WriteString(p.text)
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
