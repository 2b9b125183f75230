package export

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// Sheet names of the progress return.
const (
	SheetSummary      = "Summary"
	SheetReturn       = "Return"
	SheetMilestones   = "Milestones"
	SheetChanges      = "Changes this period"
	SheetSinceLast    = "Changes since last return"
	SheetKey          = "Key"
	SheetBriefing     = "Briefing"
	wordingMissingMsg = "[wording missing from the source text: check the published report]"
)

// The columns of the Return sheet: every column domain.md lists, with
// "Next milestone and due date" and "Last updated and by whom" each split
// in two so that their dates are real date cells that sort and filter.
const (
	ColRef                  = "Ref"
	ColInspectorateRef      = "Inspectorate ref"
	ColType                 = "Type"
	ColReport               = "Report"
	ColPublished            = "Published"
	ColArea                 = "Area"
	ColGrade                = "Grade"
	ColTitle                = "Title"
	ColFinding              = "Finding (verbatim)"
	ColChiefOfficer         = "Chief officer lead"
	ColDeliveryLead         = "Delivery lead"
	ColOriginalTarget       = "Original target"
	ColCurrentTarget        = "Current target"
	ColRevisions            = "Revisions"
	ColStatus               = "Status"
	ColRAG                  = "RAG"
	ColDaysOverdue          = "Days overdue"
	ColProgress             = "Progress this period"
	ColNextMilestone        = "Next milestone"
	ColNextMilestoneDue     = "Next milestone due"
	ColEvidence             = "Evidence"
	ColClosureProposed      = "Closure proposed"
	ColClosureRationale     = "Closure rationale"
	ColClosed               = "Closure agreed"
	ColInspectoratePosition = "Inspectorate position"
	ColLastUpdated          = "Last updated"
	ColLastUpdatedBy        = "Last updated by"
)

func statusList() []string {
	out := make([]string, len(model.Statuses))
	for i, s := range model.Statuses {
		out[i] = string(s)
	}
	return out
}

func ragList() []string {
	out := make([]string, len(model.RAGs))
	for i, r := range model.RAGs {
		out[i] = string(r)
	}
	return out
}

// returnColumns are the Return sheet's columns in order. The first
// returnPrinted are the ones a reader of the paper return needs to follow
// each finding on one line; they come first so that they can be printed on
// their own, large enough to read. The rest are for the screen and for
// analysts; their text prints in full on the Finding details sheet.
var returnColumns = []column{
	{header: ColRef, kind: textCol, max: 22},
	{header: ColTitle, kind: wrapCol, max: 26},
	{header: ColChiefOfficer, kind: wrapCol, max: 16},
	{header: ColStatus, kind: wrapCol, max: 14, list: statusList()},
	{header: ColRAG, kind: textCol, max: 8, list: ragList(), rag: true},
	{header: ColCurrentTarget, kind: dateCol},
	{header: ColDaysOverdue, kind: numberCol},
	{header: ColRevisions, kind: numberCol},
	{header: ColNextMilestone, kind: wrapCol, max: 22},
	{header: ColNextMilestoneDue, kind: dateCol},

	{header: ColInspectorateRef, kind: wrapCol, max: 16},
	{header: ColType, kind: textCol, max: 18},
	{header: ColReport, kind: wrapCol, max: 22},
	{header: ColPublished, kind: dateCol},
	{header: ColArea, kind: wrapCol, max: 22},
	{header: ColGrade, kind: wrapCol, max: 14},
	{header: ColFinding, kind: wrapCol, max: 50},
	{header: ColDeliveryLead, kind: wrapCol, max: 22},
	{header: ColOriginalTarget, kind: dateCol},
	{header: ColProgress, kind: wrapCol, max: 50},
	{header: ColEvidence, kind: wrapCol, max: 36},
	{header: ColClosureProposed, kind: dateCol},
	{header: ColClosureRationale, kind: wrapCol, max: 40},
	{header: ColClosed, kind: dateCol},
	{header: ColInspectoratePosition, kind: wrapCol, max: 30},
	{header: ColLastUpdated, kind: dateCol},
	{header: ColLastUpdatedBy, kind: wrapCol, max: 24},
}

// returnPrinted is how many of returnColumns are printed.
const returnPrinted = 10

// ReturnHeaders lists the Return sheet's column headers in order.
func ReturnHeaders() []string {
	out := make([]string, len(returnColumns))
	for i, c := range returnColumns {
		out[i] = c.header
	}
	return out
}

// compareIgnored are the Return columns left out of "Changes since last
// return": they move every quarter by their nature, so listing them would
// bury the changes that matter.
var compareIgnored = map[string]bool{
	ColProgress: true, ColDaysOverdue: true, ColLastUpdated: true, ColLastUpdatedBy: true,
}

// ReturnOptions say which return to build.
type ReturnOptions struct {
	Period model.Quarter
	// AsAt is the date the return speaks for; zero means the period's last
	// day.
	AsAt    model.Date
	Marking model.Marking
	// Now is the clock: it dates the workbook's properties and tells
	// whether the as-at date has come yet. Zero means the computer's clock.
	Now time.Time
	// Progress, when set, is told each step as the export reaches it.
	Progress func(step string)

	// record, when set, receives a description of the workbook, for the
	// export benchmark's peer.
	record *recording
}

func (o ReturnOptions) step(s string) {
	if o.Progress != nil {
		o.Progress(s)
	}
}

// AsAtDate is the date the return speaks for: AsAt, or the period's last
// day. The source the return is built from is read as at this date.
func (o ReturnOptions) AsAtDate() model.Date {
	if !o.AsAt.IsZero() || o.Period.IsZero() {
		return o.AsAt
	}
	return o.Period.AsAt()
}

// stepWriting is the progress step at which the rows are ready and the
// workbook is written.
const stepWriting = "Writing the workbook"

// ErrNoPeriod is returned when a return is asked for without a period.
var ErrNoPeriod = errors.New("choose the quarter the return is for, like Q3 2025/26")

// BuildReturn builds the quarterly progress return from the register as it
// stood at the as-at date: src is read as at opts.AsAtDate(). The caller
// saves it and then closes it.
func BuildReturn(src Source, opts ReturnOptions) (*Workbook, error) {
	if opts.Period.IsZero() {
		return nil, ErrNoPeriod
	}
	asAt := opts.AsAtDate()
	if asAt.Before(opts.Period.FirstDay()) {
		return nil, fmt.Errorf("the as-at date %s is before %s begins (%s)", asAt, opts.Period, opts.Period.FirstDay())
	}
	if opts.Marking.Classification == "" {
		opts.Marking.Classification = model.Official
	}
	if err := checkMarking(opts.Marking); err != nil {
		return nil, err
	}
	if err := src.check(asAt); err != nil {
		return nil, fmt.Errorf("the %s return: %w", opts.Period, err)
	}
	if err := src.holdsNarrativesFrom(opts.Period.FirstDay()); err != nil {
		return nil, fmt.Errorf("the %s return: %w", opts.Period, err)
	}
	now := clock(opts.Now)
	snap := src.Snapshot
	last := lastSubmission(src.Submissions, model.SubmissionReturn, asAt, "")
	var err error

	force, author := forceName(snap.Settings), creator(snap.Settings)
	w := &Workbook{
		Kind: model.SubmissionReturn, Period: opts.Period, AsAt: asAt, Marking: opts.Marking,
		Force: force, cols: returnColumns,
	}
	first := opts.Period.FirstDay()
	today := model.Today(now)
	if asAt.After(today) {
		// A return for the quarter under way defaults to its last day,
		// which has not come yet: say so, or the reader takes targets
		// that fall due before then for ones already missed.
		w.warn.add("The as-at date %s has not come yet: the return shows the register as it stands today (%s), with days overdue counted to %s. Export it again on or after %s for the figures to send.",
			asAt, today, asAt, asAt)
	}

	opts.step("Preparing the rows")
	var inReturn []model.Finding
	onReturn := map[model.ID]bool{}
	for _, f := range snap.Findings {
		if !f.Type.Tracked() {
			continue
		}
		// The rows are the findings the model's figures count: open, or
		// closed in the period.
		if !snap.InViewOf(f, first) {
			continue
		}
		inReturn = append(inReturn, f)
		onReturn[f.ID] = true
	}
	keep := func(f model.Finding) bool { return onReturn[f.ID] }
	// The milestones' rows and the changes only read the snapshot, so
	// they are prepared beside the Return's rows and the details drawn
	// from them.
	var msRows [][]any
	var msRefs []string
	var changes []change
	var detailRows [][]any
	var detailRefs []string
	var detailBreaks []int
	if err := parallel.Run(parallel.Fault("preparing the "+opts.Period.String()+" return"),
		func() error {
			// Sized for every milestone: most belong to findings on the return.
			msRows = make([][]any, 0, len(snap.Milestones))
			msRefs = make([]string, 0, len(snap.Milestones))
			for _, m := range snap.Milestones {
				if !onReturn[m.FindingID] {
					continue
				}
				f, _ := snap.Finding(m.FindingID)
				msRows = append(msRows, milestoneRow(snap, f, m))
				msRefs = append(msRefs, f.Ref)
			}
			return nil
		},
		func() error { changes = changesBetween(snap, first, asAt, keep); return nil },
		func() error {
			w.rows = make([][]any, len(inReturn))
			w.refs = make([]string, 0, len(inReturn))
			for i, f := range inReturn {
				w.rows[i] = returnRow(snap, f, first, asAt)
				w.refs = append(w.refs, f.Ref)
			}
			detailRows, detailRefs, detailBreaks = details(w.rows)
			return nil
		}); err != nil {
		return nil, err
	}

	opts.step(stepWriting)
	w.book, err = newBook(opts.Marking, force+" – progress return", opts.Period.String()+" – as at "+asAt.String(), &w.warn)
	if err != nil {
		return nil, err
	}
	w.book.rec = opts.record
	ok := false
	defer func() {
		if !ok {
			_ = w.Close()
		}
	}()
	b := w.book
	if err := writeSummary(b, summaryOf{snap: snap, keep: keep, period: opts.Period, asAt: asAt, today: today, force: force}); err != nil {
		return nil, err
	}
	// The snapshot is not needed past this point: letting it go before the
	// sheets are streamed keeps a large register's peak memory down.
	snap = nil
	caption := fmt.Sprintf("%s – progress return %s, as at %s. One row per finding open at that date or closed within the period. The wording, the progress this period and the other columns print in full on the %s sheet.", force, opts.Period, asAt, SheetDetails)
	opts.step("Comparing with the last return")
	sinceCaption, sinceRows, sinceNone := w.sinceLast(last, src.Late)
	if err := b.writeTables(
		table{sheet: SheetReturn, name: "ReturnTable", caption: caption, cols: returnColumns, rows: w.rows, print: returnPrinted,
			where: func(r int) string { return w.refs[r] },
			none:  "None: no finding was open at " + asAt.String() + " or closed within the period.", noneCol: 1},
		table{sheet: SheetDetails, name: "DetailsTable",
			caption: fmt.Sprintf("Each finding on the Return sheet in full, as at %s: its wording, the progress this period and the details the printed Return leaves out. Grouped by area, each area on a new page.", asAt),
			cols:    detailColumns, rows: detailRows, breaks: detailBreaks,
			where: func(r int) string { return detailRefs[r] + " " + strings.ToLower(fmt.Sprint(detailRows[r][2])) },
			none:  "None: no finding is on the Return sheet.", noneCol: 3},
		table{sheet: SheetMilestones, name: "MilestonesTable",
			caption: fmt.Sprintf("Milestones of the findings on the Return sheet, as at %s.", asAt),
			cols:    milestoneColumns, print: milestonePrinted, rows: msRows, where: func(r int) string { return msRefs[r] + " milestone" },
			none: "None: the findings on the Return sheet have no milestones.", noneCol: 1},
		table{sheet: SheetChanges, name: "ChangesTable",
			caption: fmt.Sprintf("What changed from %s to %s: new findings, status and RAG changes, target revisions with reasons, closures.", first, asAt),
			cols:    changeColumns, rows: changeRows(changes), where: func(r int) string { return changes[r].ref + " change" },
			none: "None: nothing changed in the period."},
		table{sheet: SheetSinceLast, name: "SinceLastTable", caption: sinceCaption, cols: sinceColumns, rows: sinceRows, none: sinceNone},
	); err != nil {
		return nil, err
	}
	if err := writeKey(b, fmt.Sprintf("%s, as at %s", opts.Period, asAt)); err != nil {
		return nil, err
	}
	title := fmt.Sprintf("%s – progress return %s", force, opts.Period)
	if err := b.setProps(title, "HMICFRS inspection findings: quarterly progress return, as at "+asAt.String(),
		author, now, w.customProps()); err != nil {
		return nil, err
	}
	w.Warnings = w.warn.all()
	ok = true
	return w, nil
}

// forceName is the force as the settings name it.
func forceName(s model.Settings) string {
	if f := strings.TrimSpace(s.ForceName); f != "" {
		return f
	}
	return "Police force"
}

func creator(s model.Settings) string {
	if a := strings.TrimSpace(s.Author); a != "" {
		return a
	}
	return "Improvement Tracker"
}

func returnRow(s *model.Snapshot, f model.Finding, first, asAt model.Date) []any {
	report := s.Reports[f.ReportID]
	verbatim := strings.TrimSpace(f.Verbatim)
	if verbatim == "" || f.WordingMissing {
		verbatim = wordingMissingMsg
	}
	var progress []string
	for _, u := range s.UpdatesIn(f.ID, first, asAt) {
		head := u.Date.String()
		if u.Author != "" {
			head += " – " + u.Author
		}
		progress = append(progress, head+": "+strings.TrimSpace(u.Narrative))
	}
	var nextTitle string
	var nextDue model.Date
	if m, ok := s.NextMilestone(f.ID); ok {
		nextTitle, nextDue = m.Title, m.CurrentDue
	} else if stage := closureStage(f); stage != "" {
		// A finding whose work is done has no milestone to come and is
		// never overdue: the printed columns say where its closure
		// stands instead.
		nextTitle = stage
	}
	var evidence []string
	for _, e := range s.EvidenceOf(f.ID) {
		line := e.Title
		if e.Location != "" {
			line += " – " + e.Location
		} else if e.FileName != "" {
			line += " – attached file " + e.FileName
		}
		var notes []string
		if !e.EffectiveDate.IsZero() {
			notes = append(notes, "from "+e.EffectiveDate.String())
		}
		if e.Shared {
			notes = append(notes, "shared with the inspectorate")
		}
		if len(notes) > 0 {
			line += " (" + strings.Join(notes, "; ") + ")"
		}
		evidence = append(evidence, line)
	}
	var lastDate model.Date
	var lastBy string
	if u, ok := s.LatestUpdate(f.ID); ok {
		lastDate, lastBy = u.Date, u.Author
	}
	var days any
	if d := model.DaysOverdue(f, asAt); d > 0 {
		days = d
	}
	// In the order of returnColumns.
	return []any{
		f.Ref,
		f.DisplayTitle(),
		s.PersonLabel(f.ChiefOfficerID),
		string(f.Status),
		string(f.RAG),
		f.CurrentTarget,
		days,
		model.RevisionCount(f, asAt),
		nextTitle,
		nextDue,

		f.InspectorateRef,
		string(f.Type),
		report.Title,
		report.Published,
		f.Area,
		string(f.Grade),
		verbatim,
		s.PersonLabel(f.DeliveryLeadID),
		f.OriginalTarget,
		strings.Join(progress, "\n\n"),
		strings.Join(evidence, "\n"),
		f.ClosureProposedDate,
		strings.TrimSpace(f.ClosureRationale),
		f.ClosedDate,
		f.InspectoratePosition,
		lastDate,
		lastBy,
	}
}

// closureStage says in words where a finding's closure stands, with its
// dates, or "" for a finding still being worked on.
func closureStage(f model.Finding) string {
	switch f.Status {
	case model.CompletePending:
		return "Complete: awaiting internal sign-off"
	case model.ClosureProposed:
		return "Closure proposed on " + f.ClosureProposedDate.String()
	case model.Closed:
		return fmt.Sprintf("Closure proposed on %s, agreed on %s", f.ClosureProposedDate, f.ClosedDate)
	case model.Superseded:
		return "Superseded"
	case model.NoFurtherAction:
		return "No further action"
	}
	return ""
}

// milestoneColumns are the Milestones sheet's columns; the first
// milestonePrinted are printed (the finding's title is on the Return and
// Finding details sheets, and the original due date is counted in
// Revisions).
var milestoneColumns = []column{
	{header: "Finding ref", kind: textCol, max: 22},
	{header: "Milestone", kind: wrapCol, max: 30},
	{header: "Owner", kind: wrapCol, max: 16},
	{header: "Current due", kind: dateCol},
	{header: "State", kind: wrapCol, max: 12},
	{header: "Days overdue", kind: numberCol},
	{header: "Revisions", kind: numberCol},
	{header: "Latest revision reason", kind: wrapCol, max: 28},
	{header: "Completed", kind: dateCol},

	{header: "Original due", kind: dateCol},
	{header: "Finding", kind: wrapCol, max: 36},
}

const milestonePrinted = 9

func milestoneRow(s *model.Snapshot, f model.Finding, m model.Milestone) []any {
	asAt := s.AsAt
	state := "Not yet due"
	switch {
	case !m.Completed.IsZero():
		state = "Complete"
	case model.MilestoneOverdue(m, asAt):
		state = "Overdue"
	case m.CurrentDue.IsZero():
		state = "No due date"
	case !m.CurrentDue.After(asAt.AddDays(30)):
		state = "Due within 30 days"
	}
	var reason string
	if n := len(m.Revisions); n > 0 {
		reason = revisionReason(m.Revisions[n-1])
	}
	var days any
	if model.MilestoneOverdue(m, asAt) {
		days = m.CurrentDue.DaysUntil(asAt)
	}
	// In the order of milestoneColumns.
	return []any{
		f.Ref, m.Title, s.PersonLabel(m.OwnerID), m.CurrentDue, state, days, len(m.Revisions), reason, m.Completed,
		m.OriginalDue, f.DisplayTitle(),
	}
}

// lastSubmission returns the newest recorded submission of a kind made for
// an earlier as-at date (and, for briefings, the same filter), so that
// regenerating a return that was itself recorded still compares with the one
// before it.
func lastSubmission(subs []model.Submission, kind model.SubmissionKind, asAt model.Date, filter string) *model.Submission {
	var best *model.Submission
	for i := range subs {
		sub := &subs[i]
		if sub.Kind != kind || !sub.AsAt.Before(asAt) || (kind == model.SubmissionBriefing && sub.Filter != filter) {
			continue
		}
		if best == nil || sub.AsAt.After(best.AsAt) || (sub.AsAt == best.AsAt && sub.Recorded.After(best.Recorded)) {
			best = sub
		}
	}
	return best
}

var sinceColumns = []column{
	{header: "Ref", kind: textCol, max: 22},
	{header: "Title", kind: wrapCol, max: 24},
	{header: "Change", kind: wrapCol, max: 14},
	{header: "Column", kind: wrapCol, max: 14},
	{header: "In the last return", kind: wrapCol, max: 32},
	{header: "In this return", kind: wrapCol, max: 32},
}

// sinceLast compares this return's rows with those of the last return
// recorded as submitted. It returns the sheet's caption, its rows, and what
// the sheet says when there are none.
func (w *Workbook) sinceLast(last *model.Submission, late []model.LateUpdate) (string, [][]any, string) {
	if last == nil {
		return "No earlier return has been recorded as submitted, so there is nothing to compare with. " +
				"Record a return as submitted when you send it, and the next return will list what changed since.", nil,
			"None: no earlier return has been recorded as submitted."
	}
	caption := fmt.Sprintf("Compared with the %s return as at %s, recorded as submitted on %s", last.Period, last.AsAt, localDate(last.Recorded))
	if last.By != "" {
		caption += " by " + last.By
	}
	caption += "."
	prev := map[string]map[string]string{}
	var prevOrder []string
	for _, r := range last.Rows {
		prev[r.Ref] = r.Values
		prevOrder = append(prevOrder, r.Ref)
	}
	var rows [][]any
	seen := map[string]bool{}
	// One row's map at a time: all of them at once were the largest thing
	// a large return held.
	for i := range w.RowCount() {
		cur := w.row(i)
		seen[cur.Ref] = true
		old, ok := prev[cur.Ref]
		title := cur.Values[ColTitle]
		if !ok {
			rows = append(rows, []any{cur.Ref, title, "Added to the return", "", "", cur.Values[ColStatus]})
			continue
		}
		for _, c := range returnColumns {
			if compareIgnored[c.header] || c.header == ColRef {
				continue
			}
			if before, after := old[c.header], cur.Values[c.header]; before != after {
				rows = append(rows, []any{cur.Ref, title, "Changed", c.header, before, after})
			}
		}
	}
	sort.Strings(prevOrder)
	for _, ref := range prevOrder {
		if seen[ref] {
			continue
		}
		old := prev[ref]
		rows = append(rows, []any{ref, old[ColTitle], "No longer in the return", "", old[ColStatus], ""})
	}
	// Updates typed in after a return was sent, dated into what it
	// covered: the submitted return did not hold them, and its reader
	// must not take this one's picture of that quarter for what was sent.
	for _, l := range late {
		rows = append(rows, []any{l.Ref, w.titleOf(l.Ref), "Recorded late", "Progress update of " + l.Update.Date.String(),
			fmt.Sprintf("Not in the %s return (submitted %s)", l.Return.Period, localDate(l.Return.Recorded)),
			fmt.Sprintf("Recorded %s by %s: %s, %s", localDate(l.Update.Recorded), l.Update.Author, l.Update.Status, lateRAG(l.Update.RAG))})
	}
	return caption, rows, "None: nothing has changed since the last return."
}

// titleOf is the title of the finding a row of the Return shows, "" for
// one not on it.
func (w *Workbook) titleOf(ref string) string {
	for i, r := range w.refs {
		if r != ref {
			continue
		}
		for c, col := range returnColumns {
			if col.header == ColTitle {
				return fmt.Sprint(w.rows[i][c])
			}
		}
	}
	return ""
}

func lateRAG(r model.RAG) string {
	if r == "" {
		return "not rated"
	}
	return string(r)
}
