package storage

import (
	"strings"
	"testing"
)

// TestResolvePathRefusesURL checks that a shared register's address is
// never taken for a file path (which would make a file named after it),
// and that the refusal does not show the password.
func TestResolvePathRefusesURL(t *testing.T) {
	for _, loc := range []string{"postgres://jo:s3cret@db.force.local/register", "POSTGRESQL://db/register", " postgres:///register?host=/run/pg"} {
		if !IsURL(loc) {
			t.Errorf("IsURL(%q) is false", loc)
		}
		_, err := ResolvePath(loc, func(string) string { return "" })
		if err == nil || !strings.Contains(err.Error(), "shared register on a PostgreSQL server, not a register file") || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("ResolvePath(%q): %v", loc, err)
		}
		_, err = ResolvePath("", func(k string) string { return loc })
		if err == nil {
			t.Errorf("ResolvePath with %s=%q took it for a path", EnvDB, loc)
		}
	}
	for _, p := range []string{"register.db", "postgres.db", "/data/postgres/register.db", `C:\postgres\register.db`} {
		if IsURL(p) {
			t.Errorf("IsURL(%q) is true", p)
		}
	}
}
