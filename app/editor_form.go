package app

// The finding editor's form: building its fields, showing a finding in
// them, and reading them back into a finding. The screen's lifecycle
// (save, cancel, leaving) is in editor.go.

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

func (e *editorScreen) errLabel(field string) *widget.Label {
	l := newFieldError()
	e.errs[field] = l
	return l
}

func (e *editorScreen) buildDetails() fyne.CanvasObject {
	e.ref = widget.NewLabel("")
	e.ref.TextStyle = fyne.TextStyle{Monospace: true}
	e.inspectorateRef = newLineEntry()
	e.report = newFormSelect(nil, func(string) {})
	types := make([]string, len(model.FindingTypes))
	for i, t := range model.FindingTypes {
		types[i] = string(t)
	}
	e.typ = newFormSelect(types, func(v string) {
		if e.parent != nil {
			if v == string(model.Recommendation) {
				e.parent.Enable()
			} else {
				e.parent.SetSelected(noneChoice)
				e.parent.Disable()
			}
		}
	})
	e.parent = newFormSelect(nil, func(string) {})
	e.area = newFormSelectEntry()
	grades := []string{noneChoice}
	for _, g := range model.Grades {
		grades = append(grades, string(g))
	}
	e.grade = newFormSelect(grades, func(string) {})
	e.title = newLineEntry()
	e.title.SetPlaceHolder("short title (optional)")

	e.verbatim = newTextArea()
	e.verbatim.Wrapping = fyne.TextWrapWord
	e.verbatim.SetMinRowsVisible(5)
	e.verbatimView = widget.NewLabel("")
	e.verbatimView.Wrapping = fyne.TextWrapWord
	e.verbatimView.Selectable = true
	e.editWording = newFormButton("Edit wording…", theme.DocumentCreateIcon(), e.onEditWording)
	e.wordingMissing = newFormCheck("Wording missing from the source", func(bool) {})
	e.interpretation = newTextArea()
	e.interpretation.Wrapping = fyne.TextWrapWord
	e.interpretation.SetMinRowsVisible(4)
	e.interpretation.SetPlaceHolder("what the force takes the finding to ask")

	e.chief = newFormSelect(nil, func(string) {})
	e.delivery = newFormSelect(nil, func(string) {})
	addChief := newFormButton("Add person…", theme.ContentAddIcon(), func() {
		e.u.addPersonDialog(func(p model.Person) { e.refreshPeople(); e.chief.SetSelected(p.Label()) })
	})
	addDelivery := newFormButton("Add person…", theme.ContentAddIcon(), func() {
		e.u.addPersonDialog(func(p model.Person) { e.refreshPeople(); e.delivery.SetSelected(p.Label()) })
	})
	e.board = newLineEntry()
	e.board.SetPlaceHolder("e.g. Force improvement board")
	classes := make([]string, len(model.Classifications))
	for i, c := range model.Classifications {
		classes[i] = string(c)
	}
	e.classification = newFormSelect(classes, func(string) {})
	e.descriptor = newLineEntry()
	e.descriptor.SetPlaceHolder("e.g. PERSONAL")

	e.originalTarget = newDateEntry()
	e.currentTarget = newDateEntry()
	e.revisions = widget.NewLabel("")
	e.revisions.Wrapping = fyne.TextWrapWord

	statuses := make([]string, len(model.Statuses))
	for i, s := range model.Statuses {
		statuses[i] = string(s)
	}
	e.statusHelp = widget.NewLabel("")
	e.statusHelp.Wrapping = fyne.TextWrapWord
	e.statusHelp.TextStyle = fyne.TextStyle{Italic: true}
	e.status = newFormSelect(statuses, func(v string) { e.statusHelp.SetText(statusRule(model.Status(v))) })
	rags := []string{noneChoice}
	for _, r := range model.RAGs {
		rags = append(rags, string(r))
	}
	e.ragChip = newRAGChip()
	e.rag = newFormSelect(rags, func(v string) {
		if v == noneChoice {
			v = ""
		}
		e.ragChip.SetRAG(model.RAG(v))
	})
	e.rationale = newTextArea()
	e.rationale.Wrapping = fyne.TextWrapWord
	e.rationale.SetMinRowsVisible(3)
	e.rationale.SetPlaceHolder("what was done, and the evidence that shows it")
	e.proposedDate = newDateEntry()
	e.closedDate = newDateEntry()
	e.supersededBy = newFormSelect(nil, func(string) {})
	e.related = newLineEntry()
	e.related.SetPlaceHolder("references, separated by commas")
	e.position = newTextArea()
	e.position.Wrapping = fyne.TextWrapWord
	e.position.SetMinRowsVisible(2)

	identity := widget.NewForm(
		widget.NewFormItem("Reference", e.ref),
		formRow("Inspectorate reference", e.inspectorateRef, e.errLabel("inspectorate_ref")),
		formRow("Report", e.report, e.errLabel("report_id")),
		formRow("Type", e.typ, e.errLabel("type")),
		formRow("Parent cause of concern", e.parent, e.errLabel("parent_id")),
		formRow("Area", e.area, e.errLabel("area")),
		formRow("Grade", e.grade, e.errLabel("grade")),
		formRow("Title", e.title, e.errLabel("title")),
	)
	wording := widget.NewForm(
		formRow("Inspectorate wording", container.NewVBox(e.verbatimView, e.verbatim, container.NewHBox(e.editWording, e.wordingMissing)), e.errLabel("verbatim")),
		formRow("Force's interpretation", e.interpretation, e.errLabel("interpretation")),
	)
	owners := widget.NewForm(
		formRow("Chief officer lead", container.NewBorder(nil, nil, nil, addChief, e.chief), e.errLabel("chief_officer_id")),
		formRow("Delivery lead", container.NewBorder(nil, nil, nil, addDelivery, e.delivery), e.errLabel("delivery_lead_id")),
		formRow("Governance board", e.board, e.errLabel("governance_board")),
		formRow("Protective marking", container.NewGridWithColumns(2, e.classification, e.descriptor), e.errLabel("marking")),
	)
	targets := widget.NewForm(
		formRow("Original target", container.NewHBox(e.originalTarget), e.errLabel("original_target")),
		formRow("Current target", container.NewVBox(container.NewHBox(e.currentTarget), hint("Changing it asks for the reason and who agreed.")), e.errLabel("current_target")),
		formRow("Revisions", e.revisions, e.errLabel("target_revisions")),
	)
	progress := widget.NewForm(
		formRow("Status", container.NewVBox(e.status, e.statusHelp), e.errLabel("status")),
		formRow("RAG", container.NewHBox(e.rag, e.ragChip), e.errLabel("rag")),
		formRow("Closure rationale", e.rationale, e.errLabel("closure_rationale")),
		formRow("Closure proposed on", container.NewHBox(e.proposedDate), e.errLabel("closure_proposed_date")),
		formRow("Inspectorate agreed closure on", container.NewHBox(e.closedDate), e.errLabel("closed_date")),
		formRow("Superseded by", e.supersededBy, e.errLabel("superseded_by")),
		formRow("Related findings", e.related, e.errLabel("related")),
		formRow("Inspectorate position", e.position, e.errLabel("inspectorate_position")),
	)
	e.watchProblems(map[string]fyne.CanvasObject{
		"inspectorate_ref": e.inspectorateRef, "report_id": e.report, "type": e.typ, "parent_id": e.parent,
		"area": e.area, "grade": e.grade, "title": e.title, "verbatim": e.verbatim, "interpretation": e.interpretation,
		"chief_officer_id": e.chief, "delivery_lead_id": e.delivery, "governance_board": e.board,
		"marking": e.descriptor, "original_target": e.originalTarget, "current_target": e.currentTarget,
		"status": e.status, "rag": e.rag, "closure_rationale": e.rationale, "closure_proposed_date": e.proposedDate,
		"closed_date": e.closedDate, "superseded_by": e.supersededBy, "related": e.related, "inspectorate_position": e.position,
	})
	left := container.NewVBox(heading("The finding"), identity, heading("Wording"), wording)
	right := container.NewVBox(heading("Ownership"), owners, heading("Targets"), targets, heading("Status and closure"), progress)
	return container.NewPadded(container.NewGridWithColumns(2, left, right))
}

// statusRule says what a status means and what it needs before it can be
// saved: the two-stage closure rules of model.Finding.Validate.
func statusRule(s model.Status) string {
	need := ""
	switch s {
	case model.ClosureProposed:
		need = " Needs a closure rationale."
	case model.Closed:
		need = " Needs the date the inspectorate agreed closure."
	case model.Superseded:
		need = " Needs the finding that supersedes it."
	case model.NoFurtherAction:
		need = " Needs a rationale."
	}
	return model.StatusMeanings[s] + need
}

// setFields shows f in the form.
func (e *editorScreen) setFields(f model.Finding) {
	e.setHeading(f)
	e.fillChoices()
	e.ref.SetText(orText(f.Ref, "given when first saved"))
	e.inspectorateRef.SetText(f.InspectorateRef)
	e.report.SetSelected(e.reportChoice(f.ReportID))
	e.typ.SetSelected(string(f.Type))
	e.parent.SetSelected(e.findingChoice(f.ParentID))
	if f.Type != model.Recommendation {
		e.parent.Disable()
	}
	e.area.SetText(f.Area)
	e.grade.SetSelected(orText(string(f.Grade), noneChoice))
	e.title.SetText(f.Title)
	e.verbatim.SetText(f.Verbatim)
	e.verbatimView.SetText(f.Verbatim)
	// The inspectorate's wording is the record of what was said: once it is
	// set it is shown as text, and changes only through "Edit wording",
	// which asks first.
	if strings.TrimSpace(f.Verbatim) != "" {
		e.verbatim.Hide()
		e.verbatimView.Show()
		e.editWording.Show()
	} else {
		e.verbatim.Show()
		e.verbatimView.Hide()
		e.editWording.Hide()
	}
	e.wordingMissing.SetChecked(f.WordingMissing)
	e.interpretation.SetText(f.Interpretation)
	e.chief.SetSelected(e.personChoice(f.ChiefOfficerID))
	e.delivery.SetSelected(e.personChoice(f.DeliveryLeadID))
	e.board.SetText(f.GovernanceBoard)
	e.classification.SetSelected(string(orClass(f.Marking.Classification)))
	e.descriptor.SetText(f.Marking.Descriptor)
	e.originalTarget.SetDate(f.OriginalTarget)
	e.currentTarget.SetDate(f.CurrentTarget)
	e.revisions.SetText(revisionsText(f.TargetRevisions))
	e.status.SetSelected(string(f.Status))
	e.rag.SetSelected(orText(string(f.RAG), noneChoice))
	e.ragChip.SetRAG(f.RAG)
	e.rationale.SetText(f.ClosureRationale)
	e.proposedDate.SetDate(f.ClosureProposedDate)
	e.closedDate.SetDate(f.ClosedDate)
	e.supersededBy.SetSelected(e.findingChoice(f.SupersededBy))
	e.position.SetText(f.InspectoratePosition)
	e.related.SetText(e.relatedText(f.Related))
	e.showProblems(nil)
	if ro, _ := e.u.readOnly(); ro && e.detailsScroll != nil {
		lockFields(e.detailsScroll)
	}
}

func (e *editorScreen) setHeading(f model.Finding) {
	if f.ID == 0 {
		e.heading.SetText("New finding")
		return
	}
	e.heading.SetText(f.Ref + " — " + f.DisplayTitle())
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}

func orClass(c model.Classification) model.Classification {
	if c == "" {
		return model.Official
	}
	return c
}

func revisionsText(revs []model.Revision) string {
	if len(revs) == 0 {
		return "The target has not moved."
	}
	lines := make([]string, len(revs))
	for i, r := range revs {
		lines[i] = fmt.Sprintf("%s → %s: %s (agreed by %s, recorded %s)",
			orText(r.From.String(), "none"), r.To, r.Reason, r.AgreedBy, formatTime(r.At))
	}
	return "Moved " + times(len(revs)) + ":\n" + strings.Join(lines, "\n")
}

// fillChoices sets the options of the pickers from the people, reports and
// findings last read.
func (e *editorScreen) fillChoices() {
	reports := make([]string, len(e.reports))
	for i, r := range e.reports {
		reports[i] = reportLabel(r)
	}
	e.report.Options = reports
	people := []string{noneChoice}
	for _, p := range e.people {
		if !p.Retired {
			people = append(people, p.Label())
		}
	}
	e.chief.Options = people
	e.delivery.Options = people
	parents := []string{noneChoice}
	everyone := []string{noneChoice}
	areas := map[string]bool{}
	for _, f := range e.others {
		if f.Type == model.CauseOfConcern {
			parents = append(parents, findingLabel(f))
		}
		everyone = append(everyone, findingLabel(f))
		if f.Area != "" {
			areas[f.Area] = true
		}
	}
	e.parent.Options = parents
	e.supersededBy.Options = everyone
	var as []string
	for a := range areas {
		as = append(as, a)
	}
	slices.Sort(as)
	e.area.SetOptions(as)
}

func findingLabel(f model.Finding) string {
	t := f.DisplayTitle()
	if len([]rune(t)) > 60 {
		t = string([]rune(t)[:59]) + "…"
	}
	return f.Ref + " " + t
}

func (e *editorScreen) reportChoice(id model.ID) string {
	for _, r := range e.reports {
		if r.ID == id {
			return reportLabel(r)
		}
	}
	return ""
}

func (e *editorScreen) personChoice(id model.ID) string {
	for _, p := range e.people {
		if p.ID == id {
			// A retired owner still shows, so that the record reads true.
			if p.Retired && !slices.Contains(e.chief.Options, p.Label()) {
				e.chief.Options = append(e.chief.Options, p.Label())
				e.delivery.Options = append(e.delivery.Options, p.Label())
			}
			return p.Label()
		}
	}
	return noneChoice
}

func (e *editorScreen) findingChoice(id model.ID) string {
	for _, f := range e.others {
		if f.ID == id {
			return findingLabel(f)
		}
	}
	return noneChoice
}

func (e *editorScreen) personID(label string) model.ID {
	for _, p := range e.people {
		if p.Label() == label {
			return p.ID
		}
	}
	return 0
}

func (e *editorScreen) findingID(label string) model.ID {
	for _, f := range e.others {
		if findingLabel(f) == label {
			return f.ID
		}
	}
	return 0
}

// collect reads the form into a copy of the stored finding. Dates that are
// not dates are reported beside their fields.
func (e *editorScreen) collect() (model.Finding, model.ValidationErrors) {
	f := e.orig
	f.TargetRevisions = slices.Clone(e.orig.TargetRevisions)
	var bad model.ValidationErrors
	date := func(field string, d *dateEntry) model.Date {
		v, err := d.Date()
		if err != nil {
			bad = append(bad, &model.ValidationError{Field: field, Label: model.FieldLabel(field), Problem: err.Error()})
		}
		return v
	}
	f.InspectorateRef = strings.TrimSpace(e.inspectorateRef.Text)
	f.ReportID = 0
	for _, r := range e.reports {
		if reportLabel(r) == e.report.Selected {
			f.ReportID = r.ID
		}
	}
	f.Type = model.FindingType(e.typ.Selected)
	f.ParentID = e.findingID(e.parent.Selected)
	f.Area = strings.TrimSpace(e.area.Text)
	f.Grade = model.Grade(e.grade.Selected)
	if e.grade.Selected == noneChoice {
		f.Grade = ""
	}
	f.Title = strings.TrimSpace(e.title.Text)
	f.Verbatim = e.verbatim.Text
	f.WordingMissing = e.wordingMissing.Checked
	f.Interpretation = e.interpretation.Text
	f.ChiefOfficerID = e.personID(e.chief.Selected)
	f.DeliveryLeadID = e.personID(e.delivery.Selected)
	f.GovernanceBoard = strings.TrimSpace(e.board.Text)
	f.Marking = model.Marking{Classification: model.Classification(e.classification.Selected),
		Descriptor: strings.ToUpper(strings.TrimSpace(e.descriptor.Text))}
	f.OriginalTarget = date("original_target", e.originalTarget)
	f.CurrentTarget = date("current_target", e.currentTarget)
	f.Status = model.Status(e.status.Selected)
	f.RAG = model.RAG(e.rag.Selected)
	if e.rag.Selected == noneChoice {
		f.RAG = ""
	}
	f.ClosureRationale = e.rationale.Text
	f.ClosureProposedDate = date("closure_proposed_date", e.proposedDate)
	f.ClosedDate = date("closed_date", e.closedDate)
	f.SupersededBy = e.findingID(e.supersededBy.Selected)
	f.InspectoratePosition = e.position.Text
	related, err := e.parseRelated(e.related.Text)
	if err != nil {
		bad = append(bad, &model.ValidationError{Field: "related", Label: model.FieldLabel("related"), Problem: err.Error()})
	}
	f.Related = related
	return f, bad
}

// relatedText writes related findings as their references.
func (e *editorScreen) relatedText(ids []model.ID) string {
	refs := make([]string, 0, len(ids))
	for _, id := range ids {
		for _, f := range e.others {
			if f.ID == id {
				refs = append(refs, f.Ref)
			}
		}
	}
	return strings.Join(refs, ", ")
}

// parseRelated reads references typed by a person, in any case, separated
// by commas or spaces.
func (e *editorScreen) parseRelated(text string) ([]model.ID, error) {
	var ids []model.ID
	for _, ref := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		found := false
		for _, f := range e.others {
			if strings.EqualFold(f.Ref, ref) {
				if !slices.Contains(ids, f.ID) {
					ids = append(ids, f.ID)
				}
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("%s is not another finding in this register", ref)
		}
	}
	return ids, nil
}
