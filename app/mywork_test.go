package app

import (
	"context"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// TestMyWork: with no person chosen, ticking My work says how to choose
// one; once chosen (kept in the preferences for this register file), the
// register keeps the findings the person leads or delivers, or holds a
// milestone of, and the dashboard lists what of theirs falls due.
func TestMyWork(t *testing.T) {
	h := newFileHarness(t, true)
	r := h.u.register
	all := len(r.shown)
	r.mine.SetChecked(true)
	if !h.dialogShows("Choose who you are") || r.mine.Checked {
		t.Fatal("My work with nobody chosen did not say how to choose")
	}
	h.tapDialog("OK")
	if got := h.u.dashboard.myWork(&dashboard{asAt: h.u.today()}); !labelSays(got, "Choose who you are") {
		t.Error("the dashboard's My work does not say how to choose who you are")
	}

	// The owner of a milestone who leads no finding: only milestones
	// bring findings into their work.
	var me model.ID
	var ownersFindings []model.ID
	err := h.u.store.View(context.Background(), func(tx model.ReadTx) error {
		ms, err := tx.Milestones(0)
		if err != nil || len(ms) == 0 {
			return err
		}
		me = ms[0].OwnerID
		for _, m := range ms {
			if m.OwnerID == me {
				ownersFindings = append(ownersFindings, m.FindingID)
			}
		}
		return nil
	})
	if err != nil || me == 0 {
		t.Fatalf("no milestone owner in the sample (%v)", err)
	}
	h.u.setMe(me)
	if h.u.me() != me {
		t.Fatal("who the user is was not kept")
	}
	r.mine.SetChecked(true)
	if len(r.shown) == 0 || len(r.shown) >= all {
		t.Fatalf("My work shows %d of %d findings", len(r.shown), all)
	}
	for _, i := range r.shown {
		f := r.data.rows[i].f
		if f.ChiefOfficerID != me && f.DeliveryLeadID != me && !slices.Contains(ownersFindings, f.ID) {
			t.Errorf("My work shows %s, which is not theirs", f.Ref)
		}
	}
	for _, id := range ownersFindings {
		found := false
		for _, i := range r.shown {
			found = found || r.data.rows[i].f.ID == id
		}
		if !found {
			t.Errorf("My work leaves out finding #%d, where they own a milestone", id)
		}
	}
}

// labelSays reports whether o is a label containing text.
func labelSays(o any, text string) bool {
	l, ok := o.(*widget.Label)
	return ok && strings.Contains(l.Text, text)
}

// TestYouAreSignsUpdates: on a register file, the person the user chose
// in Settings → You are signs their progress updates, offered in the
// update form in place of the Author setting.
func TestYouAreSignsUpdates(t *testing.T) {
	h := newFileHarness(t, true)
	e := h.openRUI()
	h.u.setMe(e.orig.DeliveryLeadID)
	var lead model.Person
	_ = h.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		lead, err = tx.Person(e.orig.DeliveryLeadID)
		return err
	})
	e.updates.onAdd()
	found := false
	for _, f := range h.dialogEntries() {
		if le, ok := f.(*lineEntry); ok && le.Text == lead.Name {
			found = true
		}
	}
	if !found {
		t.Fatalf("the update form does not offer %q as the author", lead.Name)
	}
	for _, f := range h.dialogEntries() {
		if ta, ok := f.(*textArea); ok {
			typeInto(ta, "Bail policy refreshed.")
			break
		}
	}
	h.tapDialog("Save update")
	us := h.updates(e.orig.ID)
	if got := us[len(us)-1].Author; got != lead.Name {
		t.Errorf("the update is signed %q, want %q", got, lead.Name)
	}
}
