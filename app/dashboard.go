package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// Choices meaning "no filter" on the dashboard.
const (
	allChiefs = "All chief officers"
)

// maxListed caps each exceptions list: a briefing is short, and the
// register's own filters show the rest.
const maxListed = 25

// dashboardScreen is the briefing for chief officers: exceptions first,
// then counts and a chart, as at a chosen date and for one portfolio.
type dashboardScreen struct {
	u       *ui
	content fyne.CanvasObject

	asAt    *dateEntry
	asAtErr *widget.Label
	chief   *widget.Select
	report  *widget.Select
	title   *widget.Label
	body    *fyne.Container

	// dash is the last dashboard built, kept for tests and for re-filtering.
	dash       *dashboard
	generation int
}

// dashboard is what the screen shows, computed from a snapshot off the UI
// goroutine.
type dashboard struct {
	asAt model.Date
	// innovative counts the innovative practice the filters take in:
	// recorded, not acted on, so not in counts.
	innovative int
	// figures are the model's, as the briefing, the return's Summary and
	// the summary command give them.
	figures    model.Figures
	counts     model.Counts
	exceptions []model.OverdueItem
	slipped    []model.SlippedMilestone
	proposed   []model.Finding
	due        []model.Finding
	chiefs     []string
	reports    []string
	snap       *model.Snapshot
}

// buildDashboard reads the register as it stood at the end of asAt,
// filtered to a chief officer's portfolio and a report ("" for all).
func buildDashboard(tx model.ReadTx, asAt model.Date, chief, report string) (*dashboard, error) {
	// The dashboard reads each finding's latest narrative, and the updates
	// of the quarter, which say what closed and changed in it.
	period := model.QuarterOf(asAt).FirstDay()
	snap, err := model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: asAt.AddDays(1), UpdatesFrom: period})
	if err != nil {
		return nil, fmt.Errorf("reading the register as at %s: %w", asAt, err)
	}
	d := &dashboard{asAt: asAt}
	// Each person's and report's label is written once, not once per
	// finding that names it.
	chiefOf := map[model.ID]string{}
	for _, f := range snap.Findings {
		if _, ok := chiefOf[f.ChiefOfficerID]; !ok {
			chiefOf[f.ChiefOfficerID] = snap.PersonLabel(f.ChiefOfficerID)
		}
	}
	for _, c := range chiefOf {
		if c != "" {
			d.chiefs = append(d.chiefs, c)
		}
	}
	slices.Sort(d.chiefs)
	d.chiefs = slices.Compact(d.chiefs) // two people may share a label
	reportOf := map[model.ID]string{}
	for _, r := range snap.Reports {
		reportOf[r.ID] = reportLabel(r)
		d.reports = append(d.reports, reportOf[r.ID])
	}
	slices.Sort(d.reports)
	inPortfolio := func(f model.Finding) bool {
		return (chief == "" || chiefOf[f.ChiefOfficerID] == chief) &&
			(report == "" || reportOf[f.ReportID] == report)
	}
	for _, f := range snap.Findings {
		if !f.Type.Tracked() && inPortfolio(f) {
			d.innovative++
		}
	}
	// The snapshot is the dashboard's own: narrowed in place, not copied.
	snap.Narrow(func(f model.Finding) bool {
		// Innovative practice is recorded, not tracked.
		return f.Type.Tracked() && inPortfolio(f)
	})
	d.snap = snap
	// The lists only read the snapshot, and on a large register the
	// exceptions and the slipped milestones take longest: they are
	// worked out beside the others.
	if err := parallel.Run(parallel.Fault("building the dashboard"),
		func() error { d.slipped = snap.SlippedMilestones(); return nil },
		func() error { d.exceptions = snap.Exceptions(); return nil },
		func() error {
			d.figures = snap.FiguresOf(nil, period)
			d.counts = d.figures.Counts
			d.proposed = snap.InClosure()
			d.due = snap.DueWithin(model.DueSoonDays)
			return nil
		}); err != nil {
		return nil, err
	}
	return d, nil
}

func newDashboardScreen(u *ui) *dashboardScreen {
	s := &dashboardScreen{u: u}
	s.asAt = newDateEntry()
	s.asAt.SetDate(u.today())
	s.asAtErr = newFieldError()
	// A date is taken once it is complete (dd/mm/yyyy), or when Enter is
	// pressed, so that a half-typed year is neither shown nor explained.
	s.asAt.OnChanged = func(text string) {
		if len(strings.TrimSpace(text)) >= len("01/01/2026") {
			s.onAsAt()
		}
	}
	s.asAt.OnSubmitted = func(string) { s.onAsAt() }
	today := widget.NewButton("Today", func() { s.asAt.SetDate(s.u.today()) })
	s.chief = widget.NewSelect([]string{allChiefs}, nil)
	s.chief.SetSelected(allChiefs)
	s.chief.OnChanged = func(string) { s.refresh() }
	s.report = widget.NewSelect([]string{allReports}, nil)
	s.report.SetSelected(allReports)
	s.report.OnChanged = func(string) { s.refresh() }
	s.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	bar := container.NewHBox(widget.NewLabel("As at"), s.asAt, today,
		widget.NewLabel("Portfolio"), container.NewGridWrap(fyne.NewSize(300, s.chief.MinSize().Height), s.chief),
		widget.NewLabel("Report"), container.NewGridWrap(fyne.NewSize(260, s.report.MinSize().Height), s.report))
	s.body = container.NewVBox()
	s.content = container.NewBorder(container.NewVBox(bar, s.asAtErr, s.title), nil, nil, nil,
		container.NewVScroll(container.NewPadded(s.body)))
	return s
}

// onAsAt shows the dashboard as at the date typed, or explains why it is
// not a date.
func (s *dashboardScreen) onAsAt() {
	d, err := s.asAt.Date()
	switch {
	case err != nil:
		setFieldError(s.asAtErr, err.Error())
	case d.IsZero():
		setFieldError(s.asAtErr, "Give the date to show the register as at, or press Today.")
	default:
		setFieldError(s.asAtErr, "")
		s.refresh()
	}
}

// filterValue is the filter a choice stands for: "" for all.
func filterValue(v, all string) string {
	if v == all {
		return ""
	}
	return v
}

// refresh rebuilds the dashboard off the UI goroutine.
func (s *dashboardScreen) refresh() {
	asAt, err := s.asAt.Date()
	if err != nil || asAt.IsZero() {
		return
	}
	chief := filterValue(s.chief.Selected, allChiefs)
	report := filterValue(s.report.Selected, allReports)
	s.generation++
	gen := s.generation
	store := s.u.store
	// Reading a large register as at a date takes seconds: say so while
	// the last dashboard stays on screen.
	s.title.SetText("Working out the register as at " + asAt.String() + "…")
	var d *dashboard
	s.u.background(func() error {
		return store.View(context.Background(), func(tx model.ReadTx) error {
			var err error
			d, err = buildDashboard(tx, asAt, chief, report)
			return err
		})
	}, func(err error) {
		if gen != s.generation {
			return // a newer request is on its way
		}
		if err != nil {
			s.title.SetText("The briefing could not be worked out as at " + asAt.String() + ".")
			s.u.showError(err)
			return
		}
		s.show(d)
	})
}

// show puts d on screen. It runs on the UI goroutine.
func (s *dashboardScreen) show(d *dashboard) {
	s.dash = d
	s.chief.Options = append([]string{allChiefs}, d.chiefs...)
	s.report.Options = append([]string{allReports}, d.reports...)
	title := "Briefing as at " + d.asAt.String()
	if c := filterValue(s.chief.Selected, allChiefs); c != "" {
		title += " — portfolio of " + c
	}
	if r := filterValue(s.report.Selected, allReports); r != "" {
		title += " — " + r
	}
	s.title.SetText(title)

	c := d.counts
	fig := d.figures
	// The tiles' words are short; the note below says what each counts,
	// in the words the briefing, the return and the summary command use.
	tiles := container.NewGridWithColumns(6,
		countTile("Open", fig.Open, widget.MediumImportance),
		countTile("To act on", fig.ToActOn, widget.MediumImportance),
		countTile("Overdue", fig.Overdue, widget.DangerImportance),
		countTile("Open and red", fig.Red, widget.DangerImportance),
		countTile("In closure", fig.InClosure, widget.SuccessImportance),
		countTile("Due in 30 days", fig.DueSoon, widget.WarningImportance),
	)

	// The register also holds innovative practice, which is recorded but
	// not acted on: say so, so the count above reads true against the
	// register's total.
	note := widget.NewLabel(fmt.Sprintf("Open: not yet closed. To act on: awaiting allocation, not started or in progress. Overdue: to act on and past its current target. In closure: pending internal sign-off or proposed to the inspectorate. "+
		"This quarter (from %s): %d closed, %d new, %d changed. Counts are of areas for improvement, causes of concern and recommendations. %s of innovative practice %s recorded as well and not counted.",
		fig.PeriodStart, fig.Closed, fig.New, fig.Changed,
		plural(d.innovative, "item", "items"), model.Plural(d.innovative, "is", "are")))
	note.Wrapping = fyne.TextWrapWord
	left := container.NewVBox(
		heading("My work: due in the next 30 days"), s.myWork(d),
		heading("Red or overdue"), s.exceptionsList(d),
		heading("Milestones that slipped"), s.slippedList(d),
		heading("Proposed for closure or awaiting sign-off"), s.findingList(d.proposed, func(f model.Finding) string {
			return string(f.Status)
		}),
		heading("To act on and due in the next 30 days"), s.findingList(d.due, func(f model.Finding) string {
			return "due " + f.CurrentTarget.String()
		}),
	)
	right := container.NewVBox(
		heading(model.FigureInViewName+", by RAG"), ragCounts(c),
		heading(model.FigureInViewName+", by area and RAG"), areaChart(c),
		heading(model.FigureInViewName+", by status"), statusCounts(c),
	)
	s.body.Objects = []fyne.CanvasObject{tiles, note, container.NewGridWithColumns(2, left, right)}
	s.body.Refresh()
}

func countTile(label string, n int, imp widget.Importance) fyne.CanvasObject {
	num := widget.NewLabelWithStyle(fmt.Sprint(n), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	num.SizeName = theme.SizeNameHeadingText
	if n > 0 {
		num.Importance = imp
	}
	l := widget.NewLabelWithStyle(label, fyne.TextAlignCenter, fyne.TextStyle{})
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize() * 2
	return container.NewStack(bg, container.NewVBox(num, l))
}

// linkLine is a finding in a list: tapping it opens the finding.
func (s *dashboardScreen) linkLine(f model.Finding, text string) fyne.CanvasObject {
	chip := newRAGChip()
	chip.SetRAG(f.RAG)
	b := widget.NewButton(f.Ref, func() {
		s.u.selectTab("Register")
		s.u.register.openFinding(f.ID)
	})
	b.Importance = widget.LowImportance
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, container.NewHBox(chip, b), nil, l)
}

func (s *dashboardScreen) exceptionsList(d *dashboard) fyne.CanvasObject {
	if len(d.exceptions) == 0 {
		return widget.NewLabel("Nothing is red or overdue.")
	}
	box := container.NewVBox()
	for i, x := range d.exceptions {
		if i == maxListed {
			box.Add(moreLine(len(d.exceptions) - maxListed))
			break
		}
		parts := []string{x.Finding.DisplayTitle()}
		if x.DaysOverdue > 0 {
			parts = append(parts, fmt.Sprintf("%s overdue (target %s)", plural(x.DaysOverdue, "day", "days"), x.Finding.CurrentTarget))
		}
		if x.Revisions > 0 {
			parts = append(parts, "target moved "+times(x.Revisions))
		}
		if x.Reason != "" {
			parts = append(parts, "latest: "+strings.TrimSpace(x.Reason)) // in full: the line wraps
		}
		box.Add(s.linkLine(*x.Finding, strings.Join(parts, " — ")))
	}
	return box
}

func (s *dashboardScreen) slippedList(d *dashboard) fyne.CanvasObject {
	if len(d.slipped) == 0 {
		return widget.NewLabel("No milestone has slipped.")
	}
	box := container.NewVBox()
	for i, m := range d.slipped {
		if i == maxListed {
			box.Add(moreLine(len(d.slipped) - maxListed))
			break
		}
		parts := []string{m.Milestone.Title, "due " + m.Milestone.CurrentDue.String()}
		if m.DaysOverdue > 0 {
			parts = append(parts, plural(m.DaysOverdue, "day", "days")+" overdue")
		}
		if m.Revisions > 0 {
			parts = append(parts, "moved "+times(m.Revisions))
		}
		if m.Reason != "" {
			parts = append(parts, "because: "+strings.TrimSpace(m.Reason)) // in full: the line wraps
		}
		box.Add(s.linkLine(*m.Finding, strings.Join(parts, " — ")))
	}
	return box
}

func (s *dashboardScreen) findingList(fs []model.Finding, detail func(model.Finding) string) fyne.CanvasObject {
	if len(fs) == 0 {
		return widget.NewLabel("None.")
	}
	box := container.NewVBox()
	for i, f := range fs {
		if i == maxListed {
			box.Add(moreLine(len(fs) - maxListed))
			break
		}
		box.Add(s.linkLine(f, f.DisplayTitle()+" — "+detail(f)))
	}
	return box
}

func moreLine(n int) fyne.CanvasObject {
	l := widget.NewLabel(fmt.Sprintf("…and %d more: use the register's filters to see them all.", n))
	l.TextStyle = fyne.TextStyle{Italic: true}
	return l
}

// statusCounts lists the count at each status in the closing order, so
// the two stages of closure read one after the other.
func statusCounts(c model.Counts) fyne.CanvasObject {
	grid := container.New(layout.NewFormLayout())
	for _, st := range model.Statuses {
		grid.Add(widget.NewLabelWithStyle(fmt.Sprint(c.ByStatus[st]), fyne.TextAlignTrailing, fyne.TextStyle{}))
		grid.Add(widget.NewLabel(string(st)))
	}
	grid.Add(widget.NewLabelWithStyle(fmt.Sprint(c.Total), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	grid.Add(widget.NewLabelWithStyle("Total", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	return grid
}

func ragCounts(c model.Counts) fyne.CanvasObject {
	row := container.NewHBox()
	for _, r := range append(slices.Clone(model.RAGs), "") {
		chip := newRAGChip()
		chip.SetRAG(r)
		row.Add(container.NewHBox(chip, widget.NewLabel(fmt.Sprint(c.ByRAG[r]))))
	}
	return row
}

// areaChart draws findings by area as bars split by RAG, with canvas
// rectangles scaled to the largest area. Each segment carries its number,
// so the chart reads without colour.
func areaChart(c model.Counts) fyne.CanvasObject {
	areas := c.Areas()
	if len(areas) == 0 {
		return widget.NewLabel("No findings.")
	}
	max := 0
	for _, a := range areas {
		max = maxInt(max, c.ByArea[a])
	}
	rows := container.NewVBox()
	order := append(slices.Clone(model.RAGs), "")
	for _, a := range areas {
		var segs []fyne.CanvasObject
		var weights []float32
		for _, r := range order {
			n := c.ByAreaRAG[a][r]
			if n == 0 {
				continue
			}
			bg, fg := ragColors(r)
			rect := canvas.NewRectangle(bg)
			txt := canvas.NewText(fmt.Sprint(n), fg)
			txt.Alignment = fyne.TextAlignCenter
			txt.TextSize = theme.CaptionTextSize()
			segs = append(segs, container.NewStack(rect, container.NewCenter(txt)))
			weights = append(weights, float32(n))
		}
		// Wrapped, not cut: an area's name is often long ("Strategic
		// planning, organisational management and value for money") and
		// there is nowhere else to read it.
		name := widget.NewLabel(a)
		name.Wrapping = fyne.TextWrapWord
		bar := container.New(&barLayout{weights: weights, max: float32(max)}, segs...)
		total := widget.NewLabel(fmt.Sprint(c.ByArea[a]))
		rows.Add(container.NewBorder(nil, nil, nil, total,
			container.NewGridWithColumns(2, name, bar)))
	}
	// No legend of its own: the "By RAG" chips just above are one, and a
	// second read as a repeat.
	return rows
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// barLayout places its objects side by side, each as wide as its weight
// relative to max.
type barLayout struct {
	weights []float32
	max     float32
}

func (l *barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x := float32(0)
	for i, o := range objs {
		w := size.Width * l.weights[i] / l.max
		o.Move(fyne.NewPos(x, 2))
		o.Resize(fyne.NewSize(w, size.Height-4))
		x += w
	}
}

func (l *barLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(120, theme.TextSize()+theme.Padding()*2)
}

// tabContent is the screen's tab, so that it is refreshed only in view.
func (s *dashboardScreen) tabContent() fyne.CanvasObject { return s.content }

// plural writes a count with its noun: "1 day", "3 days".
func plural(n int, one, many string) string {
	return fmt.Sprintf("%d %s", n, model.Plural(n, one, many))
}
