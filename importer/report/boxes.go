package report

// Boxes: the "Area for improvement" and similar boxes of a report, and the
// wording PDF extraction moved away from them.

import (
	"regexp"
	"strings"

	"improvementtracker/model"
)

// block is the wording of one box: an optional title and its text.
type block struct {
	title  string
	body   []string
	line   int
	start  int // the paragraph it starts at
	bullet bool
	// paras are the paragraphs it was read from, for the lines of the
	// source the preview shows beside the finding.
	paras []int
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
	// Only under a plural heading is a paragraph of several "The force
	// should…" sentences taken for a list run onto one line.
	p.listHeading = plural && !numbered
	j, blocks := p.collect(i, limit)
	p.listHeading = false
	end := ""
	if j < len(p.ps) {
		end = p.ps[j].text
	}
	atMain := keywordOf(end) == kwMain
	before := len(p.out.Findings)
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
					// The heading is shown with the wording found away
					// from it, so that both can be checked.
					f.Lines = append([][2]int{{h.line, h.line}}, f.Lines...)
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
	// Where a moved box may have been missed, the paragraphs after the
	// boxes are looked through (checkMissedBoxes): under a heading that
	// allows more boxes than were found, or one left without wording or
	// given wording found away from it. A
	// web page's box ends where its element does: nothing of it moved.
	missing := false
	for _, f := range p.out.Findings[before:] {
		missing = missing || f.HasFlag(FlagWordingMissing) || f.HasFlag(FlagMoved)
	}
	if end != boxEnd && (plural || missing) {
		p.afterBoxes = append(p.afterBoxes, j)
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
			blocks = append(blocks, block{body: []string{stripBullet(pa.text)}, line: pa.line, start: i, bullet: true, paras: []int{i}})
			bulleted = true
			i++
			continue
		}
		if bulleted {
			break // the list has ended
		}
		if p.listHeading && !isTitle(pa) {
			// A list of areas for improvement run onto one line, bullets
			// lost: one "The force should…" sentence each.
			if items := directiveSentences(pa.text); items != nil {
				for _, it := range items {
					blocks = append(blocks, block{body: []string{it}, line: pa.line, start: i, bullet: true, paras: []int{i}})
				}
				bulleted = true
				i++
				continue
			}
		}
		b := block{line: pa.line, start: i}
		if isTitle(pa) {
			b.title = pa.text
			b.paras = append(b.paras, i)
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
			b.paras = append(b.paras, i)
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
		sp := span{b: block{title: p.ps[k].text, line: p.ps[k].line, start: k, paras: []int{k}}, start: k, page: page}
		k++
		// A page break inside a block's wording does not end the block.
		for k < len(p.ps) && !p.isStop(k) && !isTitle(p.ps[k]) && !p.consumed[k] {
			if p.ps[k].pageStart {
				page++
			}
			sp.b.body = append(sp.b.body, p.ps[k].text)
			sp.b.paras = append(sp.b.paras, k)
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

// recStart is how a recommendation written as a sentence starts: "We
// recommend…", a deadline, or someone who "should" act, named within its
// first words.
var recStart = regexp.MustCompile(`(?i)^(?:we recommend|by (?:the end of )?(?:\d{1,2} )?(?:\pL+ )?20\d\d|within |immediately|(?:[\pL’'&,-]+\s+){0,12}?(?:should|must)\b)`)
