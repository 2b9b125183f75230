package report

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// variant is one form a report arrives in.
type variant struct {
	name string
	make func(d doc) string
	web  bool
}

var variants = []variant{
	{"PDF text", func(d doc) string { return d.pdfText() }, false},
	{"paste: headings glued before, pages dropped, PDF's box places", func(d doc) string {
		return d.paste(pasteOptions{glue: glueBefore})
	}, false},
	{"paste: headings glued after, pages dropped, PDF's box places", func(d doc) string {
		return d.paste(pasteOptions{glue: glueAfter})
	}, false},
	{"paste: page markers kept, PDF's box places", func(d doc) string {
		return d.paste(pasteOptions{pages: true})
	}, false},
	{"paste: headings glued before, boxes where the page shows them", func(d doc) string {
		return d.paste(pasteOptions{glue: glueBefore, pageOrder: true})
	}, false},
	{"paste: lists on one line, bullets kept, glued before", func(d doc) string {
		return d.paste(pasteOptions{glue: glueBefore, lists: listLine})
	}, false},
	{"paste: lists on one line, bullets lost, glued before", func(d doc) string {
		return d.paste(pasteOptions{glue: glueBefore, lists: listBare})
	}, false},
	{"web: h2/h3 headings, plain paragraphs", func(d doc) string { return d.web(webPlain) }, true},
	{"web: boxes as aside", func(d doc) string { return d.web(webAside) }, true},
	{"web: boxes as div (class unknown)", func(d doc) string { return d.web(webDiv) }, true},
	{"web: boxes as blockquote", func(d doc) string { return d.web(webBlockquote) }, true},
	{"web: boxes as table", func(d doc) string { return d.web(webTable) }, true},
	{"web: boxes as bold paragraphs", func(d doc) string { return d.web(webBold) }, true},
	{"web: boxed div, main sentence in strong", func(d doc) string { return d.web(webStrong) }, true},
	{"web: grade in the h2, every other heading h3, plain paragraphs", func(d doc) string { return d.web(webFlat) }, true},
}

// texts are every report text the variants are made from.
func texts(t *testing.T) []doc {
	return []doc{
		kentDoc(t),
		parseDoc("Eastmoor PEEL 2018/19 (written for the tests)", eastmoor1819),
		parseDoc("Southvale PEEL 2023–25 (written for the tests)", southvale2325),
	}
}

// parseVariant reads a variant's text as the app would.
func parseVariant(t *testing.T, v variant, d doc) *Parsed {
	t.Helper()
	text := v.make(d)
	if v.web {
		var err error
		if text, err = HTMLText([]byte(text)); err != nil {
			t.Fatalf("%s, %s: %v", d.name, v.name, err)
		}
	}
	p, err := Parse(text)
	if err != nil {
		t.Fatalf("%s, %s: %v", d.name, v.name, err)
	}
	return p
}

// score is how one variant of one text was read against the PDF's text.
type score struct {
	want, found, same int
	// matched counts findings found whose wording is a finding of the
	// PDF's text; rightArea and rightGrade count those with its area and
	// grade.
	matched, rightArea, rightGrade int
	// warned counts the differences a warning names; silent those none
	// does, each described in silentWhat.
	warned, silent int
	silentWhat     []string
}

// sameWording compares wording with quotes, dashes and spacing folded.
func sameWording(a, b Proposed) bool {
	return foldWording(a.Text) == foldWording(b.Text) && a.HasFlag(FlagWordingMissing) == b.HasFlag(FlagWordingMissing)
}

// overlaps reports whether two findings share wording: one's first
// sentence is in the other's.
func overlaps(a, b Proposed) bool {
	fa, fb := foldWording(a.Text), foldWording(b.Text)
	if fa == "" || fb == "" {
		return false
	}
	sa, sb := foldWording(firstWords(a.Text)), foldWording(firstWords(b.Text))
	return strings.Contains(fb, sa) || strings.Contains(fa, sb)
}

// firstWords is the start of a wording, long enough to tell findings
// apart.
func firstWords(s string) string {
	w := strings.Fields(s)
	return strings.Join(w[:min(len(w), 8)], " ")
}

// warnedOf reports whether a finding is named as one to check: a flag
// of its own, which the preview shows beside it.
func warnedOf(f Proposed) bool { return len(f.Flags) > 0 }

// compare scores got against the PDF text's findings.
func compare(want, got []Proposed, warnings []string) score {
	s := score{want: len(want), found: len(got)}
	usedGot := make([]bool, len(got))
	usedWant := make([]bool, len(want))
	for i, w := range want {
		for j, g := range got {
			if !usedGot[j] && g.Type == w.Type && g.Area == w.Area && g.Grade == w.Grade && sameWording(g, w) {
				usedGot[j], usedWant[i] = true, true
				s.same++
				break
			}
		}
	}
	for _, g := range got {
		for _, w := range want {
			if sameWording(g, w) && g.Text != "" {
				s.matched++
				if g.Area == w.Area {
					s.rightArea++
				}
				if g.Grade == w.Grade {
					s.rightGrade++
				}
				break
			}
		}
	}
	for i, w := range want {
		if usedWant[i] {
			continue
		}
		// A finding lost or changed: named when a finding holding its
		// wording is flagged.
		named := strings.Contains(foldWording(strings.Join(warnings, " ")), foldWording(firstWords(w.Text)))
		for j, g := range got {
			if !usedGot[j] && (overlaps(g, w) || (w.Text == "" && g.Type == w.Type)) && warnedOf(g) {
				named = true
			}
		}
		if named {
			s.warned++
		} else {
			s.silent++
			s.silentWhat = append(s.silentWhat, fmt.Sprintf("lost or changed, no warning: %s | %s | %s | %q", w.Type, w.Area, w.Grade, firstWords(w.Text)))
		}
	}
	for j, g := range got {
		if usedGot[j] {
			continue
		}
		if warnedOf(g) {
			s.warned++
		} else {
			s.silent++
			s.silentWhat = append(s.silentWhat, fmt.Sprintf("different, no warning: %s | %s | %s | %q", g.Type, g.Area, g.Grade, firstWords(g.Text)))
		}
	}
	return s
}

// TestVariants runs every text through every variant and holds the rule:
// the same findings as the PDF's text, or a warning naming every finding
// that may differ. With -v or MEASURE=1 it prints the table.
func TestVariants(t *testing.T) {
	var rows []string
	for _, d := range texts(t) {
		base, err := Parse(d.pdfText())
		if err != nil {
			t.Fatal(err)
		}
		if len(base.Findings) == 0 {
			t.Fatalf("%s: the PDF text gives no findings", d.name)
		}
		for _, v := range variants {
			got := parseVariant(t, v, d)
			s := compare(base.Findings, got.Findings, got.Warnings)
			for _, w := range s.silentWhat {
				t.Errorf("%s, %s: %s", d.name, v.name, w)
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %d | %d | %d | %s | %s | %s | %s | %d | %d |", d.name, v.name, s.want, s.found, s.same,
				ratio(s.same, s.want), ratio(s.same, s.found), ratio(s.rightArea, s.matched), ratio(s.rightGrade, s.matched), s.warned, s.silent))
		}
	}
	if testing.Verbose() || os.Getenv("MEASURE") != "" {
		fmt.Println("| text | variant | PDF text's findings | found | same | recall | precision | area right | grade right | differences warned | differences not warned |")
		fmt.Println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
		fmt.Println(strings.Join(rows, "\n"))
	}
}
