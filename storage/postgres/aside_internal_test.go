package postgres

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
	"improvementtracker/testkit/pgtest"
)

// TestAsideReadsTheViewsSnapshot: the findings, milestones and evidence a
// snapshot reads on other connections are those of the view's own
// snapshot, though a colleague saves a change to the finding and to a
// milestone, a new milestone and new evidence after the view began and
// before the other connections begin their transactions; the next view
// sees them, so the save did commit.
func TestAsideReadsTheViewsSnapshot(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := Init(ctx, url, Options{}); err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC) }
	open := func() *Store {
		s, err := Open(ctx, url, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	s, colleague := open(), open()
	seeded := storetest.Seed(t, s)
	m := model.Milestone{FindingID: seeded.Finding.ID, Title: "Recruit two investigators", OriginalDue: model.MustDate("31/01/2026"),
		CurrentDue: model.MustDate("31/01/2026")}
	e := model.Evidence{FindingID: seeded.Finding.ID, Title: "Workforce plan", Location: "DMS 1234", EffectiveDate: model.MustDate("01/11/2025")}
	if err := s.Update(ctx, model.Actor{Who: "Test Lead"}, func(tx model.Tx) error {
		if err := tx.SaveMilestone(&m); err != nil {
			return err
		}
		return tx.AddEvidence(&e, nil)
	}); err != nil {
		t.Fatal(err)
	}

	saved := false
	var colleagueSaves func()
	var once sync.Once
	asideHook = func() { once.Do(colleagueSaves) }
	colleagueSaves = func() {
		err := colleague.Update(ctx, model.Actor{Who: "Colleague"}, func(tx model.Tx) error {
			f, err := tx.Finding(seeded.Finding.ID)
			if err != nil {
				return err
			}
			f.Interpretation = "Read again by the colleague."
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			changed := m
			changed.Title = "Recruit three investigators"
			if err := tx.SaveMilestone(&changed); err != nil {
				return err
			}
			added := model.Milestone{FindingID: m.FindingID, Title: "Train the new team", OriginalDue: model.MustDate("30/04/2026"),
				CurrentDue: model.MustDate("30/04/2026")}
			if err := tx.SaveMilestone(&added); err != nil {
				return err
			}
			more := e
			more.ID, more.Title = 0, "Recruitment campaign"
			return tx.AddEvidence(&more, nil)
		})
		if err != nil {
			t.Error(err)
		}
		saved = err == nil
	}
	defer func() { asideHook = nil }()

	lists := func(rec *records) (fs []model.Finding, ms []model.Milestone, es []model.Evidence) {
		t.Helper()
		if err := rec.LoadAll(model.KindFinding, 0, &fs); err != nil {
			t.Fatal(err)
		}
		if err := rec.LoadAll(model.KindMilestone, 0, &ms); err != nil {
			t.Fatal(err)
		}
		if err := rec.LoadAll(model.KindEvidence, 0, &es); err != nil {
			t.Fatal(err)
		}
		return fs, ms, es
	}
	err := s.read(ctx, func(tx pgx.Tx) error {
		rec := &records{ctx: ctx, tx: tx, s: s, mayReadAside: true}
		defer func() { rec.aside.stop() }()
		if _, err := rec.HistorySince(now().Add(-time.Hour)); err != nil {
			return err
		}
		fs, ms, es := lists(rec)
		if rec.aside == nil || rec.aside.failed() != nil || rec.aside.taken() != 3 {
			t.Fatalf("the lists were not all read aside: %+v", rec.aside)
		}
		if !saved {
			t.Fatal("the colleague's save did not run between the view's beginning and the reading aside")
		}
		if len(ms) != 1 || ms[0].Title != m.Title || len(es) != 1 {
			t.Errorf("read aside: %d milestones (the first %q) and %d evidence, want the 1 and 1 of the view's snapshot, %q", len(ms), ms[0].Title, len(es), m.Title)
		}
		if len(fs) != 1 || fs[0].Interpretation != seeded.Finding.Interpretation {
			t.Errorf("read aside: %d findings (%+v), want the view's one, interpreted %q", len(fs), fs, seeded.Finding.Interpretation)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	asideHook = nil
	err = s.read(ctx, func(tx pgx.Tx) error {
		fs, ms, es := lists(&records{ctx: ctx, tx: tx, s: s})
		if len(ms) != 2 || len(es) != 2 || len(fs) != 1 || fs[0].Interpretation != "Read again by the colleague." {
			t.Errorf("the next view has %d milestones and %d evidence, want 2 and 2, and %d findings (%+v), want the one the colleague changed", len(ms), len(es), len(fs), fs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// failed is the first error of the reading aside, if any.
func (a *asideReads) failed() error {
	for _, p := range a.parts {
		if p.err != nil {
			return p.err
		}
	}
	return nil
}

// taken counts the lists the view has taken.
func (a *asideReads) taken() int {
	n := 0
	for k, p := range a.parts {
		p.mu.Lock()
		if p.took[k] {
			n++
		}
		p.mu.Unlock()
	}
	return n
}
