package app

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// dateEntry is a text field for a dd/mm/yyyy date with a calendar button.
// Fyne's own DateEntry follows the machine's locale (an en_US laptop would
// show 03/04/2026 for 4 March); forces date things the UK way on every
// machine, so this one always reads and writes dd/mm/yyyy and explains a bad
// date in words from model.ParseDate.
type dateEntry struct {
	widget.Entry
	popUp *widget.PopUp
}

func newDateEntry() *dateEntry {
	e := &dateEntry{}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = "dd/mm/yyyy"
	e.Validator = func(s string) error {
		_, err := model.ParseDate(s)
		return err
	}
	e.ActionItem = newCalendarIcon(e.onCalendar)
	return e
}

// MinSize leaves room for a full date and the calendar button.
func (e *dateEntry) MinSize() fyne.Size {
	min := e.Entry.MinSize()
	// The text, plus what the entry draws beside it: the calendar button,
	// the validation icon and the inner padding either side. Less than
	// this and Fyne scrolls the date sideways, hiding its year.
	w := fyne.MeasureText("00/00/00000", theme.TextSize(), fyne.TextStyle{}).Width +
		e.ActionItem.MinSize().Width + theme.IconInlineSize() +
		theme.InnerPadding()*2 + theme.InputBorderSize()*2 + theme.Padding()*2
	if min.Width < w {
		min.Width = w
	}
	return min
}

// TypedKey passes Escape on to the window.
func (e *dateEntry) TypedKey(ev *fyne.KeyEvent) {
	if !escapeToWindow(e, ev) {
		e.Entry.TypedKey(ev)
	}
}

// Date returns the date typed, the zero date when empty, or the reason the
// text is not a date.
func (e *dateEntry) Date() (model.Date, error) { return model.ParseDate(e.Text) }

// SetDate shows d, or clears the field for the zero date.
func (e *dateEntry) SetDate(d model.Date) { e.SetText(d.String()) }

func (e *dateEntry) onCalendar() {
	start := time.Now()
	if d, err := e.Date(); err == nil && !d.IsZero() {
		start = d.Time()
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	if c == nil {
		return
	}
	cal := widget.NewCalendar(start, func(t time.Time) {
		e.SetDate(model.DateOf(t))
		if e.popUp != nil {
			e.popUp.Hide()
		}
	})
	e.popUp = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
	e.popUp.ShowAtPosition(pos.Add(fyne.NewPos(0, e.Size().Height)))
}

// ragChip shows a RAG rating as a coloured, rounded chip with its word.
type ragChip struct {
	widget.BaseWidget
	rag  model.RAG
	bg   *canvas.Rectangle
	text *canvas.Text
}

func newRAGChip() *ragChip {
	c := &ragChip{
		bg:   canvas.NewRectangle(color.Transparent),
		text: canvas.NewText("", color.White),
	}
	c.bg.CornerRadius = theme.InputRadiusSize() * 2
	c.text.TextStyle = fyne.TextStyle{Bold: true}
	c.text.Alignment = fyne.TextAlignCenter
	c.text.TextSize = theme.TextSize() * 0.9
	c.ExtendBaseWidget(c)
	return c
}

// SetRAG shows r; the empty rating shows "Not rated".
func (c *ragChip) SetRAG(r model.RAG) {
	c.rag = r
	word := string(r)
	if r == "" {
		word = "Not rated"
	}
	bg, fg := ragColors(r)
	c.bg.FillColor = bg
	c.text.Color = fg
	c.text.Text = word
	c.Refresh()
}

func (c *ragChip) CreateRenderer() fyne.WidgetRenderer {
	return &ragChipRenderer{c: c, objs: []fyne.CanvasObject{c.bg, c.text}}
}

type ragChipRenderer struct {
	c    *ragChip
	objs []fyne.CanvasObject
}

func (r *ragChipRenderer) Layout(size fyne.Size) {
	min := r.MinSize()
	h := min.Height
	if h > size.Height {
		h = size.Height
	}
	w := min.Width
	if w > size.Width {
		w = size.Width
	}
	y := (size.Height - h) / 2
	r.c.bg.Move(fyne.NewPos(0, y))
	r.c.bg.Resize(fyne.NewSize(w, h))
	ts := r.c.text.MinSize()
	r.c.text.Move(fyne.NewPos((w-ts.Width)/2, y+(h-ts.Height)/2))
	r.c.text.Resize(ts)
}

func (r *ragChipRenderer) MinSize() fyne.Size {
	// Wide enough for the longest word so chips line up in a column.
	probe := canvas.NewText("Not rated", color.Black)
	probe.TextSize = r.c.text.TextSize
	probe.TextStyle = r.c.text.TextStyle
	s := probe.MinSize()
	return fyne.NewSize(s.Width+theme.Padding()*3, s.Height+theme.Padding())
}

func (r *ragChipRenderer) Refresh() {
	r.c.bg.Refresh()
	r.c.text.Refresh()
	r.Layout(r.c.Size())
}
func (r *ragChipRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *ragChipRenderer) Destroy()                     {}

// fieldError is the plain-words problem shown beside a form field; hidden
// while there is none.
func newFieldError() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

func setFieldError(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// formRow lays out a label, a field and the field's error underneath.
func formRow(label string, field fyne.CanvasObject, errLabel *widget.Label) *widget.FormItem {
	if errLabel == nil {
		return widget.NewFormItem(label, field)
	}
	return widget.NewFormItem(label, container.NewVBox(field, errLabel))
}

// heading is a bold section title.
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return l
}

// hint is a line of guidance beside a field: italic rather than greyed,
// because the theme's disabled grey is hard to read.
func hint(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle = fyne.TextStyle{Italic: true}
	return l
}

// spacer pushes following objects to the far end of a box.
func spacer() fyne.CanvasObject { return layout.NewSpacer() }

// personLabel names a person for a list, or "" for no one.
func personLabel(people map[model.ID]model.Person, id model.ID) string {
	if id == 0 {
		return ""
	}
	if p, ok := people[id]; ok {
		return p.Label()
	}
	return ""
}

// personShort is the compact form for table cells: the name, or the role
// when the person is known by a role title.
func personShort(people map[model.ID]model.Person, id model.ID) string {
	p, ok := people[id]
	if !ok || id == 0 {
		return ""
	}
	if p.Name != "" {
		return abbreviateRanks(p.Name)
	}
	return abbreviateRanks(p.Role)
}

// rankAbbreviations are the short forms forces use in tables and minutes,
// longest first so that "Deputy Chief Constable" is not read as "Chief
// Constable". In a narrow column the part that tells two leads apart ("ACC
// (Crime)", "ACC (Local Policing)") then stays in view.
var rankAbbreviations = strings.NewReplacer(
	"Detective Chief Superintendent", "Det Ch Supt",
	"Assistant Chief Constable", "ACC",
	"Deputy Chief Constable", "DCC",
	"Assistant Chief Officer", "ACO",
	"Chief Superintendent", "Ch Supt",
	"Detective Superintendent", "Det Supt",
	"Detective Chief Inspector", "DCI",
	"Chief Constable", "CC",
	"Superintendent", "Supt",
	"Chief Inspector", "Ch Insp",
	"Detective Inspector", "DI",
)

func abbreviateRanks(s string) string { return rankAbbreviations.Replace(s) }

func peopleByID(ps []model.Person) map[model.ID]model.Person {
	m := make(map[model.ID]model.Person, len(ps))
	for _, p := range ps {
		m[p.ID] = p
	}
	return m
}

// formatTime shows an instant the UK way in local time: 12/03/2026 14:05.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("02/01/2006 15:04")
}

// times says how often something happened: "once", "twice", "3 times".
func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

// calendarIcon is the calendar button of a dateEntry. It is an icon that
// answers a click but never takes the keyboard: as a button it sat in the
// Tab order between every date and the next field, so a person tabbing
// through a form pressed it with the next space they typed.
type calendarIcon struct {
	widget.BaseWidget
	onTap func()
}

func newCalendarIcon(onTap func()) *calendarIcon {
	c := &calendarIcon{onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

func (c *calendarIcon) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(widget.NewIcon(theme.CalendarIcon())))
}

// MinSize leaves the same room round the icon as a button would.
func (c *calendarIcon) MinSize() fyne.Size {
	return fyne.NewSquareSize(theme.IconInlineSize() + theme.InnerPadding())
}

// Tapped opens the calendar.
func (c *calendarIcon) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap()
	}
}

// Cursor shows the pointing hand, so the icon reads as clickable.
func (c *calendarIcon) Cursor() desktop.Cursor { return desktop.PointerCursor }

// lineEntry is a one-line text field that passes Escape on to the window.
// Fyne's Entry ignores Escape, so without this a lead who had typed in a
// field had to press Escape twice (or click away) to leave the editor or
// a dialog.
type lineEntry struct {
	widget.Entry
}

func newLineEntry() *lineEntry {
	e := &lineEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey passes Escape on to the window.
func (e *lineEntry) TypedKey(ev *fyne.KeyEvent) {
	if !escapeToWindow(e, ev) {
		e.Entry.TypedKey(ev)
	}
}

// escapeToWindow hands Escape typed in a field to the window's own key
// handler (the one that runs when no field has the keyboard), which
// cancels the dialog or the editor in front. It reports whether it did.
func escapeToWindow(o fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	if ev.Name != fyne.KeyEscape {
		return false
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil || c.OnTypedKey() == nil {
		return false
	}
	c.OnTypedKey()(ev)
	return true
}

// textArea is a multi-line text field in which Tab moves on to the next
// field, as in a form, rather than typing a tab character: people fill in
// a reason and then Tab to "Agreed by", and a tab in a narrative means
// nothing in the return.
//
// It also keeps the text exactly as typed where Fyne v2.7.1 does not. Word
// wrapping hides the space at a wrap point (RichText's lineBounds skips it
// and starts the next row after it), so when the space typed is the last
// character of its line there is no row and column for the place after it.
// Entry.rowColFromTextPos then leaves the cursor before the space, and the
// next letter typed goes in front of it: "28/11/2026: PIP2" became
// "28/11/2026:PIP2 " and the trailing space was trimmed on save. This is
// fyne-io/fyne#2698 ("Some incorrect cursor movement in a multiline entry
// with wrapping", the space-key case), still present in v2.7.1. textArea
// notices when Fyne's cursor is short of where the typing is, and puts the
// next keystroke where it belongs (see lost).
type textArea struct {
	widget.Entry

	// lost, when set, is where the typing really is while Fyne's cursor
	// sits on the hidden space before it.
	lost *lostCursor
}

// lostCursor is the place Fyne's cursor could not reach: the text at the
// time, Fyne's cursor offset (on the hidden space) and the true offset.
type lostCursor struct {
	text      string
	fyne, pos int
}

func newTextArea() *textArea {
	t := &textArea{}
	t.MultiLine = true
	t.Wrapping = fyne.TextWrapWord
	t.ExtendBaseWidget(t)
	return t
}

// AcceptsTab reports false, so that Tab moves the keyboard to the next
// field.
func (t *textArea) AcceptsTab() bool { return false }

// TypedRune types r where the cursor really is.
func (t *textArea) TypedRune(r rune) { t.insert(string(r), func() { t.Entry.TypedRune(r) }) }

// TypedKey handles Return and Backspace while the cursor is lost; other
// keys move the cursor, so Fyne's own place is right again.
func (t *textArea) TypedKey(ev *fyne.KeyEvent) {
	if escapeToWindow(t, ev) {
		return
	}
	l := t.lostHere()
	switch {
	case l == nil:
	case ev.Name == fyne.KeyReturn || ev.Name == fyne.KeyEnter:
		t.insert("\n", func() { t.Entry.TypedKey(ev) })
		return
	case ev.Name == fyne.KeyBackspace:
		// The character before the true place is the hidden space, which
		// sits just after Fyne's cursor: delete it forwards.
		t.lost = nil
		for range l.pos - l.fyne {
			t.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
		}
		return
	}
	t.lost = nil
	t.Entry.TypedKey(ev)
}

// TypedShortcut pastes where the cursor really is.
func (t *textArea) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && p.Clipboard != nil && !t.Disabled() {
		text := p.Clipboard.Content()
		t.insert(text, func() { t.Entry.TypedShortcut(s) })
		return
	}
	t.lost = nil
	t.Entry.TypedShortcut(s)
}

// MouseDown forgets the lost place: a click puts the cursor somewhere new.
func (t *textArea) MouseDown(ev *desktop.MouseEvent) {
	t.lost = nil
	t.Entry.MouseDown(ev)
}

// FocusLost forgets the lost place.
func (t *textArea) FocusLost() {
	t.lost = nil
	t.Entry.FocusLost()
}

// SetText forgets the lost place.
func (t *textArea) SetText(s string) {
	t.lost = nil
	t.Entry.SetText(s)
}

// lostHere returns the lost place if the text and Fyne's cursor are still
// as they were when it was noted.
func (t *textArea) lostHere() *lostCursor {
	l := t.lost
	if l == nil || l.text != t.Text || t.SelectedText() != "" || t.CursorTextOffset() != l.fyne {
		t.lost = nil
		return nil
	}
	return l
}

// insert puts s at the cursor. Normally Fyne does it (fyneInsert); when
// the cursor is lost, the hidden characters between Fyne's cursor and the
// true place are deleted and pasted again in front of s, so that s lands
// after them. Either way, if Fyne's cursor then falls short of the end of
// what was inserted, the true place is noted for the next keystroke.
func (t *textArea) insert(s string, fyneInsert func()) {
	if t.Disabled() {
		return
	}
	if t.SelectedText() != "" {
		// Typing over a selection replaces it: erase it first, so that the
		// insertion point is known.
		t.lost = nil
		t.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	}
	if l := t.lostHere(); l != nil {
		hidden := string([]rune(t.Text)[l.fyne:l.pos])
		for range l.pos - l.fyne {
			t.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
		}
		s = hidden + s
		fyneInsert = func() { t.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: &textClipboard{s}}) }
	}
	t.lost = nil
	at := t.CursorTextOffset()
	before := len([]rune(t.Text))
	fyneInsert()
	// Fyne may refuse or change what is inserted (a single-line entry
	// flattens newlines); only a clean insertion is followed.
	added := len([]rune(t.Text)) - before
	if added != len([]rune(s)) {
		return
	}
	if want, got := at+added, t.CursorTextOffset(); got < want {
		t.lost = &lostCursor{text: t.Text, fyne: got, pos: want}
	}
}

// textClipboard is a clipboard holding one text, so that textArea can
// insert several characters in one step without touching the system
// clipboard.
type textClipboard struct{ s string }

func (c *textClipboard) Content() string     { return c.s }
func (c *textClipboard) SetContent(s string) { c.s = s }
