package export

import (
	"strings"
	"testing"

	"improvementtracker/model"
)

// TestPrintedColumnsFitTheirPage checks, for every printed sheet, that its
// printed columns at their widest fit an A4 landscape page at a scale that
// leaves 10-point text at 9 points or more (make verify-xlsx measures the
// printed result in LibreOffice).
func TestPrintedColumnsFitTheirPage(t *testing.T) {
	widest := func(cols []column) float64 {
		// Widths as widths() gives them for the longest text.
		var long []any
		for _, c := range cols {
			switch c.kind {
			case dateCol, numberCol:
				long = append(long, nil)
			default:
				long = append(long, strings.Repeat("x", 200))
			}
		}
		return printWidthOf((&book{}).widths(table{cols: cols, rows: [][]any{long}}))
	}
	for name, cols := range map[string][]column{
		SheetReturn:     returnColumns[:returnPrinted],
		SheetDetails:    detailColumns,
		SheetMilestones: milestoneColumns[:milestonePrinted],
		SheetChanges:    changeColumns,
		SheetSinceLast:  sinceColumns,
	} {
		if w := widest(cols); w/printWidth > 1/minPrintScale {
			t.Errorf("%s prints %.1f units wide: %.0f%% of the page, which holds %.1f", name, w, 100*printWidth/w, printWidth)
		}
	}
	// The Summary at its narrowest (the RAG and status columns of the
	// sample) and widest (every status shown), with a total column.
	summary := func(counts int) float64 {
		first, count := summaryWidths(counts)
		return first + float64(counts)*count
	}
	for name, w := range map[string]float64{
		SheetBriefing:             printWidthOf(briefingWidths),
		SheetSummary + ", fewest": summary(len(model.RAGs) + 2),
		SheetSummary + ", most":   summary(len(model.Statuses) + 1),
		SheetKey:                  printWidthOf(keyWidths),
	} {
		if w > printWidth {
			t.Errorf("%s is %.1f units wide; the page holds %.1f at full size", name, w, printWidth)
		}
	}
}
