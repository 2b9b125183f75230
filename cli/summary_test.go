package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

// sampleRegisterAt loads the sample into a register file as on 25/11/2026.
func sampleRegisterAt(t *testing.T) (string, *bolt.Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)
	s, err := bolt.Open(path, bolt.Options{Now: func() time.Time { return now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	return path, s
}

// TestSummaryPrintsTheFiguresByName: the text says what each figure counts
// and for which portfolio; a chief officer no one leads is refused in
// words.
func TestSummaryPrintsTheFiguresByName(t *testing.T) {
	path, s := sampleRegisterAt(t)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "summary", "--db", path, "--as-at", "25/11/2026")
	if code != 0 {
		t.Fatalf("summary exited %d: %s", code, errs)
	}
	for _, want := range []string{"figures as at 25/11/2026, for every chief officer's portfolio",
		"    16  " + model.FigureOpenName, "    14  " + model.FigureToActOnName, "     2  " + model.FigureInClosureName,
		model.FigureInViewName + ", by RAG: Red "} {
		if !strings.Contains(out, want) {
			t.Errorf("summary's text lacks %q:\n%s", want, out)
		}
	}
	code, _, errs = run(t, "summary", "--db", path, "--chief-officer", "Nobody at all")
	if code != 2 || !strings.Contains(errs, "--chief-officer:") {
		t.Errorf("an unknown chief officer gives code %d, %q", code, errs)
	}
	code, _, errs = run(t, "summary", "--db", path, "--format", "yaml")
	if code != 2 || !strings.Contains(errs, "--format must be text or json") {
		t.Errorf("--format yaml gives code %d, %q", code, errs)
	}
}

// TestClosedNotRatedAppliesToEveryRecord: with "closed findings not rated"
// set, list shows no Blue, the findings closed before it was set included,
// nor does any as-at view; unset again, they are Blue again.
func TestClosedNotRatedAppliesToEveryRecord(t *testing.T) {
	path, s := sampleRegisterAt(t)
	setting := func(on bool) {
		t.Helper()
		err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
			st, err := tx.Settings()
			if err != nil {
				return err
			}
			st.ClosedNotRated = on
			return tx.SaveSettings(st)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	blues := func() (listed int, asAt map[string]int) {
		t.Helper()
		asAt = map[string]int{}
		err := s.View(context.Background(), func(tx model.ReadTx) error {
			for _, d := range []string{"31/12/2025", "30/09/2026", "25/11/2026"} {
				snap, err := model.TakeSnapshot(tx, model.MustDate(d))
				if err != nil {
					return err
				}
				for _, f := range snap.Findings {
					if f.RAG == model.Blue {
						asAt[d]++
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		code, out, errs := run(t, "list", "--db", path, "--format", "csv")
		if code != 0 {
			t.Fatalf("list exited %d: %s", code, errs)
		}
		listed = strings.Count(out, ",Blue,")
		if s, err = bolt.Open(path, bolt.Options{NoBackup: true}); err != nil {
			t.Fatal(err)
		}
		return listed, asAt
	}
	if n, _ := blues(); n == 0 {
		t.Fatal("the sample lists no Blue finding: the test proves nothing")
	}
	setting(true)
	if n, asAt := blues(); n != 0 || len(asAt) != 0 {
		t.Errorf("with closed findings not rated, list shows %d Blue and the as-at views %v", n, asAt)
	}
	setting(false)
	if n, _ := blues(); n == 0 {
		t.Error("with the setting cleared, no closed finding is Blue again")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
