package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// A register may be open for reading only: a file on read-only media, or a
// shared register whose login is a viewer (a chief officer). The store
// refuses every change in words whatever the window does; the window says
// so up front, with a banner over every screen, and refuses a change before
// a form is filled in, so that nobody types an update the register cannot
// take.

// readOnlyNoticer is a store that can say why it is read-only, in words
// for a banner (the file store and the server store both can).
type readOnlyNoticer interface {
	ReadOnlyNotice() string
}

// readOnly reports whether the open register may not be changed from this
// window, and why.
func (u *ui) readOnly() (bool, string) {
	ro, ok := u.store.(model.ReadOnlyStore)
	if !ok || !ro.ReadOnly() {
		return false, ""
	}
	why := "this register is open for reading only"
	if n, ok := u.store.(readOnlyNoticer); ok && n.ReadOnlyNotice() != "" {
		why = n.ReadOnlyNotice()
	}
	return true, why
}

// refuseChange says so, and returns true, when the register cannot be
// changed here. Every action that would open a form to change the register
// asks it first.
func (u *ui) refuseChange() bool {
	ro, why := u.readOnly()
	if !ro {
		return false
	}
	dialog.ShowInformation("Read only", sentence(why)+"\n\nYou can read, search and export the register; nothing can be changed from here.", u.win)
	return true
}

// readOnlyBanner is the line over every screen of a read-only register.
type readOnlyBanner struct {
	text *widget.Label
	box  *fyne.Container
}

func newReadOnlyBanner() *readOnlyBanner {
	b := &readOnlyBanner{text: widget.NewLabel("")}
	b.text.Wrapping = fyne.TextWrapWord
	b.text.Importance = widget.WarningImportance
	b.box = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, b.text)
	b.box.Hide()
	return b
}

// syncReadOnly shows or hides the banner, and switches the changing actions
// that stay on screen on or off, for the register now open.
func (u *ui) syncReadOnly() {
	ro, why := u.readOnly()
	if ro {
		u.roBanner.text.SetText("Read only: " + why + ". You can read, search and export; changes are switched off.")
		u.roBanner.box.Refresh()
		u.roBanner.box.Show()
		u.register.newBtn.Disable()
	} else {
		u.roBanner.box.Hide()
		u.register.newBtn.Enable()
	}
	// Showing or hiding the banner changes the height of the window's top
	// line, which its container lays out again only when refreshed.
	if c := u.win.Content(); c != nil {
		c.Refresh()
	}
	if u.newFindingItem != nil && u.newFindingItem.Disabled != ro {
		u.newFindingItem.Disabled = ro
		if m := u.win.MainMenu(); m != nil {
			m.Refresh()
		}
	}
}

// sentence gives s a capital letter and a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = model.UpperFirst(s)
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// lockFields switches off every field under o, so that a viewer cannot
// type into a form the register will not take (Save alone being off let
// them type whole paragraphs first). Buttons that only show something
// (the calendar beside a date) go off with them.
func lockFields(o fyne.CanvasObject) {
	if o == nil {
		return
	}
	// A form is gone through item by item: disabling it whole before it
	// is drawn fails inside Fyne.
	if _, form := o.(*widget.Form); !form {
		if d, ok := o.(fyne.Disableable); ok {
			d.Disable()
		}
	}
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			lockFields(child)
		}
	case *container.Scroll:
		lockFields(c.Content)
	case *widget.Form:
		for _, item := range c.Items {
			lockFields(item.Widget)
		}
	}
}
