package export

import (
	"fmt"
	"strconv"

	"github.com/xuri/excelize/v2"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// Table sheets: a table of rows streamed into a sheet, with its header,
// filter, frozen panes and print titles.

// table is a sheet of rows under a header: marking in row 1, a caption in
// row 2, the header in row 3 and the data below, as an Excel table.
type table struct {
	sheet   string
	name    string // the Excel table's name
	caption string
	cols    []column
	rows    [][]any // string, model.Date, int or nil per column
	// where names a row for warnings: "KEN-PEEL2122-AFI-07".
	where func(row int) string
	// print, when set, is how many columns, from the first, are printed:
	// the rest are for the screen, and their text is printed elsewhere.
	print int
	// breaks are the data rows (0-based) before which a printed page
	// breaks.
	breaks []int
	// none is what the sheet says when it has no rows: "None: …", so that
	// an empty sheet reads as checked rather than as missing. noneCol is
	// the 0-based column it goes in; it is kept out of a reference
	// column, which a spreadsheet read back in takes as a finding.
	none    string
	noneCol int
}

const (
	captionRow = 2
	headerRow  = 3
	firstData  = 4
)

// writeTable streams one table sheet.
func (b *book) writeTable(t table) error {
	return b.writeTables(t)
}

// writeTables adds table sheets, in the order given. Everything that
// belongs to a sheet rather than its cells (page set-up, validation,
// conditional formats) is set before its stream starts: excelize drops it
// silently if set after. The stream writes the marking, caption and header
// rows; the data rows are written into the sheet when the workbook is
// written (writeRows), so here they are only checked.
func (b *book) writeTables(ts ...table) error {
	streams := make([]*stream, len(ts))
	for i, t := range ts {
		st, err := b.openTable(t)
		if err != nil {
			return err
		}
		streams[i] = st
	}
	// The checks measure every row's text for its height: one goroutine
	// per sheet, each touching only its own stream.
	checks := make([]func() error, len(streams))
	for i, st := range streams {
		checks[i] = func() error { return b.fillTable(st) }
	}
	if err := parallel.Run(parallel.Fault("checking the rows of a workbook's sheets"), checks...); err != nil {
		return err
	}
	for _, st := range streams {
		if err := b.closeTable(st); err != nil {
			return err
		}
	}
	return nil
}

// stream is a table sheet being written.
type stream struct {
	t       table
	sw      *excelize.StreamWriter
	widths  []float64
	wrap    []bool
	heights []float64
	last    int
	lastCol string
}

// openTable adds the sheet, sets everything that must precede its rows,
// and writes the marking, caption and header rows.
func (b *book) openTable(t table) (*stream, error) {
	if err := b.addSheet(t.sheet); err != nil {
		return nil, fmt.Errorf("adding the %s sheet: %w", t.sheet, err)
	}
	if err := b.pageSetup(t.sheet, headerRow, 0); err != nil {
		return nil, err
	}
	st := &stream{t: t, last: firstData + max(len(t.rows), 1) - 1}
	st.lastCol, _ = excelize.ColumnNumberToName(len(t.cols))
	if t.print > 0 && t.print < len(t.cols) {
		printCol, _ := excelize.ColumnNumberToName(t.print)
		if err := b.f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Area",
			RefersTo: fmt.Sprintf("%s!$A$1:$%s$%d", quoteSheet(t.sheet), printCol, st.last),
			Scope:    t.sheet,
		}); err != nil {
			return nil, fmt.Errorf("setting the printed columns of %s: %w", t.sheet, err)
		}
	}
	for i, c := range t.cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		ref := fmt.Sprintf("%s%d:%s%d", col, firstData, col, st.last)
		if len(c.list) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = ref
			if err := dv.SetDropList(c.list); err != nil {
				return nil, fmt.Errorf("adding the %s drop-down: %w", c.header, err)
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.header,
				"Choose one of the values in the list (see the Key sheet).")
			if err := b.f.AddDataValidation(t.sheet, dv); err != nil {
				return nil, fmt.Errorf("adding the %s drop-down: %w", c.header, err)
			}
		}
		if c.rag {
			var rules []excelize.ConditionalFormatOptions
			for _, rag := range model.RAGs {
				style := b.styles.rag[rag]
				rules = append(rules, excelize.ConditionalFormatOptions{
					Type: "cell", Criteria: "==", Value: strconv.Quote(string(rag)), Format: &style,
				})
			}
			if err := b.f.SetConditionalFormat(t.sheet, ref, rules); err != nil {
				return nil, fmt.Errorf("colouring the %s column: %w", c.header, err)
			}
		}
	}

	for _, r := range t.breaks {
		if err := b.f.InsertPageBreak(t.sheet, fmt.Sprintf("A%d", firstData+r)); err != nil {
			return nil, fmt.Errorf("setting the page breaks of %s: %w", t.sheet, err)
		}
	}
	// The range the sheet declares, which readers that stream a sheet
	// (openpyxl's read-only mode, for one) take as its size. The stream
	// writer would leave it at A1.
	if err := b.f.SetSheetDimension(t.sheet, fmt.Sprintf("A1:%s%d", st.lastCol, st.last)); err != nil {
		return nil, fmt.Errorf("writing the %s sheet: %w", t.sheet, err)
	}
	sw, err := b.f.NewStreamWriter(t.sheet)
	if err != nil {
		return nil, fmt.Errorf("writing the %s sheet: %w", t.sheet, err)
	}
	st.sw = sw
	st.widths = b.widths(t)
	for i, w := range st.widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	st.wrap = make([]bool, len(t.cols))
	for i, c := range t.cols {
		st.wrap[i] = c.kind == wrapCol
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", firstData), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", firstData), ActiveCell: fmt.Sprintf("A%d", firstData), Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: b.styles.marking, Value: b.marking.String()}}, excelize.RowOpts{Height: 20}); err != nil {
		return nil, err
	}
	// The marking is centred over the printed columns, so that it shows
	// on paper as on screen.
	printed := len(t.cols)
	if t.print > 0 && t.print < printed {
		printed = t.print
	}
	printCol, _ := excelize.ColumnNumberToName(printed)
	if err := sw.MergeCell("A1", printCol+"1"); err != nil {
		return nil, err
	}
	// The caption wraps across the printed columns, so that none of it
	// is lost past the page's edge.
	caption, _ := b.warn.clean(t.caption, t.sheet+" caption")
	across := 0.0
	for _, w := range st.widths[:printed] {
		across += w
	}
	var captionOpts []excelize.RowOpts
	if h := rowHeight([]any{caption}, []float64{across}, []bool{true}); h > 0 {
		captionOpts = append(captionOpts, excelize.RowOpts{Height: h})
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", captionRow), []any{excelize.Cell{StyleID: b.styles.captionWrap, Value: caption}}, captionOpts...); err != nil {
		return nil, err
	}
	if err := sw.MergeCell(fmt.Sprintf("A%d", captionRow), fmt.Sprintf("%s%d", printCol, captionRow)); err != nil {
		return nil, err
	}
	head := make([]any, len(t.cols))
	headText := make([]any, len(t.cols))
	headWrap := make([]bool, len(t.cols))
	for i, c := range t.cols {
		head[i] = excelize.Cell{StyleID: b.styles.header, Value: c.header}
		headText[i], headWrap[i] = c.header, true
	}
	var headOpts []excelize.RowOpts
	if h := rowHeight(headText, boldWidths(st.widths), headWrap); h > 0 {
		headOpts = append(headOpts, excelize.RowOpts{Height: h})
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", headerRow), head, headOpts...); err != nil {
		return nil, err
	}
	st.heights = make([]float64, len(t.rows))
	return st, nil
}

// fillTable writes the line an empty table shows, or checks the data
// rows, which are written with the workbook: text too long for a cell is
// warned about now, so that the warnings are known once the workbook is
// built, and each row's height is measured once, here. It touches only its
// own stream, so several run at once.
func (b *book) fillTable(st *stream) error {
	t := st.t
	if len(t.rows) == 0 && t.none != "" {
		// Not wrapped, so that the line runs on across the empty cells
		// beside it.
		cells := make([]any, t.noneCol+1)
		cells[t.noneCol] = excelize.Cell{StyleID: b.styles.none, Value: t.none}
		if err := st.sw.SetRow("A"+strconv.Itoa(firstData), cells); err != nil {
			return fmt.Errorf("writing the %s sheet: %w", t.sheet, err)
		}
		return nil
	}
	var c excelize.Cell
	for r, row := range t.rows {
		for i, v := range row {
			// Only text can be too long for a cell.
			if s, ok := v.(string); ok && len(s) > MaxCellChars {
				b.cell(&c, t, r, i, v, true)
			}
		}
		h := st.height(row)
		if h > excelize.MaxRowHeight {
			return fmt.Errorf("writing row %d of the %s sheet: %w", r+1, t.sheet, excelize.ErrMaxRowHeight)
		}
		st.heights[r] = h
	}
	return nil
}

// sheetPart is the name of a sheet's part in the zip file.
func sheetPart(sw *excelize.StreamWriter) string {
	return "xl/worksheets/sheet" + strconv.Itoa(sw.SheetID) + ".xml"
}

// screenLines is the most lines a row grows by for the text of columns
// that are not printed: on paper the row would be that much empty space
// under the printed columns. Such text is printed whole elsewhere.
const screenLines = 4

// height is the height a data row needs, or 0 for one line: what its
// printed columns need, and at most screenLines for the others.
func (st *stream) height(row []any) float64 {
	p := st.t.print
	if p <= 0 || p >= len(row) {
		return rowHeight(row, st.widths, st.wrap)
	}
	printed := rowHeight(row[:p], st.widths[:p], st.wrap[:p])
	rest := min(rowHeight(row[p:], st.widths[p:], st.wrap[p:]), screenLines*lineHeight+3)
	return max(printed, rest)
}

// closeTable makes the rows an Excel table and ends the stream.
func (b *book) closeTable(st *stream) error {
	t := st.t
	b.tables++
	if err := st.sw.AddTable(&excelize.Table{
		Range:     fmt.Sprintf("A%d:%s%d", headerRow, st.lastCol, st.last),
		Name:      t.name,
		StyleName: "TableStyleLight9",
	}); err != nil {
		return fmt.Errorf("adding the table on the %s sheet: %w", t.sheet, err)
	}
	if err := st.sw.Flush(); err != nil {
		return fmt.Errorf("writing the %s sheet: %w", t.sheet, err)
	}
	if len(t.rows) > 0 {
		b.rows[sheetPart(st.sw)] = st
	}
	if b.rec != nil {
		b.recTable(t, st.widths, st.heights)
	}
	return nil
}
