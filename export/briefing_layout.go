package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

// The briefing's counts, its chart and how it falls across two pages.

// chartDataCol is the first column of the chart's data, to the right of
// the printed page: the chart shows it on paper, so printing it too would
// cost the briefing the room of a list.
const chartDataCol = briefingWidth + 2

// counts writes the findings open or closed this period (the model's
// Figures) by status, as a line, and a stacked bar chart of them by area
// and RAG, whose table sits beside the printed page.
func (bw *briefingWriter) counts(fig model.Figures) error {
	b := bw.book
	c := fig.Counts
	if err := bw.heading(model.FigureInViewName); err != nil {
		return err
	}
	var parts []string
	for _, st := range model.Statuses {
		if st.IsFinal() && c.ByStatus[st] == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s %d", st, c.ByStatus[st]))
	}
	line := fmt.Sprintf("By status: %s. Total %d.", strings.Join(parts, "; "), c.Total)
	if err := bw.put(sheetBriefing, 1, bw.row, line, b.styles.wrap, "status counts"); err != nil {
		return err
	}
	if err := b.merge(sheetBriefing, cellName(1, bw.row), cellName(briefingWidth, bw.row)); err != nil {
		return err
	}
	if err := bw.fit(bw.row, []any{line}, []float64{printWidthOf(briefingWidths)}, []bool{true}); err != nil {
		return err
	}
	bw.row++

	// By area and RAG: the chart's data, beside the page.
	rags := append(append([]model.RAG{}, model.RAGs...), "")
	head := bw.row
	if err := b.colWidth(sheetBriefing, chartDataCol, chartDataCol, 30); err != nil {
		return err
	}
	if err := b.colWidth(sheetBriefing, chartDataCol+1, chartDataCol+len(rags)+1, 9); err != nil {
		return err
	}
	if err := bw.put(sheetBriefing, chartDataCol, head, "Chart data: area", b.styles.header, ""); err != nil {
		return err
	}
	for i, r := range rags {
		if err := bw.put(sheetBriefing, chartDataCol+1+i, head, ragText(r), b.styles.header, ""); err != nil {
			return err
		}
	}
	if err := bw.put(sheetBriefing, chartDataCol+len(rags)+1, head, summaryTotal, b.styles.header, ""); err != nil {
		return err
	}
	areas := c.Areas()
	sort.Strings(areas)
	for i, a := range areas {
		r := head + 1 + i
		if err := bw.put(sheetBriefing, chartDataCol, r, a, b.styles.text, "area "+a); err != nil {
			return err
		}
		for j, rag := range rags {
			if err := bw.put(sheetBriefing, chartDataCol+1+j, r, c.ByAreaRAG[a][rag], b.styles.numberMid, ""); err != nil {
				return err
			}
		}
		if err := bw.put(sheetBriefing, chartDataCol+len(rags)+1, r, c.ByArea[a], b.styles.bold, ""); err != nil {
			return err
		}
	}
	if len(areas) == 0 {
		return bw.put(sheetBriefing, 1, bw.row, "There are no findings open, or closed this period, to chart.", b.styles.none, "")
	}
	first, last := head+1, head+len(areas)

	sheet := quoteSheet(sheetBriefing)
	var series []excelize.ChartSeries
	for i, r := range rags {
		if r == "" && ragTotal(c, r) == 0 {
			// A legend entry for findings that are all rated would
			// only puzzle the reader.
			continue
		}
		col, _ := excelize.ColumnNumberToName(chartDataCol + 1 + i)
		areaCol, _ := excelize.ColumnNumberToName(chartDataCol)
		colour := "A6A6A6" // not rated
		if c, ok := ragColours[r]; ok {
			colour = c[0]
		}
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheet, col, head),
			Categories: fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, areaCol, first, areaCol, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, col, first, col, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		})
	}
	height := max(uint(70+20*len(areas)), 160)
	bw.chart = float64(height+chartOffsetY) * 0.75 // pixels to points
	// The chart is anchored to the cells it covers, so its printed height
	// is that of the rows under it: they are given a set height, or each
	// spreadsheet would size them, and the chart, its own way. Rows that
	// hold chart data are among them.
	r := bw.row
	for ; float64(r-bw.row)*chartRowHeight < bw.chart+2*chartRowHeight; r++ {
		if err := b.f.SetRowHeight(sheetBriefing, r, chartRowHeight); err != nil {
			return err
		}
	}
	// Only the page's columns print; the chart's data stays on screen.
	lastCol, _ := excelize.ColumnNumberToName(briefingWidth)
	if err := b.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Area",
		RefersTo: fmt.Sprintf("%s!$A$1:$%s$%d", sheet, lastCol, max(r, last)),
		Scope:    sheetBriefing,
	}); err != nil {
		return fmt.Errorf("setting the briefing's printed columns: %w", err)
	}
	if err := b.f.AddChart(sheetBriefing, cellName(1, bw.row), &excelize.Chart{
		Type:   excelize.BarStacked,
		Series: series,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: model.FigureInViewName + ", by area and RAG",
			Font: &excelize.Font{Bold: true, Size: 13, Color: "1F3864"}}}},
		Legend:    excelize.ChartLegend{Position: "bottom", Font: &excelize.Font{Size: 11, Color: "000000"}},
		Dimension: excelize.ChartDimension{Width: 900, Height: height},
		Format:    excelize.GraphicOptions{OffsetX: 4, OffsetY: chartOffsetY},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040", Size: 10}},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: "000000", Size: 10}},
	}); err != nil {
		return fmt.Errorf("adding the chart: %w", err)
	}
	// Adding a chart declares the image types in an order that changes
	// from run to run; sorted, two exports of the same register are the
	// same file.
	if ct := b.f.ContentTypes; ct != nil {
		sort.Slice(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	}
	return nil
}

// printWidthOf adds up column widths.
func printWidthOf(widths []float64) float64 {
	total := 0.0
	for _, w := range widths {
		total += w
	}
	return total
}

// ragTotal counts the open findings of one RAG across every area.
func ragTotal(c model.Counts, r model.RAG) int {
	n := 0
	for _, byRAG := range c.ByAreaRAG {
		n += byRAG[r]
	}
	return n
}

// The briefing's page, in points, and its rows' heights.
const (
	briefingPrintWidth  = pagePrintWidth
	briefingPrintHeight = pagePrintHeight
	// Row heights, in points, of the rows whose height is not set by
	// their wrapped text.
	plainRowHeight   = 14
	spaceRowHeight   = 7
	headingRowHeight = 18
	titleRowHeight   = 21
	chartRowHeight   = 15
	chartOffsetY     = 4
)

// paginate lays the briefing out on one or two pages. Printing "fitted to
// two pages" would leave the page break to the spreadsheet, which puts it
// wherever the scale falls: in the middle of a list, whose second half
// then has no column headings, or through the chart. So every row is given
// its height, the break is placed at the top of a section (the one that
// shares the content most evenly between the pages), and the sheet prints
// at the scale at which both pages hold their part. A spreadsheet honours a
// manual break only at a set scale, never when fitting to pages.
func (bw *briefingWriter) paginate() (split pageBreak, err error) {
	last := bw.row
	if bw.chart > 0 {
		last-- // the chart hangs from the top of bw.row
	}
	for r := 1; r <= last; r++ {
		h, ok := bw.heights[r]
		if !ok {
			h = plainRowHeight
			bw.heights[r] = h
		}
		if err := bw.f.SetRowHeight(sheetBriefing, r, h); err != nil {
			return pageBreak{}, err
		}
	}
	breaks := bw.breaks
	if bw.splitRow > 0 {
		// Written again to start page 2 here: the only break now
		// (section -1: neither a heading nor a row to split before).
		breaks = []pageBreak{{row: bw.splitRow, section: -1}}
	}
	scale, at := briefingLayout(bw.heights, last, breaks, bw.chart)
	if at.section > 0 {
		return at, nil
	}
	pct := uint(scale * 100)
	fit := false
	if err := bw.f.SetSheetProps(sheetBriefing, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return pageBreak{}, fmt.Errorf("setting the briefing's page layout: %w", err)
	}
	if err := bw.f.SetPageLayout(sheetBriefing, &excelize.PageLayoutOptions{AdjustTo: &pct}); err != nil {
		return pageBreak{}, fmt.Errorf("setting the briefing's page layout: %w", err)
	}
	if at.row > 0 {
		if err := bw.f.InsertPageBreak(sheetBriefing, cellName(1, at.row)); err != nil {
			return pageBreak{}, fmt.Errorf("setting the briefing's page break: %w", err)
		}
	}
	return pageBreak{}, nil
}

// briefingLayout chooses the print scale and where page 2 starts (a zero
// pageBreak for a single page), from the rows' heights (rows 1 to last),
// the places a page may break, and the height of the chart below the last
// row. It takes the break that shares the content most evenly between the
// two pages; the title and the first section's heading stay on page 1.
func briefingLayout(heights map[int]float64, last int, breaks []pageBreak, chart float64) (float64, pageBreak) {
	width := 0.0
	for _, w := range briefingWidths {
		width += w
	}
	// A little room is kept on each side: the row heights are estimates.
	scale := min(1, 0.97*briefingPrintWidth/(width*pointsPerWidth))
	tall := 0.95 * briefingPrintHeight
	above := make(map[int]float64, last+1) // the height of the rows before each row
	total := 0.0
	for r := 1; r <= last; r++ {
		above[r] = total
		total += heights[r]
	}
	total += chart
	if total*scale <= tall {
		return scale, pageBreak{}
	}
	// When some break lets both pages print at the full scale, the one
	// that fills page 1 most is taken, a section's heading before a
	// place inside a list; otherwise the one that needs the least
	// shrinking, sharing the content most evenly.
	best, at := total, pageBreak{}
	fits := func(b pageBreak) bool {
		return max(above[b.row], total-above[b.row]+b.extra)*scale <= tall
	}
	var whole, inside *pageBreak
	for i, b := range breaks {
		if i == 0 && b.section == 0 {
			continue // the first section stays with the title
		}
		if fits(b) {
			if b.section <= 0 {
				whole = &breaks[i]
			} else {
				inside = &breaks[i]
			}
		}
		if tallest := max(above[b.row], total-above[b.row]+b.extra); tallest < best {
			best, at = tallest, b
		}
	}
	switch {
	case whole != nil:
		return scale, *whole
	case inside != nil:
		return scale, *inside
	}
	return max(min(scale, tall/best), 0.1), at
}
