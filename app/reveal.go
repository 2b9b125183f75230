package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Fyne moves the keyboard with Tab to a field below (or above) the part of
// a form in view without scrolling to it, so a person typed into a field
// they could not see. The app's text fields scroll themselves into view
// when they gain the keyboard: reveal finds the scrolled container around
// the field and scrolls it just far enough.

// FocusGained scrolls the field into view.
func (e *lineEntry) FocusGained() {
	e.Entry.FocusGained()
	reveal(e)
}

// FocusGained scrolls the field into view.
func (t *textArea) FocusGained() {
	t.Entry.FocusGained()
	reveal(t)
}

// FocusGained scrolls the field into view.
func (e *dateEntry) FocusGained() {
	e.Entry.FocusGained()
	reveal(e)
}

// formSelect is a drop-down list of the finding's form that scrolls
// itself into view when it takes the keyboard.
type formSelect struct {
	widget.Select
}

func newFormSelect(options []string, changed func(string)) *formSelect {
	s := &formSelect{}
	s.Options, s.OnChanged = options, changed
	s.PlaceHolder = widget.NewSelect(nil, nil).PlaceHolder // Fyne's "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

// FocusGained scrolls the list into view.
func (s *formSelect) FocusGained() {
	s.Select.FocusGained()
	reveal(s)
}

// formSelectEntry is the finding's Area box (a list to choose from or
// type into), which scrolls itself into view when it takes the keyboard.
type formSelectEntry struct {
	widget.SelectEntry
}

func newFormSelectEntry() *formSelectEntry {
	s := &formSelectEntry{}
	s.ExtendBaseWidget(s)
	s.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as NewSelectEntry
	return s
}

// FocusGained scrolls the box into view.
func (s *formSelectEntry) FocusGained() {
	s.SelectEntry.FocusGained()
	reveal(s)
}

// formCheck is a tick box of the finding's form that scrolls itself into
// view when it takes the keyboard.
type formCheck struct {
	widget.Check
}

func newFormCheck(label string, changed func(bool)) *formCheck {
	c := &formCheck{}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// FocusGained scrolls the tick box into view.
func (c *formCheck) FocusGained() {
	c.Check.FocusGained()
	reveal(c)
}

// formButton is a button inside the finding's form that scrolls itself
// into view when it takes the keyboard.
type formButton struct {
	widget.Button
}

func newFormButton(label string, icon fyne.Resource, tapped func()) *formButton {
	b := &formButton{}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// FocusGained scrolls the button into view.
func (b *formButton) FocusGained() {
	b.Button.FocusGained()
	reveal(b)
}

// reveal scrolls the innermost vertical scroll holding o so that all of o
// (or as much as fits, its top first) is in view. It does nothing for an
// object in no scroll, or already in view.
func reveal(o fyne.CanvasObject) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	roots := []fyne.CanvasObject{c.Content()}
	if top := c.Overlays().Top(); top != nil {
		roots = append([]fyne.CanvasObject{top}, roots...)
	}
	for _, root := range roots {
		if s, ok := scrollAround(root, o, nil); ok {
			if s != nil {
				d := fyne.CurrentApp().Driver()
				y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s.Content).Y
				scrollToShow(s, y, o.Size().Height)
			}
			return
		}
	}
}

// scrollAround looks for o under from, through the containers a form is
// built of (boxes, forms, tabs, splits, scrolls), and returns the innermost
// vertical scroll on the way (s is the one found so far) and whether o
// was found.
func scrollAround(from, o fyne.CanvasObject, s *container.Scroll) (*container.Scroll, bool) {
	if from == o {
		return s, true
	}
	if from == nil || !from.Visible() {
		return nil, false
	}
	var kids []fyne.CanvasObject
	switch v := from.(type) {
	case *container.Scroll:
		if v.Direction != container.ScrollHorizontalOnly && v.Direction != container.ScrollNone {
			s = v
		}
		kids = []fyne.CanvasObject{v.Content}
	case *fyne.Container:
		kids = v.Objects
	case *widget.Form:
		for _, it := range v.Items {
			kids = append(kids, it.Widget)
		}
	case *container.AppTabs:
		if t := v.Selected(); t != nil {
			kids = []fyne.CanvasObject{t.Content}
		}
	case *container.Split:
		kids = []fyne.CanvasObject{v.Leading, v.Trailing}
	case *widget.PopUp:
		kids = []fyne.CanvasObject{v.Content}
	}
	for _, k := range kids {
		if found, ok := scrollAround(k, o, s); ok {
			return found, true
		}
	}
	return nil, false
}

// scrollToShow scrolls s so that the span from y, h high, within its
// content is in view, with a little room around it.
func scrollToShow(s *container.Scroll, y, h float32) {
	pad := theme.Padding() * 2
	view := s.Size().Height
	off := s.Offset.Y
	switch {
	case y-pad < off:
		off = y - pad
	case y+h+pad > off+view:
		off = min(y-pad, y+h+pad-view) // its top stays in view if it is taller
	default:
		return
	}
	s.ScrollToOffset(fyne.NewPos(s.Offset.X, max(0, off)))
}
