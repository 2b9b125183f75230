package export

import (
	"fmt"
	"strconv"
	"strings"
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
		quoted, quotedWrap, bold, sectionHead, total, totalNum, note int
		rag                                                          map[model.RAG]int
		ragFill                                                      map[model.RAG]int
	}
	tables int
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
	b := &book{f: excelize.NewFile(), marking: marking, header: header, period: period, warn: warn}
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
		s  excelize.Style
	}{
		{&b.styles.marking, excelize.Style{Font: font(true, 12, "000000"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&b.styles.title, excelize.Style{Font: font(true, 14, "1F3864")}},
		{&b.styles.caption, excelize.Style{Font: font(false, 10, "404040"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: false}}},
		{&b.styles.header, excelize.Style{Font: font(true, 10, "FFFFFF"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F3864"}},
			Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}, Border: thin}},
		{&b.styles.text, excelize.Style{Font: font(false, 10, ""), Alignment: top}},
		{&b.styles.wrap, excelize.Style{Font: font(false, 10, ""), Alignment: wrapTop}},
		{&b.styles.date, excelize.Style{Font: font(false, 10, ""), Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "left"}, CustomNumFmt: &dateFmt}},
		{&b.styles.number, excelize.Style{Font: font(false, 10, ""), Alignment: top, NumFmt: 1}},
		{&b.styles.quoted, excelize.Style{Font: font(false, 10, ""), Alignment: top, NumFmt: 49}},
		{&b.styles.quotedWrap, excelize.Style{Font: font(false, 10, ""), Alignment: wrapTop, NumFmt: 49}},
		{&b.styles.bold, excelize.Style{Font: font(true, 10, ""), Alignment: top}},
		{&b.styles.sectionHead, excelize.Style{Font: font(true, 12, "1F3864"), Border: []excelize.Border{{Type: "bottom", Color: "1F3864", Style: 2}}}},
		{&b.styles.total, excelize.Style{Font: font(true, 10, ""), Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}},
		{&b.styles.totalNum, excelize.Style{Font: font(true, 10, ""), NumFmt: 1, Border: []excelize.Border{{Type: "top", Color: "000000", Style: 1}}}},
		{&b.styles.note, excelize.Style{Font: &excelize.Font{Italic: true, Size: 10, Family: "Arial", Color: "404040"}, Alignment: wrapTop}},
	}
	for _, sp := range specs {
		id, err := b.f.NewStyle(&sp.s)
		if err != nil {
			return fmt.Errorf("preparing the workbook styles: %w", err)
		}
		*sp.id = id
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
	for rag, c := range ragColours {
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
	}
	return nil
}

// hf escapes text for a header or footer, where & starts a code.
func hf(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// pageSetup gives a sheet its marking in the header and footer, landscape
// A4 fitted to one page wide (and tall pages across, unless tall is set), and
// the rows repeated at the top of every printed page (0 for none).
func (b *book) pageSetup(sheet string, titleRow int, pagesTall int) error {
	return b.pageSetupOn(sheet, titleRow, pagesTall, paperA4)
}

// Paper sizes, as spreadsheet files number them.
const (
	paperA4 = 9
	paperA3 = 8
)

// pageSetupOn is pageSetup on a given paper size.
func (b *book) pageSetupOn(sheet string, titleRow, pagesTall, paper int) error {
	mark := hf(b.marking.String())
	trim := func(s string) string {
		// Each header or footer is limited to 255 characters, codes
		// included; the force and period are never that long, but a
		// pasted force name could be.
		if r := []rune(s); len(r) > 70 {
			return string(r[:69]) + "…"
		}
		return s
	}
	opts := &excelize.HeaderFooterOptions{
		OddHeader: "&L&8" + trim(hf(b.header)) + "&C&\"Arial,Bold\"&12" + mark + "&R&8" + trim(hf(b.period)),
		OddFooter: "&L&8" + trim(hf(b.header)) + "&C&\"Arial,Bold\"&12" + mark + "&R&8Page &P of &N",
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
	margin, edge := 0.5, 0.3
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
	// wide tables print on A3, where a page width of columns is still
	// readable.
	wide bool
}

const (
	captionRow = 2
	headerRow  = 3
	firstData  = 4
)

// writeTable streams a table sheet. Everything that belongs to the sheet
// rather than its cells (page set-up, validation, conditional formats) is
// set before the stream starts: excelize drops it silently if set after.
func (b *book) writeTable(t table) error {
	if err := b.addSheet(t.sheet); err != nil {
		return fmt.Errorf("adding the %s sheet: %w", t.sheet, err)
	}
	paper := paperA4
	if t.wide {
		paper = paperA3
	}
	if err := b.pageSetupOn(t.sheet, headerRow, 0, paper); err != nil {
		return err
	}
	last := firstData + max(len(t.rows), 1) - 1
	for i, c := range t.cols {
		col, _ := excelize.ColumnNumberToName(i + 1)
		ref := fmt.Sprintf("%s%d:%s%d", col, firstData, col, last)
		if len(c.list) > 0 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = ref
			if err := dv.SetDropList(c.list); err != nil {
				return fmt.Errorf("adding the %s drop-down: %w", c.header, err)
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.header,
				"Choose one of the values in the list (see the Key sheet).")
			if err := b.f.AddDataValidation(t.sheet, dv); err != nil {
				return fmt.Errorf("adding the %s drop-down: %w", c.header, err)
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
				return fmt.Errorf("colouring the %s column: %w", c.header, err)
			}
		}
	}

	sw, err := b.f.NewStreamWriter(t.sheet)
	if err != nil {
		return fmt.Errorf("writing the %s sheet: %w", t.sheet, err)
	}
	widths := b.widths(t)
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	wrap := make([]bool, len(t.cols))
	for i, c := range t.cols {
		wrap[i] = c.kind == wrapCol
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", firstData), ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: fmt.Sprintf("A%d", firstData), ActiveCell: fmt.Sprintf("A%d", firstData), Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(t.cols))
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: b.styles.marking, Value: b.marking.String()}}, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	if err := sw.MergeCell("A1", lastCol+"1"); err != nil {
		return err
	}
	caption, _ := b.warn.clean(t.caption, t.sheet+" caption")
	if err := sw.SetRow(fmt.Sprintf("A%d", captionRow), []any{excelize.Cell{StyleID: b.styles.caption, Value: caption}}); err != nil {
		return err
	}
	head := make([]any, len(t.cols))
	for i, c := range t.cols {
		head[i] = excelize.Cell{StyleID: b.styles.header, Value: c.header}
	}
	headText := make([]any, len(t.cols))
	headWrap := make([]bool, len(t.cols))
	for i, c := range t.cols {
		headText[i], headWrap[i] = c.header, true
	}
	var headOpts []excelize.RowOpts
	if h := rowHeight(headText, widths, headWrap); h > 0 {
		headOpts = append(headOpts, excelize.RowOpts{Height: h})
	}
	if err := sw.SetRow(fmt.Sprintf("A%d", headerRow), head, headOpts...); err != nil {
		return err
	}
	cells := make([]any, len(t.cols))
	for r, row := range t.rows {
		for i, v := range row {
			cells[i] = b.cell(t, r, i, v)
		}
		var opts []excelize.RowOpts
		if h := rowHeight(row, widths, wrap); h > 0 {
			opts = append(opts, excelize.RowOpts{Height: h})
		}
		if err := sw.SetRow("A"+strconv.Itoa(firstData+r), cells, opts...); err != nil {
			return fmt.Errorf("writing row %d of the %s sheet: %w", r+1, t.sheet, err)
		}
	}
	b.tables++
	if err := sw.AddTable(&excelize.Table{
		Range:     fmt.Sprintf("A%d:%s%d", headerRow, lastCol, last),
		Name:      t.name,
		StyleName: "TableStyleLight9",
	}); err != nil {
		return fmt.Errorf("adding the table on the %s sheet: %w", t.sheet, err)
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("writing the %s sheet: %w", t.sheet, err)
	}
	return nil
}

// cell turns a value into a styled cell.
func (b *book) cell(t table, row, col int, v any) any {
	c := t.cols[col]
	switch x := v.(type) {
	case nil:
		return nil
	case model.Date:
		if x.IsZero() {
			return nil
		}
		return excelize.Cell{StyleID: b.styles.date, Value: x.Time()}
	case int:
		return excelize.Cell{StyleID: b.styles.number, Value: x}
	case string:
		if x == "" {
			return nil
		}
		where := c.header
		if t.where != nil {
			where = t.where(row) + " " + strings.ToLower(c.header[:1]) + c.header[1:]
		}
		s, quoted := b.warn.clean(x, where)
		style := b.styles.text
		switch {
		case quoted && c.kind == wrapCol:
			style = b.styles.quotedWrap
		case quoted:
			style = b.styles.quoted
		case c.kind == wrapCol:
			style = b.styles.wrap
		}
		return excelize.Cell{StyleID: style, Value: s}
	}
	return excelize.Cell{StyleID: b.styles.text, Value: fmt.Sprint(v)}
}

// widths fits each column to its header and contents, within its maximum.
func (b *book) widths(t table) []float64 {
	out := make([]float64, len(t.cols))
	for i, c := range t.cols {
		w := float64(longestWord(c.header)) + 2
		if w < 8 {
			w = 8
		}
		switch c.kind {
		case dateCol:
			w = max(w, 11)
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
		return b.f.SetRowHeight(sheet, row, h)
	}
	return nil
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
// narrower, so a line holds about 1.2 characters per unit of width.
func wrappedLines(s string, width float64) int {
	per := max(int(width*1.2), 4)
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		used := 0
		n++
		for _, w := range strings.Fields(line) {
			l := utf8.RuneCountInString(w)
			switch {
			case used == 0:
				used = l
			case used+1+l <= per:
				used += 1 + l
			default:
				n++
				used = l
			}
			for used > per { // a word longer than the line
				n++
				used -= per
			}
		}
		if n > 40 {
			return n // taller than any row can be; no need to count on
		}
	}
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
	if err := b.f.MergeCell(sheet, "A1", lastCol+"1"); err != nil {
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
	return b.f.SetCellStyle(sheet, ref, ref, style)
}
