package app

import (
	"image"
	"image/color"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// columnControls finds a column's line in the Columns dialog: its tick,
// its width box and its up and down buttons.
func columnControls(t *testing.T, objs []fyne.CanvasObject, title string) (*widget.Check, *lineEntry, *widget.Button, *widget.Button) {
	t.Helper()
	for i, o := range objs {
		c, ok := o.(*widget.Check)
		if !ok || c.Text != title {
			continue
		}
		var e *lineEntry
		var btns []*widget.Button
		for _, x := range objs[i+1:] {
			if le, ok := x.(*lineEntry); ok && e == nil {
				e = le
			}
			if b, ok := x.(*widget.Button); ok && e != nil {
				btns = append(btns, b)
				if len(btns) == 2 {
					return c, e, btns[0], btns[1]
				}
			}
		}
	}
	t.Fatalf("no column %q in the dialog", title)
	return nil, nil, nil, nil
}

// headerTexts are the column headers the table shows, in order.
func headerTexts(r *registerScreen) []string {
	out := make([]string, len(r.order))
	for _, h := range r.headers {
		if h.pos >= 0 && h.pos < len(out) && h.Visible() {
			out[h.pos] = h.btn.Text
		}
	}
	return out
}

// A person chooses, orders and sizes the columns in the Columns dialog;
// the choice shows at once, is kept for the next run, a bad width is
// refused in words, and Reset brings the default back.
func TestRegisterColumnsChosenAndKept(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	h.u.win.Resize(fyne.NewSize(1280, 720))
	r.onColumns()
	if cut := h.cutTexts(); len(cut) > 0 {
		t.Errorf("the Columns dialog cuts text at 1280 × 720: %q", cut)
	}
	objs := h.overlay()
	area, _, _, _ := columnControls(t, objs, "Area")
	test.Tap(area)
	grade, _, gradeUp, _ := columnControls(t, objs, "Grade")
	test.Tap(grade)
	test.Tap(gradeUp)
	test.Tap(gradeUp)
	_, statusW, _, _ := columnControls(t, objs, "Status")
	statusW.SetText("12")
	h.tapIn(objs, "Apply")
	// Refused in words, and the dialog stays with what was typed.
	objs = h.overlay()
	if !h.dialogShows("width is a whole number of pixels from 40 to 1000") || !h.dialogShows(`Status ("12")`) {
		t.Fatal("a 12-pixel width is not refused in words")
	}
	statusW.SetText("130")
	h.tapIn(objs, "Apply")
	h.noDialog()

	want := []int{colRef, colTitle, colStatus, colRAG, colTarget, colOverdue, colChief, colDelivery, colGrade}
	if !slices.Equal(r.order, want) {
		t.Fatalf("columns %v, want %v", r.order, want)
	}
	if r.widths[2] != 130 {
		t.Errorf("status column %v wide, want 130", r.widths[2])
	}
	if got := headerTexts(r); got[len(got)-1] != "Grade" || slices.Contains(got, "Area") {
		t.Errorf("headers %q", got)
	}

	// The next run shows the same.
	u2, err := newUI(h.u.app, Options{Store: h.store, Now: h.clock.Now}, false)
	if err != nil {
		t.Fatal(err)
	}
	u2.win.Resize(fyne.NewSize(1280, 720))
	u2.wait()
	r2 := u2.register
	if !slices.Equal(r2.order, want) || r2.setW[colStatus] != 130 || r2.widths[2] != 130 {
		t.Fatalf("after a restart: columns %v, widths %v", r2.order, r2.widths)
	}

	// Reset.
	r2.onColumns()
	top := u2.win.Canvas().Overlays().Top()
	objs = test.LaidOutObjects(top)
	h.tapIn(objs, "Reset to the default columns")
	h.tapIn(objs, "Apply")
	if !slices.Equal(r2.order, defaultColumns) || len(r2.setW) != 0 {
		t.Errorf("after Reset: columns %v, widths %v", r2.order, r2.setW)
	}
	if raw := u2.prefs.String(prefColumns); raw != "" {
		t.Errorf("after Reset the choice is still kept: %s", raw)
	}
}

// Dragging the grip at the right edge of a column's header changes the
// column's width as the pointer moves, and the width is kept for the next
// run; the title gives up the room, so the columns still fit the window.
func TestRegisterColumnResizedByDraggingIsKept(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	h.u.win.Resize(fyne.NewSize(1280, 720))
	status := slices.Index(r.order, colStatus)
	before, title := r.widths[status], r.widths[slices.Index(r.order, colTitle)]
	var grip *colGrip
	for _, hd := range r.headers {
		if hd.pos == status && hd.Visible() {
			grip = hd.grip
		}
	}
	if grip == nil {
		t.Fatal("no header for Status")
	}
	if grip.Cursor() != desktop.HResizeCursor {
		t.Error("the header's edge does not show the resize cursor")
	}
	// What the window sends as the pointer is dragged 15 pixels right.
	grip.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 10}})
	grip.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 5}})
	var live float32
	for _, hd := range r.headers {
		if hd.pos == status && hd.Visible() {
			live = hd.Size().Width
		}
	}
	if live != before+15 {
		t.Errorf("while dragging, Status is %v wide, want %v", live, before+15)
	}
	grip.DragEnd()

	if got := r.widths[status]; got != before+15 {
		t.Fatalf("Status is %v wide after dragging its edge 15 pixels from %v", got, before)
	}
	if got := r.widths[slices.Index(r.order, colTitle)]; got != title-15 {
		t.Errorf("title %v, want %v (giving up the room)", got, title-15)
	}
	u2, err := newUI(h.u.app, Options{Store: h.store, Now: h.clock.Now}, false)
	if err != nil {
		t.Fatal(err)
	}
	u2.win.Resize(fyne.NewSize(1280, 720))
	u2.wait()
	if got := u2.register.widths[status]; got != before+15 {
		t.Errorf("after a restart Status is %v wide, want %v", got, before+15)
	}
}

// With more columns than fit, scrolled sideways, one grid line and no
// more runs down the frozen reference column's right edge, and none
// through the references: Fyne's own separators were placed from the
// frozen column's width, so scrolled sideways a second line ran beside or
// through the references.
func TestFrozenRefColumnHasNoStrayGridLine(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	h.u.win.Resize(fyne.NewSize(1280, 720))
	r.setColumns(append(slices.Clone(defaultColumns), colType, colGrade), map[int]float32{colArea: 300})
	sep := theme.Color(theme.ColorNameSeparator)
	for _, off := range []float32{0, 150, 420, 800} {
		r.table.ScrollToOffset(fyne.NewPos(off, 0))
		img := h.u.win.Canvas().Capture()
		origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(r.table)
		top := int(origin.Y + r.headers[0].Size().Height + theme.Padding())
		bottom := int(origin.Y + r.table.Size().Height - theme.ScrollBarSize())
		// Lines: runs of columns of pixels mostly in the separator's
		// colour, from the reference column's left to just past its gap.
		lines, in := 0, false
		for x := int(origin.X + 2); x < int(origin.X+r.widths[0]+2*theme.Padding()); x++ {
			n := 0
			for y := top; y < bottom; y++ {
				if sameColour(img, x, y, sep) {
					n++
				}
			}
			line := n > (bottom-top)/2
			if line && !in {
				lines++
			}
			in = line
		}
		if lines != 1 {
			t.Fatalf("scrolled %v pixels sideways, %d grid lines run down the reference column, want 1", off, lines)
		}
	}
}

func sameColour(img image.Image, x, y int, c color.Color) bool {
	r1, g1, b1, _ := img.At(x, y).RGBA()
	r2, g2, b2, _ := c.RGBA()
	return r1>>8 == r2>>8 && g1>>8 == g2>>8 && b1>>8 == b2>>8
}
