package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// WriteOneOfEach stores one of every kind of record in s, a new register,
// and checks what the store filled in. It returns a check
// that reads every record back, field by field, from s or from the same
// register opened again (a file store's test reopens the file with it).
func WriteOneOfEach(t *testing.T, s model.Store, c *Clock) (check func(t *testing.T, s model.Store)) {
	t.Helper()
	base := Seed(t, s)
	coc := model.Finding{ReportID: base.Report.ID, Type: model.CauseOfConcern, Area: "Protecting vulnerable people",
		Grade: model.Inadequate, Title: "Safeguarding referrals", Verbatim: "The force is not managing referrals well.",
		InspectorateRef: "CoC1", Interpretation: "Backlog in the MASH.", GovernanceBoard: "Force Improvement Board",
		Marking:        model.Marking{Classification: model.OfficialSensitive, Descriptor: "PERSONAL"},
		OriginalTarget: model.MustDate("01/09/2025"), CurrentTarget: model.MustDate("01/12/2025"),
		TargetRevisions: []model.Revision{{From: model.MustDate("01/09/2025"), To: model.MustDate("01/12/2025"),
			Reason: "Recruitment delayed", AgreedBy: "DCC", At: c.Now(), By: "Test Lead"}},
		Status: model.InProgress, RAG: model.Amber, Related: []model.ID{base.Finding.ID}, Sample: true}
	rec := model.Finding{ReportID: base.Report.ID, Type: model.Recommendation, Title: "Within six months, clear the backlog",
		Verbatim: "Within six months, the force should clear the backlog.", Status: model.NotStarted}
	m := model.Milestone{Title: "Recruit 12 investigators", OwnerID: base.Jo.ID, CurrentDue: model.MustDate("30/06/2025"),
		Notes: "Two tranches"}
	u := model.Update{Date: model.MustDate("01/10/2025"), Narrative: "Eight of twelve in post.", Status: model.InProgress,
		RAG: model.Amber, Author: "Jo Bloggs", Source: "typed in"}
	e := model.Evidence{Title: "Recruitment tracker", Location: `\\kent\share\tracker.xlsx`, EffectiveDate: model.MustDate("15/09/2025"),
		Shared: true, FileName: "tracker.txt"}
	file := []byte("recruitment tracker contents")
	sub := model.Submission{Kind: model.SubmissionReturn, Period: model.Quarter{StartYear: 2025, Q: 3}, AsAt: model.MustDate("31/12/2025"),
		Marking: model.Marking{Classification: model.Official}, FileName: "Q3 return.xlsx", SHA256: strings.Repeat("ab", 32),
		Rows: []model.SnapshotRow{{Ref: "KEN-PEEL2122-AFI-01", Values: map[string]string{"Status": "In progress"}}}}
	settings := model.Settings{ForceName: "Kent Police", RefPrefix: "KEN", Author: "Improvement Team",
		DefaultMarking: model.Marking{Classification: model.OfficialSensitive}}
	mustUpdate(t, s, func(tx model.Tx) error {
		if err := tx.SaveSettings(settings); err != nil {
			return err
		}
		if err := tx.SaveFinding(&coc); err != nil {
			return err
		}
		rec.ParentID = coc.ID
		if err := tx.SaveFinding(&rec); err != nil {
			return err
		}
		m.FindingID, u.FindingID, e.FindingID = coc.ID, coc.ID, coc.ID
		if err := tx.SaveMilestone(&m); err != nil {
			return err
		}
		if err := tx.AppendUpdate(&u); err != nil {
			return err
		}
		if err := tx.AddEvidence(&e, file); err != nil {
			return err
		}
		return tx.SaveSubmission(&sub)
	})
	// What the store filled in.
	at := c.Now()
	if coc.Ref != "KEN-PEEL2122-COC-01" || rec.Ref != "KEN-PEEL2122-REC-01" {
		t.Errorf("refs: %q %q", coc.Ref, rec.Ref)
	}
	if !coc.Created.Equal(at) || !coc.Modified.Equal(at) || !u.Recorded.Equal(at) || !e.Added.Equal(at) || !sub.Recorded.Equal(at) {
		t.Errorf("the store did not fill in the times: created %v, modified %v, recorded %v, added %v, submission %v",
			coc.Created, coc.Modified, u.Recorded, e.Added, sub.Recorded)
	}
	if e.SHA256 != model.Digest(file) || e.FileSize != int64(len(file)) || e.AddedBy != "Improvement Team" || sub.By != "Improvement Team" {
		t.Errorf("the store did not fill in the digest, size or author: %+v, submission by %q", e, sub.By)
	}
	if m.OriginalDue != m.CurrentDue {
		t.Errorf("original due %s, want the current due %s", m.OriginalDue, m.CurrentDue)
	}
	if rec.Marking.Classification != model.OfficialSensitive || rec.OriginalTarget != rec.CurrentTarget {
		t.Errorf("new finding did not get the default marking or its original target: %+v", rec)
	}

	return func(t *testing.T, s model.Store) {
		t.Helper()
		mustView(t, s, func(tx model.ReadTx) error {
			for _, c := range []struct {
				name      string
				got, want any
			}{
				{"settings", must(tx.Settings()), settings},
				{"report", must(tx.Report(base.Report.ID)), base.Report},
				{"person", must(tx.Person(base.Jo.ID)), base.Jo},
				{"finding", must(tx.Finding(coc.ID)), coc},
				{"finding by ref", must(tx.FindingByRef(rec.Ref)), rec},
				{"milestones", must(tx.Milestones(coc.ID)), []model.Milestone{m}},
				{"updates", must(tx.Updates(coc.ID)), []model.Update{u}},
				{"evidence", must(tx.Evidence(coc.ID)), []model.Evidence{e}},
				{"file", must(tx.EvidenceFile(e.ID)), file},
				{"submissions", must(tx.Submissions()), []model.Submission{sub}},
				{"reports", must(tx.Reports()), []model.Report{base.Report}},
				{"people by name", must(tx.People()), []model.Person{base.ACC, base.Jo}},
				{"milestones of all", must(tx.Milestones(0)), []model.Milestone{m}},
				{"updates of all", must(tx.Updates(0)), []model.Update{u}},
				{"evidence of all", must(tx.Evidence(0)), []model.Evidence{e}},
				{"milestones of another finding", len(must(tx.Milestones(base.Finding.ID))), 0},
			} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s:\n got %+v\nwant %+v", c.name, c.got, c.want)
				}
			}
			var refs []string
			for _, f := range must(tx.Findings()) {
				refs = append(refs, f.Ref)
			}
			if got := strings.Join(refs, " "); got != "KEN-PEEL2122-AFI-01 KEN-PEEL2122-COC-01 KEN-PEEL2122-REC-01" {
				t.Errorf("findings in order %s", got)
			}
			if _, err := tx.Finding(999); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("a missing finding gave %v", err)
			}
			if _, err := tx.FindingByRef("KEN-NONE-01"); !errors.Is(err, model.ErrNotFound) {
				t.Errorf("a missing reference gave %v", err)
			}
			events := must(tx.Audit(coc.ID))
			want := []model.Entity{model.EntityFinding, model.EntityMilestone, model.EntityUpdate, model.EntityEvidence}
			if len(events) != len(want) {
				t.Fatalf("audit of the cause of concern: %d events, want %d: %+v", len(events), len(want), events)
			}
			for i, ev := range events {
				if ev.Entity != want[i] || ev.Action != model.ActionCreate || ev.Who != "Improvement Team" ||
					!ev.At.Equal(at) || ev.FindingID != coc.ID || ev.Summary == "" {
					t.Errorf("audit event %d: %+v, want the creation of a %s, by the author, now", i, ev, want[i])
				}
			}
			return nil
		})
	}
}

// testRoundTrip stores one of every record type and reads each back.
func testRoundTrip(t *testing.T, s model.Store, c *Clock) {
	check := WriteOneOfEach(t, s, c)
	check(t, s)
}

// testAuditSameTransaction checks that a change and its audit event are
// stored together or not at all, and what the event says.
func testAuditSameTransaction(t *testing.T, s model.Store, c *Clock) {
	base := Seed(t, s)
	before := countAll(t, s)
	failure := errors.New("the user pressed cancel")
	err := update(s, func(tx model.Tx) error {
		f := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "x", Verbatim: "y"}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("Update returned %v", err)
	}
	if after := countAll(t, s); after != before {
		t.Fatalf("a rolled-back write left %+v; want %+v", after, before)
	}

	// A successful change: one event, field by field, with the actor's
	// name and note, people named rather than numbered, and the reason for
	// the moved date.
	c.Advance(time.Hour)
	f := base.Finding
	f.DeliveryLeadID = base.ACC.ID
	f.CurrentTarget = model.MustDate("30/06/2026")
	f.TargetRevisions = append(f.TargetRevisions, model.Revision{To: f.CurrentTarget, Reason: "Awaiting new IT system", AgreedBy: "Force Improvement Board"})
	if err := s.Update(context.Background(), model.Actor{Who: "Sam Analyst", Note: "after the March board"}, func(tx model.Tx) error {
		return tx.SaveFinding(&f)
	}); err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		events := must(tx.Audit(f.ID))
		if len(events) != 2 {
			t.Fatalf("the finding's history has %d events, want its creation and the change: %+v", len(events), events)
		}
		ev := events[len(events)-1]
		if ev.Who != "Sam Analyst" || !ev.At.Equal(c.Now()) || ev.Action != model.ActionChange || ev.Entity != model.EntityFinding || ev.EntityID != f.ID {
			t.Errorf("event: %+v", ev)
		}
		if !strings.Contains(ev.Note, "after the March board") || !strings.Contains(ev.Note, "Awaiting new IT system") || !strings.Contains(ev.Note, "Force Improvement Board") {
			t.Errorf("note %q lacks the actor's note or the revision's reason", ev.Note)
		}
		got := map[string]model.FieldChange{}
		for _, ch := range ev.Changes {
			got[ch.Field] = ch
		}
		if ch := got["current_target"]; ch.Before != "31/03/2026" || ch.After != "30/06/2026" {
			t.Errorf("current target change: %+v", ch)
		}
		if ch := got["delivery_lead_id"]; ch.Before != base.Jo.Label() || ch.After != base.ACC.Label() {
			t.Errorf("delivery lead change: %+v", ch)
		}
		if _, ok := got["target_revisions"]; !ok || len(ev.Changes) != 3 {
			t.Errorf("changes: %+v", ev.Changes)
		}
		// The stored before-values roll the finding back.
		now := must(tx.Finding(f.ID))
		if err := model.RollBack(&now, ev.Changes); err != nil {
			return err
		}
		if now.CurrentTarget != base.Finding.CurrentTarget || now.DeliveryLeadID != base.Jo.ID {
			t.Errorf("rolled back: %+v", now)
		}
		return nil
	})

	// Saving a record unchanged writes no event.
	n := countAll(t, s).Audit
	g := f
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&g) })
	if after := countAll(t, s).Audit; after != n {
		t.Errorf("saving an unchanged finding wrote %d audit events", after-n)
	}
	if !g.Modified.Equal(f.Modified) {
		t.Errorf("saving an unchanged finding moved its modified time from %v to %v", f.Modified, g.Modified)
	}
}

// testMovedDatesNeedRevision checks that a finding's target and a
// milestone's due date move only with a recorded reason and agreement.
func testMovedDatesNeedRevision(t *testing.T, s model.Store, c *Clock) {
	base := Seed(t, s)
	f := base.Finding
	f.CurrentTarget = model.MustDate("30/09/2026")
	err := update(s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if v := model.AsValidation(err); v.For("current_target") == "" {
		t.Fatalf("moving the target without a revision gave %v", err)
	}
	f.TargetRevisions = []model.Revision{{To: f.CurrentTarget, Reason: "slipped"}}
	err = update(s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if v := model.AsValidation(err); !strings.Contains(v.For("target_revisions"), "who agreed") {
		t.Fatalf("a revision without who agreed gave %v", err)
	}
	f.TargetRevisions[0].AgreedBy = "ACC Crime"
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if r := f.TargetRevisions[0]; r.From != base.Finding.CurrentTarget || !r.At.Equal(c.Now()) || r.By != "Improvement Team" {
		t.Errorf("the store did not fill in the revision: %+v", r)
	}
	// Recorded revisions cannot be rewritten or dropped, nor the original
	// target changed.
	for _, bad := range []struct {
		field string
		edit  func(g *model.Finding)
	}{
		{"target_revisions", func(g *model.Finding) { g.TargetRevisions = nil }},
		{"target_revisions", func(g *model.Finding) {
			g.TargetRevisions = []model.Revision{f.TargetRevisions[0]}
			g.TargetRevisions[0].Reason = "rewritten"
		}},
		{"original_target", func(g *model.Finding) { g.OriginalTarget = model.MustDate("01/01/2030") }},
	} {
		g := f
		bad.edit(&g)
		err = update(s, func(tx model.Tx) error { return tx.SaveFinding(&g) })
		if v := model.AsValidation(err); v.For(bad.field) == "" {
			t.Errorf("%s: got %v", bad.field, err)
		}
	}

	m := model.Milestone{FindingID: f.ID, Title: "Business case", CurrentDue: model.MustDate("01/02/2026")}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveMilestone(&m) })
	if m.OriginalDue != m.CurrentDue {
		t.Errorf("original due not set from current: %+v", m)
	}
	m.CurrentDue = model.MustDate("01/03/2026")
	err = update(s, func(tx model.Tx) error { return tx.SaveMilestone(&m) })
	if v := model.AsValidation(err); v.For("current_due") == "" {
		t.Fatalf("moving a due date without a revision gave %v", err)
	}
	m.Revisions = []model.Revision{{To: m.CurrentDue, Reason: "finance panel moved", AgreedBy: "DCC"}}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveMilestone(&m) })
	mustView(t, s, func(tx model.ReadTx) error {
		stored := must(tx.Milestones(f.ID))
		if len(stored) != 1 || stored[0].CurrentDue != m.CurrentDue || stored[0].OriginalDue != model.MustDate("01/02/2026") ||
			len(stored[0].Revisions) != 1 || stored[0].Revisions[0].From != model.MustDate("01/02/2026") {
			t.Errorf("stored milestone: %+v", stored)
		}
		events := must(tx.Audit(f.ID))
		if last := events[len(events)-1]; !strings.Contains(last.Note, "finance panel moved") {
			t.Errorf("milestone revision reason not in the audit note: %+v", last)
		}
		return nil
	})
}

// testUpdatesAppendOnly checks that updates cannot be changed or deleted,
// and that an update sets the finding's status and RAG.
func testUpdatesAppendOnly(t *testing.T, s model.Store, c *Clock) {
	base := Seed(t, s)
	u := model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/10/2025"), Narrative: "Started.",
		Status: model.InProgress, RAG: model.Green}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.AppendUpdate(&u) })
	if u.Author != "Improvement Team" || u.ID == 0 || !u.Recorded.Equal(c.Now()) {
		t.Errorf("the store did not fill in the update: %+v", u)
	}
	edited := u
	edited.Narrative = "Rewritten history."
	err := update(s, func(tx model.Tx) error { return tx.AppendUpdate(&edited) })
	wantIs(t, err, model.ErrAppendOnly)

	// The contract offers no way to change or delete an update.
	tx := reflect.TypeFor[model.Tx]()
	for i := range tx.NumMethod() {
		name := tx.Method(i).Name
		if strings.Contains(name, "Update") && name != "AppendUpdate" && name != "Updates" {
			t.Errorf("model.Tx has %s, which could change updates", name)
		}
	}
	// Nor can the finding they belong to be deleted.
	err = update(s, func(tx model.Tx) error { return tx.DeleteFinding(base.Finding.ID) })
	wantIs(t, err, model.ErrInUse)

	mustView(t, s, func(tx model.ReadTx) error {
		f := must(tx.Finding(base.Finding.ID))
		if f.Status != model.InProgress || f.RAG != model.Green {
			t.Errorf("finding not set by the update: %s %s", f.Status, f.RAG)
		}
		if us := must(tx.Updates(f.ID)); len(us) != 1 || us[0].Narrative != "Started." {
			t.Errorf("updates: %+v", us)
		}
		return nil
	})

	// A back-dated update is history: it does not change where the
	// finding stands now. A later one does.
	old := model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/07/2025"), Narrative: "Planning.",
		Status: model.NotStarted, RAG: model.Red}
	later := model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/01/2026"), Narrative: "Done, awaiting closure.",
		Status: model.Closed, RAG: model.Blue}
	mustUpdate(t, s, func(tx model.Tx) error {
		if err := tx.AppendUpdate(&old); err != nil {
			return err
		}
		f := must(tx.Finding(base.Finding.ID))
		if f.Status != model.InProgress {
			t.Errorf("a back-dated update changed the status to %s", f.Status)
		}
		// Closing is two-stage: proposed, then agreed.
		proposed := model.Update{FindingID: base.Finding.ID, Date: model.MustDate("31/12/2025"), Narrative: "Done; evidence shared.",
			Status: model.ClosureProposed, RAG: model.Blue}
		if err := tx.AppendUpdate(&proposed); err != nil {
			return err
		}
		return tx.AppendUpdate(&later)
	})
	mustView(t, s, func(tx model.ReadTx) error {
		f := must(tx.Finding(base.Finding.ID))
		if f.Status != model.Closed || f.RAG != model.Blue || f.ClosedDate != later.Date {
			t.Errorf("closing update: status %s, RAG %s, closed %s", f.Status, f.RAG, f.ClosedDate)
		}
		us := must(tx.Updates(f.ID))
		var dates []string
		for _, u := range us {
			dates = append(dates, u.Date.String())
		}
		if strings.Join(dates, " ") != "01/07/2025 01/10/2025 31/12/2025 01/01/2026" {
			t.Errorf("updates not in date order: %v", dates)
		}
		return nil
	})
}

// testReferences checks local references: generated in sequence per report
// and type, unique, never changed, never reused, and ordered as numbers.
func testReferences(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	var made []model.Finding
	mustUpdate(t, s, func(tx model.Tx) error {
		for i := range 101 {
			f := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: fmt.Sprintf("AFI %d", i+2), Verbatim: "text"}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			made = append(made, f)
		}
		ip := model.Finding{ReportID: base.Report.ID, Type: model.InnovativePractice, Title: "Praise", Verbatim: "Good work"}
		if err := tx.SaveFinding(&ip); err != nil {
			return err
		}
		if ip.Ref != "KEN-PEEL2122-IP-01" {
			t.Errorf("innovative practice ref %q", ip.Ref)
		}
		// A reference given by hand must be free.
		dup := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Ref: made[0].Ref, Title: "dup", Verbatim: "x"}
		if v := model.AsValidation(tx.SaveFinding(&dup)); v.For("ref") == "" {
			t.Errorf("a duplicate reference was accepted")
		}
		own := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Ref: "KEN-X-LEGACY-07", Title: "own", Verbatim: "x"}
		return tx.SaveFinding(&own)
	})
	if base.Finding.Ref != "KEN-PEEL2122-AFI-01" || made[0].Ref != "KEN-PEEL2122-AFI-02" || made[100].Ref != "KEN-PEEL2122-AFI-102" {
		t.Errorf("refs: %s %s %s", base.Finding.Ref, made[0].Ref, made[100].Ref)
	}
	f := made[5]
	f.Ref = "KEN-OTHER-01"
	err := update(s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if v := model.AsValidation(err); v.For("ref") == "" {
		t.Errorf("changing a reference gave %v", err)
	}
	// Deleting the newest finding does not free its number.
	last := made[100]
	mustUpdate(t, s, func(tx model.Tx) error {
		if err := tx.DeleteFinding(last.ID); err != nil {
			return err
		}
		again := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "again", Verbatim: "x"}
		if err := tx.SaveFinding(&again); err != nil {
			return err
		}
		if again.Ref != "KEN-PEEL2122-AFI-103" || again.ID == last.ID {
			t.Errorf("after a delete the next finding is #%d %s; #%d %s was deleted", again.ID, again.Ref, last.ID, last.Ref)
		}
		_, err := tx.FindingByRef(last.Ref)
		wantIs(t, err, model.ErrNotFound)
		return nil
	})
	mustView(t, s, func(tx model.ReadTx) error {
		fs := must(tx.Findings())
		seen := map[string]bool{}
		for _, f := range fs {
			if seen[f.Ref] {
				t.Errorf("reference %s is given twice", f.Ref)
			}
			seen[f.Ref] = true
		}
		if fs[8].Ref != "KEN-PEEL2122-AFI-09" || fs[9].Ref != "KEN-PEEL2122-AFI-10" || fs[99].Ref != "KEN-PEEL2122-AFI-100" {
			t.Errorf("findings not in reference order: %s %s %s", fs[8].Ref, fs[9].Ref, fs[99].Ref)
		}
		if f := must(tx.FindingByRef("KEN-X-LEGACY-07")); f.Title != "own" {
			t.Errorf("a reference given by hand found %+v", f)
		}
		events := must(tx.Audit(last.ID))
		if ev := events[len(events)-1]; ev.Action != model.ActionDelete || len(ev.Changes) == 0 || !strings.Contains(ev.Summary, last.Ref) {
			t.Errorf("deletion not audited with the deleted values: %+v", ev)
		}
		return nil
	})
}

// testLinksChecked checks that a record cannot point at something that does
// not exist, or at the wrong kind of finding.
func testLinksChecked(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	for _, c := range []struct {
		field string
		edit  func(f *model.Finding)
	}{
		{"report_id", func(f *model.Finding) { f.ReportID = 99 }},
		{"chief_officer_id", func(f *model.Finding) { f.ChiefOfficerID = 99 }},
		{"delivery_lead_id", func(f *model.Finding) { f.DeliveryLeadID = 99 }},
		{"parent_id", func(f *model.Finding) { f.Type, f.ParentID = model.Recommendation, base.Finding.ID }}, // an AFI, not a cause of concern
		{"parent_id", func(f *model.Finding) { f.Type, f.ParentID = model.Recommendation, 99 }},
		{"superseded_by", func(f *model.Finding) { f.Status, f.SupersededBy = model.Superseded, 99 }},
		{"related", func(f *model.Finding) { f.Related = []model.ID{99} }},
	} {
		t.Run(c.field, func(t *testing.T) {
			f := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "t", Verbatim: "v"}
			c.edit(&f)
			err := update(s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
			if v := model.AsValidation(err); v.For(c.field) == "" {
				t.Errorf("got %v, want a problem with %s", err, c.field)
			}
		})
	}
	err := update(s, func(tx model.Tx) error {
		return tx.SaveMilestone(&model.Milestone{FindingID: 99, Title: "x"})
	})
	if v := model.AsValidation(err); v.For("finding_id") == "" {
		t.Errorf("a milestone of a missing finding gave %v", err)
	}
	err = update(s, func(tx model.Tx) error {
		return tx.SaveMilestone(&model.Milestone{FindingID: base.Finding.ID, Title: "x", OwnerID: 99})
	})
	if v := model.AsValidation(err); v.For("owner_id") == "" {
		t.Errorf("a milestone owned by a missing person gave %v", err)
	}
	err = update(s, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/01/2026"), Status: model.InProgress})
	})
	if v := model.AsValidation(err); v.For("narrative") == "" {
		t.Errorf("an update without a narrative gave %v", err)
	}
	if n := countAll(t, s); n.Findings != 1 || n.Milestones != 0 || n.Updates != 0 || n.Audit != base.seedEvents {
		t.Errorf("refused records left %+v behind", n)
	}
}

// testSubmissions checks that a recorded submission comes back as it was
// sent, rows and all, and that recording and correcting it are audited.
func testSubmissions(t *testing.T, s model.Store, c *Clock) {
	Seed(t, s)
	sub := model.Submission{Kind: model.SubmissionBriefing, Period: model.Quarter{StartYear: 2025, Q: 2}, AsAt: model.MustDate("30/09/2025"),
		Marking: model.Marking{Classification: model.OfficialSensitive}, FileName: "Q2 briefing.xlsx", SHA256: strings.Repeat("cd", 32),
		Filter: "ACC Crime",
		Rows: []model.SnapshotRow{
			{Ref: "KEN-PEEL2122-AFI-01", Values: map[string]string{"Status": "Not started", "RAG": ""}},
			{Ref: "KEN-PEEL2122-AFI-02", Values: map[string]string{"Status": "In progress", "RAG": "Amber"}},
		}}
	err := update(s, func(tx model.Tx) error { return tx.SaveSubmission(&model.Submission{Kind: model.SubmissionReturn}) })
	if v := model.AsValidation(err); v.For("file_name") == "" {
		t.Errorf("a submission without a file name gave %v", err)
	}
	if err := s.Update(context.Background(), model.Actor{Who: "Sam Analyst"}, func(tx model.Tx) error { return tx.SaveSubmission(&sub) }); err != nil {
		t.Fatal(err)
	}
	if sub.ID == 0 || !sub.Recorded.Equal(c.Now()) || sub.By != "Sam Analyst" {
		t.Errorf("the store did not fill in the submission: %+v", sub)
	}
	recorded := c.Now()
	c.Advance(time.Hour)
	fixed := sub
	fixed.FileName = "Q2 briefing (ACC Crime).xlsx"
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveSubmission(&fixed) })
	if !fixed.Recorded.Equal(recorded) || fixed.By != "Sam Analyst" {
		t.Errorf("correcting a submission changed when or by whom it was recorded: %+v", fixed)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		got := must(tx.Submissions())
		if len(got) != 1 || !reflect.DeepEqual(got[0], fixed) {
			t.Errorf("submissions:\n got %+v\nwant %+v", got, []model.Submission{fixed})
		}
		var events []model.AuditEvent
		for _, ev := range must(tx.Audit(0)) {
			if ev.Entity == model.EntitySubmission {
				events = append(events, ev)
			}
		}
		if len(events) != 2 {
			t.Fatalf("%d submission events, want 2: %+v", len(events), events)
		}
		first, second := events[0], events[1]
		if first.Action != model.ActionCreate || first.EntityID != sub.ID || first.Who != "Sam Analyst" || !first.At.Equal(recorded) ||
			first.Summary != "Briefing for "+sub.Period.String()+" recorded as sent (Q2 briefing.xlsx)" || first.FindingID != 0 {
			t.Errorf("recording event: %+v", first)
		}
		if second.Action != model.ActionChange || second.Who != "Improvement Team" || !second.At.Equal(c.Now()) ||
			len(second.Changes) != 1 || second.Changes[0].Field != "file_name" || second.Changes[0].After != fixed.FileName {
			t.Errorf("correcting event: %+v", second)
		}
		for _, ev := range events {
			for _, ch := range ev.Changes {
				if ch.Field == "rows" {
					t.Errorf("the event copies the rows: %+v", ev)
				}
			}
		}
		return nil
	})
}
