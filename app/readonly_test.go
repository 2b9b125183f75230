package app

import (
	"context"
	"strings"
	"testing"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// TestViewerReadsOnly: a chief officer whose login is a viewer on a shared
// register sees why the register cannot be changed, and every way into a
// change (New finding, Save, Add update, Add milestone, Settings) says so
// before a form is filled in, where before the form was typed and then
// refused by the server.
func TestViewerReadsOnly(t *testing.T) {
	ctx := context.Background()
	db := sampleServerRegister(t)
	name, password := pgtest.NewLogin(t, "chief")
	if _, err := postgres.Grant(ctx, pgtest.URL(db, "postgres", ""), postgres.Options{}, name, postgres.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	s := openServer(t, pgtest.URL(db, name, password), nil)
	h := harnessOver(t, s, newClock(), false)

	b := h.u.roBanner
	if !b.box.Visible() || !strings.Contains(b.text.Text, "Read only") || !strings.Contains(b.text.Text, name) || !strings.Contains(b.text.Text, "viewer") {
		t.Fatalf("banner visible %v, text %q; want it to say the login %s is a viewer", b.box.Visible(), b.text.Text, name)
	}
	// The banner has its own line over the screens, not drawn across the
	// tabs.
	if bh := b.box.Size().Height; bh <= 0 || h.u.body.Position().Y < bh {
		t.Errorf("the banner is %.0f high and the screens start at %.0f: they overlap", bh, h.u.body.Position().Y)
	}
	if !h.u.register.newBtn.Disabled() || !h.u.newFindingItem.Disabled {
		t.Error("New finding is still offered on a read-only register")
	}
	h.u.onNewFinding()
	if !h.dialogShows("nothing can be changed from here") {
		t.Fatal("New finding from the keyboard did not say the register is read-only")
	}
	if h.u.register.editor != nil {
		t.Fatal("an editor opened for a new finding")
	}
	h.tapDialog("OK")

	// The viewer can still read a finding in full.
	e := h.openRUI()
	if !e.save.Disabled() {
		t.Error("Save is offered in a viewer's editor")
	}
	// Nor can a viewer type into its fields, only read them.
	for name, field := range map[string]interface{ Disabled() bool }{
		"title": e.title, "interpretation": e.interpretation, "current target": e.currentTarget,
		"status": e.status, "RAG": e.rag, "closure rationale": e.rationale, "delivery lead": e.delivery,
	} {
		if !field.Disabled() {
			t.Errorf("a viewer can change the %s", name)
		}
	}
	for _, try := range []struct {
		what string
		do   func()
	}{
		{"Save", e.onSave},
		{"Add update", e.updates.onAdd},
		{"Add milestone", e.milestones.onAdd},
		{"Attach file", e.evidence.onAttach},
		{"Settings", h.u.onSettings},
	} {
		try.do()
		if !h.dialogShows("nothing can be changed from here") {
			t.Errorf("%s did not say the register is read-only", try.what)
			continue
		}
		h.tapDialog("OK")
		h.noDialog()
	}
}

// TestWritableRegisterHasNoBanner: the banner and the refusals belong to a
// read-only register only.
func TestWritableRegisterHasNoBanner(t *testing.T) {
	h := newHarness(t, true)
	if h.u.roBanner.box.Visible() {
		t.Errorf("a writable register shows %q", h.u.roBanner.text.Text)
	}
	if h.u.register.newBtn.Disabled() || h.u.newFindingItem.Disabled {
		t.Error("New finding is switched off on a writable register")
	}
	e := h.openRUI()
	if e.save.Disabled() {
		t.Error("Save is switched off on a writable register")
	}
	e.updates.onAdd()
	if h.dialogShows("nothing can be changed from here") {
		t.Error("Add update refused on a writable register")
	}
}

// TestDeliveryLeadSignsTheirUpdates: on a shared register, the progress
// update form shows the login's person as the author and offers no other
// name, and the update is stored signed so, whatever the register's
// Author setting says.
func TestDeliveryLeadSignsTheirUpdates(t *testing.T) {
	ctx := context.Background()
	db := sampleServerRegister(t)
	name, password := pgtest.NewLogin(t, "cj")
	if _, err := postgres.Grant(ctx, pgtest.URL(db, "postgres", ""), postgres.Options{}, name, postgres.RoleDeliveryLead, "Superintendent, Criminal Justice"); err != nil {
		t.Fatal(err)
	}
	s := openServer(t, pgtest.URL(db, name, password), nil)
	h := harnessOver(t, s, newClock(), false)
	e := h.openRUI()
	before := len(h.updates(e.orig.ID))
	e.updates.onAdd()
	var author *lineEntry
	for _, f := range h.dialogEntries() {
		if le, ok := f.(*lineEntry); ok && le.Text == "Superintendent, Criminal Justice" {
			author = le
		}
	}
	if author == nil || !author.Disabled() {
		t.Fatalf("the update form's author is %v; want the login's person, not to be changed", author)
	}
	for _, f := range h.dialogEntries() {
		if ta, ok := f.(*textArea); ok {
			typeInto(ta, "Bail policy refreshed with the custody teams.")
			break
		}
	}
	h.tapDialog("Save update")
	us := h.updates(e.orig.ID)
	if len(us) != before+1 || us[len(us)-1].Author != "Superintendent, Criminal Justice" {
		t.Fatalf("after saving, %d updates (want %d), the last signed %q", len(us), before+1, us[len(us)-1].Author)
	}

	// My work is the login's person's, with nothing to choose.
	if h.u.me() == 0 || h.u.me() != s.SignedPerson() {
		t.Fatalf("My work is about person %d, want the login's (%d)", h.u.me(), s.SignedPerson())
	}
	h.u.goToScreen("Register")
	h.search("")
	h.u.register.mine.SetChecked(true)
	refs := h.shownRefs()
	if len(refs) == 0 || len(refs) >= 21 {
		t.Errorf("My work shows %d findings: %v", len(refs), refs)
	}
	for _, ref := range refs {
		if f := h.finding(ref); f.DeliveryLeadID != h.u.me() && f.ChiefOfficerID != h.u.me() && !ownsMilestone(h, f.ID, h.u.me()) {
			t.Errorf("My work shows %s, which is not the login's person's", ref)
		}
	}
}

// ownsMilestone reports whether person owns a milestone of the finding.
func ownsMilestone(h *harness, finding, person model.ID) bool {
	for _, m := range h.milestones(finding) {
		if m.OwnerID == person {
			return true
		}
	}
	return false
}
