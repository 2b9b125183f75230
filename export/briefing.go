package export

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"improvementtracker/model"
)

// BriefingOptions say which briefing to build.
type BriefingOptions struct {
	// AsAt is the date the briefing speaks for; zero means today by the
	// clock.
	AsAt model.Date
	// LeadID limits the briefing to one chief officer's portfolio; zero
	// means every finding.
	LeadID  model.ID
	Marking model.Marking
	// Now is the clock: it dates the workbook's properties, and gives the
	// as-at date when AsAt is zero. Zero means the computer's clock.
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
	// They add up to a page's width at full size (printWidth), so that
	// the briefing prints at 9 points or more.
	briefingWidths = []float64{19.5, 22, 19, 10.5, 10.5, 8, 9.5, 34.5}
	briefingWrap   = []bool{false, true, true, false, false, false, false, true}
	allWrap        = []bool{true, true, true, true, true, true, true, true}
)

// briefingChars caps the text of a briefing's columns (0: no cap). A
// briefing is read in minutes, on two pages at 8 points or more: an
// update's whole narrative in the reason column, or a long role in the
// lead's, would make each row a paragraph and the page print too small to
// read. The full text stays in the register and the return.
var briefingChars = []int{0, 50, 40, 0, 0, 0, 0, 120}

// changeChars caps the text of a change in the briefing.
const changeChars = 110

// shorten cuts text to at most limit characters at a word, ending it with
// "…".
func shorten(s string, limit int) string {
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)[:limit-1]
	if i := strings.LastIndexAny(string(r), " \n"); i > len(string(r))/2 {
		return strings.TrimRight(string(r)[:i], " ,;:.–-\n") + "…"
	}
	return string(r) + "…"
}

// Headers of the briefing's exceptions list, which is also what a recorded
// briefing keeps per row.
var briefingColumns = []column{
	{header: "Ref"}, {header: "Title"}, {header: "Delivery lead"}, {header: "RAG"},
	{header: "Current target"}, {header: "Days overdue"}, {header: "Revisions"}, {header: "Latest reason"},
}

// AsAtDate is the date the briefing speaks for: AsAt, or today by the
// clock. The source the briefing is built from is read as at this date.
func (o BriefingOptions) AsAtDate() model.Date {
	if !o.AsAt.IsZero() {
		return o.AsAt
	}
	return model.Today(clock(o.Now))
}

// BuildBriefing builds the chief officer briefing: exceptions first (red
// and overdue findings with the latest reason, slipped milestones, findings
// in the closure process, what changed since the last briefing), then the
// counts and a chart of open findings by area and RAG. src is read as at
// opts.AsAtDate().
func BuildBriefing(src Source, opts BriefingOptions) (*Workbook, error) {
	now := clock(opts.Now)
	asAt := opts.AsAtDate()
	if opts.Marking.Classification == "" {
		opts.Marking.Classification = model.Official
	}
	if err := checkMarking(opts.Marking); err != nil {
		return nil, err
	}
	if err := src.check(asAt); err != nil {
		return nil, fmt.Errorf("the briefing: %w", err)
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
	snap, subs := src.Snapshot, src.Submissions
	var err error
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
	if err := src.holdsNarrativesFrom(since.AddDays(1)); err != nil {
		return nil, fmt.Errorf("the briefing: %w", err)
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
	// The briefing may print smaller than the return's sheets (down to
	// 82%, its 10-point text at 8.2 points) to keep to two pages; its
	// header and footer are larger to stay above 8 points too.
	w.book.hfSize = 11
	bw := &briefingWriter{book: w.book, snap: snap, limit: limit}
	if err := bw.write(w, force, lead, sinceText, exceptions, changes); err != nil {
		return nil, err
	}
	split, err := bw.paginate()
	if err != nil {
		return nil, err
	}
	if split.section > 0 {
		// Page 2 is best started inside a list: the sheet is written
		// again with the list's column headings repeated there. It is a
		// page or two of cells, so writing it twice costs little.
		if err := w.Close(); err != nil {
			return nil, err
		}
		w.warn.reset()
		if w.book, err = newBook(opts.Marking, header, "As at "+asAt.String(), &w.warn); err != nil {
			return nil, err
		}
		w.book.hfSize = 11
		bw = &briefingWriter{book: w.book, snap: snap, limit: limit, split: split}
		if err := bw.write(w, force, lead, sinceText, exceptions, changes); err != nil {
			return nil, err
		}
		if _, err := bw.paginate(); err != nil {
			return nil, err
		}
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
	// heights are the heights set on the sheet's rows, in points; blocks
	// the rows where a page may break (the top of each section); chart
	// the height of the chart below the last row, in points. paginate
	// lays the pages out from them.
	heights map[int]float64
	breaks  []pageBreak
	chart   float64
	// lists counts the lists written so far; split, when set, is where
	// page 2 starts inside one, and splitRow the row its repeated column
	// headings went in.
	lists    int
	split    pageBreak
	splitRow int
}

// pageBreak is a row before which page 2 may start. Inside a list
// (section > 0) the list's column headings are repeated at the top of the
// page, taking extra points more.
type pageBreak struct {
	row            int
	extra          float64
	section, index int
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
	bw.heights = map[int]float64{1: 20}
	bw.row = 2
	title := "Chief officer briefing – " + force
	if lead != "" {
		title += " – " + lead
	}
	if err := bw.line(title, b.styles.title); err != nil {
		return err
	}
	// The figures are the model's, as the dashboard, the return's Summary
	// and the summary command give them, for the quarter of the as-at date.
	fig := bw.snap.FiguresOf(nil, model.QuarterOf(bw.snap.AsAt).FirstDay())
	slipped := bw.snap.SlippedMilestones()
	closing := bw.snap.ProposedForClosure()
	portfolio := "every chief officer's portfolio"
	if lead != "" {
		portfolio = "the portfolio of " + lead
	}
	// The summary line is wrapped across the page's width, so that a long
	// chief officer's title cannot push it past the printed edge.
	summary := fmt.Sprintf("As at %s, for %s: %d open (not yet closed), of which %d to act on and %d in closure; %d overdue; %d open and rated Red; %d slipped milestones. This quarter (from %s): %d closed, %d new, %d changed. Changes are listed %s.",
		bw.snap.AsAt, portfolio, fig.Open, fig.ToActOn, fig.InClosure, fig.Overdue, fig.Red, len(slipped),
		fig.PeriodStart, fig.Closed, fig.New, fig.Changed, sinceText)
	if err := bw.put(sheetBriefing, 1, bw.row, summary, b.styles.wrap, "briefing heading"); err != nil {
		return err
	}
	if err := b.merge(sheetBriefing, cellName(1, bw.row), cellName(briefingWidth, bw.row)); err != nil {
		return err
	}
	total := 0.0
	for _, w := range briefingWidths {
		total += w
	}
	if err := bw.fit(bw.row, []any{summary}, []float64{total}, []bool{true}); err != nil {
		return err
	}
	bw.row++
	bw.space()

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
	// Only findings whose closure was put to the inspectorate, each with
	// its date: one awaiting internal sign-off has not been proposed.
	rows = nil
	for _, f := range closing {
		rows = append(rows, []any{f.Ref, f.DisplayTitle(), bw.snap.PersonLabel(f.DeliveryLeadID), ragText(f.RAG),
			f.ClosureProposedDate, nil, nil, f.ClosureRationale})
	}
	if err := bw.section("Proposed for closure to the inspectorate", []column{{header: "Ref"}, {header: "Title"}, {header: "Delivery lead"},
		{header: "RAG"}, {header: "Proposed on"}, {header: ""}, {header: ""}, {header: "Rationale"}},
		rows, "No finding's closure is awaiting the inspectorate's agreement.", 3); err != nil {
		return err
	}
	if err := bw.pccSection(lead != ""); err != nil {
		return err
	}

	// 4. Changes.
	rows = nil
	for i := len(changes) - 1; i >= 0; i-- { // newest first
		c := changes[i]
		detail := c.what
		switch {
		case c.what == changeClosed:
			// "Closed: Closed (inspectorate agreed)" says it twice.
			detail = "Closure agreed by the inspectorate"
		case c.from != "" && c.to != "":
			detail += ": " + c.from + " → " + c.to
		case c.to != "":
			detail += ": " + c.to
		}
		if c.detail != "" {
			detail += ". " + c.detail
		}
		// What changed is read as a headline: the narrative behind it is
		// in the register and the return.
		rows = append(rows, []any{c.ref, c.title, c.by, nil, c.date, nil, nil, shorten(detail, changeChars)})
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
	return bw.counts(fig)
}

func (bw *briefingWriter) line(text string, style int) error {
	if err := bw.put(sheetBriefing, 1, bw.row, text, style, "briefing heading"); err != nil {
		return err
	}
	if style == bw.styles.title {
		bw.heights[bw.row] = titleRowHeight
	}
	bw.row++
	return nil
}

// fit sets a row's height to fit its wrapped text, one line at least, and
// keeps it for paginate.
func (bw *briefingWriter) fit(row int, values []any, widths []float64, wrap []bool) error {
	h := rowHeight(values, widths, wrap)
	if h == 0 {
		h = plainRowHeight
	}
	bw.heights[row] = h
	return bw.f.SetRowHeight(sheetBriefing, row, h)
}

// heading writes a section heading, ruled across the page, where the page
// may break.
func (bw *briefingWriter) heading(title string) error {
	b := bw.book
	bw.breaks = append(bw.breaks, pageBreak{row: bw.row})
	if err := bw.put(sheetBriefing, 1, bw.row, title, b.styles.sectionHead, title); err != nil {
		return err
	}
	if err := b.f.SetCellStyle(sheetBriefing, cellName(2, bw.row), cellName(briefingWidth, bw.row), b.styles.sectionHead); err != nil {
		return err
	}
	b.use(sheetBriefing, briefingWidth, bw.row)
	bw.heights[bw.row] = headingRowHeight
	bw.row++
	return nil
}

// section writes a heading, a header row and up to limit rows, then a line
// counting the rest. ragCol is the 0-based column coloured by RAG, or -1.
func (bw *briefingWriter) section(title string, cols []column, rows [][]any, none string, ragCol int) error {
	b := bw.book
	bw.lists++
	if err := bw.heading(title); err != nil {
		return err
	}
	if len(rows) == 0 {
		if err := bw.put(sheetBriefing, 1, bw.row, none, b.styles.none, ""); err != nil {
			return err
		}
		bw.row++
		bw.space()
		return nil
	}
	// A column without a header lends its room to the next column with
	// one: the two are merged, so that a list with fewer columns than the
	// page gives its text the width rather than leaving it empty.
	start := make([]int, len(cols))
	width := make([]float64, len(cols))
	run := 0
	for i, c := range cols {
		start[i] = run
		for j := run; j <= i; j++ {
			width[i] += briefingWidths[j]
		}
		if c.header != "" {
			run = i + 1
		}
	}
	// place writes the values of the columns with headers at their start,
	// merged over the columns they take.
	place := func(values []any, style func(i int, v any) int, where func(i int) string) error {
		for i, c := range cols {
			if c.header == "" {
				continue
			}
			if err := bw.put(sheetBriefing, start[i]+1, bw.row, values[i], style(i, values[i]), where(i)); err != nil {
				return err
			}
			if start[i] < i {
				if err := b.merge(sheetBriefing, cellName(start[i]+1, bw.row), cellName(i+1, bw.row)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = c.header
	}
	headings := func() error {
		err := place(head, func(int, any) int { return b.styles.header }, func(int) string { return "" })
		if err != nil {
			return err
		}
		if err := bw.fit(bw.row, head, boldWidths(width), allWrap); err != nil {
			return err
		}
		bw.row++
		return nil
	}
	if err := headings(); err != nil {
		return err
	}
	headHeight := bw.heights[bw.row-1]
	for n, r := range rows {
		// Page 2 may start inside a list, but never after its first row
		// nor before its last: a row alone under its heading, or alone on
		// the next page, reads as a list of one.
		if n > 1 && n < bw.limit && n < len(rows)-1 {
			bw.breaks = append(bw.breaks, pageBreak{row: bw.row, extra: headingRowHeight + headHeight, section: bw.lists, index: n})
		}
		if bw.split.section == bw.lists && bw.split.index == n {
			// Page 2 opens with the list's heading, marked as continued,
			// and its column headings.
			bw.splitRow = bw.row
			if err := bw.put(sheetBriefing, 1, bw.row, title+" (continued)", b.styles.sectionHead, title); err != nil {
				return err
			}
			if err := b.f.SetCellStyle(sheetBriefing, cellName(2, bw.row), cellName(briefingWidth, bw.row), b.styles.sectionHead); err != nil {
				return err
			}
			b.use(sheetBriefing, briefingWidth, bw.row)
			bw.heights[bw.row] = headingRowHeight
			bw.row++
			if err := headings(); err != nil {
				return err
			}
		}
		if n == bw.limit {
			more := len(rows) - n
			if err := bw.put(sheetBriefing, 1, bw.row, fmt.Sprintf("…and %d more: see the register.", more), b.styles.none, ""); err != nil {
				return err
			}
			bw.row++
			break
		}
		ref, _ := r[0].(string)
		shown := make([]any, len(r))
		wrap := make([]bool, len(r))
		for i, v := range r {
			if text, ok := v.(string); ok && briefingChars[i] > 0 {
				v = shorten(text, briefingChars[i])
			}
			shown[i] = v
			wrap[i] = briefingWrap[i] || start[i] < i
		}
		style := func(i int, v any) int {
			_, number := v.(int)
			_, date := v.(model.Date)
			switch {
			case date:
				return 0 // a date cell's own style
			case number:
				return b.styles.numberMid
			case i == ragCol:
				if s, ok := b.styles.ragFill[model.RAG(fmt.Sprint(v))]; ok {
					return s
				}
			case wrap[i]:
				return b.styles.wrap
			}
			return 0
		}
		if err := place(shown, style, func(i int) string { return ref + " " + strings.ToLower(cols[i].header) }); err != nil {
			return err
		}
		if err := bw.fit(bw.row, shown, width, wrap); err != nil {
			return err
		}
		bw.row++
	}
	bw.space()
	return nil
}

// space leaves a thin empty row between sections: a full line each time
// would cost the briefing the room of a row of its lists.
func (bw *briefingWriter) space() {
	bw.heights[bw.row] = spaceRowHeight
	bw.row++
}
