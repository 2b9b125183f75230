package report

// The generator of the forms a report's text arrives in. A report is held
// as a list of parts with their roles (area heading, grade, box heading,
// box title and wording, main findings, narrative) and where its pages
// break; each variant writes it out as a force would get it: the PDF's
// text, a paste from a word processor (one paragraph per line, headings at
// the top of a page glued to the paragraph before or after them, lists run
// onto one line or one item per line, page markers kept or dropped, boxes
// where the PDF put them or where the page shows them) or a saved web page
// (h2/h3 headings with plain paragraphs, boxes as div, aside, blockquote,
// table or bold paragraphs, the main sentence in strong).
//
// The variants are not written by hand: every text is run through every
// variant, and TestVariants holds the rule that the import gives the same
// findings as the PDF's text or names, in a warning, every finding that
// may differ. Run it with -v (or MEASURE=1) to print the table of recall,
// precision, area and grade accuracy and warned differences.

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// role is what a part of a report is.
type role int

const (
	rFront    role = iota // the cover and anything before the first area
	rArea                 // an area's heading, or a 2018/19 core question
	rGrade                // a grade on a line of its own
	rSentence             // a paragraph (often the grade sentence) outside boxes
	rBoxHead              // "Area for improvement", "Cause of concern", …
	rTitle                // a box's title (a heading inside it)
	rBody                 // a box's paragraph
	rItem                 // a list item inside a box
	rMain                 // "Main findings"
	rSub                  // a heading in the narrative
	rText                 // a paragraph of the narrative
	rListed               // a list item in the narrative
)

// part is one paragraph of a report with its role.
type part struct {
	role role
	text string
	// page is set where a page of the PDF starts.
	page bool
	// box numbers the box a part belongs to (heading, titles, wording);
	// 0 for none.
	box int
	// moved is set on a box's wording the PDF put away from its heading;
	// home is the index of the heading the page shows it under.
	moved bool
	home  int
}

// doc is a report held as parts.
type doc struct {
	name    string
	parts   []part
	written bool // written for the tests, not a real report
	// pdf is the PDF's text itself where there is one (Kent); else the
	// PDF's text is written from the parts.
	pdf string
}

// parseDoc reads the little notation the test texts are written in: one
// part a line, a role letter, a space and the text. "F" alone marks a
// page break before the next part.
func parseDoc(name, src string) doc {
	d := doc{name: name, written: true}
	roles := map[string]role{"C": rFront, "H": rArea, "G": rGrade, "S": rSentence, "K": rBoxHead, "T": rTitle,
		"B": rBody, "L": rItem, "M": rMain, "h": rSub, "P": rText, "l": rListed}
	page := false
	box, boxes := 0, 0
	for _, l := range strings.Split(src, "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if l == "F" {
			page = true
			continue
		}
		r, ok := roles[l[:1]]
		if !ok {
			panic("unknown role in line: " + l)
		}
		p := part{role: r, text: strings.TrimSpace(l[1:]), page: page}
		page = false
		switch r {
		case rBoxHead:
			boxes++
			box = boxes
		case rTitle, rBody, rItem:
		default:
			box = 0
		}
		p.box = box
		d.parts = append(d.parts, p)
	}
	return d
}

// kentDoc reads the seed report's PDF text into parts. Which paragraphs
// are a box's wording is taken from the parse of the PDF's text (checked
// finding by finding in TestSeed), and a box the PDF put away from its
// heading is marked, so that the order the page shows can be written too.
func kentDoc(t *testing.T) doc {
	b, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	parsed, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	// A finding's paragraphs, by their folded text.
	owner := map[string]int{}
	for k, f := range parsed.Findings {
		for _, para := range strings.Split(f.Text, "\n\n") {
			owner[foldWording(para)] = k + 1
		}
		owner[foldWording(f.Title)] = k + 1
	}
	d := doc{name: "Kent PEEL 2021/22", pdf: text}
	ps, _ := dropNotes(paragraphs(text))
	area := ""
	boxes := 0
	headOf := map[string]int{} // area and finding type → its box heading
	for _, pa := range ps {
		p := part{text: pa.text, page: pa.pageStart}
		kw := keywordOf(pa.text)
		k := owner[foldWording(pa.text)]
		switch {
		case knownAreas[foldArea(pa.text)] || isVictimService(pa.text):
			p.role, area = rArea, pa.text
		case kw == kwAFI || kw == kwAFIs || kw == kwIP || kw == kwCause || kw == kwRecs:
			boxes++
			p.role, p.box = rBoxHead, boxes
			headOf[area+"|"+string(findingType(kw))] = len(d.parts)
		case kw == kwMain:
			p.role = rMain
		case kw != kwNone:
			p.role = rSub
		case gradeWord(pa.text) != "":
			p.role = rGrade
		case k > 0:
			f := parsed.Findings[k-1]
			p.role = rBody
			if foldWording(pa.text) == foldWording(f.Title) {
				p.role = rTitle
			}
			h, ok := headOf[f.Area+"|"+string(f.Type)]
			if !ok {
				t.Fatalf("no box heading for %s under %s", f.Type, f.Area)
			}
			p.box, p.home = d.parts[h].box, h
		case pa.bullet:
			p.role = rListed
		case isTitle(pa):
			p.role = rSub
		default:
			p.role = rText
			if _, _, _, ok := gradeIn(pa.text); ok {
				p.role = rSentence
			}
		}
		d.parts = append(d.parts, p)
	}
	// Wording with anything of another box or none between it and its
	// heading is where the PDF put it, not where the page shows it.
	for i := range d.parts {
		p := &d.parts[i]
		if p.role != rTitle && p.role != rBody {
			continue
		}
		for j := p.home + 1; j < i; j++ {
			if d.parts[j].box != p.box {
				p.moved = true
				break
			}
		}
	}
	return d
}

// pageOrder returns the parts with every moved box's wording back under
// its heading, after the box's other parts, as the page shows it.
func (d doc) pageOrder() []part {
	var out []part
	for _, p := range d.parts {
		if !p.moved {
			out = append(out, p)
		}
	}
	for _, p := range d.parts {
		if !p.moved {
			continue
		}
		at := 0
		for j, q := range out {
			if q.box == p.box {
				at = j
			}
		}
		p.moved, p.page = false, false
		out = append(out[:at+1], append([]part{p}, out[at+1:]...)...)
	}
	return out
}

// wrap breaks a paragraph into lines of about width characters, as a
// PDF's text is.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
			lines = append(lines, line)
			line = w
			continue
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// pdfText is the text a PDF reader gives: lines wrapped, trailing spaces,
// blank lines between paragraphs, glossary links and a page number at a
// page's foot and the next page's first line set in by a space.
func (d doc) pdfText() string {
	if d.pdf != "" {
		return d.pdf
	}
	var b strings.Builder
	pageNo := 1
	for _, p := range d.parts {
		if p.page {
			pageNo++
			fmt.Fprintf(&b, "https://www.justiceinspectorates.gov.uk/hmicfrs/glossary/\n%d\n", pageNo)
		}
		text := p.text
		if p.role == rItem || p.role == rListed {
			text = "• " + text
		}
		for k, l := range wrap(text, 84) {
			if k == 0 && p.page {
				b.WriteString(" ")
			}
			b.WriteString(l + " \n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// pasteOptions are the ways a paste from a word processor differs.
type pasteOptions struct {
	glue      int  // 0 none; glueBefore: a page's first heading runs onto the paragraph before; glueAfter: onto the one after
	pages     bool // page markers (glossary links, page numbers) kept
	pageOrder bool // boxes where the page shows them, not where the PDF put them
	lists     int  // 0 one item a line; listLine: items run onto one line, bullets kept; listBare: bullets lost
}

const (
	glueBefore = 1
	glueAfter  = 2
	listLine   = 1
	listBare   = 2
)

func isHeadingRole(r role) bool {
	return r == rArea || r == rMain || r == rSub || r == rBoxHead || r == rTitle
}

// paste writes the report as a word processor gives it when the PDF is
// opened in it and its text copied: one paragraph per line.
func (d doc) paste(o pasteOptions) string {
	parts := d.parts
	if o.pageOrder {
		parts = d.pageOrder()
	}
	var lines []string
	pending := "" // a heading waiting to be glued to the next paragraph
	pageNo := 1
	add := func(s string) {
		if pending != "" {
			s = pending + " " + s
			pending = ""
		}
		lines = append(lines, s)
	}
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		if p.page {
			pageNo++
			if o.pages {
				lines = append(lines, "https://www.justiceinspectorates.gov.uk/hmicfrs/glossary/", fmt.Sprint(pageNo))
			}
		}
		text := p.text
		// A 2018/19 question and its grade sit side by side on the page
		// and come out as one line.
		if p.role == rArea && isQuestion(text) && i+1 < len(parts) && parts[i+1].role == rGrade {
			text += " " + parts[i+1].text
			i++
		}
		if (p.role == rItem || p.role == rListed) && o.lists != 0 {
			var items []string
			for ; i < len(parts) && parts[i].role == p.role; i++ {
				if o.lists == listLine {
					items = append(items, "• "+parts[i].text)
				} else {
					items = append(items, parts[i].text)
				}
			}
			i--
			add(strings.Join(items, " "))
			continue
		}
		if p.role == rItem || p.role == rListed {
			text = "• " + text
		}
		if p.page && !o.pages && isHeadingRole(p.role) && len(lines) > 0 {
			switch o.glue {
			case glueBefore:
				lines[len(lines)-1] += " " + text
				continue
			case glueAfter:
				pending = text
				continue
			}
		}
		add(text)
	}
	if pending != "" {
		lines = append(lines, pending)
	}
	return strings.Join(lines, "\n") + "\n"
}

// Web page markups of a box.
const (
	webPlain      = iota // an h3 heading and plain paragraphs, no box element
	webAside             // <aside>
	webDiv               // <div class="govuk-inset-text">, a class the reader does not know
	webBlockquote        // <blockquote>
	webTable             // a table of one cell
	webBold              // bold paragraphs, no headings
	webStrong            // a boxed div, the main sentence in <strong>
	webFlat              // every heading below the area's an h3, the grade inside the area's h2, boxes as plain paragraphs
)

// web writes the report as a saved web page, boxes where the page shows
// them.
func (d doc) web(markup int) string {
	var b strings.Builder
	esc := html.EscapeString
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	title := d.name
	w("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>%s</title></head>\n<body><main>\n", esc(title))
	parts := d.pageOrder()
	for i := 0; i < len(parts); i++ {
		p := parts[i]
		switch p.role {
		case rFront:
			if i == 0 {
				w("<h1>%s</h1>\n", esc(p.text))
			} else {
				w("<p>%s</p>\n", esc(p.text))
			}
		case rArea:
			if g := areaGrade(parts, i); markup == webFlat && g != "" {
				// A grade badge inside the heading, as some pages set it.
				w("<h2>%s <span class=\"grade\">%s</span></h2>\n", esc(p.text), esc(g))
				if i+1 < len(parts) && parts[i+1].role == rGrade {
					i++
				}
				continue
			}
			w("<h2>%s</h2>\n", esc(p.text))
		case rGrade:
			w("<p class=\"grade\"><strong>%s</strong></p>\n", esc(p.text))
		case rMain:
			w("<h3>%s</h3>\n", esc(p.text))
		case rSub:
			if markup == webFlat {
				w("<h3>%s</h3>\n", esc(p.text))
				continue
			}
			w("<h4>%s</h4>\n", esc(p.text))
		case rListed:
			w("<ul>\n")
			for ; i < len(parts) && parts[i].role == rListed; i++ {
				w("<li>%s</li>\n", esc(parts[i].text))
			}
			i--
			w("</ul>\n")
		case rBoxHead:
			j := i + 1
			for j < len(parts) && parts[j].box == p.box && parts[j].role != rBoxHead {
				j++
			}
			writeBox(&b, markup, p.text, parts[i+1:j])
			i = j - 1
		default:
			w("<p>%s</p>\n", esc(p.text))
		}
	}
	w("</main></body></html>\n")
	return b.String()
}

// writeBox writes one box in a markup.
func writeBox(b *strings.Builder, markup int, heading string, in []part) {
	esc := html.EscapeString
	w := func(format string, a ...any) { fmt.Fprintf(b, format, a...) }
	open, shut, head, ttl := "", "", "<h3>%s</h3>\n", "<h4>%s</h4>\n"
	switch markup {
	case webPlain, webFlat:
		ttl = "<p>%s</p>\n"
	case webAside:
		open, shut = "<aside class=\"box\">\n", "</aside>\n"
	case webDiv:
		open, shut = "<div class=\"govuk-inset-text\">\n", "</div>\n"
	case webBlockquote:
		open, shut = "<blockquote>\n", "</blockquote>\n"
	case webTable:
		open, shut = "<table>\n<tr><th>"+esc(heading)+"</th></tr>\n<tr><td>\n", "</td></tr>\n</table>\n"
		head = ""
	case webBold:
		head, ttl = "<p><b>%s</b></p>\n", "<p><b>%s</b></p>\n"
	case webStrong:
		open, shut = "<div class=\"box\">\n", "</div>\n"
		ttl = "<p><strong>%s</strong></p>\n"
	}
	w("%s", open)
	if head != "" {
		w(head, esc(heading))
	}
	first := true
	for k := 0; k < len(in); k++ {
		p := in[k]
		switch p.role {
		case rTitle:
			w(ttl, esc(p.text))
		case rItem:
			w("<ul>\n")
			for ; k < len(in) && in[k].role == rItem; k++ {
				w("<li>%s</li>\n", esc(in[k].text))
			}
			k--
			w("</ul>\n")
		default:
			if markup == webStrong && first && (k == 0 || in[k-1].role != rTitle) {
				s := model1stSentence(p.text)
				w("<p><strong>%s</strong>%s</p>\n", esc(s), esc(strings.TrimPrefix(p.text, s)))
			} else {
				w("<p>%s</p>\n", esc(p.text))
			}
		}
		first = false
	}
	w("%s", shut)
}

// areaGrade is the grade of the area whose heading is part i: its grade
// line, else the grade its sentence gives.
func areaGrade(parts []part, i int) string {
	for j := i + 1; j < len(parts) && j <= i+3; j++ {
		switch parts[j].role {
		case rGrade:
			return parts[j].text
		case rSentence:
			if _, g, _, ok := gradeIn(parts[j].text); ok {
				return string(g)
			}
		}
	}
	return ""
}

// model1stSentence is the first sentence of s, up to its full stop.
func model1stSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
