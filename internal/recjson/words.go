package recjson

import (
	"slices"

	"improvementtracker/model"
)

// words holds the register's fixed words: statuses, ratings, finding and
// inspection types, grades, milestone outcomes, classifications, audit
// actions and entities. A record's copy of one is the package's own
// string rather than a new one: a large register repeats them hundreds of
// thousands of times, and each copy would be an allocation.
// They are kept by length: the few of a length are compared in less time
// than a map takes to hash one.
var words = func() (byLen [64][]string) {
	add := func(ws ...string) {
		for _, w := range ws {
			if len(w) < len(byLen) && !slices.Contains(byLen[len(w)], w) {
				byLen[len(w)] = append(byLen[len(w)], w)
			}
		}
	}
	add(texts(model.Statuses)...)
	add(texts(model.RAGs)...)
	add(texts(model.FindingTypes)...)
	add(texts(model.Grades)...)
	add(texts(model.InspectionTypes)...)
	add(texts(model.MilestoneOutcomes)...)
	add(texts(model.Classifications)...)
	add(texts([]model.Action{model.ActionCreate, model.ActionChange, model.ActionDelete})...)
	add(texts([]model.Entity{model.EntitySettings, model.EntityReport, model.EntityPerson, model.EntityFinding,
		model.EntityMilestone, model.EntityUpdate, model.EntityEvidence, model.EntitySubmission})...)
	return byLen
}()

// texts is a list of one of the register's kinds of word as plain text.
func texts[T ~string](ws []T) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}

// word is str for a field that holds one of the fixed words, most often.
func (s *jscan) word(out *string) bool {
	s.ws()
	start := s.i
	raw, escaped, ok := s.raw()
	if !ok || escaped {
		s.i = start
		return s.str(out)
	}
	*out = Word(raw)
	return true
}

// Word is b as a string: the package's own copy when b is one of the
// register's fixed words, so that nothing is allocated, else a new one.
func Word(b []byte) string {
	if len(b) < len(words) {
		for _, w := range words[len(b)] {
			if w == string(b) {
				return w
			}
		}
	}
	return string(b)
}
