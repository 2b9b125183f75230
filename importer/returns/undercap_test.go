package returns_test

import (
	"runtime"
	"strings"
	"testing"

	"improvementtracker/importer/returns"
	"improvementtracker/testkit/faults/bomb"
	"improvementtracker/testkit/faults/corrupt"
)

// TestUnderCapRefused feeds the workbooks that unpack to less than the cap
// but would take a gigabyte to read: millions of shared strings, millions
// of nested elements, 50,000 rows of 24 cells, and an edit in the row past
// the last one read. Each
// is refused in words naming what was too much, allocating far less than
// the 300 MB the reader may use. "make faults" times them, and reads a
// full 50,000-row return, in a process of its own.
func TestUnderCapRefused(t *testing.T) {
	want := map[bomb.Kind]string{
		bomb.ManyStrings: "more than 500000 pieces of shared text",
		bomb.DeepNesting: "nested more than 100 deep",
		bomb.RowPastCap:  "something in row 50001, past the 50000 rows a return may have",
		bomb.WideRows:    "more than 250000 cells with something in them",
	}
	for kind, phrase := range want {
		t.Run(string(kind), func(t *testing.T) {
			raw, err := bomb.UnderCapBytes(kind)
			if err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ret, err := returns.Read("return.xlsx", raw, "")
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatalf("read: %d rows, %d problems", len(ret.Rows), len(ret.Problems))
			}
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s (%d KB): %d MB allocated: %v", kind, len(raw)>>10, allocated>>20, err)
			if allocated > 300<<20 {
				t.Errorf("%d MB allocated to refuse it", allocated>>20)
			}
			if !strings.Contains(err.Error(), phrase) {
				t.Errorf("got %q, want it to say %q", err, phrase)
			}
			if p := corrupt.Internal(err.Error()); p != "" {
				t.Errorf("the message shows %q: %v", p, err)
			}
		})
	}
}
