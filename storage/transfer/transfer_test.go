package transfer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
	"improvementtracker/storage/postgres"
	"improvementtracker/storage/transfer"
	"improvementtracker/testkit/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var now = func() time.Time { return time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC) }

func openFile(t *testing.T, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{Now: now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func openServer(t *testing.T) *postgres.Store {
	t.Helper()
	url := pgtest.NewDatabase(t)
	if _, err := postgres.Init(context.Background(), url, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(context.Background(), url, postgres.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// kentWithHistory is the Kent sample with a deleted finding and a
// submission, so that the copy must carry a reference and IDs that no
// record holds any more.
func kentWithHistory(t *testing.T, s model.Store) (deletedRef string) {
	t.Helper()
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	err := s.Update(context.Background(), model.Actor{Who: "Improvement Lead"}, func(tx model.Tx) error {
		reports, err := tx.Reports()
		if err != nil {
			return err
		}
		f := model.Finding{ReportID: reports[0].ID, Type: model.AFI, Title: "Entered in error", Verbatim: "x"}
		if err := tx.SaveFinding(&f); err != nil {
			return err
		}
		deletedRef = f.Ref
		if err := tx.DeleteFinding(f.ID); err != nil {
			return err
		}
		return tx.SaveSubmission(&model.Submission{Kind: model.SubmissionReturn, Period: model.Quarter{StartYear: 2025, Q: 3},
			AsAt: model.MustDate("31/12/2025"), FileName: "Q3 return.xlsx", SHA256: "abc",
			Rows: []model.SnapshotRow{{Ref: "KEN-PEEL2122-AFI-01", Values: map[string]string{"Status": "In progress"}}}})
	})
	if err != nil {
		t.Fatal(err)
	}
	return deletedRef
}

// everything is the whole register as JSON, part by part, read through the
// register's rules: what a person or an export can see.
func everything(t *testing.T, s model.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	put := func(name string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		// An empty list reads as null from one store and [] from
		// another: both are no records.
		if string(b) == "null" {
			b = []byte("[]")
		}
		out[name] = string(b)
	}
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		v, err := tx.Settings()
		put("settings", v, err)
		reports, err := tx.Reports()
		put("reports", reports, err)
		people, err := tx.People()
		put("people", people, err)
		findings, err := tx.Findings()
		put("findings", findings, err)
		ms, err := tx.Milestones(0)
		put("milestones", ms, err)
		us, err := tx.Updates(0)
		put("updates", us, err)
		ev, err := tx.Evidence(0)
		put("evidence", ev, err)
		for _, e := range ev {
			if e.HasFile() {
				data, err := tx.EvidenceFile(e.ID)
				put(fmt.Sprintf("file %d", e.ID), string(data), err)
			}
		}
		audit, err := tx.Audit(0)
		put("audit", audit, err)
		subs, err := tx.Submissions()
		put("submissions", subs, err)
		for _, f := range findings {
			byRef, err := tx.FindingByRef(f.Ref)
			put("by ref "+f.Ref, byRef.ID, err)
			for _, list := range []string{"milestones", "updates", "evidence", "audit"} {
				var v any
				switch list {
				case "milestones":
					v, err = tx.Milestones(f.ID)
				case "updates":
					v, err = tx.Updates(f.ID)
				case "evidence":
					v, err = tx.Evidence(f.ID)
				case "audit":
					v, err = tx.Audit(f.ID)
				}
				put(fmt.Sprintf("%s of %s", list, f.Ref), v, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameRegister(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range want {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		if got[k] != want[k] {
			t.Errorf("%s: %s differs:\n got %.600s\nwant %.600s", what, k, got[k], want[k])
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: %d parts, want %d", what, len(got), len(want))
	}
}

// TestKentFileToServerAndBack copies the Kent sample from a register file
// to PostgreSQL and back into a new file, and compares everything after
// each step; then checks that each copy goes on as the original would:
// the next finding gets the same reference and no ID the trail names.
func TestKentFileToServerAndBack(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := openFile(t, filepath.Join(dir, "kent.db"))
	deletedRef := kentWithHistory(t, file)
	if err := file.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		f, err := tx.FindingByRef("KEN-PEEL2122-AFI-01")
		if err != nil {
			return err
		}
		return tx.AddEvidence(&model.Evidence{FindingID: f.ID, Title: "Resourcing plan", FileName: "plan.txt",
			EffectiveDate: model.MustDate("01/11/2025")}, []byte("the resourcing plan, v3"))
	}); err != nil {
		t.Fatal(err)
	}
	want := everything(t, file)
	if !strings.Contains(want["findings"], "KEN-PEEL2122-AFI-01") || strings.Contains(want["findings"], deletedRef) {
		t.Fatalf("the sample is not as expected: %.300s", want["findings"])
	}

	server := openServer(t)
	sum, err := transfer.Copy(ctx, file, server)
	if err != nil {
		t.Fatal(err)
	}
	var n struct{ findings, updates, audit int }
	_ = file.View(ctx, func(tx model.ReadTx) error {
		fs, _ := tx.Findings()
		us, _ := tx.Updates(0)
		as, _ := tx.Audit(0)
		n.findings, n.updates, n.audit = len(fs), len(us), len(as)
		return nil
	})
	if sum.Findings != n.findings || sum.Updates != n.updates || sum.AuditEvents != n.audit || sum.Files != 1 || sum.Submissions != 1 || !sum.Settings || sum.RefCounters == 0 {
		t.Errorf("the summary %+v does not match the register (%+v)", sum, n)
	}
	sameRegister(t, "file → server", everything(t, server), want)
	if err := server.View(ctx, func(tx model.ReadTx) error {
		events, err := tx.Audit(0)
		if breaks := model.CheckAuditChain(events); len(breaks) > 0 || len(events) == 0 {
			t.Errorf("the copied history's chain breaks: %q", breaks)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	back := openFile(t, filepath.Join(dir, "back.db"))
	if _, err := transfer.Copy(ctx, server, back); err != nil {
		t.Fatal(err)
	}
	sameRegister(t, "server → file", everything(t, back), want)

	// Each register goes on the same way: the next finding of the report
	// gets the same reference (not the deleted one's) and an ID above every
	// ID the trail names.
	next := func(s model.Store) model.Finding {
		var f model.Finding
		err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			reports, err := tx.Reports()
			if err != nil {
				return err
			}
			f = model.Finding{ReportID: reports[0].ID, Type: model.AFI, Title: "After the copy", Verbatim: "x"}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			return tx.AddEvidence(&model.Evidence{FindingID: f.ID, Title: "e", Location: "SharePoint", EffectiveDate: model.MustDate("01/12/2025")}, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	orig, onServer, onFile := next(file), next(server), next(back)
	// The events written after the copy chain on to the copied trail.
	for name, s := range map[string]model.Store{"server": server, "file copy": back} {
		if err := s.View(ctx, func(tx model.ReadTx) error {
			events, err := tx.Audit(0)
			if breaks := model.CheckAuditChain(events); len(breaks) > 0 {
				t.Errorf("the %s's chain breaks after a save: %q", name, breaks)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	if onServer.Ref != orig.Ref || onFile.Ref != orig.Ref || orig.Ref == deletedRef {
		t.Errorf("the next reference: original %s, server %s, file copy %s (deleted: %s)", orig.Ref, onServer.Ref, onFile.Ref, deletedRef)
	}
	for name, f := range map[string]model.Finding{"server": onServer, "file copy": onFile} {
		if f.ID < orig.ID {
			t.Errorf("the %s gave the new finding ID %d, below the original's %d: an ID the trail names may be reused", name, f.ID, orig.ID)
		}
	}
	if orig.ID <= 1 {
		t.Fatal("the sample has too few findings to test IDs")
	}
}

// TestCopyRefusals checks that a copy goes only into an empty register and
// never carries a damaged attachment, and that a refused copy leaves the
// target exactly as it was.
func TestCopyRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	file := openFile(t, filepath.Join(dir, "kent.db"))
	kentWithHistory(t, file)

	// Into a register that has anything in it, even only settings.
	server := openServer(t)
	if err := server.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		return tx.SaveSettings(model.Settings{ForceName: "Another Force", RefPrefix: "AF", DefaultMarking: model.Marking{Classification: model.Official}})
	}); err != nil {
		t.Fatal(err)
	}
	before := everything(t, server)
	_, err := transfer.Copy(ctx, file, server)
	if !errors.Is(err, model.ErrNotEmpty) || !strings.Contains(err.Error(), "already holds settings") {
		t.Errorf("a copy into a register with settings: %v", err)
	}
	sameRegister(t, "the refused target", everything(t, server), before)

	full := openFile(t, filepath.Join(dir, "full.db"))
	kentWithHistory(t, full)
	_, err = transfer.Copy(ctx, file, full)
	if !errors.Is(err, model.ErrNotEmpty) {
		t.Errorf("a copy into a full register: %v", err)
	}

	// A damaged attachment stops the copy, and nothing is written.
	src := openServer(t)
	if _, err := transfer.Copy(ctx, file, src); err != nil {
		t.Fatal(err)
	}
	if err := src.Update(ctx, model.Actor{}, func(tx model.Tx) error {
		f, err := tx.FindingByRef("KEN-PEEL2122-AFI-01")
		if err != nil {
			return err
		}
		return tx.AddEvidence(&model.Evidence{FindingID: f.ID, Title: "Plan", FileName: "plan.txt", EffectiveDate: model.MustDate("01/11/2025")}, []byte("plan"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := src.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		var ev []model.Evidence
		if err := rec.LoadAll(model.KindEvidence, 0, &ev); err != nil {
			return err
		}
		for _, e := range ev {
			if e.HasFile() {
				return rec.PutFile(e.ID, []byte("altered"))
			}
		}
		return errors.New("no attached file")
	}); err != nil {
		t.Fatal(err)
	}
	target := openFile(t, filepath.Join(dir, "target.db"))
	before0 := everything(t, target)["settings"]
	_, err = transfer.Copy(ctx, src, target)
	if !errors.Is(err, model.ErrDigestMismatch) || !strings.Contains(err.Error(), "plan.txt") || !strings.Contains(err.Error(), "the copy was not made") {
		t.Errorf("a copy with a damaged attachment: %v", err)
	}
	if got := everything(t, target); got["findings"] != "[]" || got["settings"] != before0 {
		t.Errorf("the refused copy left findings: %.200s", got["findings"])
	}
}
