package report

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The forms in which a force gets the seed report into the app. Each is
// made from the seed text here, so that the test shows exactly what
// changed; each must give the seed's 21 findings.

// onePerLine is the text as a word processor or web page gives it when
// copied: one paragraph per line, no blank lines, no leading spaces. The
// glossary links stay on lines of their own.
func onePerLine(seed string) string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, " "))
		}
		cur = nil
	}
	for _, l := range strings.Split(strings.ReplaceAll(seed, "\f", ""), "\n") {
		t := strings.Join(strings.Fields(l), " ")
		// A line set in by a space starts a page; after a full stop it
		// starts a paragraph, as a reader sees it.
		if strings.HasPrefix(l, " ") && len(cur) > 0 && endsSentence(cur[len(cur)-1]) {
			flush()
		}
		switch {
		case t == "":
			flush()
		case urlLine.MatchString(t):
			flush()
			out = append(out, t)
		default:
			cur = append(cur, t)
		}
	}
	flush()
	return strings.Join(out, "\n") + "\n"
}

// noPageMarkers keeps the blank lines and the line wrapping but drops
// every sign of a page break: form feeds, glossary links, page numbers and
// the leading space of a page's first line.
func noPageMarkers(seed string) string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(seed, "\f", ""), "\n") {
		if urlLine.MatchString(l) || (pageNumber.MatchString(l) && strings.TrimSpace(l) != "") {
			continue
		}
		out = append(out, strings.TrimLeft(l, " "))
	}
	return strings.Join(out, "\n")
}

var afiHeadingLine = regexp.MustCompile(`(?m)^(\s*)Areas? for improvement(\s*)$`)

// swapPlural writes "Area for improvement" where the report has "Areas
// for improvement", and the other way round.
func swapPlural(seed string) string {
	return afiHeadingLine.ReplaceAllStringFunc(seed, func(s string) string {
		if strings.Contains(s, "Areas") {
			return strings.Replace(s, "Areas", "Area", 1)
		}
		return strings.Replace(s, "Area", "Areas", 1)
	})
}

// windowsPlain is the text saved by a plain editor on Windows: straight
// quotes, CRLF line ends, and non-breaking spaces where a word processor
// kept them.
func windowsPlain(seed string) string {
	s := strings.NewReplacer("’", "'", "‘", "'", "“", "\"", "”", "\"").Replace(seed)
	s = strings.ReplaceAll(s, "Kent Police", "Kent\u00a0Police")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

var seedForms = map[string]func(string) string{
	"one paragraph per line":         onePerLine,
	"blank lines, no page markers":   noPageMarkers,
	"singular and plural swapped":    swapPlural,
	"straight quotes, CRLF and nbsp": windowsPlain,
	"pasted, swapped and plain":      func(s string) string { return windowsPlain(swapPlural(onePerLine(s))) },
	"no page markers and swapped":    func(s string) string { return swapPlural(noPageMarkers(s)) },
}

// sameFinding compares what the register keeps of a finding: type, area,
// grade, title and wording, quotes and spacing folded.
func sameFinding(a, b Proposed) string {
	switch {
	case a.Type != b.Type:
		return fmt.Sprintf("type %s, want %s", a.Type, b.Type)
	case a.Area != b.Area:
		return fmt.Sprintf("area %q, want %q", a.Area, b.Area)
	case a.Grade != b.Grade:
		return fmt.Sprintf("grade %q, want %q", a.Grade, b.Grade)
	case foldWording(a.Title) != foldWording(b.Title):
		return fmt.Sprintf("title %q, want %q", a.Title, b.Title)
	case foldWording(a.Text) != foldWording(b.Text):
		return fmt.Sprintf("text %q, want %q", a.Text, b.Text)
	case a.HasFlag(FlagWordingMissing) != b.HasFlag(FlagWordingMissing):
		return fmt.Sprintf("flags %v, want %v", a.Flags, b.Flags)
	}
	return ""
}

func TestSeedForms(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "kent-peel-2021-22.txt"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := Parse(string(b))
	for name, form := range seedForms {
		t.Run(name, func(t *testing.T) {
			got, err := Parse(form(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			if got.Force != want.Force || got.Cycle != want.Cycle {
				t.Errorf("force, cycle = %q, %q; want %q, %q", got.Force, got.Cycle, want.Force, want.Cycle)
			}
			for i := 0; i < max(len(got.Findings), len(want.Findings)); i++ {
				switch {
				case i >= len(got.Findings):
					t.Errorf("finding %d missing: %s | %s | %s", i+1, want.Findings[i].Type, want.Findings[i].Area, want.Findings[i].Title)
				case i >= len(want.Findings):
					t.Errorf("extra finding %d: %s | %s | %s", i+1, got.Findings[i].Type, got.Findings[i].Area, got.Findings[i].Title)
				default:
					if d := sameFinding(got.Findings[i], want.Findings[i]); d != "" {
						t.Errorf("finding %d: %s", i+1, d)
					}
				}
			}
		})
	}
}
