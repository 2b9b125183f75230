package postgres

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// IsURL reports whether a register's location is a PostgreSQL URL
// (postgres://… or postgresql://…) rather than a file path.
func IsURL(location string) bool {
	l := strings.ToLower(strings.TrimSpace(location))
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://")
}

// config parses a register URL into the pool's settings, with the TLS
// default this app uses.
func config(rawURL string, getenv func(string) string) (*pgxpool.Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	rawURL = strings.TrimSpace(rawURL)
	if !IsURL(rawURL) {
		return nil, fmt.Errorf("%q is not the address of a shared register: it must start with postgres:// or postgresql://", Redact(rawURL))
	}
	withTLS, err := secureByDefault(rawURL, getenv)
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(withTLS)
	if err != nil {
		return nil, fmt.Errorf("the shared register's address %s cannot be read: %s", Redact(rawURL), parseProblem(err))
	}
	return cfg, nil
}

// parseProblem is pgx's reason a connection string is wrong, without the
// string itself (pgx hides the password, but the message reads better
// without it).
func parseProblem(err error) string {
	var pe *pgconn.ParseConfigError
	if ok := asError(err, &pe); ok && pe.Unwrap() != nil {
		return pe.Unwrap().Error()
	}
	return err.Error()
}

// secureByDefault makes a remote server's connection verify its TLS
// certificate (sslmode=verify-full) unless the address or the PGSSLMODE
// variable says otherwise. pgx, like libpq, defaults to sslmode=prefer,
// which encrypts when it can but checks no certificate and falls back to
// plain text, so anyone on the path could read or change the register. A
// unix socket, or a server on this computer, needs no TLS: the traffic
// never leaves the machine.
func secureByDefault(rawURL string, getenv func(string) string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("the shared register's address %s cannot be read: %v", Redact(rawURL), err)
	}
	q := u.Query()
	if q.Has("sslmode") || q.Has("ssl") || q.Has("service") || getenv("PGSSLMODE") != "" || getenv("PGSERVICE") != "" {
		return rawURL, nil
	}
	hosts := q.Get("host")
	if u.Host != "" {
		hosts = u.Hostname()
		if strings.Count(u.Host, ",") > 0 { // several hosts: a,b:5433
			var hs []string
			for _, h := range strings.Split(u.Host, ",") {
				if i := strings.LastIndex(h, ":"); i >= 0 && !strings.HasSuffix(h, "]") {
					h = h[:i]
				}
				hs = append(hs, strings.Trim(h, "[]"))
			}
			hosts = strings.Join(hs, ",")
		}
	}
	if hosts == "" {
		hosts = getenv("PGHOST")
	}
	if !anyRemote(hosts) {
		return rawURL, nil
	}
	q.Set("sslmode", "verify-full")
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// anyRemote reports whether a comma-separated host list names a server on
// another computer. No host at all means the local default socket.
func anyRemote(hosts string) bool {
	for _, h := range strings.Split(hosts, ",") {
		h = strings.TrimSpace(h)
		switch {
		case h == "", strings.HasPrefix(h, "/"), strings.HasPrefix(h, "@"), // unix sockets
			strings.EqualFold(h, "localhost"), h == "127.0.0.1", h == "::1":
			continue
		}
		return true
	}
	return false
}

// Redact is a register URL fit to show: without its password.
func Redact(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		// Not a URL we can take apart: show only its scheme.
		if i := strings.Index(rawURL, "://"); i >= 0 {
			return rawURL[:i+3] + "…"
		}
		return "(the address given)"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// describe names the server, database and login of a connection, for
// messages.
func describe(c *pgconn.Config) (host, db, user string) {
	host = c.Host
	switch {
	case strings.HasPrefix(host, "/"):
		host = "the PostgreSQL server on this computer"
	default:
		host = fmt.Sprintf("the PostgreSQL server %s (port %d)", host, c.Port)
	}
	return host, c.Database, c.User
}
