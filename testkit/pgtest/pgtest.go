// Package pgtest runs a throwaway PostgreSQL server for a test binary, so
// that the shared-register store is tested against the real thing rather
// than a double.
//
// A package whose tests need PostgreSQL calls Main from its TestMain: it
// makes a new cluster in a temporary folder with the distribution's
// postgresql binaries, starts it on a unix socket only (it listens on no
// network port), runs the tests and removes the cluster. Each test then asks
// NewDatabase for an empty database of its own.
//
// If the server cannot be started, every test that asks for a database
// fails with the reason. Tests are skipped only when the environment says
// IMPROVEMENT_TRACKER_PG=skip, which CI never sets.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvSkip names the variable that skips the PostgreSQL tests when set to
// "skip", for a machine where the server cannot be installed.
const EnvSkip = "IMPROVEMENT_TRACKER_PG"

// port names the server's socket file (.s.PGSQL.5432); nothing listens on
// a network port.
const port = 5432

// server is the cluster of this test binary.
var server struct {
	mu      sync.Mutex
	dir     string // the cluster's folder: data, sock, log
	bin     string // the folder with initdb and pg_ctl
	asUser  string // run the server as this user (when the tests run as root)
	err     error  // why the server is not running
	skipped bool
	n       int // databases made so far
}

// Main starts the server, runs the tests and stops the server; a TestMain
// returns its result: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	if os.Getenv(EnvSkip) == "skip" {
		server.skipped = true
		return m.Run()
	}
	if err := start(); err != nil {
		server.err = err
		fmt.Fprintf(os.Stderr, "pgtest: PostgreSQL could not be started, so its tests will fail: %v\n", err)
	}
	code := m.Run()
	stop()
	return code
}

// Available reports whether the server is running; the tests that need it
// call NewDatabase, which fails them when it is not.
func Available() bool { return server.err == nil && !server.skipped && server.dir != "" }

// NewDatabase makes an empty database for t and returns its URL, as the
// superuser over the unix socket. The database is dropped when t ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	requireServer(t)
	server.mu.Lock()
	server.n++
	name := fmt.Sprintf("test_%d", server.n)
	server.mu.Unlock()
	if _, err := Exec(context.Background(), "postgres", "CREATE DATABASE "+name); err != nil {
		t.Fatalf("making a test database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := Exec(context.Background(), "postgres", "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("dropping the test database %s: %v", name, err)
		}
	})
	return URL(name, "postgres", "")
}

// requireServer fails (or, with IMPROVEMENT_TRACKER_PG=skip, skips) t when
// there is no server.
func requireServer(t testing.TB) {
	t.Helper()
	switch {
	case server.skipped:
		t.Skipf("PostgreSQL tests skipped: %s=skip", EnvSkip)
	case server.err != nil:
		t.Fatalf("PostgreSQL is needed for this test and could not be started: %v", server.err)
	case server.dir == "":
		t.Fatal("PostgreSQL is needed for this test: call pgtest.Main from the package's TestMain")
	}
}

// URL is the address of database db on the test server as user, with a
// password when one is given.
func URL(db, usr, password string) string {
	u := url.URL{Scheme: "postgres", Path: "/" + db}
	if password != "" {
		u.User = url.UserPassword(usr, password)
	} else {
		u.User = url.User(usr)
	}
	q := url.Values{}
	q.Set("host", SocketDir())
	q.Set("port", strconv.Itoa(port))
	u.RawQuery = q.Encode()
	return u.String()
}

// SocketDir is the folder of the server's unix socket.
func SocketDir() string { return filepath.Join(server.dir, "sock") }

// Exec runs SQL as the superuser on database db, for tests that make
// logins or break things on purpose.
func Exec(ctx context.Context, db, sql string, args ...any) (int64, error) {
	conn, err := pgx.Connect(ctx, URL(db, "postgres", ""))
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	tag, err := conn.Exec(ctx, sql, args...)
	return tag.RowsAffected(), err
}

// start makes and starts the cluster.
func start() error {
	bin, err := findBin()
	if err != nil {
		return err
	}
	server.bin = bin
	dir, err := os.MkdirTemp("", "improvement-tracker-pg-")
	if err != nil {
		return err
	}
	server.dir = dir
	if err := os.Mkdir(filepath.Join(dir, "sock"), 0o700); err != nil {
		return err
	}
	if os.Geteuid() == 0 {
		// The server refuses to run as root: it runs as the postgres
		// user the package made, which must own the cluster's folder.
		u, err := user.Lookup("postgres")
		if err != nil {
			return fmt.Errorf("the tests run as root and the server must run as the postgres user, which does not exist: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, p := range []string{dir, filepath.Join(dir, "sock")} {
			if err := os.Chown(p, uid, gid); err != nil {
				return err
			}
		}
		server.asUser = "postgres"
	}
	data := filepath.Join(dir, "data")
	if out, err := run("initdb", "-D", data, "--auth=trust", "-U", "postgres", "-E", "UTF8", "--no-sync"); err != nil {
		return fmt.Errorf("initdb failed: %v\n%s", err, out)
	}
	// The superuser connects without a password; every other login gives
	// its password, so that tests can try a wrong one.
	hba := "local all postgres trust\nlocal all all scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return err
	}
	if server.asUser != "" {
		if out, err := exec.Command("chown", "postgres:postgres", filepath.Join(data, "pg_hba.conf")).CombinedOutput(); err != nil {
			return fmt.Errorf("chown pg_hba.conf: %v: %s", err, out)
		}
	}
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses='' -c max_connections=200", filepath.Join(dir, "sock"), port)
	if out, err := run("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return fmt.Errorf("pg_ctl start failed: %v\n%s\n%s", err, out, log)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := Exec(ctx, "postgres", "SELECT 1"); err != nil {
		return fmt.Errorf("the server started but does not answer: %w", err)
	}
	return nil
}

// stop stops the server at once (the data is thrown away) and removes the
// cluster.
func stop() {
	if server.dir == "" {
		return
	}
	if server.err == nil {
		_, _ = run("pg_ctl", "-D", filepath.Join(server.dir, "data"), "-m", "immediate", "-w", "stop")
	}
	_ = os.RemoveAll(server.dir)
}

// run runs one of the server's programs, as the postgres user when the
// tests run as root, in a locale every machine has: initdb fails on one
// that is not installed.
func run(prog string, args ...string) ([]byte, error) {
	path := filepath.Join(server.bin, prog)
	var cmd *exec.Cmd
	if server.asUser != "" {
		cmd = exec.Command("runuser", append([]string{"-u", server.asUser, "--", path}, args...)...)
	} else {
		cmd = exec.Command(path, args...)
	}
	cmd.Dir = server.dir
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8")
	return cmd.CombinedOutput()
}

// findBin finds the folder with initdb and pg_ctl: Debian keeps them under
// /usr/lib/postgresql/VERSION/bin, off the PATH; elsewhere they are usually
// on it. The newest version installed wins.
func findBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		d := filepath.Dir(p)
		if isExec(filepath.Join(d, "pg_ctl")) {
			return d, nil
		}
	}
	return "", errors.New("the PostgreSQL server programs (initdb, pg_ctl) are not installed: install the postgresql package (make test does), or set " + EnvSkip + "=skip to skip these tests")
}

// version is the major version in a /usr/lib/postgresql/VERSION/bin path.
func version(binDir string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return v
}

func isExec(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir() && info.Mode()&0o111 != 0
}

// Quote quotes an identifier for SQL.
func Quote(name string) string { return pgx.Identifier{name}.Sanitize() }

// NewLogin makes a login with a password on the test server for t, named
// base with a number that makes it unique (logins belong to the whole
// server, which every test of the binary shares); it is dropped when t
// ends.
func NewLogin(t testing.TB, base string) (name, password string) {
	t.Helper()
	requireServer(t)
	server.mu.Lock()
	server.n++
	name = fmt.Sprintf("%s_%d", base, server.n)
	server.mu.Unlock()
	password = "pw-" + name
	if _, err := Exec(context.Background(), "postgres", "CREATE ROLE "+Quote(name)+" LOGIN PASSWORD '"+password+"'"); err != nil {
		t.Fatalf("making the login %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := Exec(context.Background(), "postgres", "DROP ROLE IF EXISTS "+Quote(name)); err != nil {
			t.Errorf("dropping the login %s: %v", name, err)
		}
	})
	return name, password
}

// Psql runs sql through the psql client of the server's installation, at
// url, stopping at the first error; it returns what psql printed (rows
// unaligned, without headers) and its error output. The role tests use it
// to show that the database holds a login to its role whatever program it
// connects with.
func Psql(t testing.TB, url, sql string) (out string, err error) {
	t.Helper()
	requireServer(t)
	path := filepath.Join(server.bin, "psql")
	if !isExec(path) {
		if path, err = exec.LookPath("psql"); err != nil {
			t.Fatalf("the psql client is not installed (it comes with the postgresql package): %v", err)
		}
	}
	cmd := exec.Command(path, "--no-psqlrc", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=C.UTF-8", "PGCONNECT_TIMEOUT=30")
	b, err := cmd.CombinedOutput()
	return string(b), err
}
