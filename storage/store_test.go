package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage"
)

// TestRoundTrip stores one of every record type and reads each back, in the
// same session and after reopening the file.
func TestRoundTrip(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	coc := model.Finding{ReportID: base.report.ID, Type: model.CauseOfConcern, Area: "Protecting vulnerable people",
		Grade: model.Inadequate, Title: "Safeguarding referrals", Verbatim: "The force is not managing referrals well.",
		InspectorateRef: "CoC1", Interpretation: "Backlog in the MASH.", GovernanceBoard: "Force Improvement Board",
		Marking:        model.Marking{Classification: model.OfficialSensitive, Descriptor: "PERSONAL"},
		OriginalTarget: model.MustDate("01/09/2025"), CurrentTarget: model.MustDate("01/12/2025"),
		TargetRevisions: []model.Revision{{From: model.MustDate("01/09/2025"), To: model.MustDate("01/12/2025"),
			Reason: "Recruitment delayed", AgreedBy: "DCC", At: c.Now(), By: "Test Lead"}},
		Status: model.InProgress, RAG: model.Amber, Related: []model.ID{base.finding.ID}, Sample: true}
	rec := model.Finding{ReportID: base.report.ID, Type: model.Recommendation, Title: "Within six months, clear the backlog",
		Verbatim: "Within six months, the force should clear the backlog.", Status: model.NotStarted}
	m := model.Milestone{Title: "Recruit 12 investigators", OwnerID: base.inspctr.ID, CurrentDue: model.MustDate("30/06/2025"),
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
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
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
	if err != nil {
		t.Fatal(err)
	}
	// What the store filled in.
	if coc.Ref != "KEN-PEEL2122-COC-01" || rec.Ref != "KEN-PEEL2122-REC-01" {
		t.Errorf("refs: %q %q", coc.Ref, rec.Ref)
	}
	if !coc.Created.Equal(c.Now()) || !u.Recorded.Equal(c.Now()) || e.SHA256 == "" || e.FileSize != int64(len(file)) || sub.By != "Improvement Team" {
		t.Errorf("store did not fill in times, digest or author: %+v %+v %+v", coc.Created, e, sub.By)
	}
	if rec.Marking.Classification != model.OfficialSensitive {
		t.Errorf("new finding did not get the default marking: %v", rec.Marking)
	}

	check := func(s model.Store) {
		t.Helper()
		mustView(t, s, func(tx model.ReadTx) error {
			for _, c := range []struct {
				name      string
				got, want any
				err       error
			}{
				{"settings", must(tx.Settings()), settings, nil},
				{"report", must(tx.Report(base.report.ID)), base.report, nil},
				{"person", must(tx.Person(base.inspctr.ID)), base.inspctr, nil},
				{"finding", must(tx.Finding(coc.ID)), coc, nil},
				{"finding by ref", must(tx.FindingByRef(rec.Ref)), rec, nil},
				{"milestones", must(tx.Milestones(coc.ID)), []model.Milestone{m}, nil},
				{"updates", must(tx.Updates(coc.ID)), []model.Update{u}, nil},
				{"evidence", must(tx.Evidence(coc.ID)), []model.Evidence{e}, nil},
				{"file", must(tx.EvidenceFile(e.ID)), file, nil},
				{"submissions", must(tx.Submissions()), []model.Submission{sub}, nil},
				{"reports", len(must(tx.Reports())), 1, nil},
				{"people", len(must(tx.People())), 2, nil},
				{"findings", len(must(tx.Findings())), 3, nil},
			} {
				if !reflect.DeepEqual(c.got, c.want) {
					t.Errorf("%s:\n got %+v\nwant %+v", c.name, c.got, c.want)
				}
			}
			events := must(tx.Audit(coc.ID))
			if len(events) != 4 { // finding, milestone, update, evidence
				t.Errorf("audit of the cause of concern: %d events, want 4: %+v", len(events), events)
			}
			for _, ev := range events {
				if ev.Who != "Improvement Team" || !ev.At.Equal(c.Now()) || ev.FindingID != coc.ID || ev.Summary == "" {
					t.Errorf("audit event %+v lacks who, when, finding or summary", ev)
				}
			}
			return nil
		})
	}
	check(s)
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	check(s2)
}

// must drops the error of a read that the test has already made sure works.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestAuditSameTransaction checks that a change and its audit event are
// stored together or not at all.
func TestAuditSameTransaction(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	count := func() (findings, events int) {
		mustView(t, s, func(tx model.ReadTx) error {
			findings = len(must(tx.Findings()))
			events = len(must(tx.Audit(0)))
			return nil
		})
		return
	}
	f0, e0 := count()
	failure := errors.New("the user pressed cancel")
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		f := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: "x", Verbatim: "y"}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("Update returned %v", err)
	}
	if f, e := count(); f != f0 || e != e0 {
		t.Fatalf("a rolled-back write left %d findings and %d events; want %d and %d", f, e, f0, e0)
	}

	// A successful change: one event, field by field, with the actor's
	// name and note, people named rather than numbered, and the reason for
	// the moved date.
	c.Advance(time.Hour)
	f := base.finding
	f.DeliveryLeadID = base.acc.ID
	f.CurrentTarget = model.MustDate("30/06/2026")
	f.TargetRevisions = append(f.TargetRevisions, model.Revision{To: f.CurrentTarget, Reason: "Awaiting new IT system", AgreedBy: "Force Improvement Board"})
	if err := s.Update(context.Background(), model.Actor{Who: "Sam Analyst", Note: "after the March board"}, func(tx model.Tx) error {
		return tx.SaveFinding(&f)
	}); err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		events := must(tx.Audit(f.ID))
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
		if ch := got["delivery_lead_id"]; ch.Before != base.inspctr.Label() || ch.After != base.acc.Label() {
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
		if now.CurrentTarget != base.finding.CurrentTarget || now.DeliveryLeadID != base.inspctr.ID {
			t.Errorf("rolled back: %+v", now)
		}
		return nil
	})
}

// TestMovedDatesNeedRevision checks that a finding's target and a
// milestone's due date move only with a recorded reason and agreement.
func TestMovedDatesNeedRevision(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	f := base.finding
	f.CurrentTarget = model.MustDate("30/09/2026")
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if v := model.AsValidation(err); v.For("current_target") == "" {
		t.Fatalf("moving the target without a revision gave %v", err)
	}
	f.TargetRevisions = []model.Revision{{To: f.CurrentTarget, Reason: "slipped"}}
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if v := model.AsValidation(err); !strings.Contains(v.For("target_revisions"), "who agreed") {
		t.Fatalf("a revision without who agreed gave %v", err)
	}
	f.TargetRevisions[0].AgreedBy = "ACC Crime"
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) }); err != nil {
		t.Fatal(err)
	}
	if r := f.TargetRevisions[0]; r.From != base.finding.CurrentTarget || !r.At.Equal(c.Now()) || r.By != "Improvement Team" {
		t.Errorf("the store did not fill in the revision: %+v", r)
	}
	// Recorded revisions cannot be rewritten or dropped.
	g := f
	g.TargetRevisions = nil
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&g) })
	if v := model.AsValidation(err); v.For("target_revisions") == "" {
		t.Errorf("dropping a revision gave %v", err)
	}
	g = f
	g.OriginalTarget = model.MustDate("01/01/2030")
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&g) })
	if v := model.AsValidation(err); v.For("original_target") == "" {
		t.Errorf("changing the original target gave %v", err)
	}

	m := model.Milestone{FindingID: f.ID, Title: "Business case", CurrentDue: model.MustDate("01/02/2026")}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveMilestone(&m) }); err != nil {
		t.Fatal(err)
	}
	if m.OriginalDue != m.CurrentDue {
		t.Errorf("original due not set from current: %+v", m)
	}
	m.CurrentDue = model.MustDate("01/03/2026")
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveMilestone(&m) })
	if v := model.AsValidation(err); v.For("current_due") == "" {
		t.Fatalf("moving a due date without a revision gave %v", err)
	}
	m.Revisions = []model.Revision{{To: m.CurrentDue, Reason: "finance panel moved", AgreedBy: "DCC"}}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveMilestone(&m) }); err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		events := must(tx.Audit(f.ID))
		if last := events[len(events)-1]; !strings.Contains(last.Note, "finance panel moved") {
			t.Errorf("milestone revision reason not in the audit note: %+v", last)
		}
		return nil
	})
}

// TestUpdatesAppendOnly checks that updates cannot be changed or deleted,
// and that an update sets the finding's status and RAG.
func TestUpdatesAppendOnly(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	u := model.Update{FindingID: base.finding.ID, Date: model.MustDate("01/10/2025"), Narrative: "Started.",
		Status: model.InProgress, RAG: model.Green}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatal(err)
	}
	if u.Author != "Improvement Team" {
		t.Errorf("author defaulted to %q", u.Author)
	}
	edited := u
	edited.Narrative = "Rewritten history."
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&edited) })
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
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.DeleteFinding(base.finding.ID) })
	wantIs(t, err, model.ErrInUse)

	mustView(t, s, func(tx model.ReadTx) error {
		f := must(tx.Finding(base.finding.ID))
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
	old := model.Update{FindingID: base.finding.ID, Date: model.MustDate("01/07/2025"), Narrative: "Planning.",
		Status: model.NotStarted, RAG: model.Red}
	later := model.Update{FindingID: base.finding.ID, Date: model.MustDate("01/01/2026"), Narrative: "Done, awaiting closure.",
		Status: model.Closed, RAG: model.Blue}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		if err := tx.AppendUpdate(&old); err != nil {
			return err
		}
		f := must(tx.Finding(base.finding.ID))
		if f.Status != model.InProgress {
			t.Errorf("a back-dated update changed the status to %s", f.Status)
		}
		// Closing is two-stage: proposed, then agreed.
		proposed := model.Update{FindingID: base.finding.ID, Date: model.MustDate("31/12/2025"), Narrative: "Done; evidence shared.",
			Status: model.ClosureProposed, RAG: model.Blue}
		if err := tx.AppendUpdate(&proposed); err != nil {
			return err
		}
		return tx.AppendUpdate(&later)
	}); err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		f := must(tx.Finding(base.finding.ID))
		if f.Status != model.Closed || f.ClosedDate != later.Date {
			t.Errorf("closing update: status %s, closed %s", f.Status, f.ClosedDate)
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

// TestReferences checks local references: generated in sequence per report
// and type, unique, never changed, never reused, and ordered as numbers.
func TestReferences(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	var made []model.Finding
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		for i := range 101 {
			f := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: fmt.Sprintf("AFI %d", i+2), Verbatim: "text"}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			made = append(made, f)
		}
		ip := model.Finding{ReportID: base.report.ID, Type: model.InnovativePractice, Title: "Praise", Verbatim: "Good work"}
		if err := tx.SaveFinding(&ip); err != nil {
			return err
		}
		if ip.Ref != "KEN-PEEL2122-IP-01" {
			t.Errorf("innovative practice ref %q", ip.Ref)
		}
		dup := model.Finding{ReportID: base.report.ID, Type: model.AFI, Ref: made[0].Ref, Title: "dup", Verbatim: "x"}
		if v := model.AsValidation(tx.SaveFinding(&dup)); v.For("ref") == "" {
			t.Errorf("a duplicate reference was accepted")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if base.finding.Ref != "KEN-PEEL2122-AFI-01" || made[0].Ref != "KEN-PEEL2122-AFI-02" || made[100].Ref != "KEN-PEEL2122-AFI-102" {
		t.Errorf("refs: %s %s %s", base.finding.Ref, made[0].Ref, made[100].Ref)
	}
	f := made[5]
	f.Ref = "KEN-OTHER-01"
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if v := model.AsValidation(err); v.For("ref") == "" {
		t.Errorf("changing a reference gave %v", err)
	}
	// Deleting the newest finding does not free its number.
	last := made[100]
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		if err := tx.DeleteFinding(last.ID); err != nil {
			return err
		}
		again := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: "again", Verbatim: "x"}
		if err := tx.SaveFinding(&again); err != nil {
			return err
		}
		if again.Ref != "KEN-PEEL2122-AFI-103" {
			t.Errorf("after a delete the next ref is %s", again.Ref)
		}
		_, err := tx.FindingByRef(last.Ref)
		wantIs(t, err, model.ErrNotFound)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		fs := must(tx.Findings())
		if fs[8].Ref != "KEN-PEEL2122-AFI-09" || fs[9].Ref != "KEN-PEEL2122-AFI-10" || fs[99].Ref != "KEN-PEEL2122-AFI-100" {
			t.Errorf("findings not in reference order: %s %s %s", fs[8].Ref, fs[9].Ref, fs[99].Ref)
		}
		events := must(tx.Audit(last.ID))
		if ev := events[len(events)-1]; ev.Action != model.ActionDelete || len(ev.Changes) == 0 {
			t.Errorf("deletion not audited with the deleted values: %+v", ev)
		}
		return nil
	})
}

// TestLinksChecked checks that a record cannot point at something that does
// not exist, or at the wrong kind of finding.
func TestLinksChecked(t *testing.T) {
	s := openNew(t, newClock())
	base := seed(t, s)
	for _, c := range []struct {
		field string
		edit  func(f *model.Finding)
	}{
		{"report_id", func(f *model.Finding) { f.ReportID = 99 }},
		{"chief_officer_id", func(f *model.Finding) { f.ChiefOfficerID = 99 }},
		{"delivery_lead_id", func(f *model.Finding) { f.DeliveryLeadID = 99 }},
		{"parent_id", func(f *model.Finding) { f.Type, f.ParentID = model.Recommendation, base.finding.ID }}, // an AFI, not a cause of concern
		{"superseded_by", func(f *model.Finding) { f.Status, f.SupersededBy = model.Superseded, 99 }},
		{"related", func(f *model.Finding) { f.Related = []model.ID{99} }},
	} {
		t.Run(c.field, func(t *testing.T) {
			f := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: "t", Verbatim: "v"}
			c.edit(&f)
			err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
			if v := model.AsValidation(err); v.For(c.field) == "" {
				t.Errorf("got %v, want a problem with %s", err, c.field)
			}
		})
	}
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		return tx.SaveMilestone(&model.Milestone{FindingID: 99, Title: "x"})
	})
	if v := model.AsValidation(err); v.For("finding_id") == "" {
		t.Errorf("a milestone of a missing finding gave %v", err)
	}
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: base.finding.ID, Date: model.MustDate("01/01/2026"), Status: model.InProgress})
	})
	if v := model.AsValidation(err); v.For("narrative") == "" {
		t.Errorf("an update without a narrative gave %v", err)
	}
}

// TestWriteCopy checks that "Save a copy" writes a register that opens and
// holds the data.
func TestWriteCopy(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	var buf strings.Builder
	if _, err := s.WriteCopy(&buf); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(copyPath, []byte(buf.String())); err != nil {
		t.Fatal(err)
	}
	cp, err := storage.Open(copyPath, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	mustView(t, cp, func(tx model.ReadTx) error {
		if f := must(tx.FindingByRef(base.finding.Ref)); f.Title != base.finding.Title {
			t.Errorf("copy holds %+v", f)
		}
		return nil
	})
}
