package app

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// The register's columns, in order.
const (
	colRef = iota
	colType
	colArea
	colGrade
	colTitle
	colChief
	colDelivery
	colStatus
	colRAG
	colTarget
	colOverdue
	numCols
)

var colTitles = [numCols]string{"Ref", "Type", "Area", "Grade", "Title", "Chief officer lead",
	"Delivery lead", "Status", "RAG", "Current target", "Days overdue"}

// colWidths are chosen so that the columns a person scans first read in
// full in a 1280-pixel window; the rest are a scroll away. The chief
// officer column is narrow because ranks are abbreviated there (ACC, DCC).
var colWidths = [numCols]float32{
	colRef: 182, colType: 150, colArea: 210, colGrade: 170, colTitle: 295, colChief: 170,
	colDelivery: 215, colStatus: 290, colRAG: 95, colTarget: 115, colOverdue: 110}

// colOrder is the order columns appear in: what is late and who owns it
// first, the classification of the finding after. The reference stays put
// while the rest scroll.
var colOrder = [numCols]int{colRef, colTitle, colStatus, colRAG, colTarget, colOverdue,
	colChief, colDelivery, colArea, colType, colGrade}

// Filter choices meaning "no filter".
const (
	allReports  = "All reports"
	allAreas    = "All areas"
	allTypes    = "All types"
	allStatuses = "All statuses"
	allRAGs     = "All RAG"
	anyLead     = "All leads"
)

// prefRegister keeps the filters and sort between runs.
const prefRegister = "register.view"

// registerView is what the person has chosen to see: kept in the Fyne
// preferences as JSON.
type registerView struct {
	Report  string `json:"report,omitempty"`
	Area    string `json:"area,omitempty"`
	Type    string `json:"type,omitempty"`
	Status  string `json:"status,omitempty"`
	RAG     string `json:"rag,omitempty"`
	Lead    string `json:"lead,omitempty"`
	Overdue bool   `json:"overdue,omitempty"`
	Due30   bool   `json:"due30,omitempty"`
	SortCol int    `json:"sort_col"`
	Desc    bool   `json:"desc,omitempty"`
	// Search is not remembered: an old search left in the box hides
	// findings and surprises people.
	Search string `json:"-"`
}

// regRow is one finding as the register shows it, with its search text
// prepared once per load so that each keystroke only scans.
type regRow struct {
	f        model.Finding
	report   string
	chief    string
	delivery string
	overdue  int
	isOver   bool
	due30    bool
	search   string // lower-cased ref, title, wording, interpretation, updates

	// Sort keys, worked out once per load.
	refPrefix string
	refNum    int
	titleKey  string
}

// registerData is everything the table is built from.
type registerData struct {
	rows    []regRow
	reports []string
	areas   []string
	leads   []string

	// sorted holds every row index in the order of sortCol and sortDesc,
	// made once per sort so that a keystroke only filters.
	sorted     []int
	sortCol    int
	sortDesc   bool
	sortedOnce bool

	// last is the previous call of apply and its result: when a person
	// types one more letter, the new matches are among the last ones.
	last     registerView
	lastOut  []int
	lastUsed bool
}

// loadRegister reads the register and prepares its rows as at today.
func loadRegister(tx model.ReadTx, today model.Date) (*registerData, error) {
	fs, err := tx.Findings()
	if err != nil {
		return nil, fmt.Errorf("reading the findings: %w", err)
	}
	ps, err := tx.People()
	if err != nil {
		return nil, fmt.Errorf("reading people: %w", err)
	}
	rs, err := tx.Reports()
	if err != nil {
		return nil, fmt.Errorf("reading reports: %w", err)
	}
	us, err := tx.Updates(0)
	if err != nil {
		return nil, fmt.Errorf("reading progress updates: %w", err)
	}
	people := peopleByID(ps)
	reports := map[model.ID]string{}
	d := &registerData{}
	for _, r := range rs {
		reports[r.ID] = reportLabel(r)
		d.reports = append(d.reports, reportLabel(r))
	}
	narratives := map[model.ID]*strings.Builder{}
	for _, u := range us {
		b := narratives[u.FindingID]
		if b == nil {
			b = &strings.Builder{}
			narratives[u.FindingID] = b
		}
		b.WriteString(u.Narrative)
		b.WriteByte('\n')
	}
	areas := map[string]bool{}
	leads := map[string]bool{}
	d.rows = make([]regRow, 0, len(fs))
	for _, f := range fs {
		row := regRow{
			f:        f,
			report:   reports[f.ReportID],
			chief:    personShort(people, f.ChiefOfficerID),
			delivery: personShort(people, f.DeliveryLeadID),
			overdue:  model.DaysOverdue(f, today),
			isOver:   model.Overdue(f, today),
			due30:    model.DueWithin(f, today, 30),
		}
		var b strings.Builder
		for _, s := range []string{f.Ref, f.InspectorateRef, f.Title, f.Verbatim, f.Interpretation} {
			b.WriteString(s)
			b.WriteByte('\n')
		}
		if n := narratives[f.ID]; n != nil {
			b.WriteString(n.String())
		}
		row.search = strings.ToLower(b.String())
		row.refPrefix, row.refNum = splitRefNumber(f.Ref)
		row.titleKey = strings.ToLower(f.DisplayTitle())
		d.rows = append(d.rows, row)
		if f.Area != "" {
			areas[f.Area] = true
		}
		if row.chief != "" {
			leads[row.chief] = true
		}
		if row.delivery != "" {
			leads[row.delivery] = true
		}
	}
	for a := range areas {
		d.areas = append(d.areas, a)
	}
	slices.Sort(d.areas)
	for l := range leads {
		d.leads = append(d.leads, l)
	}
	slices.Sort(d.leads)
	return d, nil
}

func reportLabel(r model.Report) string {
	l := r.Title
	if r.Cycle != "" && !strings.Contains(l, r.Cycle) {
		l += " " + r.Cycle
	}
	return l
}

// apply returns the indexes of the rows v shows, in v's order. It runs on
// every keystroke in the search box, so it only compares prepared strings,
// walks rows already in order, and, when the search only grew, looks only
// at the rows that matched before.
func (d *registerData) apply(v registerView) []int {
	if !d.sortedOnce || d.sortCol != v.SortCol || d.sortDesc != v.Desc {
		d.sorted = make([]int, len(d.rows))
		for i := range d.sorted {
			d.sorted[i] = i
		}
		slices.SortStableFunc(d.sorted, func(a, b int) int {
			c := compareRows(&d.rows[a], &d.rows[b], v.SortCol)
			if v.Desc {
				return -c
			}
			return c
		})
		d.sortCol, d.sortDesc, d.sortedOnce = v.SortCol, v.Desc, true
		d.lastUsed = false
	}
	from := d.sorted
	prev, next := d.last, v
	prev.Search, next.Search = "", ""
	if d.lastUsed && prev == next && strings.HasPrefix(strings.ToLower(v.Search), strings.ToLower(d.last.Search)) {
		// Every term of the longer search contains the matching term of
		// the shorter one, so its matches are among the earlier ones.
		from = d.lastOut
	}
	terms := strings.Fields(strings.ToLower(v.Search))
	out := make([]int, 0, len(from))
	for _, i := range from {
		r := &d.rows[i]
		switch {
		case v.Report != "" && r.report != v.Report,
			v.Area != "" && r.f.Area != v.Area,
			v.Type != "" && string(r.f.Type) != v.Type,
			v.Status != "" && string(r.f.Status) != v.Status,
			v.RAG != "" && string(r.f.RAG) != v.RAG,
			v.Lead != "" && r.chief != v.Lead && r.delivery != v.Lead,
			v.Overdue && !r.isOver,
			v.Due30 && !r.due30:
			continue
		}
		match := true
		for _, t := range terms {
			if !strings.Contains(r.search, t) {
				match = false
				break
			}
		}
		if match {
			out = append(out, i)
		}
	}
	d.last, d.lastOut, d.lastUsed = v, out, true
	return out
}

func compareRows(a, b *regRow, col int) int {
	switch col {
	case colType:
		return cmp.Compare(a.f.Type, b.f.Type)
	case colArea:
		return cmp.Compare(a.f.Area, b.f.Area)
	case colGrade:
		return cmp.Compare(gradeRank(a.f.Grade), gradeRank(b.f.Grade))
	case colTitle:
		return cmp.Compare(a.titleKey, b.titleKey)
	case colChief:
		return cmp.Compare(a.chief, b.chief)
	case colDelivery:
		return cmp.Compare(a.delivery, b.delivery)
	case colStatus:
		return cmp.Compare(slices.Index(model.Statuses, a.f.Status), slices.Index(model.Statuses, b.f.Status))
	case colRAG:
		return cmp.Compare(ragRank(a.f.RAG), ragRank(b.f.RAG))
	case colTarget:
		return a.f.CurrentTarget.Compare(b.f.CurrentTarget)
	case colOverdue:
		return cmp.Compare(a.overdue, b.overdue)
	}
	if c := cmp.Compare(a.refPrefix, b.refPrefix); c != 0 {
		return c
	}
	return cmp.Compare(a.refNum, b.refNum)
}

// splitRefNumber splits a reference into its prefix and number, so that
// AFI-2 sorts before AFI-10.
func splitRefNumber(ref string) (string, int) {
	i := strings.LastIndexByte(ref, '-')
	if i < 0 {
		return ref, 0
	}
	n, err := strconv.Atoi(ref[i+1:])
	if err != nil {
		return ref, 0
	}
	return ref[:i], n
}

func gradeRank(g model.Grade) int {
	if i := slices.Index(model.Grades, g); i >= 0 {
		return i
	}
	return len(model.Grades)
}

// ragRank orders red first: the worst news leads.
func ragRank(r model.RAG) int {
	if i := slices.Index(model.RAGs, r); i >= 0 {
		return i
	}
	return len(model.RAGs)
}

// registerScreen is the findings register: filters, search and the table.
type registerScreen struct {
	u       *ui
	content *fyne.Container // the list, or the editor in its place
	list    fyne.CanvasObject

	search  *widget.Entry
	count   *widget.Label
	report  *widget.Select
	area    *widget.Select
	typ     *widget.Select
	status  *widget.Select
	rag     *widget.Select
	lead    *widget.Select
	overdue *widget.Check
	due30   *widget.Check
	table   *widget.Table
	empty   *widget.Label
	emptyBg *canvas.Rectangle // the panel behind empty

	data    *registerData
	view    registerView
	shown   []int // indexes into data.rows
	loading bool  // true while the filter widgets are being set from the view

	generation int  // of the latest load, so a slow older one is dropped
	loaded     bool // once the first load has arrived

	editor *editorScreen
}

func newRegisterScreen(u *ui) *registerScreen {
	s := &registerScreen{u: u, data: &registerData{}}
	s.view = s.loadView()

	s.search = widget.NewEntry()
	s.search.SetPlaceHolder("Search references, titles, wording, interpretation and updates")
	s.search.OnChanged = func(text string) {
		s.view.Search = text
		s.applyView()
	}
	s.count = widget.NewLabel("")
	s.count.TextStyle = fyne.TextStyle{Bold: true}

	pick := func(all string, set func(string)) *widget.Select {
		sel := widget.NewSelect([]string{all}, nil)
		sel.OnChanged = func(v string) {
			if s.loading {
				return
			}
			if v == all {
				v = ""
			}
			set(v)
			s.onViewChanged()
		}
		return sel
	}
	s.report = pick(allReports, func(v string) { s.view.Report = v })
	s.area = pick(allAreas, func(v string) { s.view.Area = v })
	s.typ = pick(allTypes, func(v string) { s.view.Type = v })
	s.status = pick(allStatuses, func(v string) { s.view.Status = v })
	s.rag = pick(allRAGs, func(v string) { s.view.RAG = v })
	s.lead = pick(anyLead, func(v string) { s.view.Lead = v })
	s.overdue = widget.NewCheck("Overdue only", func(b bool) {
		if !s.loading {
			s.view.Overdue = b
			s.onViewChanged()
		}
	})
	s.due30 = widget.NewCheck("Due in the next 30 days", func(b bool) {
		if !s.loading {
			s.view.Due30 = b
			s.onViewChanged()
		}
	})
	clear := widget.NewButtonWithIcon("Clear filters", theme.ContentClearIcon(), s.onClearFilters)
	newBtn := widget.NewButtonWithIcon("New finding", theme.ContentAddIcon(), s.onNew)
	newBtn.Importance = widget.HighImportance

	s.table = &widget.Table{
		Length:       func() (int, int) { return len(s.shown), numCols },
		CreateCell:   newRegisterCell,
		UpdateCell:   s.updateCell,
		CreateHeader: func() fyne.CanvasObject { return widget.NewButton("", nil) },
		UpdateHeader: s.updateHeader,
		OnSelected:   s.onSelected,
	}
	s.table.ShowHeaderRow = true
	s.table.StickyColumnCount = 1
	s.table.ExtendBaseWidget(s.table)
	for i, col := range colOrder {
		s.table.SetColumnWidth(i, colWidths[col])
	}
	s.empty = widget.NewLabel("")
	s.empty.Alignment = fyne.TextAlignCenter
	s.empty.Hide()
	// The message sits on a plain panel: drawn straight over the table,
	// the column lines ran through its words.
	s.emptyBg = canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	s.emptyBg.CornerRadius = theme.InputRadiusSize()
	s.emptyBg.Hide()

	top := container.NewBorder(nil, nil, nil, container.NewHBox(s.count, newBtn), s.search)
	filters := container.NewGridWithColumns(6, s.report, s.area, s.typ, s.status, s.rag, s.lead)
	checks := container.NewHBox(s.overdue, s.due30, spacer(), clear)
	s.list = container.NewBorder(container.NewVBox(top, filters, checks), nil, nil, nil,
		container.NewStack(s.table, container.NewCenter(container.NewStack(s.emptyBg, container.NewPadded(s.empty)))))
	s.content = container.NewStack(s.list)
	s.setFilterWidgets()
	s.applyView() // "Reading the register…" until the first load arrives
	return s
}

// registerCell is the template of every table cell: a tinted background
// for overdue rows, a label, and a RAG chip used in the RAG column only.
func newRegisterCell() fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	chip := newRAGChip()
	chip.Hide()
	return container.NewStack(bg, l, container.NewPadded(chip))
}

func (s *registerScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(s.shown) {
		return
	}
	row := &s.data.rows[s.shown[id.Row]]
	col := colOrder[id.Col]
	stack := o.(*fyne.Container)
	bg := stack.Objects[0].(*canvas.Rectangle)
	l := stack.Objects[1].(*widget.Label)
	chipBox := stack.Objects[2].(*fyne.Container)
	chip := chipBox.Objects[0].(*ragChip)

	// Each change below is made only when needed: shaping text is the
	// dearest part of a keystroke, and most visible cells stay the same
	// while a person types.
	var fill color.Color = color.Transparent
	if row.isOver {
		// Overdue rows stand out with a tint as well as the bold day count,
		// so they show in the whole row and not only in one column.
		r, g, b, _ := theme.Color(theme.ColorNameError).RGBA()
		fill = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0x30}
	}
	if bg.FillColor != fill {
		bg.FillColor = fill
		bg.Refresh()
	}

	if col == colRAG {
		l.Hide()
		if chip.rag != row.f.RAG || chip.text.Text == "" {
			chip.SetRAG(row.f.RAG)
		}
		chip.Show()
		return
	}
	chip.Hide()
	l.Show()
	style := fyne.TextStyle{Bold: col == colRef || (col == colOverdue && row.isOver)}
	imp := widget.MediumImportance
	if col == colOverdue && row.isOver {
		imp = widget.DangerImportance
	}
	if text := cellText(row, col); text != l.Text || style != l.TextStyle || imp != l.Importance {
		l.TextStyle, l.Importance = style, imp
		l.SetText(text)
	}
}

func cellText(r *regRow, col int) string {
	f := &r.f
	switch col {
	case colRef:
		return f.Ref
	case colType:
		return string(f.Type)
	case colArea:
		return f.Area
	case colGrade:
		return string(f.Grade)
	case colTitle:
		return f.DisplayTitle()
	case colChief:
		return r.chief
	case colDelivery:
		return r.delivery
	case colStatus:
		return string(f.Status)
	case colRAG:
		return string(f.RAG)
	case colTarget:
		return f.CurrentTarget.String()
	case colOverdue:
		if r.isOver {
			return strconv.Itoa(r.overdue)
		}
	}
	return ""
}

// updateHeader shows the column title with an arrow on the sorted column;
// tapping a header sorts by it, tapping again reverses.
func (s *registerScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	if id.Col < 0 || id.Col >= numCols {
		b.SetText("")
		return
	}
	b.Importance = widget.LowImportance
	b.Alignment = widget.ButtonAlignLeading
	col := colOrder[id.Col]
	b.OnTapped = func() { s.onSort(col) }
	b.SetIcon(nil)
	if col == s.view.SortCol {
		if s.view.Desc {
			b.SetIcon(theme.MoveDownIcon())
		} else {
			b.SetIcon(theme.MoveUpIcon())
		}
	}
	b.SetText(colTitles[col])
}

func (s *registerScreen) onSort(col int) {
	if s.view.SortCol == col {
		s.view.Desc = !s.view.Desc
	} else {
		s.view.SortCol, s.view.Desc = col, false
	}
	s.onViewChanged()
}

func (s *registerScreen) onSelected(id widget.TableCellID) {
	s.table.UnselectAll()
	if id.Row < 0 || id.Row >= len(s.shown) {
		return
	}
	s.openFinding(s.data.rows[s.shown[id.Row]].f.ID)
}

// refresh reloads the register from the store and shows it through the
// current filters.
func (s *registerScreen) refresh() {
	s.generation++
	gen := s.generation
	store := s.u.store
	today := s.u.today()
	var d *registerData
	s.u.background(func() error {
		return store.View(context.Background(), func(tx model.ReadTx) error {
			var err error
			d, err = loadRegister(tx, today)
			return err
		})
	}, func(err error) {
		if gen != s.generation {
			return // a newer load is on its way
		}
		if err != nil {
			s.u.showError(err)
			return
		}
		s.data = d
		s.loaded = true
		s.setFilterWidgets()
		s.applyView()
	})
}

// setFilterWidgets fills the filter choices from the data and shows the
// remembered view, without each change re-filtering.
func (s *registerScreen) setFilterWidgets() {
	s.loading = true
	defer func() { s.loading = false }()
	set := func(sel *widget.Select, all string, opts []string, v string) {
		sel.Options = append([]string{all}, opts...)
		if v == "" || !slices.Contains(opts, v) {
			v = all
		}
		sel.SetSelected(v)
	}
	set(s.report, allReports, s.data.reports, s.view.Report)
	set(s.area, allAreas, s.data.areas, s.view.Area)
	types := make([]string, len(model.FindingTypes))
	for i, t := range model.FindingTypes {
		types[i] = string(t)
	}
	set(s.typ, allTypes, types, s.view.Type)
	statuses := make([]string, len(model.Statuses))
	for i, t := range model.Statuses {
		statuses[i] = string(t)
	}
	set(s.status, allStatuses, statuses, s.view.Status)
	rags := make([]string, len(model.RAGs))
	for i, t := range model.RAGs {
		rags[i] = string(t)
	}
	set(s.rag, allRAGs, rags, s.view.RAG)
	set(s.lead, anyLead, s.data.leads, s.view.Lead)
	s.overdue.SetChecked(s.view.Overdue)
	s.due30.SetChecked(s.view.Due30)
}

// onViewChanged re-filters and remembers the view.
func (s *registerScreen) onViewChanged() {
	s.saveView()
	s.applyView()
}

func (s *registerScreen) applyView() {
	s.shown = s.data.apply(s.view)
	total := len(s.data.rows)
	word := "findings"
	if total == 1 {
		word = "finding"
	}
	s.count.SetText(fmt.Sprintf("%d of %d %s", len(s.shown), total, word))
	switch {
	case !s.loaded:
		// A large register takes a moment to read; say so rather than
		// show it as empty.
		s.count.SetText("Loading…")
		s.setEmpty("Reading the register…")
	case total == 0:
		s.setEmpty("The register has no findings yet. Use \"New finding\", or add a report first.")
	case len(s.shown) == 0:
		s.setEmpty("No findings match the search and filters. Clear the filters to see them all.")
	default:
		s.setEmpty("")
	}
	s.table.Refresh()
}

// setEmpty shows text in place of the rows, or hides it when text is "".
func (s *registerScreen) setEmpty(text string) {
	if text == "" {
		s.empty.Hide()
		s.emptyBg.Hide()
		return
	}
	s.empty.SetText(text)
	s.emptyBg.FillColor = theme.Color(theme.ColorNameBackground)
	s.emptyBg.Show()
	s.emptyBg.Refresh()
	s.empty.Show()
}

func (s *registerScreen) onClearFilters() {
	s.view = registerView{SortCol: s.view.SortCol, Desc: s.view.Desc}
	s.search.SetText("")
	s.setFilterWidgets()
	s.onViewChanged()
}

func (s *registerScreen) loadView() registerView {
	var v registerView
	if raw := s.u.prefs.String(prefRegister); raw != "" {
		// A damaged preference only loses the remembered filters.
		_ = json.Unmarshal([]byte(raw), &v)
	}
	if v.SortCol < 0 || v.SortCol >= numCols {
		v.SortCol = colRef
	}
	return v
}

func (s *registerScreen) saveView() {
	raw, err := json.Marshal(s.view)
	if err == nil {
		s.u.prefs.SetString(prefRegister, string(raw))
	}
}

func (s *registerScreen) focusSearch() {
	if s.editor != nil {
		return
	}
	s.u.win.Canvas().Focus(s.search)
}

// openFinding shows the editor for a stored finding in place of the list.
func (s *registerScreen) openFinding(id model.ID) {
	s.leaveEditor(func() {
		e, err := newEditorScreen(s.u, id)
		if err != nil {
			s.u.showError(err)
			return
		}
		s.showEditor(e)
	})
}

// openRef opens the finding with a reference, if there is one.
func (s *registerScreen) openRef(ref string) {
	var id model.ID
	err := s.u.store.View(context.Background(), func(tx model.ReadTx) error {
		f, err := tx.FindingByRef(ref)
		id = f.ID
		return err
	})
	if err != nil {
		s.u.showError(fmt.Errorf("opening finding %s: %w", ref, err))
		return
	}
	s.openFinding(id)
}

// onNew opens the editor on a new finding.
func (s *registerScreen) onNew() {
	s.leaveEditor(func() {
		e, err := newEditorScreen(s.u, 0)
		if err != nil {
			s.u.showError(err)
			return
		}
		s.showEditor(e)
	})
}

func (s *registerScreen) showEditor(e *editorScreen) {
	s.editor = e
	s.content.Objects = []fyne.CanvasObject{e.content}
	s.content.Refresh()
}

// closeEditor goes back to the list without asking.
func (s *registerScreen) closeEditor() {
	s.editor = nil
	s.content.Objects = []fyne.CanvasObject{s.list}
	s.content.Refresh()
}

// leaveEditor runs then once the editor, if open, can be left: at once when
// nothing is unsaved, otherwise after the person chooses to discard.
func (s *registerScreen) leaveEditor(then func()) {
	if s.editor == nil {
		then()
		return
	}
	s.editor.confirmLeave(func() {
		s.closeEditor()
		then()
	})
}
