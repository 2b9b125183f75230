package export_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// A return read as the app and the command line read it (ReadSourceFrom:
// the updates before the quarter left out but for each finding's latest,
// and their narratives) is the same file, byte for byte, as one read with
// the whole register, for quarters before, during and after the
// register's history.
func TestReturnFromLeanSourceIsTheSame(t *testing.T) {
	sampled, _ := sampleStore(t)
	synth := synthetic.OpenSize(t, synthetic.Small)
	at := time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC)
	for _, c := range []struct {
		name     string
		s        model.Store
		quarters []model.Quarter
	}{
		{"sample", sampled, []model.Quarter{{StartYear: 2024, Q: 4}, {StartYear: 2025, Q: 2}, q3}},
		{"synthetic", synth, []model.Quarter{{StartYear: 2018, Q: 1}, {StartYear: 2023, Q: 3}, q3}},
	} {
		for _, q := range c.quarters {
			opts := export.ReturnOptions{Period: q, Marking: sensitive, Now: at}
			var full, lean export.Source
			if err := c.s.View(context.Background(), func(tx model.ReadTx) (err error) {
				if full, err = export.ReadSource(tx, opts.AsAtDate()); err != nil {
					return err
				}
				lean, err = export.ReadSourceFrom(tx, opts.AsAtDate(), q.FirstDay())
				return err
			}); err != nil {
				t.Fatal(err)
			}
			if len(lean.Snapshot.Updates) >= len(full.Snapshot.Updates) {
				t.Errorf("%s %s: the lean read holds %d updates of %d: none was left out", c.name, q, len(lean.Snapshot.Updates), len(full.Snapshot.Updates))
			}
			write := func(src export.Source) []byte {
				w, err := export.BuildReturn(src, opts)
				if err != nil {
					t.Fatal(err)
				}
				return written(t, w)
			}
			a, b := write(full), write(lean)
			if bytes.Equal(a, b) {
				continue
			}
			names, pa := parts(t, a)
			_, pb := parts(t, b)
			for _, n := range names {
				if pa[n] != pb[n] {
					t.Errorf("%s %s: %s differs when read without the earlier updates", c.name, q, n)
				}
			}
		}
	}
}

// A return refuses a register read without the updates of its quarter,
// rather than print a quarter with no progress in it.
func TestReturnRefusesSourceWithoutItsUpdates(t *testing.T) {
	s, _ := sampleStore(t)
	var src export.Source
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		snap, err := model.TakeSnapshotWith(tx, q3.AsAt(), model.SnapshotOptions{UpdatesFrom: q3.AsAt()})
		src.Snapshot = snap
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, err := export.BuildReturn(src, export.ReturnOptions{Period: q3, Marking: sensitive})
	if err == nil || !strings.Contains(err.Error(), "the register was read without the progress updates from 01/10/2025") {
		t.Fatalf("got %v, want a refusal naming the updates left out", err)
	}
}
