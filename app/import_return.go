package app

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/importer/returns"
)

// importReturnScreen reads a progress return a delivery lead edited and
// lists what it changes, per finding, in plain words with a tick box each.
// Changes that clash with edits made in the app since the export are shown
// side by side and start unticked; rows that could not be read are listed.
// Nothing changes until Apply, which stores every ticked change in one
// transaction.
type importReturnScreen struct {
	u        *ui
	dlg      dialog.Dialog
	password *widget.Entry
	summary  *widget.Label
	list     *fyne.Container
	apply    *widget.Button
	reread   *widget.Button  // reads the open workbook again with the password
	bar      *fyne.Container // the dialog's buttons, laid out again when a label changes

	name string
	data []byte
	diff *returns.Diff
}

// onImportReturn opens the return import.
func (u *ui) onImportReturn() {
	if u.refuseChange() {
		return
	}
	s := newImportReturnScreen(u)
	s.dlg.Show()
}

func newImportReturnScreen(u *ui) *importReturnScreen {
	s := &importReturnScreen{u: u}
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("Password, if the workbook was saved with one")
	s.summary = widget.NewLabel("Open the return the delivery lead sent back (.xlsx).")
	s.summary.Wrapping = fyne.TextWrapWord
	s.list = container.NewVBox()
	s.apply = widget.NewButton("Apply", s.onApply)
	s.apply.Importance = widget.HighImportance
	s.apply.Disable()
	// Reading again needs a workbook to read: until one is open the
	// button would do nothing, so it is not offered.
	s.reread = widget.NewButton("Read again with the password", s.onReread)
	s.reread.Disable()
	top := container.NewVBox(heading("Import a returned progress spreadsheet"),
		container.NewBorder(nil, nil, widget.NewButton("Open a return…", s.onOpenFile), s.reread, s.password),
		s.summary)
	scroll := container.NewVScroll(s.list)
	scroll.SetMinSize(fyne.NewSize(900, 320))
	s.bar = container.NewHBox(spacer(), widget.NewButton("Cancel", func() { s.dlg.Hide() }), s.apply)
	s.dlg = dialog.NewCustomWithoutButtons("Import a return", container.NewBorder(top, s.bar, nil, nil, scroll), u.win)
	s.dlg.Resize(fyne.NewSize(1100, 720))
	return s
}

func (s *importReturnScreen) onOpenFile() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		if r == nil {
			return
		}
		// An oversized workbook is refused by the reader, in its words.
		b, _, err := readCapped(r, returns.MaxFileBytes)
		if err != nil {
			s.u.showError(fmt.Errorf("cannot read %s: %w", r.URI().Name(), err))
			return
		}
		s.load(r.URI().Name(), b)
	}, s.u.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".xlsx", ".XLSX"}))
	fd.Show()
}

func (s *importReturnScreen) onReread() {
	if s.data != nil {
		s.load(s.name, s.data)
	}
}

// load reads and compares the workbook, off the UI goroutine, and lists
// the changes.
func (s *importReturnScreen) load(name string, data []byte) {
	s.name, s.data = name, data
	s.reread.Enable()
	s.diff = nil
	s.list.RemoveAll()
	password := s.password.Text
	var d *returns.Diff
	s.summary.SetText("Reading " + name + "…")
	s.apply.Disable()
	s.u.background(func() error {
		ret, err := returns.Read(name, data, password)
		if err != nil {
			return err
		}
		d, err = returns.Compare(s.u.store, ret)
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, returns.ErrPassword) || errors.Is(err, returns.ErrWrongPassword):
			s.summary.SetText(err.Error() + ": type it above, then press “Read again with the password”.")
			s.update()
		case err != nil:
			s.summary.SetText(err.Error())
			s.update()
		default:
			s.diff = d
			s.showChanges()
		}
	})
}

func (s *importReturnScreen) showChanges() {
	d := s.diff
	for _, w := range d.Warnings {
		l := widget.NewLabel(w)
		l.Wrapping = fyne.TextWrapWord
		s.list.Add(l)
	}
	for i := range d.Findings {
		fd := &d.Findings[i]
		s.list.Add(heading(fd.Ref + "  " + fd.Title))
		for j := range fd.Changes {
			c := &fd.Changes[j]
			check := widget.NewCheck(c.Words, func(on bool) {
				c.Apply = on
				s.update()
			})
			check.SetChecked(c.Apply)
			s.list.Add(check)
			if c.Conflict {
				ret := widget.NewLabel("In the return:\n" + c.To)
				ret.Wrapping = fyne.TextWrapWord
				now := widget.NewLabel("In the app now (changed since the export):\n" + c.AppNow)
				now.Wrapping = fyne.TextWrapWord
				s.list.Add(container.NewGridWithColumns(2, ret, now))
			}
		}
		if len(fd.ChangedInApp) > 0 {
			l := widget.NewLabel("Changed in the app since the export: " + strings.Join(fd.ChangedInApp, "; "))
			l.Wrapping = fyne.TextWrapWord
			s.list.Add(l)
		}
		s.list.Add(widget.NewSeparator())
	}
	if len(d.Problems) > 0 {
		s.list.Add(heading("Rows that could not be read (not imported)"))
		for _, p := range d.Problems {
			l := widget.NewLabel(p.String())
			l.Wrapping = fyne.TextWrapWord
			s.list.Add(l)
		}
	}
	s.update()
}

func (s *importReturnScreen) update() {
	if s.diff == nil {
		s.apply.SetText("Apply")
		s.apply.Disable()
		s.bar.Refresh()
		return
	}
	total, ticked := s.diff.Count()
	text := fmt.Sprintf("%s: %s to %s", s.diff.FileName, count(total, "change", "changes"), count(len(s.diff.Findings), "finding", "findings"))
	if n := len(s.diff.Problems); n > 0 {
		text += fmt.Sprintf("; %s could not be read", count(n, "row or cell", "rows or cells"))
	}
	if total == 0 {
		text += ". The return changes nothing in the register."
	}
	s.summary.SetText(text)
	s.apply.SetText("Apply " + count(ticked, "change", "changes"))
	if ticked == 0 {
		s.apply.Disable()
	} else {
		s.apply.Enable()
	}
	s.bar.Refresh()
}

func (s *importReturnScreen) onApply() {
	if s.diff == nil {
		return
	}
	res, err := s.diff.Apply(s.u.store, s.u.actor().Who)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.dlg.Hide()
	s.u.changed()
	s.u.inform("Return imported", "Applied changes to "+count(res.Findings, "finding", "findings")+": "+
		count(res.Updates, "progress update", "progress updates")+", "+
		count(res.Targets, "target revision", "target revisions")+", "+
		count(res.Milestones, "milestone completed", "milestones completed")+".")
}

// count writes a number with its noun: "1 change", "3 changes".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
