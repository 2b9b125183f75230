package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"improvementtracker/model"
)

// TestRecordsRoundTrip stores one record of every kind through the record
// interface and reads each back, whole and through every index, in the
// transaction that wrote it and in a later one.
func TestRecordsRoundTrip(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	ctx := context.Background()
	at := time.Date(2025, 11, 24, 10, 0, 0, 123456789, time.FixedZone("BST", 3600))
	report := model.Report{Title: "PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22", Published: model.MustDate("17/03/2022")}
	person := model.Person{Name: "Jo Bloggs", Role: "DI"}
	finding := model.Finding{Ref: "KEN-PEEL2122-AFI-01", Type: model.AFI, Title: "Domestic abuse", Verbatim: "The force should…",
		Created: at, Modified: at, CurrentTarget: model.MustDate("31/03/2026"), Status: model.InProgress}
	other := model.Finding{Ref: "KEN-PEEL2122-AFI-02", Type: model.AFI, Title: "Other", Verbatim: "Other."}
	milestone := model.Milestone{Title: "Recruit 12 investigators", CurrentDue: model.MustDate("30/06/2026")}
	update := model.Update{Date: model.MustDate("01/11/2025"), Narrative: "Recruitment under way.", Status: model.InProgress, Recorded: at}
	evidence := model.Evidence{Title: "Policy", FileName: "policy.txt", SHA256: model.Digest([]byte("policy")), FileSize: 6, Added: at}
	event := model.AuditEvent{At: at, Who: "Jo", Action: model.ActionChange, Entity: model.EntityFinding, Summary: "changed",
		Changes: []model.FieldChange{{Field: "title", Label: "title", Before: "a", After: "b", BeforeJSON: []byte(`"a"`), AfterJSON: []byte(`"b"`)}}}
	submission := model.Submission{Kind: model.SubmissionReturn, Period: model.Quarter{StartYear: 2025, Q: 3}, FileName: "Q3.xlsx",
		Rows: []model.SnapshotRow{{Ref: "KEN-PEEL2122-AFI-01", Values: map[string]string{"Status": "In progress"}}}}
	settings := model.Settings{ForceName: "Kent Police", RefPrefix: "KEN", Author: "Improvement Team"}

	// check reads everything back; it runs inside the writing transaction
	// and again in a read-only one.
	check := func(t *testing.T, rec model.Records) {
		var st model.Settings
		if ok, err := rec.LoadSettings(&st); err != nil || !ok {
			t.Fatalf("settings: %v %v", ok, err)
		}
		sameJSON(t, "settings", st, settings)
		loadOne := func(kind model.Kind, id model.ID, v, want any) {
			if err := rec.Load(kind, id, v); err != nil {
				t.Fatalf("%s #%d: %v", kind, id, err)
			}
			sameJSON(t, string(kind), v, want)
		}
		loadOne(model.KindReport, report.ID, &model.Report{}, report)
		loadOne(model.KindPerson, person.ID, &model.Person{}, person)
		loadOne(model.KindFinding, finding.ID, &model.Finding{}, finding)
		loadOne(model.KindMilestone, milestone.ID, &model.Milestone{}, milestone)
		loadOne(model.KindUpdate, update.ID, &model.Update{}, update)
		loadOne(model.KindEvidence, evidence.ID, &model.Evidence{}, evidence)
		loadOne(model.KindAudit, event.ID, &model.AuditEvent{}, event)
		loadOne(model.KindSubmission, submission.ID, &model.Submission{}, submission)
		if err := rec.Load(model.KindFinding, 999, &model.Finding{}); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("a missing finding: %v, want ErrNotFound", err)
		}

		var fs []model.Finding
		if err := rec.LoadAll(model.KindFinding, 0, &fs); err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "all findings in ID order", fs, []model.Finding{finding, other})
		for _, c := range []struct {
			kind model.Kind
			dst  any
			want any
		}{
			{model.KindMilestone, &[]model.Milestone{}, &[]model.Milestone{milestone}},
			{model.KindUpdate, &[]model.Update{}, &[]model.Update{update}},
			{model.KindEvidence, &[]model.Evidence{}, &[]model.Evidence{evidence}},
			{model.KindAudit, &[]model.AuditEvent{}, &[]model.AuditEvent{event}},
		} {
			if err := rec.LoadAll(c.kind, finding.ID, c.dst); err != nil {
				t.Fatal(err)
			}
			sameJSON(t, string(c.kind)+" of the finding", c.dst, c.want)
			if err := rec.LoadAll(c.kind, other.ID, c.dst); err != nil {
				t.Fatal(err)
			}
			sameJSON(t, string(c.kind)+" of the other finding", c.dst, []int{})
			if n, err := rec.CountByFinding(c.kind, finding.ID); err != nil || n != 1 {
				t.Errorf("CountByFinding(%s) = %d, %v; want 1", c.kind, n, err)
			}
			if n, err := rec.CountByFinding(c.kind, other.ID); err != nil || n != 0 {
				t.Errorf("CountByFinding(%s) of the other finding = %d, %v; want 0", c.kind, n, err)
			}
		}
		var subs []model.Submission
		if err := rec.LoadAll(model.KindSubmission, 0, &subs); err != nil {
			t.Fatal(err)
		}
		sameJSON(t, "submissions", subs, []model.Submission{submission})
		if err := rec.LoadAll(model.KindFinding, 0, &[]string{}); !errors.Is(err, model.ErrProgram) {
			t.Errorf("listing into the wrong type: %v, want a program error", err)
		}

		if id, err := rec.FindingIDByRef(finding.Ref); err != nil || id != finding.ID {
			t.Errorf("FindingIDByRef = %d, %v; want %d", id, err, finding.ID)
		}
		if _, err := rec.FindingIDByRef("KEN-PEEL2122-AFI-99"); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("an unknown reference: %v", err)
		}
		if data, err := rec.File(evidence.ID); err != nil || string(data) != "policy" {
			t.Errorf("File = %q, %v", data, err)
		}
		if _, err := rec.File(999); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("a missing file: %v", err)
		}
		rc := rec.(interface {
			RefCounter(model.ID, string) (uint64, error)
		})
		if n, err := rc.RefCounter(report.ID, "AFI"); err != nil || n != 2 {
			t.Errorf("RefCounter = %d, %v; want 2", n, err)
		}
		if n, err := rc.RefCounter(report.ID, "COC"); err != nil || n != 0 {
			t.Errorf("an unused RefCounter = %d, %v; want 0", n, err)
		}
	}

	err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		if ok, err := rec.LoadSettings(&model.Settings{}); ok || err != nil {
			t.Errorf("a new register has settings: %v %v", ok, err)
		}
		if err := rec.PutSettings(settings); err != nil {
			return err
		}
		next := func(kind model.Kind) model.ID { return must(rec.NextID(kind)) }
		report.ID = next(model.KindReport)
		person.ID = next(model.KindPerson)
		finding.ID, finding.ReportID, finding.DeliveryLeadID = next(model.KindFinding), report.ID, person.ID
		other.ID, other.ReportID = next(model.KindFinding), report.ID
		milestone.ID, milestone.FindingID = next(model.KindMilestone), finding.ID
		update.ID, update.FindingID = next(model.KindUpdate), finding.ID
		evidence.ID, evidence.FindingID = next(model.KindEvidence), finding.ID
		event.ID, event.FindingID, event.EntityID = next(model.KindAudit), finding.ID, finding.ID
		submission.ID = next(model.KindSubmission)
		for _, p := range []struct {
			kind model.Kind
			id   model.ID
			v    any
		}{
			{model.KindReport, report.ID, &report}, {model.KindPerson, person.ID, person}, {model.KindFinding, finding.ID, &finding},
			{model.KindFinding, other.ID, &other}, {model.KindMilestone, milestone.ID, &milestone}, {model.KindUpdate, update.ID, &update},
			{model.KindEvidence, evidence.ID, &evidence}, {model.KindAudit, event.ID, &event}, {model.KindSubmission, submission.ID, &submission},
		} {
			if err := rec.Put(p.kind, p.id, p.v); err != nil {
				return err
			}
		}
		if err := rec.PutFile(evidence.ID, []byte("policy")); err != nil {
			return err
		}
		if err := rec.SetRefCounter(report.ID, "AFI", 2); err != nil {
			return err
		}
		check(t, rec)
		// Put replaces.
		finding.Title = "Domestic abuse team resourcing"
		return rec.Put(model.KindFinding, finding.ID, &finding)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.ViewRecords(ctx, func(rec model.Records) error {
		check(t, rec)
		// A view cannot write, even through the record interface.
		if w, ok := rec.(model.RecordWriter); ok {
			if err := w.Put(model.KindPerson, 99, &model.Person{Name: "x"}); !errors.Is(err, model.ErrProgram) {
				t.Errorf("a write in a view: %v, want a program error", err)
			}
			if _, err := w.NextID(model.KindPerson); !errors.Is(err, model.ErrProgram) {
				t.Errorf("NextID in a view: %v, want a program error", err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Delete takes the record's index entries and file with it.
	err = s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		for _, d := range []struct {
			kind model.Kind
			id   model.ID
		}{{model.KindEvidence, evidence.ID}, {model.KindMilestone, milestone.ID}, {model.KindFinding, other.ID}} {
			if err := rec.Delete(d.kind, d.id); err != nil {
				return err
			}
		}
		if err := rec.Delete(model.KindFinding, 999); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("deleting a missing record: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.ViewRecords(ctx, func(rec model.Records) error {
		if _, err := rec.File(evidence.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the deleted evidence's file: %v", err)
		}
		if _, err := rec.FindingIDByRef(other.Ref); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the deleted finding's reference: %v", err)
		}
		for _, kind := range []model.Kind{model.KindMilestone, model.KindEvidence} {
			if n, err := rec.CountByFinding(kind, finding.ID); err != nil || n != 0 {
				t.Errorf("%s of the finding after the delete: %d, %v", kind, n, err)
			}
		}
		var f model.Finding
		if err := rec.Load(model.KindFinding, finding.ID, &f); err != nil || f.Title != "Domestic abuse team resourcing" {
			t.Errorf("the replaced finding: %q, %v", f.Title, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNextIDUniqueAndGrowing checks the sequences: IDs only grow, and an ID
// given in a transaction that was rolled back is never given again (a
// sequence is not rolled back; it only skips).
func TestNextIDUniqueAndGrowing(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	ctx := context.Background()
	var seen []model.ID
	take := func(rec model.RecordWriter, n int) error {
		for range n {
			id, err := rec.NextID(model.KindFinding)
			if err != nil {
				return err
			}
			seen = append(seen, id)
		}
		return nil
	}
	if err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error { return take(rec, 3) }); err != nil {
		t.Fatal(err)
	}
	rollback := errors.New("rolled back")
	if err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		if err := take(rec, 2); err != nil {
			return err
		}
		return rollback
	}); !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	if err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error { return take(rec, 2) }); err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(seen) || len(slices.Compact(slices.Clone(seen))) != len(seen) || seen[0] != 1 {
		t.Errorf("IDs %v: want unique, growing, from 1", seen)
	}
	// Kinds have sequences of their own.
	if err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		if id := must(rec.NextID(model.KindPerson)); id != 1 {
			t.Errorf("the first person's ID is %d, want 1", id)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// TestAuditSinceAndBetween checks that the indexed queries give exactly
// what filtering the whole trail gives, at instants finer than the
// server's microsecond.
func TestAuditSinceAndBetween(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	ctx := context.Background()
	base := time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC)
	// Events of two findings and of none, at times a nanosecond, a
	// microsecond and a day apart, and one from a clock put back.
	offsets := []time.Duration{0, 1, 999, time.Microsecond, time.Microsecond + 1, time.Millisecond, time.Hour, 24 * time.Hour, -time.Hour, 48 * time.Hour}
	var events []model.AuditEvent
	err := s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		for i, off := range offsets {
			ev := model.AuditEvent{ID: must(rec.NextID(model.KindAudit)), At: base.Add(off), Who: "x",
				Action: model.ActionChange, Entity: model.EntityFinding, FindingID: model.ID(i % 3), Summary: fmt.Sprint(i)}
			if err := rec.Put(model.KindAudit, ev.ID, &ev); err != nil {
				return err
			}
			events = append(events, ev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(evs []model.AuditEvent) []model.ID {
		out := []model.ID{}
		for _, ev := range evs {
			out = append(out, ev.ID)
		}
		return out
	}
	var instants []time.Time
	for _, off := range offsets {
		for _, d := range []time.Duration{-1, 0, 1, -time.Microsecond, time.Microsecond} {
			instants = append(instants, base.Add(off+d))
		}
	}
	mustView(t, s, func(tx model.ReadTx) error {
		for _, at := range instants {
			var want []model.AuditEvent
			for _, ev := range events {
				if ev.At.After(at) {
					want = append(want, ev)
				}
			}
			got := must(tx.(model.AuditSincer).AuditSince(at))
			if !slices.Equal(ids(got), ids(want)) {
				t.Errorf("AuditSince(%s) = %v, want %v", at.Format(time.RFC3339Nano), ids(got), ids(want))
			}
		}
		for f := range model.ID(3) {
			for _, after := range instants {
				for _, until := range []time.Time{after, after.Add(1), after.Add(time.Microsecond), after.Add(time.Hour), base.Add(72 * time.Hour)} {
					var want []model.AuditEvent
					for _, ev := range events {
						if ev.FindingID == f && f != 0 && ev.At.After(after) && !ev.At.After(until) {
							want = append(want, ev)
						}
					}
					got := must(tx.(model.AuditBetweener).AuditBetween(f, after, until))
					if !slices.Equal(ids(got), ids(want)) {
						t.Errorf("AuditBetween(#%d, %s, %s) = %v, want %v", f, after.Format(time.RFC3339Nano), until.Format(time.RFC3339Nano), ids(got), ids(want))
					}
				}
			}
		}
		// The same questions asked many at once: each finding's span
		// starts at another of the instants, so that one query holds
		// starts on a whole microsecond and between two, and events at
		// a span's very start with and without finer digits.
		for i := range instants {
			for _, until := range []time.Time{instants[i], instants[i].Add(time.Hour), base.Add(72 * time.Hour)} {
				spans := []model.AuditSpan{{FindingID: 1, After: instants[i]}, {FindingID: 2, After: instants[(i+7)%len(instants)]}}
				got := must(tx.(model.AuditSpanner).AuditSpans(spans, until))
				for _, sp := range spans {
					var want []model.AuditEvent
					for _, ev := range events {
						if ev.FindingID == sp.FindingID && ev.At.After(sp.After) && !ev.At.After(until) {
							want = append(want, ev)
						}
					}
					if !slices.Equal(ids(got[sp.FindingID]), ids(want)) {
						t.Errorf("AuditSpans(#%d after %s, until %s) = %v, want %v", sp.FindingID, sp.After.Format(time.RFC3339Nano),
							until.Format(time.RFC3339Nano), ids(got[sp.FindingID]), ids(want))
					}
				}
			}
		}
		return nil
	})
}
