package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"improvementtracker/testkit/pgtest"
)

// runWithEnv runs a command with one environment variable set.
func runWithEnv(t *testing.T, key, value string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(k string) string {
		if k == key {
			return value
		}
		return ""
	}
	code = Run(args, &Env{Stdout: &out, Stderr: &errOut, Getenv: getenv})
	return code, out.String(), errOut.String()
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := run(t, args...)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// TestSharedRegisterCommands sets up a shared register, copies the Kent
// sample into it from a file, lists it as the file lists, and copies it
// back into a new file.
func TestSharedRegisterCommands(t *testing.T) {
	url := pgtest.NewDatabase(t)
	dir := t.TempDir()
	kent := filepath.Join(dir, "kent.db")
	mustRun(t, "sample", "--db", kent)

	code, _, errOut := run(t, "list", "--db", url)
	if code != 1 || !strings.Contains(errOut, "holds no register yet") || !strings.Contains(errOut, "server init") {
		t.Errorf("list before server init: exit %d, %q", code, errOut)
	}
	out := mustRun(t, "server", "init", "--db", url)
	if !strings.Contains(out, "made a new, empty register (schema version 5)") {
		t.Errorf("server init says %q", out)
	}
	if out := mustRun(t, "server", "init", "--db", url); !strings.Contains(out, "already up to date") {
		t.Errorf("server init again says %q", out)
	}
	if out := mustRun(t, "list", "--db", url); !strings.HasPrefix(out, "The shared register in database") || !strings.Contains(out, "has no findings yet") {
		t.Errorf("list of an empty shared register: %q", out)
	}

	out = mustRun(t, "copy", "--from", kent, "--to", url)
	if !strings.Contains(out, "Copied "+kent+" into "+url) || !strings.Contains(out, "21 findings") {
		t.Errorf("copy says %q", out)
	}
	for _, format := range []string{"table", "csv"} {
		fromFile := mustRun(t, "list", "--db", kent, "--format", format)
		fromServer := mustRun(t, "list", "--db", url, "--format", format)
		if fromServer != fromFile {
			t.Errorf("list --format %s differs:\nserver:\n%s\nfile:\n%s", format, fromServer, fromFile)
		}
		if strings.Count(fromFile, "KEN-PEEL2122-") != 21 {
			t.Errorf("list --format %s shows %d findings, want 21", format, strings.Count(fromFile, "KEN-PEEL2122-"))
		}
	}
	// IMPROVEMENT_TRACKER_DB takes the address too.
	code, viaEnv, errOut := runWithEnv(t, "IMPROVEMENT_TRACKER_DB", url, "list", "--format", "csv")
	if code != 0 || viaEnv != mustRun(t, "list", "--db", kent, "--format", "csv") {
		t.Errorf("list with IMPROVEMENT_TRACKER_DB=%s: exit %d, %s%s", url, code, viaEnv, errOut)
	}

	back := filepath.Join(dir, "back.db")
	mustRun(t, "copy", "--from", url, "--to", back)
	if got, want := mustRun(t, "list", "--db", back, "--format", "csv"), mustRun(t, "list", "--db", kent, "--format", "csv"); got != want {
		t.Errorf("the file copied back lists:\n%s\nwant:\n%s", got, want)
	}
	if out := mustRun(t, "check", "--db", back); !strings.Contains(out, "is sound: 21 findings") {
		t.Errorf("check of the file copied back: %q", out)
	}

	for _, c := range []struct {
		name  string
		args  []string
		code  int
		parts []string
	}{
		{"into a register that is not empty", []string{"copy", "--from", kent, "--to", url}, 1,
			[]string{"the target already holds settings", "register is not empty", "only into an empty register"}},
		{"into a file that is not empty", []string{"copy", "--from", url, "--to", back}, 1, []string{"the target already holds"}},
		{"from a file that is not there", []string{"copy", "--from", filepath.Join(dir, "none.db"), "--to", filepath.Join(dir, "new.db")}, 1,
			[]string{"there is no register file at"}},
		{"onto itself", []string{"copy", "--from", kent, "--to", kent}, 1, []string{"the source and the target are the same register"}},
		{"without --to", []string{"copy", "--from", kent}, 2, []string{"give both"}},
		{"server init of a file", []string{"server", "init", "--db", kent}, 2, []string{"server init works on a shared register on a PostgreSQL server"}},
		{"backup of a shared register", []string{"backup", "--db", url}, 1, []string{"backup works on a register file", "pg_dump"}},

		{"restore of a shared register", []string{"restore", "x.db", "--db", url}, 1, []string{"restore works on a register file"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d: %s%s", code, c.code, out, errOut)
			}
			for _, p := range c.parts {
				if !strings.Contains(errOut, p) {
					t.Errorf("the message %q does not say %q", errOut, p)
				}
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); err == nil {
		t.Error("a failed copy left a new file behind")
	}
	// The refused copies changed nothing.
	if got := mustRun(t, "list", "--db", url, "--format", "csv"); got != mustRun(t, "list", "--db", kent, "--format", "csv") {
		t.Errorf("a refused copy changed the shared register:\n%s", got)
	}
}

// TestServerInitNewer checks that server init leaves a register from a
// newer version alone and says so.
func TestServerInitNewer(t *testing.T) {
	url := pgtest.NewDatabase(t)
	mustRun(t, "server", "init", "--db", url)
	db := url[strings.Index(url, "@/")+2 : strings.Index(url, "?")]
	if _, err := pgtest.Exec(context.Background(), db, `UPDATE improvement_tracker.meta SET value = '7' WHERE key = 'schema_version'`); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := run(t, "server", "init", "--db", url)
	if code != 1 || !strings.Contains(errOut, "newer version of Improvement Tracker") || !strings.Contains(errOut, "Nothing was changed") {
		t.Errorf("server init of a newer register: exit %d, %q", code, errOut)
	}
	code, _, errOut = run(t, "list", "--db", url)
	if code != 1 || !strings.Contains(errOut, "newer version") {
		t.Errorf("list of a newer register: exit %d, %q", code, errOut)
	}
}

// TestServerGrant gives a login a role through the command line, changes
// it, lists the logins and takes the role away; and refuses mistakes in
// words.
func TestServerGrant(t *testing.T) {
	url := pgtest.NewDatabase(t)
	db := url[strings.Index(url, "@/")+2 : strings.Index(url, "?")]
	kent := filepath.Join(t.TempDir(), "kent.db")
	mustRun(t, "sample", "--db", kent)
	mustRun(t, "server", "init", "--db", url)
	mustRun(t, "copy", "--from", kent, "--to", url)
	login, password := pgtest.NewLogin(t, "registrar")
	asLogin := pgtest.URL(db, login, password)

	code, _, errOut := run(t, "list", "--db", asLogin)
	if code != 1 || !strings.Contains(errOut, `the login "`+login+`" has no role in this register`) {
		t.Errorf("list before the grant: exit %d, %q", code, errOut)
	}
	out := mustRun(t, "server", "grant", "--db", url, "--login", login, "--role", "delivery-lead", "--person", "Force Crime and Incident Registrar")
	want := `the login "` + login + `" is now a delivery lead, and the audit trail names its changes Force Crime and Incident Registrar.`
	if !strings.HasSuffix(strings.TrimSpace(out), want) {
		t.Errorf("server grant says %q, want it to end %q", out, want)
	}
	if got, want := mustRun(t, "list", "--db", asLogin, "--format", "csv"), mustRun(t, "list", "--db", kent, "--format", "csv"); got != want {
		t.Errorf("the delivery lead lists:\n%s\nwant:\n%s", got, want)
	}
	out = mustRun(t, "server", "grant", "--db", url, "--login", login, "--role", "viewer")
	if !strings.Contains(out, `the login "`+login+`" is now a viewer (it was a delivery lead).`) {
		t.Errorf("the re-grant says %q", out)
	}
	out = mustRun(t, "server", "logins", "--db", url)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || strings.Fields(lines[0])[0] != "Login" || !strings.HasPrefix(lines[1], login+"  ") ||
		!strings.Contains(lines[1], "viewer") || !strings.Contains(lines[1], "(none: a viewer changes nothing)") {
		t.Errorf("server logins:\n%s", out)
	}
	out = mustRun(t, "server", "grant", "--db", url, "--login", login, "--revoke")
	if !strings.Contains(out, `the login "`+login+`" is no longer a viewer; it can no longer open the register.`) {
		t.Errorf("--revoke says %q", out)
	}
	if out := mustRun(t, "server", "logins", "--db", url); !strings.Contains(out, "no login has a role yet") {
		t.Errorf("server logins after the revoke: %q", out)
	}

	for _, c := range []struct {
		name  string
		args  []string
		code  int
		parts []string
	}{
		{"no login", []string{"server", "grant", "--db", url, "--role", "viewer"}, 2, []string{"give the login with --login NAME"}},
		{"no role", []string{"server", "grant", "--db", url, "--login", login}, 2, []string{"give the role with --role"}},
		{"a role that is not one", []string{"server", "grant", "--db", url, "--login", login, "--role", "chief"}, 2,
			[]string{`"chief" is not a role: use improvement-lead, delivery-lead or viewer`}},
		{"a register file", []string{"server", "grant", "--db", kent, "--login", login, "--role", "viewer"}, 2,
			[]string{"server grant works on a shared register on a PostgreSQL server"}},
		{"a person nobody is", []string{"server", "grant", "--db", url, "--login", login, "--role", "viewer", "--person", "Jo Nobody"}, 1,
			[]string{`no one in the register is called "Jo Nobody"`}},
		{"revoke with a role", []string{"server", "grant", "--db", url, "--login", login, "--role", "viewer", "--revoke"}, 2,
			[]string{"--revoke takes the login's role away"}},
		{"grant run by the login itself", []string{"server", "grant", "--db", asLogin, "--login", login, "--role", "improvement-lead"}, 1,
			[]string{"only the login that set up", "may give roles in it"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := run(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d: %s%s", code, c.code, out, errOut)
			}
			for _, p := range c.parts {
				if !strings.Contains(errOut, p) {
					t.Errorf("the message %q does not say %q", errOut, p)
				}
			}
		})
	}
}
