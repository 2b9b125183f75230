package app

import (
	"strings"
	"testing"
)

// TestHistorySaysASharedNoteOnce: the sample is loaded in one save, whose
// note ("loaded the Kent PEEL 2021/22 sample") belongs to every event of
// it; the history says it once, not on every line.
func TestHistorySaysASharedNoteOnce(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	e.history.refresh()
	n := 0
	for _, l := range e.history.lines {
		if strings.Contains(l, "loaded the Kent PEEL 2021/22 sample") {
			n++
		}
	}
	if len(e.history.lines) < 3 || n != 1 {
		t.Errorf("%d of %d history lines carry the sample's note, want 1", n, len(e.history.lines))
	}
}
