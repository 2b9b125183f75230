package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/model/storetest"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// clock is an injected clock tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 11, 24, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// openNew sets up a register in a new database and opens it; the store is
// closed when the test ends.
func openNew(t testing.TB, now func() time.Time) (*postgres.Store, string) {
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
	return s, url
}

func mustUpdate(t testing.TB, s model.Store, fn func(tx model.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), model.Actor{}, fn); err != nil {
		t.Fatal(err)
	}
}

func mustView(t testing.TB, s model.Store, fn func(tx model.ReadTx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// sameJSON fails unless got and want encode the same: records compare by
// their stored form, in which times keep their instant and offset whatever
// *time.Location they decoded into.
func sameJSON(t testing.TB, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s differs:\n got %s\nwant %s", what, g, w)
	}
}

// seed writes settings, a report, two people and a finding.
type seeded struct {
	report  model.Report
	acc, jo model.Person
	finding model.Finding
}

func seed(t testing.TB, s model.Store) seeded {
	t.Helper()
	x := storetest.Seed(t, s)
	return seeded{report: x.Report, acc: x.ACC, jo: x.Jo, finding: x.Finding}
}

// postgresRaw lists every table of the register with its rows, as text.
func postgresRaw(url string) (string, error) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'improvement_tracker' ORDER BY 1`)
	if err != nil {
		return "", err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	var b strings.Builder
	for _, name := range tables {
		var content string
		q := `SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM ` + pgx.Identifier{"improvement_tracker", name}.Sanitize() + ` t`
		if err := conn.QueryRow(ctx, q).Scan(&content); err != nil {
			return "", err
		}
		fmt.Fprintf(&b, "%s: %s\n", name, content)
	}
	return b.String(), nil
}
