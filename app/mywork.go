package app

// "My work": the findings a person leads or delivers, or holds a
// milestone of, and what of theirs falls due in the next 30 days. On a
// register file the person is chosen once in the settings and kept in the
// user's preferences for that file; on a shared register it is the person
// the login is tied to, which the server knows.

import (
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// prefMe is the preference holding, per register file, who the user is.
const prefMe = "me.person."

// meKey is the preference key of who the user is in the open register, or
// "" where it cannot be chosen (a shared register).
func (u *ui) meKey() string {
	if p := storePath(u.store); p != "" {
		return prefMe + p
	}
	return ""
}

// me is the person the user is in the open register, or 0.
func (u *ui) me() model.ID {
	if sg, ok := u.store.(model.Signer); ok && sg.SignedPerson() != 0 {
		return sg.SignedPerson()
	}
	if k := u.meKey(); k != "" {
		return model.ID(u.prefs.Int(k))
	}
	return 0
}

// setMe keeps who the user is, and shows My work for them.
func (u *ui) setMe(id model.ID) {
	if k := u.meKey(); k != "" {
		u.prefs.SetInt(k, int(id))
	}
	if d := u.register.data; d != nil {
		d.me, d.lastUsed = id, false
	}
	u.register.applyView()
}

// mine reports whether a row is the user's work: they lead it, deliver it
// or own one of its milestones.
func (d *registerData) mine(r *regRow) bool {
	if d.me == 0 {
		return false
	}
	return r.f.ChiefOfficerID == d.me || r.f.DeliveryLeadID == d.me || slices.Contains(d.owners[r.f.ID], d.me)
}

// meChoice is the Settings row that says who the user is: the people of
// the register, or why it cannot be chosen here.
func (u *ui) meChoice(people []model.Person) (fyne.CanvasObject, func()) {
	if u.meKey() == "" {
		text := "On a shared register, My work is about the person your login stands for, and your login is tied to no one: ask the register's owner to tie it (server grant --person)."
		if sg, ok := u.store.(model.Signer); ok && sg.SignedPerson() != 0 {
			text = "On a shared register, My work is about the person your login stands for: " + sg.SignedAs() + "."
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return l, func() {}
	}
	const nobody = "(not chosen)"
	labels := []string{nobody}
	ids := map[string]model.ID{}
	current := nobody
	for _, p := range people {
		if p.Retired {
			continue
		}
		labels = append(labels, p.Label())
		ids[p.Label()] = p.ID
		if p.ID == u.me() {
			current = p.Label()
		}
	}
	sel := widget.NewSelect(labels, nil)
	sel.SetSelected(current)
	return sel, func() { u.setMe(ids[sel.Selected]) }
}

// myWork is the dashboard's panel of what falls to the user in the next
// 30 days: findings they lead or deliver due then, and their milestones.
func (s *dashboardScreen) myWork(d *dashboard) fyne.CanvasObject {
	me := s.u.me()
	if me == 0 {
		l := widget.NewLabel("Choose who you are in Edit → Settings… to see your findings and milestones here.")
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	box := container.NewVBox()
	end := d.asAt.AddDays(model.DueSoonDays)
	for _, f := range d.due {
		if f.ChiefOfficerID == me || f.DeliveryLeadID == me {
			box.Add(s.linkLine(f, f.DisplayTitle()+" — due "+f.CurrentTarget.String()))
		}
	}
	for _, m := range d.snap.Milestones {
		if m.OwnerID != me || !m.Completed.IsZero() || m.CurrentDue.IsZero() || m.CurrentDue.Before(d.asAt) || m.CurrentDue.After(end) {
			continue
		}
		if f, ok := d.snap.Finding(m.FindingID); ok && !f.Status.IsFinal() {
			box.Add(s.linkLine(f, fmt.Sprintf("Milestone: %s — due %s", strings.TrimSpace(m.Title), m.CurrentDue)))
		}
	}
	if len(box.Objects) == 0 {
		return widget.NewLabel("Nothing of yours falls due in the next 30 days.")
	}
	return box
}
