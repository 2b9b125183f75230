package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// holdWriteLock takes the register's write lock on a connection of its
// own, as a save that never finishes would, until the test ends.
func holdWriteLock(t *testing.T, url string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(ctx) })
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT * FROM improvement_tracker.lock_register()`); err != nil {
		t.Fatal(err)
	}
}

// TestSaveDeadline: a save whose deadline passes while the server does not
// get to it fails with a sentence saying nothing was saved, still
// recognisable as the deadline, and stores nothing.
func TestSaveDeadline(t *testing.T) {
	s, url := openNew(t, nil)
	x := seed(t, s)
	holdWriteLock(t, url)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	f := x.finding
	f.Title = "Never saved"
	err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("the save gave %v, want the deadline", err)
	}
	want := "did not answer in time, so the change was not saved: check the network"
	if !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "context deadline") {
		t.Errorf("the save said %q, want a sentence saying %q", err, want)
	}
	// A deadline that passed before the save began says the same.
	err = s.Update(ctx, model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&f) })
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), want) {
		t.Errorf("a save after the deadline said %q, want a sentence saying %q", err, want)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		g, err := tx.Finding(x.finding.ID)
		if err == nil && g.Title != x.finding.Title {
			t.Errorf("the finding's title is %q after a save that failed", g.Title)
		}
		return err
	})
}
