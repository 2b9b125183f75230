package app

import (
	"image/color"

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

// regTable is the register's widget.Table. Column widths are changed by
// dragging a grip at the right edge of each header (colGrip), not by
// Fyne's own resizing: with a frozen column, Fyne measured the drag from
// the wrong edge (a column dragged 60 pixels wider became 110 narrower).
type regTable struct {
	widget.Table
	s *registerScreen
}

func newRegTable(s *registerScreen) *regTable {
	t := &regTable{s: s}
	t.Length = func() (int, int) { return len(s.shown), len(s.order) }
	t.CreateCell = func() fyne.CanvasObject { return newRegisterCell(s) }
	t.UpdateCell = s.updateCell
	t.CreateHeader = func() fyne.CanvasObject { return newRegHeader(s) }
	t.UpdateHeader = s.updateHeader
	t.OnSelected = s.onSelected
	t.ShowHeaderRow = true
	t.StickyColumnCount = 1
	t.HideSeparators = true
	t.ExtendBaseWidget(t)
	return t
}

// MouseDown does not start Fyne's resizing (see regTable).
func (t *regTable) MouseDown(*desktop.MouseEvent) {}

// Cursor is the arrow: Fyne's resize cursor between headers offered
// Fyne's resizing; the grips show their own.
func (t *regTable) Cursor() desktop.Cursor { return desktop.DefaultCursor }

// regHeader is a column header: a button that sorts by the column, a grip
// at its right edge to drag it wider or narrower, and the grid line.
type regHeader struct {
	widget.BaseWidget
	btn   *widget.Button
	grip  *colGrip
	lines gridLines
	pos   int // the column's position, -1 until shown
}

func newRegHeader(s *registerScreen) *regHeader {
	h := &regHeader{btn: widget.NewButton("", nil), pos: -1}
	h.btn.Importance = widget.LowImportance
	h.btn.Alignment = widget.ButtonAlignLeading
	h.grip = &colGrip{s: s, h: h}
	h.grip.ExtendBaseWidget(h.grip)
	h.lines = newGridLines()
	h.ExtendBaseWidget(h)
	return h
}

func (h *regHeader) CreateRenderer() fyne.WidgetRenderer {
	box := container.New(&gripLayout{}, h.btn, h.grip)
	return &gridRenderer{box: box, lines: h.lines}
}

// gripWidth is how much of a header's right edge takes a drag.
const gripWidth = 8

// gripLayout gives the button the header and the grip its right edge.
type gripLayout struct{}

func (gripLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Move(fyne.NewPos(0, 0))
	objs[0].Resize(size)
	objs[1].Move(fyne.NewPos(size.Width-gripWidth, 0))
	objs[1].Resize(fyne.NewSize(gripWidth, size.Height))
}

func (gripLayout) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// colGrip is the right edge of a header: dragged, it makes the column
// wider or narrower as the pointer moves, and the width is kept when the
// button is let go.
type colGrip struct {
	widget.BaseWidget
	s *registerScreen
	h *regHeader
	// dragging is set during a drag; from is the width it started at and
	// moved how far the pointer has gone since.
	dragging    bool
	from, moved float32
}

func (g *colGrip) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Cursor shows that the edge can be dragged.
func (g *colGrip) Cursor() desktop.Cursor { return desktop.HResizeCursor }

// Dragged resizes the column as the pointer moves.
func (g *colGrip) Dragged(e *fyne.DragEvent) {
	pos := g.h.pos
	if pos < 0 || pos >= len(g.s.widths) {
		return
	}
	if !g.dragging {
		g.dragging, g.from, g.moved = true, g.s.widths[pos], 0
	}
	g.moved += e.Dragged.DX
	g.s.table.SetColumnWidth(pos, max(minColWidth, g.from+g.moved))
}

// DragEnd keeps the width.
func (g *colGrip) DragEnd() {
	if !g.dragging {
		return
	}
	g.dragging = false
	if pos := g.h.pos; pos >= 0 && pos < len(g.s.order) {
		g.s.setColumnWidth(g.s.order[pos], max(minColWidth, g.from+g.moved))
	}
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
