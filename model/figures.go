package model

// The figures every screen, workbook and the command line give of a
// portfolio as at a date. They are defined here once, so that the
// dashboard, the briefing, the return's Summary and `summary` cannot
// disagree: each used to count in its own way, and the dashboard's
// "to act on" took in findings the inspectorate had closed.

// The names of the figures, as every place shows them: each says what it
// counts, short enough for a spreadsheet's label column. FigureMeanings
// say it in full, for a key.
const (
	FigureOpenName      = "Open (not yet closed)"
	FigureToActOnName   = "To act on (not in closure)"
	FigureOverdueName   = "Overdue (to act on, past target)"
	FigureInClosureName = "In closure (sign-off or proposed)"
	FigureRedName       = "Open and rated Red"
	FigureClosedName    = "Closed this period"
	FigureNewName       = "New this period"
	FigureChangedName   = "Changed this period"
	FigureDueSoonName   = "To act on, due in 30 days"
	FigureInViewName    = "Open, or closed this period"
)

// FigureMeanings explain each figure in full.
var FigureMeanings = [][2]string{
	{FigureOpenName, "Findings not closed, superseded or ended with no further action: those to act on and those in closure."},
	{FigureToActOnName, "Open findings awaiting allocation, not started or in progress."},
	{FigureOverdueName, "Findings to act on whose current target date is before the as-at date."},
	{FigureInClosureName, "Complete and pending internal sign-off, or closure proposed to the inspectorate."},
	{FigureRedName, "Open findings whose RAG is Red."},
	{FigureClosedName, "Findings closed, superseded or ended with no further action from the period's first day to the as-at date."},
	{FigureNewName, "Findings raised in the period (by their report's publication unless raised later), whenever they were typed in."},
	{FigureChangedName, "Findings with a progress update, a target or milestone date change, a milestone met, or a closure in the period."},
	{FigureDueSoonName, "Findings to act on whose current target falls in the 30 days from the as-at date."},
	{FigureInViewName, "Findings open at the as-at date or closed in the period: what counts by status, RAG and area are of."},
}

// DueSoonDays is how far ahead "due soon" looks.
const DueSoonDays = 30

// Figures are the counts of one portfolio as at a date, for the period
// from PeriodStart to AsAt (the financial quarter of AsAt unless the
// caller chooses otherwise).
type Figures struct {
	AsAt, PeriodStart Date
	Open              int
	ToActOn           int
	Overdue           int
	InClosure         int
	Red               int
	Closed            int
	New               int
	Changed           int
	DueSoon           int
	// InView counts the findings open at AsAt or closed in the period:
	// the rows of the return. ByRAG, ByStatus and Counts are of them, so
	// that every table of them totals InView.
	InView   int
	ByRAG    map[RAG]int
	ByStatus map[Status]int
	Counts   Counts
}

// InViewOf reports whether a tracked finding is open at the snapshot's
// date or was closed from periodStart on: the findings the figures, and
// the return's rows, are of.
func (s *Snapshot) InViewOf(f Finding, periodStart Date) bool {
	if !f.Type.Tracked() {
		return false
	}
	if !f.Status.IsFinal() {
		return true
	}
	closed := s.ClosedOn(f)
	return !closed.IsZero() && !closed.Before(periodStart) && !closed.After(s.AsAt)
}

// FiguresOf counts the findings of s that keep accepts (all when nil) as at
// the snapshot's date, for the period from periodStart.
func (s *Snapshot) FiguresOf(keep func(Finding) bool, periodStart Date) Figures {
	fig := Figures{AsAt: s.AsAt, PeriodStart: periodStart}
	inView := func(f Finding) bool {
		return (keep == nil || keep(f)) && s.InViewOf(f, periodStart)
	}
	fig.Counts = s.Count(inView)
	fig.InView = fig.Counts.Total
	fig.ByRAG = fig.Counts.ByRAG
	fig.ByStatus = fig.Counts.ByStatus
	fig.Overdue = fig.Counts.Overdue
	for _, f := range s.Findings {
		if !inView(f) {
			continue
		}
		switch {
		case f.Status.IsOpen():
			fig.ToActOn++
			fig.Open++
		case f.Status.IsFinal():
			fig.Closed++
		default:
			fig.InClosure++
			fig.Open++
		}
		if !f.Status.IsFinal() && f.RAG == Red {
			fig.Red++
		}
		if DueWithin(f, s.AsAt, DueSoonDays) {
			fig.DueSoon++
		}
		if within(s.RaisedOn(f), periodStart, s.AsAt) {
			fig.New++
		}
		if s.ChangedBetween(f, periodStart, s.AsAt) {
			fig.Changed++
		}
	}
	return fig
}

func within(d, first, last Date) bool {
	return !d.IsZero() && !d.Before(first) && !d.After(last)
}

// RaisedOn is when a finding counts as new: the date it was raised, else
// its report's publication, else the day it was added to the register. A
// finding typed in late is new when it was raised, not when typed.
func (s *Snapshot) RaisedOn(f Finding) Date {
	if !f.Raised.IsZero() {
		return f.Raised
	}
	if r, ok := s.Reports[f.ReportID]; ok && !r.Published.IsZero() {
		return r.Published
	}
	if f.Created.IsZero() {
		return Date{}
	}
	return DateOf(f.Created.Local())
}

// ClosedOn returns when a finding's work ended: the date the inspectorate
// agreed closure when recorded, otherwise the date of the update from
// which its status has been final. Zero when neither is known.
func (s *Snapshot) ClosedOn(f Finding) Date {
	if f.Status == Closed && !f.ClosedDate.IsZero() {
		return f.ClosedDate
	}
	var since Date
	for _, u := range s.UpdatesOf(f.ID) {
		switch {
		case u.Status.IsFinal() && since.IsZero():
			since = u.Date
		case !u.Status.IsFinal() && u.Status != "":
			since = Date{}
		}
	}
	if since.IsZero() && !f.ClosedDate.IsZero() {
		return f.ClosedDate
	}
	return since
}

// ChangedBetween reports whether anything dated from first to last
// happened to a finding: it was raised or closed, an update was written,
// or its target or a milestone's due date moved or a milestone was met.
// These are what the return's "Changes this period" lists.
func (s *Snapshot) ChangedBetween(f Finding, first, last Date) bool {
	if within(s.RaisedOn(f), first, last) || within(f.ClosedDate, first, last) {
		return true
	}
	for _, u := range s.UpdatesOf(f.ID) {
		if within(u.Date, first, last) && (u.Status != "" || u.RAG != "") {
			return true
		}
	}
	for _, r := range f.TargetRevisions {
		if within(r.Effective(), first, last) {
			return true
		}
	}
	for _, m := range s.MilestonesOf(f.ID) {
		if within(m.Completed, first, last) {
			return true
		}
		for _, r := range m.Revisions {
			if within(r.Effective(), first, last) {
				return true
			}
		}
	}
	return false
}

// PortfolioFigures reads the register as at asAt and counts the figures of
// the tracked findings a chief officer leads (every one when chief is 0),
// for the financial quarter of asAt: what the summary command prints and
// the dashboard shows.
func PortfolioFigures(tx ReadTx, asAt Date, chief ID) (Figures, error) {
	period := QuarterOf(asAt).FirstDay()
	// The figures read no narrative, and of the updates those of the
	// quarter, which say what closed and changed in it.
	snap, err := TakeSnapshotWith(tx, asAt, SnapshotOptions{NarrativesFrom: asAt.AddDays(1), UpdatesFrom: period})
	if err != nil {
		return Figures{}, err
	}
	return snap.FiguresOf(func(f Finding) bool {
		return f.Type.Tracked() && (chief == 0 || f.ChiefOfficerID == chief)
	}, period), nil
}
