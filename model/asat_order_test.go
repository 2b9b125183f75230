package model_test

import (
	"context"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// Updates typed in out of date order (a back-dated one, two of one date)
// are a finding's in order of date, those of a date in the order they were
// recorded, and the last of them sets the finding's RAG and latest
// narrative: whether the snapshot lists the updates by date
// (Updates) or in the order they were recorded (UpdateHeads).
func TestSnapshotTakesUpdatesByDateThenRecorded(t *testing.T) {
	var f model.Finding
	s := sampleEdited(t, func(tx model.Tx, fs []model.Finding) error {
		for _, c := range fs {
			if c.Status == model.InProgress {
				f = c
				break
			}
		}
		for _, u := range []struct {
			date, narrative string
			rag             model.RAG
		}{
			{"10/11/2026", "first of the tenth", model.Green},
			{"01/11/2026", "back-dated", model.Amber},
			{"22/11/2026", "after the as-at date", model.Green},
			{"10/11/2026", "second of the tenth", model.Red},
		} {
			up := model.Update{FindingID: f.ID, Date: model.MustDate(u.date), Narrative: u.narrative, Status: model.InProgress, RAG: u.rag, Author: "test"}
			if err := tx.AppendUpdate(&up); err != nil {
				return err
			}
		}
		return nil
	})
	if f.ID == 0 {
		t.Fatal("the sample has no finding in progress")
	}
	asAt := model.MustDate("20/11/2026")
	for _, from := range []model.Date{{}, asAt.AddDays(1)} {
		var snap *model.Snapshot
		view(t, s, func(tx model.ReadTx) (err error) {
			snap, err = model.TakeSnapshotWith(tx, asAt, model.SnapshotOptions{NarrativesFrom: from})
			return err
		})
		us := snap.UpdatesOf(f.ID)
		if len(us) < 3 {
			t.Fatalf("narratives from %s: %d updates, want at least the three dated by %s", from, len(us), asAt)
		}
		for i := 1; i < len(us); i++ {
			if us[i].Date.Before(us[i-1].Date) {
				t.Errorf("narratives from %s: update %d dated %s comes after one dated %s", from, us[i].ID, us[i].Date, us[i-1].Date)
			}
		}
		tail := us[len(us)-3:]
		for i, want := range []string{"01/11/2026", "10/11/2026", "10/11/2026"} {
			if tail[i].Date.String() != want {
				t.Errorf("narratives from %s: update %d of the last three is dated %s, want %s", from, i+1, tail[i].Date, want)
			}
		}
		if tail[1].ID > tail[2].ID {
			t.Errorf("narratives from %s: the updates of 10/11/2026 come as #%d then #%d, not in the order recorded", from, tail[1].ID, tail[2].ID)
		}
		got, _ := snap.Finding(f.ID)
		if got.RAG != model.Red {
			t.Errorf("narratives from %s: the finding is %s as at %s, want Red, from the last update of the latest date", from, got.RAG, asAt)
		}
		if r := snap.LatestReason(got); r != "second of the tenth" {
			t.Errorf("narratives from %s: latest narrative %q, want %q", from, r, "second of the tenth")
		}
	}
}

// A snapshot's milestones and evidence are grouped by finding in the order
// of its findings, each finding's milestones by current due date (undated
// last) and then as added, its evidence by effective date and then as
// added: milestones and evidence added out of order, undated and on the
// same day, to findings whose places differ from the order added.
func TestSnapshotOrdersMilestonesAndEvidence(t *testing.T) {
	s := sampleEdited(t, func(tx model.Tx, fs []model.Finding) error {
		// The last findings first, so that the order added is not
		// the findings' order.
		for i := len(fs) - 1; i >= len(fs)-4; i-- {
			for _, due := range []string{"", "30/06/2026", "31/01/2026", "30/06/2026", ""} {
				m := model.Milestone{FindingID: fs[i].ID, Title: "Step due " + due}
				if due != "" {
					m.OriginalDue, m.CurrentDue = model.MustDate(due), model.MustDate(due)
				}
				if err := tx.SaveMilestone(&m); err != nil {
					return err
				}
			}
			for _, eff := range []string{"30/06/2026", "31/01/2026", "30/06/2026"} {
				e := model.Evidence{FindingID: fs[i].ID, Title: "Minutes of " + eff, Location: "Board minutes", EffectiveDate: model.MustDate(eff)}
				if err := tx.AddEvidence(&e, nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	var snap *model.Snapshot
	view(t, s, func(tx model.ReadTx) (err error) {
		snap, err = model.TakeSnapshot(tx, model.MustDate("20/11/2026"))
		return err
	})
	place := map[model.ID]int{}
	for i, f := range snap.Findings {
		place[f.ID] = i
	}
	undatedLast := func(d model.Date) model.Date {
		if d.IsZero() {
			return model.Date{Year: 9999}
		}
		return d
	}
	for i := 1; i < len(snap.Milestones); i++ {
		a, b := snap.Milestones[i-1], snap.Milestones[i]
		pa, pb := place[a.FindingID], place[b.FindingID]
		da, db := undatedLast(a.CurrentDue), undatedLast(b.CurrentDue)
		if pa > pb || pa == pb && (da.After(db) || da == db && a.ID > b.ID) {
			t.Errorf("milestone #%d (finding %d, due %s) comes before #%d (finding %d, due %s)", a.ID, pa, a.CurrentDue, b.ID, pb, b.CurrentDue)
		}
	}
	for i := 1; i < len(snap.Evidence); i++ {
		a, b := snap.Evidence[i-1], snap.Evidence[i]
		pa, pb := place[a.FindingID], place[b.FindingID]
		if pa > pb || pa == pb && (a.EffectiveDate.After(b.EffectiveDate) || a.EffectiveDate == b.EffectiveDate && a.ID > b.ID) {
			t.Errorf("evidence #%d (finding %d, %s) comes before #%d (finding %d, %s)", a.ID, pa, a.EffectiveDate, b.ID, pb, b.EffectiveDate)
		}
	}
	last := snap.Findings[len(snap.Findings)-1].ID
	ms := snap.MilestonesOf(last)
	if len(ms) < 5 || !ms[len(ms)-1].CurrentDue.IsZero() || ms[len(ms)-1].ID < ms[len(ms)-2].ID {
		t.Errorf("the last finding's milestones end %+v, want its two undated ones last, as added", ms[max(0, len(ms)-2):])
	}
	if es := snap.EvidenceOf(last); len(es) < 3 {
		t.Errorf("the last finding has %d pieces of evidence, want at least the three added", len(es))
	}
}

// Slipped milestones are every open milestone that moved or is overdue, of
// findings not ended, most overdue first and, of as many days, in the
// snapshot's order of milestones: with several overdue by the same days
// on findings in and out of the order added.
func TestSlippedMilestonesOrder(t *testing.T) {
	s := sampleEdited(t, func(tx model.Tx, fs []model.Finding) error {
		for i := len(fs) - 1; i >= 0; i -= 3 {
			for _, due := range []string{"01/10/2026", "01/09/2026", "01/10/2026"} {
				m := model.Milestone{FindingID: fs[i].ID, Title: "Step due " + due, OriginalDue: model.MustDate(due), CurrentDue: model.MustDate(due)}
				if err := tx.SaveMilestone(&m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	asAt := model.MustDate("20/11/2026")
	var snap *model.Snapshot
	view(t, s, func(tx model.ReadTx) (err error) {
		snap, err = model.TakeSnapshot(tx, asAt)
		return err
	})
	place := map[model.ID]int{}
	var want []model.ID
	for i, m := range snap.Milestones {
		place[m.ID] = i
		f, _ := snap.Finding(m.FindingID)
		if m.Completed.IsZero() && model.MilestoneSlipped(m, asAt) && !f.Status.IsFinal() {
			want = append(want, m.ID)
		}
	}
	got := snap.SlippedMilestones()
	if len(got) != len(want) || len(got) < 6 {
		t.Fatalf("%d slipped milestones, want %d (at least the 6 added overdue)", len(got), len(want))
	}
	for i, sm := range got {
		f, _ := snap.Finding(sm.Milestone.FindingID)
		if sm.Finding.ID != f.ID || sm.Finding.Ref != f.Ref {
			t.Errorf("slipped milestone #%d carries finding %s, want %s", sm.Milestone.ID, sm.Finding.Ref, f.Ref)
		}
		wantDays := 0
		if model.MilestoneOverdue(*sm.Milestone, asAt) {
			wantDays = sm.Milestone.CurrentDue.DaysUntil(asAt)
		}
		if sm.DaysOverdue != wantDays {
			t.Errorf("slipped milestone #%d is %d days overdue, want %d", sm.Milestone.ID, sm.DaysOverdue, wantDays)
		}
		if i == 0 {
			continue
		}
		prev := got[i-1]
		if prev.DaysOverdue < sm.DaysOverdue || prev.DaysOverdue == sm.DaysOverdue && place[prev.Milestone.ID] > place[sm.Milestone.ID] {
			t.Errorf("#%d (%d days) comes before #%d (%d days)", prev.Milestone.ID, prev.DaysOverdue, sm.Milestone.ID, sm.DaysOverdue)
		}
	}
}

// sampleEdited is the Kent sample in the memory store on a fixed clock,
// then edited in one transaction given its findings.
func sampleEdited(t *testing.T, edit func(tx model.Tx, fs []model.Finding) error) model.Store {
	t.Helper()
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	s := memstore.New(func() time.Time { return clock })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		return edit(tx, fs)
	}); err != nil {
		t.Fatal(err)
	}
	return s
}
