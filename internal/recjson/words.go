package recjson

import (
	"reflect"
	"slices"
	"strings"

	"improvementtracker/model"
)

// words holds the register's fixed words: statuses, ratings, finding and
// inspection types, grades, milestone outcomes, classifications, audit
// actions and entities. A record's copy of one is the package's own
// string rather than a new one: a large register repeats them hundreds of
// thousands of times, and each copy would be an allocation.
var words = func() (ws wordSet) {
	ws.add(texts(model.Statuses)...)
	ws.add(texts(model.RAGs)...)
	ws.add(texts(model.FindingTypes)...)
	ws.add(texts(model.Grades)...)
	ws.add(texts(model.InspectionTypes)...)
	ws.add(texts(model.MilestoneOutcomes)...)
	ws.add(texts(model.Classifications)...)
	ws.add(texts([]model.Action{model.ActionCreate, model.ActionChange, model.ActionDelete})...)
	ws.add(texts([]model.Entity{model.EntitySettings, model.EntityReport, model.EntityPerson, model.EntityFinding,
		model.EntityMilestone, model.EntityUpdate, model.EntityEvidence, model.EntitySubmission})...)
	return ws
}()

// fieldNames holds the stored names of the records' fields and their
// labels in words (model.FieldLabel): every change in the history names
// one of each, so they are shared as the fixed words are.
var fieldNames = func() (ws wordSet) {
	for _, rec := range []any{model.Finding{}, model.Milestone{}, model.Update{}, model.Evidence{}, model.Person{},
		model.Report{}, model.Settings{}, model.Submission{}} {
		t := reflect.TypeOf(rec)
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name != "" && name != "-" {
				ws.add(name, model.FieldLabel(name))
			}
		}
	}
	return ws
}()

// wordSet is a set of words kept by length: the few of a length are
// compared in less time than a map takes to hash one.
type wordSet [64][]string

func (ws *wordSet) add(words ...string) {
	for _, w := range words {
		if len(w) < len(ws) && !slices.Contains(ws[len(w)], w) {
			ws[len(w)] = append(ws[len(w)], w)
		}
	}
}

// get is b as a string: the set's own when b is in it, else a new one.
func (ws *wordSet) get(b []byte) string {
	if len(b) < len(ws) {
		for _, w := range ws[len(b)] {
			if w == string(b) {
				return w
			}
		}
	}
	return string(b)
}

// texts is a list of one of the register's kinds of word as plain text.
func texts[T ~string](ws []T) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = string(w)
	}
	return out
}

// word is str for a field that holds one of the fixed words, most often.
func (s *jscan) word(out *string) bool { return s.from(&words, out) }

// name is str for a field that holds a field's stored name or label.
func (s *jscan) name(out *string) bool { return s.from(&fieldNames, out) }

// from is str sharing the strings of ws.
func (s *jscan) from(ws *wordSet, out *string) bool {
	s.ws()
	start := s.i
	raw, escaped, ok := s.raw()
	if !ok || escaped {
		s.i = start
		return s.str(out)
	}
	*out = ws.get(raw)
	return true
}

// Word is b as a string: the package's own copy when b is one of the
// register's fixed words, so that nothing is allocated, else a new one.
func Word(b []byte) string { return words.get(b) }
