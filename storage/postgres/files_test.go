package postgres_test

import (
	"context"
	"strings"
	"testing"

	"improvementtracker/model"
	"improvementtracker/testkit/pgtest"
)

// TestFilesKeptOnceOnServer: the same file attached to two evidence
// records is kept once on the server and reads back for each; its bytes
// stay while any record refers to them and go with the last; a delivery
// lead may add bytes only for evidence on a finding they lead; check finds
// nothing wrong.
func TestFilesKeptOnceOnServer(t *testing.T) {
	tm := newTeam(t)
	s, own := tm.owner, tm.seed.Finding.ID
	count := func() string {
		t.Helper()
		out, err := pgtest.Psql(t, tm.url, `SELECT count(*) FROM improvement_tracker.file_contents`)
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return strings.TrimSpace(out)
	}
	policy := []byte("%PDF the force's domestic abuse policy")
	var a, b, c model.Evidence
	mustUpdate(t, s, func(tx model.Tx) error {
		a = model.Evidence{FindingID: own, Title: "Policy", FileName: "policy.pdf", EffectiveDate: model.MustDate("01/10/2025")}
		b = model.Evidence{FindingID: tm.other.ID, Title: "Policy too", FileName: "policy.pdf", EffectiveDate: model.MustDate("01/10/2025")}
		c = model.Evidence{FindingID: own, Title: "Minutes", FileName: "minutes.txt", EffectiveDate: model.MustDate("01/10/2025")}
		for _, e := range []struct {
			ev   *model.Evidence
			data []byte
		}{{&a, policy}, {&b, policy}, {&c, []byte("Approved.")}} {
			if err := tx.AddEvidence(e.ev, e.data); err != nil {
				return err
			}
		}
		return nil
	})
	if got := count(); got != "2" {
		t.Errorf("%s files kept for three records, two of them the same file; want 2", got)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		for _, e := range []model.Evidence{a, b} {
			if got := string(must(tx.EvidenceFile(e.ID))); got != string(policy) {
				t.Errorf("evidence %q reads back %q", e.Title, got)
			}
		}
		return nil
	})
	if chk, err := s.Check(context.Background()); err != nil || len(chk.Problems) > 0 {
		t.Errorf("check: %+v %v", chk.Problems, err)
	}

	// A delivery lead adds bytes only for evidence on their own finding.
	out, err := pgtest.Psql(t, tm.urlAs(tm.dl), `INSERT INTO improvement_tracker.file_contents (sha256, data)
		VALUES ('`+model.Digest([]byte("stray"))+`', 'stray')`)
	if err == nil || !strings.Contains(out, `new row violates row-level security policy for table "file_contents"`) {
		t.Errorf("a delivery lead's stray file: %q (%v)", out, err)
	}

	mustUpdate(t, s, func(tx model.Tx) error { return tx.DeleteEvidence(a.ID) })
	if got := count(); got != "2" {
		t.Errorf("%s files kept once one of the two records of the policy is deleted; want 2", got)
	}
	mustUpdate(t, s, func(tx model.Tx) error { return tx.DeleteEvidence(b.ID) })
	if got := count(); got != "1" {
		t.Errorf("%s files kept once both records of the policy are deleted; want 1", got)
	}
}
