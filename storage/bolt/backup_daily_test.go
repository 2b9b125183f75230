package bolt_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// TestStartBackupHoldsTheRegisterAsStarted: the day's backup started in
// the background holds the register as it was when StartBackup returned.
// A save made after it, one large enough that bbolt must map the file
// again (which, if the backup's read transaction is still open then,
// waits for it to end), lands in the register and not in the backup, and
// neither waits for the other for ever. Which of the two ends first is
// the scheduler's choice: the outcome must be the same either way.
func TestStartBackupHoldsTheRegisterAsStarted(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	base := seed(t, s)
	s.Close()
	before := fileSize(t, path)

	s, err = storage.Open(path, storage.Options{Now: c.Now, BackupInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	s.StartBackup()
	narrative := strings.Repeat("The backlog of cases awaiting allocation has fallen again this quarter. ", 30)
	const saved = 200
	err = s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		for i := range saved {
			u := model.Update{FindingID: base.finding.ID, Date: model.DateOf(c.Now()), Narrative: fmt.Sprintf("%d: %s", i, narrative),
				Status: model.InProgress, RAG: model.Amber}
			if err := tx.AppendUpdate(&u); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := <-s.BackupDone(); err != nil {
		t.Fatalf("the background backup: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// bbolt maps a file this small in steps that double: a file four
	// times the size it was opened at was mapped again by the save.
	if after := fileSize(t, path); after < 4*before {
		t.Fatalf("the register grew from %d to %d bytes: the save did not make bbolt map the file again, so the test proves less than it says", before, after)
	}
	all, err := storage.ListBackups(path)
	if err != nil || len(all) != 1 {
		t.Fatalf("backups %+v, %v; want the day's", all, err)
	}
	restored := filepath.Join(t.TempDir(), "restored.db")
	if err := storage.Restore(restored, all[0].Path, c.Now()); err != nil {
		t.Fatal(err)
	}
	for _, reg := range []struct {
		path string
		want int
	}{{path, saved}, {restored, 0}} {
		r, err := storage.Open(reg.path, storage.Options{Now: c.Now, NoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		mustView(t, r, func(tx model.ReadTx) error {
			us, err := tx.Updates(base.finding.ID)
			if err == nil && len(us) != reg.want {
				t.Errorf("%s holds %d updates, want %d", filepath.Base(reg.path), len(us), reg.want)
			}
			return err
		})
		r.Close()
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}
