package app

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/importer/report"
	"improvementtracker/internal/infile"
	"improvementtracker/model"
)

// importReportScreen reads an inspection report (pasted text, or a .txt,
// .pdf or saved web page .html/.htm file) and previews the findings it
// found. The person corrects a
// title, type, area or grade, unticks what they do not want, sees the
// findings the register already holds marked and skipped, and imports.
// Nothing is stored before they press Import.
type importReportScreen struct {
	u     *ui
	dlg   dialog.Dialog
	paste *textArea
	title *widget.Entry
	// published is the report's publication date: read from the text,
	// or typed where the text gives none; deadlines counted from it
	// ("within six months") get their targets from it.
	published *dateEntry
	// path takes a report file's path typed or pasted.
	path     *lineEntry
	summary  *widget.Label
	rows     *fyne.Container
	doImport *widget.Button
	bar      *fyne.Container // the dialog's buttons, laid out again when a label changes

	plan *report.Plan
}

// onImportReport opens the report import.
func (u *ui) onImportReport() {
	if u.refuseChange() {
		return
	}
	s := newImportReportScreen(u)
	s.dlg.Show()
}

func newImportReportScreen(u *ui) *importReportScreen {
	s := &importReportScreen{u: u}
	s.paste = newTextArea()
	s.paste.SetPlaceHolder("Paste the report's text here, or open a .txt, .pdf or saved web page (.html) file")
	// No word wrap: text pasted from a web page or PDF can come as one
	// line of tens of thousands of characters, which Fyne takes seconds
	// to wrap (34,000 characters: 10 s wrapped, 0.04 s not). The text is
	// only read by the importer, so scrolling sideways costs nothing.
	s.paste.Wrapping = fyne.TextWrapOff
	s.paste.SetMinRowsVisible(6)
	s.title = widget.NewEntry()
	s.title.SetPlaceHolder("Report title (from the text when left empty, e.g. Kent Police PEEL 2021/22)")
	s.published = newDateEntry()
	s.published.SetPlaceHolder("Published (dd/mm/yyyy)")
	s.published.OnChanged = s.onPublished
	s.summary = widget.NewLabel("")
	s.summary.Wrapping = fyne.TextWrapWord
	s.rows = container.NewVBox()
	s.doImport = widget.NewButton("Import", s.onImport)
	s.doImport.Importance = widget.HighImportance
	s.doImport.Disable()

	// A path typed or pasted is quicker than walking folders in the file
	// dialog (Explorer's "Copy as path" included).
	s.path = newLineEntry()
	s.path.SetPlaceHolder("Type or paste the report file's path and press Enter")
	s.path.OnSubmitted = s.openPath
	pathRow := container.NewBorder(nil, nil, nil, widget.NewButton("Open", func() { s.openPath(s.path.Text) }), s.path)
	source := container.NewBorder(nil,
		container.NewVBox(pathRow,
			container.NewHBox(widget.NewButton("Choose a file…", s.onOpenFile), widget.NewButton("Read the pasted text", s.onReadPasted))),
		nil, nil, s.paste)
	dates := container.NewBorder(nil, nil, widget.NewLabel("Publication date"), nil, s.published)
	top := container.NewVBox(heading("Import findings from an inspection report"), source, container.NewGridWithColumns(2, s.title, dates), s.summary)
	scroll := container.NewVScroll(s.rows)
	scroll.SetMinSize(fyne.NewSize(900, 260))
	s.bar = container.NewHBox(spacer(), widget.NewButton("Cancel", func() { s.dlg.Hide() }), s.doImport)
	content := container.NewBorder(top, s.bar, nil, nil, scroll)
	s.dlg = dialog.NewCustomWithoutButtons("Import a report", content, u.win)
	s.dlg.Resize(fyne.NewSize(1100, 720))
	return s
}

func (s *importReportScreen) onReadPasted() {
	if strings.TrimSpace(s.paste.Text) == "" {
		s.u.showError(fmt.Errorf("paste the report's text first, or open a file"))
		return
	}
	s.load(report.PastedText, s.paste.Text)
}

// prefReportFolder is the folder a report was last read from, where the
// file dialog opens next time.
const prefReportFolder = "report.folder"

// onOpenFile chooses a report file in Fyne's file dialog, made nearly as
// large as the window (its own size shows a handful of files) and opened
// in the folder of the last report read.
func (s *importReportScreen) onOpenFile() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		if r == nil {
			return
		}
		if r.URI().Scheme() == "file" {
			s.u.prefs.SetString(prefReportFolder, filepath.Dir(r.URI().Path()))
		}
		s.readFrom(r.URI().Name(), r)
	}, s.u.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".txt", ".pdf", ".html", ".htm", ".TXT", ".PDF", ".HTML", ".HTM"}))
	if dir := s.u.prefs.String(prefReportFolder); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			fd.SetLocation(l)
		}
	}
	fd.Resize(s.u.win.Canvas().Size().Subtract(fyne.NewSize(80, 80)))
	fd.Show()
}

// openPath reads the report file at a path typed or pasted. Quotes around
// it and a file:// address are accepted.
func (s *importReportScreen) openPath(p string) {
	p = strings.Trim(strings.TrimSpace(p), `"'`)
	if p == "" {
		s.u.showError(errors.New("type or paste the path of the report file (.txt, .pdf, .html or .htm) to open"))
		return
	}
	if u, err := url.Parse(p); err == nil && u.Scheme == "file" {
		p = filepath.FromSlash(u.Path)
	}
	p = expandPath(p)
	// Only a regular file is read, and its size is known first.
	f, err := infile.Open(p, "the report file", report.MaxFileBytes)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.u.prefs.SetString(prefReportFolder, filepath.Dir(p))
	s.readFrom(filepath.Base(p), f)
}

// readFrom reads a report file and previews its findings.
func (s *importReportScreen) readFrom(name string, r io.ReadCloser) {
	b, over, err := readCapped(r, report.MaxFileBytes)
	if err != nil {
		s.u.showError(fmt.Errorf("cannot read %s: %w", name, err))
		return
	}
	if over {
		s.u.showError(fmt.Errorf("%s is larger than a report can be (%d MB at most)", name, report.MaxFileBytes>>20))
		return
	}
	var text string
	s.summary.SetText("Reading " + name + "…")
	s.u.background(func() error {
		var err error
		text, err = report.Decode(name, b)
		return err
	}, func(err error) {
		if err != nil {
			s.summary.SetText("")
			s.u.showError(err)
			return
		}
		s.load(name, text)
	})
}

// load parses the text and shows the preview. Reading a long report
// takes a moment, so it runs off the UI goroutine.
func (s *importReportScreen) load(source, text string) {
	title := s.title.Text
	var pl *report.Plan
	s.summary.SetText("Reading " + source + "…")
	s.u.background(func() error {
		parsed, err := report.Parse(text)
		if err != nil {
			return err
		}
		pl, err = report.NewPlan(s.u.store, parsed, source, title)
		return err
	}, func(err error) {
		if err != nil {
			s.summary.SetText("")
			s.u.showError(err)
			return
		}
		s.plan = pl
		if s.title.Text == "" {
			s.title.SetText(pl.Report.Title)
		}
		if d, err := s.published.Date(); err == nil && !d.IsZero() {
			// A date typed before the text was read stands.
			pl.SetPublished(d)
		} else {
			s.published.SetDate(pl.Report.Published)
		}
		s.showRows()
	})
}

func (s *importReportScreen) showRows() {
	pl := s.plan
	s.rows.RemoveAll()
	types := make([]string, len(model.FindingTypes))
	for i, t := range model.FindingTypes {
		types[i] = string(t)
	}
	grades := []string{""}
	for _, g := range model.Grades {
		grades = append(grades, string(g))
	}
	for i := range pl.Rows {
		row := &pl.Rows[i]
		include := widget.NewCheck(fmt.Sprintf("%d", i+1), func(on bool) {
			row.Include = on
			s.updateSummary()
		})
		include.SetChecked(row.Include)
		typ := widget.NewSelect(types, func(v string) { row.Type = model.FindingType(v) })
		typ.SetSelected(string(row.Type))
		grade := widget.NewSelect(grades, func(v string) { row.Grade = model.Grade(v) })
		grade.SetSelected(string(row.Grade))
		area := widget.NewEntry()
		area.SetText(row.Area)
		area.OnChanged = func(v string) { row.Area = v }
		title := widget.NewEntry()
		title.SetText(row.Title)
		title.OnChanged = func(v string) { row.Title = v }
		var notes []string
		if row.Duplicate != "" {
			notes = append(notes, "Already in the register as "+row.Duplicate+": skipped")
			include.SetChecked(false)
			include.Disable()
		}
		if row.NotForForce {
			// Listed for the record, unticked: tick it to import it anyway.
			who := "others"
			if row.Addressee != "" {
				who = row.Addressee
			}
			notes = append(notes, "Not for the force: addressed to "+who)
		}
		notes = append(notes, row.Flags...)
		if row.Deadline != "" {
			note := "Deadline: " + row.Deadline
			if !row.Target.IsZero() {
				note += ", target " + row.Target.String()
			}
			notes = append(notes, note)
		}
		if row.Parent > 0 {
			notes = append(notes, fmt.Sprintf("Recommendation under finding %d", row.Parent))
		}
		// The title above is the wording's first paragraph or sentence;
		// the line under it shows how the wording goes on.
		wording := model.FirstSentence(strings.TrimPrefix(row.Text, row.Title+"\n\n"))
		if wording == "" {
			wording = "(no wording in the text)"
		}
		detail := widget.NewLabel(strings.Join(append([]string{wording}, notes...), "\n"))
		detail.Wrapping = fyne.TextWrapWord
		fields := container.NewGridWithColumns(3, typ, grade, area)
		finding := container.NewVBox(title, fields, detail)
		s.rows.Add(container.NewBorder(nil, widget.NewSeparator(), include, nil,
			container.NewGridWithColumns(2, finding, sourcePanel(row.Source))))
	}
	s.updateSummary()
}

// sourcePanel shows the lines of the text a finding was read from, on a
// highlighted ground beside it, so that a lead can check the finding
// against the report without looking for it.
func sourcePanel(source string) fyne.CanvasObject {
	if source == "" {
		source = "(no lines of the text: nothing was read for this finding)"
	}
	text := widget.NewLabel(clipLines(source, sourceLinesShown))
	text.Wrapping = fyne.TextWrapWord
	text.TextStyle = fyne.TextStyle{Monospace: true}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameSelection))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, text)
}

// sourceLinesShown caps the source lines shown beside a finding, so that
// a box that ran on does not make its row pages long; --json gives them
// all.
const sourceLinesShown = 14

// clipLines drops the blank lines PDF text is full of and keeps the first
// n lines, saying how many more there are.
func clipLines(s string, n int) string {
	var kept []string
	more := 0
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(kept) == n {
			more++
			continue
		}
		kept = append(kept, l)
	}
	if more > 0 {
		kept = append(kept, fmt.Sprintf("… and %s more", count(more, "line", "lines")))
	}
	return strings.Join(kept, "\n")
}

// onPublished counts the targets again from the date typed.
func (s *importReportScreen) onPublished(text string) {
	if s.plan == nil {
		return
	}
	d, err := s.published.Date()
	if err != nil || d == s.plan.Report.Published {
		return
	}
	s.plan.SetPublished(d)
	s.showRows()
}

func (s *importReportScreen) updateSummary() {
	pl := s.plan
	dups := 0
	for _, r := range pl.Rows {
		if r.Duplicate != "" {
			dups++
		}
	}
	where := "a new report"
	if pl.Report.ID != 0 {
		where = "a report already in the register"
	}
	// The force is left out when the text does not name one, rather
	// than shown as an empty gap.
	var about []string
	if pl.Parsed.Force != "" {
		about = append(about, pl.Parsed.Force)
	}
	if pl.Parsed.Layout != "" {
		about = append(about, "layout "+pl.Parsed.Layout)
	}
	text := "Found " + count(len(pl.Rows), "finding", "findings")
	if len(about) > 0 {
		text += " (" + strings.Join(about, ", ") + ")"
	}
	text += fmt.Sprintf(" for %q, %s.", pl.Report.Title, where)
	switch {
	case dups == 1:
		text += " 1 is already in the register and will be skipped."
	case dups > 1:
		text += fmt.Sprintf(" %d are already in the register and will be skipped.", dups)
	}
	if others := notForForceCount(pl.Rows); others > 0 {
		text += fmt.Sprintf(" %s addressed to others (not for the force) and left unticked.", count(others, "recommendation is", "recommendations are"))
	}
	if h := headingsLine(pl.Parsed.Headings); h != "" {
		text += "\n" + h
	}
	if len(pl.Parsed.Warnings) > 0 {
		text += "\n" + strings.Join(pl.Parsed.Warnings, "\n")
	}
	s.summary.SetText(text)
	n := pl.Included()
	s.doImport.SetText("Import " + count(n, "finding", "findings"))
	if n == 0 {
		s.doImport.Disable()
	} else {
		s.doImport.Enable()
	}
	s.bar.Refresh()
}

func notForForceCount(rows []report.Row) int {
	n := 0
	for _, r := range rows {
		if r.NotForForce && r.Duplicate == "" {
			n++
		}
	}
	return n
}

// headingsLine says which box headings the text has and how many findings
// were made from them: "Headings read: 8 Area for improvement (19
// findings), 2 Innovative practice (2)".
func headingsLine(hs []report.HeadingCount) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, fmt.Sprintf("%d %s (%s)", h.Seen, h.Heading, count(h.Findings, "finding", "findings")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Headings read: " + strings.Join(parts, ", ") + "."
}

func (s *importReportScreen) onImport() {
	if s.plan == nil {
		return
	}
	if t := strings.TrimSpace(s.title.Text); t != "" && s.plan.Report.ID == 0 {
		s.plan.Report.Title = t
	}
	res, err := s.plan.Apply(s.u.store, s.u.actor().Who)
	if err != nil {
		s.u.showError(err)
		return
	}
	s.dlg.Hide()
	s.u.changed()
	msg := fmt.Sprintf("Imported %d findings into %q.", len(res.Created), res.Report.Title)
	if res.Skipped > 0 {
		msg += fmt.Sprintf(" %d were skipped (unticked or already in the register).", res.Skipped)
	}
	s.u.inform("Report imported", msg)
}

// importItems are the File menu's import items.
func (u *ui) importItems() []*fyne.MenuItem {
	return []*fyne.MenuItem{
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Import a report…", u.onImportReport),
		fyne.NewMenuItem("Import a returned spreadsheet…", u.onImportReturn),
	}
}
