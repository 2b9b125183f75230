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

// TestAddressURL: the window's server, database and login make the URL
// the store opens, and mistakes are said in words.
func TestAddressURL(t *testing.T) {
	for _, c := range []struct {
		a        postgres.Address
		password string
		want     string
	}{
		{postgres.Address{Server: "db.kent.police.uk", Database: "register", User: "jsmith"}, "",
			"postgres://jsmith@db.kent.police.uk/register"},
		{postgres.Address{Server: " db.kent.police.uk:5433 ", Database: "register", User: "jsmith"}, "p@ss word/1",
			"postgres://jsmith:p%40ss%20word%2F1@db.kent.police.uk:5433/register"},
		{postgres.Address{Server: "[2001:db8::1]:5433", Database: "register", User: "jsmith"}, "",
			"postgres://jsmith@[2001:db8::1]:5433/register"},
		{postgres.Address{Server: "2001:db8::1", Database: "register", User: "jsmith"}, "",
			"postgres://jsmith@[2001:db8::1]/register"},
		{postgres.Address{Server: "/var/run/postgresql", Database: "register", User: "jsmith"}, "",
			"postgres://jsmith@/register?host=%2Fvar%2Frun%2Fpostgresql"},
	} {
		got, err := c.a.URL(c.password)
		if err != nil || got != c.want {
			t.Errorf("%+v gives %q, %v; want %q", c.a, got, err, c.want)
		}
	}
	for _, c := range []struct {
		a    postgres.Address
		want string
	}{
		{postgres.Address{Database: "register", User: "jsmith"}, "give the server's name"},
		{postgres.Address{Server: "db", User: "jsmith"}, "give the database"},
		{postgres.Address{Server: "db", Database: "register"}, "give your login"},
		{postgres.Address{Server: "db:port", Database: "register", User: "jsmith"}, `"port" is not a port number`},
		{postgres.Address{Server: "db:70000", Database: "register", User: "jsmith"}, `"70000" is not a port number`},
		{postgres.Address{Server: "db kent", Database: "register", User: "jsmith"}, "is not a server's name"},
	} {
		if _, err := c.a.URL(""); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v gives %v, want an error saying %q", c.a, err, c.want)
		}
	}
}

// TestOpenAddressPassword: a login that needs a password is refused with
// model.ErrPassword, whether none or a wrong one is given, and opens with
// the right one; the store names itself for the title bar.
func TestOpenAddressPassword(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	if _, err := postgres.Init(ctx, url, postgres.Options{}); err != nil {
		t.Fatal(err)
	}
	db := dbName(url)
	reader, password := pgtest.NewLogin(t, "address_reader")
	if _, err := postgres.Grant(ctx, url, postgres.Options{}, reader, postgres.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", t.TempDir()+"/none") // no pgpass file of the machine's
	a := postgres.Address{Server: pgtest.SocketDir(), Database: db, User: reader}
	_, err := postgres.OpenAddress(ctx, a, "", postgres.Options{})
	if !errors.Is(err, model.ErrPassword) || !strings.Contains(err.Error(), "asks for a password") {
		t.Errorf("no password gives %v, want ErrPassword saying a password is asked for", err)
	}
	_, err = postgres.OpenAddress(ctx, a, "wrong", postgres.Options{})
	if !errors.Is(err, model.ErrPassword) || !strings.Contains(err.Error(), "refused the password") || strings.Contains(err.Error(), "wrong") {
		t.Errorf("a wrong password gives %v, want ErrPassword saying it was refused, without the password", err)
	}
	s, err := postgres.OpenAddress(ctx, a, password, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Name(); got != db+" on this computer" {
		t.Errorf("Name = %q", got)
	}
	if got := s.Login(); got != reader {
		t.Errorf("Login = %q", got)
	}
	if server, database, user := s.Location(); server != a.Server || database != db || user != a.User {
		t.Errorf("Location = %q, %q, %q; want %+v", server, database, user, a)
	}
	// Other refusals are not about the password.
	_, err = postgres.OpenAddress(ctx, postgres.Address{Server: pgtest.SocketDir(), Database: "no_such_db", User: "postgres"}, "", postgres.Options{})
	if err == nil || errors.Is(err, model.ErrPassword) {
		t.Errorf("a missing database gives %v", err)
	}
}
