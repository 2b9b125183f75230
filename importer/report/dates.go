package report

// Dates on the page: the publication date ("Published on: 14 October
// 2026", "Published: 9 May 2019", or the date alone on the cover) and the
// deadlines of recommendations. A deadline given from publication
// ("within six months") or loosely ("by the end of 2024") becomes a target
// date counted from the publication date, flagged for the person to check;
// when the text gives no publication date, typing it in the preview
// (Plan.SetPublished) sets the targets too.

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"improvementtracker/model"
)

const (
	// FlagTargetCounted marks a target counted from the publication date
	// or read from a loose deadline.
	FlagTargetCounted = "target date counted from the publication date or a loose deadline: check it against the report"
	// FlagNeedsPublished marks a deadline counted from a publication date
	// the text does not give.
	FlagNeedsPublished = "no target date yet: the deadline counts from the publication date, which the text does not give; type the date in and the target is set"
)

const months = `January|February|March|April|May|June|July|August|September|October|November|December`

var (
	// deadlinePattern finds the time the inspectorate gave for a
	// recommendation.
	deadlinePattern = regexp.MustCompile(`(?i)\b(immediately|within (?:\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen) (?:months?|weeks?|days?|years?)|by (?:the end of )?(?:\d{1,2} )?(?:(?:` + months + `) )?20\d\d)\b`)
	withinPattern   = regexp.MustCompile(`^within (\d{1,3}|[a-z]+) (month|week|day|year)s?$`)
	byPattern       = regexp.MustCompile(`(?i)^by (the end of )?(?:(\d{1,2}) )?(?:(` + months + `) )?(20\d\d)$`)
	numberWords     = map[string]int{"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
		"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18}
	// dayDate is a date written in words: "14 October 2026", "9th May,
	// 2019".
	dayDate = regexp.MustCompile(`(?i)^(\d{1,2})(?:st|nd|rd|th)?\s+(` + months + `|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?,?\s+(20\d\d)$`)
)

// DeadlineDate turns the inspectorate's deadline into a target date: "by
// 31 March 2026" as written; "by the end of 2024" or "by March 2025" as
// the last day of that year or month; "within six months" counted from
// publication (none without a publication date). counted says the date
// is not written as such in the text, so the person should check it.
func DeadlineDate(deadline string, published model.Date) (d model.Date, counted bool) {
	s := strings.ToLower(strings.TrimSpace(deadline))
	if m := byPattern.FindStringSubmatch(strings.TrimSpace(deadline)); m != nil {
		year, _ := strconv.Atoi(m[4])
		month := time.December
		if m[3] != "" {
			t, _ := time.Parse("January", strings.ToUpper(m[3][:1])+strings.ToLower(m[3][1:]))
			month = t.Month()
		}
		if m[2] != "" && m[1] == "" {
			day, _ := strconv.Atoi(m[2])
			t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
			if t.Day() != day || m[3] == "" {
				return model.Date{}, false
			}
			return model.DateOf(t), false
		}
		// The last day of the month or year.
		return model.DateOf(time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)), true
	}
	m := withinPattern.FindStringSubmatch(s)
	if m == nil || published.IsZero() {
		return model.Date{}, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		n = numberWords[m[1]]
	}
	if n == 0 {
		return model.Date{}, false
	}
	t := published.Time()
	switch m[2] {
	case "year":
		t = t.AddDate(n, 0, 0)
	case "month":
		t = t.AddDate(0, n, 0)
	case "week":
		t = t.AddDate(0, 0, 7*n)
	default:
		t = t.AddDate(0, 0, n)
	}
	return model.DateOf(t), true
}

// relative reports whether a deadline counts from publication.
func relative(deadline string) bool {
	return withinPattern.MatchString(strings.ToLower(strings.TrimSpace(deadline)))
}

// setTarget sets a finding's target from its deadline and the
// publication date, and flags it for checking where it was counted.
func setTarget(f *Proposed, published model.Date) {
	f.Flags = without(f.Flags, FlagTargetCounted, FlagNeedsPublished)
	f.Target = model.Date{}
	if f.Deadline == "" {
		return
	}
	d, counted := DeadlineDate(f.Deadline, published)
	switch {
	case !d.IsZero():
		f.Target = d
		if counted {
			f.Flags = append(f.Flags, FlagTargetCounted)
		}
	case relative(f.Deadline):
		f.Flags = append(f.Flags, FlagNeedsPublished)
	}
}

func without(flags []string, drop ...string) []string {
	var out []string
	for _, f := range flags {
		keep := true
		for _, d := range drop {
			if f == d {
				keep = false
			}
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// parseDay reads a date written in words.
func parseDay(s string) (model.Date, bool) {
	m := dayDate.FindStringSubmatch(strings.Join(strings.Fields(s), " "))
	if m == nil {
		return model.Date{}, false
	}
	mon := strings.ToLower(m[2])
	if mon == "sept" {
		mon = "sep"
	}
	t, err := time.Parse("Jan", strings.ToUpper(mon[:1])+mon[1:3])
	if err != nil {
		return model.Date{}, false
	}
	day, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(m[3])
	d := time.Date(year, t.Month(), day, 0, 0, 0, 0, time.UTC)
	if d.Day() != day {
		return model.Date{}, false
	}
	return model.DateOf(d), true
}

// findPublished reads the publication date: "Published on: …" anywhere
// near the start, else a date alone on a line among the first paragraphs,
// as a cover gives it (which the person is asked to check).
func (p *parser) findPublished(head string) {
	if m := publishedPattern.FindStringSubmatch(head); m != nil {
		if d, ok := parseDay(m[1]); ok {
			p.out.Published = d
			return
		}
	}
	lines := strings.SplitN(head, "\n", 61)
	for i, l := range lines[:min(len(lines), 60)] {
		if d, ok := parseDay(strings.TrimSpace(strings.ReplaceAll(l, "\f", ""))); ok {
			p.out.Published = d
			p.out.Warnings = append(p.out.Warnings, fmt.Sprintf("The publication date, %s, is the date on line %d, as a cover gives it: check it.", d, i+1))
			return
		}
	}
}

// setTargets sets every finding's target from its deadline.
func (p *parser) setTargets() {
	for i := range p.out.Findings {
		setTarget(&p.out.Findings[i], p.out.Published)
	}
}
