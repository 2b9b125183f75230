package export

// sheetWriter writes a sheet made cell by cell as a list of calls. Like
// bufio.Writer it keeps the first error: every call after it does
// nothing, and the caller checks err once, at the end, instead of after
// every cell.
type sheetWriter struct {
	b     *book
	sheet string
	err   error
}

// newSheetWriter adds the sheet to the book and writes to it.
func newSheetWriter(b *book, sheet string) sheetWriter {
	return sheetWriter{b: b, sheet: sheet, err: b.addSheet(sheet)}
}

// put writes a value at a cell (see book.put).
func (w *sheetWriter) put(col, row int, v any, style int, where string) {
	if w.err == nil {
		w.err = w.b.put(w.sheet, col, row, v, style, where)
	}
}

// mergeAcross merges a row's cells from column first to column last.
func (w *sheetWriter) mergeAcross(row, first, last int) {
	if w.err == nil {
		w.err = w.b.merge(w.sheet, cellName(first, row), cellName(last, row))
	}
}

// colWidth sets the width of columns from first to last (1-based).
func (w *sheetWriter) colWidth(first, last int, width float64) {
	if w.err == nil {
		w.err = w.b.colWidth(w.sheet, first, last, width)
	}
}

// marking puts the marking in row 1, across width columns.
func (w *sheetWriter) marking(width int) {
	if w.err == nil {
		w.err = w.b.writeMarking(w.sheet, width)
	}
}

// pageSetup sets the sheet's printed page (see book.pageSetup).
func (w *sheetWriter) pageSetup(titleRow, pagesTall int) {
	if w.err == nil {
		w.err = w.b.pageSetup(w.sheet, titleRow, pagesTall)
	}
}

// fitRow sets a row's height to fit its wrapped text.
func (w *sheetWriter) fitRow(row int, values []any, widths []float64, wrap []bool) {
	if w.err == nil {
		w.err = w.b.fitRow(w.sheet, row, values, widths, wrap)
	}
}

// rowHeight sets a row's height, in points.
func (w *sheetWriter) rowHeight(row int, h float64) {
	if w.err != nil {
		return
	}
	if r := w.b.rec.sheet(w.sheet); r != nil {
		r.RowHeights[row] = h
	}
	w.err = w.b.f.SetRowHeight(w.sheet, row, h)
}
