package app

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

// A report added by hand is listed with its PCC response date, flagged
// when it is near.
func TestReportsAddByHand(t *testing.T) {
	h := newHarness(t, true)
	h.u.selectTab("Reports")
	h.u.reports.onAdd()
	entries := h.dialogEntries()
	typeInto(entries[0], "Child protection inspection of Kent")
	published := h.u.today().AddDays(-50)
	for _, e := range entries {
		if d, ok := e.(*dateEntry); ok {
			typeInto(d, published.String())
		}
	}
	for _, o := range h.overlay() {
		if sel, ok := o.(*widget.Select); ok {
			sel.SetSelected(string(model.ChildProtection))
		}
	}
	h.tapDialog("Save")
	h.noDialog()

	var found *model.Report
	for _, row := range h.u.reports.rows {
		if row.r.Title == "Child protection inspection of Kent" {
			r := row.r
			found = &r
		}
	}
	if found == nil || found.Type != model.ChildProtection || found.Published != published {
		t.Fatalf("the report was not stored as typed: %+v", found)
	}
	want := "PCC response due " + published.AddDays(56).String() + " (in 6 days)"
	var pcc *widget.Label
	for _, o := range test.LaidOutObjects(h.u.reports.list) {
		if l, ok := o.(*widget.Label); ok && l.Text == want {
			pcc = l
		}
	}
	if pcc == nil {
		t.Fatalf("no line reads %q", want)
	}
	if pcc.Importance != widget.WarningImportance {
		t.Errorf("a PCC response due in 6 days is not highlighted")
	}
}

// Reassigning moves ownership and the finding's history says so.
func TestPeopleReassign(t *testing.T) {
	h := newHarness(t, true)
	h.u.selectTab("People")
	p := h.u.people
	rui := h.finding("KEN-PEEL2122-AFI-16")
	from := -1
	for i, person := range p.people {
		if person.ID == rui.ChiefOfficerID {
			from = i
		}
	}
	p.list.Select(from)
	if !strings.Contains(p.owns.Text, "KEN-PEEL2122-AFI-16") {
		t.Fatalf("what they own does not list the RUI finding: %q", p.owns.Text)
	}
	fromName := p.people[from].Label()
	test.Tap(p.reassignBtn)
	var sel *widget.Select
	for _, o := range h.overlay() {
		if s, ok := o.(*widget.Select); ok {
			sel = s
		}
	}
	to := "Deputy Chief Constable"
	sel.SetSelected(to)
	h.tapDialog("Reassign")
	if !h.dialogShows("moved from " + fromName + " to " + to) {
		t.Fatal("no confirmation of the reassignment")
	}
	h.tapDialog("OK")

	after := h.finding("KEN-PEEL2122-AFI-16")
	if got := p.people[p.sel].Label(); after.ChiefOfficerID == rui.ChiefOfficerID || got != fromName {
		t.Fatalf("chief officer still %d; selected %q", after.ChiefOfficerID, got)
	}
	if strings.Contains(p.owns.Text, "KEN-PEEL2122-AFI-16") {
		t.Error("the old owner still lists the finding")
	}
	h.u.selectTab("Register")
	e := h.openRUI()
	// The note holds brackets of its own (a role's "(Crime)"), so it
	// follows a dash rather than brackets inside brackets.
	want := "chief officer lead changed from " + fromName + " to " + to + " — reassigned from " + fromName + " to " + to + " — by "
	if !strings.Contains(e.history.lines[0], want) {
		t.Errorf("history reads %q, want %q", e.history.lines[0], want)
	}
}

// The editor's lead pickers can add a person without leaving the finding.
func TestEditorAddPersonInline(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	test.Tap(findButton(t, e.content, "Add person…"))
	entries := h.dialogEntries()
	typeInto(entries[0], "Jane Smith")
	typeInto(entries[1], "Detective Superintendent")
	typeInto(entries[3], "not an address")
	h.tapDialog("Save")
	if !h.dialogShows("is not an email address") {
		t.Fatal("a bad email was not explained")
	}
	typeInto(h.dialogEntries()[3], "jane.smith@example.police.uk")
	h.tapDialog("Save")
	h.noDialog()
	if e.chief.Selected != "Jane Smith (Detective Superintendent)" {
		t.Errorf("the new person is not chosen: %q", e.chief.Selected)
	}
	if !e.dirty() {
		t.Error("choosing a new lead should leave the finding to be saved")
	}
}

// The welcome screen's "start empty" asks for the settings and then shows
// the register; the window title names the force.
func TestWelcomeStartEmpty(t *testing.T) {
	h := newFileHarness(t, false)
	test.Tap(h.u.welcome.empty)
	entries := h.dialogEntries()
	typeInto(entries[0], "Avon and Somerset Constabulary")
	typeInto(entries[1], "A&S")
	h.tapDialog("Save")
	if !h.dialogShows("capital letters") {
		t.Fatal("a prefix with a symbol was not explained")
	}
	typeInto(h.dialogEntries()[1], "ASC")
	h.tapDialog("Save")
	h.noDialog()
	if h.u.body.Objects[0] != h.u.tabs {
		t.Fatal("the register is not shown after starting empty")
	}
	if got := h.u.win.Title(); got != "register.db — Avon and Somerset Constabulary — Improvement Tracker" {
		t.Errorf("window title %q", got)
	}
	if !h.u.register.empty.Visible() {
		t.Error("the empty register does not say what to do")
	}
}

// storageBackups is what the program passes as Options.Backups, over the
// storage package.
func storageBackups(now func() time.Time) *Backups {
	return &Backups{
		Make: func(s model.Store) (string, error) { return s.(*bolt.Store).Backup() },
		List: func(path string) ([]BackupFile, error) {
			bs, err := bolt.ListBackups(path)
			out := make([]BackupFile, len(bs))
			for i, b := range bs {
				out[i] = BackupFile{Path: b.Path, Time: b.Time, Size: b.Size, Kind: b.Kind}
			}
			return out, err
		},
		Restore: func(path, backup string) error { return bolt.Restore(path, backup, now()) },
	}
}

// Back up now, make a change, then restore the backup: the change is gone
// and the window shows the restored register.
func TestBackupAndRestore(t *testing.T) {
	var now func() time.Time
	h := newFileHarness(t, true, func(o *Options) {
		now = o.Now
		o.Backups = storageBackups(func() time.Time { return now() })
		o.OpenStore = func(path string) (model.Store, error) {
			s, err := bolt.Open(path, bolt.Options{Now: now, NoBackup: true})
			if err != nil {
				return nil, err
			}
			return s, nil
		}
	})
	t.Cleanup(func() { _ = h.u.store.Close() })

	menuItemByLabel(t, h.u, "Back up now").Action()
	if !h.dialogShows("A copy of the register is kept at") {
		t.Fatal("no confirmation of the backup")
	}
	h.tapDialog("OK")

	h.clock.set(h.clock.Now().Add(time.Hour))
	if err := h.u.update(func(tx model.Tx) error {
		return tx.SavePerson(&model.Person{Name: "Added after the backup"})
	}); err != nil {
		t.Fatal(err)
	}
	h.u.changed()
	h.u.selectTab("People")
	if !slices.ContainsFunc(h.u.people.people, func(p model.Person) bool { return p.Name == "Added after the backup" }) {
		t.Fatal("the change made after the backup is not shown")
	}

	menuItemByLabel(t, h.u, "Restore a backup…").Action()
	if !h.dialogShows("Changes made since it was taken are not in it") {
		t.Fatal("restoring does not warn what is lost")
	}
	h.tapDialog("Restore")
	if !h.dialogShows("The register is now as it was on") {
		t.Fatal("no confirmation of the restore")
	}
	h.tapDialog("OK")
	for _, p := range h.u.people.people {
		if p.Name == "Added after the backup" {
			t.Error("the restored register still has the later change")
		}
	}
	if len(h.u.register.data.rows) == 0 {
		t.Error("the restored register shows no findings")
	}
}

// File → New register… makes an empty register file and shows the welcome
// screen; a name already taken is refused.
func TestNewRegister(t *testing.T) {
	h := newHarness(t, true, func(o *Options) {
		o.OpenStore = func(path string) (model.Store, error) {
			s, err := bolt.Open(path, bolt.Options{Now: o.Now, NoBackup: true})
			if err != nil {
				return nil, err
			}
			return s, nil
		}
	})
	t.Cleanup(func() { _ = h.u.store.Close() })
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "taken.db"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	h.u.newRegisterIn(dir)
	typeInto(h.dialogEntries()[0], "taken.db")
	h.tapDialog("Create")
	if !h.dialogShows("is there already") {
		t.Fatal("an existing file name was not refused")
	}
	typeInto(h.dialogEntries()[0], "second register")
	h.tapDialog("Create")
	h.noDialog()
	if got, want := storePath(h.u.store), filepath.Join(dir, "second register.db"); got != want {
		t.Errorf("the window shows %s, want %s", got, want)
	}
	if h.u.body.Objects[0] != h.u.welcome.content {
		t.Error("a new register does not open on the welcome screen")
	}
}

// Related findings are typed as references and checked against the
// register.
func TestEditorRelatedFindings(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	typeInto(e.related, "KEN-PEEL2122-AFI-99")
	test.Tap(e.save)
	if l := e.errs["related"]; !l.Visible() || !strings.Contains(l.Text, "KEN-PEEL2122-AFI-99 is not another finding") {
		t.Fatalf("an unknown reference is explained as %q", l.Text)
	}
	typeInto(e.related, "ken-peel2122-afi-08, KEN-PEEL2122-AFI-17")
	test.Tap(e.save)
	h.noDialog()
	got := h.finding("KEN-PEEL2122-AFI-16").Related
	want := []model.ID{h.finding("KEN-PEEL2122-AFI-08").ID, h.finding("KEN-PEEL2122-AFI-17").ID}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("related stored as %v, want %v", got, want)
	}
	if e.related.Text != "KEN-PEEL2122-AFI-08, KEN-PEEL2122-AFI-17" {
		t.Errorf("related shown as %q after saving", e.related.Text)
	}
}

// A new finding typed by hand gets the next local reference and appears in
// the register.
func TestNewFindingByHand(t *testing.T) {
	h := newHarness(t, true)
	menuItemByLabel(t, h.u, "New finding").Action()
	e := h.u.register.editor
	if e == nil || e.orig.ID != 0 {
		t.Fatal("New finding did not open a blank editor")
	}
	if !e.tabs.Items[1].Disabled() {
		t.Error("milestones are offered before the finding exists")
	}
	test.Tap(e.save)
	if l := e.errs["verbatim"]; !l.Visible() {
		t.Fatal("saving without the inspectorate's wording was not refused beside the field")
	}
	typeInto(e.verbatim, "The force should make sure its vetting backlog is cleared.")
	e.area.SetText("Vetting")
	typeInto(e.currentTarget, "31/03/2027")
	test.Tap(e.save)
	h.noDialog()
	if e.orig.ID == 0 || e.orig.Ref != "KEN-PEEL2122-AFI-20" {
		t.Fatalf("stored as %q (id %d)", e.orig.Ref, e.orig.ID)
	}
	if e.orig.OriginalTarget != model.MustDate("31/03/2027") {
		t.Errorf("the first target is not kept as the original: %s", e.orig.OriginalTarget)
	}
	if e.tabs.Items[1].Disabled() {
		t.Error("milestones are still closed to a stored finding")
	}
	test.Tap(findButton(t, e.content, "Register"))
	h.search("vetting backlog")
	if got := h.shownRefs(); len(got) != 1 || got[0] != "KEN-PEEL2122-AFI-20" {
		t.Errorf("the register shows %v", got)
	}
}
