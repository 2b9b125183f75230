package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"improvementtracker/testkit/pgtest"
)

// TestUpgradeToRoles brings a register of layout version 1, with records
// in it, to version 2: the records stay, and the roles work.
func TestUpgradeToRoles(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	s, err := connect(ctx, url, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.adminWrite(ctx, func(tx pgx.Tx) error {
		if err := createV1(ctx, tx); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO `+table("meta")+` (key, value) VALUES ('schema_version', '1');
			INSERT INTO `+table("people")+` (id, body) VALUES (1, '{"id":1,"name":"Jo Bloggs"}')`)
		return err
	})
	s.pool.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, url, Options{}); err == nil || !strings.Contains(err.Error(), "older layout (schema version 1)") {
		t.Fatalf("open of a version 1 register: %v", err)
	}
	res, err := Init(ctx, url, Options{})
	if err != nil || res.From != 1 || res.To != SchemaVersion {
		t.Fatalf("init: %+v, %v", res, err)
	}
	if got, want := res.String(), fmt.Sprintf("upgraded the register from schema version 1 to %d", SchemaVersion); got != want {
		t.Errorf("init says %q", got)
	}
	name, password := pgtest.NewLogin(t, "jo")
	g, err := Grant(ctx, url, Options{}, name, RoleDeliveryLead, "Jo Bloggs")
	if err != nil || g.Person.ID != 1 {
		t.Fatalf("grant after the upgrade: %+v, %v", g, err)
	}
	db := url[strings.Index(url, "@/")+2 : strings.Index(url, "?")]
	jo, err := Open(ctx, pgtest.URL(db, name, password), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer jo.Close()
	if jo.Role() != RoleDeliveryLead || jo.acc.who != "Jo Bloggs" {
		t.Errorf("after the upgrade the login is %q named %q", jo.Role(), jo.acc.who)
	}
}

// TestInitNeedsCreateRole: a login that may not create roles cannot set up
// a register, is told why, and nothing is made.
func TestInitNeedsCreateRole(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	db := url[strings.Index(url, "@/")+2 : strings.Index(url, "?")]
	name, password := pgtest.NewLogin(t, "owner")
	if _, err := pgtest.Exec(ctx, "postgres", `ALTER DATABASE `+pgtest.Quote(db)+` OWNER TO `+pgtest.Quote(name)); err != nil {
		t.Fatal(err)
	}
	// The login owns the register it makes: hand everything back before
	// the login is dropped.
	t.Cleanup(func() {
		if _, err := pgtest.Exec(ctx, db, `REASSIGN OWNED BY `+pgtest.Quote(name)+` TO postgres`); err != nil {
			t.Error(err)
		}
	})
	asOwner := pgtest.URL(db, name, password)
	// A login that may create roles but does not own the database.
	other, otherPassword := pgtest.NewLogin(t, "other")
	if _, err := pgtest.Exec(ctx, "postgres", `ALTER ROLE `+pgtest.Quote(other)+` CREATEROLE`); err != nil {
		t.Fatal(err)
	}
	_, err := Init(ctx, pgtest.URL(db, other, otherPassword), Options{})
	if err == nil || !strings.Contains(err.Error(), `the login "`+other+`" may not set up`) || !strings.Contains(err.Error(), "owns the database") {
		t.Errorf("init by a login that does not own the database: %v", err)
	}
	_, err = Init(ctx, asOwner, Options{})
	if !errors.Is(err, errMayNotCreateRoles) || !strings.Contains(err.Error(), "CREATEROLE") {
		t.Fatalf("init by a login without CREATEROLE: %v", err)
	}
	if _, err := Open(ctx, url, Options{}); err == nil || !strings.Contains(err.Error(), "holds no register yet") {
		t.Errorf("after the refused init: %v", err)
	}
	if _, err := pgtest.Exec(ctx, "postgres", `ALTER ROLE `+pgtest.Quote(name)+` CREATEROLE`); err != nil {
		t.Fatal(err)
	}
	if _, err := Init(ctx, asOwner, Options{}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, asOwner, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.acc.admin || s.Role() != RoleImprovementLead || s.acc.who != "" {
		t.Errorf("the owner opens as %+v", s.acc)
	}
}
