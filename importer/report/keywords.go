package report

import (
	"regexp"
	"strconv"
	"strings"

	"improvementtracker/model"
)

// keyword is a structural heading of an inspection report.
type keyword int

const (
	kwNone    keyword = iota
	kwAFI             // "Area for improvement", "Area for improvement 3"
	kwAFIs            // "Areas for improvement"
	kwIP              // "Innovative practice"
	kwCause           // "Cause of concern"
	kwRecs            // "Recommendations"
	kwMain            // "Main findings", "What we found": ends a box
	kwSection         // other headings that end a box: "Summary", "Contents"
)

var (
	kwAFIPattern   = regexp.MustCompile(`^(?i)areas? for improvement(?:\s+(\d{1,3}))?\s*:?$`)
	kwIPPattern    = regexp.MustCompile(`^(?i)(?:innovative|promising|notable) practices?(?:\s*:\s*(.{1,200}))?$`)
	kwCausePattern = regexp.MustCompile(`^(?i)causes? of concern(?:\s+(\d{1,3}))?\s*:?$`)
	kwRecsPattern  = regexp.MustCompile(`^(?i)recommendations?(?:\s+(\d{1,3}))?\s*:?$`)
	plainNumbered  = regexp.MustCompile(`^(?i)(?:areas for improvement|causes of concern|recommendations|innovative practices?|main findings|summary)\s+\d{1,3}$`)
)

// keywordOf classifies a paragraph that is a structural heading.
func keywordOf(t string) keyword {
	t = strings.TrimSpace(t)
	if len(t) > 220 {
		return kwNone
	}
	if t == boxEnd {
		return kwSection
	}
	if m := plainNumbered.FindStringSubmatch(t); m != nil {
		// "Recommendations 3", "Areas for improvement 4": a line of the
		// contents list, not a heading.
		return kwNone
	}
	switch {
	case kwAFIPattern.MatchString(t):
		if strings.HasPrefix(strings.ToLower(t), "areas") {
			return kwAFIs
		}
		return kwAFI
	case kwIPPattern.MatchString(t):
		return kwIP
	case kwCausePattern.MatchString(t):
		return kwCause
	case kwRecsPattern.MatchString(t):
		return kwRecs
	}
	switch strings.ToLower(strings.TrimRight(t, " :")) {
	case "main findings", "what we found", "our findings", "detailed findings":
		return kwMain
	case "summary", "contents", "overall summary", "our judgments", "our judgements",
		"about the data", "data in this report", "force in numbers", "force in context":
		return kwSection
	}
	return kwNone
}

// number returns the number of a numbered heading ("Area for improvement 3").
func number(t string) int {
	for _, re := range []*regexp.Regexp{kwAFIPattern, kwCausePattern, kwRecsPattern} {
		if m := re.FindStringSubmatch(strings.TrimSpace(t)); m != nil && m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			return n
		}
	}
	return 0
}

// gradeWord returns the grade when t is nothing but a grade, as the 2018/19
// and 2023–25 layouts set it under an area's heading.
func gradeWord(t string) model.Grade {
	t = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(t), "."))
	if len(t) > 40 {
		return ""
	}
	switch strings.ToLower(t) {
	case "outstanding":
		return model.Outstanding
	case "good":
		return model.Good
	case "adequate":
		return model.Adequate
	case "requires improvement", "require improvement":
		return model.RequiresImprovement
	case "inadequate":
		return model.Inadequate
	case "not graded", "ungraded", "not inspected":
		return model.Ungraded
	}
	return ""
}

// gradeSentence is the 2021/22 way of giving an area's grade:
// "Kent Police requires improvement at investigating crime."
var gradeSentence = regexp.MustCompile(`^(?i)([A-Z][\pL&’'. -]{1,60}?)\s+(?:(?:is|are|was)\s+(outstanding|good|adequate|inadequate|requires? improvement)|(requires? improvement))\s+(?:at|in)\s+([^.]{3,200})\.`)

// gradeIn reads a grade sentence at the start of t, returning who is
// graded, the grade, and at what.
func gradeIn(t string) (who string, g model.Grade, what string, ok bool) {
	m := gradeSentence.FindStringSubmatch(t)
	if m == nil {
		return "", "", "", false
	}
	return strings.TrimSpace(m[1]), gradeWord(m[2] + m[3]), strings.TrimSpace(m[4]), true
}

// knownAreas are the headings of PEEL's areas in the 2018/19, 2021/22 and
// 2023–25 frameworks, so that an area is known even where its grade is
// given in a way the parser does not read, or not given at all.
var knownAreas = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range []string{
		// 2021/22
		"Providing a service to the victims of crime", "Crime data integrity",
		"Engaging with and treating the public with fairness and respect",
		"Preventing crime and anti-social behaviour", "Responding to the public",
		"Investigating crime", "Protecting vulnerable people", "Managing offenders and suspects",
		"Disrupting serious organised crime", "Building, supporting and protecting the workforce",
		"Vetting and counter corruption", "Strategic planning, organisational management and value for money",
		// 2023–25
		"Providing a service to victims of crime", "Police powers and public treatment",
		"Preventing crime", "Leadership and force management", "Recording data about crime",
		"Developing a positive workplace", "Serious and organised crime",
		// 2018/19
		"Preventing crime and tackling anti-social behaviour", "Tackling serious and organised crime",
		"Armed policing", "Meeting current demands and using resources", "Planning for the future",
		"Treating the public fairly", "Ethical and lawful workforce behaviour",
		"Treating the workforce fairly",
	} {
		m[foldArea(a)] = true
	}
	return m
}()

// areaFolder is built once: building a replacer costs far more than
// using it, and every line of a text is looked up as a heading.
var areaFolder = strings.NewReplacer("’", "'", "–", "-", "—", "-")

// foldArea folds an area heading for comparison.
func foldArea(s string) string {
	return areaFolder.Replace(strings.ToLower(strings.Join(strings.Fields(s), " ")))
}

// isVictimService reports whether a heading names the ungraded victim
// service assessment.
func isVictimService(t string) bool {
	l := strings.ToLower(t)
	return len(l) < 200 && (strings.Contains(l, "victim service assessment") || strings.Contains(l, "victim services assessment"))
}

// isQuestion reports whether a heading is one of the 2018/19 core
// questions: "How effective is the force at keeping people safe and
// reducing crime?"
func isQuestion(t string) bool {
	return len(t) < 300 && strings.HasSuffix(t, "?") && questionStart.MatchString(t)
}

// questionAreas names the area a 2018/19 core question asks about, by the
// words that set it apart.
var questionAreas = []struct{ words, area string }{
	{"keeping people safe and reducing crime", ""}, // a pillar, named below
	{"preventing crime", "Preventing crime and tackling anti-social behaviour"},
	{"investigat", "Investigating crime"},
	{"vulnerable", "Protecting vulnerable people"},
	{"serious and organised crime", "Tackling serious and organised crime"},
	{"armed", "Armed policing"},
	{"demand", "Meeting current demands and using resources"},
	{"plan for the future", "Planning for the future"},
	{"treat the public fairly", "Treating the public fairly"},
	{"ethically and lawfully", "Ethical and lawful workforce behaviour"},
	{"workforce fairly", "Treating the workforce fairly"},
	{"treat its workforce", "Treating the workforce fairly"},
}

// questionArea returns the area a core question asks about, "" when it is
// not a question the parser knows. A pillar's question ("How effective is
// the force at keeping people safe and reducing crime?") names the pillar.
func questionArea(q string) string {
	if !isQuestion(q) {
		return ""
	}
	l := strings.ToLower(q)
	for _, qa := range questionAreas {
		if !strings.Contains(l, qa.words) {
			continue
		}
		if qa.area != "" {
			return qa.area
		}
		switch {
		case strings.Contains(l, "effective"):
			return "Effectiveness"
		case strings.Contains(l, "efficient"):
			return "Efficiency"
		case strings.Contains(l, "legitimate"):
			return "Legitimacy"
		}
		return ""
	}
	return ""
}
