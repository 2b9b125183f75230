package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// recordList is the list of a finding's own records on an editor tab
// (milestones, evidence): a bold title and a detail line for each, the
// records shown, and the one selected, which the tab's buttons act on.
// The tabs embed it, so t.list, t.items and t.selected read as before.
type recordList[T any] struct {
	list     *widget.List
	items    []T
	selected int
}

// init builds the list. show fills a row's title and detail for an item;
// changed runs when the selection changes, to enable the tab's buttons.
func (r *recordList[T]) init(show func(item T, title, detail *widget.Label), changed func()) {
	r.selected = -1
	r.list = widget.NewList(
		func() int { return len(r.items) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("")
			title.TextStyle = fyne.TextStyle{Bold: true}
			title.Truncation = fyne.TextTruncateEllipsis
			// The detail wraps: a milestone's notes and a revision's
			// reason are read in full, not cut at the list's edge.
			detail := widget.NewLabel("")
			detail.Wrapping = fyne.TextWrapWord
			return container.NewVBox(title, detail)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(r.items) {
				return
			}
			box := o.(*fyne.Container)
			show(r.items[id], box.Objects[0].(*widget.Label), box.Objects[1].(*widget.Label))
			if w := r.list.Size().Width; w > 0 {
				box.Resize(fyne.NewSize(w, box.MinSize().Height))
			}
			r.list.SetItemHeight(id, box.MinSize().Height)
		},
	)
	r.list.OnSelected = func(id widget.ListItemID) { r.selected = id; changed() }
	r.list.OnUnselected = func(widget.ListItemID) { r.selected = -1; changed() }
}

// reload shows items with nothing selected.
func (r *recordList[T]) reload(items []T) {
	r.items = items
	r.list.UnselectAll()
	r.selected = -1
	r.list.Refresh()
}

// current is the selected record, if any.
func (r *recordList[T]) current() (T, bool) {
	if r.selected < 0 || r.selected >= len(r.items) {
		var zero T
		return zero, false
	}
	return r.items[r.selected], true
}

// confirmRemove asks before removing one of the finding's records (what:
// "milestone", "evidence"), then removes it with del and reloads the tab,
// the history and the other screens.
func (e *editorScreen) confirmRemove(what, text string, del func(tx model.Tx) error, reload func()) {
	var d *dialog.ConfirmDialog
	d = newConfirm("Remove "+what+"?", text, func(ok bool) {
		e.u.dialogClosed(d)
		if !ok {
			return
		}
		if err := e.u.update(del); err != nil {
			e.u.showError(fmt.Errorf("the %s was not removed: %w", what, err))
			return
		}
		reload()
		e.history.refresh()
		e.u.changed()
	}, e.u.win)
	d.SetConfirmText("Remove")
	d.SetConfirmImportance(widget.DangerImportance)
	e.u.showDialog(d)
}
