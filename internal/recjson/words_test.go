package recjson

import (
	"strconv"
	"testing"
	"unsafe"

	"improvementtracker/model"
)

// Every fixed word is read as the package's own string, and any other
// text as itself.
func TestWordsAreShared(t *testing.T) {
	var all []string
	for _, ws := range [][]string{texts(model.Statuses), texts(model.RAGs), texts(model.FindingTypes), texts(model.Grades),
		texts(model.MilestoneOutcomes), texts(model.Classifications)} {
		all = append(all, ws...)
	}
	for _, w := range all {
		var got string
		s := jscan{b: []byte(strconv.Quote(w))}
		if !s.word(&got) || got != w {
			t.Errorf("%q reads as %q", w, got)
			continue
		}
		if unsafe.StringData(got) != unsafe.StringData(words[len(w)][indexOf(words[len(w)], w)]) {
			t.Errorf("%q is read as a copy, not the shared word", w)
		}
	}
	for _, raw := range []string{`"Amber "`, `"amber"`, `"Am\u0062er"`, `""`, `"` + string(make([]byte, 80)) + `"`} {
		var got, want string
		s, p := jscan{b: []byte(raw)}, jscan{b: []byte(raw)}
		okGot, okWant := s.word(&got), p.str(&want)
		if okGot != okWant || got != want {
			t.Errorf("%s: word gives %q (%v), str gives %q (%v)", raw, got, okGot, want, okWant)
		}
	}
}

func indexOf(ws []string, w string) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}

// The fields an event's changes name, and their labels, are read as the
// package's own strings, as the fixed words are.
func TestFieldNamesAreShared(t *testing.T) {
	for _, w := range []string{"current_target", model.FieldLabel("current_target"), "status", "rag", "RAG", "life"} {
		var got string
		s := jscan{b: []byte(strconv.Quote(w))}
		if !s.name(&got) || got != w {
			t.Errorf("%q reads as %q", w, got)
			continue
		}
		if unsafe.StringData(got) != unsafe.StringData(fieldNames[len(w)][indexOf(fieldNames[len(w)], w)]) {
			t.Errorf("%q is read as a copy, not the shared name", w)
		}
	}
}
