package postgres

import (
	"strings"
	"testing"
)

// TestSecureByDefault checks the TLS default: a server on another computer
// is reached with its certificate verified unless the address (or
// PGSSLMODE) says otherwise; a socket or this computer needs no TLS.
func TestSecureByDefault(t *testing.T) {
	for _, c := range []struct {
		url, env string
		want     string // the sslmode the address ends up with; "" for none added
	}{
		{"postgres://jo@db.force.local/register", "", "verify-full"},
		{"postgresql://jo@10.1.2.3:5433/register", "", "verify-full"},
		{"postgres://jo@db.force.local/register?sslmode=require", "", "require"},
		{"postgres://jo@db.force.local/register?sslmode=disable", "", "disable"},
		{"postgres://jo@db.force.local/register", "require", ""},
		{"postgres://jo@localhost/register", "", ""},
		{"postgres://jo@127.0.0.1:5432/register", "", ""},
		{"postgres://jo@[::1]:5432/register", "", ""},
		{"postgres:///register?host=/var/run/postgresql", "", ""},
		{"postgres:///register", "", ""},
		{"postgres://jo@localhost,db2.force.local/register", "", "verify-full"},
		{"postgres:///register?host=db.force.local", "", "verify-full"},
	} {
		env := func(k string) string {
			if k == "PGSSLMODE" {
				return c.env
			}
			return ""
		}
		got, err := secureByDefault(c.url, env)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		mode := ""
		if i := strings.Index(got, "sslmode="); i >= 0 {
			mode = strings.SplitN(got[i+len("sslmode="):], "&", 2)[0]
		}
		if mode != c.want {
			t.Errorf("%s (PGSSLMODE=%q) became %s: sslmode %q, want %q", c.url, c.env, got, mode, c.want)
		}
		cfg, err := config(c.url, env)
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if c.want != "verify-full" {
			continue
		}
		if tc := cfg.ConnConfig.TLSConfig; tc == nil || tc.InsecureSkipVerify {
			t.Errorf("%s: TLS is not verified", c.url)
		}
		for _, fb := range cfg.ConnConfig.Fallbacks {
			if fb.TLSConfig == nil || fb.TLSConfig.InsecureSkipVerify {
				t.Errorf("%s: falls back to %s without verified TLS", c.url, fb.Host)
			}
		}
	}
}

// TestRedact checks that a password never reaches a message.
func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://jo:s3cret@db.force.local/register":          "postgres://jo:xxxxx@db.force.local/register",
		"postgres://jo@db.force.local/register?password=s3cret": "postgres://jo@db.force.local/register?password=xxxxx",
		"postgres://jo@db.force.local/register":                 "postgres://jo@db.force.local/register",
	} {
		if got := Redact(in); got != want || strings.Contains(got, "s3cret") {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
