package report

// Recommendations quoted outside a report's layout. Forces receive the
// inspectorate's recommendations in other forms than the report: the
// Police and Crime Commissioner's published response ("Recommendation 1 …
// By 31 October 2023, chief constables should…", each followed by the
// response), the inspectorate's recommendation pages, press releases
// ("…, recommending that the force immediately: – improves…; – reviews…")
// and numbered lists ("made three recommendations: 1. … 2. …"). In a text
// with no box headings of a report, these are read: the wording (the
// lead-in kept with each item), the deadline and the addressee, each
// flagged as taken from a quotation, and the preview says what such a
// text can and cannot give.

import (
	"fmt"
	"regexp"
	"strings"

	"improvementtracker/model"
)

// FlagQuoted marks a recommendation read from a quotation, not from a
// report's own layout.
const FlagQuoted = "read from recommendations quoted outside a report’s layout (a response, a recommendation page, a press release or a list): check the wording, deadline and addressee against the report"

var (
	// quotedLeadIn is a sentence introducing recommendations with a
	// colon: "recommending that the force immediately:", "made three
	// recommendations:". What follows the colon may be the items.
	quotedLeadIn = regexp.MustCompile(`(?i)^(.{0,400}?\brecommend(?:s|ed|ing|ations?)?\b[^:]{0,300}:)\s*(.*)$`)
	// itemMark is the mark of an item run onto the lead-in's line: a
	// number, a dash or a bullet, after a space.
	itemMark = regexp.MustCompile(`(?:^|\s)(?:\d{1,2}[.)]|[–—•]|-)\s+`)
	// statedCount is the number of recommendations a lead-in announces.
	statedCount = regexp.MustCompile(`(?i)\b(two|three|four|five|six|seven|eight|nine|ten|\d{1,2}) recommendations\b`)
)

// hasBoxes reports whether the text has any box heading of a report.
func hasBoxes(ps []para) bool {
	for _, pa := range ps {
		switch keywordOf(pa.text) {
		case kwAFI, kwAFIs, kwIP, kwCause:
			return true
		}
	}
	return false
}

// quotedList reads the recommendations a lead-in at paragraph i
// introduces, on its line or as the items after it, and returns the index
// after them; ok is false when paragraph i is no such lead-in.
func (p *parser) quotedList(i int) (int, bool) {
	m := quotedLeadIn.FindStringSubmatch(p.ps[i].text)
	if m == nil {
		return 0, false
	}
	stem, rest := strings.TrimSpace(m[1]), strings.TrimSpace(m[2])
	var items []string
	lines := []int{}
	if rest != "" {
		items = splitMarked(rest)
		for range items {
			lines = append(lines, i)
		}
	}
	j := i + 1
	if len(items) == 0 {
		for ; j < len(p.ps) && p.ps[j].bullet; j++ {
			items = append(items, stripBullet(p.ps[j].text))
			lines = append(lines, j)
		}
	}
	if len(items) == 0 {
		return 0, false
	}
	p.quoted = true
	for k, item := range items {
		p.emitRec(stem+"\n• "+item, item, stem, lines[k], 0)
		f := &p.out.Findings[len(p.out.Findings)-1]
		f.Lines = p.linesOf([]int{i, lines[k]})
		if recStart.MatchString(item) {
			// An item that is a whole sentence names who is to act
			// itself ("3. The Home Office should…"); the lead-in only
			// reports that recommendations were made.
			who, others := addressee("", item)
			f.NotForForce, f.Addressee = others, ""
			if others {
				f.Addressee = who
			}
		}
	}
	if c := statedCount.FindStringSubmatch(stem); c != nil {
		n := numberWords[strings.ToLower(c[1])]
		if n == 0 {
			fmt.Sscan(c[1], &n)
		}
		if n != len(items) {
			p.notes = append(p.notes, fmt.Sprintf("Line %d announces %s recommendations, but %d were read after it: check the list against the report.", p.ps[i].line, c[1], len(items)))
		}
	}
	return j, true
}

// splitMarked splits items run onto one line by their marks ("1. … 2. …",
// "– … – …"), else at the "; and" between them.
func splitMarked(s string) []string {
	locs := itemMark.FindAllStringIndex(s, -1)
	if len(locs) == 0 {
		return listItems(s)
	}
	var out []string
	if lead := strings.TrimSpace(s[:locs[0][0]]); lead != "" {
		out = append(out, lead)
	}
	for k, l := range locs {
		end := len(s)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		if item := strings.TrimSpace(s[l[1]:end]); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// describeQuoted flags the recommendations of a quoted text and says what
// such a text gives.
func (p *parser) describeQuoted() {
	if !p.quoted && !(len(p.out.Findings) > 0 && !hasBoxes(p.ps) && allRecommendations(p.out.Findings) && !p.anyArea()) {
		if len(p.out.Findings) == 0 && mentionsRecommendations(p.ps) {
			p.out.Warnings = append(p.out.Warnings, "The text speaks of recommendations, but none could be read: they are read as a list after a lead-in ending with a colon (“recommending that the force: – …”, “made three recommendations: 1. …”) or under “Recommendation 1” headings. Copy them in by hand, or import the report itself.")
		}
		return
	}
	for i := range p.out.Findings {
		f := &p.out.Findings[i]
		if !f.HasFlag(FlagQuoted) {
			f.Flags = append(f.Flags, FlagQuoted)
		}
	}
	p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("This text quotes the inspectorate’s recommendations rather than being the report’s own layout: %d %s read, each with its wording, deadline and addressee where the text gives them, flagged for checking. A quotation gives no areas, grades, areas for improvement or causes of concern: import the report itself for those.",
		len(p.out.Findings), model.Plural(len(p.out.Findings), "recommendation was", "recommendations were")))
}

func allRecommendations(fs []Proposed) bool {
	for _, f := range fs {
		if f.Type != model.Recommendation {
			return false
		}
	}
	return true
}

func (p *parser) anyArea() bool {
	for _, f := range p.out.Findings {
		if f.Area != "" {
			return true
		}
	}
	return false
}

var recommendWord = regexp.MustCompile(`(?i)\brecommend`)

func mentionsRecommendations(ps []para) bool {
	for _, pa := range ps {
		if recommendWord.MatchString(pa.text) {
			return true
		}
	}
	return false
}
