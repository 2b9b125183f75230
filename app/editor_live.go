package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// editorLive is what the finding editor shows of colleagues' saves to the
// same finding: nothing at all when the form holds no unsaved edits (it
// quietly takes their version), and a banner when it does, since the
// edits are kept and the person should know that someone else saved
// meanwhile.
type editorLive struct {
	e      *editorScreen
	text   *widget.Label
	banner *fyne.Container
}

func newEditorLive(e *editorScreen) *editorLive {
	l := &editorLive{e: e}
	l.text = widget.NewLabel("")
	l.text.Wrapping = fyne.TextWrapWord
	l.text.Importance = widget.WarningImportance
	l.banner = container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), nil, l.text)
	l.banner.Hide()
	return l
}

// say shows the banner with msg.
func (l *editorLive) say(msg string) {
	l.text.SetText(msg)
	l.banner.Show()
}

// settle hides the banner once the form holds nothing unsaved (after a
// save, or when the edits were taken back).
func (l *editorLive) settle() {
	if l.banner.Visible() && !l.e.dirty() {
		l.banner.Hide()
	}
}

// liveChanged shows colleagues' saves cs in the editor: its record tabs
// read again, and the details take the stored finding when nothing is
// unsaved, or keep the edits with a banner when something is.
func (e *editorScreen) liveChanged(cs []model.Change) {
	id := e.orig.ID
	if id == 0 {
		return // a new finding: nobody else can have saved it
	}
	var last *model.Change
	for i := range cs {
		if cs[i].Touches(id) {
			last = &cs[i]
		}
	}
	if last == nil {
		return
	}
	var f model.Finding
	err := e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		f, err = tx.Finding(id)
		return err
	})
	if errors.Is(err, model.ErrNotFound) {
		e.live.say(fmt.Sprintf("%s deleted this finding at %s. What is on screen is kept, but the finding is no longer in the register; copy anything you need before leaving it.",
			last.Saver(), last.At.Local().Format("15:04")))
		e.save.Disable()
		return
	}
	if err != nil {
		e.u.showError(fmt.Errorf("reading a colleague's changes to this finding: %w", err))
		return
	}
	e.milestones.refresh()
	e.evidence.refresh()
	e.updates.refresh()
	e.history.refresh()
	if sameRecord(f, e.orig) {
		return // a milestone, update or evidence: the details are as they were
	}
	if !e.dirty() {
		e.orig = f
		e.setFields(f)
		e.live.banner.Hide()
		return
	}
	// Every keystroke stays; e.orig stays what the edits began from, so
	// that saving compares them with the colleague's version.
	// A change that did not name the finding (one heard after the
	// connection came back) has no time of its own: the finding's is it.
	at := last.At
	if !slices.Contains(last.Findings, id) && !f.Modified.IsZero() {
		at = f.Modified
	}
	e.live.say(fmt.Sprintf("%s saved this finding at %s. Your edits are kept; saving will show both versions.",
		last.Saver(), at.Local().Format("15:04")))
}

// sameRecord reports whether two records are stored alike.
func sameRecord(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}
