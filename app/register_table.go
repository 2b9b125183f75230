package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The register's table, its cells and its headers. The table draws its
// own grid lines, one per cell: Fyne's lines (widget.Table's separators)
// are placed from the frozen column's width once the table is scrolled
// sideways, so with a reference column wider than the one scrolled under
// it they ran through the references. A person may widen or narrow a
// column by dragging the edge of its header (Fyne's own resizing); the
// table notices the new width when the button is let go and keeps it.

// regTable is the register's widget.Table, watching the mouse so that a
// column resized by dragging its header is kept.
type regTable struct {
	widget.Table
	s *registerScreen
	// before holds each header's width when a button went down on the
	// table, nil otherwise.
	before map[*regHeader]float32
}

func newRegTable(s *registerScreen) *regTable {
	t := &regTable{s: s}
	t.Length = func() (int, int) { return len(s.shown), len(s.order) }
	t.CreateCell = func() fyne.CanvasObject { return newRegisterCell(s) }
	t.UpdateCell = s.updateCell
	// Fyne also makes headers only to measure them, so a header joins
	// s.headers when it is first shown (updateHeader).
	t.CreateHeader = func() fyne.CanvasObject { return newRegHeader() }
	t.UpdateHeader = s.updateHeader
	t.OnSelected = s.onSelected
	t.ShowHeaderRow = true
	t.StickyColumnCount = 1
	t.HideSeparators = true
	t.ExtendBaseWidget(t)
	return t
}

// MouseDown notes the headers' widths before a possible drag.
func (t *regTable) MouseDown(e *desktop.MouseEvent) {
	t.before = make(map[*regHeader]float32, len(t.s.headers))
	for _, h := range t.s.headers {
		t.before[h] = h.Size().Width
	}
	t.Table.MouseDown(e)
}

// MouseUp keeps a width changed by dragging a header's edge.
func (t *regTable) MouseUp(e *desktop.MouseEvent) {
	t.Table.MouseUp(e)
	t.noteResized()
}

// MouseMoved and MouseOut also look, for a drag let go outside the table,
// where the button's release goes to another widget.
func (t *regTable) MouseMoved(e *desktop.MouseEvent) {
	t.noteResized()
	t.Table.MouseMoved(e)
}

// MouseOut: see MouseMoved.
func (t *regTable) MouseOut() {
	t.noteResized()
	t.Table.MouseOut()
}

// noteResized finds the header whose width changed since the button went
// down: the one dragged (the others only move).
func (t *regTable) noteResized() {
	if t.before == nil {
		return
	}
	before := t.before
	t.before = nil
	for h, w := range before {
		if got := h.Size().Width; got != w && h.pos >= 0 && h.pos < len(t.s.order) {
			t.s.setColumnWidth(t.s.order[h.pos], got)
			return
		}
	}
}

// regHeader is a column header: a button that sorts by the column, with
// the grid line at its right edge.
type regHeader struct {
	widget.BaseWidget
	btn   *widget.Button
	lines gridLines
	pos   int // the column's position, -1 until shown
}

func newRegHeader() *regHeader {
	h := &regHeader{btn: widget.NewButton("", nil), pos: -1}
	h.btn.Importance = widget.LowImportance
	h.btn.Alignment = widget.ButtonAlignLeading
	h.lines = newGridLines()
	h.ExtendBaseWidget(h)
	return h
}

func (h *regHeader) CreateRenderer() fyne.WidgetRenderer {
	return &gridRenderer{box: container.NewStack(h.btn), lines: h.lines}
}

// gridLines are the line right of a cell and the line below it, drawn in
// the gap the table leaves between cells.
type gridLines struct{ right, below *canvas.Rectangle }

func newGridLines() gridLines {
	c := theme.Color(theme.ColorNameSeparator)
	return gridLines{right: canvas.NewRectangle(c), below: canvas.NewRectangle(c)}
}

// gridRenderer lays out a cell's content at its size and its grid lines
// in the gap beyond.
type gridRenderer struct {
	box   *fyne.Container
	lines gridLines
}

func (r *gridRenderer) Layout(size fyne.Size) {
	r.box.Resize(size)
	gap := theme.Padding()
	thick := theme.SeparatorThicknessSize()
	r.lines.right.Move(fyne.NewPos(size.Width+(gap-thick)/2, 0))
	r.lines.right.Resize(fyne.NewSize(thick, size.Height+gap))
	r.lines.below.Move(fyne.NewPos(0, size.Height+(gap-thick)/2))
	r.lines.below.Resize(fyne.NewSize(size.Width+gap, thick))
}

func (r *gridRenderer) MinSize() fyne.Size { return r.box.MinSize() }

func (r *gridRenderer) Refresh() {
	c := theme.Color(theme.ColorNameSeparator)
	for _, l := range []*canvas.Rectangle{r.lines.right, r.lines.below} {
		if l.FillColor != c {
			l.FillColor = c
			l.Refresh()
		}
	}
	r.box.Refresh()
}

func (r *gridRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.box, r.lines.right, r.lines.below}
}

func (r *gridRenderer) Destroy() {}
