package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// peopleScreen lists the people who own findings and milestones, what each
// owns, and lets ownership move from one to another with a record of it.
type peopleScreen struct {
	u       *ui
	content fyne.CanvasObject
	list    *widget.List
	people  []model.Person
	sel     int

	name        *widget.Label
	details     *widget.Label
	owns        *widget.Label
	edit        *widget.Button
	retire      *widget.Button
	reassignBtn *widget.Button
}

// holdings is what one person owns.
type holdings struct {
	chief, delivery []model.Finding
	milestones      []model.Milestone
	refs            map[model.ID]string // each milestone's finding's reference
	today           model.Date          // for marking overdue milestones
}

func (h holdings) count() int { return len(h.chief) + len(h.delivery) + len(h.milestones) }

func newPeopleScreen(u *ui) *peopleScreen {
	s := &peopleScreen{u: u, sel: -1}
	s.list = widget.NewList(
		func() int { return len(s.people) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(s.people) {
				return
			}
			p := s.people[id]
			l := o.(*widget.Label)
			text := p.Label()
			// A retired person is set in italics, not greyed out: the grey
			// of a disabled label could not be read on the selected row.
			l.TextStyle.Italic = p.Retired
			if p.Retired {
				text += " — retired"
			}
			l.SetText(text)
		},
	)
	s.list.OnSelected = func(id widget.ListItemID) { s.sel = id; s.showSelected() }
	add := widget.NewButtonWithIcon("Add person…", theme.ContentAddIcon(), func() { s.u.addPersonDialog(nil) })
	add.Importance = widget.HighImportance

	s.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.details = widget.NewLabel("")
	s.details.Wrapping = fyne.TextWrapWord
	s.owns = widget.NewLabel("")
	s.owns.Wrapping = fyne.TextWrapWord
	s.edit = widget.NewButtonWithIcon("Edit…", theme.DocumentCreateIcon(), s.onEdit)
	s.retire = widget.NewButtonWithIcon("Retire…", theme.AccountIcon(), s.onRetire)
	s.reassignBtn = widget.NewButtonWithIcon("Reassign…", theme.MailForwardIcon(), s.onReassign)
	detail := container.NewBorder(
		container.NewVBox(s.name, s.details, container.NewHBox(s.edit, s.reassignBtn, s.retire), heading("Owns")),
		nil, nil, nil, container.NewVScroll(s.owns))
	split := container.NewHSplit(container.NewBorder(add, nil, nil, nil, s.list), container.NewPadded(detail))
	split.Offset = 0.35
	s.content = split
	s.showSelected()
	return s
}

func (s *peopleScreen) refresh() {
	var ps []model.Person
	s.u.read(func(tx model.ReadTx) error {
		var err error
		ps, err = tx.People()
		return err
	}, func(err error) {
		if err != nil {
			s.u.showError(fmt.Errorf("reading people: %w", err))
			return
		}
		s.show(ps)
	})
}

// show lists ps, keeping the person selected if they are still there.
func (s *peopleScreen) show(ps []model.Person) {
	var keep model.ID
	if p, ok := s.current(); ok {
		keep = p.ID
	}
	s.people = ps
	s.sel = -1
	for i, p := range ps {
		if p.ID == keep {
			s.sel = i
		}
	}
	s.list.Refresh()
	if s.sel < 0 && len(ps) > 0 {
		// Show someone rather than an empty panel.
		s.list.Select(0)
		return
	}
	if s.sel >= 0 {
		s.list.Select(s.sel)
	}
	s.showSelected()
}

func (s *peopleScreen) current() (model.Person, bool) {
	if s.sel < 0 || s.sel >= len(s.people) {
		return model.Person{}, false
	}
	return s.people[s.sel], true
}

// holdingsOf reads what a person owns.
func (s *peopleScreen) holdingsOf(id model.ID) (holdings, error) {
	h := holdings{today: s.u.today()}
	err := s.u.store.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		h.refs = map[model.ID]string{}
		for _, f := range fs {
			h.refs[f.ID] = f.Ref
			if f.ChiefOfficerID == id {
				h.chief = append(h.chief, f)
			}
			if f.DeliveryLeadID == id {
				h.delivery = append(h.delivery, f)
			}
		}
		ms, err := tx.Milestones(0)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.OwnerID == id {
				h.milestones = append(h.milestones, m)
			}
		}
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("reading what they own: %w", err)
	}
	return h, nil
}

func (s *peopleScreen) showSelected() {
	p, ok := s.current()
	for _, b := range []*widget.Button{s.edit, s.retire, s.reassignBtn} {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if !ok {
		s.name.SetText("Choose a person")
		s.details.SetText("Select someone on the left to see what they own, or add a person.")
		s.owns.SetText("")
		return
	}
	s.name.SetText(p.Label())
	var d []string
	for _, kv := range [][2]string{{"Role or rank", p.Role}, {"Department", p.Department}, {"Email", p.Email}} {
		if kv[1] != "" {
			d = append(d, kv[0]+": "+kv[1])
		}
	}
	if p.Retired {
		d = append(d, "Retired: kept so that the history still names them.")
		s.retire.SetText("Reinstate")
	} else {
		s.retire.SetText("Retire…")
	}
	s.details.SetText(strings.Join(d, "\n"))
	h, err := s.holdingsOf(p.ID)
	if err != nil {
		s.owns.SetText(err.Error())
		return
	}
	s.owns.SetText(holdingsText(h))
}

func holdingsText(h holdings) string {
	if h.count() == 0 {
		return "Nothing at present."
	}
	var b strings.Builder
	section := func(title string, fs []model.Finding) {
		if len(fs) == 0 {
			return
		}
		fmt.Fprintf(&b, "%s (%d):\n", title, len(fs))
		for _, f := range fs {
			fmt.Fprintf(&b, "  %s  %s — %s\n", f.Ref, shorten(f.DisplayTitle()), f.Status)
		}
		b.WriteString("\n")
	}
	section("Chief officer lead for", h.chief)
	section("Delivery lead for", h.delivery)
	if len(h.milestones) > 0 {
		fmt.Fprintf(&b, "Milestones (%d):\n", len(h.milestones))
		for _, m := range h.milestones {
			state := "due " + orText(m.CurrentDue.String(), "(no date)")
			switch {
			case !m.Completed.IsZero():
				state = "completed " + m.Completed.String()
			case model.MilestoneOverdue(m, h.today):
				state = fmt.Sprintf("OVERDUE by %d days: due %s", m.CurrentDue.DaysUntil(h.today), m.CurrentDue)
			}
			// The finding's reference, so the milestone can be found.
			fmt.Fprintf(&b, "  %s  %s — %s\n", orText(h.refs[m.FindingID], "?"), shorten(m.Title), state)
		}
	}
	return strings.TrimSpace(b.String())
}

func (s *peopleScreen) onEdit() {
	if s.u.refuseChange() {
		return
	}
	if p, ok := s.current(); ok {
		s.u.editPersonDialog(p, nil)
	}
}

// onRetire retires a person (or reinstates a retired one). Retired people
// stay in the register so that history still names them; they are no
// longer offered as owners.
func (s *peopleScreen) onRetire() {
	if s.u.refuseChange() {
		return
	}
	p, ok := s.current()
	if !ok {
		return
	}
	save := func() {
		q := p
		q.Retired = !p.Retired
		if err := s.u.update(func(tx model.Tx) error { return tx.SavePerson(&q) }); err != nil {
			s.u.showError(fmt.Errorf("%s was not changed: %w", p.Label(), err))
			return
		}
		s.u.changed()
	}
	if p.Retired {
		save()
		return
	}
	msg := "Retire " + p.Label() + "? They stay in the history but are no longer offered as an owner."
	if h, err := s.holdingsOf(p.ID); err == nil && h.count() > 0 {
		msg += "\n\nThey still own " + count(h.count(), "item", "items") + ". Use Reassign first to hand them to someone else."
	}
	d := newConfirm("Retire person?", msg, func(ok bool) {
		if ok {
			save()
		}
	}, s.u.win)
	d.SetConfirmText("Retire")
	d.SetConfirmImportance(widget.WarningImportance)
	d.Show()
}

// onReassign moves everything a person owns to someone else in one change,
// recorded in each finding's and milestone's history.
func (s *peopleScreen) onReassign() {
	if s.u.refuseChange() {
		return
	}
	from, ok := s.current()
	if !ok {
		return
	}
	var opts []string
	for _, p := range s.people {
		if p.ID != from.ID && !p.Retired {
			opts = append(opts, p.Label())
		}
	}
	to := widget.NewSelect(opts, nil)
	problem := newFieldError()
	content := container.NewVBox(
		widget.NewLabel("Move every finding and milestone owned by "+from.Label()+" to:"),
		to, problem)
	s.u.formDialog("Reassign ownership", "Reassign", content, problem, func() error {
		var target model.Person
		for _, p := range s.people {
			if p.Label() == to.Selected {
				target = p
			}
		}
		if target.ID == 0 {
			return errors.New("choose who takes over")
		}
		n, err := s.reassign(from, target)
		if err != nil {
			return err
		}
		s.u.changed()
		dialog.ShowInformation("Reassigned", count(n, "item", "items")+" moved from "+from.Label()+" to "+target.Label()+".", s.u.win)
		return nil
	})
}

// reassign moves ownership from one person to another and returns how
// many records changed.
func (s *peopleScreen) reassign(from, to model.Person) (int, error) {
	actor := s.u.actor()
	actor.Note = "reassigned from " + from.Label() + " to " + to.Label()
	n := 0
	err := s.u.store.Update(s.u.writeCtx(), actor, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for _, f := range fs {
			if f.ChiefOfficerID != from.ID && f.DeliveryLeadID != from.ID {
				continue
			}
			if f.ChiefOfficerID == from.ID {
				f.ChiefOfficerID = to.ID
			}
			if f.DeliveryLeadID == from.ID {
				f.DeliveryLeadID = to.ID
			}
			if err := tx.SaveFinding(&f); err != nil {
				return fmt.Errorf("%s: %w", f.Ref, err)
			}
			n++
		}
		ms, err := tx.Milestones(0)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.OwnerID == from.ID {
				m.OwnerID = to.ID
				if err := tx.SaveMilestone(&m); err != nil {
					return fmt.Errorf("milestone %q: %w", m.Title, err)
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("nothing was reassigned: %w", err)
	}
	return n, nil
}

// tabContent is the screen's tab, so that it is refreshed only in view.
func (s *peopleScreen) tabContent() fyne.CanvasObject { return s.content }
