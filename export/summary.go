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

// writeSummary writes the counts of the findings on the Return sheet. Each
// block counts every finding once, so its total equals the Return's rows.
// It is laid out for one A4 page: the counts by RAG stand beside the key
// figures, rows are as high as their text needs, and the page is fitted to
// one page tall when that shrinks it by no more than the printed text can
// bear (minPrintScale); a register with more areas than that prints on
// further pages at full size.
func writeSummary(b *book, s *model.Snapshot, keep func(model.Finding) bool, period model.Quarter, asAt, today model.Date, force string) error {
	const sheet = SheetSummary
	if err := b.addSheet(sheet); err != nil {
		return err
	}
	fig := s.FiguresOf(keep, period.FirstDay())
	c := fig.Counts
	statuses := summaryStatuses(c)
	rags := append(append([]model.RAG{}, model.RAGs...), "")
	counts := max(len(statuses), len(rags)) + 1 // and a total
	width := 1 + counts
	firstWide, colWide := summaryWidths(counts)
	pageWide := firstWide + float64(counts)*colWide

	if err := b.writeMarking(sheet, width); err != nil {
		return err
	}
	if err := b.colWidth(sheet, 1, 1, firstWide); err != nil {
		return err
	}
	if err := b.colWidth(sheet, 2, width, colWide); err != nil {
		return err
	}
	heights := map[int]float64{}
	height := func(row int, h float64) error {
		heights[row] = h
		if r := b.rec.sheet(sheet); r != nil {
			r.RowHeights[row] = h
		}
		return b.f.SetRowHeight(sheet, row, h)
	}
	// fit sets a row's height for its wrapped text, at least a line.
	fit := func(row int, values []any, widths []float64, wrap []bool) error {
		// Two blocks side by side share rows: the taller text sets the height.
		return height(row, max(rowHeight(values, widths, wrap), summaryRowHigh, heights[row]))
	}
	row := 2
	if err := b.put(sheet, 1, row, fmt.Sprintf("%s – progress return %s", force, period), b.styles.title, "title"); err != nil {
		return err
	}
	if err := height(row, summaryTitleHigh); err != nil {
		return err
	}
	row++
	// Lines of text wrap across the page's width, so that none of it is
	// lost past the printed edge.
	across := func(text string, style int, where string) error {
		if err := b.put(sheet, 1, row, text, style, where); err != nil {
			return err
		}
		if err := b.merge(sheet, cellName(1, row), cellName(width, row)); err != nil {
			return err
		}
		if err := fit(row, []any{text}, []float64{pageWide}, []bool{true}); err != nil {
			return err
		}
		row++
		return nil
	}
	if err := across(fmt.Sprintf("As at %s (the period runs from %s to %s). Status, RAG, targets and leads are as they stood on the as-at date. The Key sheet explains each type, status and RAG.",
		asAt, period.FirstDay(), period.LastDay()), b.styles.captionWrap, "caption"); err != nil {
		return err
	}
	if asAt.After(today) {
		// Made before its as-at date: the figures are provisional, and
		// the reader must not take them for the return to send.
		if err := across(fmt.Sprintf("Provisional: made on %s, before the as-at date. Days overdue are counted to %s from the register as it stood on %s.",
			today, asAt, today), b.styles.boldWrap, "provisional"); err != nil {
			return err
		}
	}
	// gap leaves the current row as a little room before the next block.
	gap := func() error {
		if err := height(row, summaryGapHigh); err != nil {
			return err
		}
		row++
		return nil
	}
	if err := gap(); err != nil {
		return err
	}

	// section writes a block's title at a column of the current row.
	section := func(col int, title string) error {
		if err := b.put(sheet, col, row, title, b.styles.sectionHead, title); err != nil {
			return err
		}
		return height(row, summarySectionHigh)
	}
	// headerRow writes a block's column headings from a column of the
	// current row; the first names the rows, the others the counts.
	headerRow := func(col int, cells ...string) error {
		values := make([]any, len(cells))
		widths := make([]float64, len(cells))
		wrap := make([]bool, len(cells))
		for i, h := range cells {
			if err := b.put(sheet, col+i, row, h, b.styles.header, h); err != nil {
				return err
			}
			values[i], widths[i], wrap[i] = h, colWide, true
		}
		if col == 1 {
			widths[0] = firstWide
		}
		return fit(row, values, boldWidths(widths), wrap)
	}

	// The key figures, and beside them the findings by RAG.
	top := row
	if err := section(1, "Key figures"); err != nil {
		return err
	}
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
		if err := b.put(sheet, 1, top+1+i, kv.label, b.styles.wrap, kv.label); err != nil {
			return err
		}
		if err := b.put(sheet, 2, top+1+i, kv.n, b.styles.bold, ""); err != nil {
			return err
		}
		if err := fit(top+1+i, []any{kv.label}, []float64{firstWide}, []bool{true}); err != nil {
			return err
		}
	}
	if err := section(summaryRAGCol, FigureOnReturn); err != nil {
		return err
	}
	// The title's underline spans the block's two columns.
	if err := b.merge(sheet, cellName(summaryRAGCol, row), cellName(summaryRAGCol+1, row)); err != nil {
		return err
	}
	row++
	if err := headerRow(summaryRAGCol, "RAG", "Findings"); err != nil {
		return err
	}
	row++
	for _, r := range rags {
		style := b.styles.text
		if id, ok := b.styles.ragFill[r]; ok {
			style = id
		}
		if err := b.put(sheet, summaryRAGCol, row, ragText(r), style, ""); err != nil {
			return err
		}
		if err := b.put(sheet, summaryRAGCol+1, row, c.ByRAG[r], b.styles.number, ""); err != nil {
			return err
		}
		row++
	}
	if err := b.put(sheet, summaryRAGCol, row, summaryTotal, b.styles.total, ""); err != nil {
		return err
	}
	if err := b.put(sheet, summaryRAGCol+1, row, c.Total, b.styles.totalNum, ""); err != nil {
		return err
	}
	row = max(row+1, top+1+len(figures))
	if err := gap(); err != nil {
		return err
	}

	// By type and status.
	if err := section(1, "Findings by type and status"); err != nil {
		return err
	}
	row++
	head := []string{"Type"}
	for _, st := range statuses {
		head = append(head, string(st))
	}
	head = append(head, summaryTotal)
	if err := headerRow(1, head...); err != nil {
		return err
	}
	row++
	colTotals := make([]int, len(statuses))
	for _, t := range model.FindingTypes {
		if !t.Tracked() {
			continue
		}
		if err := b.put(sheet, 1, row, string(t), b.styles.text, ""); err != nil {
			return err
		}
		total := 0
		for i, st := range statuses {
			n := c.ByTypeStatus[t][st]
			colTotals[i] += n
			total += n
			if err := b.put(sheet, i+2, row, n, b.styles.number, ""); err != nil {
				return err
			}
		}
		if err := b.put(sheet, len(statuses)+2, row, total, b.styles.bold, ""); err != nil {
			return err
		}
		row++
	}
	if err := b.put(sheet, 1, row, summaryTotal, b.styles.total, ""); err != nil {
		return err
	}
	for i, n := range colTotals {
		if err := b.put(sheet, i+2, row, n, b.styles.totalNum, ""); err != nil {
			return err
		}
	}
	if err := b.put(sheet, len(statuses)+2, row, c.Total, b.styles.totalNum, ""); err != nil {
		return err
	}
	row++
	if err := gap(); err != nil {
		return err
	}

	// By area, with RAG.
	if err := section(1, "Findings by area and RAG"); err != nil {
		return err
	}
	row++
	head = []string{"Area"}
	for _, r := range rags {
		head = append(head, ragText(r))
	}
	head = append(head, summaryTotal)
	if err := headerRow(1, head...); err != nil {
		return err
	}
	row++
	ragTotals := make([]int, len(rags))
	for _, area := range c.Areas() {
		if err := b.put(sheet, 1, row, area, b.styles.wrap, "area "+area); err != nil {
			return err
		}
		// A long area name wraps rather than being cut off by the counts.
		if err := fit(row, []any{area}, []float64{firstWide}, []bool{true}); err != nil {
			return err
		}
		for i, r := range rags {
			n := c.ByAreaRAG[area][r]
			ragTotals[i] += n
			if err := b.put(sheet, i+2, row, n, b.styles.number, ""); err != nil {
				return err
			}
		}
		if err := b.put(sheet, len(rags)+2, row, c.ByArea[area], b.styles.bold, ""); err != nil {
			return err
		}
		row++
	}
	if err := b.put(sheet, 1, row, summaryTotal, b.styles.total, ""); err != nil {
		return err
	}
	for i, n := range ragTotals {
		if err := b.put(sheet, i+2, row, n, b.styles.totalNum, ""); err != nil {
			return err
		}
	}
	if err := b.put(sheet, len(rags)+2, row, c.Total, b.styles.totalNum, ""); err != nil {
		return err
	}

	// Every other row, blank ones included, is a line of 10-point text;
	// then the page is fitted to one page tall if the sheet is no more
	// than a little over a page.
	total := 0.0
	for r := 1; r <= row; r++ {
		h, ok := heights[r]
		if r == 1 {
			h, ok = markingHigh, true
		}
		if !ok {
			h = summaryRowHigh
			if err := height(r, h); err != nil {
				return err
			}
		}
		total += h
	}
	tall := 0
	if total*minPrintScale <= pagePrintHeight {
		tall = 1
	}
	return b.pageSetup(sheet, 0, tall)
}

// writeKey explains each status and RAG value, and how the return was made.
func writeKey(b *book, asAtText string) error {
	const sheet = SheetKey
	if err := b.addSheet(sheet); err != nil {
		return err
	}
	if err := b.pageSetup(sheet, 0, 0); err != nil {
		return err
	}
	if err := b.writeMarking(sheet, 2); err != nil {
		return err
	}
	if err := b.colWidth(sheet, 1, 1, keyWidths[0]); err != nil {
		return err
	}
	if err := b.colWidth(sheet, 2, 2, keyWidths[1]); err != nil {
		return err
	}
	row := 2
	if err := b.put(sheet, 1, row, "Key", b.styles.title, ""); err != nil {
		return err
	}
	row += 2
	if err := b.put(sheet, 1, row, "Type", b.styles.header, ""); err != nil {
		return err
	}
	if err := b.put(sheet, 2, row, "Meaning", b.styles.header, ""); err != nil {
		return err
	}
	row++
	for _, t := range model.FindingTypes {
		if err := b.put(sheet, 1, row, string(t), b.styles.boldWrap, ""); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, typeMeanings[t], b.styles.wrap, ""); err != nil {
			return err
		}
		if err := b.fitRow(sheet, row, []any{string(t), typeMeanings[t]}, keyWidths, keyWrap); err != nil {
			return err
		}
		row++
	}
	row++
	// The Summary's figures, in the words every screen and workbook use.
	if err := b.put(sheet, 1, row, "Figure", b.styles.header, ""); err != nil {
		return err
	}
	if err := b.put(sheet, 2, row, "What it counts", b.styles.header, ""); err != nil {
		return err
	}
	row++
	for _, m := range model.FigureMeanings {
		if err := b.put(sheet, 1, row, m[0], b.styles.boldWrap, ""); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, m[1], b.styles.wrap, ""); err != nil {
			return err
		}
		if err := b.fitRow(sheet, row, []any{m[0], m[1]}, keyWidths, keyWrap); err != nil {
			return err
		}
		row++
	}
	row++
	for _, h := range [][2]string{{"Status", "Meaning"}} {
		if err := b.put(sheet, 1, row, h[0], b.styles.header, ""); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, h[1], b.styles.header, ""); err != nil {
			return err
		}
		row++
	}
	for _, st := range model.Statuses {
		if err := b.put(sheet, 1, row, string(st), b.styles.boldWrap, ""); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, model.StatusMeanings[st], b.styles.wrap, ""); err != nil {
			return err
		}
		if err := b.fitRow(sheet, row, []any{string(st), model.StatusMeanings[st]}, keyWidths, keyWrap); err != nil {
			return err
		}
		row++
	}
	row++
	if err := b.put(sheet, 1, row, "RAG", b.styles.header, ""); err != nil {
		return err
	}
	if err := b.put(sheet, 2, row, "Meaning", b.styles.header, ""); err != nil {
		return err
	}
	row++
	for _, r := range model.RAGs {
		if err := b.put(sheet, 1, row, string(r), b.styles.ragFill[r], ""); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, model.RAGMeanings[r], b.styles.wrap, ""); err != nil {
			return err
		}
		if err := b.fitRow(sheet, row, []any{string(r), model.RAGMeanings[r]}, keyWidths, keyWrap); err != nil {
			return err
		}
		row++
	}
	if err := b.put(sheet, 1, row, ragText(""), b.styles.boldWrap, ""); err != nil {
		return err
	}
	if err := b.put(sheet, 2, row, "No RAG had been given by the as-at date.", b.styles.wrap, ""); err != nil {
		return err
	}
	row += 2
	if err := b.put(sheet, 1, row, "About this workbook", b.styles.sectionHead, ""); err != nil {
		return err
	}
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
		if err := b.put(sheet, 1, row, n, b.styles.wrap, ""); err != nil {
			return err
		}
		if err := b.merge(sheet, cellName(1, row), cellName(2, row)); err != nil {
			return err
		}
		if err := b.fitRow(sheet, row, []any{n}, []float64{keyWidths[0] + keyWidths[1]}, []bool{true}); err != nil {
			return err
		}
		row++
	}
	return nil
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
