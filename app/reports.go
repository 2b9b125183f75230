package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// pccWarnDays is how close the PCC's 56-day response deadline must be for
// the reports list to flag it.
const pccWarnDays = 14

// reportsScreen lists the inspection reports with their statutory clock and
// how their findings stand.
type reportsScreen struct {
	u       *ui
	content fyne.CanvasObject
	list    *widget.List
	rows    []reportRow
	empty   *widget.Label // shown while there are no reports
}

type reportRow struct {
	r      model.Report
	counts map[model.Status]int
	total  int
}

func newReportsScreen(u *ui) *reportsScreen {
	s := &reportsScreen{u: u}
	s.list = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			title := widget.NewLabel("")
			title.TextStyle = fyne.TextStyle{Bold: true}
			title.Truncation = fyne.TextTruncateEllipsis
			dates := widget.NewLabel("")
			pcc := widget.NewLabel("")
			pcc.TextStyle = fyne.TextStyle{Bold: true}
			counts := widget.NewLabel("")
			counts.Wrapping = fyne.TextWrapWord
			edit := widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), nil)
			life := widget.NewButtonWithIcon("Life…", theme.HistoryIcon(), nil)
			return container.NewBorder(nil, nil, nil, container.NewVBox(edit, life),
				container.NewVBox(title, container.NewHBox(dates, pcc), counts))
		},
		s.updateItem,
	)
	add := widget.NewButtonWithIcon("Add report…", theme.ContentAddIcon(), s.onAdd)
	add.Importance = widget.HighImportance
	help := widget.NewLabel("The Police and Crime Commissioner must publish a response within 56 days of publication.")
	help.TextStyle = fyne.TextStyle{Italic: true}
	// An empty register says what to do rather than showing a blank page.
	s.empty = widget.NewLabel("No reports yet. Add one by hand with \"Add report…\", or read one in with File → Import a report.")
	s.empty.Wrapping = fyne.TextWrapWord
	s.empty.Hide()
	s.content = container.NewBorder(container.NewVBox(container.NewHBox(add, help), s.empty), nil, nil, nil, s.list)
	return s
}

func (s *reportsScreen) updateItem(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.rows) {
		return
	}
	row := s.rows[id]
	// The row is a border: the details in the centre, then the Edit
	// button in a box on the right.
	border := o.(*fyne.Container)
	box := border.Objects[0].(*fyne.Container)
	edit := border.Objects[1].(*fyne.Container).Objects[0].(*widget.Button)
	r := row.r
	edit.OnTapped = func() { s.editDialog(r) }
	border.Objects[1].(*fyne.Container).Objects[1].(*widget.Button).OnTapped = func() { s.lifeDialog(r) }
	box.Objects[0].(*widget.Label).SetText(r.Title)
	line := box.Objects[1].(*fyne.Container)
	dates := line.Objects[0].(*widget.Label)
	pcc := line.Objects[1].(*widget.Label)
	kind := string(r.Type)
	if r.Cycle != "" {
		kind += " " + r.Cycle
	}
	dates.SetText(fmt.Sprintf("%s · published %s ·", kind, orText(r.Published.String(), "(no date)")))
	// Once the PCC's response is recorded, the clock is cleared.
	text, importance := pccLabel(r, s.u.today())
	pcc.SetText(text)
	pcc.Importance = importance
	pcc.Refresh()
	box.Objects[2].(*widget.Label).SetText(countsText(row))
	s.list.SetItemHeight(id, border.MinSize().Height)
}

// countsText lists how many of a report's findings are at each status.
func countsText(row reportRow) string {
	if row.total == 0 {
		return "No findings recorded."
	}
	var parts []string
	for _, st := range model.Statuses {
		if n := row.counts[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", st, n))
		}
	}
	return fmt.Sprintf("%d findings: %s", row.total, strings.Join(parts, " · "))
}

func (s *reportsScreen) refresh() {
	var rows []reportRow
	s.u.read(func(tx model.ReadTx) error {
		rs, err := tx.Reports()
		if err != nil {
			return fmt.Errorf("reading reports: %w", err)
		}
		fs, err := tx.Findings()
		if err != nil {
			return fmt.Errorf("reading findings: %w", err)
		}
		idx := map[model.ID]int{}
		for _, r := range rs {
			idx[r.ID] = len(rows)
			rows = append(rows, reportRow{r: r, counts: map[model.Status]int{}})
		}
		for _, f := range fs {
			if i, ok := idx[f.ReportID]; ok {
				rows[i].counts[f.Status]++
				rows[i].total++
			}
		}
		return nil
	}, func(err error) {
		if err != nil {
			s.u.showError(err)
			return
		}
		s.rows = rows
		if len(rows) == 0 {
			s.empty.Show()
		} else {
			s.empty.Hide()
		}
		s.list.Refresh()
	})
}

func (s *reportsScreen) onAdd() {
	if s.u.refuseChange() {
		return
	}
	force := ""
	if st, err := s.u.settings(); err == nil {
		force = st.ForceName
	}
	s.editDialog(model.Report{Type: model.PEEL, Force: force})
}

// editDialog adds or edits a report by hand.
func (s *reportsScreen) editDialog(r model.Report) {
	if s.u.refuseChange() {
		return
	}
	title := newLineEntry()
	title.SetText(r.Title)
	force := newLineEntry()
	force.SetText(r.Force)
	types := make([]string, len(model.InspectionTypes))
	for i, t := range model.InspectionTypes {
		types[i] = string(t)
	}
	typ := widget.NewSelect(types, nil)
	typ.SetSelected(string(r.Type))
	cycle := newLineEntry()
	cycle.SetText(r.Cycle)
	cycle.SetPlaceHolder("e.g. 2021/22 or 2023–25")
	published := newDateEntry()
	published.SetDate(r.Published)
	code := newLineEntry()
	code.SetText(r.Code)
	code.SetPlaceHolder("short code used in references, e.g. PEEL2122")
	if r.ID != 0 {
		// References already given use the code; changing it would
		// make new references disagree with old ones.
		code.Disable()
	}
	link := newLineEntry()
	link.SetText(r.URL)
	notes := newTextArea()
	notes.Wrapping = fyne.TextWrapWord
	notes.SetText(r.Notes)
	problem := newFieldError()
	form := widget.NewForm(
		widget.NewFormItem("Title", title),
		widget.NewFormItem("Force", force),
		widget.NewFormItem("Inspection type", typ),
		widget.NewFormItem("Cycle", cycle),
		widget.NewFormItem("Published", container.NewHBox(published)),
		widget.NewFormItem("Reference code", code),
		widget.NewFormItem("Link", link),
		widget.NewFormItem("Notes", notes),
	)
	heading := "Add a report"
	if r.ID != 0 {
		heading = "Edit report"
	}
	s.u.formDialog(heading, "Save", container.NewVBox(form, problem), problem, func() error {
		d, err := published.Date()
		if err != nil {
			return err
		}
		n := r
		n.Title = strings.TrimSpace(title.Text)
		n.Force = strings.TrimSpace(force.Text)
		n.Type = model.InspectionType(typ.Selected)
		n.Cycle = strings.TrimSpace(cycle.Text)
		n.Published = d
		n.Code = strings.ToUpper(strings.TrimSpace(code.Text))
		n.URL = strings.TrimSpace(link.Text)
		n.Notes = notes.Text
		if err := n.Validate(); err != nil {
			return err
		}
		if err := s.u.update(func(tx model.Tx) error { return tx.SaveReport(&n) }); err != nil {
			return fmt.Errorf("the report was not saved: %w", err)
		}
		s.u.showTabs()
		s.u.changed()
		return nil
	})
}

// tabContent is the screen's tab, so that it is refreshed only in view.
func (s *reportsScreen) tabContent() fyne.CanvasObject { return s.content }
