package report_test

import (
	"runtime"
	"strings"
	"testing"

	"improvementtracker/importer/report"
	"improvementtracker/testkit/faults/corrupt"
	"improvementtracker/testkit/faults/hostile"
)

// TestHostilePDFs feeds each hostile PDF to the reader: a tree that loops
// or a page that is its own parent, a page count of 2^31, more pages than
// a report may have and a stream that inflates past 4 GB are each refused
// (or, for the count, read as the one page there is) in words, allocating
// far less than the 300 MB the reader may use; a flat tree of 5,000 pages
// is read in full. The work is bounded by the walk and the caps, not by a
// clock: "make faults" times them in a process of their own.
func TestHostilePDFs(t *testing.T) {
	cases := map[hostile.PDFKind]string{
		hostile.PDFLoop:       "goes round in a circle",
		hostile.PDFParentLoop: "goes round in a circle",
		hostile.PDFHugeCount:  "has no text in it",
		hostile.PDFInflate:    "unpacks to more than 2 MB",
		hostile.PDFTooMany:    "more than 10000 pages",
		hostile.PDFFlat:       "",
	}
	for _, kind := range hostile.PDFs {
		t.Run(string(kind), func(t *testing.T) {
			want, ok := cases[kind]
			if !ok {
				t.Fatalf("no expectation for %s", kind)
			}
			raw := hostile.PDF(kind)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			text, err := report.Decode("hostile.pdf", raw)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s (%d KB): %d MB allocated: %v", kind, len(raw)>>10, allocated>>20, err)
			if want != "" && allocated > 300<<20 {
				t.Errorf("%d MB allocated", allocated>>20)
			}
			if want == "" {
				// Allocated over the whole read, freed page by page (the
				// process stays under 40 MB): what matters is that it
				// grows with the pages, not their square.
				if per := allocated / 5000; per > 100<<10 {
					t.Errorf("%d KB allocated per page", per>>10)
				}
				if err != nil {
					t.Fatal(err)
				}
				if n := strings.Count(text, "\f"); n != 5000 || !strings.Contains(text, "Page 5000 of the report.") {
					t.Errorf("read %d pages", n)
				}
				return
			}
			if err == nil {
				t.Fatalf("read %d bytes of text", len(text))
			}
			if !strings.Contains(err.Error(), want) {
				t.Errorf("got %q, want it to say %q", err, want)
			}
			if p := corrupt.Internal(err.Error()); p != "" {
				t.Errorf("the message shows %q: %v", p, err)
			}
		})
	}
}
