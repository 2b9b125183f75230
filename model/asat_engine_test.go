package model_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/memstore"
	"improvementtracker/testkit/synthetic"
)

// plainTx is a read transaction with only what the snapshot engine used
// before it could read the audit trail and the updates in part: the whole
// of AuditSince and AuditBetween, and every update in full.
type plainTx struct {
	model.ReadTx
}

func (p plainTx) AuditSince(t time.Time) ([]model.AuditEvent, error) {
	return p.ReadTx.(model.AuditSincer).AuditSince(t)
}

func (p plainTx) AuditBetween(id model.ID, after, until time.Time) ([]model.AuditEvent, error) {
	return p.ReadTx.(model.AuditBetweener).AuditBetween(id, after, until)
}

// The lean snapshot engine (the register file's direct decoding, the audit
// trail without the events a snapshot does not use, rolling back only the
// changed fields, narratives read only where needed) gives exactly the
// snapshot the plain engine gives: the same register written into the file
// store and into the memory store (which decodes with encoding/json), each
// read as at several dates, before, during and after its history, and with
// the narratives limited to a period and to each finding's latest.
func TestLeanSnapshotEqualsPlain(t *testing.T) {
	for _, c := range []struct {
		name  string
		clock time.Time
		load  func(s model.Store, clock *time.Time) error
		dates []model.Date
	}{
		{"synthetic", synthetic.Clock, func(s model.Store, _ *time.Time) error { return synthetic.Generate(s, synthetic.Small) },
			[]model.Date{model.MustDate("31/03/2016"), model.MustDate("30/06/2022"), model.MustDate("25/08/2025"),
				model.MustDate("23/11/2025"), model.MustDate("24/11/2025"), model.MustDate("31/12/2025")}},
		{"sample with later edits", time.Date(2025, 12, 20, 10, 0, 0, 0, time.Local), loadAndEdit,
			[]model.Date{model.MustDate("31/03/2024"), model.MustDate("30/09/2025"), model.MustDate("31/12/2025"),
				model.MustDate("19/01/2026"), model.MustDate("20/01/2026"), model.MustDate("22/01/2026"), model.MustDate("24/01/2026"), model.MustDate("31/03/2026")}},
	} {
		t.Run(c.name, func(t *testing.T) {
			clock := c.clock
			now := func() time.Time { return clock }
			file, err := bolt.Open(filepath.Join(t.TempDir(), "r.db"), bolt.Options{Now: now, NoBackup: true})
			if err != nil {
				t.Fatal(err)
			}
			defer file.Close()
			mem := memstore.New(now)
			for _, s := range []model.Store{file, mem} {
				clock = c.clock
				if err := c.load(s, &clock); err != nil {
					t.Fatal(err)
				}
			}
			for _, asAt := range c.dates {
				var want *model.Snapshot
				model.WithRollBack(func() {
					view(t, mem, func(tx model.ReadTx) (err error) { want, err = model.TakeSnapshot(plainTx{tx}, asAt); return })
				})
				for _, from := range []model.Date{{}, asAt.AddDays(-91), asAt.AddDays(1)} {
					var got *model.Snapshot
					view(t, file, func(tx model.ReadTx) (err error) {
						got, err = model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: from})
						return
					})
					sameSnapshot(t, asAt, from, got, withNarrativesFrom(want, from))
					if from.IsZero() {
						continue
					}
					// As a return and the dashboard take it.
					view(t, file, func(tx model.ReadTx) (err error) {
						got, err = model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: from, UpdatesFrom: from})
						return
					})
					sameSnapshot(t, asAt, from, got, withUpdatesFrom(withNarrativesFrom(want, from), from))
				}
				if len(want.Findings) == 0 && asAt.After(model.MustDate("01/01/2020")) {
					t.Errorf("as at %s the snapshot is empty: nothing compared", asAt)
				}
			}
		})
	}
}

// withNarrativesFrom is what a snapshot taken with NarrativesFrom holds
// of s: the narratives of updates dated from from, and each finding's
// latest.
func withNarrativesFrom(s *model.Snapshot, from model.Date) *model.Snapshot {
	if from.IsZero() {
		return s
	}
	out := *s
	out.NarrativesFrom = from
	out.Updates = append([]model.Update(nil), s.Updates...)
	for i, u := range out.Updates {
		latest := i == len(out.Updates)-1 || out.Updates[i+1].FindingID != u.FindingID
		if u.Date.Before(from) && !latest {
			out.Updates[i].Narrative = ""
		}
	}
	return &out
}

// withUpdatesFrom is what a snapshot taken with UpdatesFrom holds of s:
// the updates dated from from, and each finding's latest before it.
func withUpdatesFrom(s *model.Snapshot, from model.Date) *model.Snapshot {
	out := *s
	out.UpdatesFrom = from
	out.Updates = nil
	for i, u := range s.Updates {
		next := i+1 < len(s.Updates) && s.Updates[i+1].FindingID == u.FindingID
		if !u.Date.Before(from) || !next || !s.Updates[i+1].Date.Before(from) {
			out.Updates = append(out.Updates, u)
		}
	}
	return &out
}

func sameSnapshot(t *testing.T, asAt, from model.Date, got, want *model.Snapshot) {
	t.Helper()
	for name, pair := range map[string][2]any{
		"findings":        {got.Findings, want.Findings},
		"milestones":      {got.Milestones, want.Milestones},
		"updates":         {got.Updates, want.Updates},
		"evidence":        {got.Evidence, want.Evidence},
		"people":          {got.People, want.People},
		"reports":         {got.Reports, want.Reports},
		"settings":        {got.Settings, want.Settings},
		"narratives from": {got.NarrativesFrom, want.NarrativesFrom},
		"updates from":    {got.UpdatesFrom, want.UpdatesFrom},
	} {
		if reflect.DeepEqual(pair[0], pair[1]) {
			continue
		}
		t.Errorf("as at %s, narratives from %s: the %s differ", asAt, from, name)
		g, w := reflect.ValueOf(pair[0]), reflect.ValueOf(pair[1])
		if g.Kind() != reflect.Slice {
			continue
		}
		if g.Len() != w.Len() {
			t.Errorf("%d %s, want %d", g.Len(), name, w.Len())
		}
		for i := range min(g.Len(), w.Len()) {
			if !reflect.DeepEqual(g.Index(i).Interface(), w.Index(i).Interface()) {
				t.Errorf("first difference, item %d:\n lean  %+v\n plain %+v", i, g.Index(i).Interface(), w.Index(i).Interface())
				break
			}
		}
	}
	// What the dashboard and the return compute from them.
	if !reflect.DeepEqual(got.Count(nil), want.Count(nil)) || !reflect.DeepEqual(got.Exceptions(), want.Exceptions()) ||
		!reflect.DeepEqual(got.SlippedMilestones(), want.SlippedMilestones()) {
		t.Errorf("as at %s, narratives from %s: the counts, exceptions or slipped milestones differ", asAt, from)
	}
}

func view(t *testing.T, s model.Store, fn func(tx model.ReadTx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// loadAndEdit loads the sample, then a month later (20 January 2026) changes every kind of
// record (renames, a target revision, a status set directly, new updates,
// a milestone completed and one deleted, evidence deleted, a person
// renamed), so that as-at dates before then are rolled back.
func loadAndEdit(s model.Store, clock *time.Time) error {
	if err := sample.Load(s); err != nil {
		return err
	}
	*clock = clock.AddDate(0, 0, 31)
	if err := edit(s); err != nil {
		return err
	}
	// Four days later the same fields change again: rolled back to
	// before both, each reads as it was before the first.
	*clock = clock.AddDate(0, 0, 4)
	return s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for i, f := range fs {
			if i%3 != 0 {
				continue
			}
			f.Title += " again"
			if f.Status.IsOpen() {
				f.RAG = model.Green
			}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		for _, p := range people {
			p.Role += " (acting)"
			if err := tx.SavePerson(&p); err != nil {
				return err
			}
		}
		// A finding entered in error and deleted: rebuilt as at the
		// dates before, with the time it was created read from its
		// trail, which the lean read of the history leaves out.
		return tx.DeleteFinding(fs[len(fs)-1].ID)
	})
}

func edit(s model.Store) error {
	return s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for i, f := range fs {
			if i%3 != 0 {
				continue
			}
			f.Title += " (renamed)"
			if !f.CurrentTarget.IsZero() && f.Status.IsOpen() {
				to := f.CurrentTarget.AddDays(45)
				f.TargetRevisions = append(f.TargetRevisions, model.Revision{From: f.CurrentTarget, To: to, Reason: "Slipped", AgreedBy: "Board"})
				f.CurrentTarget = to
			}
			if f.Status.IsOpen() && i%2 == 0 {
				f.RAG = model.Red
			}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			if f.Status.IsOpen() {
				if err := tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.MustDate("15/01/2026"), Narrative: "Later news",
					Status: model.InProgress, RAG: model.Amber}); err != nil {
					return err
				}
			}
		}
		ms, err := tx.Milestones(0)
		if err != nil {
			return err
		}
		for i, m := range ms {
			switch {
			case i%4 == 0:
				if err := tx.DeleteMilestone(m.ID); err != nil {
					return err
				}
			case i%4 == 1 && m.Completed.IsZero():
				m.Completed = model.MustDate("10/01/2026")
				if err := tx.SaveMilestone(&m); err != nil {
					return err
				}
			}
		}
		ev, err := tx.Evidence(0)
		if err != nil {
			return err
		}
		for i, e := range ev {
			if i%3 == 0 {
				if err := tx.DeleteEvidence(e.ID); err != nil {
					return err
				}
			}
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		p := people[0]
		p.Name = "New " + p.Name
		return tx.SavePerson(&p)
	})
}
