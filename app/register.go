package app

import (
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// registerScreen is the findings register: filters, search and the table.
type registerScreen struct {
	// newBtn is switched off on a read-only register (readonly.go).
	newBtn  *widget.Button
	u       *ui
	content *fyne.Container // the list, or the editor in its place
	list    fyne.CanvasObject

	search  *lineEntry
	count   *widget.Label
	report  *widget.Select
	area    *widget.Select
	typ     *widget.Select
	status  *widget.Select
	rag     *widget.Select
	lead    *widget.Select
	overdue *widget.Check
	due30   *widget.Check
	mine    *widget.Check // My work (mywork.go)
	table   *regTable
	empty   *widget.Label
	emptyBg *canvas.Rectangle // the panel behind empty

	data    *registerData
	view    registerView
	shown   []int // indexes into data.rows
	loading bool  // true while the filter widgets are being set from the view

	generation int  // of the latest load, so a slow older one is dropped
	loaded     bool // once the first load has arrived

	editor *editorScreen

	texts   [numCols][]string // the longest entries of each column, for sizing
	order   []int             // the columns shown, by position (register_columns.go)
	setW    map[int]float32   // the widths the person set, by column
	widths  []float32         // the column widths set on the table, by position
	tableW  float32           // the table width they were set for
	full    *widget.Label     // the full text of a cut cell under the pointer
	headers []*regHeader      // every header the table made (register_table.go)
}

func newRegisterScreen(u *ui) *registerScreen {
	s := &registerScreen{u: u, data: &registerData{}}
	s.view = s.loadView()
	s.order, s.setW = parseColumns(u.prefs.String(prefColumns))

	s.search = newLineEntry()
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
	s.mine = widget.NewCheck("My work", func(b bool) {
		if s.loading {
			return
		}
		if b && s.u.me() == 0 {
			s.loading = true
			s.mine.SetChecked(false)
			s.loading = false
			s.u.inform("My work", "Choose who you are in Edit → Settings… (You are): My work then keeps the findings you lead or deliver, or hold a milestone of.")
			return
		}
		s.view.Mine = b
		s.onViewChanged()
	})
	clear := widget.NewButtonWithIcon("Clear filters", theme.ContentClearIcon(), s.onClearFilters)
	newBtn := widget.NewButtonWithIcon("New finding", theme.ContentAddIcon(), s.onNew)
	s.newBtn = newBtn
	newBtn.Importance = widget.HighImportance

	s.table = newRegTable(s)
	columns := widget.NewButtonWithIcon("Columns…", theme.ListIcon(), s.onColumns)
	s.full = widget.NewLabel(fullHint)
	s.full.Wrapping = fyne.TextWrapWord
	s.full.TextStyle = fyne.TextStyle{Italic: true}
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
	checks := container.NewHBox(s.overdue, s.due30, s.mine, spacer(), columns, clear)
	table := container.New(&fitLayout{s: s}, s.table)
	s.list = container.NewBorder(container.NewVBox(top, filters, checks), s.full, nil, nil,
		container.NewStack(table, container.NewCenter(container.NewStack(s.emptyBg, container.NewPadded(s.empty)))))
	s.content = container.NewStack(s.list)
	s.setFilterWidgets()
	s.applyView() // "Reading the register…" until the first load arrives
	return s
}

// registerCell is the template of every table cell: a tinted background
// for overdue rows, a label, a RAG chip used in the RAG column only, and
// its grid lines (register_table.go). With the pointer over it, the cell
// is highlighted and, if cut short, shows its full text below the table
// (Fyne has no tooltips).
type registerCell struct {
	widget.BaseWidget
	s     *registerScreen
	id    widget.TableCellID
	box   *fyne.Container
	hover *canvas.Rectangle
	lines gridLines
}

func newRegisterCell(s *registerScreen) fyne.CanvasObject {
	bg := canvas.NewRectangle(color.Transparent)
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	chip := newRAGChip()
	chip.Hide()
	hover := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	hover.CornerRadius = theme.SelectionRadiusSize()
	hover.Hide()
	c := &registerCell{s: s, box: container.NewStack(bg, l, container.NewPadded(chip), hover),
		hover: hover, lines: newGridLines()}
	c.ExtendBaseWidget(c)
	return c
}

func (c *registerCell) CreateRenderer() fyne.WidgetRenderer {
	return &gridRenderer{box: c.box, lines: c.lines}
}

// MinSize makes every row two lines high: a title and a status wrap onto
// a second line, so that at a laptop's width they read in full words
// rather than cut after thirty characters.
func (c *registerCell) MinSize() fyne.Size {
	m := c.BaseWidget.MinSize()
	line := fyne.MeasureText("Hg", theme.TextSize(), fyne.TextStyle{}).Height
	return fyne.NewSize(m.Width, max(m.Height, 2*line+2*theme.InnerPadding()))
}

// MouseIn highlights the cell, and shows its full text if it is cut.
func (c *registerCell) MouseIn(*desktop.MouseEvent) {
	c.hover.FillColor = theme.Color(theme.ColorNameHover)
	c.hover.Show()
	c.hover.Refresh()
	c.s.showFull(c.id.Row, c.id.Col)
}

// MouseMoved does nothing: the cell is the same until the pointer leaves.
func (c *registerCell) MouseMoved(*desktop.MouseEvent) {}

// MouseOut puts the hint back.
func (c *registerCell) MouseOut() {
	c.hover.Hide()
	c.s.showFull(-1, -1)
}

func (s *registerScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	if id.Row >= len(s.shown) || id.Col >= len(s.order) {
		return
	}
	row := &s.data.rows[s.shown[id.Row]]
	col := s.order[id.Col]
	cell := o.(*registerCell)
	cell.id = id
	stack := cell.box
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
		fill = overdueTint(variant())
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
	wrap := fyne.TextWrapOff
	if wrapped(col) {
		wrap = fyne.TextWrapWord
	}
	if text := cellText(row, col); text != l.Text || style != l.TextStyle || imp != l.Importance || wrap != l.Wrapping {
		l.TextStyle, l.Importance, l.Wrapping = style, imp, wrap
		l.SetText(text)
	}
}

// fitColumns sizes the columns to their content and the table's width
// (see register_columns.go).
func (s *registerScreen) fitColumns() {
	if s.tableW <= 0 {
		return
	}
	size := theme.TextSize()
	measure := func(t string, bold bool) float32 {
		return fyne.MeasureText(t, size, fyne.TextStyle{Bold: bold}).Width
	}
	pad := 2*theme.InnerPadding() + theme.Padding()
	// Room for the scroll bar, the gaps between columns, and the header's
	// sort arrow.
	wide := s.tableW - theme.ScrollBarSize() - theme.Padding()*float32(len(s.order)-1)
	ws := fitColumns(s.texts, measure, pad, theme.IconInlineSize()+theme.Padding(), wide, s.view.SortCol, s.order, s.setW)
	if slices.Equal(ws, s.widths) {
		return
	}
	s.widths = ws
	for i, w := range ws {
		s.table.SetColumnWidth(i, w)
	}
}

// fitLayout lays the register's table out at full size, refitting its
// columns when its width changes.
type fitLayout struct{ s *registerScreen }

func (l *fitLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size.Width != l.s.tableW {
		l.s.tableW = size.Width
		l.s.fitColumns()
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *fitLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// showFull shows the whole text of a cell cut short, below the table.
func (s *registerScreen) showFull(row, col int) {
	if row < 0 || row >= len(s.shown) || col < 0 || col >= len(s.order) || col >= len(s.widths) {
		s.full.SetText(fullHint)
		return
	}
	r := &s.data.rows[s.shown[row]]
	c := s.order[col]
	t := cellText(r, c)
	w := fyne.MeasureText(t, theme.TextSize(), fyne.TextStyle{Bold: c == colRef}).Width + 2*theme.InnerPadding()
	room := s.widths[col]
	if wrapped(c) {
		room = 2*(room-2*theme.InnerPadding()) + 2*theme.InnerPadding()
	}
	if t == "" || w <= room {
		s.full.SetText(fullHint)
		return
	}
	s.full.SetText(r.f.Ref + " · " + colTitles[c] + ": " + t)
}

// fullHint is shown below the table while no cut entry is pointed at.
const fullHint = "Entries cut short with … are shown here in full when the pointer is over them."

// updateHeader shows the column title with an arrow on the sorted column;
// tapping a header sorts by it, tapping again reverses.
func (s *registerScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	h := o.(*regHeader)
	b := h.btn
	if id.Col < 0 || id.Col >= len(s.order) {
		h.pos = -1
		b.SetText("")
		return
	}
	if !slices.Contains(s.headers, h) {
		s.headers = append(s.headers, h)
	}
	h.pos = id.Col
	col := s.order[id.Col]
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
	s.fitColumns() // the sorted header has an arrow to make room for
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
		d.me = s.u.me()
		s.loaded = true
		s.texts = columnTexts(d.rows)
		s.setFilterWidgets()
		s.applyView()
		// After applyView: the table redraws as its widths change, and
		// must find the rows of the new data by then.
		s.fitColumns()
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
	s.mine.SetChecked(s.view.Mine)
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
	// Ctrl+F from a finding goes back to the register (asking first if
	// anything is unsaved): the search box is there.
	s.leaveEditor(func() { s.u.win.Canvas().Focus(s.search) })
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
	if s.u.refuseChange() {
		return
	}
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
