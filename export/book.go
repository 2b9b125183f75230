package export

import (
	"fmt"
	"io"
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

	// rows are the table sheets with data rows, by the name of the
	// sheet's part in the zip file, where writeRows writes them.
	rows map[string]*stream

	// dest is where the zip file goes while the workbook is written
	// (Workbook.Write).
	dest io.Writer

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
	b := &book{f: excelize.NewFile(), marking: marking, header: header, period: period, warn: warn, used: map[string][2]int{}, hfSize: 9,
		rows: map[string]*stream{}}
	// The library hands its zip writer a memory buffer, which it copies
	// out once the whole file is in it; the zip writer writes to the
	// workbook's destination instead when there is one (book.writeZip).
	b.f.ZipWriter = func(w io.Writer) excelize.ZipWriter {
		if b.dest != nil {
			w = b.dest
		}
		return newOrderedZip(w, b)
	}
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
// sheet costs no allocation per cell. With warn set, text cut to fit the
// cell is added to the workbook's warnings (the check when the workbook is
// built); without, it is cut silently (the rows written later).
func (b *book) cell(c *excelize.Cell, t table, row, col int, v any, warn bool) bool {
	switch x := v.(type) {
	case nil:
		return false
	case model.Date:
		if x.IsZero() {
			return false
		}
		c.StyleID, c.Value = b.styles.date, dateSerial(x)
	case int:
		// Centred, so that a count does not run into the text of the
		// column after it.
		c.StyleID, c.Value = b.styles.numberMid, x
	case string:
		if x == "" {
			return false
		}
		col := t.cols[col]
		s, cut := fitCell(x)
		if cut && warn {
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
	return b.f.SetRowHeight(sheet, 1, markingHigh)
}

// markingHigh is the height of the marking's row, in points: 12-point type.
const markingHigh = 20

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
