package export

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

// awkwardText is text a narrative may hold that XML or Excel treat
// specially.
var awkwardText = []string{
	"plain words",
	" leading space", "trailing space ", "\tleading tab", "line one\nline two\n", "carriage\r\nreturn",
	`quotes "double" and 'single'`, "a & b < c > d",
	"=cmd|' /C calc'!A0", "+44 1622 690690", "-minus", "@at",
	"control \x01 character", "invalid \xff byte", "not a character \uFFFE here", "astral 😀 and ’curly’ – dash",
	"_x0041_ looks like an escape", "_x005F_ alone", "_x005F_x0041_ both", "lower _x00e9_ hex", "_x12G4_ not hex",
	strings.Repeat("Long narrative text that wraps over several lines. ", 40),
	strings.Repeat("x", MaxCellChars+50),
}

// rowsTable is a table sheet of awkward text, dates, numbers and empty
// cells, with a wrapped column so that rows have heights.
func rowsTable() table {
	cols := []column{
		{header: "Reference", kind: textCol, max: 20},
		{header: "Text", kind: textCol, max: 30},
		{header: "Wrapped", kind: wrapCol, max: 40},
		{header: "Date", kind: dateCol, max: 12},
		{header: "Count", kind: numberCol, max: 8},
	}
	var rows [][]any
	for i, s := range awkwardText {
		rows = append(rows, []any{"REF-" + strconv.Itoa(i), s, s, model.NewDate(2025, 12, 1+i%28), i * 7})
	}
	rows = append(rows, []any{"REF-empty", "", nil, model.Date{}, 0})
	return table{sheet: "Rows", name: "RowsTable", caption: "Awkward rows", cols: cols, rows: rows,
		where: func(r int) string { return rows[r][0].(string) }}
}

// sheetXML writes b and returns the XML of its sheet part.
func sheetXML(t *testing.T, b *book, sheet string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := b.writeZip(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	idx, err := b.f.GetSheetIndex(sheet)
	if err != nil || idx < 0 {
		t.Fatalf("no sheet %s: %v", sheet, err)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "REF-0") {
			return string(data)
		}
	}
	t.Fatalf("no sheet part holds the rows")
	return ""
}

// TestRowXMLAsTheLibraryWritesIt writes the same table twice: as the
// workbook does, its rows written into the zip part by writeRows, and
// through the library's own stream writer, row by row, as the workbook
// did before. The two sheets must be the same byte for byte, so that what
// Excel, LibreOffice and the library's reader read is unchanged.
func TestRowXMLAsTheLibraryWritesIt(t *testing.T) {
	tbl := rowsTable()
	// Rows with an escape of half a UTF-16 pair are left out: the library
	// drops such text (TestEscapeOfHalfAPairIsKept).
	marking := model.Marking{Classification: model.Official}

	ours, err := newBook(marking, "Force", "Period", &warnings{})
	if err != nil {
		t.Fatal(err)
	}
	defer ours.f.Close()
	if err := ours.writeTables(tbl); err != nil {
		t.Fatal(err)
	}

	lib, err := newBook(marking, "Force", "Period", &warnings{})
	if err != nil {
		t.Fatal(err)
	}
	defer lib.f.Close()
	st, err := lib.openTable(tbl)
	if err != nil {
		t.Fatal(err)
	}
	if err := lib.fillTable(st); err != nil {
		t.Fatal(err)
	}
	cells := make([]any, len(tbl.cols))
	buf := make([]excelize.Cell, len(tbl.cols))
	for r, row := range tbl.rows {
		for i, v := range row {
			cells[i] = nil
			if lib.cell(&buf[i], tbl, r, i, v, false) {
				cells[i] = &buf[i]
			}
		}
		var opts []excelize.RowOpts
		if h := st.heights[r]; h > 0 {
			opts = append(opts, excelize.RowOpts{Height: h})
		}
		if err := st.sw.SetRow("A"+strconv.Itoa(firstData+r), cells, opts...); err != nil {
			t.Fatal(err)
		}
	}
	if err := lib.closeTable(st); err != nil {
		t.Fatal(err)
	}
	clear(lib.rows) // written above, by the library

	got, want := sheetXML(t, ours, tbl.sheet), sheetXML(t, lib, tbl.sheet)
	if got != want {
		at := 0
		for at < len(got) && at < len(want) && got[at] == want[at] {
			at++
		}
		from := max(at-200, 0)
		t.Fatalf("the sheet differs from the library's at byte %d:\nours: …%s…\nlib:  …%s…", at,
			got[from:min(at+200, len(got))], want[from:min(at+200, len(want))])
	}
	for _, s := range []string{"_x005F_x0041_ looks", "&#34;double&#34;", "\uFFFD", "xml:space=\"preserve\"", "customHeight=\"1\""} {
		if !strings.Contains(got, s) {
			t.Errorf("the sheet does not hold %q", s)
		}
	}
}

// TestRowsReadBackAsWritten reads every cell of the table back with the
// library, as Excel would show it: the text as typed (cut at the cell's
// limit with the note, characters XML cannot hold as U+FFFD), the dates and
// numbers as values, and empty cells empty.
func TestRowsReadBackAsWritten(t *testing.T) {
	tbl := rowsTable()
	tbl.rows = append(tbl.rows, []any{"REF-pair", "_xD800_ half a pair", "text _xdfff_", model.Date{}, nil})
	var warn warnings
	b, err := newBook(model.Marking{Classification: model.Official}, "Force", "Period", &warn)
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	if err := b.writeTables(tbl); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := b.writeZip(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	readable := func(s string) string {
		s, _ = fitCell(s)
		return strings.Map(func(r rune) rune {
			if !xmlChar(r) || r == '\uFFFD' {
				return '\uFFFD'
			}
			return r
		}, strings.ToValidUTF8(s, "\uFFFD"))
	}
	for r, row := range tbl.rows {
		n := firstData + r
		for i, v := range row {
			ref, _ := excelize.CoordinatesToCellName(i+1, n)
			got, err := f.GetCellValue(tbl.sheet, ref, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			var want string
			switch x := v.(type) {
			case string:
				want = readable(x)
			case model.Date:
				if !x.IsZero() {
					want = strconv.Itoa(int(dateSerial(x)))
				}
			case int:
				want = strconv.Itoa(x)
			}
			if got != want {
				t.Errorf("%s (%s, %s): read back %.80q, want %.80q", ref, row[0], tbl.cols[i].header, got, want)
			}
		}
	}
	// The long text was cut, and the warning says where, once per cell,
	// when the workbook was built rather than when it was written.
	all := warn.all()
	if len(all) != 2 || !strings.Contains(all[0], "REF-") || !strings.Contains(all[0], "characters") {
		t.Errorf("warnings for the two cut cells: %q", all)
	}
}
