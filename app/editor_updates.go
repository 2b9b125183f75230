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

// updatesTab is the finding's progress timeline, newest first. Updates are
// append-only: once saved they are shown as plain text with no way to edit
// them, because last quarter's return must stay reproducible.
type updatesTab struct {
	e       *editorScreen
	content fyne.CanvasObject
	list    *widget.List
	items   []model.Update // newest first
}

func newUpdatesTab(e *editorScreen) *updatesTab {
	t := &updatesTab{e: e}
	t.list = widget.NewList(
		func() int { return len(t.items) },
		func() fyne.CanvasObject {
			head := widget.NewLabel("")
			head.TextStyle = fyne.TextStyle{Bold: true}
			chip := newRAGChip()
			text := widget.NewLabel("")
			text.Wrapping = fyne.TextWrapWord
			return container.NewBorder(container.NewBorder(nil, nil, chip, nil, head), nil, nil, nil, text)
		},
		t.updateItem,
	)
	add := widget.NewButtonWithIcon("Add update…", theme.ContentAddIcon(), t.onAdd)
	add.Importance = widget.HighImportance
	note := widget.NewLabel("Updates are kept as written: add a new one to correct or follow up.")
	note.TextStyle = fyne.TextStyle{Italic: true}
	t.content = container.NewBorder(container.NewHBox(add, note), nil, nil, nil, t.list)
	t.refresh()
	return t
}

func (t *updatesTab) updateItem(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(t.items) {
		return
	}
	u := t.items[id]
	box := o.(*fyne.Container)
	var head *fyne.Container
	var text *widget.Label
	for _, obj := range box.Objects {
		switch v := obj.(type) {
		case *fyne.Container:
			head = v
		case *widget.Label:
			text = v
		}
	}
	for _, obj := range head.Objects {
		switch v := obj.(type) {
		case *ragChip:
			v.SetRAG(u.RAG)
		case *widget.Label:
			line := fmt.Sprintf("%s — %s — %s", u.Date, u.Author, u.Status)
			if u.Source != "" {
				line += " — " + u.Source
			}
			v.SetText(line)
		}
	}
	text.SetText(u.Narrative)
	// Narratives vary in length: size each row to its text.
	t.list.SetItemHeight(id, box.MinSize().Height)
}

func (t *updatesTab) refresh() {
	t.items = findingItems(t.e, "progress updates", model.ReadTx.Updates)
	slices.Reverse(t.items)
	t.list.Refresh()
}

// onAdd asks for a new update: dated today, prefilled with the finding's
// status and RAG, written by the author in Settings.
func (t *updatesTab) onAdd() {
	if t.e.u.refuseChange() {
		return
	}
	date := newDateEntry()
	date.SetDate(t.e.u.today())
	narrative := newTextArea()
	narrative.Wrapping = fyne.TextWrapWord
	narrative.SetMinRowsVisible(6)
	narrative.SetPlaceHolder("What has happened since the last update, and what comes next")
	statuses := make([]string, len(model.Statuses))
	for i, s := range model.Statuses {
		statuses[i] = string(s)
	}
	rags := []string{noneChoice}
	for _, r := range model.RAGs {
		rags = append(rags, string(r))
	}
	rag := widget.NewSelect(rags, nil)
	rag.SetSelected(orText(string(t.e.orig.RAG), noneChoice))
	// Ending the work settles the open milestones, asked here; and a
	// finding whose work is done is Blue.
	open := t.e.openMilestones()
	outcomes := newOutcomeChoices(open, t.e.others, t.e.u.today())
	outcomes.box.Hide()
	status := widget.NewSelect(statuses, func(v string) {
		st := model.Status(v)
		if st.InClosure() || st.IsFinal() {
			rag.SetSelected(string(model.Blue))
		}
		if len(open) > 0 && endsWork(t.e.orig.Status, st) {
			outcomes.box.Show()
		} else {
			outcomes.box.Hide()
		}
	})
	status.SetSelected(string(t.e.orig.Status))
	author := newLineEntry()
	author.SetText(t.e.u.actor().Who)
	if sg, ok := t.e.u.store.(model.Signer); ok && sg.SignedAs() != "" {
		// A shared register signs every update with the login's person,
		// and its database refuses any other name.
		author.SetText(sg.SignedAs())
		author.Disable()
	}
	problem := newFieldError()
	form := widget.NewForm(
		widget.NewFormItem("Date", container.NewHBox(date)),
		widget.NewFormItem("Narrative", narrative),
		widget.NewFormItem("Status", status),
		widget.NewFormItem("RAG", rag),
		widget.NewFormItem("Author", author),
	)
	help := widget.NewLabel("Saving also sets the finding's status and RAG to these. The update cannot be changed afterwards.")
	help.Wrapping = fyne.TextWrapWord
	help.TextStyle = fyne.TextStyle{Italic: true}
	t.e.u.formDialog("Add a progress update", "Save update", container.NewVBox(form, outcomes.box, help, problem), problem, func() error {
		d, err := date.Date()
		if err != nil {
			return err
		}
		if d.After(t.e.u.today()) {
			return errors.New("the update's date is in the future; date it today or earlier")
		}
		up := model.Update{
			FindingID: t.e.orig.ID,
			Date:      d,
			Narrative: strings.TrimSpace(narrative.Text),
			Status:    model.Status(status.Selected),
			RAG:       model.RAG(rag.Selected),
			Author:    strings.TrimSpace(author.Text),
		}
		if rag.Selected == noneChoice {
			up.RAG = ""
		}
		if err := up.Validate(); err != nil {
			return err
		}
		var settled []model.Milestone
		if len(open) > 0 && endsWork(t.e.orig.Status, up.Status) {
			if settled, err = outcomes.settled(up.Date); err != nil {
				return err
			}
		}
		actor := model.Actor{Who: up.Author}
		if err := t.e.u.store.Update(t.e.u.writeCtx(), actor, func(tx model.Tx) error {
			for i := range settled {
				if err := tx.SaveMilestone(&settled[i]); err != nil {
					return fmt.Errorf("milestone %q: %w", settled[i].Title, err)
				}
			}
			return tx.AppendUpdate(&up)
		}); err != nil {
			// The store holds the finding to the lifecycle and the
			// closure rules as the update leaves it; what it lacks is
			// filled in on the Details tab.
			if v := model.AsValidation(err); v != nil && closureField(v) {
				return fmt.Errorf("the finding cannot take that status yet: %s. Fill it in on the Details tab and save first", plainProblem(err))
			}
			return fmt.Errorf("the update was not saved: %w", err)
		}
		t.refresh()
		t.e.reloadFinding()
		t.e.history.refresh()
		t.e.u.changed()
		return nil
	}, narrative) // the date is today's already; the narrative is what is to be typed
}

// closureField reports whether a refusal names a closure detail the
// Details tab holds (rather than the lifecycle or the update itself).
func closureField(v model.ValidationErrors) bool {
	for _, e := range v {
		switch e.Field {
		case "closure_rationale", "closure_proposed_date", "closed_date", "superseded_by":
			return true
		}
	}
	return false
}
