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
	for _, w := range model.Statuses {
		add(string(w))
	}
	for _, w := range model.RAGs {
		add(string(w))
	}
	for _, w := range model.FindingTypes {
		add(string(w))
	}
	for _, w := range model.Grades {
		add(string(w))
	}
	for _, w := range model.InspectionTypes {
		add(string(w))
	}
	for _, w := range model.MilestoneOutcomes {
		add(string(w))
	}
	for _, w := range model.Classifications {
		add(string(w))
	}
	add(string(model.ActionCreate), string(model.ActionChange), string(model.ActionDelete))
	for _, e := range []model.Entity{model.EntitySettings, model.EntityReport, model.EntityPerson, model.EntityFinding,
		model.EntityMilestone, model.EntityUpdate, model.EntityEvidence, model.EntitySubmission} {
		add(string(e))
	}
	return byLen
}()

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
