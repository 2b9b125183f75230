package postgres_test

import (
	"context"
	"strings"
	"testing"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// A save through the rules on a register already open takes three round
// trips: one to begin, take the lock and read ahead, one for the finding it
// changes, and one for its writes, the notice and the COMMIT. It was
// fifteen; over the VPN each costs 30 ms or more.
func TestASaveTakesThreeRoundTrips(t *testing.T) {
	_, url := openNew(t, newClock().Now)
	link := newSlowLink(t, 0)
	s, err := postgres.Open(context.Background(), link.url(dbName(url)), postgres.Options{Now: newClock().Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	ids := openFindings(t, s)
	saveOne(t, s, ids[0], 1) // the connection's statements are prepared once
	before := link.trips.Load()
	saveOne(t, s, ids[1], 2)
	if n := link.trips.Load() - before; n > 3 {
		t.Errorf("a save took %d round trips, want 3", n)
	}
	var f model.Finding
	_ = s.View(context.Background(), func(tx model.ReadTx) (err error) { f, err = tx.Finding(ids[1]); return err })
	if !strings.HasPrefix(f.Interpretation, "Edit 2:") {
		t.Errorf("the save was not kept: %q", f.Interpretation)
	}
}

// A finding the save read, deleted by the owner before the change is
// sent (the owner is outside the rules and needs no lock), is not there to
// change: the save fails in words and stores nothing, its history entry
// included, though the change was sent with the COMMIT.
func TestASaveWhoseFindingWasDeletedStoresNothing(t *testing.T) {
	s, url := openNew(t, newClock().Now)
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	ids := openFindings(t, s)
	var trail int
	count := func() int {
		var n int
		_ = s.View(context.Background(), func(tx model.ReadTx) error {
			evs, err := tx.Audit(0)
			n = len(evs)
			return err
		})
		return n
	}
	trail = count()
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		f, err := tx.Finding(ids[0])
		if err != nil {
			return err
		}
		if _, err := pgtest.Exec(context.Background(), dbName(url), `DELETE FROM improvement_tracker.findings WHERE id = $1`, int64(ids[0])); err != nil {
			t.Fatal(err)
		}
		f.Interpretation = "Changed after it was deleted."
		return tx.SaveFinding(&f)
	})
	if err == nil || !strings.Contains(err.Error(), "was removed by someone else while it was being saved") {
		t.Fatalf("the save gave %v", err)
	}
	if n := count(); n != trail {
		t.Errorf("the failed save left %d history entries, want %d", n, trail)
	}
}
