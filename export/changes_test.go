package export_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

// TestChangesDatesAreDateCells checks that the From and To of a change that
// moves or meets a date are real date cells (a serial number shown
// dd/mm/yyyy), and those of a status change are text.
func TestChangesDatesAreDateCells(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	head, data := table(t, f, export.SheetChanges)
	change, from, to := colOf(t, head, "Change"), colOf(t, head, "From"), colOf(t, head, "To")
	seen := map[string]int{}
	for i, row := range data {
		r := 4 + i
		what := row["Change"]
		if what != cell(t, f, export.SheetChanges, change, r) {
			t.Fatalf("row %d is not where the table says", r)
		}
		for _, c := range []struct {
			col  int
			name string
		}{{from, "From"}, {to, "To"}} {
			shown := row[c.name]
			ref, _ := excelize.CoordinatesToCellName(c.col, r)
			raw, err := f.GetCellValue(export.SheetChanges, ref, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			switch what {
			case "Milestone completed", "Target date revised", "Milestone due date revised":
				if shown == "" {
					continue // no earlier date
				}
				d, err := model.ParseDate(shown)
				if err != nil {
					t.Errorf("%s %s shows %q, not a date", what, c.name, shown)
					continue
				}
				serial, err := strconv.ParseFloat(raw, 64)
				want := d.Time().Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
				if err != nil || serial != want {
					t.Errorf("%s %s holds %q, want the date serial %v of %s", what, c.name, raw, want, shown)
				}
				seen[what]++
			case "Status changed", "RAG changed":
				if raw != shown {
					t.Errorf("%s %s holds %q but shows %q: want plain text", what, c.name, raw, shown)
				}
			}
		}
	}
	if seen["Milestone completed"] == 0 || seen["Target date revised"] == 0 {
		t.Errorf("the sample's Q3 changes have no completed milestone or revised target to check: %v", seen)
	}
}

// TestEveryChangeNamesWhoMadeIt: every row of the Changes sheet says who
// made the change, "Milestone completed" rows included.
func TestEveryChangeNamesWhoMadeIt(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{Period: model.Quarter{StartYear: 2026, Q: 3}})
	f := openBook(t, path)
	_, data := table(t, f, export.SheetChanges)
	met := 0
	for _, row := range data {
		if row["Change"] == "Milestone completed" {
			met++
		}
		if row["By"] == "" {
			t.Errorf("%s %s on %s names nobody", row["Ref"], row["Change"], row["Date"])
		}
	}
	if met == 0 {
		t.Error("no milestone was completed in the quarter: the test proves little")
	}
}
