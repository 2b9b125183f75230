package report

// Headings glued to a paragraph. A word processor that opens the PDF, or a
// browser's copy of a page, often runs a heading at the top of a page onto
// the end of the paragraph before it ("…were false. Engaging with and
// treating the public with fairness and respect"), or the heading onto the
// paragraph after it ("Main findings In this section…"), and sets a 2018/19
// core question and its grade on one line ("1 How effective is the force
// at preventing crime…? Good"). Read as they come, the glued heading is
// lost: the findings after it go under the area before, and a box runs on
// into the main findings. The headings the parser knows are put back on
// lines of their own; in text whose lines are whole paragraphs, so is a
// heading-like tail after a paragraph's last full stop, as such a line
// would otherwise end without one.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxGluedLine caps the lines looked at: a longer one is not a paragraph
// of a report, and trying every split of it would be slow.
const maxGluedLine = 4000

// questionGrade is a 2018/19 core question with its grade after it.
var questionGrade = regexp.MustCompile(`^(.{10,300}\?)\s+((?i:outstanding|good|adequate|requires improvement|inadequate|not graded))\.?$`)

// sentenceBreak is the end of a sentence inside a line: the stop, a space
// and a capital (or an opening quote, or a digit).
var sentenceBreak = regexp.MustCompile(`[.?!]["”’)]?\s+[\p{Lu}‘“0-9]`)

// knownHeading reports whether t is a heading the parser knows by its
// words: a box's or a section's heading, an area, the victim service
// assessment, or a 2018/19 core question.
func knownHeading(t string) bool {
	t = strings.TrimSpace(t)
	if t == "" {
		return false
	}
	if keywordOf(t) != kwNone || knownAreas[foldArea(t)] || isQuestion(t) {
		return true
	}
	return strings.EqualFold(strings.TrimRight(t, " :"), "victim service assessment")
}

// splitGlued puts the headings glued to the lines of text back on lines
// of their own. whole says the text's lines are whole paragraphs. nums is
// each line's number in the source, kept for the pieces.
func splitGlued(lines []string, nums []int, whole bool) ([]string, []int) {
	out := make([]string, 0, len(lines))
	outNums := make([]int, 0, len(nums))
	for i, l := range lines {
		for _, piece := range unglue(l, whole, 0) {
			out = append(out, piece)
			outNums = append(outNums, nums[i])
		}
	}
	return out, outNums
}

// unglue splits one line into its glued headings and paragraphs.
func unglue(l string, whole bool, depth int) []string {
	t := strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))
	if t == "" || len(t) > maxGluedLine || depth > 8 || knownHeading(t) || strings.Contains(l, "\f") {
		return []string{l}
	}
	if pieces := splitBullets(t); pieces != nil {
		var out []string
		for _, piece := range pieces {
			out = append(out, unglue(piece, whole, depth+1)...)
		}
		return out
	}
	if m := questionGrade.FindStringSubmatch(t); m != nil && questionStart.MatchString(m[1]) {
		return []string{m[1], m[2]}
	}
	// A heading at the line's start, the longest the parser knows.
	words := strings.Fields(t)
	for n := min(len(words)-1, 14); n >= 1; n-- {
		head := strings.Join(words[:n], " ")
		rest := strings.Join(words[n:], " ")
		// (A contents line, "Recommendations 3", is not a heading and a
		// paragraph: what follows must be words.)
		if knownHeading(head) && (startsParagraph(rest) && len(words)-n >= 3 || gradeWord(rest) != "") {
			return append([]string{head}, unglue(rest, whole, depth+1)...)
		}
	}
	// A heading after a sentence's end: the shortest tail that is one.
	locs := sentenceBreak.FindAllStringIndex(t, -1)
	for k := len(locs) - 1; k >= 0; k-- {
		cut := locs[k][1] - utf8.RuneLen(lastRune(t[:locs[k][1]]))
		body, tail := strings.TrimSpace(t[:cut]), strings.TrimSpace(t[cut:])
		if len(tail) > 400 {
			break
		}
		if knownHeading(tail) || questionGrade.MatchString(tail) && questionStart.MatchString(tail) ||
			(k == len(locs)-1 && whole && headingTail(tail)) {
			return append(unglue(body, whole, depth+1), unglue(tail, whole, depth+1)...)
		}
	}
	return []string{l}
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// startsParagraph reports whether s can be a paragraph of its own after a
// heading: it starts with a capital, a digit, a quote or a bullet.
func startsParagraph(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("‘“•", r)
}

// headingTail reports whether the end of a paragraph line reads as a
// heading run onto it: a few words from a capital, with no stop at the end
// (every paragraph of a report ends with one).
func headingTail(s string) bool {
	n := len(strings.Fields(s))
	return n >= 3 && n <= 35 && !endsSentence(s) && startsUpper(s) && !strings.ContainsAny(s, ".?!")
}
