package memstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// TestEvidenceTamperDetected checks that an attached file altered behind
// the store's back is caught when read, naming the file, through the
// register's read rules. (The file store tests the same on its file.)
func TestEvidenceTamperDetected(t *testing.T) {
	s := New(func() time.Time { return time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC) })
	var kept, altered, lost model.Evidence
	err := s.Update(context.Background(), model.Actor{Who: "Test"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Kent Police", RefPrefix: "KEN", DefaultMarking: model.Marking{Classification: model.Official}}); err != nil {
			return err
		}
		r := model.Report{Title: "PEEL", Type: model.PEEL}
		if err := tx.SaveReport(&r); err != nil {
			return err
		}
		f := model.Finding{ReportID: r.ID, Type: model.AFI, Title: "t", Verbatim: "v"}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		for _, e := range []*model.Evidence{&kept, &altered, &lost} {
			*e = model.Evidence{FindingID: f.ID, Title: "Evidence", EffectiveDate: model.MustDate("01/10/2025")}
		}
		kept.FileName, altered.FileName, lost.FileName = "policy.pdf", "minutes.txt", "plan.docx"
		if err := tx.AddEvidence(&kept, []byte("%PDF policy")); err != nil {
			return err
		}
		if err := tx.AddEvidence(&altered, []byte("the plan was approved")); err != nil {
			return err
		}
		return tx.AddEvidence(&lost, []byte("the plan"))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.state.files[altered.ID] = []byte("the plan was rejected")
	delete(s.state.files, lost.ID)
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		if got, err := tx.EvidenceFile(kept.ID); err != nil || string(got) != "%PDF policy" {
			t.Errorf("the untouched file: %q, %v", got, err)
		}
		for _, e := range []model.Evidence{altered, lost} {
			_, err := tx.EvidenceFile(e.ID)
			if !errors.Is(err, model.ErrDigestMismatch) || !strings.Contains(err.Error(), e.FileName) {
				t.Errorf("%s: got %v, want a digest mismatch naming the file", e.FileName, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
