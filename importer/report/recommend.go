package report

// Recommendations: the bulleted recommendations of a cause of concern or
// a thematic report, ending where their list ends.

import (
	"regexp"
	"strings"

	"improvementtracker/model"
)

// recommendations reads the recommendations from i: a lead-in ("We
// recommend that, within six months, the force:") and its bullets, or
// recommendations written as whole sentences. parent is the 1-based index
// of their cause of concern. The recommendations end where their list
// ends, or at the first paragraph that is not one: later narrative that
// happens to say "should" is not taken.
func (p *parser) recommendations(i, parent int) int {
	stem := ""
	found := 0
	bullets := 0
	skipped := 0
	for i < len(p.ps) && !p.isStop(i) {
		pa := p.ps[i]
		if p.consumed[i] {
			i++
			continue
		}
		text := strings.TrimSpace(pa.text)
		switch {
		case pa.bullet:
			if found > 0 && bullets == 0 && stem == "" {
				return i // a list after sentence recommendations is not theirs
			}
			item := stripBullet(text)
			full := item
			if stem != "" {
				full = stem + "\n• " + item
			}
			p.emitRec(full, item, stem, i, parent)
			found++
			bullets++
		case bullets > 0:
			// The list has ended, and with it the recommendations.
			return i
		case strings.HasSuffix(stem, ":") && found == 0 && !isTitle(pa) && !recStart.MatchString(text):
			// The lead-in's list run onto one line, bullets lost: its
			// items end with "; and".
			for _, item := range listItems(text) {
				p.emitRec(stem+"\n• "+item, item, stem, i, parent)
				found++
				bullets++
			}
		case isTitle(pa):
			if found > 0 {
				return i
			}
			// A recommendation may have a heading of its own.
			stem = ""
		case strings.HasSuffix(text, ":") && (found == 0 || recStart.MatchString(text)):
			stem = text
		case recStart.MatchString(text):
			p.emitRec(text, text, text, i, parent)
			found++
		case found > 0:
			return i
		default:
			// A sentence introducing the recommendations; more than a few
			// means there are none here.
			skipped++
			if skipped > 3 {
				i = p.missingRec(i, parent)
				return i
			}
		}
		i++
	}
	if found == 0 && (i >= len(p.ps) || keywordOf(p.ps[i].text) != kwRecs) {
		// (A heading "Recommendations" over numbered ones, "Recommendation
		// 1", has none of its own.)
		p.missingRec(i, parent)
	}
	return i
}

// missingRec adds a recommendation whose wording is not in the text.
func (p *parser) missingRec(i, parent int) int {
	line := 0
	if i > 0 && i <= len(p.ps) {
		line = p.ps[i-1].line
	}
	p.emitMissing(model.Recommendation, line)
	if parent > 0 {
		p.out.Findings[len(p.out.Findings)-1].Parent = parent
	}
	return i
}

var (
	// forceAddressee names a force among those a recommendation is for.
	forceAddressee = regexp.MustCompile(`(?i)\b(?:chief constables?|(?:all |each |every )?forces?|the constabulary|police forces|the force)\b`)
	// otherAddressee names bodies other than forces that recommendations
	// are addressed to.
	otherAddressee = regexp.MustCompile(`(?i)\b(?:the home office|the home secretary|the college of policing|the national police chiefs[’']? council|npcc|the national crime agency|the crown prosecution service|the cps|the ministry of justice|the department for [\pL ]{3,40}?|the government|police and crime commissioners|pccs|the independent office for police conduct|the iopc|nhs england|local authorities|the national fire chiefs[’']? council|hmicfrs)\b`)
	// addresseeEnd is where the words naming who should act end.
	addresseeEnd = regexp.MustCompile(`(?i)\b(?:should|must)\b|:\s*$`)
)

// addressee returns who a recommendation is for, from the words before
// its "should" (or the lead-in of its list): forOthers is true when those
// words name only bodies other than forces, such as the Home Office.
func addressee(stem, item string) (who string, forOthers bool) {
	subject := stem
	if subject == "" {
		subject = item
	}
	if loc := addresseeEnd.FindStringIndex(subject); loc != nil {
		subject = subject[:loc[0]]
	}
	if forceAddressee.MatchString(subject) {
		return "", false
	}
	var names []string
	for _, m := range otherAddressee.FindAllString(subject, -1) {
		names = append(names, m)
	}
	if len(names) == 0 {
		return "", false
	}
	return strings.Join(names, ", "), true
}

// emitRec adds a recommendation read from paragraph at.
func (p *parser) emitRec(text, item, stem string, at, parent int) {
	f := p.base(model.Recommendation, p.ps[at].line)
	f.Text = text
	f.Title = model.FirstSentence(model.UpperFirst(trimListEnd(item)))
	f.Parent = parent
	if m := deadlinePattern.FindString(stem + " " + item); m != "" {
		f.Deadline = strings.ToLower(m[:1]) + m[1:]
	}
	f.Lines = p.linesOf([]int{at})
	if who, others := addressee(stem, item); others {
		f.NotForForce = true
		f.Addressee = who
	}
	p.markElided(&f)
	p.out.Findings = append(p.out.Findings, f)
}
