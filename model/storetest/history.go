package storetest

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// testEvidenceFiles checks attached files: stored with their digest and
// size, too large ones refused in words, details changeable but the file
// not, and the file gone with its evidence. That a file altered behind the
// store's back is caught on read needs a way behind the store's back, so
// each store tests it beside itself.
func testEvidenceFiles(t *testing.T, s model.Store, c *Clock) {
	base := Seed(t, s)
	big := bytes.Repeat([]byte("evidence"), model.MaxAttachmentSize/8+1)[:model.MaxAttachmentSize+1]
	err := update(s, func(tx model.Tx) error {
		return tx.AddEvidence(&model.Evidence{FindingID: base.Finding.ID, Title: "Body-worn video", FileName: "video.mp4",
			EffectiveDate: model.MustDate("01/10/2025")}, big)
	})
	wantIs(t, err, model.ErrTooLarge)
	if !strings.Contains(err.Error(), "video.mp4") || !strings.Contains(err.Error(), "25 MB") {
		t.Errorf("the message does not say which file or the limit: %v", err)
	}
	exact := big[:model.MaxAttachmentSize]
	e := model.Evidence{FindingID: base.Finding.ID, Title: "Force policy", FileName: "policy.pdf", EffectiveDate: model.MustDate("01/10/2025")}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.AddEvidence(&e, exact) })
	if e.SHA256 != model.Digest(exact) || e.FileSize != model.MaxAttachmentSize {
		t.Errorf("a file at the limit: digest %q, size %d", e.SHA256, e.FileSize)
	}
	small := model.Evidence{FindingID: base.Finding.ID, Title: "Minutes", FileName: "minutes.txt", EffectiveDate: model.MustDate("02/10/2025")}
	content := []byte("Board minutes: the plan was approved.")
	buf := append([]byte(nil), content...)
	mustUpdate(t, s, func(tx model.Tx) error { return tx.AddEvidence(&small, buf) })
	// The caller's buffer is its own again once the call returns.
	copy(buf, "XXXXX")
	noFile := model.Evidence{FindingID: base.Finding.ID, Title: "Shared drive folder", Location: `\\kent\share\plan`,
		FileName: "ignored.txt", EffectiveDate: model.MustDate("03/10/2025")}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.AddEvidence(&noFile, nil) })
	if noFile.FileName != "" || noFile.SHA256 != "" || noFile.FileSize != 0 || noFile.HasFile() {
		t.Errorf("evidence without a file claims one: %+v", noFile)
	}
	// Details can change; the file cannot be swapped.
	c.Advance(time.Hour)
	small.Title = "Board minutes"
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveEvidence(&small) })
	swapped := small
	swapped.SHA256 = strings.Repeat("0", 64)
	err = update(s, func(tx model.Tx) error { return tx.SaveEvidence(&swapped) })
	if v := model.AsValidation(err); v.For("file_name") == "" {
		t.Errorf("swapping the file gave %v", err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		if got := must(tx.EvidenceFile(e.ID)); !reflect.DeepEqual(got, exact) {
			t.Errorf("the file at the limit came back with %d bytes, not as stored", len(got))
		}
		if got := must(tx.EvidenceFile(small.ID)); string(got) != string(content) {
			t.Errorf("the minutes came back as %q", got)
		}
		if _, err := tx.EvidenceFile(noFile.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the file of evidence without one gave %v", err)
		}
		if _, err := tx.EvidenceFile(999); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the file of missing evidence gave %v", err)
		}
		stored := must(tx.Evidence(base.Finding.ID))
		if len(stored) != 3 || stored[1].Title != "Board minutes" || stored[1].SHA256 != model.Digest(content) || !stored[1].Added.Equal(Start) {
			t.Errorf("stored evidence: %+v", stored)
		}
		return nil
	})
	// Deleting evidence takes its file with it, and is audited.
	mustUpdate(t, s, func(tx model.Tx) error { return tx.DeleteEvidence(small.ID) })
	mustView(t, s, func(tx model.ReadTx) error {
		if _, err := tx.EvidenceFile(small.ID); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the file of deleted evidence gave %v", err)
		}
		events := must(tx.Audit(base.Finding.ID))
		if ev := events[len(events)-1]; ev.Action != model.ActionDelete || ev.Entity != model.EntityEvidence || ev.EntityID != small.ID {
			t.Errorf("the deletion's event: %+v", ev)
		}
		return nil
	})
}

// fivePeople saves one person on each of five days, from the day after
// the clock's start, and returns the times.
func fivePeople(t *testing.T, s model.Store, c *Clock) []time.Time {
	var at []time.Time
	for i := range 5 {
		c.Advance(24 * time.Hour)
		at = append(at, c.Now())
		mustUpdate(t, s, func(tx model.Tx) error {
			return tx.SavePerson(&model.Person{Name: "Person " + string(rune('A'+i))})
		})
	}
	return at
}

// testAuditSince checks that the transaction's AuditSince lists what
// filtering the whole trail by time gives, oldest first, at and around
// each event's time.
func testAuditSince(t *testing.T, s model.Store, c *Clock) {
	at := fivePeople(t, s, c)
	mustView(t, s, func(tx model.ReadTx) error {
		since, ok := tx.(model.AuditSincer)
		if !ok {
			t.Fatal("the store's read transaction has no AuditSince")
		}
		all := must(tx.Audit(0))
		if len(all) != 5 {
			t.Fatalf("%d events, want 5", len(all))
		}
		cuts := []time.Time{at[0].Add(-time.Hour), at[4].Add(time.Hour), {}}
		for _, a := range at {
			cuts = append(cuts, a, a.Add(-time.Nanosecond), a.Add(12*time.Hour))
		}
		for _, cut := range cuts {
			var want []model.ID
			for _, e := range all {
				if e.At.After(cut) {
					want = append(want, e.ID)
				}
			}
			var got []model.ID
			for _, e := range must(since.AuditSince(cut)) {
				got = append(got, e.ID)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("events after %s: got %v, want %v (oldest first)", cut, got, want)
			}
		}
		// Whole events, not just their IDs.
		if got := must(since.AuditSince(at[2].Add(-time.Hour))); len(got) != 3 || !reflect.DeepEqual(got, all[2:]) {
			t.Errorf("events since the third save:\n got %+v\nwant %+v", got, all[2:])
		}
		return nil
	})
}

// testAuditBetween checks that a span of a finding's history is what
// filtering the whole history by time gives, for spans that take in none,
// some and all of its events, and that another finding's events stay out.
func testAuditBetween(t *testing.T, s model.Store, c *Clock) {
	sd := Seed(t, s)
	start := c.Now()
	other := model.Finding{ReportID: sd.Report.ID, Type: model.AFI, Title: "Other", Verbatim: "Other."}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&other) })
	for _, st := range []model.Status{model.InProgress, model.CompletePending} {
		c.Advance(24 * time.Hour)
		rag := model.Green
		if st.InClosure() {
			rag = model.Blue // Blue means complete
		}
		for _, id := range []model.ID{sd.Finding.ID, other.ID} {
			u := model.Update{FindingID: id, Date: model.DateOf(c.Now()), Narrative: "Moved on.", Status: st, RAG: rag}
			mustUpdate(t, s, func(tx model.Tx) error { return tx.AppendUpdate(&u) })
		}
	}
	c.Advance(24 * time.Hour)
	f := sd.Finding
	mustView(t, s, func(tx model.ReadTx) error { f = must(tx.Finding(f.ID)); return nil })
	f.GovernanceBoard = "Chief Officer Group"
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	mustView(t, s, func(tx model.ReadTx) error {
		ab, ok := tx.(model.AuditBetweener)
		if !ok {
			t.Fatal("the store's read transaction has no AuditBetween")
		}
		all := must(tx.Audit(sd.Finding.ID))
		if len(all) != 6 { // created; two updates, each changing the finding; the board
			t.Fatalf("the finding's history has %d events, want 6: %+v", len(all), all)
		}
		for _, span := range [][2]time.Time{
			{start.Add(-time.Hour), c.Now()},
			{start, c.Now()},
			{start.Add(-time.Nanosecond), start},
			{start, start.Add(36 * time.Hour)},
			{start.Add(36 * time.Hour), c.Now().Add(-time.Hour)},
			{c.Now(), c.Now().Add(time.Hour)},
			{c.Now().Add(-time.Nanosecond), c.Now()},
			{c.Now(), start}, // an empty span
		} {
			var want []model.AuditEvent
			for _, e := range all {
				if e.At.After(span[0]) && !e.At.After(span[1]) {
					want = append(want, e)
				}
			}
			got := must(ab.AuditBetween(sd.Finding.ID, span[0], span[1]))
			if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("events after %s and by %s: got %d %+v, want %d %+v", span[0], span[1], len(got), got, len(want), want)
			}
		}
		return nil
	})
}

// testSnapshotAsAt takes the Kent sample as it stood at the end of Q3
// 2025/26, makes every kind of edit after that date (through the store, so
// the audit trail is the store's own), and takes the same snapshot again:
// nothing in it may change.
func testSnapshotAsAt(t *testing.T, s model.Store, c *Clock) {
	c.Set(time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local))
	if err := seed(s); err != nil {
		t.Fatal(err)
	}
	asAt := model.MustDate("31/12/2025")
	take := func() *model.Snapshot {
		var snap *model.Snapshot
		mustView(t, s, func(tx model.ReadTx) (err error) { snap, err = model.TakeSnapshot(tx, asAt); return })
		return snap
	}
	before := take()
	if len(before.Findings) == 0 || len(before.Milestones) == 0 || len(before.Updates) == 0 {
		t.Fatalf("the sample's snapshot is empty: %d findings", len(before.Findings))
	}

	c.Advance(24 * time.Hour)
	now := c.Now()
	err := s.Update(t.Context(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		for _, f := range before.Findings {
			cur, err := tx.Finding(f.ID)
			if err != nil {
				return err
			}
			cur.Title += " (renamed)"
			if !cur.CurrentTarget.IsZero() {
				to := cur.CurrentTarget.AddDays(60)
				cur.TargetRevisions = append(cur.TargetRevisions, model.Revision{From: cur.CurrentTarget, To: to, Reason: "Later slip", AgreedBy: "Board"})
				cur.CurrentTarget = to
			}
			if err := tx.SaveFinding(&cur); err != nil {
				return err
			}
			if err := tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(now), Narrative: "Later news",
				Status: model.InProgress, RAG: model.Red}); err != nil {
				return err
			}
		}
		ms, err := tx.Milestones(0)
		if err != nil {
			return err
		}
		for i, m := range ms {
			if i%2 == 0 {
				if err := tx.DeleteMilestone(m.ID); err != nil {
					return err
				}
				continue
			}
			m.Completed = model.DateOf(now)
			if err := tx.SaveMilestone(&m); err != nil {
				return err
			}
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		for _, p := range people {
			p.Name = "New " + p.Name
			if err := tx.SavePerson(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	after := take()
	for name, pair := range map[string][2]any{
		"findings":   {before.Findings, after.Findings},
		"milestones": {before.Milestones, after.Milestones},
		"updates":    {before.Updates, after.Updates},
		"evidence":   {before.Evidence, after.Evidence},
		"people":     {before.People, after.People},
		"reports":    {before.Reports, after.Reports},
	} {
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("the %s as at %s changed after later edits", name, asAt)
			b, a := reflect.ValueOf(pair[0]), reflect.ValueOf(pair[1])
			if b.Kind() == reflect.Slice {
				for i := 0; i < min(b.Len(), a.Len()); i++ {
					if !reflect.DeepEqual(b.Index(i).Interface(), a.Index(i).Interface()) {
						t.Errorf("first difference, item %d:\nbefore %+v\nafter  %+v", i, b.Index(i).Interface(), a.Index(i).Interface())
						break
					}
				}
			}
		}
	}
	if !reflect.DeepEqual(before.Count(nil), after.Count(nil)) || !reflect.DeepEqual(before.OverdueFindings(), after.OverdueFindings()) {
		t.Error("the counts or the overdue list as at the date changed after later edits")
	}
}
