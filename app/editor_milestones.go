package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// milestonesTab lists a finding's milestones. Each action stores at once:
// milestones are records of their own, not fields of the finding's form.
type milestonesTab struct {
	e       *editorScreen
	content fyne.CanvasObject
	recordList[model.Milestone]

	edit, complete, revise, remove *widget.Button
}

func newMilestonesTab(e *editorScreen) *milestonesTab {
	t := &milestonesTab{e: e}
	t.init(t.showItem, t.enableActions)
	add := widget.NewButtonWithIcon("Add milestone…", theme.ContentAddIcon(), t.onAdd)
	t.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), t.onEdit)
	t.complete = widget.NewButtonWithIcon("Complete…", theme.ConfirmIcon(), t.onComplete)
	t.revise = widget.NewButtonWithIcon("Revise due date…", theme.HistoryIcon(), t.onRevise)
	t.remove = widget.NewButtonWithIcon("Remove…", theme.DeleteIcon(), t.onRemove)
	bar := container.NewHBox(add, t.edit, t.complete, t.revise, t.remove)
	t.content = container.NewBorder(bar, nil, nil, nil, t.list)
	t.refresh()
	return t
}

func (t *milestonesTab) showItem(m model.Milestone, title, detail *widget.Label) {
	title.SetText(m.Title)
	title.Importance = widget.MediumImportance
	detail.Importance = widget.MediumImportance
	var parts []string
	if owner := personLabel(peopleByID(t.e.people), m.OwnerID); owner != "" {
		parts = append(parts, "Owner: "+owner)
	}
	today := t.e.u.today()
	switch {
	case !m.Completed.IsZero():
		done := "Completed " + m.Completed.String()
		if m.Outcome != "" && m.Outcome != model.OutcomeCompleted {
			done = string(m.Outcome) + " " + m.Completed.String()
		}
		if m.CompletedBy != "" {
			done += " by " + m.CompletedBy
		}
		parts = append(parts, done)
	case model.MilestoneOverdue(m, today):
		parts = append(parts, fmt.Sprintf("OVERDUE by %d days: due %s", m.CurrentDue.DaysUntil(today), m.CurrentDue))
		detail.Importance = widget.DangerImportance
	case !m.CurrentDue.IsZero():
		parts = append(parts, "Due "+m.CurrentDue.String())
	}
	if m.OriginalDue != m.CurrentDue && !m.OriginalDue.IsZero() {
		parts = append(parts, "originally "+m.OriginalDue.String())
	}
	if n := len(m.Revisions); n > 0 {
		parts = append(parts, "moved "+times(n)+", last because: "+m.Revisions[n-1].Reason)
	}
	// The notes are what the owner wrote down about the milestone: shown
	// in full, not only in the edit dialog.
	if notes := strings.TrimSpace(m.Notes); notes != "" {
		parts = append(parts, "Notes: "+notes)
	}
	detail.SetText(strings.Join(parts, " · "))
}

func (t *milestonesTab) refresh() {
	t.reload(findingItems(t.e, "milestones", model.ReadTx.Milestones))
	t.enableActions()
}

func (t *milestonesTab) enableActions() {
	for _, b := range []*widget.Button{t.edit, t.complete, t.revise, t.remove} {
		if t.selected >= 0 && t.selected < len(t.items) {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// save stores m and reloads the list and the history.
func (t *milestonesTab) save(m model.Milestone, note string) error {
	if err := m.Validate(); err != nil {
		return err
	}
	actor := t.e.u.actor()
	actor.Note = note
	if err := t.e.u.store.Update(t.e.u.writeCtx(), actor, func(tx model.Tx) error { return tx.SaveMilestone(&m) }); err != nil {
		if model.AsConflict(err) != nil {
			// The list shows the colleague's version, to change again.
			t.refresh()
			return fmt.Errorf("the milestone was not saved: %w. Cancel, and make your change again on the milestone as it now stands", err)
		}
		return fmt.Errorf("the milestone was not saved: %w", err)
	}
	t.refresh()
	t.e.history.refresh()
	t.e.u.changed()
	return nil
}

func (t *milestonesTab) ownerSelect(id model.ID) *widget.Select {
	opts := []string{noneChoice}
	for _, p := range t.e.people {
		if !p.Retired || p.ID == id {
			opts = append(opts, p.Label())
		}
	}
	s := widget.NewSelect(opts, nil)
	s.SetSelected(orText(personLabel(peopleByID(t.e.people), id), noneChoice))
	return s
}

// onAdd and onEdit share one form; the due date of an existing milestone
// moves only through "Revise due date", which records why.
// A new milestone is the delivery lead's until someone else is chosen:
// the delivery lead does the work.
func (t *milestonesTab) onAdd() {
	if t.e.u.refuseChange() {
		return
	}
	t.editDialog(model.Milestone{FindingID: t.e.orig.ID, OwnerID: t.e.orig.DeliveryLeadID})
}

func (t *milestonesTab) onEdit() {
	if t.e.u.refuseChange() {
		return
	}
	if m, ok := t.current(); ok {
		t.editDialog(m)
	}
}

func (t *milestonesTab) editDialog(m model.Milestone) {
	title := newLineEntry()
	title.SetText(m.Title)
	title.SetPlaceHolder("What will be done")
	owner := t.ownerSelect(m.OwnerID)
	due := newDateEntry()
	due.SetDate(m.CurrentDue)
	notes := newTextArea()
	notes.Wrapping = fyne.TextWrapWord
	notes.SetText(m.Notes)
	problem := newFieldError()
	items := []*widget.FormItem{
		widget.NewFormItem("Milestone", title),
		widget.NewFormItem("Owner", owner),
	}
	if m.ID == 0 {
		items = append(items, widget.NewFormItem("Due", container.NewHBox(due)))
	} else {
		items = append(items, widget.NewFormItem("Due", widget.NewLabel(orText(m.CurrentDue.String(), "not set")+" (use Revise due date to move it)")))
	}
	items = append(items, widget.NewFormItem("Notes", notes))
	heading := "Add a milestone"
	if m.ID != 0 {
		heading = "Edit milestone"
	}
	t.e.u.formDialog(heading, "Save", container.NewVBox(widget.NewForm(items...), problem), problem, func() error {
		n := m
		n.Title = strings.TrimSpace(title.Text)
		n.OwnerID = t.e.personID(owner.Selected)
		n.Notes = notes.Text
		if m.ID == 0 {
			d, err := due.Date()
			if err != nil {
				return err
			}
			n.OriginalDue, n.CurrentDue = d, d
		}
		return t.save(n, "")
	})
}

// onComplete records the date a milestone was done.
func (t *milestonesTab) onComplete() {
	if t.e.u.refuseChange() {
		return
	}
	m, ok := t.current()
	if !ok {
		return
	}
	date := newDateEntry()
	date.SetDate(t.e.u.today())
	if !m.Completed.IsZero() {
		date.SetDate(m.Completed)
	}
	problem := newFieldError()
	content := container.NewVBox(widget.NewLabel("Mark \""+m.Title+"\" complete."),
		widget.NewForm(widget.NewFormItem("Completed on", container.NewHBox(date))), problem)
	t.e.u.formDialog("Complete milestone", "Complete", content, problem, func() error {
		d, err := date.Date()
		if err != nil {
			return err
		}
		if d.IsZero() {
			return errors.New("give the date the milestone was completed")
		}
		if d.After(t.e.u.today()) {
			return errors.New("the completion date is in the future; a milestone is completed once it is done")
		}
		n := m
		n.Completed = d
		return t.save(n, "")
	})
}

// onRevise moves a milestone's due date with a reason and who agreed it.
func (t *milestonesTab) onRevise() {
	if t.e.u.refuseChange() {
		return
	}
	m, ok := t.current()
	if !ok {
		return
	}
	due := newDateEntry()
	due.SetDate(m.CurrentDue)
	reason := newTextArea()
	reason.Wrapping = fyne.TextWrapWord
	agreed := newLineEntry()
	problem := newFieldError()
	content := container.NewVBox(
		widget.NewLabel("Currently due "+orText(m.CurrentDue.String(), "(not set)")+"."),
		widget.NewForm(
			widget.NewFormItem("New due date", container.NewHBox(due)),
			widget.NewFormItem("Reason", reason),
			widget.NewFormItem("Agreed by", agreed)),
		problem)
	t.e.u.formDialog("Revise due date", "Save", content, problem, func() error {
		d, err := due.Date()
		if err != nil {
			return err
		}
		switch {
		case d.IsZero():
			return errors.New("give the new due date")
		case d == m.CurrentDue:
			return errors.New("the new due date is the same as the current one")
		case strings.TrimSpace(reason.Text) == "":
			return errors.New("give the reason the date moved")
		case strings.TrimSpace(agreed.Text) == "":
			return errors.New("say who agreed the new date")
		}
		n := m
		n.Revisions = append(slices.Clone(m.Revisions), model.Revision{
			From: m.CurrentDue, To: d, Reason: strings.TrimSpace(reason.Text),
			AgreedBy: strings.TrimSpace(agreed.Text), At: t.e.u.now(), By: t.e.u.actor().Who,
		})
		if n.OriginalDue.IsZero() {
			n.OriginalDue = m.CurrentDue
		}
		n.CurrentDue = d
		return t.save(n, "")
	})
}

func (t *milestonesTab) onRemove() {
	if t.e.u.refuseChange() {
		return
	}
	m, ok := t.current()
	if !ok {
		return
	}
	t.e.confirmRemove("milestone", "Remove \""+m.Title+"\" from this finding's plan?\nThe removal is recorded in the history.",
		func(tx model.Tx) error { return tx.DeleteMilestone(m.ID) }, t.refresh)
}
