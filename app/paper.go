package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/export"
	"improvementtracker/model"
)

// paperItems are the File menu's items for paper for meetings, closure
// packs and update requests.
func (u *ui) paperItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export this view…", u.onExportView),
		fyne.NewMenuItem("Export this finding as PDF…", func() { u.onFindingPaper(false) }),
		fyne.NewMenuItem("Prepare closure pack…", func() { u.onFindingPaper(true) }),
		fyne.NewMenuItem("Request updates…", u.onRequestUpdates),
	}
}

// paperForm is what every paper's dialog asks: the marking, and the folder
// the file goes in.
type paperForm struct {
	u          *ui
	marking    *widget.Select
	descriptor *lineEntry
	folder     *lineEntry
	problem    *widget.Label
}

func (u *ui) newPaperForm() *paperForm {
	f := &paperForm{u: u, descriptor: newLineEntry(), folder: newLineEntry(), problem: newFieldError()}
	f.folder.SetPlaceHolder("the folder to save in")
	classes := make([]string, len(model.Classifications))
	for i, c := range model.Classifications {
		classes[i] = string(c)
	}
	f.marking = widget.NewSelect(classes, nil)
	m := model.Marking{Classification: model.Official}
	if s, err := u.settings(); err == nil && s.DefaultMarking.Classification != "" {
		m = s.DefaultMarking
	}
	f.marking.SetSelected(string(m.Classification))
	f.descriptor.SetText(m.Descriptor)
	f.descriptor.SetPlaceHolder("optional descriptor, such as PERSONAL")
	// The folder the Export screen saves in is where papers go too.
	if u.exporter != nil {
		f.folder.SetText(u.exporter.folder.Text)
	}
	return f
}

// items are the form's rows: marking, descriptor and folder.
func (f *paperForm) items() []*widget.FormItem {
	choose := widget.NewButton("Choose…", func() {
		d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
			if err == nil && dir != nil {
				f.folder.SetText(shortPath(dir.Path()))
			}
		}, f.u.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(expandPath(f.folder.Text))); err == nil {
			d.SetLocation(l)
		}
		d.Show()
	})
	return []*widget.FormItem{
		widget.NewFormItem("Protective marking", f.marking),
		widget.NewFormItem("Descriptor", f.descriptor),
		widget.NewFormItem("Save in", container.NewBorder(nil, nil, nil, choose, f.folder)),
	}
}

// read checks the marking and folder.
func (f *paperForm) read() (model.Marking, string, error) {
	m, err := model.ParseMarking(strings.TrimSpace(f.marking.Selected + " " + f.descriptor.Text))
	if err != nil {
		return m, "", err
	}
	folder := expandPath(strings.TrimSpace(f.folder.Text))
	if info, err := os.Stat(folder); folder == "" || err != nil || !info.IsDir() {
		return m, "", fmt.Errorf("choose a folder to save in: %q is not a folder on this computer", folder)
	}
	return m, folder, nil
}

// savePaper writes a file off the UI goroutine, asking first before it
// replaces one, then says where it went; after, when set, runs on the UI
// goroutine once it is saved, and adds to what is said.
func (u *ui) savePaper(path, ext string, write func(io.Writer) error, after func(export.Saved) (string, error)) {
	run := func(replace bool) {
		var saved export.Saved
		u.background(func() (err error) {
			saved, err = export.SaveFile(path, ext, replace, write)
			return err
		}, func(err error) {
			if err != nil {
				u.showError(fmt.Errorf("nothing was saved: %w", err))
				return
			}
			text := fmt.Sprintf("Saved %s\nin %s\nSHA-256 %s.", filepath.Base(saved.Path), shortPath(filepath.Dir(saved.Path)), saved.SHA256)
			if after != nil {
				more, err := after(saved)
				if err != nil {
					u.showError(fmt.Errorf("%s was saved, but %w", filepath.Base(saved.Path), err))
					return
				}
				text += "\n" + more
			}
			dialog.ShowInformation("Saved", text, u.win)
		})
	}
	if _, err := os.Stat(path); err == nil {
		c := dialog.NewConfirm("Replace the existing file?",
			fmt.Sprintf("%s already exists in\n%s.\n\nReplace it? The old file cannot be got back.", filepath.Base(path), shortPath(filepath.Dir(path))),
			func(ok bool) {
				if ok {
					run(true)
				}
			}, u.win)
		c.SetConfirmText("Replace")
		c.SetConfirmImportance(widget.DangerImportance)
		c.Show()
		return
	}
	run(false)
}

// snapshot reads the register as at a date, off the UI goroutine.
func (u *ui) snapshotAt(asAt model.Date, more func(tx model.ReadTx, snap *model.Snapshot) error) (*model.Snapshot, error) {
	var snap *model.Snapshot
	err := u.store.View(context.Background(), func(tx model.ReadTx) (err error) {
		if snap, err = model.TakeSnapshot(tx, asAt); err != nil {
			return fmt.Errorf("reading the register as at %s: %w", asAt, err)
		}
		if more != nil {
			return more(tx, snap)
		}
		return nil
	})
	return snap, err
}

// onExportView writes the register as the Register screen shows it,
// filtered and sorted, as a PDF or a workbook.
func (u *ui) onExportView() {
	// The register is read again and the screen's search, filters and
	// order applied to it, so that the paper holds what the screen shows
	// even while the screen is still loading.
	view, today := u.register.view, u.today()
	var shown []model.ID
	u.read(func(tx model.ReadTx) error {
		d, err := loadRegister(tx, today)
		if err != nil {
			return err
		}
		for _, i := range d.apply(view) {
			shown = append(shown, d.rows[i].f.ID)
		}
		return nil
	}, func(err error) {
		if err != nil {
			u.showError(fmt.Errorf("the register could not be read: %w", err))
			return
		}
		u.exportViewDialog(shown, view.describe())
	})
}

// exportViewDialog asks how to write the findings shown.
func (u *ui) exportViewDialog(shown []model.ID, filter string) {
	f := u.newPaperForm()
	format := widget.NewRadioGroup([]string{"PDF", "Workbook (.xlsx)"}, nil)
	format.SetSelected("PDF")
	form := widget.NewForm(append([]*widget.FormItem{widget.NewFormItem("Format", format)}, f.items()...)...)
	intro := hint(fmt.Sprintf("The %d %s the Register shows (%s), in its order, as at today.", len(shown),
		model.Plural(len(shown), "finding", "findings"), filter))
	u.formDialog("Export this view", "Export", container.NewVBox(intro, form, f.problem), f.problem, func() error {
		m, folder, err := f.read()
		if err != nil {
			return err
		}
		opts := export.PaperOptions{Marking: m, AsAt: u.today(), Now: u.now()}
		settings, _ := u.settings()
		ext := "pdf"
		if format.Selected != "PDF" {
			ext = "xlsx"
		}
		path := filepath.Join(folder, export.RegisterFileName(m, settings.ForceName, opts.AsAt, ext))
		u.savePaper(path, "."+ext, func(w io.Writer) error {
			snap, err := u.snapshotAt(opts.AsAt, nil)
			if err != nil {
				return err
			}
			v := export.RegisterView{Snapshot: snap, Filter: filter}
			for _, id := range shown {
				if f, ok := snap.Finding(id); ok {
					v.Findings = append(v.Findings, f)
				}
			}
			if ext == "pdf" {
				return export.WriteRegisterPaper(w, v, opts)
			}
			wb, err := export.BuildRegisterView(v, opts)
			if err != nil {
				return err
			}
			_, err = wb.Write(w, "")
			if cerr := wb.Close(); err == nil {
				err = cerr
			}
			return err
		}, nil)
		return nil
	})
}

// describe says what the Register screen's filters keep, for the paper.
func (v registerView) describe() string {
	rf := export.RegisterFilter{Status: v.Status, RAG: v.RAG, Type: v.Type, Lead: v.Lead, Area: v.Area, Report: v.Report,
		Search: v.Search, Overdue: v.Overdue}
	if v.Due30 {
		rf.More = append(rf.More, "due within 30 days")
	}
	return rf.Describe()
}

// onFindingPaper writes one finding as a PDF, or its closure evidence pack,
// recorded against it as sent.
func (u *ui) onFindingPaper(pack bool) {
	var refs []string
	u.read(func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		for _, f := range fs {
			refs = append(refs, f.Ref)
		}
		return err
	}, func(err error) {
		switch {
		case err != nil:
			u.showError(fmt.Errorf("the register could not be read: %w", err))
		case len(refs) == 0:
			u.showError(errors.New("the register has no findings yet"))
		default:
			u.findingPaperDialog(pack, refs)
		}
	})
}

func (u *ui) findingPaperDialog(pack bool, refs []string) {
	which := widget.NewSelectEntry(refs)
	if e := u.register.editor; e != nil && e.orig.Ref != "" {
		which.SetText(e.orig.Ref)
	}
	which.SetPlaceHolder("the finding's reference")
	f := u.newPaperForm()
	form := widget.NewForm(append([]*widget.FormItem{widget.NewFormItem("Finding", which)}, f.items()...)...)
	title, intro := "Export this finding as PDF", hint("One A4 paper: the wording, leads, dates, milestones, progress and evidence, as at today.")
	if pack {
		title = "Prepare closure pack"
		intro = hint("A zip to send the inspectorate: a cover PDF (wording, action taken, milestones, progress, closure rationale, " +
			"evidence list), each attached file under a readable name, and manifest.sha256 of their digests. " +
			"A file that no longer matches its recorded SHA-256 stops the pack. The pack is recorded against the finding.")
	}
	u.formDialog(title, "Save", container.NewVBox(intro, form, f.problem), f.problem, func() error {
		m, folder, err := f.read()
		if err != nil {
			return err
		}
		ref := strings.ToUpper(strings.TrimSpace(which.Text))
		if !containsString(refs, ref) {
			return fmt.Errorf("%q is not a finding of this register; choose one from the list", which.Text)
		}
		opts := export.PaperOptions{Marking: m, AsAt: u.today(), Now: u.now()}
		if !pack {
			u.savePaper(filepath.Join(folder, export.FindingPaperFileName(m, ref)), ".pdf", func(w io.Writer) error {
				snap, err := u.snapshotAt(opts.AsAt, nil)
				if err != nil {
					return err
				}
				return export.WriteFindingPaper(w, snap, export.FindingPaperOptions{PaperOptions: opts, Ref: ref})
			}, nil)
			return nil
		}
		var written export.Pack
		u.savePaper(filepath.Join(folder, export.PackFileName(m, ref)), ".zip", func(w io.Writer) (err error) {
			written, err = u.writePack(w, export.PackOptions{PaperOptions: opts, Ref: ref})
			return err
		}, func(saved export.Saved) (string, error) {
			settings, _ := u.settings()
			sub := written.Submission(saved, u.now())
			sub.By = settings.Author
			if err := export.RecordSubmission(u.store, &sub); err != nil {
				return "", err
			}
			u.changed()
			return fmt.Sprintf("%d %s and %s; recorded against %s.", len(written.Files), model.Plural(len(written.Files), "file", "files"),
				export.PackManifest, ref), nil
		})
		return nil
	})
}

// writePack reads the finding and its attached files, each checked against
// its digest, in one transaction, and writes the pack.
func (u *ui) writePack(w io.Writer, opts export.PackOptions) (export.Pack, error) {
	files := map[model.ID][]byte{}
	errs := map[model.ID]error{}
	snap, err := u.snapshotAt(opts.AsAt, func(tx model.ReadTx, snap *model.Snapshot) error {
		for _, f := range snap.Findings {
			if f.Ref == opts.Ref {
				for _, e := range snap.EvidenceOf(f.ID) {
					if e.HasFile() {
						files[e.ID], errs[e.ID] = tx.EvidenceFile(e.ID)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return export.Pack{}, err
	}
	return export.WritePack(w, snap, opts, func(e model.Evidence) ([]byte, error) { return files[e.ID], errs[e.ID] })
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// onRequestUpdates writes one update request per delivery lead into a
// folder: only their findings and milestones, in the return's columns.
func (u *ui) onRequestUpdates() {
	f := u.newPaperForm()
	password := widget.NewPasswordEntry()
	password.SetPlaceHolder("optional: encrypt each workbook")
	repeat := widget.NewPasswordEntry()
	form := widget.NewForm(append(f.items(), widget.NewFormItem("Password", password), widget.NewFormItem("Repeat password", repeat))...)
	intro := hint("One workbook per delivery lead, holding only the open findings they lead and their milestones, in the return's " +
		"columns. Import each one sent back with File → Import a returned spreadsheet: rows for findings the sender does not lead are refused.")
	u.formDialog("Request updates", "Write the workbooks", container.NewVBox(intro, form, f.problem), f.problem, func() error {
		m, folder, err := f.read()
		if err != nil {
			return err
		}
		if password.Text != repeat.Text {
			return errors.New("the two passwords differ: type the same password in both boxes")
		}
		pw := password.Text
		var said []string
		u.background(func() (err error) {
			said, err = u.writeRequests(folder, m, pw)
			return err
		}, func(err error) {
			if err != nil {
				u.showError(fmt.Errorf("the update requests were not all written: %w", err))
				return
			}
			dialog.ShowInformation("Update requests written", strings.Join(said, "\n"), u.win)
		})
		return nil
	})
}

// writeRequests builds and saves the update requests as at today, and
// says what it wrote; an existing workbook is not replaced.
func (u *ui) writeRequests(folder string, m model.Marking, password string) ([]string, error) {
	today := u.today()
	opts := export.ReturnOptions{Period: model.QuarterOf(today), AsAt: today, Marking: m, Now: u.now()}
	var src export.Source
	err := u.store.View(context.Background(), func(tx model.ReadTx) (err error) {
		src, err = export.ReadSourceFrom(tx, today, opts.Period.FirstDay())
		return err
	})
	if err != nil {
		return nil, err
	}
	books, unled, err := export.BuildUpdateRequests(src, opts)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, w := range books {
			_ = w.Close()
		}
	}()
	var said []string
	for _, w := range books {
		saved, err := w.Save(filepath.Join(folder, w.DefaultFileName()), export.SaveOptions{Password: password})
		if err != nil {
			return said, err
		}
		said = append(said, fmt.Sprintf("%s: %d %s (%s)", w.DeliveryLead, w.RowCount(), model.Plural(w.RowCount(), "finding", "findings"), filepath.Base(saved.Path)))
	}
	if len(books) == 0 {
		said = append(said, "No open finding has a delivery lead, so there is nobody to ask for updates.")
	}
	if len(unled) > 0 {
		said = append(said, fmt.Sprintf("Nobody is asked about %s: no delivery lead.", strings.Join(unled, ", ")))
	}
	said = append(said, "Saved in "+shortPath(folder)+".")
	return said, nil
}

// showPaperStart opens one of the dialogs of this file on start, for the
// screenshots: "pack:REF" and "finding:REF" with the finding open behind,
// "view", "requests", and "life" or "record" for the first report.
func (u *ui) showPaperStart(what string) {
	what, ref, _ := strings.Cut(what, ":")
	if ref != "" {
		u.selectTab("Register")
		u.register.openRef(ref)
	}
	switch what {
	case "pack":
		u.onFindingPaper(true)
	case "finding":
		u.onFindingPaper(false)
	case "view":
		u.selectTab("Register")
		u.onExportView()
	case "requests":
		u.onRequestUpdates()
	case "life", "record":
		u.selectTab("Reports")
		var rs []model.Report
		u.read(func(tx model.ReadTx) (err error) {
			rs, err = tx.Reports()
			return err
		}, func(err error) {
			switch {
			case err != nil:
				u.showError(err)
			case len(rs) > 0 && what == "life":
				u.reports.lifeDialog(rs[0])
			case len(rs) > 0:
				u.reports.recordDialog(rs[0])
			}
		})
	}
}
