package app

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/internal/infile"
	"improvementtracker/model"
)

// formDialog shows content with a confirm button. submit runs on confirm;
// when it fails, its message is shown in problem and the dialog comes back
// with everything typed still in it, so nothing is lost to a mistake.
// The keyboard starts in the first field, or in start when given (a field
// after one filled in for the person, such as today's date), and Enter in
// a one-line field confirms, as in any desktop dialog.
func (u *ui) formDialog(title, confirm string, content fyne.CanvasObject, problem *widget.Label, submit func() error, start ...fyne.Focusable) {
	fields := fieldsIn(content)
	// last is the field Enter was pressed in; the keyboard goes back to
	// it when the dialog returns with a problem.
	var last fyne.Focusable
	focus := func() {
		if last != nil {
			u.win.Canvas().Focus(last)
			return
		}
		if len(start) > 0 {
			u.win.Canvas().Focus(start[0])
			return
		}
		for _, f := range fields {
			if !f.entry.Disabled() {
				u.win.Canvas().Focus(f.focus)
				return
			}
		}
	}
	// typed is what the fields held when the dialog opened: cancelling
	// after typing asks first, since text typed is not kept anywhere else.
	typed := func() []string {
		out := make([]string, len(fields))
		for i, f := range fields {
			out[i] = f.entry.Text
		}
		return out
	}
	opened := typed()
	var d *dialog.ConfirmDialog
	show := func() {
		u.showDialog(d)
		focus()
	}
	d = dialog.NewCustomConfirm(title, confirm, "Cancel", content, func(ok bool) {
		u.dialogClosed(d)
		if !ok {
			if !slices.Equal(typed(), opened) {
				u.confirmDiscardTyping(show)
			}
			return
		}
		if err := submit(); err != nil {
			setFieldError(problem, plainProblem(err))
			show()
		}
	}, u.win)
	size := content.MinSize()
	if size.Width < 520 {
		size.Width = 520
	}
	d.Resize(fyne.NewSize(size.Width+40, size.Height+120))
	for _, f := range fields {
		if !f.entry.MultiLine && f.entry.OnSubmitted == nil {
			f := f
			f.entry.OnSubmitted = func(string) {
				last = f.focus
				d.Confirm()
			}
		}
	}
	show()
}

// confirmDiscardTyping asks before throwing away what was typed in a
// dialog being cancelled; keep shows the dialog again as it was.
func (u *ui) confirmDiscardTyping(keep func()) {
	var c *dialog.ConfirmDialog
	c = newConfirm("Discard what you typed?",
		"What you typed in this dialog has not been saved.", func(discard bool) {
			u.dialogClosed(c)
			if !discard {
				keep()
			}
		}, u.win)
	c.SetConfirmText("Discard")
	c.SetDismissText("Keep writing")
	c.SetConfirmImportance(widget.WarningImportance)
	u.showDialog(c)
}

// escapable is a dialog that Escape closes as its Cancel button would,
// and how many overlays were showing once it was, so that Escape closes
// it only while it is the one in front.
type escapable struct {
	d     dialog.Dialog
	depth int
}

// showDialog shows d and lets Escape cancel it (see onEscape).
func (u *ui) showDialog(d dialog.Dialog) {
	d.Show()
	u.escapes = append(u.escapes, escapable{d, len(u.win.Canvas().Overlays().List())})
}

// inform shows a message with an OK button that Enter and Escape both
// press, as they close a message in every other program: the dialog has
// no field to take the keyboard, so the keys reach the window.
func (u *ui) inform(title, message string) {
	d := dialog.NewInformation(title, message, u.win)
	d.SetOnClosed(func() {
		u.dialogClosed(d)
		u.okays = slices.DeleteFunc(u.okays, func(e escapable) bool { return e.d == d })
	})
	u.showDialog(d)
	u.okays = append(u.okays, escapable{d, len(u.win.Canvas().Overlays().List())})
}

// onEnter presses OK on the message in front, if that is what is in front.
func (u *ui) onEnter() {
	n := len(u.okays)
	if n > 0 && u.okays[n-1].depth == len(u.win.Canvas().Overlays().List()) {
		u.okays[n-1].d.Hide()
	}
}

// dialogClosed forgets d once it has closed.
func (u *ui) dialogClosed(d dialog.Dialog) {
	u.escapes = slices.DeleteFunc(u.escapes, func(e escapable) bool { return e.d == d })
}

// field is a text field in a dialog: its Entry, and the widget that takes
// the keyboard for it (a dateEntry rather than the Entry it embeds).
type field struct {
	entry *widget.Entry
	focus fyne.Focusable
}

// fieldsIn lists the text fields in o in reading order, looking inside
// forms, containers and scrolls.
func fieldsIn(o fyne.CanvasObject) []field {
	var out []field
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Entry:
			out = append(out, field{v, v})
		case *lineEntry:
			out = append(out, field{&v.Entry, v})
		case *dateEntry:
			out = append(out, field{&v.Entry, v})
		case *textArea:
			out = append(out, field{&v.Entry, v})
		case *widget.Form:
			for _, it := range v.Items {
				walk(it.Widget)
			}
		case *container.Scroll:
			walk(v.Content)
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// plainProblem turns validation errors into sentences; other errors are
// shown as they are.
func plainProblem(err error) string {
	if v := model.AsValidation(err); v != nil {
		return v.Error()
	}
	return model.UpperFirst(err.Error())
}

// personForm is the form for a person's details.
type personForm struct {
	name, role, department, email *lineEntry
	form                          *widget.Form
}

func newPersonForm(p model.Person) *personForm {
	f := &personForm{
		name:       newLineEntry(),
		role:       newLineEntry(),
		department: newLineEntry(),
		email:      newLineEntry(),
	}
	f.name.SetText(p.Name)
	f.role.SetText(p.Role)
	f.department.SetText(p.Department)
	f.email.SetText(p.Email)
	f.role.SetPlaceHolder("role or rank, e.g. Assistant Chief Constable (Crime)")
	f.form = widget.NewForm(
		widget.NewFormItem("Name", f.name),
		widget.NewFormItem("Role or rank", f.role),
		widget.NewFormItem("Department", f.department),
		widget.NewFormItem("Email", f.email),
	)
	return f
}

func (f *personForm) apply(p *model.Person) {
	p.Name = strings.TrimSpace(f.name.Text)
	p.Role = strings.TrimSpace(f.role.Text)
	p.Department = strings.TrimSpace(f.department.Text)
	p.Email = strings.TrimSpace(f.email.Text)
}

// addPersonDialog asks for a new person's details, stores them and calls
// done with the stored person.
func (u *ui) addPersonDialog(done func(model.Person)) {
	u.editPersonDialog(model.Person{}, done)
}

// editPersonDialog edits p (or adds it when p.ID is 0).
func (u *ui) editPersonDialog(p model.Person, done func(model.Person)) {
	if u.refuseChange() {
		return
	}
	form := newPersonForm(p)
	problem := newFieldError()
	title := "Add a person"
	if p.ID != 0 {
		title = "Edit " + p.Label()
	}
	u.formDialog(title, "Save", wrapWithProblem(form.form, problem), problem, func() error {
		q := p
		form.apply(&q)
		if err := q.Validate(); err != nil {
			return err
		}
		if err := u.update(func(tx model.Tx) error { return tx.SavePerson(&q) }); err != nil {
			return fmt.Errorf("the person was not saved: %w", err)
		}
		u.changed()
		if done != nil {
			done(q)
		}
		return nil
	})
}

func wrapWithProblem(o fyne.CanvasObject, problem *widget.Label) fyne.CanvasObject {
	return container.NewVBox(o, problem)
}

// readCapped reads a file the user picked, and closes it. It reads one byte
// past limit, so that an oversized file is found without reading all of
// it; over reports that, and data then holds limit+1 bytes.
//
// A file picked from the disk is first checked to be a regular file: a
// device gives data without end and a pipe none, so neither is read.
func readCapped(r io.ReadCloser, limit int) (data []byte, over bool, err error) {
	defer r.Close()
	if u, ok := r.(fyne.URIReadCloser); ok && u.URI() != nil && u.URI().Scheme() == "file" {
		if _, err := infile.Check(u.URI().Path(), "the file", int64(limit)); err != nil && !strings.Contains(err.Error(), "larger than") {
			return nil, false, err
		}
	}
	data, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, false, errors.New(infile.Plain(err))
	}
	return data, len(data) > limit, nil
}

// newConfirm is dialog.NewConfirm without its question-mark icon, which
// Fyne v2.7.1 draws over the end of a long title. The buttons read Yes and
// No until the caller names them.
func newConfirm(title, message string, callback func(bool), parent fyne.Window) *dialog.ConfirmDialog {
	return dialog.NewCustomConfirm(title, "Yes", "No", widget.NewLabel(message), callback, parent)
}
