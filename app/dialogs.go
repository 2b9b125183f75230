package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// formDialog shows content with a confirm button. submit runs on confirm;
// when it fails, its message is shown in problem and the dialog comes back
// with everything typed still in it, so nothing is lost to a mistake.
func (u *ui) formDialog(title, confirm string, content fyne.CanvasObject, problem *widget.Label, submit func() error) {
	var d *dialog.ConfirmDialog
	d = dialog.NewCustomConfirm(title, confirm, "Cancel", content, func(ok bool) {
		if !ok {
			return
		}
		if err := submit(); err != nil {
			setFieldError(problem, plainProblem(err))
			d.Show()
		}
	}, u.win)
	size := content.MinSize()
	if size.Width < 520 {
		size.Width = 520
	}
	d.Resize(fyne.NewSize(size.Width+40, size.Height+120))
	d.Show()
}

// plainProblem turns validation errors into sentences; other errors are
// shown as they are.
func plainProblem(err error) string {
	if v := model.AsValidation(err); v != nil {
		return v.Error()
	}
	return upperFirst(err.Error())
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// personForm is the form for a person's details.
type personForm struct {
	name, role, department, email *widget.Entry
	form                          *widget.Form
}

func newPersonForm(p model.Person) *personForm {
	f := &personForm{
		name:       widget.NewEntry(),
		role:       widget.NewEntry(),
		department: widget.NewEntry(),
		email:      widget.NewEntry(),
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
