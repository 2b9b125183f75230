package app

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// onSettings opens the register's settings.
func (u *ui) onSettings() { u.settingsDialog(nil) }

// settingsDialog edits the force name, the reference prefix, the default
// protective marking and the author written on updates; done runs after a
// successful save.
func (u *ui) settingsDialog(done func()) {
	if u.refuseChange() {
		return
	}
	cur, err := u.settings()
	if err != nil {
		u.showError(fmt.Errorf("reading the settings: %w", err))
		return
	}
	force := newLineEntry()
	force.SetText(cur.ForceName)
	force.SetPlaceHolder("e.g. Kent Police")
	prefix := newLineEntry()
	prefix.SetText(cur.RefPrefix)
	prefix.SetPlaceHolder("e.g. KEN")
	classes := make([]string, len(model.Classifications))
	for i, c := range model.Classifications {
		classes[i] = string(c)
	}
	class := widget.NewSelect(classes, nil)
	class.SetSelected(string(orClass(cur.DefaultMarking.Classification)))
	descriptor := newLineEntry()
	descriptor.SetText(cur.DefaultMarking.Descriptor)
	descriptor.SetPlaceHolder("e.g. PERSONAL")
	author := newLineEntry()
	author.SetText(cur.Author)
	author.SetPlaceHolder("your name, for updates and history")
	var people []model.Person
	if err := u.store.View(context.Background(), func(tx model.ReadTx) (err error) { people, err = tx.People(); return }); err != nil {
		u.showError(fmt.Errorf("reading the people: %w", err))
		return
	}
	me, saveMe := u.meChoice(people)
	notRated := widget.NewCheck("Leave findings that are complete or closed without a RAG rating (instead of Blue)", nil)
	notRated.SetChecked(cur.ClosedNotRated)
	problem := newFieldError()
	form := widget.NewForm(
		widget.NewFormItem("Force name", force),
		widget.NewFormItem("Reference prefix", prefix),
		widget.NewFormItem("Default marking", container.NewGridWithColumns(2, class, descriptor)),
		widget.NewFormItem("Author", author),
		widget.NewFormItem("Closed findings", notRated),
		widget.NewFormItem("You are", me),
	)
	help := widget.NewLabel("The prefix starts every local reference, e.g. KEN-PEEL2122-AFI-07; it applies from now on, and references already given do not change. " +
		"The closed findings setting applies to every finding that is complete or closed, those closed already included, and to every as-at view.")
	help.Wrapping = fyne.TextWrapWord
	help.TextStyle = fyne.TextStyle{Italic: true}
	u.formDialog("Register settings", "Save", container.NewVBox(form, help, problem), problem, func() error {
		s := cur
		s.ForceName = strings.TrimSpace(force.Text)
		s.RefPrefix = strings.ToUpper(strings.TrimSpace(prefix.Text))
		s.DefaultMarking = model.Marking{Classification: model.Classification(class.Selected),
			Descriptor: strings.ToUpper(strings.TrimSpace(descriptor.Text))}
		s.Author = strings.TrimSpace(author.Text)
		s.ClosedNotRated = notRated.Checked
		if err := s.Validate(); err != nil {
			return err
		}
		if err := u.store.Update(u.writeCtx(), model.Actor{Who: s.Author}, func(tx model.Tx) error { return tx.SaveSettings(s) }); err != nil {
			return fmt.Errorf("the settings were not saved: %w", err)
		}
		// Who you are is yours, not the register's: it is kept in your
		// preferences for this register file.
		saveMe()
		u.changed()
		if done != nil {
			done()
		}
		return nil
	})
}
