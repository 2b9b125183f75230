package bolt_test

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
	"improvementtracker/testkit/synthetic"
)

// TestUpdateHeadsAsRecords: on a synthetic register, the updates listed
// from the index of update heads are every update decoded in full, in ID
// order, with the narrative kept only for those dated in the span and each
// finding's latest by its end, for spans before, across, within and after
// the updates.
func TestUpdateHeadsAsRecords(t *testing.T) {
	s := synthetic.OpenSize(t, synthetic.Small)
	err := s.ViewRecords(context.Background(), func(rec model.Records) error {
		var all []model.Update
		if err := rec.LoadAll(model.KindUpdate, 0, &all); err != nil {
			return err
		}
		lo, hi := all[0].Date, all[0].Date
		for _, u := range all {
			lo, hi = minDate(lo, u.Date), maxDate(hi, u.Date)
		}
		for _, span := range [][2]model.Date{
			{model.MustDate("01/10/2025"), model.MustDate("31/12/2025")},
			{lo.AddDays(-400), lo.AddDays(-1)},
			{lo, lo.AddDays(200)},
			{lo.AddDays(300), lo.AddDays(700)},
			{hi.AddDays(1), hi.AddDays(90)},
			{{}, hi},
		} {
			first, last := span[0], span[1]
			latest := map[model.ID]int{}
			for i, u := range all {
				if j, ok := latest[u.FindingID]; !u.Date.After(last) && (!ok || !u.Date.Before(all[j].Date)) {
					latest[u.FindingID] = i
				}
			}
			want := make([]model.Update, len(all))
			kept := 0
			for i, u := range all {
				if j, ok := latest[u.FindingID]; (u.Date.Before(first) || u.Date.After(last)) && (!ok || j != i) {
					u.Narrative = ""
				} else {
					kept++
				}
				want[i] = u
			}
			var got []model.Update
			if err := rec.(model.UpdateHeadLister).LoadUpdateHeads(first, last, model.Date{}, &got); err != nil {
				return err
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s to %s: %d updates listed, want %d, or they differ", first, last, len(got), len(want))
				for i := range min(len(got), len(want)) {
					if !reflect.DeepEqual(got[i], want[i]) {
						t.Errorf("first difference:\n got %+v\nwant %+v", got[i], want[i])
						break
					}
				}
			}
			t.Logf("%s to %s: %d of %d updates with their narrative", first, last, kept, len(all))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func minDate(a, b model.Date) model.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b model.Date) model.Date {
	if b.After(a) {
		return b
	}
	return a
}

// TestHistorySinceAsWalk: on a synthetic register typed in at one instant
// and then changed on two later days, what the snapshot reads of the
// history through the index of the history by time is what walking the
// trail back from its newest entry gives, for instants before, at, between
// and after the writes.
func TestHistorySinceAsWalk(t *testing.T) {
	st := synthetic.OpenSize(t, synthetic.Small)
	path := st.Path()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	now := synthetic.Clock
	s, err := storage.Open(path, storage.Options{Now: func() time.Time { return now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	for day := range 2 {
		now = synthetic.Clock.Add(time.Duration(day+1) * 24 * time.Hour)
		err := s.Update(ctx, model.Actor{Who: "tester"}, func(tx model.Tx) error {
			fs, err := tx.Findings()
			if err != nil {
				return err
			}
			f := fs[day]
			f.Title += " (renamed)"
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			if err := tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(now), Narrative: "Later news",
				Status: model.InProgress, RAG: model.Red}); err != nil {
				return err
			}
			ms, err := tx.Milestones(f.ID)
			if err != nil {
				return err
			}
			ms[0].Title += " (renamed)"
			if err := tx.SaveMilestone(&ms[0]); err != nil {
				return err
			}
			ev, err := tx.Evidence(f.ID)
			if err != nil || len(ev) == 0 {
				return err
			}
			return tx.DeleteEvidence(ev[0].ID)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	err = s.ViewRecords(ctx, func(rec model.Records) error {
		for _, cut := range []time.Time{{}, synthetic.Clock.Add(-time.Hour), synthetic.Clock, synthetic.Clock.Add(36 * time.Hour),
			synthetic.Clock.Add(48 * time.Hour), now.Add(time.Hour)} {
			want, err := storage.HistorySinceByWalk(rec, cut)
			if err != nil {
				return err
			}
			got, err := rec.(model.HistorySincer).HistorySince(cut)
			if err != nil {
				return err
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("after %s: %d events, want %d, or they differ", cut, len(got), len(want))
			}
			t.Logf("after %s: %d events", cut, len(got))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpdateHeadsFromAnyDate: listing the heads from a date (each finding's
// latest before it, and all after) gives what the whole list gives cut down
// by LatestBefore, whatever the date, including one inside the period or
// after its end: an entry by date of an update left out is not damage.
func TestUpdateHeadsFromAnyDate(t *testing.T) {
	s := synthetic.OpenSize(t, synthetic.Small)
	err := s.ViewRecords(context.Background(), func(rec model.Records) error {
		hl := rec.(model.UpdateHeadLister)
		first, last := model.MustDate("01/10/2025"), model.MustDate("31/12/2025")
		var whole []model.Update
		if err := hl.LoadUpdateHeads(first, last, model.Date{}, &whole); err != nil {
			return err
		}
		for _, from := range []model.Date{first, first.AddDays(45), last, last.AddDays(1), last.AddDays(183)} {
			var got []model.Update
			if err := hl.LoadUpdateHeads(first, last, from, &got); err != nil {
				t.Errorf("from %s: %v", from, err)
				continue
			}
			if want := model.LatestBefore(slices.Clone(whole), from, last); !reflect.DeepEqual(got, want) {
				t.Errorf("from %s: %d updates listed, want %d, or they differ", from, len(got), len(want))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
