package app

import (
	"bytes"
	"context"
	"encoding/json"
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

const noneChoice = "(none)"

// editorScreen edits one finding: its details (saved with Save), and its
// milestones, evidence and progress updates (each stored as it is added).
type editorScreen struct {
	cancel        *widget.Button    // Cancel, shown on the details only
	savedNote     *widget.Label     // says records on the other tabs are saved as added
	detailsScroll *container.Scroll // the details form, scrolled to a problem
	u             *ui
	content       fyne.CanvasObject

	orig    model.Finding // as stored; ID 0 for a new finding
	people  []model.Person
	reports []model.Report
	others  []model.Finding // every other finding, for parent and superseded-by

	heading *widget.Label
	problem *widget.Label // summary of validation problems
	save    *widget.Button
	saved   *widget.Label // when the finding was last saved from this editor
	tabs    *container.AppTabs

	ref             *widget.Label
	inspectorateRef *lineEntry
	report          *formSelect
	typ             *formSelect
	parent          *formSelect
	area            *formSelectEntry
	grade           *formSelect
	title           *lineEntry
	verbatim        *textArea
	verbatimView    *widget.Label // the wording as read-only text while locked
	editWording     *formButton
	wordingMissing  *formCheck
	interpretation  *textArea
	chief           *formSelect
	delivery        *formSelect
	board           *lineEntry
	classification  *formSelect
	descriptor      *lineEntry
	originalTarget  *dateEntry
	currentTarget   *dateEntry
	revisions       *widget.Label
	status          *formSelect
	statusHelp      *widget.Label
	rag             *formSelect
	ragChip         *ragChip
	rationale       *textArea
	proposedDate    *dateEntry
	closedDate      *dateEntry
	supersededBy    *formSelect
	related         *lineEntry // references of related findings, comma-separated
	position        *textArea

	errs map[string]*widget.Label // problems shown beside fields, by JSON field name
	// problemsShown are the problems of the last refused save, until put
	// right (editor_problems.go).
	problemsShown model.ValidationErrors

	milestones *milestonesTab
	evidence   *evidenceTab
	updates    *updatesTab
	history    *historyTab

	live *editorLive // colleagues' saves to this finding (editor_live.go)
}

// newEditorScreen opens the finding with id, or a new finding when id is 0.
func newEditorScreen(u *ui, id model.ID) (*editorScreen, error) {
	e := &editorScreen{u: u, errs: map[string]*widget.Label{}}
	err := u.store.View(context.Background(), func(tx model.ReadTx) error {
		if id != 0 {
			f, err := tx.Finding(id)
			if err != nil {
				return fmt.Errorf("opening the finding: %w", err)
			}
			e.orig = f
		}
		return e.loadRelated(tx)
	})
	if err != nil {
		return nil, err
	}
	if id == 0 {
		e.orig = e.newFinding()
	}
	e.build()
	e.setFields(e.orig)
	return e, nil
}

// newFinding is a blank finding with the register's defaults.
func (e *editorScreen) newFinding() model.Finding {
	f := model.Finding{Type: model.AFI, Status: model.AwaitingAllocation}
	if s, err := e.u.settings(); err == nil {
		f.Marking = s.DefaultMarking
	}
	if f.Marking.Classification == "" {
		f.Marking.Classification = model.Official
	}
	if len(e.reports) > 0 {
		f.ReportID = e.reports[len(e.reports)-1].ID
	}
	return f
}

func (e *editorScreen) loadRelated(tx model.ReadTx) error {
	var err error
	if e.people, err = tx.People(); err != nil {
		return fmt.Errorf("reading people: %w", err)
	}
	if e.reports, err = tx.Reports(); err != nil {
		return fmt.Errorf("reading reports: %w", err)
	}
	all, err := tx.Findings()
	if err != nil {
		return fmt.Errorf("reading findings: %w", err)
	}
	e.others = e.others[:0]
	for _, f := range all {
		if f.ID != e.orig.ID {
			e.others = append(e.others, f)
		}
	}
	return nil
}

func (e *editorScreen) build() {
	e.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.heading.Truncation = fyne.TextTruncateEllipsis
	e.problem = newFieldError()
	back := widget.NewButtonWithIcon("Register", theme.NavigateBackIcon(), e.onBack)
	e.save = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), e.onSave)
	e.save.Importance = widget.HighImportance
	if ro, _ := e.u.readOnly(); ro {
		e.save.Disable()
	}
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), e.onCancel)
	// Saving changes nothing else on screen when all is well, so the
	// editor says it happened.
	e.saved = widget.NewLabel("")
	e.saved.TextStyle = fyne.TextStyle{Italic: true}
	// Milestones, evidence and updates are stored as they are added, so
	// on their tabs Save and Cancel (which concern the details only) give
	// way to a note saying so.
	e.cancel = cancel
	e.savedNote = widget.NewLabelWithStyle("Saved as you add them", fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
	e.savedNote.Hide()
	e.live = newEditorLive(e)
	header := container.NewBorder(nil, container.NewVBox(e.problem, e.live.banner), back, container.NewHBox(e.saved, e.savedNote, cancel, e.save), e.heading)

	e.milestones = newMilestonesTab(e)
	e.evidence = newEvidenceTab(e)
	e.updates = newUpdatesTab(e)
	e.history = newHistoryTab(e)
	e.detailsScroll = container.NewVScroll(e.buildDetails())
	e.tabs = container.NewAppTabs(
		container.NewTabItem("Details", e.detailsScroll),
		container.NewTabItem("Milestones", e.milestones.content),
		container.NewTabItem("Evidence", e.evidence.content),
		container.NewTabItem("Progress updates", e.updates.content),
		container.NewTabItem("History", e.history.content),
	)
	e.tabs.OnSelected = func(t *container.TabItem) { e.onTab(t) }
	e.content = container.NewBorder(header, nil, nil, nil, e.tabs)
	e.enableRecordTabs()
}

// enableRecordTabs allows milestones, evidence and updates only once the
// finding is stored: they belong to it.
func (e *editorScreen) enableRecordTabs() {
	for _, t := range e.tabs.Items[1:] {
		if e.orig.ID == 0 {
			e.tabs.DisableItem(t)
		} else {
			e.tabs.EnableItem(t)
		}
	}
}

// dirty reports whether the form differs from the stored finding.
func (e *editorScreen) dirty() bool {
	f, bad := e.collect()
	if len(bad) > 0 {
		return true
	}
	a, _ := json.Marshal(f)
	b, _ := json.Marshal(e.orig)
	return !bytes.Equal(a, b)
}

// scrollToFirstProblem scrolls the details so that the highest field
// with a problem shows near the top.
func (e *editorScreen) scrollToFirstProblem() {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(e.detailsScroll.Content)
	best := float32(-1)
	for _, l := range e.errs {
		if !l.Visible() {
			continue
		}
		// The label sits under its field; the field is a row higher.
		y := d.AbsolutePositionForObject(l).Y - top.Y - 2*l.MinSize().Height
		if best < 0 || y < best {
			best = y
		}
	}
	if best < 0 {
		return
	}
	e.detailsScroll.Offset = fyne.NewPos(0, max(0, best))
	e.detailsScroll.Refresh()
}

// onTab shows Save and Cancel on the details, and the note that records
// are saved as they are added on the other tabs.
func (e *editorScreen) onTab(t *container.TabItem) {
	if t.Content == e.detailsScroll {
		e.savedNote.Hide()
		e.cancel.Show()
		e.save.Show()
		return
	}
	e.cancel.Hide()
	e.save.Hide()
	e.savedNote.Show()
}

// onSave checks the finding and stores it. A changed current target first
// asks for the reason and who agreed it.
func (e *editorScreen) onSave() {
	if e.u.refuseChange() {
		return
	}
	f, bad := e.collect()
	if len(bad) > 0 {
		// The rest of the form is checked too, so that every problem is
		// marked at once rather than one save at a time.
		for _, p := range model.AsValidation(f.Validate()) {
			if bad.For(p.Field) == "" {
				bad = append(bad, p)
			}
		}
		e.showProblems(bad)
		return
	}
	if e.orig.CurrentTarget.IsZero() && f.OriginalTarget.IsZero() {
		// The first target given is the original one, whether the finding
		// is new or was saved before without a target.
		f.OriginalTarget = f.CurrentTarget
	}
	if err := f.Validate(); err != nil {
		e.showProblems(model.AsValidation(err))
		return
	}
	// Only moving a target already set is a revision: giving the first
	// one has no reason to record and nobody to have agreed the move.
	if f.ID != 0 && !e.orig.CurrentTarget.IsZero() && f.CurrentTarget != e.orig.CurrentTarget {
		e.askRevision(f)
		return
	}
	if e.askLifecycle(f) {
		return
	}
	e.store(f, model.Actor{})
}

// saveSettled is store for a finding whose milestones were settled first.
func (e *editorScreen) saveSettled(f model.Finding, settled []model.Milestone) {
	e.storeWith(f, model.Actor{}, settled)
}

// askRevision asks why the current target moved and who agreed, then saves
// with a new revision.
func (e *editorScreen) askRevision(f model.Finding) {
	reason := newTextArea()
	reason.Wrapping = fyne.TextWrapWord
	reason.SetMinRowsVisible(3)
	agreed := newLineEntry()
	agreed.SetPlaceHolder("e.g. Force improvement board, 12/03/2026")
	problem := newFieldError()
	msg := widget.NewLabel(fmt.Sprintf("The current target moves from %s to %s.",
		orText(e.orig.CurrentTarget.String(), "none"), orText(f.CurrentTarget.String(), "none")))
	msg.Wrapping = fyne.TextWrapWord
	form := container.NewVBox(msg,
		widget.NewForm(widget.NewFormItem("Reason", reason), widget.NewFormItem("Agreed by", agreed)),
		problem)
	e.u.formDialog("Record the new target date", "Save", form, problem, func() error {
		rev := model.Revision{
			From:     e.orig.CurrentTarget,
			To:       f.CurrentTarget,
			Reason:   strings.TrimSpace(reason.Text),
			AgreedBy: strings.TrimSpace(agreed.Text),
			At:       e.u.now(),
			By:       e.u.actor().Who,
		}
		switch {
		case rev.Reason == "":
			return errors.New("give the reason the target moved")
		case rev.AgreedBy == "":
			return errors.New("say who agreed the new target")
		}
		if f.CurrentTarget.IsZero() {
			return errors.New("a current target cannot be removed once set; give the new date")
		}
		g := f
		g.TargetRevisions = append(slices.Clone(f.TargetRevisions), rev)
		// The store writes the reason and who agreed into the audit event.
		e.store(g, model.Actor{})
		return nil
	})
}

// store writes f. On failure the form keeps everything typed and the error
// says what to do.
func (e *editorScreen) store(f model.Finding, by model.Actor) {
	e.storeWith(f, by, nil)
}

// storeWith is store with the milestones settled on the way.
func (e *editorScreen) storeWith(f model.Finding, by model.Actor, settled []model.Milestone) {
	actor := e.u.actor()
	actor.Note = by.Note
	err := e.u.store.Update(e.u.writeCtx(), actor, func(tx model.Tx) error {
		return saveSteps(tx, e.orig, &f, settled)
	})
	if err != nil {
		if e.conflicted(err, f, by, settled) {
			return
		}
		if v := model.AsValidation(err); v != nil {
			e.showProblems(v)
			return
		}
		e.u.showError(fmt.Errorf("the finding was not saved: %w. What you typed is still in the form; try again, or use File → Save a copy to keep the register safe", err))
		return
	}
	// Read back what the store kept (reference, timestamps).
	_ = e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		if g, err := tx.Finding(f.ID); err == nil {
			f = g
		}
		return nil
	})
	e.orig = f
	e.setFields(f)
	e.enableRecordTabs()
	// A change of status writes a progress update and may settle
	// milestones: the other tabs show them at once, not when the finding
	// is next opened.
	if e.orig.ID != 0 {
		e.updates.refresh()
		e.milestones.refresh()
	}
	e.history.refresh()
	e.saved.SetText("Saved at " + e.u.now().Format("15:04"))
	e.u.changed()
}

// onEditWording unlocks the inspectorate's wording after a confirmation.
func (e *editorScreen) onEditWording() {
	d := newConfirm("Edit the inspectorate's wording?",
		"The wording is the inspectorate's own text, kept as published.\nChange it only to correct a mistake in how it was copied. The change is recorded in the history.",
		func(ok bool) {
			if ok {
				e.verbatimView.Hide()
				e.verbatim.Show()
				e.editWording.Hide()
				e.u.win.Canvas().Focus(e.verbatim)
			}
		}, e.u.win)
	d.SetConfirmText("Edit wording")
	d.SetConfirmImportance(widget.WarningImportance)
	d.Show()
}

// confirmLeave runs then at once when nothing is unsaved; otherwise it asks
// whether to discard the changes.
func (e *editorScreen) confirmLeave(then func()) {
	if !e.dirty() {
		then()
		return
	}
	d := newConfirm("Discard unsaved changes?",
		"This finding has changes that have not been saved.\nDiscard them, or go back and press Save.",
		func(ok bool) {
			if ok {
				then()
			}
		}, e.u.win)
	d.SetConfirmText("Discard changes")
	d.SetDismissText("Keep editing")
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

func (e *editorScreen) onBack() {
	e.u.register.leaveEditor(func() {})
}

// onCancel puts the form back as stored, asking first if anything changed,
// and returns to the register.
func (e *editorScreen) onCancel() {
	e.confirmLeave(func() { e.u.register.closeEditor() })
}

// refreshRelated reloads people, reports and findings for the pickers after
// a change elsewhere, keeping what is typed.
func (e *editorScreen) refreshRelated() {
	err := e.u.store.View(context.Background(), e.loadRelated)
	if err != nil {
		e.u.showError(err)
		return
	}
	keep := map[*formSelect]string{}
	for _, s := range []*formSelect{e.report, e.parent, e.chief, e.delivery, e.supersededBy} {
		keep[s] = s.Selected
	}
	e.fillChoices()
	for s, v := range keep {
		s.SetSelected(v)
	}
}

func (e *editorScreen) refreshPeople() { e.refreshRelated() }

// reloadFinding takes the stored finding after an update changed its
// status and RAG, without losing other edits in the form, so that the
// next save is based on the version now stored.
func (e *editorScreen) reloadFinding() {
	var f model.Finding
	err := e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		f, err = tx.Finding(e.orig.ID)
		return err
	})
	if err != nil {
		e.u.showError(err)
		return
	}
	e.takeStored(f)
}

// findingItems reads one of the open finding's lists (milestones, evidence,
// progress updates, history) for the editor's tabs. A finding not yet saved
// has none. A failed read is shown, naming what was being read, and gives
// an empty list.
func findingItems[T any](e *editorScreen, what string, read func(model.ReadTx, model.ID) ([]T, error)) []T {
	if e.orig.ID == 0 {
		return nil
	}
	var items []T
	err := e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		items, err = read(tx, e.orig.ID)
		return err
	})
	if err != nil {
		e.u.showError(fmt.Errorf("reading %s: %w", what, err))
		return nil
	}
	return items
}
