package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

// Labels of the Summary sheet's key figures, which tests and readers look
// up by name.
// The figures other than the rows and the revisions are the model's, in
// its words, as the dashboard, the briefing and the summary command give
// them.
const (
	FigureOnReturn  = "Findings on the Return sheet (open, or closed this period)"
	FigureOpen      = model.FigureOpenName
	FigureToActOn   = model.FigureToActOnName
	FigureOverdue   = model.FigureOverdueName
	FigureInClosure = model.FigureInClosureName
	FigureRed       = model.FigureRedName
	FigureClosed    = model.FigureClosedName
	FigureNew       = model.FigureNewName
	FigureChanged   = model.FigureChangedName
	summaryTotal    = "Total"
	summaryNotRated = "Not rated"
)

// The Summary's layout. Its first column holds the labels and area names;
// the count columns share the rest of the page's width, so that the
// status names over them wrap onto as few lines as they can.
const (
	summaryFirstColWide = 40
	summaryColMin       = 11
	summaryColMax       = 16
	// summaryRAGCol is where the RAG counts stand, beside the key figures
	// (columns A and B) with a column's gap.
	summaryRAGCol = 4
	// Rows of 10-point Arial are 12.75 points high, as spreadsheets make
	// them when Arial is the default font; the workbook's default row
	// (15 points, for 11-point Calibri) would waste a page's worth of
	// space on a long register. Titles and headings get room for their
	// larger type.
	summaryRowHigh     = lineHeight
	summaryTitleHigh   = 18
	summarySectionHigh = 16
	summaryGapHigh     = 8 // between blocks
)

// summaryWidths are the widths of the Summary's first column and of each
// of its n count columns. Together they fill the printed width: the count
// columns as wide as summaryColMax allows, and no narrower than
// summaryColMin, taking room from the first column when there are many.
func summaryWidths(n int) (first, count float64) {
	room := printWidth - 1
	first = min(summaryFirstColWide, room-float64(n)*summaryColMin)
	count = max(summaryColMin, min(summaryColMax, (room-first)/float64(n)))
	return first, count
}

// summaryStatuses are the status columns of the Summary's table by type:
// every open status, Closed, and the other ends only when some finding is
// at them.
func summaryStatuses(c model.Counts) []model.Status {
	var statuses []model.Status
	for _, st := range model.Statuses {
		if n := c.ByStatus[st]; n > 0 || !st.IsFinal() || st == model.Closed {
			statuses = append(statuses, st)
		}
	}
	return statuses
}

// summaryOf is what the Summary sheet counts, and as at when.
type summaryOf struct {
	snap *model.Snapshot
	// keep says which findings are on the Return sheet.
	keep        func(model.Finding) bool
	period      model.Quarter
	asAt, today model.Date
	force       string
}

// summaryWriter lays out the Summary sheet from the top down.
type summaryWriter struct {
	sheetWriter
	summaryOf
	fig      model.Figures
	statuses []model.Status
	rags     []model.RAG
	// width is the number of columns used; firstWide and colWide the
	// widths of the first column and of each count column, pageWide all
	// of them.
	width                        int
	firstWide, colWide, pageWide float64
	// row is the row being written; heights the heights set so far, so
	// that two blocks side by side share a row's height and the page can
	// be fitted at the end.
	row     int
	heights map[int]float64
}

// writeSummary writes the counts of the findings on the Return sheet. Each
// block counts every finding once, so its total equals the Return's rows.
// It is laid out for one A4 page: the counts by RAG stand beside the key
// figures, rows are as high as their text needs, and the page is fitted to
// one page tall when that shrinks it by no more than the printed text can
// bear (minPrintScale); a register with more areas than that prints on
// further pages at full size.
func writeSummary(b *book, in summaryOf) error {
	w := &summaryWriter{sheetWriter: newSheetWriter(b, SheetSummary), summaryOf: in, heights: map[int]float64{}}
	w.fig = in.snap.FiguresOf(in.keep, in.period.FirstDay())
	w.statuses = summaryStatuses(w.fig.Counts)
	w.rags = append(append([]model.RAG{}, model.RAGs...), "")
	counts := max(len(w.statuses), len(w.rags)) + 1 // and a total
	w.width = 1 + counts
	w.firstWide, w.colWide = summaryWidths(counts)
	w.pageWide = w.firstWide + float64(counts)*w.colWide

	w.marking(w.width)
	w.colWidth(1, 1, w.firstWide)
	w.colWidth(2, w.width, w.colWide)
	w.title()
	w.gap()
	w.keyFigures()
	w.gap()
	w.byTypeAndStatus()
	w.gap()
	w.byAreaAndRAG()
	w.fitPage()
	return w.err
}

// height sets a row's height and keeps it.
func (w *summaryWriter) height(row int, h float64) {
	w.heights[row] = h
	w.rowHeight(row, h)
}

// fit sets a row's height for its wrapped text, at least a line. Two
// blocks side by side share rows: the taller text sets the height.
func (w *summaryWriter) fit(row int, values []any, widths []float64, wrap []bool) {
	w.height(row, max(rowHeight(values, widths, wrap), summaryRowHigh, w.heights[row]))
}

// across writes a line of text wrapped across the page's width, so that
// none of it is lost past the printed edge.
func (w *summaryWriter) across(text string, style int, where string) {
	w.put(1, w.row, text, style, where)
	w.mergeAcross(w.row, 1, w.width)
	w.fit(w.row, []any{text}, []float64{w.pageWide}, []bool{true})
	w.row++
}

// gap leaves the current row as a little room before the next block.
func (w *summaryWriter) gap() {
	w.height(w.row, summaryGapHigh)
	w.row++
}

// section writes a block's title at a column of the current row.
func (w *summaryWriter) section(col int, title string) {
	w.put(col, w.row, title, w.b.styles.sectionHead, title)
	w.height(w.row, summarySectionHigh)
}

// headerRow writes a block's column headings from a column of the
// current row; the first names the rows, the others the counts.
func (w *summaryWriter) headerRow(col int, cells ...string) {
	values := make([]any, len(cells))
	widths := make([]float64, len(cells))
	wrap := make([]bool, len(cells))
	for i, h := range cells {
		w.put(col+i, w.row, h, w.b.styles.header, h)
		values[i], widths[i], wrap[i] = h, w.colWide, true
	}
	if col == 1 {
		widths[0] = w.firstWide
	}
	w.fit(w.row, values, boldWidths(widths), wrap)
}

// totalRow writes a block's row of totals: the column totals, then the
// grand total.
func (w *summaryWriter) totalRow(totals []int, grand int) {
	st := w.b.styles
	w.put(1, w.row, summaryTotal, st.total, "")
	for i, n := range totals {
		w.put(i+2, w.row, n, st.totalNum, "")
	}
	w.put(len(totals)+2, w.row, grand, st.totalNum, "")
}

// title writes the sheet's title and what it shows, from row 2.
func (w *summaryWriter) title() {
	st := w.b.styles
	w.row = 2
	w.put(1, w.row, fmt.Sprintf("%s – progress return %s", w.force, w.period), st.title, "title")
	w.height(w.row, summaryTitleHigh)
	w.row++
	w.across(fmt.Sprintf("As at %s (the period runs from %s to %s). Status, RAG, targets and leads are as they stood on the as-at date. The Key sheet explains each type, status and RAG.",
		w.asAt, w.period.FirstDay(), w.period.LastDay()), st.captionWrap, "caption")
	if w.asAt.After(w.today) {
		// Made before its as-at date: the figures are provisional, and
		// the reader must not take them for the return to send.
		w.across(fmt.Sprintf("Provisional: made on %s, before the as-at date. Days overdue are counted to %s from the register as it stood on %s.",
			w.today, w.asAt, w.today), st.boldWrap, "provisional")
	}
}

// keyFigures writes the key figures, and beside them the findings by RAG.
func (w *summaryWriter) keyFigures() {
	st, fig := w.b.styles, w.fig
	top := w.row
	w.section(1, "Key figures")
	// The model's figures. Two more stand beside them: the findings on
	// the Return sheet are the RAG block's total, and Open and rated Red
	// its Red (a closed finding is never Red). Target dates revised are
	// on the Changes sheet, one row each.
	figures := []struct {
		label string
		n     int
	}{
		{FigureOpen, fig.Open}, {FigureToActOn, fig.ToActOn},
		{FigureOverdue, fig.Overdue}, {FigureInClosure, fig.InClosure},
		{FigureClosed, fig.Closed}, {FigureNew, fig.New}, {FigureChanged, fig.Changed},
	}
	for i, kv := range figures {
		w.put(1, top+1+i, kv.label, st.wrap, kv.label)
		w.put(2, top+1+i, kv.n, st.bold, "")
		w.fit(top+1+i, []any{kv.label}, []float64{w.firstWide}, []bool{true})
	}
	w.section(summaryRAGCol, FigureOnReturn)
	// The title's underline spans the block's two columns.
	w.mergeAcross(w.row, summaryRAGCol, summaryRAGCol+1)
	w.row++
	w.headerRow(summaryRAGCol, "RAG", "Findings")
	w.row++
	for _, r := range w.rags {
		style := st.text
		if id, ok := st.ragFill[r]; ok {
			style = id
		}
		w.put(summaryRAGCol, w.row, ragText(r), style, "")
		w.put(summaryRAGCol+1, w.row, fig.Counts.ByRAG[r], st.number, "")
		w.row++
	}
	w.put(summaryRAGCol, w.row, summaryTotal, st.total, "")
	w.put(summaryRAGCol+1, w.row, fig.Counts.Total, st.totalNum, "")
	w.row = max(w.row+1, top+1+len(figures))
}

// byTypeAndStatus writes the findings by type and status.
func (w *summaryWriter) byTypeAndStatus() {
	st, c := w.b.styles, w.fig.Counts
	w.section(1, "Findings by type and status")
	w.row++
	head := []string{"Type"}
	for _, s := range w.statuses {
		head = append(head, string(s))
	}
	w.headerRow(1, append(head, summaryTotal)...)
	w.row++
	colTotals := make([]int, len(w.statuses))
	for _, t := range model.FindingTypes {
		if !t.Tracked() {
			continue
		}
		w.put(1, w.row, string(t), st.text, "")
		total := 0
		for i, s := range w.statuses {
			n := c.ByTypeStatus[t][s]
			colTotals[i] += n
			total += n
			w.put(i+2, w.row, n, st.number, "")
		}
		w.put(len(w.statuses)+2, w.row, total, st.bold, "")
		w.row++
	}
	w.totalRow(colTotals, c.Total)
	w.row++
}

// byAreaAndRAG writes the findings by area, with RAG. It ends on its row
// of totals.
func (w *summaryWriter) byAreaAndRAG() {
	st, c := w.b.styles, w.fig.Counts
	w.section(1, "Findings by area and RAG")
	w.row++
	head := []string{"Area"}
	for _, r := range w.rags {
		head = append(head, ragText(r))
	}
	w.headerRow(1, append(head, summaryTotal)...)
	w.row++
	ragTotals := make([]int, len(w.rags))
	for _, area := range c.Areas() {
		w.put(1, w.row, area, st.wrap, "area "+area)
		// A long area name wraps rather than being cut off by the counts.
		w.fit(w.row, []any{area}, []float64{w.firstWide}, []bool{true})
		for i, r := range w.rags {
			n := c.ByAreaRAG[area][r]
			ragTotals[i] += n
			w.put(i+2, w.row, n, st.number, "")
		}
		w.put(len(w.rags)+2, w.row, c.ByArea[area], st.bold, "")
		w.row++
	}
	w.totalRow(ragTotals, c.Total)
}

// fitPage gives every other row up to the current one, blank ones
// included, the height of a line of 10-point text; then the page is
// fitted to one page tall if the sheet is no more than a little over a
// page.
func (w *summaryWriter) fitPage() {
	total := 0.0
	for r := 1; r <= w.row; r++ {
		h, ok := w.heights[r]
		if r == 1 {
			h, ok = markingHigh, true
		}
		if !ok {
			h = summaryRowHigh
			w.height(r, h)
		}
		total += h
	}
	tall := 0
	if total*minPrintScale <= pagePrintHeight {
		tall = 1
	}
	w.pageSetup(0, tall)
}

// writeKey explains each status and RAG value, and how the return was made.
func writeKey(b *book, asAtText string) error {
	w := newSheetWriter(b, SheetKey)
	st := b.styles
	w.pageSetup(0, 0)
	w.marking(2)
	w.colWidth(1, 1, keyWidths[0])
	w.colWidth(2, 2, keyWidths[1])
	row := 2
	w.put(1, row, "Key", st.title, "")
	row += 2
	// term writes a term and its meaning, the row as high as they need.
	term := func(name string, style int, meaning string) {
		w.put(1, row, name, style, "")
		w.put(2, row, meaning, st.wrap, "")
		w.fitRow(row, []any{name, meaning}, keyWidths, keyWrap)
		row++
	}
	// block writes a block's two column headings, then its terms, then a
	// blank row.
	block := func(heading, meaningHeading string, terms func()) {
		w.put(1, row, heading, st.header, "")
		w.put(2, row, meaningHeading, st.header, "")
		row++
		terms()
		row++
	}
	block("Type", "Meaning", func() {
		for _, t := range model.FindingTypes {
			term(string(t), st.boldWrap, typeMeanings[t])
		}
	})
	// The Summary's figures, in the words every screen and workbook use.
	block("Figure", "What it counts", func() {
		for _, m := range model.FigureMeanings {
			term(m[0], st.boldWrap, m[1])
		}
	})
	block("Status", "Meaning", func() {
		for _, s := range model.Statuses {
			term(string(s), st.boldWrap, model.StatusMeanings[s])
		}
	})
	block("RAG", "Meaning", func() {
		for _, r := range model.RAGs {
			term(string(r), st.ragFill[r], model.RAGMeanings[r])
		}
		// The row of no RAG is not fitted: its text is one line.
		w.put(1, row, ragText(""), st.boldWrap, "")
		w.put(2, row, "No RAG had been given by the as-at date.", st.wrap, "")
		row++
	})
	w.put(1, row, "About this workbook", st.sectionHead, "")
	row++
	notes := []string{
		"Status, RAG, target dates and leads are shown as they stood at the end of " + asAtText +
			", from the progress updates and the change history, so the workbook can be produced again identically later.",
		"Overdue means the current target date is before the as-at date and the finding is not closed. Days overdue counts from the current target; Revisions counts how many times the target had moved.",
		"Closing is two-stage: \"" + string(model.CompletePending) + "\" is done internally; \"" + string(model.Closed) + "\" means the inspectorate has agreed.",
		"Progress this period lists the progress updates dated within the period, newest first.",
		"Text that begins with =, +, -, @ or a tab is shown as typed, never as a formula. Text longer than a cell holds ends with \"" + TruncatedNote + "\".",
		"Protective marking: " + b.marking.String() + ". Handle, store and share this workbook accordingly.",
	}
	for _, n := range notes {
		w.put(1, row, n, st.wrap, "")
		w.mergeAcross(row, 1, 2)
		w.fitRow(row, []any{n}, []float64{keyWidths[0] + keyWidths[1]}, []bool{true})
		row++
	}
	return w.err
}

// The Key's two columns: the term, and its meaning, which wraps (a row's
// height is set to fit it, as spreadsheets do not grow rows they open).
var (
	keyWidths = []float64{36, 98}
	keyWrap   = []bool{true, true}
)

// typeMeanings explains the kinds of finding on the Key sheet, for readers
// who do not use the inspectorate's terms every day.
var typeMeanings = map[model.FindingType]string{
	model.AFI:                "Area for improvement: something the inspectorate found the force should do better. Tracked until the inspectorate agrees it is done.",
	model.CauseOfConcern:     "A serious or critical shortcoming in the force's practice; the inspectorate recommends what the force must do about it.",
	model.Recommendation:     "An action the inspectorate recommends, often with a date by which it should be done.",
	model.InnovativePractice: "Practice the inspectorate found worth sharing. Recorded in the register, but not on the Return: nothing is owed on it.",
}

func cellName(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}
