package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// Two people, one finding. The store refuses a save based on a finding
// that a colleague has saved since it was opened (model.ConflictError).
// The editor then shows both versions field by field and carries the
// person's own changes over to the colleague's version: a field only one
// of them changed takes that change, and a field both changed is theirs
// to choose. Nothing typed is lost: the form keeps it until the save with
// the changes re-applied has succeeded.

// followers are fields that go with another one when a finding is merged:
// a moved target with the revision that moved it, a status with the
// reopening that took it back. They are decided, and shown, with it.
var followers = map[string]string{
	"original_target":  "current_target",
	"target_revisions": "current_target",
	"reopenings":       "status",
}

// mergeField is one field (with its followers) of a finding as the person
// opened it (base), as they would save it (mine) and as a colleague saved
// it since (theirs).
type mergeField struct {
	field, label  string
	mine, theirs  string // in words
	mineChanged   bool
	theirsChanged bool
}

// both reports whether both changed the field, to different values: the
// person chooses which stands.
func (m mergeField) both() bool { return m.mineChanged && m.theirsChanged && m.mine != m.theirs }

// findingMerge re-applies the changes from base to mine on top of theirs.
type findingMerge struct {
	base, mine, theirs model.Finding
	// fields lists every field in which mine and theirs differ, in the
	// order of the form, with the followers folded into their leaders.
	fields []mergeField
}

// newFindingMerge compares the three versions. names writes IDs as people
// know them (people, findings, reports).
func newFindingMerge(base, mine, theirs model.Finding, names model.Namer) *findingMerge {
	m := &findingMerge{base: base, mine: mine, theirs: theirs}
	b, my, th := jsonFields(base), jsonFields(mine), jsonFields(theirs)
	words := map[string]model.FieldChange{}
	for _, c := range model.Diff(theirs, mine, names) {
		words[c.Field] = c
	}
	for _, field := range findingFieldOrder() {
		if followers[field] != "" {
			continue
		}
		group := groupOf(field)
		differs := false
		for _, g := range group {
			if !sameJSON(my[g], th[g]) {
				differs = true
			}
		}
		if !differs {
			continue
		}
		mf := mergeField{field: field, label: model.FieldLabel(field)}
		for _, g := range group {
			mf.mineChanged = mf.mineChanged || !sameJSON(b[g], my[g])
			mf.theirsChanged = mf.theirsChanged || !sameJSON(b[g], th[g])
		}
		if w, ok := words[field]; ok {
			mf.theirs, mf.mine = w.Before, w.After
		} else {
			// Only a follower differs (the same date moved for two
			// reasons): say so through the follower.
			for _, g := range group[1:] {
				if w, ok := words[g]; ok {
					mf.label, mf.theirs, mf.mine = w.Label, w.Before, w.After
					break
				}
			}
		}
		m.fields = append(m.fields, mf)
	}
	return m
}

// groupOf is a field with its followers.
func groupOf(field string) []string {
	out := []string{field}
	for _, f := range findingFieldOrder() {
		if followers[f] == field {
			out = append(out, f)
		}
	}
	return out
}

// conflicts lists the fields both changed.
func (m *findingMerge) conflicts() []mergeField {
	var out []mergeField
	for _, f := range m.fields {
		if f.both() {
			out = append(out, f)
		}
	}
	return out
}

// result is theirs with the person's changes re-applied: fields only they
// changed take their value, and fields both changed take theirs unless
// keepMine names them. Revisions and reopenings are kept for ever, so a
// kept move or reopening is added after the colleague's.
func (m *findingMerge) result(keepMine map[string]bool) (model.Finding, error) {
	out := jsonFields(m.theirs)
	my := jsonFields(m.mine)
	var appended []string
	for _, f := range m.fields {
		take := f.mineChanged && (!f.theirsChanged || (f.both() && keepMine[f.field]))
		if !take {
			continue
		}
		for _, g := range groupOf(f.field) {
			if raw, ok := my[g]; ok {
				out[g] = raw
			} else {
				delete(out, g)
			}
		}
		if f.theirsChanged {
			appended = append(appended, f.field)
		}
	}
	raw, err := json.Marshal(out)
	if err != nil {
		return model.Finding{}, err
	}
	var f model.Finding
	if err := json.Unmarshal(raw, &f); err != nil {
		return model.Finding{}, err
	}
	// Whatever was chosen, the record stays the colleague's version: the
	// save is based on it.
	f.ID, f.Ref, f.Version, f.Created, f.Modified = m.theirs.ID, m.theirs.Ref, m.theirs.Version, m.theirs.Created, m.theirs.Modified
	if slices.Contains(appended, "current_target") {
		added := slices.Clone(m.mine.TargetRevisions[min(len(m.base.TargetRevisions), len(m.mine.TargetRevisions)):])
		if len(added) > 0 {
			added[0].From = m.theirs.CurrentTarget
		}
		f.OriginalTarget = m.theirs.OriginalTarget
		f.TargetRevisions = append(slices.Clone(m.theirs.TargetRevisions), added...)
	}
	if slices.Contains(appended, "status") {
		added := m.mine.Reopenings[min(len(m.base.Reopenings), len(m.mine.Reopenings)):]
		f.Reopenings = append(slices.Clone(m.theirs.Reopenings), added...)
	}
	return f, nil
}

// conflicted handles a save refused because a colleague saved the finding
// first: it shows both versions and offers to save again with the
// person's changes re-applied to the colleague's. It reports whether err
// was such a refusal.
func (e *editorScreen) conflicted(err error, mine model.Finding, by model.Actor, settled []model.Milestone) bool {
	c := model.AsConflict(err)
	if c == nil || c.Entity != model.EntityFinding || c.ID != e.orig.ID {
		return false
	}
	var theirs model.Finding
	if err := e.u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		theirs, err = tx.Finding(c.ID)
		if err != nil {
			return err
		}
		return e.loadRelated(tx)
	}); err != nil {
		e.u.showError(fmt.Errorf("%w. Reading the colleague's version failed too (%v); what you typed is still in the form", c, err))
		return true
	}
	e.showConflict(c, newFindingMerge(e.orig, mine, theirs, e.names), by, settled)
	return true
}

// showConflict is the dialog of a refused save: each field that differs,
// with the person's value and the colleague's, and for each field both
// changed, the choice of which stands.
func (e *editorScreen) showConflict(c *model.ConflictError, m *findingMerge, by model.Actor, settled []model.Milestone) {
	who := c.Who
	if who == "" {
		who = "Your colleague"
	}
	theirs := who + "'s"
	intro := widget.NewLabel(c.Error() + ".\n" +
		"Below is every field in which your version and " + theirs + " differ. Your changes to fields " + who +
		" did not change are carried over to " + theirs + " version. Where you both changed a field, choose which stands. " +
		"Nothing is saved until you press Save with my changes.")
	intro.Wrapping = fyne.TextWrapWord

	// Headings wrap: a colleague's name and the time of their save do
	// not fit a quarter of the dialog's width on one line.
	heading := func(s string) fyne.CanvasObject {
		l := widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	savedAt := ""
	if !c.At.IsZero() {
		savedAt = " (saved " + c.At.Local().Format("15:04, 2 January 2006") + ")"
	}
	// A row per field, each as tall as its longest value: wording can
	// run to paragraphs while most values are a word.
	rows := container.NewVBox(container.NewGridWithColumns(4, heading("Field"), heading("Yours"), heading(theirs+savedAt), heading("What is saved")))
	choices := map[string]*widget.RadioGroup{}
	// The choices are short: a choice's words do not wrap, and "Take"
	// with a colleague's name was cut at a laptop's width ("Take
	// Impro…"). The column above names whose "theirs" is.
	keepYours, takeTheirs := "Keep yours", "Take theirs"
	value := func(s string) fyne.CanvasObject {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	for _, f := range m.fields {
		var saved fyne.CanvasObject
		switch {
		case f.both():
			r := widget.NewRadioGroup([]string{keepYours, takeTheirs}, nil)
			choices[f.field] = r
			saved = r
		case f.mineChanged && !f.theirsChanged:
			saved = value("Yours: only you changed it")
		case f.theirsChanged && !f.mineChanged:
			saved = value(theirs + ": only they changed it")
		default:
			saved = value(theirs)
		}
		rows.Add(container.NewGridWithColumns(4, value(model.UpperFirst(f.label)), value(f.mine), value(f.theirs), saved))
	}
	if len(m.fields) == 0 {
		rows.Add(value("No field differs: " + who + " saved the same as you."))
	}
	var both []string
	for _, f := range m.conflicts() {
		both = append(both, f.label)
	}
	content := container.NewVBox(intro)
	if len(both) > 0 {
		l := widget.NewLabelWithStyle("You both changed: "+strings.Join(both, ", ")+". Choose for each which stands.",
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Wrapping = fyne.TextWrapWord
		content.Add(l)
	}
	scroll := container.NewVScroll(rows)
	scroll.SetMinSize(fyne.NewSize(860, 380))
	content.Add(scroll)
	problem := newFieldError()
	content.Add(problem)
	e.u.formDialog("Saved by "+who+" since you opened it", "Save with my changes", content, problem, func() error {
		keep := map[string]bool{}
		var unchosen []string
		for _, f := range m.conflicts() {
			switch choices[f.field].Selected {
			case keepYours:
				keep[f.field] = true
			case takeTheirs:
			default:
				unchosen = append(unchosen, f.label)
			}
		}
		if len(unchosen) > 0 {
			return fmt.Errorf("choose whether yours or %s stands for: %s", theirs, strings.Join(unchosen, ", "))
		}
		merged, err := m.result(keep)
		if err != nil {
			return err
		}
		// The form shows what is saved, based on the colleague's version,
		// so that if this save is refused too (a rule, or another save in
		// between) nothing is lost and the next try starts from here.
		e.orig = m.theirs
		e.setFields(merged)
		e.storeWith(merged, by, settled)
		return nil
	})
}

// names is the editor's model.Namer: people, findings and reports as the
// form shows them.
func (e *editorScreen) names(field string, id model.ID) string {
	switch field {
	case "chief_officer_id", "delivery_lead_id":
		for _, p := range e.people {
			if p.ID == id {
				return p.Label()
			}
		}
	case "parent_id", "superseded_by":
		for _, f := range e.others {
			if f.ID == id {
				return f.Ref
			}
		}
	case "report_id":
		return e.reportChoice(id)
	}
	return ""
}

// takeStored shows the finding as stored after a write made from the
// editor itself (a progress update that set the status), keeping what is
// typed in the form: fields the write changed and the person did not are
// taken from the store, and the editor's copy becomes the stored one, so
// that its next save is based on the version now stored.
func (e *editorScreen) takeStored(stored model.Finding) {
	mine, bad := e.collect()
	if len(bad) > 0 {
		// A field holds text that is not yet a value: keep the form as it
		// is, and take only what the write is about.
		e.orig = stored
		e.status.SetSelected(string(stored.Status))
		e.rag.SetSelected(orText(string(stored.RAG), noneChoice))
		return
	}
	m := newFindingMerge(e.orig, mine, stored, e.names)
	// The write just made is the person's latest decision on what it
	// changed; on other fields, what they typed stands.
	keep := map[string]bool{}
	for _, f := range m.conflicts() {
		keep[f.field] = f.field != "status" && f.field != "rag"
	}
	merged, err := m.result(keep)
	if err != nil {
		e.u.showError(err)
		return
	}
	e.orig = stored
	e.setFields(merged)
}

func jsonFields(v any) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	raw, err := json.Marshal(v)
	if err == nil {
		_ = json.Unmarshal(raw, &m)
	}
	return m
}

// sameJSON compares stored values, an absent one being the same as empty.
func sameJSON(a, b json.RawMessage) bool {
	return bytes.Equal(a, b) || (emptyJSON(a) && emptyJSON(b))
}

func emptyJSON(b []byte) bool {
	switch string(bytes.TrimSpace(b)) {
	case "", "null", `""`, "0", "false", "[]", "{}":
		return true
	}
	return false
}

// findingFieldOrder is the finding's stored fields in the order the type
// declares them, which is the form's, without those the store keeps.
func findingFieldOrder() []string {
	t := reflect.TypeFor[model.Finding]()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		switch name {
		case "", "-", "id", "ref", "created", "modified", "version":
			continue
		}
		out = append(out, name)
	}
	return out
}
