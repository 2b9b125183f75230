package export

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

// kind is what a column holds, which decides its cell type and style.
type kind int

const (
	textCol   kind = iota // short text on one line
	wrapCol               // long text, wrapped
	dateCol               // a real date cell, dd/mm/yyyy
	numberCol             // a whole number
)

// column describes one column of a table sheet.
type column struct {
	header string
	kind   kind
	// max is the widest the column grows to fit its contents, in
	// characters; wrapped columns are given this width when their text is
	// longer.
	max float64
	// list, when set, adds a drop-down of these values to the column.
	list []string
	// rag colours the column's cells by their RAG word.
	rag bool
}

// book is a workbook being built, with the styles and page furniture every
// sheet shares.
type book struct {
	f       *excelize.File
	marking model.Marking
	// header is the left part of the page header: the force and what the
	// workbook is; period the right part: the period and as-at date.
	header, period string
	warn           *warnings

	styles struct {
		marking, title, caption, header, text, wrap, date, number    int
		captionWrap, boldWrap                                        int
		quoted, quotedWrap, bold, sectionHead, total, totalNum, note int
		// none is the italic line an empty table shows; numberMid a
		// number centred in its cell, so that it does not run into the
		// text of the next column.
		none, numberMid, totalMid int
		rag                       map[model.RAG]int
		ragFill                   map[model.RAG]int
	}
	tables int

	// hfSize is the size, in points, of the header and footer's side
	// text.
	hfSize int
	// used is the bottom-right cell written on each sheet written cell by
	// cell, for the range the sheet declares.
	used map[string][2]int

	// rec, when set, records the workbook for the export benchmark.
	rec        *recording
	styleNames map[int]string
}

// ragColours are the fills used for RAG cells, with a text colour that
// reads on each; the word stays in the cell for anyone who cannot see the
// colour or prints in black and white.
var ragColours = map[model.RAG][2]string{
	model.Red:   {"C00000", "FFFFFF"},
	model.Amber: {"FFC000", "000000"},
	model.Green: {"00B050", "000000"},
	model.Blue:  {"0070C0", "FFFFFF"},
}

func newBook(marking model.Marking, header, period string, warn *warnings) (*book, error) {
	b := &book{f: excelize.NewFile(), marking: marking, header: header, period: period, warn: warn, used: map[string][2]int{}, hfSize: 9}
	b.f.ZipWriter = newOrderedZip
	if err := b.makeStyles(); err != nil {
		_ = b.f.Close()
		return nil, err
	}
	return b, nil
}

func (b *book) makeStyles() error {
	font := func(bold bool, size float64, colour string) *excelize.Font {
		return &excelize.Font{Bold: bold, Size: size, Color: colour, Family: "Arial"}
	}
	top := &excelize.Alignment{Vertical: "top"}
	wrapTop := &excelize.Alignment{Vertical: "top", WrapText: true}
	thin := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	dateFmt := "dd/mm/yyyy"
	specs := []struct {
		id *int
		n  string
		s  excelize.Style
	}{
		{&b.styles.marking, "marking", excelize.Style{Font: font(true, 12, "000000"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&b.styles.title, "title", excelize.Style{Font: font(true, 14, "1F3864")}},
		{&b.styles.caption, "caption", excelize.Style{Font: font(false, 10, "404040"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: false}}},
		{&b.styles.captionWrap, "captionWrap", excelize.Style{Font: font(false, 10, "404040"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&b.styles.header, "header", excelize.Style{Font: font(true, 10, "FFFFFF"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: thin}},
		{&b.styles.text, "text", excelize.Style{Font: font(false, 10, ""), Alignment: top}},
		{&b.styles.wrap, "wrap", excelize.Style{Font: font(false, 10, ""), Alignment: wrapTop}},
		{&b.styles.date, "date", excelize.Style{Font: font(false, 10, ""), Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}, CustomNumFmt: &dateFmt}},
		{&b.styles.number, "number", excelize.Style{Font: font(false, 10, ""), Alignment: top, NumFmt: 1}},
		{&b.styles.quoted, "quoted", excelize.Style{Font: font(false, 10, ""), Alignment: top, NumFmt: 49}},
		{&b.styles.quotedWrap, "quotedWrap", excelize.Style{Font: font(false, 10, ""), Alignment: wrapTop, NumFmt: 49}},
		{&b.styles.boldWrap, "boldWrap", excelize.Style{Font: font(true, 10, ""), Alignment: wrapTop}},
		{&b.styles.bold, "bold", excelize.Style{Font: font(true, 10, ""), Alignment: top}},
		{&b.styles.sectionHead, "sectionHead", excelize.Style{Font: font(true, 12, "1F3864"), Border: []excelize.Border{{Type: "bottom", Color: "1F3864", Style: 2}}}},
		{&b.styles.total, "total", excelize.Style{Font: font(true, 10, ""), Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}},
		{&b.styles.totalNum, "totalNum", excelize.Style{Font: font(true, 10, ""), NumFmt: 1, Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}},
		{&b.styles.note, "note", excelize.Style{Font: &excelize.Font{Italic: true, Size: 10, Family: "Arial", Color: "404040"}, Alignment: wrapTop}},
		{&b.styles.none, "none", excelize.Style{Font: &excelize.Font{Italic: true, Size: 10, Family: "Arial", Color: "404040"}, Alignment: top}},
		{&b.styles.totalMid, "totalMid", excelize.Style{Font: font(true, 10, ""), NumFmt: 1, Alignment: &excelize.Alignment{Horizontal: "center"},
			Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}},
		{&b.styles.numberMid, "numberMid", excelize.Style{Font: font(false, 10, ""), Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}, NumFmt: 1}},
	}
	b.styleNames = map[int]string{}
	for _, sp := range specs {
		id, err := b.f.NewStyle(&sp.s)
		if err != nil {
			return fmt.Errorf("preparing the workbook styles: %w", err)
		}
		*sp.id = id
		b.styleNames[id] = sp.n
	}
	// Excel's quote prefix marks text that looks like a formula as typed
	// text, the way a leading apostrophe does when a person types it, so
	// that editing the cell later does not turn it into a formula.
	if b.f.Styles != nil && b.f.Styles.CellXfs != nil {
		yes := true
		for _, id := range []int{b.styles.quoted, b.styles.quotedWrap} {
			if id < len(b.f.Styles.CellXfs.Xf) {
				b.f.Styles.CellXfs.Xf[id].QuotePrefix = &yes
			}
		}
	}
	b.styles.rag = map[model.RAG]int{}
	b.styles.ragFill = map[model.RAG]int{}
	// In a set order, so that two exports of the same register are the
	// same file.
	for _, rag := range model.RAGs {
		c := ragColours[rag]
		id, err := b.f.NewConditionalStyle(&excelize.Style{
			Font: &excelize.Font{Bold: true, Color: c[1]},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}, Shading: 0},
		})
		if err != nil {
			return fmt.Errorf("preparing the RAG colours: %w", err)
		}
		b.styles.rag[rag] = id
		// The same colours as a plain style, for summary and key cells
		// written once rather than per row.
		id, err = b.f.NewStyle(&excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: c[1], Size: 10, Family: "Arial"},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c[0]}},
			Alignment: top,
		})
		if err != nil {
			return fmt.Errorf("preparing the RAG colours: %w", err)
		}
		b.styles.ragFill[rag] = id
		b.styleNames[id] = "rag" + string(rag)
	}
	return nil
}

// hf escapes text for a header or footer, where & starts a code.
func hf(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// pageSetup gives a sheet its marking in the header and footer, landscape
// A4 fitted to one page wide (and tall pages across, unless tall is set), and
// the rows repeated at the top of every printed page (0 for none). Every
// sheet is laid out so that fitting it to the page's width leaves its text
// at 8 points or more: see printWidth.
func (b *book) pageSetup(sheet string, titleRow, pagesTall int) error {
	paper := paperA4
	mark := hf(b.marking.String())
	centre := "&C&\"Arial,Bold\"&12" + mark
	period := trimHF(hf(b.period), 60)
	// Each header or footer is limited to 255 characters, codes included.
	// Its text is 9 points: it shrinks with the sheet when the sheet is
	// fitted to the page, and must still print at 8 or more. The footer
	// names the sheet, so that a loose page says where it belongs.
	// The left part (the force, what the workbook is, and the chief
	// officer a briefing is for) gets what the marking and the right part
	// leave, so that it is only cut when it must be.
	size := "&" + strconv.Itoa(b.hfSize)
	left := trimHF(hf(b.header), 255-len("&L"+size)-len(centre)-len("&R"+size)-len(period))
	opts := &excelize.HeaderFooterOptions{
		OddHeader: "&L" + size + left + centre + "&R" + size + period,
		OddFooter: "&L" + size + left + centre + "&R" + size + "&A – Page &P of &N",
	}
	if r := b.rec.sheet(sheet); r != nil {
		r.Paper, r.Tall, r.Header, r.Footer, r.Marking = paper, pagesTall, opts.OddHeader, opts.OddFooter, b.marking.String()
	}
	if err := b.f.SetHeaderFooter(sheet, opts); err != nil {
		return fmt.Errorf("setting the header and footer of %s: %w", sheet, err)
	}
	landscape, wide := "landscape", 1
	tall := pagesTall
	if err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: &paper, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return fmt.Errorf("setting the page layout of %s: %w", sheet, err)
	}
	fit := true
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return fmt.Errorf("setting the page layout of %s: %w", sheet, err)
	}
	margin, edge := pageMargin, 0.3
	if err := b.f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: &margin, Right: &margin, Top: &margin, Bottom: &margin, Header: &edge, Footer: &edge,
	}); err != nil {
		return fmt.Errorf("setting the margins of %s: %w", sheet, err)
	}
	if titleRow > 0 {
		if err := b.f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Titles",
			RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), titleRow, titleRow),
			Scope:    sheet,
		}); err != nil {
			return fmt.Errorf("setting the rows repeated on each page of %s: %w", sheet, err)
		}
	}
	return nil
}

// The printed page: A4 landscape inside margins of pageMargin inches, in
// points, and the room one unit of column width takes in print at 100%,
// as LibreOffice lays it out (Excel takes a little less), so that a sheet
// whose columns add up to printWidth units prints at full size.
const (
	paperA4         = 9 // as spreadsheet files number paper sizes
	pageMargin      = 0.5
	pagePrintWidth  = 841.9 - 2*72*pageMargin
	pagePrintHeight = 595.3 - 2*72*pageMargin
	pointsPerWidth  = 5.625
	// printWidth is the width, in units, of the columns a page holds at
	// 100%; minPrintScale is the least a sheet may be shrunk to fit, so
	// that 10-point text prints at 9 points and the 9-point header and
	// footer at 8.
	printWidth    = pagePrintWidth / pointsPerWidth
	minPrintScale = 0.9
)

// trimHF cuts header or footer text to at most limit bytes, ending it with
// an ellipsis, without splitting a character or an escaped "&&".
func trimHF(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	const more = "…"
	cut := 0
	for i, r := range s {
		if i+utf8.RuneLen(r)+len(more) > limit {
			break
		}
		cut = i + utf8.RuneLen(r)
	}
	s = s[:cut]
	// An odd run of & at the end would start a code: drop one.
	if n := len(s) - len(strings.TrimRight(s, "&")); n%2 == 1 {
		s = s[:len(s)-1]
	}
	return s + more
}

// quoteSheet quotes a sheet name for use in a reference.
func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// addSheet adds a sheet, using the blank first sheet of a new file for the
// first one.
func (b *book) addSheet(name string) error {
	if b.f.SheetCount == 1 && b.f.GetSheetName(0) == "Sheet1" {
		return b.f.SetSheetName("Sheet1", name)
	}
	_, err := b.f.NewSheet(name)
	return err
}

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

// writeTables streams table sheets, in the order given. Everything that
// belongs to a sheet rather than its cells (page set-up, validation,
// conditional formats) is set before its stream starts: excelize drops it
// silently if set after. The rows of the sheets are then written at the
// same time, one goroutine per sheet: each stream writes only to its own
// buffer. Opening the streams and adding their tables touch the workbook
// as a whole, so those steps run one at a time.
func (b *book) writeTables(ts ...table) error {
	streams := make([]*stream, len(ts))
	for i, t := range ts {
		st, err := b.openTable(t)
		if err != nil {
			return err
		}
		streams[i] = st
	}
	errs := make([]error, len(streams))
	var wg sync.WaitGroup
	for i, st := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = b.fillTable(st)
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
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
	if b.rec != nil {
		st.heights = make([]float64, len(t.rows))
	}
	return st, nil
}

// fillTable writes a table's data rows. It touches only its own stream, so
// several run at once.
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
	cells := make([]any, len(t.cols))
	buf := make([]excelize.Cell, len(t.cols))
	for r, row := range t.rows {
		for i, v := range row {
			cells[i] = nil
			if b.cell(&buf[i], t, r, i, v) {
				cells[i] = &buf[i]
			}
		}
		var opts []excelize.RowOpts
		if h := st.height(row); h > 0 {
			opts = append(opts, excelize.RowOpts{Height: h})
			if st.heights != nil {
				st.heights[r] = h
			}
		}
		if err := st.sw.SetRow("A"+strconv.Itoa(firstData+r), cells, opts...); err != nil {
			return fmt.Errorf("writing row %d of the %s sheet: %w", r+1, t.sheet, err)
		}
	}
	return nil
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
	if b.rec != nil {
		b.recTable(t, st.widths, st.heights)
	}
	return nil
}

// excelEpoch is day 0 of a spreadsheet's date serial numbers.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// dateSerial is a date as a spreadsheet stores it: days since 30/12/1899.
// Writing the number with a date format is exactly what a date cell is,
// and spares converting a time for each of tens of thousands of cells.
func dateSerial(d model.Date) float64 {
	return float64(d.Time().Sub(excelEpoch) / (24 * time.Hour))
}

// cell fills c with a value and its style, and reports whether there is
// anything to write. Cells are filled in place so that a row of a large
// sheet costs no allocation per cell.
func (b *book) cell(c *excelize.Cell, t table, row, col int, v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case model.Date:
		if x.IsZero() {
			return false
		}
		c.StyleID, c.Value = b.styles.date, dateSerial(x)
	case int:
		c.StyleID, c.Value = b.styles.number, x
	case string:
		if x == "" {
			return false
		}
		col := t.cols[col]
		s, cut := fitCell(x)
		if cut {
			where := col.header
			if t.where != nil {
				where = t.where(row) + " " + strings.ToLower(col.header[:1]) + col.header[1:]
			}
			b.warn.truncated(where)
		}
		quoted := formulaLead(s)
		style := b.styles.text
		switch {
		case quoted && col.kind == wrapCol:
			style = b.styles.quotedWrap
		case quoted:
			style = b.styles.quoted
		case col.kind == wrapCol:
			style = b.styles.wrap
		}
		c.StyleID, c.Value = style, s
	default:
		c.StyleID, c.Value = b.styles.text, fmt.Sprint(v)
	}
	return true
}

// widths fits each column to its header and contents, within its maximum.
func (b *book) widths(t table) []float64 {
	out := make([]float64, len(t.cols))
	for i, c := range t.cols {
		// Headers are bold, a tenth wider than the cells' text, and wrap
		// at spaces: the longest word must fit.
		w := max(float64(longestWord(c.header))*1.1+1, 7)
		switch c.kind {
		case dateCol:
			w = max(w, 10.5)
		case numberCol:
			w = max(w, 7)
		}
		for _, row := range t.rows {
			s, ok := row[i].(string)
			if !ok {
				continue
			}
			if n := float64(longestLine(s)) + 1; n > w {
				w = n
				if w >= c.max {
					break
				}
			}
		}
		limit := c.max
		if limit == 0 {
			limit = 40
		}
		if len(t.rows) == 0 && c.kind != dateCol && c.kind != numberCol {
			// An empty table is laid out as it would be with rows in it,
			// not squeezed to its headers.
			w = limit
		}
		out[i] = min(w, limit)
	}
	return out
}

// Row heights are set rather than left to the spreadsheet: neither Excel
// nor LibreOffice reliably grows a row to fit wrapped text in a file it
// opens, and text hidden below a row's edge would be missed in print.
const (
	lineHeight = 12.75 // points per line of 10-point Arial
	maxHeight  = 409   // Excel's tallest row
)

// fitRow sets the height of a row written cell by cell to fit its wrapped
// text.
func (b *book) fitRow(sheet string, row int, values []any, widths []float64, wrap []bool) error {
	if h := rowHeight(values, widths, wrap); h > 0 {
		if r := b.rec.sheet(sheet); r != nil {
			r.RowHeights[row] = h
		}
		return b.f.SetRowHeight(sheet, row, h)
	}
	return nil
}

// boldWidths are column widths as bold text sees them: bold Arial is about
// a tenth wider, so a header estimated as plain text would be given too
// few lines and clipped ("Next milestone due" in a date column).
func boldWidths(widths []float64) []float64 {
	out := make([]float64, len(widths))
	for i, w := range widths {
		out[i] = w * 0.88
	}
	return out
}

// rowHeight estimates the height a row needs for its wrapped text, or 0
// when one line will do.
func rowHeight(row []any, widths []float64, wrap []bool) float64 {
	lines := 1
	for i, v := range row {
		s, ok := v.(string)
		if !ok || i >= len(widths) || !wrap[i] {
			continue
		}
		lines = max(lines, wrappedLines(s, widths[i]))
	}
	if lines == 1 {
		return 0
	}
	return min(float64(lines)*lineHeight+3, maxHeight)
}

// wrappedLines estimates how many lines text takes in a column of the given
// width, breaking at spaces as a spreadsheet does. A column width counts
// the digits of the default font; the 10-point Arial of the cells is
// narrower, so a line holds about 1.15 characters per unit of width (a
// little less than it might, as LibreOffice lays text out wider than
// Excel).
func wrappedLines(s string, width float64) int {
	per := max(int(width*1.15), 4)
	n, used, word := 1, 0, 0
	place := func() { // puts the word just read on the current line or the next
		switch {
		case word == 0:
		case used == 0:
			used = word
		case used+1+word <= per:
			used += 1 + word
		default:
			n++
			used = word
		}
		for used > per { // a word longer than a line
			n++
			used -= per
		}
		word = 0
	}
	for _, r := range s {
		switch r {
		case '\n':
			place()
			n++
			used = 0
			if n > 40 {
				return n // taller than any row can be; no need to count on
			}
		case ' ', '\t':
			place()
		default:
			word++
		}
	}
	place()
	return n
}

func longestLine(s string) int {
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}

// text renders a value as the text a reader sees in its cell, for the
// record of rows as sent.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case model.Date:
		return x.String()
	case int:
		return strconv.Itoa(x)
	case string:
		s, _ := fitCell(x)
		return s
	}
	return fmt.Sprint(v)
}

// setProps writes the document properties, and custom properties that let
// the app recognise its own workbook when it is recorded as submitted.
func (b *book) setProps(title, subject, creator string, created time.Time, custom map[string]string) error {
	stamp := created.UTC().Format(time.RFC3339)
	if err := b.f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Subject:        subject,
		Creator:        creator,
		LastModifiedBy: creator,
		Created:        stamp,
		Modified:       stamp,
		Keywords:       b.marking.String() + "; HMICFRS; improvement",
		Category:       b.marking.String(),
		Description:    "Protective marking: " + b.marking.String() + ". Produced by Improvement Tracker.",
	}); err != nil {
		return fmt.Errorf("setting the document properties: %w", err)
	}
	if err := b.f.SetAppProps(&excelize.AppProperties{Application: "Improvement Tracker", Company: b.header}); err != nil {
		return fmt.Errorf("setting the document properties: %w", err)
	}
	for _, k := range sortedKeys(custom) {
		if err := b.f.SetCustomProps(excelize.CustomProperty{Name: k, Value: custom[k]}); err != nil {
			return fmt.Errorf("setting the document properties: %w", err)
		}
	}
	return nil
}

// writeMarking puts the marking in row 1 of a sheet written cell by cell,
// merged across width columns.
func (b *book) writeMarking(sheet string, width int) error {
	lastCol, _ := excelize.ColumnNumberToName(width)
	if err := b.f.SetCellStr(sheet, "A1", b.marking.String()); err != nil {
		return err
	}
	b.recCell(sheet, 1, 1, b.marking.String(), b.styles.marking)
	b.use(sheet, width, 1)
	if err := b.merge(sheet, "A1", lastCol+"1"); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheet, "A1", lastCol+"1", b.styles.marking); err != nil {
		return err
	}
	return b.f.SetRowHeight(sheet, 1, 20)
}

// put writes a value at a cell of a sheet written cell by cell, with the
// same safety as table cells.
func (b *book) put(sheet string, col, row int, v any, style int, where string) error {
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return err
	}
	switch x := v.(type) {
	case nil:
		return nil
	case model.Date:
		if x.IsZero() {
			return nil
		}
		if style == 0 {
			style = b.styles.date
		}
		if err := b.f.SetCellValue(sheet, ref, x.Time()); err != nil {
			return err
		}
	case int:
		if style == 0 {
			style = b.styles.number
		}
		if err := b.f.SetCellInt(sheet, ref, int64(x)); err != nil {
			return err
		}
	case string:
		s, quoted := b.warn.clean(x, where)
		if quoted {
			if style == b.styles.wrap {
				style = b.styles.quotedWrap
			} else {
				style = b.styles.quoted
			}
		}
		if style == 0 {
			style = b.styles.text
		}
		if err := b.f.SetCellStr(sheet, ref, s); err != nil {
			return err
		}
	default:
		return fmt.Errorf("cannot write %T to a cell", v)
	}
	b.recCell(sheet, col, row, v, style)
	b.use(sheet, col, row)
	return b.f.SetCellStyle(sheet, ref, ref, style)
}

// colWidth sets the width of columns from first to last (1-based).
func (b *book) colWidth(sheet string, first, last int, width float64) error {
	from, _ := excelize.ColumnNumberToName(first)
	to, _ := excelize.ColumnNumberToName(last)
	if r := b.rec.sheet(sheet); r != nil {
		for len(r.Widths) < last {
			r.Widths = append(r.Widths, 0)
		}
		for i := first; i <= last; i++ {
			r.Widths[i-1] = width
		}
	}
	return b.f.SetColWidth(sheet, from, to, width)
}

// merge merges a range of a sheet written cell by cell.
func (b *book) merge(sheet, from, to string) error {
	if r := b.rec.sheet(sheet); r != nil {
		r.Merges = append(r.Merges, [2]string{from, to})
	}
	return b.f.MergeCell(sheet, from, to)
}

// use notes that a sheet written cell by cell has a cell at col, row.
func (b *book) use(sheet string, col, row int) {
	u := b.used[sheet]
	b.used[sheet] = [2]int{max(u[0], col), max(u[1], row)}
}

// setDimensions makes each sheet written cell by cell declare the range
// it uses: the spreadsheet library leaves it at A1, and a reader that
// trusts it sees one cell.
func (b *book) setDimensions() error {
	for sheet, u := range b.used {
		if err := b.f.SetSheetDimension(sheet, "A1:"+cellName(u[0], u[1])); err != nil {
			return fmt.Errorf("setting the range of the %s sheet: %w", sheet, err)
		}
	}
	return nil
}
