package returns

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// seedWorkbook is a small return as the app lays it out: marking in row 1,
// caption in row 2, headers in row 3, with a Milestones sheet.
func seedWorkbook(f *testing.F) []byte {
	f.Helper()
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", "Return")
	x.SetSheetRow("Return", "A1", &[]any{"OFFICIAL-SENSITIVE"})
	x.SetSheetRow("Return", "A2", &[]any{"Kent Police – progress return Q3 2026/27"})
	x.SetSheetRow("Return", "A3", &[]any{"Ref", "Title", "Current target", "Status", "RAG", "Progress this period"})
	x.SetSheetRow("Return", "A4", &[]any{"KEN-PEEL2122-AFI-01", "Repeat callers", 46112, "In progress", "Amber", "Work continues."})
	x.SetSheetRow("Return", "A5", &[]any{"KEN-PEEL2122-AFI-02", "Call advice", "31/03/2027", "complete", "g", ""})
	x.NewSheet("Milestones")
	x.SetSheetRow("Milestones", "A3", &[]any{"Finding ref", "Milestone", "Completed"})
	x.SetSheetRow("Milestones", "A4", &[]any{"KEN-PEEL2122-AFI-01", "Script updated", 46100})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzRead feeds the return reader a workbook and mutations of it. No
// input may panic or hang; every row read has a reference.
func FuzzRead(f *testing.F) {
	f.Add(seedWorkbook(f), "")
	f.Add([]byte("PK\x03\x04"), "")
	f.Add(append([]byte{}, oleMagic...), "pw")
	f.Add([]byte("not a workbook"), "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		ret, err := Read("fuzz.xlsx", data, password)
		if err != nil {
			return
		}
		for _, r := range ret.Rows {
			if r.Ref == "" {
				t.Fatalf("a row without a reference was read: %+v", r)
			}
		}
	})
}

// FuzzCellDate covers the date reading on its own, where most of a
// person's typing ends up.
func FuzzCellDate(f *testing.F) {
	for _, s := range []string{"46112", "31/03/2027", "2027-03-31", "1e308", "-1", "NaN", "31/02/2026", "soon", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := cellDate(s)
		if err == nil && !d.IsZero() && (d.Year < 1899 || d.Year > 10000) {
			t.Fatalf("%q read as %v", s, d)
		}
	})
}
