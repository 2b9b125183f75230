package bolt_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// crashAttacher adds evidence with an attached file to the first finding,
// one save each, every third the file of an earlier one again, printing
// the evidence's ID after its commit returns, until it is killed.
func crashAttacher(path string) {
	s, err := storage.Open(path, storage.Options{NoBackup: true})
	if err != nil {
		fmt.Println("OPEN", err)
		os.Exit(1)
	}
	var findingID model.ID
	_ = s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if len(fs) > 0 {
			findingID = fs[0].ID
		}
		return err
	})
	deadline := time.Now().Add(20 * time.Second) // never outlive a lost parent for long
	for i := 0; time.Now().Before(deadline); i++ {
		n := uint64(i)
		if i%3 == 2 {
			n = uint64(i - 2)
		}
		e := model.Evidence{FindingID: findingID, Title: fmt.Sprintf("Crash evidence %d", i), FileName: fmt.Sprintf("scan-%d.pdf", n),
			EffectiveDate: model.MustDate("01/10/2025")}
		if err := s.Update(context.Background(), model.Actor{Who: "crash test"}, func(tx model.Tx) error {
			return tx.AddEvidence(&e, randomFile(n, 64<<10))
		}); err != nil {
			fmt.Println("WRITE", err)
			os.Exit(1)
		}
		os.Stdout.WriteString(fmt.Sprintf("ACK %d 0\n", e.ID))
	}
	os.Exit(0)
}

// TestCrashWhileAttaching kills a process that attaches files at random
// moments: every evidence it reported as saved reads back with its file,
// and check finds nothing wrong (a file written for a save the kill cut
// short is one nothing refers to).
func TestCrashWhileAttaching(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	seed(t, s)
	path := s.Path()
	s.Close()

	seedVal := uint64(time.Now().UnixNano())
	rnd := rand.New(rand.NewPCG(seedVal, 8))
	t.Logf("random seed %d", seedVal)
	const runs = 8
	total := 0
	for run := range runs {
		acked := killAtRandom(t, "crash-attach", path, rnd)
		total += len(acked)
		r, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
		if err != nil {
			t.Fatalf("run %d: reopening after the kill: %v", run, err)
		}
		err = r.View(context.Background(), func(tx model.ReadTx) error {
			for _, a := range acked {
				if _, err := tx.EvidenceFile(a[0]); err != nil {
					return fmt.Errorf("the file of acknowledged evidence #%d: %w", a[0], err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if problems, err := r.Check(); err != nil || len(problems) > 0 {
			t.Fatalf("run %d: check after the kill: %v %v", run, problems, err)
		}
		r.Close()
	}
	// Files the kills left with no record (written for a save cut short)
	// are kept until the next backup's sweep: said, so that a run shows
	// whether a kill fell between a file and its commit.
	r, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	referenced := map[string]bool{}
	mustView(t, r, func(tx model.ReadTx) error {
		evs, err := tx.Evidence(0)
		for _, e := range evs {
			referenced[e.SHA256] = true
		}
		return err
	})
	t.Logf("%d runs, %d acknowledged files, all present; %d files kept, %d of them referred to by nothing",
		runs, total, len(keptFiles(t, path)), len(keptFiles(t, path))-len(referenced))
}
