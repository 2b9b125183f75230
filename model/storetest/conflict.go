package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// conflictSentence is the refusal a person reads, with the colleague's
// name and the time of their save in the computer's own time.
func conflictSentence(who, what string, at time.Time) string {
	at = at.Local()
	return fmt.Sprintf("%s saved this %s at %s on %s, after you opened it; your changes have not been saved",
		who, what, at.Format("15:04"), at.Format("2 January 2006"))
}

// wantConflict fails unless err is a conflict naming who saved entity id
// at at, now stored as version stored, refusing a save based on yours.
func wantConflict(t *testing.T, err error, entity model.Entity, id model.ID, who string, at time.Time, stored, yours uint64) {
	t.Helper()
	if !errors.Is(err, model.ErrConflict) {
		t.Fatalf("the second save gave %v, want a conflict", err)
	}
	c := model.AsConflict(err)
	if c == nil {
		t.Fatalf("%v is not a *model.ConflictError", err)
	}
	if c.Entity != entity || c.ID != id || c.Who != who || !c.At.Equal(at) || c.Stored != stored || c.Yours != yours {
		t.Errorf("conflict %+v; want %s #%d saved by %s at %v, stored version %d, yours %d", c, entity, id, who, at, stored, yours)
	}
	if got, want := err.Error(), conflictSentence(who, string(entity), at); !strings.Contains(got, want) {
		t.Errorf("the refusal says %q; want %q", got, want)
	}
}

// testConflicts checks optimistic concurrency: two people read the same
// finding (or milestone); the first save wins, and the second is refused
// with the first one's name and time, changing nothing, until it is made
// again on the version now stored. Every write to a finding moves its
// version on, the status an update sets included.
func testConflicts(t *testing.T, s model.Store, c *Clock) {
	base := Seed(t, s)
	if base.Finding.Version != 1 {
		t.Fatalf("a new finding has version %d, want 1", base.Finding.Version)
	}
	read := func() model.Finding {
		var f model.Finding
		mustView(t, s, func(tx model.ReadTx) error { f = must(tx.Finding(base.Finding.ID)); return nil })
		return f
	}
	jane, sam := read(), read()

	c.Advance(90 * time.Minute)
	janeAt := c.Now()
	jane.Interpretation = "Jane's reading of the finding."
	if err := s.Update(context.Background(), model.Actor{Who: "Jane Smith"}, func(tx model.Tx) error { return tx.SaveFinding(&jane) }); err != nil {
		t.Fatal(err)
	}
	if jane.Version != 2 {
		t.Fatalf("after Jane's save her copy has version %d, want 2", jane.Version)
	}
	stored := read()
	if stored.Version != 2 || stored.Interpretation != jane.Interpretation {
		t.Fatalf("stored after Jane's save: version %d, interpretation %q", stored.Version, stored.Interpretation)
	}

	before, trail := countAll(t, s), countAll(t, s).Audit
	c.Advance(10 * time.Minute)
	sam.Title = "Sam's new title"
	samsCopy := sam
	err := s.Update(context.Background(), model.Actor{Who: "Sam Patel"}, func(tx model.Tx) error { return tx.SaveFinding(&sam) })
	wantConflict(t, err, model.EntityFinding, base.Finding.ID, "Jane Smith", janeAt, 2, 1)
	if c := model.AsConflict(err); c != nil && c.Name != base.Finding.Ref {
		t.Errorf("the conflict names %q, want %s", c.Name, base.Finding.Ref)
	}
	if sam.Version != samsCopy.Version || sam.Title != samsCopy.Title || !sam.Modified.Equal(samsCopy.Modified) {
		t.Errorf("the refused save changed Sam's copy: %+v", sam)
	}
	if after := countAll(t, s); after != before || after.Audit != trail {
		t.Errorf("the refused save left %+v, want %+v", after, before)
	}
	if got := read(); got.Title != base.Finding.Title || got.Interpretation != jane.Interpretation || got.Version != 2 || !got.Modified.Equal(janeAt) {
		t.Errorf("after the refused save the finding is %q / %q, version %d, modified %v; want Jane's, version 2", got.Title, got.Interpretation, got.Version, got.Modified)
	}

	// Sam re-applies the change to the version now stored: both stand.
	again := read()
	again.Title = sam.Title
	if err := s.Update(context.Background(), model.Actor{Who: "Sam Patel"}, func(tx model.Tx) error { return tx.SaveFinding(&again) }); err != nil {
		t.Fatalf("the re-applied save: %v", err)
	}
	if got := read(); got.Version != 3 || got.Title != "Sam's new title" || got.Interpretation != jane.Interpretation {
		t.Errorf("after Sam re-applied: version %d, %q / %q; want version 3 with both changes", got.Version, got.Title, got.Interpretation)
	}

	// Saving a copy unchanged is no write and keeps the version.
	same := read()
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&same) })
	if same.Version != 3 || read().Version != 3 {
		t.Errorf("an unchanged save moved the version to %d", read().Version)
	}

	// An update that sets the status writes to the finding too: a copy
	// read before it is out of date.
	stale := read()
	c.Advance(time.Minute)
	updateAt := c.Now()
	mustUpdateAs(t, s, "Jo Bloggs", func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: base.Finding.ID, Date: model.DateOf(c.Now()), Narrative: "Work has begun.",
			Status: model.InProgress, RAG: model.Green})
	})
	if got := read(); got.Version != 4 || got.Status != model.InProgress {
		t.Fatalf("after the update: version %d, status %s; want 4, in progress", got.Version, got.Status)
	}
	stale.Area = "Protecting vulnerable people"
	err = update(s, func(tx model.Tx) error { return tx.SaveFinding(&stale) })
	wantConflict(t, err, model.EntityFinding, base.Finding.ID, "Jo Bloggs", updateAt, 4, 3)

	// A copy put together afresh under an existing ID, not read from the
	// register, does not overwrite it either.
	afresh := model.Finding{ID: base.Finding.ID, ReportID: base.Report.ID, Type: model.AFI, Title: "Afresh", Verbatim: "Afresh.",
		Status: model.InProgress, RAG: model.Green, CurrentTarget: base.Finding.CurrentTarget}
	wantIs(t, update(s, func(tx model.Tx) error { return tx.SaveFinding(&afresh) }), model.ErrConflict)

	// Milestones: the same.
	m := model.Milestone{FindingID: base.Finding.ID, Title: "Recruit 12 investigators", CurrentDue: model.MustDate("30/06/2026")}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveMilestone(&m) })
	if m.Version != 1 {
		t.Fatalf("a new milestone has version %d, want 1", m.Version)
	}
	first, second := m, m
	c.Advance(time.Minute)
	firstAt := c.Now()
	first.Notes = "Advert out."
	mustUpdateAs(t, s, "Jane Smith", func(tx model.Tx) error { return tx.SaveMilestone(&first) })
	second.OwnerID = base.Jo.ID
	trail = countAll(t, s).Audit
	err = s.Update(context.Background(), model.Actor{Who: "Sam Patel"}, func(tx model.Tx) error { return tx.SaveMilestone(&second) })
	wantConflict(t, err, model.EntityMilestone, m.ID, "Jane Smith", firstAt, 2, 1)
	mustView(t, s, func(tx model.ReadTx) error {
		ms := must(tx.Milestones(base.Finding.ID))
		if len(ms) != 1 || ms[0].Notes != "Advert out." || ms[0].OwnerID != 0 || ms[0].Version != 2 {
			t.Errorf("after the refused save the milestone is %+v; want Jane's, version 2", ms)
		}
		return nil
	})
	if n := countAll(t, s).Audit; n != trail {
		t.Errorf("the refused milestone save wrote %d audit events", n-trail)
	}

	testUnversioned(t, s, base)
}

// rawWriter is a store that can write records without the register's
// rules, as copying a register in does.
type rawWriter interface {
	UpdateRecords(ctx context.Context, fn func(rec model.RecordWriter) error) error
}

// testUnversioned checks that a finding stored before versions were kept
// (version 0, as every older file and server holds them) is read and saved
// as before, and is versioned from its first save.
func testUnversioned(t *testing.T, s model.Store, base Seeded) {
	raw, ok := s.(rawWriter)
	if !ok {
		return
	}
	var old model.Finding
	mustView(t, s, func(tx model.ReadTx) error { old = must(tx.Finding(base.Finding.ID)); return nil })
	old.Version = 0
	if err := raw.UpdateRecords(context.Background(), func(rec model.RecordWriter) error {
		return rec.Put(model.KindFinding, old.ID, &old)
	}); err != nil {
		t.Fatal(err)
	}
	a, b := old, old
	a.Area = "Leadership"
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&a) })
	if a.Version != 1 {
		t.Errorf("the first save of an unversioned finding gave version %d, want 1", a.Version)
	}
	b.Area = "Something else"
	wantIs(t, update(s, func(tx model.Tx) error { return tx.SaveFinding(&b) }), model.ErrConflict)
}

// mustUpdateAs is mustUpdate as a named person.
func mustUpdateAs(t *testing.T, s model.Store, who string, fn func(tx model.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), model.Actor{Who: who}, fn); err != nil {
		t.Fatal(err)
	}
}

// testControlCharacters checks that no store takes a control character
// other than tab, carriage return and line feed in any text (PostgreSQL
// cannot hold NUL at all), that the refusal names the field, and that
// tabs and line breaks are kept.
func testControlCharacters(t *testing.T, s model.Store, _ *Clock) {
	base := Seed(t, s)
	before := countAll(t, s)
	for _, tc := range []struct {
		name, field string
		save        func(tx model.Tx) error
	}{
		{"finding title NUL", "title", func(tx model.Tx) error {
			f := base.Finding
			f.Title = "Domestic abuse\x00 team"
			return tx.SaveFinding(&f)
		}},
		{"new finding wording", "verbatim", func(tx model.Tx) error {
			return tx.SaveFinding(&model.Finding{ReportID: base.Report.ID, Type: model.AFI, Title: "T", Verbatim: "Page one\fpage two"})
		}},
		{"revision reason", "target_revisions", func(tx model.Tx) error {
			f := base.Finding
			f.CurrentTarget = model.MustDate("30/06/2026")
			f.TargetRevisions = []model.Revision{{To: f.CurrentTarget, Reason: "bell\x07", AgreedBy: "Board"}}
			return tx.SaveFinding(&f)
		}},
		{"person", "name", func(tx model.Tx) error { return tx.SavePerson(&model.Person{Name: "Jo\x1bBloggs"}) }},
		{"report", "title", func(tx model.Tx) error {
			return tx.SaveReport(&model.Report{Title: "PEEL\x00", Type: model.PEEL})
		}},
		{"milestone", "notes", func(tx model.Tx) error {
			return tx.SaveMilestone(&model.Milestone{FindingID: base.Finding.ID, Title: "Step", Notes: "a\x00b"})
		}},
		{"update", "narrative", func(tx model.Tx) error {
			return tx.AppendUpdate(&model.Update{FindingID: base.Finding.ID, Date: model.MustDate("01/12/2025"), Narrative: "x\x00",
				Status: model.NotStarted, Author: "Jo"})
		}},
		{"evidence", "location", func(tx model.Tx) error {
			return tx.AddEvidence(&model.Evidence{FindingID: base.Finding.ID, Title: "Minutes", Location: "S:\\x\x00",
				EffectiveDate: model.MustDate("01/12/2025")}, nil)
		}},
		{"settings", "force_name", func(tx model.Tx) error {
			return tx.SaveSettings(model.Settings{ForceName: "Kent\x00", RefPrefix: "KEN"})
		}},
		{"submission", "rows", func(tx model.Tx) error {
			return tx.SaveSubmission(&model.Submission{Kind: model.SubmissionReturn, FileName: "q3.xlsx",
				Rows: []model.SnapshotRow{{Ref: "KEN-1", Values: map[string]string{"Title": "a\x00"}}}})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := update(s, tc.save)
			v := model.AsValidation(err)
			if v == nil || !strings.Contains(v.For(tc.field), "control character (U+") || !strings.Contains(v.For(tc.field), "cannot be stored") {
				t.Fatalf("got %v; want the %s refused for its control character", err, tc.field)
			}
		})
	}
	// The message names the character and the field, in words.
	err := update(s, func(tx model.Tx) error {
		f := base.Finding
		f.Title = "Domestic abuse\x00 team"
		return tx.SaveFinding(&f)
	})
	if want := "Title: contains a control character (U+0000), which cannot be stored; remove it and save again"; err == nil || err.Error() != want {
		t.Errorf("the refusal says %q; want %q", err, want)
	}
	// The name in the audit trail, which comes from the caller.
	err = s.Update(context.Background(), model.Actor{Who: "Jo\x00"}, func(tx model.Tx) error {
		return tx.SavePerson(&model.Person{Name: "Sam"})
	})
	if v := model.AsValidation(err); v.For("who") == "" {
		t.Errorf("a control character in the actor's name gave %v", err)
	}
	if after := countAll(t, s); after != before {
		t.Errorf("the refused saves left %+v, want %+v", after, before)
	}

	// Tabs and line breaks are text.
	f := base.Finding
	f.Interpretation = "First line\r\nsecond\tline\n"
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	mustView(t, s, func(tx model.ReadTx) error {
		if got := must(tx.Finding(f.ID)).Interpretation; got != f.Interpretation {
			t.Errorf("interpretation read back as %q, want %q", got, f.Interpretation)
		}
		return nil
	})
}
