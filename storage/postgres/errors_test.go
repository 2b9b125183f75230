package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// wantWords fails unless err is one sentence that holds every part.
func wantWords(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("the message %q does not say %q", err, p)
		}
	}
	if strings.Contains(err.Error(), "SQLSTATE") || strings.Contains(err.Error(), "\n") {
		t.Errorf("the message is not plain words: %q", err)
	}
}

// TestInitAndVersions checks setting up a server: a database without a
// register is refused by Open with what to do; Init makes the layout, and
// run again changes nothing; a layout from a newer version, or a schema
// the app did not make, is refused by both and left exactly as it was.
func TestInitAndVersions(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	db := dbName(url)
	_, err := postgres.Open(ctx, url, postgres.Options{})
	wantWords(t, err, "holds no register yet", "improvement-tracker server init")

	res, err := postgres.Init(ctx, url, postgres.Options{})
	if err != nil || res.From != 0 || res.To != postgres.SchemaVersion {
		t.Fatalf("Init of a new database: %+v, %v", res, err)
	}
	if !strings.Contains(res.String(), "made a new, empty register") {
		t.Errorf("Init says %q", res)
	}
	res, err = postgres.Init(ctx, url, postgres.Options{})
	if err != nil || res.From != postgres.SchemaVersion || !strings.Contains(res.String(), "nothing was changed") {
		t.Fatalf("Init again: %+v (%s), %v", res, res, err)
	}
	s, err := postgres.Open(ctx, url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()

	if _, err := pgtest.Exec(ctx, db, `UPDATE improvement_tracker.meta SET value = '99' WHERE key = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	before := dump(t, db)
	_, err = postgres.Open(ctx, url, postgres.Options{})
	if !errors.Is(err, model.ErrNewerVersion) {
		t.Errorf("Open of a newer register: %v, want ErrNewerVersion", err)
	}
	wantWords(t, err, "newer version", "schema version 99", "Nothing was changed")
	_, err = postgres.Init(ctx, url, postgres.Options{})
	if !errors.Is(err, model.ErrNewerVersion) {
		t.Errorf("Init of a newer register: %v, want ErrNewerVersion", err)
	}
	if after := dump(t, db); after != before {
		t.Errorf("refusing a newer register changed it:\nbefore %s\nafter  %s", before, after)
	}

	// A schema of the same name made by something else.
	other := pgtest.NewDatabase(t)
	if _, err := pgtest.Exec(ctx, dbName(other), `CREATE SCHEMA improvement_tracker;
		CREATE TABLE improvement_tracker.meta (key text, value text)`); err != nil {
		t.Fatal(err)
	}
	_, err = postgres.Init(ctx, other, postgres.Options{})
	wantWords(t, err, "Improvement Tracker did not make", "a database of its own")
	_, err = postgres.Open(ctx, other, postgres.Options{})
	wantWords(t, err, "Improvement Tracker did not make")
}

// dump is the register's tables as text: what a refusal must leave alone.
func dump(t *testing.T, db string) string {
	t.Helper()
	conn := pgtest.URL(db, "postgres", "")
	s, err := postgresRaw(conn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestConnectionFaults checks that each way of failing to connect gets one
// plain sentence naming what to check.
func TestConnectionFaults(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := postgres.Init(ctx, url, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	db := dbName(url)
	jo, password := pgtest.NewLogin(t, "jo")

	noServer := "postgres:///" + db + "?host=" + t.TempDir() + "&port=5432&user=postgres"
	for _, c := range []struct {
		name  string
		url   string
		parts []string
	}{
		{"server down", noServer, []string{"cannot reach the PostgreSQL server on this computer", "no server is running at that address", "ask the force's IT"}},
		{"wrong password", pgtest.URL(db, jo, "wrong"), []string{`refused the password for the login "` + jo + `"`, "pgpass"}},
		{"no password", pgtest.URL(db, jo, ""), []string{`asks for a password for the login "` + jo + `", and none was given`, "pgpass"}},
		{"no such login", pgtest.URL(db, "nobody", "x"), []string{`login "nobody"`}},
		{"database missing", pgtest.URL("no_such_db", "postgres", ""), []string{`there is no database "no_such_db"`, "server init"}},
		{"login without permission", pgtest.URL(db, jo, password), []string{`the login "` + jo + `" has no role in this register (the shared register in database`, `ask the force's improvement lead`, "server grant --db URL --login " + jo + " --role"}},
		{"not a URL", "mysql://x/y", []string{"is not the address of a shared register", "postgres://"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := postgres.Open(ctx, c.url, postgres.Options{})
			if err == nil {
				s.Close()
			}
			wantWords(t, err, c.parts...)
			t.Log(err)
			if strings.Contains(err.Error(), password) || strings.Contains(err.Error(), "wrong") && c.name == "wrong password" && strings.Contains(err.Error(), ":wrong@") {
				t.Errorf("the message shows the password: %q", err)
			}
		})
	}
}

// TestDroppedConnection cuts the connection in the middle of a save: the
// save fails with a sentence that says nothing was saved, nothing of it
// is stored, and the store goes on working on a new connection.
func TestDroppedConnection(t *testing.T) {
	ctx := context.Background()
	s, url := openNew(t, newClock().Now)
	base := seed(t, s)
	db := dbName(url)
	written := make(chan struct{})
	cut := make(chan struct{})
	done := make(chan error)
	go func() {
		done <- s.Update(ctx, model.Actor{}, func(tx model.Tx) error {
			if err := tx.SavePerson(&model.Person{Name: "Half a change"}); err != nil {
				return err
			}
			close(written)
			<-cut
			f := base.finding
			f.Interpretation = "The other half."
			return tx.SaveFinding(&f)
		})
	}()
	<-written
	n, err := pgtest.Exec(ctx, "postgres", `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = $1 AND state LIKE 'idle in transaction%'`, db)
	if err != nil || n != 1 {
		t.Fatalf("cutting the connection: %d, %v", n, err)
	}
	close(cut)
	err = <-done
	wantWords(t, err, "connection to the shared register", "was lost before the change was saved", "none of it was saved")
	mustView(t, s, func(tx model.ReadTx) error {
		if n := len(must(tx.People())); n != 2 {
			t.Errorf("%d people after the cut, want 2: half a change was kept", n)
		}
		if f := must(tx.Finding(base.finding.ID)); f.Interpretation != "" {
			t.Errorf("the finding was changed: %q", f.Interpretation)
		}
		return nil
	})
	mustUpdate(t, s, func(tx model.Tx) error { return tx.SavePerson(&model.Person{Name: "After the cut"}) })
}
