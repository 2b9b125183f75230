package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"improvementtracker/model"
)

// Address is a shared register as a person names it in the window: the
// server, the database and the login. The password is not part of it: it
// comes from the pgpass file, or is typed for one connection.
type Address struct {
	// Server is the server's name or IP address, with ":port" when it is
	// not the usual 5432 (an IPv6 address in brackets: [::1]:5433), or
	// the folder of a unix socket on this computer (/var/run/postgresql).
	Server   string
	Database string
	User     string
}

// URL is the address as a register URL, with password when one is given
// (for one connection; the URL is never stored with it).
func (a Address) URL(password string) (string, error) {
	server := strings.TrimSpace(a.Server)
	db := strings.TrimSpace(a.Database)
	user := strings.TrimSpace(a.User)
	switch {
	case server == "":
		return "", errors.New("give the server's name, for example db.force.police.uk")
	case db == "":
		return "", errors.New("give the database that holds the register")
	case user == "":
		return "", errors.New("give your login on the server")
	case strings.ContainsAny(server, " /\\") && !strings.HasPrefix(server, "/"):
		return "", fmt.Errorf("%q is not a server's name: give a name such as db.force.police.uk, with :port after it if the force's IT gave one", server)
	}
	u := url.URL{Scheme: "postgres", Path: "/" + db}
	if password != "" {
		u.User = url.UserPassword(user, password)
	} else {
		u.User = url.User(user)
	}
	if strings.HasPrefix(server, "/") {
		// A unix socket's folder goes in the query: a path is no host.
		u.RawQuery = url.Values{"host": {server}}.Encode()
		return u.String(), nil
	}
	host, port := server, ""
	if h, p, err := net.SplitHostPort(server); err == nil {
		host, port = h, p
	} else if strings.Count(server, ":") > 1 && !strings.HasPrefix(server, "[") {
		host = server // a bare IPv6 address
	} else if strings.Contains(server, ":") {
		return "", fmt.Errorf("%q is not a server's name and port: write them as db.force.police.uk:5433", server)
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("%q is not a port number: a port is a number from 1 to 65535", port)
		}
	}
	host = strings.Trim(host, "[]")
	if host == "" {
		return "", errors.New("give the server's name, for example db.force.police.uk")
	}
	u.Host = host
	if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host += ":" + port
	}
	return u.String(), nil
}

// OpenAddress opens the shared register at a, with password when one is
// given (otherwise the pgpass file's, if it has one). A missing or wrong
// password gives an error wrapping model.ErrPassword.
func OpenAddress(ctx context.Context, a Address, password string, opts Options) (*Store, error) {
	u, err := a.URL(password)
	if err != nil {
		return nil, err
	}
	return Open(ctx, u, opts)
}

// Name names the register for a title bar: its database and server,
// "kent_register on db.kent.police.uk".
func (s *Store) Name() string {
	host := s.connCfg.Host
	switch {
	case strings.HasPrefix(host, "/"):
		host = "this computer"
	case s.connCfg.Port != 0 && s.connCfg.Port != 5432:
		host = net.JoinHostPort(host, strconv.Itoa(int(s.connCfg.Port)))
	}
	return s.db + " on " + host
}

// Location is where the store is, as the window asks for it: the server
// (with ":port" when it is not 5432, or a unix socket's folder), the
// database and the login; never a password.
func (s *Store) Location() (server, database, user string) {
	server = s.connCfg.Host
	if !strings.HasPrefix(server, "/") && s.connCfg.Port != 0 && s.connCfg.Port != 5432 {
		server = net.JoinHostPort(server, strconv.Itoa(int(s.connCfg.Port)))
	}
	return server, s.db, s.user
}

// passwordError is a refusal of the login for its password, in words,
// that the window recognises (model.ErrPassword) to ask for one.
type passwordError struct{ msg string }

func (e *passwordError) Error() string { return e.msg }
func (e *passwordError) Unwrap() error { return model.ErrPassword }
