package synthetic_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/synthetic"
)

// TestGenerate makes a small register and checks the counts, that the
// result passes the store's own check, and that the same size gives the
// same register.
func TestGenerate(t *testing.T) {
	size := synthetic.Size{Findings: 60, Milestones: 300, Updates: 1200, Evidence: 120}
	refs := func() []string {
		s, err := bolt.Open(filepath.Join(t.TempDir(), "r.db"), bolt.Options{Now: func() time.Time { return synthetic.Clock }, NoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := synthetic.Generate(s, size); err != nil {
			t.Fatal(err)
		}
		var out []string
		err = s.View(context.Background(), func(tx model.ReadTx) error {
			fs, err := tx.Findings()
			if err != nil {
				return err
			}
			ms, _ := tx.Milestones(0)
			us, _ := tx.Updates(0)
			es, _ := tx.Evidence(0)
			if len(fs) != size.Findings || len(ms) != size.Milestones || len(us) != size.Updates || len(es) != size.Evidence {
				t.Errorf("got %d findings, %d milestones, %d updates, %d evidence; want %+v", len(fs), len(ms), len(us), len(es), size)
			}
			for _, f := range fs {
				out = append(out, f.Ref+" "+string(f.Status)+" "+f.Title)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		problems, err := s.Check()
		if err != nil || len(problems) > 0 {
			t.Fatalf("check: %v %v", problems, err)
		}
		if err := synthetic.Generate(s, size); err == nil {
			t.Error("a second Generate into the same register was accepted")
		}
		return out
	}
	a, b := refs(), refs()
	if len(a) != len(b) {
		t.Fatalf("two runs differ in length: %d and %d", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("two runs differ at finding %d: %q and %q", i, a[i], b[i])
		}
	}
}
