package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// TestRulesOverServer runs the register's rules over the server's records:
// references in sequence and never reused after a rollback, a finding's
// lists by its index, updates append-only, and the SHA-256 check of an
// attached file altered behind the app's back.
func TestRulesOverServer(t *testing.T) {
	c := newClock()
	s, url := openNew(t, c.Now)
	base := seed(t, s)
	if base.finding.Ref != "KEN-PEEL2122-AFI-01" {
		t.Fatalf("the first finding's reference is %s", base.finding.Ref)
	}
	// A rolled-back finding does not use its reference up.
	failed := errors.New("stop")
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		f := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: "Rolled back", Verbatim: "x"}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	var second model.Finding
	var upd model.Update
	var ev model.Evidence
	c.Advance(60_000_000_000)
	mustUpdate(t, s, func(tx model.Tx) error {
		second = model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: "Second", Verbatim: "Second."}
		if err := tx.SaveFinding(&second); err != nil {
			return err
		}
		for _, title := range []string{"Later", "Sooner"} {
			due := model.MustDate("30/06/2026")
			if title == "Sooner" {
				due = model.MustDate("31/12/2025")
			}
			if err := tx.SaveMilestone(&model.Milestone{FindingID: base.finding.ID, Title: title, CurrentDue: due}); err != nil {
				return err
			}
		}
		upd = model.Update{FindingID: base.finding.ID, Date: model.MustDate("01/11/2025"), Narrative: "Under way.", Status: model.InProgress, RAG: model.Amber}
		if err := tx.AppendUpdate(&upd); err != nil {
			return err
		}
		ev = model.Evidence{FindingID: base.finding.ID, Title: "Policy", FileName: "policy.txt", EffectiveDate: model.MustDate("01/11/2025")}
		return tx.AddEvidence(&ev, []byte("the policy"))
	})
	if second.Ref != "KEN-PEEL2122-AFI-02" {
		t.Errorf("the finding after a rolled-back one got %s, want KEN-PEEL2122-AFI-02", second.Ref)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		ms := must(tx.Milestones(base.finding.ID))
		if len(ms) != 2 || ms[0].Title != "Sooner" || ms[1].Title != "Later" {
			t.Errorf("milestones by due date: %+v", ms)
		}
		if ms := must(tx.Milestones(second.ID)); len(ms) != 0 {
			t.Errorf("the second finding has milestones: %+v", ms)
		}
		f := must(tx.Finding(base.finding.ID))
		if f.Status != model.InProgress || f.RAG != model.Amber {
			t.Errorf("the update did not set the finding's status: %s %s", f.Status, f.RAG)
		}
		if got := must(tx.FindingByRef("KEN-PEEL2122-AFI-02")); got.ID != second.ID {
			t.Errorf("FindingByRef gave #%d", got.ID)
		}
		if data := must(tx.EvidenceFile(ev.ID)); string(data) != "the policy" {
			t.Errorf("the attached file reads %q", data)
		}
		events := must(tx.Audit(base.finding.ID))
		var summaries []string
		for _, e := range events {
			summaries = append(summaries, e.Summary)
		}
		want := []string{"Finding KEN-PEEL2122-AFI-01 added", `Milestone "Later" added to KEN-PEEL2122-AFI-01`,
			`Milestone "Sooner" added to KEN-PEEL2122-AFI-01`, "Progress update of 01/11/2025 added to KEN-PEEL2122-AFI-01: In progress, Amber",
			"Finding KEN-PEEL2122-AFI-01 changed by the progress update of 01/11/2025: status, RAG",
			`Evidence "Policy" added to KEN-PEEL2122-AFI-01, with the file policy.txt (10 bytes)`}
		if !slices.Equal(summaries, want) {
			t.Errorf("the finding's history:\n got %q\nwant %q", summaries, want)
		}
		return nil
	})
	// Updates are append-only.
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		u := upd
		u.Narrative = "Rewritten."
		return tx.AppendUpdate(&u)
	})
	if !errors.Is(err, model.ErrAppendOnly) {
		t.Errorf("changing an update: %v, want ErrAppendOnly", err)
	}
	// A file altered on the server fails its check.
	if _, err := pgtest.Exec(context.Background(), dbName(url), `UPDATE improvement_tracker.file_contents SET data = 'altered'`); err != nil {
		t.Fatal(err)
	}
	err = s.View(context.Background(), func(tx model.ReadTx) error { _, err := tx.EvidenceFile(ev.ID); return err })
	if !errors.Is(err, model.ErrDigestMismatch) {
		t.Errorf("an altered file: %v, want ErrDigestMismatch", err)
	}
}

// dbName is the database a test URL names.
func dbName(url string) string {
	rest := url[strings.Index(url, "@/")+2:]
	return rest[:strings.Index(rest, "?")]
}

// TestTextIsData stores SQL-injection strings, quotes and non-Latin text
// in every text field of a finding and reads them back unchanged.
func TestTextIsData(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	base := seed(t, s)
	nasty := []string{
		`'; DROP TABLE improvement_tracker.findings; --`,
		`Robert'); DELETE FROM improvement_tracker.audit;--`,
		`" OR 1=1 --`, `$1 $2 \x00 \u0000`, `E'\\'`, `Ünïcödé — “quotes” ‘single’ 日本語`,
		`{"json": "in text"}`, `%s %d %v`,
	}
	var ids []model.ID
	mustUpdate(t, s, func(tx model.Tx) error {
		for _, v := range nasty {
			f := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: v, Verbatim: v, Area: v, Interpretation: v,
				GovernanceBoard: v, InspectorateRef: v, ClosureRationale: v}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			ids = append(ids, f.ID)
		}
		return nil
	})
	mustView(t, s, func(tx model.ReadTx) error {
		for i, id := range ids {
			f := must(tx.Finding(id))
			for name, got := range map[string]string{"title": f.Title, "verbatim": f.Verbatim, "area": f.Area,
				"interpretation": f.Interpretation, "governance board": f.GovernanceBoard, "inspectorate ref": f.InspectorateRef,
				"closure rationale": f.ClosureRationale} {
				if got != nasty[i] {
					t.Errorf("%s read back as %q, want %q", name, got, nasty[i])
				}
			}
		}
		if n := len(must(tx.Findings())); n != len(nasty)+1 {
			t.Errorf("%d findings, want %d", n, len(nasty)+1)
		}
		return nil
	})
}

// TestNulCharacter checks that text with a NUL character, which jsonb
// cannot hold, is refused with a plain sentence and nothing of the change
// is kept: by the register's rules, which refuse it on every store, and by
// the store itself for records written past the rules (a copy).
func TestNulCharacter(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	base := seed(t, s)
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		if err := tx.SavePerson(&model.Person{Name: "Kept only with the finding"}); err != nil {
			return err
		}
		f := base.finding
		f.Interpretation = "Pasted from a PDF:\x00 invisible"
		return tx.SaveFinding(&f)
	})
	if v := model.AsValidation(err); !strings.Contains(v.For("interpretation"), "control character (U+0000)") {
		t.Fatalf("got %v, want the interpretation refused for its NUL", err)
	}
	err = s.UpdateRecords(context.Background(), func(rec model.RecordWriter) error {
		if err := rec.Put(model.KindPerson, 99, &model.Person{ID: 99, Name: "Kept only with the finding"}); err != nil {
			return err
		}
		f := base.finding
		f.Interpretation = "Pasted from a PDF:\x00 invisible"
		return rec.Put(model.KindFinding, f.ID, &f)
	})
	if !errors.Is(err, postgres.ErrNulText) || !strings.Contains(err.Error(), "NUL character") {
		t.Fatalf("got %v, want ErrNulText", err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		if n := len(must(tx.People())); n != 2 {
			t.Errorf("%d people after the refused change, want 2", n)
		}
		if f := must(tx.Finding(base.finding.ID)); f.Interpretation != "" {
			t.Errorf("the refused text was kept: %q", f.Interpretation)
		}
		return nil
	})
}

// TestPanicsAndContext checks that a bug in a callback is a program error
// and leaves nothing behind, and that a cancelled context stops a
// transaction before it begins.
func TestPanicsAndContext(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	base := seed(t, s)
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		if err := tx.SavePerson(&model.Person{Name: "Written before the bug"}); err != nil {
			return err
		}
		var f *model.Finding
		return tx.SaveFinding(f)
	})
	if !errors.Is(err, model.ErrProgram) || !strings.Contains(err.Error(), "nothing was saved") {
		t.Errorf("a panicking update: %v", err)
	}
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		var m map[string]int
		m[must(tx.Finding(base.finding.ID)).Ref]++
		return nil
	})
	if !errors.Is(err, model.ErrProgram) {
		t.Errorf("a panicking view: %v", err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		if n := len(must(tx.People())); n != 2 {
			t.Errorf("%d people after the panic, want 2", n)
		}
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ran := false
	if err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("a cancelled update: %v, ran %v", err, ran)
	}
	if err := s.View(ctx, func(tx model.ReadTx) error { ran = true; return nil }); !errors.Is(err, context.Canceled) || ran {
		t.Errorf("a cancelled view: %v, ran %v", err, ran)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.View(context.Background(), func(tx model.ReadTx) error { return nil }); !errors.Is(err, postgres.ErrClosed) {
		t.Errorf("a closed store: %v", err)
	}
}

// TestConcurrentSaves runs writers at once on the same findings, each a
// read-modify-write, on a pool smaller than the writers: no change may be
// lost, and every change has its audit event.
func TestConcurrentSaves(t *testing.T) {
	s, _ := openNew(t, newClock().Now)
	base := seed(t, s)
	const writers, saves = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*saves)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range saves {
				err := s.Update(context.Background(), model.Actor{Who: fmt.Sprint("writer ", w)}, func(tx model.Tx) error {
					f, err := tx.Finding(base.finding.ID)
					if err != nil {
						return err
					}
					f.Interpretation += fmt.Sprintf("w%d.%d;", w, i)
					return tx.SaveFinding(&f)
				})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		f := must(tx.Finding(base.finding.ID))
		if n := strings.Count(f.Interpretation, ";"); n != writers*saves {
			t.Errorf("%d changes kept, want %d: a write was lost", n, writers*saves)
		}
		if n := len(must(tx.Audit(base.finding.ID))); n != 1+writers*saves {
			t.Errorf("%d events, want %d", n, 1+writers*saves)
		}
		// Each event is chained to the one before it, though the saves
		// came from eight connections at once.
		if breaks := model.CheckAuditChain(must(tx.Audit(0))); len(breaks) > 0 {
			t.Errorf("the history's chain breaks: %q", breaks)
		}
		return nil
	})
}
