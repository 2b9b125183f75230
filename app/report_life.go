package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// pccLabel is a report's PCC response as the reports list shows it: the
// date it was published once recorded, else when it is or was due, in red
// when overdue.
func pccLabel(r model.Report, today model.Date) (string, widget.Importance) {
	if e, ok := r.PCCResponse(today); ok {
		return "PCC response published " + e.Date.String(), widget.SuccessImportance
	}
	due := r.PCCResponseDue()
	switch {
	case due.IsZero():
		return "PCC response due: set the publication date", widget.MediumImportance
	case due.Before(today):
		return fmt.Sprintf("PCC response was due %s (%d days ago)", due, due.DaysUntil(today)), widget.DangerImportance
	case today.DaysUntil(due) <= pccWarnDays:
		return fmt.Sprintf("PCC response due %s (in %d days)", due, today.DaysUntil(due)), widget.WarningImportance
	}
	return "PCC response due " + due.String(), widget.MediumImportance
}

// lifeDialog shows a report's life after publication, oldest first, with
// the button that records the next event.
func (s *reportsScreen) lifeDialog(r model.Report) {
	text, importance := pccLabel(r, s.u.today())
	state := widget.NewLabel(text)
	state.Importance = importance
	state.TextStyle = fyne.TextStyle{Bold: true}
	lines := container.NewVBox()
	for _, e := range r.LifeInOrder() {
		l := widget.NewLabel(e.Describe())
		l.Wrapping = fyne.TextWrapWord
		lines.Add(l)
		if e.SHA256 != "" {
			lines.Add(hint("SHA-256 of " + e.FileName + ": " + e.SHA256))
		}
	}
	if len(r.Life) == 0 {
		lines.Add(hint("Nothing recorded since publication yet: the PCC's response, the action plan, revisits and the inspectorate's letters go here."))
	}
	var d dialog.Dialog
	record := widget.NewButton("Record…", func() {
		d.Hide()
		s.recordDialog(r)
	})
	record.Importance = widget.HighImportance
	if ro, _ := s.u.readOnly(); ro {
		record.Disable()
	}
	scroll := container.NewVScroll(lines)
	scroll.SetMinSize(fyne.NewSize(560, 220))
	content := container.NewBorder(container.NewVBox(heading(r.Title), state), container.NewHBox(record), nil, nil, scroll)
	d = dialog.NewCustom("The report's life", "Close", content, s.u.win)
	d.Show()
}

// recordDialog records one event of a report's life. A letter agreeing
// or declining closure names its findings; they are offered from this
// report, read first.
func (s *reportsScreen) recordDialog(r model.Report) {
	if s.u.refuseChange() {
		return
	}
	var refs []string
	s.u.read(func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		for _, f := range fs {
			if f.ReportID == r.ID && f.Type.Tracked() {
				refs = append(refs, f.Ref)
			}
		}
		return err
	}, func(err error) {
		if err != nil {
			s.u.showError(fmt.Errorf("the report's findings could not be read: %w", err))
			return
		}
		s.showRecordDialog(r, refs)
	})
}

func (s *reportsScreen) showRecordDialog(r model.Report, refs []string) {
	kinds := make([]string, len(model.ReportEventKinds))
	for i, k := range model.ReportEventKinds {
		kinds[i] = string(k)
	}
	kind := widget.NewSelect(kinds, nil)
	if _, done := r.PCCResponse(model.Date{}); !done {
		kind.SetSelected(string(model.EventPCCResponse))
	}
	date := newDateEntry()
	summary := newTextArea()
	summary.Wrapping = fyne.TextWrapWord
	summary.SetPlaceHolder("what it said, in a line or two")
	link := newLineEntry()
	link.SetPlaceHolder("web address, or where it is kept on force systems")
	file := newLineEntry()
	file.SetPlaceHolder("optional: the document itself (its SHA-256 is kept)")
	choose := widget.NewButton("Choose…", func() {
		fd := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
			if err == nil && rc != nil {
				file.SetText(rc.URI().Path())
				_ = rc.Close()
			}
		}, s.u.win)
		fd.Show()
	})
	// The findings in a grid that scrolls, so that a report with many
	// keeps the dialog within the window.
	grid := container.NewGridWithColumns(3)
	var checks []*widget.Check
	for _, ref := range refs {
		c := widget.NewCheck(ref, nil)
		checks = append(checks, c)
		grid.Add(c)
	}
	scroll := container.NewVScroll(grid)
	scroll.SetMinSize(fyne.NewSize(560, 110))
	findingsItem := widget.NewFormItem("Findings", scroll)
	problem := newFieldError()
	form := widget.NewForm(
		widget.NewFormItem("What happened", kind),
		widget.NewFormItem("Date", container.NewHBox(date)),
		widget.NewFormItem("Summary", summary),
		widget.NewFormItem("Link", link),
		widget.NewFormItem("Document", container.NewBorder(nil, nil, nil, choose, file)),
		findingsItem,
	)
	findingsItem.HintText = "for a letter about closure: the findings it agrees or declines"
	s.u.formDialog("Record in the report's life", "Record", container.NewVBox(heading(r.Title), form, problem), problem, func() error {
		d, err := date.Date()
		if err != nil {
			return err
		}
		e := model.ReportEvent{Kind: model.ReportEventKind(kind.Selected), Date: d, Summary: summary.Text,
			Link: strings.TrimSpace(link.Text)}
		for _, c := range checks {
			if c.Checked {
				e.Findings = append(e.Findings, c.Text)
			}
		}
		var doc []byte
		if p := expandPath(strings.TrimSpace(file.Text)); p != "" {
			if doc, err = readDocument(p); err != nil {
				return err
			}
			e.FileName = filepath.Base(p)
		}
		settings, _ := s.u.settings()
		var said []string
		actor := s.u.actor()
		actor.Note = e.Describe()
		err = s.u.store.Update(s.u.writeCtx(), actor, func(tx model.Tx) (err error) {
			_, said, err = model.RecordReportEvent(tx, r.ID, e, doc, settings.Author, s.u.now())
			return err
		})
		if err != nil {
			return fmt.Errorf("nothing was recorded: %w", err)
		}
		s.u.changed()
		dialog.ShowInformation("Recorded", strings.Join(said, "\n"), s.u.win)
		return nil
	}, date)
}

// readDocument reads a document chosen for the report's life, refusing
// one too large to keep.
func readDocument(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("the document cannot be read: %w", err)
	}
	if info.Size() > model.MaxAttachmentSize {
		return nil, fmt.Errorf("%s is %s; documents are limited to %s: give the link to where it is kept instead",
			filepath.Base(path), model.HumanSize(info.Size()), model.HumanSize(model.MaxAttachmentSize))
	}
	return os.ReadFile(path)
}
