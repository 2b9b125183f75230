package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"improvementtracker/model"
)

// testConcurrentWriters runs writers at once on overlapping findings, each
// change a read-modify-write of a finding plus a new milestone, while
// readers check that every view they get is whole. No write may be lost,
// every ID must be unique, and every change must have its audit event.
func testConcurrentWriters(t *testing.T, s model.Store, _ *Clock) {
	const shared = 4
	base := Seed(t, s)
	r := writeRace{writers: 8, saves: 25, findings: []model.Finding{base.Finding}}
	mustUpdate(t, s, func(tx model.Tx) error {
		for i := 1; i < shared; i++ {
			f := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: fmt.Sprintf("Shared %d", i), Verbatim: "Shared."}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			r.findings = append(r.findings, f)
		}
		return nil
	})
	r.events0 = countAll(t, s).Audit

	var wg sync.WaitGroup
	errs := make(chan error, r.writers*r.saves+1)
	// committed tells the reader that a change was committed.
	committed := make(chan struct{}, r.writers*r.saves)
	for w := range r.writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			by := model.Actor{Who: fmt.Sprintf("writer %d", w)}
			for i := range r.saves {
				err := s.Update(context.Background(), by, func(tx model.Tx) error {
					f, err := tx.Finding(r.findingOf(w, i))
					if err != nil {
						return err
					}
					f.Interpretation += r.token(w, i)
					if err := tx.SaveFinding(&f); err != nil {
						return err
					}
					return tx.SaveMilestone(&model.Milestone{FindingID: f.ID, Title: r.token(w, i)})
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d, save %d: %w", w, i, err)
					continue
				}
				committed <- struct{}{}
			}
		}()
	}
	// A reader, while the writers write. It reads after every few
	// commits, not flat out, which on a slow machine would starve the
	// writers of time.
	done := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		for n := 0; ; n++ {
			select {
			case <-done:
				return
			case <-committed:
			}
			if n%r.writers != 0 {
				continue
			}
			if err := s.View(context.Background(), r.checkView); err != nil {
				errs <- err
				return
			}
		}
	}()
	wg.Wait()
	close(done)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		return
	}
	mustView(t, s, func(tx model.ReadTx) error {
		r.checkEnd(t, tx)
		return nil
	})
}

// writeRace is testConcurrentWriters' plan: each of writers makes saves
// changes, each named by a token, to findings in turn.
type writeRace struct {
	writers, saves int
	findings       []model.Finding
	// events0 is the number of audit events before the writers start.
	events0 int
}

// token names one change: writer w, save i. Each change appends its token
// to the interpretation of finding (w+i) mod the findings, which it must
// read first, and adds a milestone titled with it.
func (r writeRace) token(w, i int) string { return fmt.Sprintf("w%d.%d;", w, i) }

func (r writeRace) findingOf(w, i int) model.ID { return r.findings[(w+i)%len(r.findings)].ID }

// checkView checks a view taken while the writers write: each finding's
// interpretation holds exactly the tokens of its milestones, and the
// trail holds one event per milestone and per finding change. A torn view
// breaks that.
func (r writeRace) checkView(tx model.ReadTx) error {
	ms, err := tx.Milestones(0)
	if err != nil {
		return err
	}
	events, err := tx.Audit(0)
	if err != nil {
		return err
	}
	if len(events) != r.events0+2*len(ms) {
		return fmt.Errorf("a view holds %d milestones but %d new audit events", len(ms), len(events)-r.events0)
	}
	for _, f := range r.findings {
		got, err := tx.Finding(f.ID)
		if err != nil {
			return err
		}
		n := 0
		for _, m := range ms {
			if m.FindingID == f.ID {
				n++
			}
		}
		if c := strings.Count(got.Interpretation, ";"); c != n {
			return fmt.Errorf("a view of %s holds %d changes but %d milestones", got.Ref, c, n)
		}
	}
	return nil
}

// checkEnd checks the register once the writers are done: no change lost,
// no ID given twice, every milestone on its finding and its creation
// audited as made by its writer.
func (r writeRace) checkEnd(t *testing.T, tx model.ReadTx) {
	for _, f := range r.findings {
		got := must(tx.Finding(f.ID))
		var want []string
		for w := range r.writers {
			for i := range r.saves {
				if r.findingOf(w, i) == f.ID {
					want = append(want, r.token(w, i))
				}
			}
		}
		have := strings.SplitAfter(got.Interpretation, ";")
		have = have[:len(have)-1] // after the last ";"
		slices.Sort(have)
		slices.Sort(want)
		if !slices.Equal(have, want) {
			t.Errorf("%s holds %d changes, want %d: a write was lost\n got %v\nwant %v", got.Ref, len(have), len(want), have, want)
		}
	}
	ms := must(tx.Milestones(0))
	if len(ms) != r.writers*r.saves {
		t.Errorf("%d milestones, want %d", len(ms), r.writers*r.saves)
	}
	ids := map[model.ID]bool{}
	titles := map[string]model.ID{}
	for _, m := range ms {
		if ids[m.ID] {
			t.Errorf("milestone ID %d given twice", m.ID)
		}
		ids[m.ID] = true
		titles[m.Title] = m.FindingID
	}
	events := must(tx.Audit(0))
	if len(events) != r.events0+2*r.writers*r.saves {
		t.Errorf("%d audit events, want %d", len(events), r.events0+2*r.writers*r.saves)
	}
	eventIDs := map[model.ID]bool{}
	made := map[string]string{} // milestone title: who made it
	for _, ev := range events {
		if eventIDs[ev.ID] {
			t.Errorf("audit event ID %d given twice", ev.ID)
		}
		eventIDs[ev.ID] = true
		if ev.Entity == model.EntityMilestone && ev.Action == model.ActionCreate {
			title := strings.TrimSuffix(strings.TrimPrefix(ev.Summary, `Milestone "`), `" added to `+must(tx.Finding(ev.FindingID)).Ref)
			made[title] = ev.Who
		}
	}
	for w := range r.writers {
		for i := range r.saves {
			tok := r.token(w, i)
			if titles[tok] != r.findingOf(w, i) {
				t.Errorf("milestone %s belongs to #%d, want #%d", tok, titles[tok], r.findingOf(w, i))
			}
			if who := made[tok]; who != fmt.Sprintf("writer %d", w) {
				t.Errorf("milestone %s: its creation is audited as made by %q, want writer %d", tok, who, w)
			}
		}
	}
}

// testFailedSaveLeavesRecord checks, for every method that takes the
// caller's record, that a save that fails leaves the record exactly as the
// caller passed it: no ID, reference, default, time or filled-in revision
// from an attempt that did not count. Callers keep a form's record and save
// it again once the person has fixed what the error named; a record
// half-filled by the failed attempt would be saved wrongly the second time
// (a new finding keeping the first attempt's original target, an update
// refused as already stored because the failed attempt gave it an ID).
// What the failed call wrote must not be stored either, even when the
// caller goes on and commits the rest of the transaction.
func testFailedSaveLeavesRecord(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	target := model.MustDate("30/06/2026")
	var stored model.Evidence
	mustUpdate(t, s, func(tx model.Tx) error {
		stored = model.Evidence{FindingID: base.Finding.ID, Title: "Policy", FileName: "policy.txt", EffectiveDate: model.MustDate("01/10/2025")}
		return tx.AddEvidence(&stored, []byte("policy"))
	})
	// An open milestone keeps the finding from being marked complete.
	open := model.Milestone{FindingID: base.Finding.ID, Title: "Recruit investigators"}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveMilestone(&open) })
	var submission model.Submission
	mustUpdate(t, s, func(tx model.Tx) error {
		submission = model.Submission{Kind: model.SubmissionReturn, Period: model.Quarter{StartYear: 2025, Q: 3}, FileName: "Q3.xlsx"}
		return tx.SaveSubmission(&submission)
	})
	before := countAll(t, s)

	type attempt struct {
		name  string
		rec   any                     // a pointer to the caller's record
		save  func(tx model.Tx) error // saves rec
		field string                  // the field the refusal names, if a validation error
		is    error                   // the error it wraps otherwise
	}
	newFinding := &model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "New", Verbatim: "New.", CurrentTarget: target,
		TargetRevisions: []model.Revision{{To: target, Reason: "Agreed late"}}} // no one agreed it
	dupRef := &model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "Dup", Verbatim: "Dup.", Ref: base.Finding.Ref, CurrentTarget: target}
	noReport := &model.Finding{ReportID: 99, Type: model.AFI, Title: "Lost", Verbatim: "Lost.", CurrentTarget: target}
	changed := base.Finding
	changed.Ref, changed.Created, changed.Verbatim, changed.Title = "", changed.Created.AddDate(-1, 0, 0), "", ""
	newMilestone := &model.Milestone{FindingID: 99, Title: "Orphan", CurrentDue: target}
	badOwner := &model.Milestone{FindingID: base.Finding.ID, Title: "Owned", OwnerID: 99, CurrentDue: target,
		Revisions: []model.Revision{{To: target, Reason: "r", AgreedBy: "a"}}}
	complete := &model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/11/2025"), Narrative: "All done.",
		Status: model.CompletePending, RAG: model.Blue} // a milestone is still open
	orphanUpdate := &model.Update{FindingID: 99, Date: model.MustDate("01/11/2025"), Narrative: "Lost.", Status: model.InProgress}
	orphanEvidence := &model.Evidence{FindingID: 99, Title: "Lost", FileName: "lost.txt", EffectiveDate: model.MustDate("01/11/2025")}
	tooBig := &model.Evidence{FindingID: base.Finding.ID, Title: "Video", FileName: "video.mp4", FileSize: 3, SHA256: "stale",
		EffectiveDate: model.MustDate("01/11/2025")}
	untitled := stored
	untitled.Title, untitled.FileName, untitled.Added, untitled.AddedBy = "", "", untitled.Added.AddDate(0, 0, -1), ""
	unnamed := submission
	unnamed.FileName, unnamed.By, unnamed.Recorded = "", "", unnamed.Recorded.AddDate(0, 0, -1)
	missingSub := &model.Submission{ID: 99, Kind: model.SubmissionReturn, FileName: "x.xlsx"}
	badReport := &model.Report{Type: model.PEEL}
	badPerson := &model.Person{Email: "not an address", Name: "N"}

	for _, a := range []attempt{
		{"SaveFinding new, revision not agreed", newFinding, func(tx model.Tx) error { return tx.SaveFinding(newFinding) }, "target_revisions", nil},
		{"SaveFinding new, reference taken", dupRef, func(tx model.Tx) error { return tx.SaveFinding(dupRef) }, "ref", nil},
		{"SaveFinding new, no such report", noReport, func(tx model.Tx) error { return tx.SaveFinding(noReport) }, "report_id", nil},
		{"SaveFinding change, no wording", &changed, func(tx model.Tx) error { return tx.SaveFinding(&changed) }, "verbatim", nil},
		{"SaveMilestone new, no such finding", newMilestone, func(tx model.Tx) error { return tx.SaveMilestone(newMilestone) }, "finding_id", nil},
		{"SaveMilestone new, no such owner", badOwner, func(tx model.Tx) error { return tx.SaveMilestone(badOwner) }, "owner_id", nil},
		{"AppendUpdate, finding not ready", complete, func(tx model.Tx) error { return tx.AppendUpdate(complete) }, "milestones", nil},
		{"AppendUpdate, no such finding", orphanUpdate, func(tx model.Tx) error { return tx.AppendUpdate(orphanUpdate) }, "finding_id", nil},
		{"AddEvidence, no such finding", orphanEvidence, func(tx model.Tx) error { return tx.AddEvidence(orphanEvidence, []byte("x")) }, "finding_id", nil},
		{"AddEvidence, too large", tooBig, func(tx model.Tx) error { return tx.AddEvidence(tooBig, make([]byte, model.MaxAttachmentSize+1)) }, "", model.ErrTooLarge},
		{"SaveEvidence, no title", &untitled, func(tx model.Tx) error { return tx.SaveEvidence(&untitled) }, "title", nil},
		{"SaveSubmission, no file name", &unnamed, func(tx model.Tx) error { return tx.SaveSubmission(&unnamed) }, "file_name", nil},
		{"SaveSubmission, no such submission", missingSub, func(tx model.Tx) error { return tx.SaveSubmission(missingSub) }, "", model.ErrNotFound},
		{"SaveReport, no title", badReport, func(tx model.Tx) error { return tx.SaveReport(badReport) }, "title", nil},
		{"SavePerson, bad email", badPerson, func(tx model.Tx) error { return tx.SavePerson(badPerson) }, "email", nil},
	} {
		t.Run(a.name, func(t *testing.T) {
			want := deepCopy(t, a.rec)
			// The caller carries on and commits: the failed call must
			// have stored nothing of its own.
			var err error
			mustUpdate(t, s, func(tx model.Tx) error { err = a.save(tx); return nil })
			switch {
			case a.field != "":
				if v := model.AsValidation(err); v.For(a.field) == "" {
					t.Fatalf("got %v, want a problem with %s", err, a.field)
				}
			case !errors.Is(err, a.is):
				t.Fatalf("got %v, want an error wrapping %q", err, a.is)
			}
			if !reflect.DeepEqual(a.rec, want) {
				t.Errorf("the failed save changed the caller's record:\n got %+v\nwant %+v", a.rec, want)
			}
			if after := countAll(t, s); after != before {
				t.Errorf("the failed save stored something: %+v, want %+v", after, before)
			}
		})
	}

	// The failed update, saved again once the finding is ready, is stored.
	mustUpdate(t, s, func(tx model.Tx) error {
		open.Completed = model.MustDate("31/10/2025")
		if err := tx.SaveMilestone(&open); err != nil {
			return err
		}
		return tx.AppendUpdate(complete)
	})
	mustView(t, s, func(tx model.ReadTx) error {
		if f := must(tx.Finding(base.Finding.ID)); f.Status != model.CompletePending || f.RAG != model.Blue {
			t.Errorf("the update saved again did not mark the finding complete: %s %s", f.Status, f.RAG)
		}
		return nil
	})
}

// deepCopy copies the record rec points to, with its own copies of the
// slices and maps in it, so that a change made through a shared slice
// (a filled-in revision) shows.
func deepCopy(t *testing.T, rec any) any {
	t.Helper()
	v := reflect.New(reflect.TypeOf(rec).Elem())
	v.Elem().Set(reflect.ValueOf(rec).Elem())
	deepen(v.Elem())
	return v.Interface()
}

func deepen(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				deepen(v.Field(i))
			}
		}
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		for i := range c.Len() {
			deepen(c.Index(i))
		}
		v.Set(c)
	case reflect.Map:
		if v.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			c.SetMapIndex(it.Key(), it.Value())
		}
		v.Set(c)
	}
}

// testFailedUpdateStoresNothing checks that when fn returns an error the
// transaction leaves no trace a reader can see: no record, no audit event,
// no file, no setting, and no reference number used up.
func testFailedUpdateStoresNothing(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	before := countAll(t, s)
	failure := errors.New("the import found a problem on row 12")
	var f model.Finding
	var e model.Evidence
	err := s.Update(context.Background(), model.Actor{Who: "Importer"}, func(tx model.Tx) error {
		f = model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "Rolled back", Verbatim: "x"}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		e = model.Evidence{FindingID: f.ID, Title: "File", FileName: "f.txt", EffectiveDate: model.MustDate("01/10/2025")}
		if err := tx.AddEvidence(&e, []byte("contents")); err != nil {
			return err
		}
		if err := tx.SaveSettings(model.Settings{ForceName: "Another Force", RefPrefix: "AF", Author: "Someone",
			DefaultMarking: model.Marking{Classification: model.Official}}); err != nil {
			return err
		}
		if err := tx.AppendUpdate(&model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/10/2025"), Narrative: "x",
			Status: model.InProgress}); err != nil {
			return err
		}
		if err := tx.DeleteFinding(f.ID); err != nil {
			return err
		}
		g := model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "Also rolled back", Verbatim: "x"}
		if err := tx.SaveFinding(&g); err != nil {
			return err
		}
		// The transaction sees its own writes.
		if got := must(tx.FindingByRef(g.Ref)); got.ID != g.ID {
			t.Errorf("the transaction does not see its own finding: %+v", got)
		}
		return failure
	})
	if !errors.Is(err, failure) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	if after := countAll(t, s); after != before {
		t.Errorf("a failed transaction left %+v, want %+v", after, before)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		if _, err := tx.Finding(f.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the rolled-back finding #%d: %v", f.ID, err)
		}
		if _, err := tx.FindingByRef(f.Ref); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the rolled-back reference %s: %v", f.Ref, err)
		}
		if _, err := tx.EvidenceFile(e.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the rolled-back file: %v", err)
		}
		if st := must(tx.Settings()); st.ForceName != "Kent Police" || st.Author != "Improvement Team" {
			t.Errorf("the rolled-back settings were kept: %+v", st)
		}
		if got := must(tx.Finding(base.Finding.ID)); !reflect.DeepEqual(got, base.Finding) {
			t.Errorf("the finding the rolled-back update set:\n got %+v\nwant %+v", got, base.Finding)
		}
		return nil
	})
	// References are what people see: one used up by a transaction that
	// never happened would leave a gap in the numbering. (IDs are not
	// shown, and a server's sequences may skip them.)
	var next model.Finding
	mustUpdate(t, s, func(tx model.Tx) error {
		next = model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "Kept", Verbatim: "x"}
		return tx.SaveFinding(&next)
	})
	if next.Ref != f.Ref {
		t.Errorf("the next finding got %s; the rolled-back %s should still be free", next.Ref, f.Ref)
	}
}

// testPanicInView checks that a bug in a View callback comes back as a
// program error, which says that nothing was saved, and never as damage to
// the register; and that the store works on afterwards.
func testPanicInView(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	for name, fn := range map[string]func(tx model.ReadTx) error{
		"index out of range": func(tx model.ReadTx) error {
			fs := must(tx.Findings())
			_ = fs[len(fs)+2]
			return nil
		},
		"nil map": func(tx model.ReadTx) error {
			var m map[string]int
			m[must(tx.Finding(base.Finding.ID)).Ref]++
			return nil
		},
		"panic with an error": func(tx model.ReadTx) error { panic(errors.New("a bug")) },
	} {
		t.Run(name, func(t *testing.T) {
			err := s.View(context.Background(), fn)
			wantProgramError(t, err)
		})
	}
	mustView(t, s, func(tx model.ReadTx) error {
		if got := must(tx.Finding(base.Finding.ID)); got.Ref != base.Finding.Ref {
			t.Errorf("after a panic the store reads %+v", got)
		}
		return nil
	})
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SavePerson(&model.Person{Name: "After the panic"}) })
}

// testPanicInUpdate checks that a bug in an Update callback is a program
// error, that nothing the callback wrote is stored, and that the store
// takes writes afterwards (the write lock was let go).
func testPanicInUpdate(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	before := countAll(t, s)
	err := update(s, func(tx model.Tx) error {
		if err := tx.SavePerson(&model.Person{Name: "Written before the bug"}); err != nil {
			return err
		}
		var f *model.Finding
		return tx.SaveFinding(f) // nil
	})
	wantProgramError(t, err)
	if after := countAll(t, s); after != before {
		t.Errorf("a panicking update left %+v, want %+v", after, before)
	}
	mustUpdate(t, s, func(tx model.Tx) error {
		f := base.Finding
		f.Interpretation = "After the panic."
		return tx.SaveFinding(&f)
	})
}

// wantProgramError checks that err is a program error in words, never
// damage.
func wantProgramError(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, model.ErrProgram) {
		t.Fatalf("got %v, want a program error", err)
	}
	if errors.Is(err, model.ErrDamaged) || strings.Contains(err.Error(), "damaged") {
		t.Errorf("a bug was reported as damage: %v", err)
	}
	if !strings.Contains(err.Error(), "program error") || !strings.Contains(err.Error(), "nothing was saved") {
		t.Errorf("the message does not say it is a program error and nothing was saved: %v", err)
	}
}

// testCancelledContext checks that View and Update given a context that is
// already cancelled return its error without running fn.
func testCancelledContext(t *testing.T, s model.Store, _ *Clock) {
	Seed(t, s)
	before := countAll(t, s)
	for name, cause := range map[string]func() (context.Context, error){
		"cancelled": func() (context.Context, error) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx, context.Canceled
		},
		"deadline passed": func() (context.Context, error) {
			ctx, cancel := context.WithDeadline(context.Background(), Start.AddDate(-1, 0, 0))
			t.Cleanup(cancel)
			return ctx, context.DeadlineExceeded
		},
	} {
		t.Run(name, func(t *testing.T) {
			ctx, want := cause()
			ran := false
			err := s.View(ctx, func(tx model.ReadTx) error { ran = true; return nil })
			if !errors.Is(err, want) || ran {
				t.Errorf("View: %v, fn ran: %v; want %v and fn not run", err, ran, want)
			}
			err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
				ran = true
				return tx.SavePerson(&model.Person{Name: "Too late"})
			})
			if !errors.Is(err, want) || ran {
				t.Errorf("Update: %v, fn ran: %v; want %v and fn not run", err, ran, want)
			}
			if after := countAll(t, s); after != before {
				t.Errorf("a cancelled update left %+v, want %+v", after, before)
			}
		})
	}
}
