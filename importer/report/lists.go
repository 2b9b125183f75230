package report

// Lists run onto one line. Pasted from a word processor or a browser, a
// bulleted list often comes out as one line: "• The force should… • The
// force should…", or with its bullets lost, "The force should improve….
// The force should make sure….", and a recommendation's items as
// "makes sure…; makes sure…; and improves…". Read as one paragraph, four
// areas for improvement become one holding all four texts. They are split
// where that is safe: at a bullet mark, at the "; and" of items after a
// lead-in ending with a colon, and at each "The force should…" sentence of
// a paragraph under a plural "Areas for improvement" heading. Where it is
// not safe, the finding is flagged instead (see checkFindings).

import (
	"regexp"
	"strings"
)

// splitBullets puts each bullet of a line that holds several on a line of
// its own. A line with one bullet, at its start, is left alone.
func splitBullets(t string) []string {
	idx := strings.Index(t, "•")
	if idx < 0 || (idx == 0 && !strings.Contains(t[len("•"):], "•")) {
		return nil
	}
	var out []string
	for _, piece := range strings.Split(t, "•") {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		if len(out) > 0 || idx == 0 {
			piece = "• " + piece
		}
		out = append(out, piece)
	}
	if len(out) < 2 {
		return nil
	}
	return out
}

// directiveSentence is a sentence telling the force what to do, as each
// item of a list of areas for improvement does.
var directiveSentence = regexp.MustCompile(`^(?:The force|The constabulary|[A-Z][\pL’'&. -]{1,60} (?:Police|Constabulary)) (?:should|must|needs? to)\b`)

// directiveSentences splits a paragraph into its sentences when every
// one tells the force what to do, and there are at least two; else nil.
func directiveSentences(t string) []string {
	locs := sentenceBreak.FindAllStringIndex(t, -1)
	if len(locs) == 0 {
		return nil
	}
	var out []string
	start := 0
	for _, l := range locs {
		cut := l[1] - len(string(lastRune(t[:l[1]])))
		out = append(out, strings.TrimSpace(t[start:cut]))
		start = cut
	}
	out = append(out, strings.TrimSpace(t[start:]))
	for _, s := range out {
		if !directiveSentence.MatchString(s) {
			return nil
		}
	}
	return out
}

// listItems splits the items of a list run onto one line after a lead-in
// ending with a colon: each item ends with its ";", "; and" or "; or".
var itemEnd = regexp.MustCompile(`;(?:\s+(?:and|or))?\s+`)

func listItems(t string) []string {
	var out []string
	start := 0
	for _, l := range itemEnd.FindAllStringIndex(t, -1) {
		out = append(out, strings.TrimSpace(t[start:l[1]]))
		start = l[1]
	}
	if rest := strings.TrimSpace(t[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}
