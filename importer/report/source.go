package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxSourceRunes caps the source quoted beside one finding: enough for a
// box and its moved wording, not a whole section when a box ran on.
const maxSourceRunes = 6000

// quoteSource fills in each finding's Source from the lines it was read
// from, so that the preview can show them beside it.
func (p *parser) quoteSource(text string) {
	lines := strings.Split(text, "\n")
	for i := range p.out.Findings {
		f := &p.out.Findings[i]
		var parts []string
		for _, r := range f.Lines {
			from, to := max(r[0], 1), min(r[1], len(lines))
			if from > to {
				continue
			}
			var b strings.Builder
			for n := from; n <= to; n++ {
				l := strings.TrimRight(strings.ReplaceAll(lines[n-1], "\r", ""), " \f")
				if b.Len() > 0 {
					b.WriteString("\n")
				}
				b.WriteString(l)
			}
			parts = append(parts, fmt.Sprintf("[lines %d–%d]\n%s", from, to, b.String()))
		}
		s := strings.Join(parts, "\n")
		if utf8.RuneCountInString(s) > maxSourceRunes {
			s = clipRunes(s, maxSourceRunes)
		}
		f.Source = strings.ToValidUTF8(s, "\uFFFD")
	}
}
