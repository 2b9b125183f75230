package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

// Labels of the Summary sheet's key figures, which tests and readers look
// up by name.
const (
	FigureOnReturn      = "Findings on the Return sheet"
	FigureOpen          = "Open at the as-at date"
	FigureClosed        = "Closed this period"
	FigureOverdue       = "Overdue at the as-at date"
	FigureNew           = "New findings this period"
	FigureRevised       = "Target dates revised this period"
	summaryTotal        = "Total"
	summaryNotRated     = "Not rated"
	summaryWidth        = 10
	summaryFirstColWide = 34
	summaryColWide      = 11
)

// writeSummary writes the counts of the findings on the Return sheet. Each
// block counts every finding once, so its total equals the Return's rows.
func writeSummary(b *book, s *model.Snapshot, keep func(model.Finding) bool, changes []change, period model.Quarter, asAt, today model.Date, force string) error {
	const sheet = SheetSummary
	if err := b.addSheet(sheet); err != nil {
		return err
	}
	if err := b.pageSetup(sheet, 0, 0); err != nil {
		return err
	}
	c := s.Count(keep)
	closed := 0
	for _, f := range s.Findings {
		if keep(f) && f.Status.IsFinal() {
			closed++
		}
	}
	newCount, revised := 0, 0
	for _, ch := range changes {
		switch ch.what {
		case changeNew:
			newCount++
		case changeTarget:
			revised++
		}
	}

	if err := b.writeMarking(sheet, summaryWidth); err != nil {
		return err
	}
	if err := b.colWidth(sheet, 1, 1, summaryFirstColWide); err != nil {
		return err
	}
	if err := b.colWidth(sheet, 2, summaryWidth, summaryColWide); err != nil {
		return err
	}
	row := 2
	if err := b.put(sheet, 1, row, fmt.Sprintf("%s – progress return %s", force, period), b.styles.title, "title"); err != nil {
		return err
	}
	row++
	// Lines of text wrap across the page's width, so that none of it is
	// lost past the printed edge.
	across := func(text string, style int, where string) error {
		if err := b.put(sheet, 1, row, text, style, where); err != nil {
			return err
		}
		if err := b.merge(sheet, cellName(1, row), cellName(summaryWidth, row)); err != nil {
			return err
		}
		if err := b.fitRow(sheet, row, []any{text}, []float64{summaryFirstColWide + (summaryWidth-1)*summaryColWide}, []bool{true}); err != nil {
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
	row++

	section := func(title string) error {
		if err := b.put(sheet, 1, row, title, b.styles.sectionHead, title); err != nil {
			return err
		}
		row++
		return nil
	}
	headerRow := func(cells ...string) error {
		values := make([]any, len(cells))
		widths := make([]float64, len(cells))
		wrap := make([]bool, len(cells))
		for i, h := range cells {
			if err := b.put(sheet, i+1, row, h, b.styles.header, h); err != nil {
				return err
			}
			values[i], widths[i], wrap[i] = h, summaryColWide, true
		}
		widths[0] = summaryFirstColWide
		if err := b.fitRow(sheet, row, values, boldWidths(widths), wrap); err != nil {
			return err
		}
		row++
		return nil
	}

	if err := section("Key figures"); err != nil {
		return err
	}
	for _, kv := range []struct {
		label string
		n     int
	}{
		{FigureOnReturn, c.Total}, {FigureOpen, c.Total - closed}, {FigureClosed, closed},
		{FigureOverdue, c.Overdue}, {FigureNew, newCount}, {FigureRevised, revised},
	} {
		if err := b.put(sheet, 1, row, kv.label, b.styles.text, kv.label); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, kv.n, b.styles.bold, ""); err != nil {
			return err
		}
		row++
	}
	row++

	// By type and status.
	if err := section("Findings by type and status"); err != nil {
		return err
	}
	var statuses []model.Status
	for _, st := range model.Statuses {
		if n := c.ByStatus[st]; n > 0 || !st.IsFinal() || st == model.Closed {
			statuses = append(statuses, st)
		}
	}
	head := []string{"Type"}
	for _, st := range statuses {
		head = append(head, string(st))
	}
	head = append(head, summaryTotal)
	if err := headerRow(head...); err != nil {
		return err
	}
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
	row += 2

	// By area, with RAG.
	if err := section("Findings by area and RAG"); err != nil {
		return err
	}
	rags := append(append([]model.RAG{}, model.RAGs...), "")
	head = []string{"Area"}
	for _, r := range rags {
		head = append(head, ragText(r))
	}
	head = append(head, summaryTotal)
	if err := headerRow(head...); err != nil {
		return err
	}
	ragTotals := make([]int, len(rags))
	for _, area := range c.Areas() {
		if err := b.put(sheet, 1, row, area, b.styles.wrap, "area "+area); err != nil {
			return err
		}
		// A long area name wraps rather than being cut off by the counts.
		if err := b.fitRow(sheet, row, []any{area}, []float64{summaryFirstColWide}, []bool{true}); err != nil {
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
	row += 2

	// By RAG.
	if err := section("Findings by RAG"); err != nil {
		return err
	}
	if err := headerRow("RAG", "Findings"); err != nil {
		return err
	}
	for _, r := range rags {
		style := b.styles.text
		if id, ok := b.styles.ragFill[r]; ok {
			style = id
		}
		if err := b.put(sheet, 1, row, ragText(r), style, ""); err != nil {
			return err
		}
		if err := b.put(sheet, 2, row, c.ByRAG[r], b.styles.number, ""); err != nil {
			return err
		}
		row++
	}
	if err := b.put(sheet, 1, row, summaryTotal, b.styles.total, ""); err != nil {
		return err
	}
	return b.put(sheet, 2, row, c.Total, b.styles.totalNum, "")
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
