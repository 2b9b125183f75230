package app

// How the finding editor shows what stops a save, and takes it away as the
// person puts it right: the problems stand beside their fields; the line at
// the top says how many, in one line, so that the form does not shift
// under the pointer; the scroll position and the focus stay where they
// were unless the first problem is out of sight.

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// showProblems puts each problem beside its field, and says at the top how
// many there are; problems on fields the form does not show are written
// out there in full.
func (e *editorScreen) showProblems(problems model.ValidationErrors) {
	for field, l := range e.errs {
		setFieldError(l, problems.For(field))
	}
	e.problemsShown = problems
	e.sayProblems()
	if len(problems) == 0 {
		return
	}
	c := e.u.win.Canvas()
	focused := c.Focused()
	e.tabs.SelectIndex(0)
	// Only a problem out of sight moves the form: one in view is read
	// where it is, and the person's place is kept.
	if !e.problemInView() {
		e.scrollToFirstProblem()
	}
	if focused != nil && c.Focused() != focused {
		c.Focus(focused)
	}
}

// sayProblems writes the line at the top for the problems still shown.
func (e *editorScreen) sayProblems() {
	beside, elsewhere := 0, model.ValidationErrors{}
	for _, p := range e.problemsShown {
		if l, ok := e.errs[p.Field]; ok {
			if l.Visible() {
				beside++
			}
			continue
		}
		elsewhere = append(elsewhere, p)
	}
	switch {
	case beside == 0 && len(elsewhere) == 0:
		setFieldError(e.problem, "")
	case len(elsewhere) == 0:
		setFieldError(e.problem, fmt.Sprintf("The finding was not saved: %d %s to correct, marked below.", beside, model.Plural(beside, "field", "fields")))
	default:
		msg := "The finding was not saved. Please correct:\n" + elsewhere.Error()
		if beside > 0 {
			msg += fmt.Sprintf("\nand %d %s marked below.", beside, model.Plural(beside, "field", "fields"))
		}
		setFieldError(e.problem, msg)
	}
}

// problemInView reports whether a field's problem shows within the
// details' visible part.
func (e *editorScreen) problemInView() bool {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(e.detailsScroll).Y
	bottom := top + e.detailsScroll.Size().Height
	for _, l := range e.errs {
		if !l.Visible() {
			continue
		}
		if y := d.AbsolutePositionForObject(l).Y; y >= top && y+l.Size().Height <= bottom {
			return true
		}
	}
	return false
}

// watchProblems takes a field's problem away as the field is changed so
// that it no longer has it, by the same checks as a save.
func (e *editorScreen) watchProblems(fields map[string]fyne.CanvasObject) {
	for field, o := range fields {
		recheck := func() { e.recheck(field) }
		switch w := o.(type) {
		case *lineEntry:
			w.OnChanged = chain(w.OnChanged, recheck)
		case *textArea:
			w.OnChanged = chain(w.OnChanged, recheck)
		case *dateEntry:
			w.OnChanged = chain(w.OnChanged, recheck)
		case *widget.SelectEntry:
			w.OnChanged = chain(w.OnChanged, recheck)
		case *widget.Select:
			w.OnChanged = chain(w.OnChanged, recheck)
		case *formSelect:
			w.OnChanged = chain(w.OnChanged, recheck)
		}
	}
}

// chain runs then after f.
func chain(f func(string), then func()) func(string) {
	return func(s string) {
		if f != nil {
			f(s)
		}
		then()
	}
}

// recheck checks the finding again when field, showing a problem, has
// changed, and takes the problem away once the field has none.
func (e *editorScreen) recheck(field string) {
	l, ok := e.errs[field]
	if !ok || !l.Visible() {
		return
	}
	f, bad := e.collect()
	if len(bad) == 0 {
		if e.orig.CurrentTarget.IsZero() && f.OriginalTarget.IsZero() {
			f.OriginalTarget = f.CurrentTarget
		}
		bad = model.AsValidation(f.Validate())
	}
	if p := bad.For(field); p != "" {
		setFieldError(l, p)
		return
	}
	setFieldError(l, "")
	e.sayProblems()
}
