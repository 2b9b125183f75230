package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/export"
	"improvementtracker/model"
)

// What the Export screen can write.
const (
	kindReturn   = "Quarterly progress return"
	kindBriefing = "Chief officer briefing"
	everyLead    = "Every chief officer"
)

// exportScreen writes the quarterly progress return or the chief officer
// briefing: the user picks the quarter (or, for a briefing, the chief
// officer), the as-at date, the protective marking and an optional password,
// and where to save. The export runs off the UI goroutine with its steps
// shown; the file is written beside its final name and renamed into place,
// and an existing file is replaced only after the user confirms. When it is
// done the screen offers to open the file, show its folder, and record it
// as submitted.
type exportScreen struct {
	u       *ui
	content fyne.CanvasObject

	kind       *widget.RadioGroup
	quarter    *widget.Select
	asAt       *dateEntry
	asAtHint   *widget.Label
	lead       *widget.Select
	marking    *widget.Select
	descriptor *widget.Entry
	password   *widget.Entry
	repeat     *widget.Entry
	folder     *widget.Entry
	name       *widget.Entry
	problem    *widget.Label
	run        *widget.Button
	form       *widget.Form

	progress *widget.ProgressBarInfinite
	status   *widget.Label
	result   *fyne.Container

	restoring bool                    // while refresh sets saved choices: not saved again
	leads     map[string]model.Person // by label
	autoName  string                  // the name last filled in, replaced while the user has not typed their own
	confirm   *dialog.ConfirmDialog   // the replace-the-file question, while it is shown
	last      *export.Workbook        // the last workbook saved, for "Record as submitted"
	lastSaved export.Saved
	record    *widget.Button
}

func newExportScreen(u *ui) *exportScreen {
	// restoring until built: setting the first choices must not
	// overwrite those kept from the last run.
	s := &exportScreen{u: u, restoring: true}
	s.kind = widget.NewRadioGroup([]string{kindReturn, kindBriefing}, func(string) { s.clearResult(); s.onOptionsChanged() })
	s.kind.Horizontal = true
	s.kind.Required = true
	s.quarter = widget.NewSelect(nil, func(string) { s.onOptionsChanged() })
	s.asAt = newDateEntry()
	s.asAt.OnChanged = func(string) { s.onOptionsChanged() }
	// Not hint(): a wrapping label beside a field is squeezed to one
	// letter a line.
	s.asAtHint = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.lead = widget.NewSelect(nil, func(string) { s.onOptionsChanged() })
	var markings []string
	for _, c := range model.Classifications {
		markings = append(markings, string(c))
	}
	s.marking = widget.NewSelect(markings, func(string) { s.onOptionsChanged() })
	s.descriptor = widget.NewEntry()
	s.descriptor.SetPlaceHolder("Optional, such as PERSONAL")
	s.descriptor.OnChanged = func(string) { s.onOptionsChanged() }
	s.password = widget.NewPasswordEntry()
	s.password.SetPlaceHolder("Optional: the workbook then opens only with it")
	s.repeat = widget.NewPasswordEntry()
	s.repeat.SetPlaceHolder("Type the password again")
	s.folder = widget.NewEntry()
	s.folder.SetPlaceHolder("The folder to save in")
	s.folder.SetText(u.prefs.StringWithFallback(prefExportFolder, shortPath(defaultExportFolder())))
	s.folder.OnChanged = func(string) { s.savePrefs() }
	s.name = widget.NewEntry()
	s.problem = newFieldError()
	s.run = widget.NewButton("Export", s.onExport)
	s.run.Importance = widget.HighImportance
	s.progress = widget.NewProgressBarInfinite()
	s.progress.Stop()
	s.progress.Hide()
	s.status = widget.NewLabel("")
	s.status.Wrapping = fyne.TextWrapWord
	s.result = container.NewVBox()

	s.form = widget.NewForm(
		widget.NewFormItem("Workbook", s.kind),
		widget.NewFormItem("Quarter", s.quarter),
		widget.NewFormItem("As at", container.NewBorder(nil, nil, nil, s.asAtHint, s.asAt)),
		widget.NewFormItem("Chief officer", s.lead),
		widget.NewFormItem("Protective marking", container.NewGridWithColumns(2, s.marking, s.descriptor)),
		widget.NewFormItem("Password", container.NewGridWithColumns(2, s.password, s.repeat)),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, widget.NewButton("Choose…", s.onChooseFolder), s.folder)),
		widget.NewFormItem("File name", s.name),
	)
	intro := hint("The progress return is what the inspectorate sees of the force's work: status, RAG, targets and leads " +
		"as they stood on the as-at date, so a past quarter can be produced again identically. The briefing puts red and " +
		"overdue findings, slipped milestones and closures first, for one chief officer or all.")
	body := container.NewVBox(heading("Export"), intro, s.form, s.problem,
		container.NewHBox(s.run), s.progress, s.status, s.result)
	s.content = container.NewVScroll(container.NewPadded(body))
	s.kind.SetSelected(u.prefs.StringWithFallback(prefExportKind, kindReturn))
	s.restoring = false
	return s
}

// The export's choices are kept between runs, as the register's filters
// are; the password never is.
const (
	prefExportKind       = "export.kind"
	prefExportQuarter    = "export.quarter"
	prefExportLead       = "export.lead"
	prefExportMarking    = "export.marking"
	prefExportDescriptor = "export.descriptor"
	prefExportFolder     = "export.folder"
)

// savePrefs keeps the choices for the next run.
func (s *exportScreen) savePrefs() {
	if s.restoring {
		return
	}
	p := s.u.prefs
	p.SetString(prefExportKind, s.kind.Selected)
	p.SetString(prefExportQuarter, s.quarter.Selected)
	p.SetString(prefExportLead, s.lead.Selected)
	p.SetString(prefExportMarking, s.marking.Selected)
	p.SetString(prefExportDescriptor, s.descriptor.Text)
	p.SetString(prefExportFolder, s.folder.Text)
}

// refresh reloads what the choices depend on: the quarters, the chief
// officers and the register's default marking.
func (s *exportScreen) refresh() {
	today := s.u.today()
	var quarters []string
	q := model.QuarterOf(today)
	for range 12 {
		quarters = append(quarters, q.String())
		q = q.Prev()
	}
	s.quarter.SetOptions(quarters)
	s.restoring = true
	defer func() { s.restoring = false }()
	if s.quarter.Selected == "" {
		// The quarter chosen last time, while it is still offered; else
		// the last one ended, since a return is written once its quarter
		// has ended.
		if q := s.u.prefs.String(prefExportQuarter); slices.Contains(quarters, q) {
			s.quarter.SetSelected(q)
		} else {
			s.quarter.SetSelected(model.QuarterOf(today).Prev().String())
		}
	}
	var leads []model.Person
	var settings model.Settings
	err := s.u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		if settings, err = tx.Settings(); err != nil {
			return err
		}
		leads, err = model.ChiefOfficers(tx)
		return err
	})
	if err != nil {
		setFieldError(s.problem, "The register could not be read: "+err.Error())
		return
	}
	s.leads = map[string]model.Person{}
	options := []string{everyLead}
	for _, p := range leads {
		s.leads[p.Label()] = p
		options = append(options, p.Label())
	}
	s.lead.SetOptions(options)
	if _, ok := s.leads[s.lead.Selected]; !ok {
		if _, ok := s.leads[s.u.prefs.String(prefExportLead)]; ok && s.lead.Selected == "" {
			s.lead.SetSelected(s.u.prefs.String(prefExportLead))
		} else {
			s.lead.SetSelected(everyLead)
		}
	}
	if saved := s.u.prefs.String(prefExportMarking); s.marking.Selected == "" && saved != "" && slices.Contains(s.marking.Options, saved) {
		s.marking.SetSelected(saved)
		s.descriptor.SetText(s.u.prefs.String(prefExportDescriptor))
	}
	if s.marking.Selected == "" {
		m := settings.DefaultMarking
		if m.Classification == "" {
			m.Classification = model.Official
		}
		s.marking.SetSelected(string(m.Classification))
		s.descriptor.SetText(m.Descriptor)
	}
	s.onOptionsChanged()
}

// exportItems are the File menu's export items.
func (u *ui) exportItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export progress return…", func() { u.exporter.show(kindReturn) }),
		fyne.NewMenuItem("Export chief officer briefing…", func() { u.exporter.show(kindBriefing) }),
	}
}

// show opens the screen ready for one kind of workbook.
func (s *exportScreen) show(kind string) {
	s.u.showTabs()
	s.u.selectTab("Export")
	s.kind.SetSelected(kind)
}

// onOptionsChanged shows the fields that apply and suggests a file name.
func (s *exportScreen) onOptionsChanged() {
	if s.quarter == nil || s.name == nil || s.lead == nil || s.marking == nil {
		return // still being built
	}
	briefing := s.kind.Selected == kindBriefing
	if briefing {
		s.quarter.Disable()
		s.lead.Enable()
		s.asAtHint.SetText("Blank: today")
	} else {
		s.quarter.Enable()
		s.lead.Disable()
		s.asAtHint.SetText("Blank: the quarter's last day")
	}
	// The form greys a label only when it is redrawn: without this the
	// labels showed the other workbook's state.
	if s.form != nil {
		s.form.Refresh()
	}
	name := s.defaultName()
	if strings.TrimSpace(s.name.Text) == "" || s.name.Text == s.autoName {
		s.name.SetText(name)
	}
	s.autoName = name
	s.savePrefs()
}

// choices are the screen's settings, read on the UI goroutine.
type choices struct {
	briefing bool
	quarter  model.Quarter
	asAt     model.Date
	lead     model.Person
	marking  model.Marking
	password string
	path     string
}

func (s *exportScreen) marked() (model.Marking, error) {
	return model.ParseMarking(strings.TrimSpace(s.marking.Selected + " " + s.descriptor.Text))
}

func (s *exportScreen) defaultName() string {
	m, err := s.marked()
	if err != nil {
		m = model.Marking{Classification: model.Official}
	}
	force := ""
	if settings, err := s.u.settings(); err == nil {
		force = settings.ForceName
	}
	asAt, _ := s.asAt.Date()
	if s.kind.Selected == kindBriefing {
		if asAt.IsZero() {
			asAt = s.u.today()
		}
		lead := ""
		if p, ok := s.leads[s.lead.Selected]; ok {
			lead = p.Label()
		}
		return export.BriefingFileName(m, force, asAt, lead)
	}
	q, err := model.ParseQuarter(s.quarter.Selected)
	if err != nil {
		return ""
	}
	return export.ReturnFileName(m, force, q)
}

// read checks the screen's settings and says in words what is wrong.
func (s *exportScreen) read() (choices, error) {
	c := choices{briefing: s.kind.Selected == kindBriefing, lead: s.leads[s.lead.Selected]}
	var err error
	if !c.briefing {
		if c.quarter, err = model.ParseQuarter(s.quarter.Selected); err != nil {
			return c, errors.New("choose the quarter the return is for")
		}
	}
	if c.asAt, err = s.asAt.Date(); err != nil {
		return c, fmt.Errorf("as at: %w", err)
	}
	if !c.briefing && !c.asAt.IsZero() && c.asAt.Before(c.quarter.FirstDay()) {
		return c, fmt.Errorf("the as-at date %s is before %s begins", c.asAt, c.quarter)
	}
	if c.marking, err = s.marked(); err != nil {
		return c, err
	}
	if s.password.Text != s.repeat.Text {
		return c, errors.New("the two passwords differ: type the same password in both boxes")
	}
	c.password = s.password.Text
	folder := expandPath(strings.TrimSpace(s.folder.Text))
	if info, err := os.Stat(folder); folder == "" || err != nil || !info.IsDir() {
		return c, fmt.Errorf("choose a folder to save in: %q is not a folder on this computer", folder)
	}
	name := strings.TrimSpace(s.name.Text)
	if name == "" || strings.ContainsAny(name, `/\:*?"<>|`) {
		return c, errors.New(`give the file a name without any of / \ : * ? " < > |`)
	}
	if !strings.EqualFold(filepath.Ext(name), ".xlsx") {
		name += ".xlsx"
	}
	c.path = filepath.Join(folder, name)
	return c, nil
}

func (s *exportScreen) onChooseFolder() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			s.u.showError(fmt.Errorf("the folder could not be opened: %w", err))
			return
		}
		if dir != nil {
			s.folder.SetText(shortPath(dir.Path()))
		}
	}, s.u.win)
	d.SetTitleText("Choose the folder to save the workbook in")
	d.SetConfirmText("Save here")
	if l, err := storage.ListerForURI(storage.NewFileURI(expandPath(s.folder.Text))); err == nil {
		d.SetLocation(l)
	}
	d.Show()
}

// onExport checks the settings, asks before replacing a file, and runs the
// export.
func (s *exportScreen) onExport() {
	c, err := s.read()
	if err != nil {
		setFieldError(s.problem, model.UpperFirst(err.Error())+".")
		return
	}
	setFieldError(s.problem, "")
	if _, err := os.Stat(c.path); err == nil {
		s.confirm = dialog.NewConfirm("Replace the existing file?",
			fmt.Sprintf("%s already exists in\n%s.\n\nReplace it with the new workbook? The old file cannot be got back.",
				filepath.Base(c.path), filepath.Dir(c.path)),
			func(ok bool) {
				s.confirm = nil
				if ok {
					s.start(c, true)
				}
			}, s.u.win)
		s.confirm.SetConfirmText("Replace")
		s.confirm.SetConfirmImportance(widget.DangerImportance)
		s.confirm.Show()
		return
	}
	s.start(c, false)
}

// start builds and saves the workbook off the UI goroutine, showing each
// step; widgets are touched only through fyne.Do.
func (s *exportScreen) start(c choices, replace bool) {
	s.run.Disable()
	s.result.RemoveAll()
	s.progress.Show()
	s.progress.Start()
	s.status.SetText("Starting…")
	step := func(text string) { fyne.Do(func() { s.status.SetText(text + "…") }) }
	store, now := s.u.store, s.u.now()
	var w *export.Workbook
	var saved export.Saved
	s.u.background(func() error {
		briefing := export.BriefingOptions{AsAt: c.asAt, LeadID: c.lead.ID, Marking: c.marking, Now: now, Progress: step}
		ret := export.ReturnOptions{Period: c.quarter, AsAt: c.asAt, Marking: c.marking, Now: now, Progress: step}
		asAt := ret.AsAtDate()
		if c.briefing {
			asAt = briefing.AsAtDate()
		}
		step("Reading the register as at " + asAt.String())
		var src export.Source
		// A return prints the narratives of its quarter only.
		from := ret.Period.FirstDay()
		if c.briefing {
			from = model.Date{}
		}
		err := store.View(context.Background(), func(tx model.ReadTx) (err error) { src, err = export.ReadSourceFrom(tx, asAt, from); return })
		if err != nil {
			return err
		}
		if c.briefing {
			w, err = export.BuildBriefing(src, briefing)
		} else {
			w, err = export.BuildReturn(src, ret)
		}
		if err != nil {
			return err
		}
		step("Saving " + filepath.Base(c.path))
		saved, err = w.Save(c.path, export.SaveOptions{Password: c.password, Replace: replace})
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("finishing the workbook: %w", cerr)
		}
		return err
	}, func(err error) {
		s.progress.Stop()
		s.progress.Hide()
		s.run.Enable()
		if err != nil {
			s.status.SetText("The export did not finish; nothing was saved.")
			s.u.showError(err)
			return
		}
		s.done(w, saved, c.password != "")
	})
}

// clearResult takes the last workbook's result off the screen when
// another kind is chosen: its "Record as submitted" would otherwise invite
// recording a return while the screen is set for a briefing.
func (s *exportScreen) clearResult() {
	if s.result == nil || s.status == nil {
		return // still being built
	}
	s.result.RemoveAll()
	s.status.SetText("")
	s.last, s.lastSaved, s.record = nil, export.Saved{}, nil
}

// done shows what was saved, any warnings, and what can be done next.
func (s *exportScreen) done(w *export.Workbook, saved export.Saved, encrypted bool) {
	s.last, s.lastSaved = w, saved
	text := fmt.Sprintf("Saved %s\nin %s\nMarked %s; SHA-256 %s.", filepath.Base(saved.Path), shortPath(filepath.Dir(saved.Path)), w.Marking, saved.SHA256)
	if encrypted {
		text += "\nIt opens only with the password: keep the password apart from the file."
	}
	s.status.SetText(text)
	for _, warning := range w.Warnings {
		l := widget.NewLabel("Warning: " + warning)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		s.result.Add(l)
	}
	open := widget.NewButton("Open file", func() { s.openURI(storage.NewFileURI(saved.Path)) })
	folder := widget.NewButton("Show in folder", func() { s.openURI(storage.NewFileURI(filepath.Dir(saved.Path))) })
	s.record = widget.NewButton("Record as submitted", s.onRecord)
	s.result.Add(container.NewHBox(open, folder, s.record))
	s.result.Add(hint("Record it as submitted once it has been sent: the register then keeps the file's SHA-256 and every row " +
		"as sent, and the next one lists what changed since."))
}

func (s *exportScreen) openURI(uri fyne.URI) {
	u, err := url.Parse(uri.String())
	if err == nil {
		err = s.u.app.OpenURL(u)
	}
	if err != nil {
		s.u.showError(fmt.Errorf("could not open %s: %w", uri.Path(), err))
	}
}

// onRecord records the last saved workbook as submitted.
func (s *exportScreen) onRecord() {
	if s.last == nil {
		return
	}
	settings, _ := s.u.settings()
	sub := s.last.Submission(s.lastSaved, settings.Author, s.u.now())
	if err := export.RecordSubmission(s.u.store, &sub); err != nil {
		s.u.showError(err)
		return
	}
	s.record.SetText("Recorded as submitted")
	s.record.Disable()
	s.last = nil
	s.u.changed()
}
