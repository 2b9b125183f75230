package recjson_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
	"improvementtracker/testkit/synthetic"
)

// Every record of a synthetic register and of the sample register, in the
// form the store writes it (json.Marshal of the record), is read directly
// and reads exactly as encoding/json reads it.
func TestRegistersReadAsEncodingJSON(t *testing.T) {
	samplePath := filepath.Join(t.TempDir(), "sample.db")
	s, err := bolt.Open(samplePath, bolt.Options{Now: func() time.Time { return synthetic.Clock }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	for name, store := range map[string]model.Store{"synthetic": synthetic.OpenSize(t, synthetic.Small), "sample": s} {
		err := store.View(context.Background(), func(tx model.ReadTx) error {
			fs, err := tx.Findings()
			if err != nil {
				return err
			}
			ms, err := tx.Milestones(0)
			if err != nil {
				return err
			}
			es, err := tx.Evidence(0)
			if err != nil {
				return err
			}
			ps, err := tx.People()
			if err != nil {
				return err
			}
			rs, err := tx.Reports()
			if err != nil {
				return err
			}
			us, err := tx.Updates(0)
			if err != nil {
				return err
			}
			as, err := tx.Audit(0)
			if err != nil {
				return err
			}
			// The sample is small; the synthetic register holds the
			// numbers it was made with.
			size := synthetic.Size{Findings: 1, Milestones: 1, Updates: 1, Evidence: 1}
			if name == "synthetic" {
				size = synthetic.Small
			}
			compareAll(t, name, fs, size.Findings)
			compareAll(t, name, ms, size.Milestones)
			compareAll(t, name, es, size.Evidence)
			compareAll(t, name, ps, 2)
			compareAll(t, name, rs, 1)
			compareAll(t, name, us, size.Updates)
			compareAll(t, name, as, size.Updates)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// compareAll decodes each record as written, directly and with
// encoding/json, and compares the two; there must be at least min.
func compareAll[T any](t *testing.T, register string, recs []T, min int) {
	t.Helper()
	if len(recs) < min {
		t.Fatalf("%s: only %d records of %T", register, len(recs), recs)
	}
	for _, rec := range recs {
		raw, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var direct, plain T
		if !recjson.Decode(raw, &direct) {
			t.Errorf("%s: %T %s was left to encoding/json", register, rec, raw)
			continue
		}
		if err := json.Unmarshal(raw, &plain); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(direct, plain) {
			t.Errorf("%s: %s reads directly as\n%+v\nnot as encoding/json reads it\n%+v", register, raw, direct, plain)
		}
	}
}
