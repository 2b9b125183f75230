package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/model"
)

// BriefingOptions say which briefing to build.
type BriefingOptions struct {
	// AsAt is the date the briefing speaks for; zero means today by the
	// store's clock.
	AsAt model.Date
	// LeadID limits the briefing to one chief officer's portfolio; zero
	// means every finding.
	LeadID  model.ID
	Marking model.Marking
	// Now dates the workbook's properties; zero means the store's clock.
	Now time.Time
	// Limit caps the rows of each list, so that the briefing stays short
	// (one or two pages); the rest is counted in a closing line. Zero
	// means DefaultBriefingLimit.
	Limit    int
	Progress func(step string)
}

// DefaultBriefingLimit is how many rows each list of a briefing shows.
const DefaultBriefingLimit = 12

// briefingWidth is the number of columns the briefing uses, and
// briefingWidths their widths: on a landscape A4 page.
const briefingWidth = 8

var (
	briefingWidths = []float64{24, 40, 24, 9, 12, 9, 9, 52}
	briefingWrap   = []bool{false, true, true, false, false, false, false, true}
	allWrap        = []bool{true, true, true, true, true, true, true, true}
)

// Headers of the briefing's exceptions list, which is also what a recorded
// briefing keeps per row.
var briefingColumns = []column{
	{header: "Ref"}, {header: "Title"}, {header: "Delivery lead"}, {header: "RAG"},
	{header: "Current target"}, {header: "Days overdue"}, {header: "Revisions"}, {header: "Latest reason"},
}

// BuildBriefing builds the chief officer briefing: exceptions first (red
// and overdue findings with the latest reason, slipped milestones, findings
// in the closure process, what changed since the last briefing), then the
// counts and a chart of open findings by area and RAG.
func BuildBriefing(s model.Store, opts BriefingOptions) (*Workbook, error) {
	now := opts.Now
	if now.IsZero() {
		now = s.Now()
	}
	asAt := opts.AsAt
	if asAt.IsZero() {
		asAt = model.Today(s.Now())
	}
	if opts.Marking.Classification == "" {
		opts.Marking.Classification = model.Official
	}
	limit := opts.Limit
	if limit <= 0 {
		limit = DefaultBriefingLimit
	}
	step := func(s string) {
		if opts.Progress != nil {
			opts.Progress(s)
		}
	}

	step("Reading the register as at " + asAt.String())
	var snap *model.Snapshot
	var subs []model.Submission
	err := s.View(func(tx model.ReadTx) error {
		var err error
		if snap, err = model.TakeSnapshot(tx, asAt); err != nil {
			return err
		}
		subs, err = tx.Submissions()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("reading the register for the briefing: %w", err)
	}
	lead := ""
	if opts.LeadID != 0 {
		p, ok := snap.People[opts.LeadID]
		if !ok {
			return nil, fmt.Errorf("no chief officer #%d in the register", opts.LeadID)
		}
		lead = p.Label()
	}
	snap = snap.Filter(func(f model.Finding) bool {
		return f.Type.Tracked() && (opts.LeadID == 0 || f.ChiefOfficerID == opts.LeadID)
	})
	force := forceName(snap.Settings)

	since := asAt.AddDays(-30)
	sinceText := fmt.Sprintf("in the 30 days to %s, as no earlier briefing is recorded", asAt)
	if last := lastSubmission(subs, model.SubmissionBriefing, asAt, lead); last != nil {
		since = last.AsAt
		sinceText = fmt.Sprintf("since the last briefing, as at %s", last.AsAt)
	}
	changes := changesBetween(snap, since.AddDays(1), asAt, nil)

	w := &Workbook{Kind: model.SubmissionBriefing, Period: model.QuarterOf(asAt), AsAt: asAt, Marking: opts.Marking,
		Force: force, Filter: lead, cols: briefingColumns}
	exceptions := snap.Exceptions()
	for _, e := range exceptions {
		w.rows = append(w.rows, exceptionRow(snap, e))
		w.refs = append(w.refs, e.Finding.Ref)
	}

	step("Writing the workbook")
	header := force + " – chief officer briefing"
	if lead != "" {
		header += " – " + lead
	}
	w.book, err = newBook(opts.Marking, header, "As at "+asAt.String(), &w.warn)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = w.Close()
		}
	}()
	bw := &briefingWriter{book: w.book, snap: snap, limit: limit, row: 1}
	if err := bw.write(w, force, lead, sinceText, exceptions, changes); err != nil {
		return nil, err
	}
	title := "Chief officer briefing – " + force
	if lead != "" {
		title += " – " + lead
	}
	if err := w.book.setProps(title, "HMICFRS inspection findings: exceptions and progress, as at "+asAt.String(),
		creator(snap.Settings), now, w.customProps()); err != nil {
		return nil, err
	}
	w.Warnings = w.warn.all()
	ok = true
	return w, nil
}

func exceptionRow(s *model.Snapshot, e model.OverdueItem) []any {
	var days any
	if e.DaysOverdue > 0 {
		days = e.DaysOverdue
	}
	return []any{e.Finding.Ref, e.Finding.DisplayTitle(), s.PersonLabel(e.Finding.DeliveryLeadID), ragText(e.Finding.RAG),
		e.Finding.CurrentTarget, days, e.Revisions, e.Reason}
}

// briefingWriter lays out the briefing sheet from the top down.
type briefingWriter struct {
	*book
	snap  *model.Snapshot
	limit int
	row   int
}

const sheetBriefing = SheetBriefing

func (bw *briefingWriter) write(w *Workbook, force, lead, sinceText string, exceptions []model.OverdueItem, changes []change) error {
	b := bw.book
	if err := b.addSheet(sheetBriefing); err != nil {
		return err
	}
	if err := b.pageSetup(sheetBriefing, 0, 2); err != nil {
		return err
	}
	for i, width := range briefingWidths {
		if err := b.colWidth(sheetBriefing, i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := b.writeMarking(sheetBriefing, briefingWidth); err != nil {
		return err
	}
	bw.row = 2
	title := "Chief officer briefing – " + force
	if lead != "" {
		title += " – " + lead
	}
	if err := bw.line(title, b.styles.title); err != nil {
		return err
	}
	counts := bw.snap.Count(func(f model.Finding) bool { return !f.Status.IsFinal() })
	slipped := bw.snap.SlippedMilestones()
	closing := bw.snap.ProposedForClosure()
	portfolio := "every chief officer's portfolio"
	if lead != "" {
		portfolio = "the portfolio of " + lead
	}
	if err := bw.line(fmt.Sprintf("As at %s, for %s: %d open findings, %d red, %d overdue, %d slipped milestones, %d in the closure process. Changes are listed %s.",
		bw.snap.AsAt, portfolio, counts.Total, counts.ByRAG[model.Red], counts.Overdue, len(slipped), len(closing), sinceText), b.styles.caption); err != nil {
		return err
	}
	bw.row++

	// 1. Red and overdue.
	var rows [][]any
	for i := range exceptions {
		rows = append(rows, w.rows[i])
	}
	if err := bw.section("Red and overdue findings", briefingColumns, rows, "No open finding is red or overdue.", 3); err != nil {
		return err
	}

	// 2. Slipped milestones.
	rows = nil
	for _, sm := range slipped {
		var days any
		if sm.DaysOverdue > 0 {
			days = sm.DaysOverdue
		}
		rows = append(rows, []any{sm.Finding.Ref, sm.Milestone.Title, bw.snap.PersonLabel(sm.Milestone.OwnerID),
			sm.Milestone.OriginalDue, sm.Milestone.CurrentDue, days, sm.Revisions, sm.Reason})
	}
	if err := bw.section("Slipped milestones", []column{{header: "Ref"}, {header: "Milestone"}, {header: "Owner"},
		{header: "Original due"}, {header: "Current due"}, {header: "Days overdue"}, {header: "Revisions"}, {header: "Reason"}},
		rows, "No milestone has slipped.", -1); err != nil {
		return err
	}

	// 3. Closure.
	rows = nil
	for _, f := range closing {
		rows = append(rows, []any{f.Ref, f.DisplayTitle(), bw.snap.PersonLabel(f.DeliveryLeadID), ragText(f.RAG),
			f.ClosureProposedDate, nil, nil, string(f.Status) + ". " + f.ClosureRationale})
	}
	if err := bw.section("Proposed for closure", []column{{header: "Ref"}, {header: "Title"}, {header: "Delivery lead"},
		{header: "RAG"}, {header: "Proposed"}, {header: ""}, {header: ""}, {header: "Status and rationale"}},
		rows, "Nothing is awaiting sign-off or the inspectorate's agreement.", 3); err != nil {
		return err
	}

	// 4. Changes.
	rows = nil
	for i := len(changes) - 1; i >= 0; i-- { // newest first
		c := changes[i]
		detail := c.what
		switch {
		case c.from != "" && c.to != "":
			detail += ": " + c.from + " → " + c.to
		case c.to != "":
			detail += ": " + c.to
		}
		if c.detail != "" {
			detail += ". " + c.detail
		}
		rows = append(rows, []any{c.ref, c.title, c.by, nil, c.date, nil, nil, detail})
	}
	heading := "Changes since the last briefing"
	if strings.HasPrefix(sinceText, "in ") {
		heading = "Changes in the last 30 days"
	}
	if err := bw.section(heading, []column{{header: "Ref"}, {header: "Title"}, {header: "By"},
		{header: ""}, {header: "Date"}, {header: ""}, {header: ""}, {header: "What changed"}},
		rows, "Nothing has changed.", -1); err != nil {
		return err
	}

	// 5. Counts and the chart.
	return bw.counts(counts)
}

func (bw *briefingWriter) line(text string, style int) error {
	if err := bw.put(sheetBriefing, 1, bw.row, text, style, "briefing heading"); err != nil {
		return err
	}
	bw.row++
	return nil
}

// section writes a heading, a header row and up to limit rows, then a line
// counting the rest. ragCol is the 0-based column coloured by RAG, or -1.
func (bw *briefingWriter) section(title string, cols []column, rows [][]any, none string, ragCol int) error {
	b := bw.book
	if err := bw.put(sheetBriefing, 1, bw.row, title, b.styles.sectionHead, title); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheetBriefing, cellName(2, bw.row), cellName(briefingWidth, bw.row), b.styles.sectionHead); err != nil {
		return err
	}
	bw.row++
	if len(rows) == 0 {
		if err := bw.put(sheetBriefing, 1, bw.row, none, b.styles.note, ""); err != nil {
			return err
		}
		bw.row += 2
		return nil
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c.header
		if err := bw.put(sheetBriefing, i+1, bw.row, c.header, b.styles.header, ""); err != nil {
			return err
		}
	}
	if err := b.fitRow(sheetBriefing, bw.row, head, briefingWidths, allWrap); err != nil {
		return err
	}
	bw.row++
	for n, r := range rows {
		if n == bw.limit {
			more := len(rows) - n
			if err := bw.put(sheetBriefing, 1, bw.row, fmt.Sprintf("…and %d more: see the register.", more), b.styles.note, ""); err != nil {
				return err
			}
			bw.row++
			break
		}
		ref, _ := r[0].(string)
		for i, v := range r {
			style := 0
			_, number := v.(int)
			switch {
			case number:
				style = b.styles.numberMid
			case i == ragCol:
				if s, ok := b.styles.ragFill[model.RAG(fmt.Sprint(v))]; ok {
					style = s
				}
			case i == 1 || i == 2 || i == 7:
				style = b.styles.wrap
			}
			if err := bw.put(sheetBriefing, i+1, bw.row, v, style, ref+" "+strings.ToLower(cols[i].header)); err != nil {
				return err
			}
		}
		if err := b.fitRow(sheetBriefing, bw.row, r, briefingWidths, briefingWrap); err != nil {
			return err
		}
		bw.row++
	}
	bw.row++
	return nil
}

// counts writes open findings by status and by area and RAG, and a
// stacked bar chart of the latter.
func (bw *briefingWriter) counts(c model.Counts) error {
	b := bw.book
	// A manual break before the counts and chart. Printing fitted to two
	// pages tall, Excel and LibreOffice ignore it and break where the
	// scale puts the page end; it takes effect when a reader prints at a
	// set scale instead, and keeps the chart whole then.
	if err := b.f.InsertPageBreak(sheetBriefing, cellName(1, bw.row)); err != nil {
		return err
	}
	if err := bw.put(sheetBriefing, 1, bw.row, "Open findings", b.styles.sectionHead, ""); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheetBriefing, cellName(2, bw.row), cellName(briefingWidth, bw.row), b.styles.sectionHead); err != nil {
		return err
	}
	bw.row++
	// By status, in two columns to save height.
	if err := bw.put(sheetBriefing, 1, bw.row, "Status", b.styles.header, ""); err != nil {
		return err
	}
	if err := bw.put(sheetBriefing, 2, bw.row, "Findings", b.styles.header, ""); err != nil {
		return err
	}
	bw.row++
	for _, st := range model.Statuses {
		if st.IsFinal() {
			continue
		}
		if err := bw.put(sheetBriefing, 1, bw.row, string(st), b.styles.wrap, ""); err != nil {
			return err
		}
		if err := b.fitRow(sheetBriefing, bw.row, []any{string(st)}, briefingWidths, allWrap); err != nil {
			return err
		}
		if err := bw.put(sheetBriefing, 2, bw.row, c.ByStatus[st], b.styles.numberMid, ""); err != nil {
			return err
		}
		bw.row++
	}
	if err := bw.put(sheetBriefing, 1, bw.row, summaryTotal, b.styles.total, ""); err != nil {
		return err
	}
	if err := bw.put(sheetBriefing, 2, bw.row, c.Total, b.styles.totalNum, ""); err != nil {
		return err
	}
	bw.row += 2

	// By area and RAG: the chart's data.
	rags := append(append([]model.RAG{}, model.RAGs...), "")
	head := bw.row
	if err := bw.put(sheetBriefing, 1, head, "Area", b.styles.header, ""); err != nil {
		return err
	}
	for i, r := range rags {
		if err := bw.put(sheetBriefing, i+2, head, ragText(r), b.styles.header, ""); err != nil {
			return err
		}
	}
	if err := bw.put(sheetBriefing, len(rags)+2, head, summaryTotal, b.styles.header, ""); err != nil {
		return err
	}
	bw.row++
	areas := c.Areas()
	sort.Strings(areas)
	for _, a := range areas {
		if err := bw.put(sheetBriefing, 1, bw.row, a, b.styles.wrap, "area "+a); err != nil {
			return err
		}
		if err := b.fitRow(sheetBriefing, bw.row, []any{a}, briefingWidths, allWrap); err != nil {
			return err
		}
		for i, r := range rags {
			if err := bw.put(sheetBriefing, i+2, bw.row, c.ByAreaRAG[a][r], b.styles.numberMid, ""); err != nil {
				return err
			}
		}
		if err := bw.put(sheetBriefing, len(rags)+2, bw.row, c.ByArea[a], b.styles.bold, ""); err != nil {
			return err
		}
		bw.row++
	}
	if len(areas) == 0 {
		return bw.put(sheetBriefing, 1, bw.row, "There are no open findings to chart.", b.styles.note, "")
	}
	first, last := head+1, bw.row-1
	bw.row++

	sheet := quoteSheet(sheetBriefing)
	var series []excelize.ChartSeries
	for i, r := range rags {
		col, _ := excelize.ColumnNumberToName(i + 2)
		colour := "A6A6A6" // not rated
		if c, ok := ragColours[r]; ok {
			colour = c[0]
		}
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", sheet, col, head),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheet, first, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, col, first, col, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		})
	}
	height := uint(120 + 28*len(areas))
	if err := b.f.AddChart(sheetBriefing, cellName(1, bw.row), &excelize.Chart{
		Type:      excelize.BarStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Open findings by area and RAG"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 900, Height: max(height, 260)},
		Format:    excelize.GraphicOptions{OffsetX: 4, OffsetY: 4},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Color: "404040", Size: 9}},
		XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Color: "000000", Size: 9}},
	}); err != nil {
		return fmt.Errorf("adding the chart: %w", err)
	}
	return nil
}

// ChiefOfficers lists the people who lead at least one finding as chief
// officer, for the briefing's filter.
func ChiefOfficers(tx model.ReadTx) ([]model.Person, error) {
	fs, err := tx.Findings()
	if err != nil {
		return nil, err
	}
	leads := map[model.ID]bool{}
	for _, f := range fs {
		if f.ChiefOfficerID != 0 {
			leads[f.ChiefOfficerID] = true
		}
	}
	people, err := tx.People()
	if err != nil {
		return nil, err
	}
	var out []model.Person
	for _, p := range people {
		if leads[p.ID] {
			out = append(out, p)
		}
	}
	return out, nil
}

// FindLead picks the chief officer a person typed: by name, role or label,
// in any case, or by a unique part of one. The usual abbreviations of
// chief officer ranks are understood: "ACC Crime" finds "Assistant Chief
// Constable (Crime)".
func FindLead(leads []model.Person, name string) (model.Person, error) {
	want := leadWords(name)
	var partial []model.Person
	for _, p := range leads {
		for _, s := range []string{p.Name, p.Role, p.Label()} {
			if want != "" && leadWords(s) == want {
				return p, nil
			}
		}
		if want != "" && strings.Contains(leadWords(p.Label()), want) {
			partial = append(partial, p)
		}
	}
	if len(partial) == 1 {
		return partial[0], nil
	}
	var names []string
	for _, p := range leads {
		names = append(names, p.Label())
	}
	if len(partial) > 1 {
		return model.Person{}, fmt.Errorf("%q matches more than one chief officer; choose one of: %s", name, strings.Join(names, "; "))
	}
	return model.Person{}, fmt.Errorf("%q does not lead any finding; chief officer leads are: %s", name, strings.Join(names, "; "))
}

// rankWords expands the abbreviations of chief officer ranks.
var rankWords = map[string]string{
	"acc":   "assistant chief constable",
	"dcc":   "deputy chief constable",
	"cc":    "chief constable",
	"t/acc": "temporary assistant chief constable",
}

// leadWords folds a name for matching: lower case, punctuation dropped,
// ranks spelt out.
func leadWords(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '(', ')', ',', '.', ':':
			return ' '
		}
		return r
	}, strings.ToLower(s))
	words := strings.Fields(s)
	for i, w := range words {
		if full, ok := rankWords[w]; ok {
			words[i] = full
		}
	}
	return strings.Join(words, " ")
}
