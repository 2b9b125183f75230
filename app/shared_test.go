package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/pgtest"
)

// realOpenShared is what the program gives the window for File → Open
// shared register… (gui_shared.go): the store's own opening by address.
func realOpenShared(ctx context.Context, a SharedAddress, password string) (model.Store, error) {
	s, err := postgres.OpenAddress(ctx, postgres.Address{Server: a.Server, Database: a.Database, User: a.User}, password, postgres.Options{})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// realNewRegisterFile is what the program gives the window for a copy of
// a shared register.
func realNewRegisterFile(path string) (model.Store, error) {
	s, err := bolt.Open(path, bolt.Options{NoBackup: true})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// sampleServerRegister makes a shared register holding the Kent sample and
// returns its database's name.
func sampleServerRegister(t *testing.T) string {
	t.Helper()
	url := newServerRegister(t)
	s := openServer(t, url, nil)
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	return dbOf(t, url)
}

// dbOf is the database a test URL names.
func dbOf(t *testing.T, url string) string {
	t.Helper()
	i := strings.LastIndex(url, "/")
	j := strings.Index(url, "?")
	if i < 0 || j < i {
		t.Fatalf("cannot read the database of %s", url)
	}
	return url[i+1 : j]
}

// sharedEntries are the server, database and login fields of the open
// shared-register dialog.
func (h *harness) sharedEntries() (server, database, user *lineEntry) {
	h.t.Helper()
	var es []*lineEntry
	for _, o := range h.overlay() {
		if e, ok := o.(*lineEntry); ok {
			es = append(es, e)
		}
	}
	if len(es) != 3 {
		h.t.Fatalf("the dialog has %d fields, want server, database and login", len(es))
	}
	return es[0], es[1], es[2]
}

// closeAtEnd closes the register the window opened when the test ends,
// before its database is dropped.
func closeAtEnd(t *testing.T, h *harness) {
	t.Helper()
	t.Cleanup(func() {
		h.u.stopLive()
		_ = h.u.store.Close()
	})
}

// passwordEntry is the password field of the dialog in front.
func (h *harness) passwordEntry() *widget.Entry {
	h.t.Helper()
	for _, o := range h.overlay() {
		if e, ok := o.(*widget.Entry); ok && e.Password {
			return e
		}
	}
	h.t.Fatal("no password field in the dialog")
	return nil
}

// TestOpenSharedRegister opens a shared register from the File menu's
// dialog, prefilled from the last one opened: the window shows it, names
// it in the title, listens for colleagues' saves, and remembers the
// address without any password.
func TestOpenSharedRegister(t *testing.T) {
	db := sampleServerRegister(t)
	h := newHarness(t, false, func(o *Options) { o.OpenShared = realOpenShared })
	last := SharedAddress{Server: pgtest.SocketDir(), Database: db, User: "postgres"}
	raw, _ := json.Marshal(last)
	h.u.prefs.SetString(prefSharedLast, string(raw))
	old := h.u.store

	h.u.onOpenShared()
	server, database, user := h.sharedEntries()
	if server.Text != last.Server || database.Text != db || user.Text != "postgres" {
		t.Fatalf("the dialog is prefilled with %q, %q, %q; want the last register opened", server.Text, database.Text, user.Text)
	}
	h.tapDialog("Open")
	h.noDialog()
	if h.u.store == old {
		t.Fatal("the window still shows the previous register")
	}
	closeAtEnd(t, h)
	if err := old.View(context.Background(), func(model.ReadTx) error { return nil }); err == nil {
		t.Error("the previous register was not closed")
	}
	if want := db + " on this computer — Kent Police — Improvement Tracker"; h.u.win.Title() != want {
		t.Errorf("title %q, want %q", h.u.win.Title(), want)
	}
	if h.u.live == nil {
		t.Error("the window does not listen for colleagues' saves")
	}
	h.u.goToScreen("Register")
	if got, want := len(h.u.register.data.rows), findingCount(t, h.u.store); got != want || got == 0 {
		t.Errorf("the register lists %d findings, the server holds %d", got, want)
	}
	var recent []SharedAddress
	if err := json.Unmarshal([]byte(h.u.prefs.String(prefSharedRecent)), &recent); err != nil || !slices.Equal(recent, []SharedAddress{last}) {
		t.Errorf("recent registers %v (%v), want just %+v", recent, err, last)
	}

	// Opening it again says so and changes nothing.
	store := h.u.store
	h.u.onOpenShared()
	h.tapDialog("Open")
	if h.u.store != store {
		t.Error("opening the open register again replaced it")
	}
}

// TestOpenSharedAsksForPassword: a login that needs a password, with none
// in a pgpass file, is asked for it; a wrong one is refused and asked for
// again; the right one opens the register; no password is kept.
func TestOpenSharedAsksForPassword(t *testing.T) {
	ctx := context.Background()
	db := sampleServerRegister(t)
	reader, secret := pgtest.NewLogin(t, "window_reader")
	if _, err := postgres.Grant(ctx, pgtest.URL(db, "postgres", ""), postgres.Options{}, reader, postgres.RoleViewer, ""); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PGPASSFILE", filepath.Join(t.TempDir(), "none"))
	h := newHarness(t, false, func(o *Options) { o.OpenShared = realOpenShared })

	h.u.onOpenShared()
	server, database, user := h.sharedEntries()
	typeInto(server, pgtest.SocketDir())
	typeInto(database, db)
	typeInto(user, reader)
	h.tapDialog("Open")
	if !h.dialogShows(`asks for the password of the login "` + reader + `"`) {
		t.Fatal("the window did not ask for the password")
	}
	test.Type(h.passwordEntry(), "not it")
	h.tapDialog("Connect")
	if !h.dialogShows("The server refused that password") {
		t.Fatal("a wrong password was not said to be refused")
	}
	pw := h.passwordEntry()
	if pw.Text != "" {
		t.Errorf("the password field keeps %q after a refusal", pw.Text)
	}
	test.Type(pw, secret)
	h.tapDialog("Connect")
	h.noDialog()
	closeAtEnd(t, h)
	if got := storeLogin(h.u.store); got != reader {
		t.Fatalf("the window shows a register opened as %q", got)
	}
	for _, key := range []string{prefSharedLast, prefSharedRecent} {
		if v := h.u.prefs.String(key); strings.Contains(v, secret) || strings.Contains(v, "not it") || !strings.Contains(v, reader) {
			t.Errorf("preference %s holds %q: it must name the login and never a password", key, v)
		}
	}
}

// TestOpenSharedProblems: a register that cannot be opened leaves the one
// open as it was, and the dialog comes back with what was typed and the
// store's sentence saying why.
func TestOpenSharedProblems(t *testing.T) {
	h := newHarness(t, true, func(o *Options) { o.OpenShared = realOpenShared })
	old := h.u.store
	for _, c := range []struct {
		name                   string
		server, database, user string
		want                   string
	}{
		{"no such database", pgtest.SocketDir(), "no_such_register", "postgres", `There is no database "no_such_register"`},
		{"no server", t.TempDir(), "register", "postgres", "Cannot reach the PostgreSQL server on this computer"},
		{"no database holds a register", pgtest.SocketDir(), dbOf(t, pgtest.NewDatabase(t)), "postgres", "holds no register yet"},
		{"missing login", pgtest.SocketDir(), "register", "", "Give your login on the server"},
	} {
		t.Run(c.name, func(t *testing.T) {
			h.u.onOpenShared()
			server, database, user := h.sharedEntries()
			typeInto(server, c.server)
			typeInto(database, c.database)
			typeInto(user, c.user)
			h.tapDialog("Open")
			if !h.dialogShows(c.want) {
				t.Errorf("the dialog does not say %q", c.want)
			}
			server, database, user = h.sharedEntries()
			if server.Text != c.server || database.Text != c.database || user.Text != c.user {
				t.Errorf("the dialog came back with %q, %q, %q; want what was typed", server.Text, database.Text, user.Text)
			}
			h.tapDialog("Cancel")
			if h.u.win.Canvas().Overlays().Top() != nil {
				h.tapDialog("Discard") // it asks before dropping what was typed
			}
			h.noDialog()
			if h.u.store != old {
				t.Fatal("the open register was replaced")
			}
		})
	}
	if h.u.prefs.String(prefSharedLast) != "" {
		t.Errorf("a register that did not open was remembered: %s", h.u.prefs.String(prefSharedLast))
	}
}

// TestSaveCopyOfSharedRegister: File → Save a copy… on a shared register
// writes a register file that opens without the server, holds the same
// register, and passes the file's check.
func TestSaveCopyOfSharedRegister(t *testing.T) {
	h, _, _ := newServerHarness(t, func(o *Options) { o.NewRegisterFile = realNewRegisterFile })
	dir := t.TempDir()
	path, err := h.u.saveCopyIn(h.u.store, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Base(path), "Kent Police register 2026-11-20.db"; got != want {
		t.Errorf("copy named %q, want %q", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want just the copy", len(entries))
	}
	if runtime.GOOS != "windows" {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
			t.Errorf("the copy's permissions: %v %v, want 0600", st.Mode().Perm(), err)
		}
	}
	c := openCopy(t, path)
	if problems, err := c.Check(); err != nil || len(problems) > 0 {
		t.Errorf("the copy fails its check: %v %v", problems, err)
	}
	type content struct {
		refs   []string
		audit  int
		people int
	}
	read := func(s model.Store) content {
		var out content
		err := s.View(context.Background(), func(tx model.ReadTx) error {
			fs, err := tx.Findings()
			if err != nil {
				return err
			}
			for _, f := range fs {
				out.refs = append(out.refs, f.Ref)
			}
			ev, err := tx.Audit(0)
			out.audit = len(ev)
			ps, _ := tx.People()
			out.people = len(ps)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want, got := read(h.u.store), read(c)
	if !slices.Equal(got.refs, want.refs) || got.audit != want.audit || got.people != want.people || len(want.refs) == 0 {
		t.Errorf("the copy holds %d findings, %d audit events, %d people; the server %d, %d, %d",
			len(got.refs), got.audit, got.people, len(want.refs), want.audit, want.people)
	}
	if msg := copySavedMessage(h.u.store, path); !strings.Contains(msg, "opens without the server") {
		t.Errorf("the window says %q after the copy", msg)
	}
}

// TestSaveCopyOfSharedRegisterProblems: a folder that cannot be written
// leaves no file behind and says so.
func TestSaveCopyOfSharedRegisterProblems(t *testing.T) {
	h, _, _ := newServerHarness(t, func(o *Options) { o.NewRegisterFile = realNewRegisterFile })
	missing := filepath.Join(t.TempDir(), "gone")
	if _, err := h.u.saveCopyIn(h.u.store, missing); err == nil || !strings.Contains(err.Error(), "the copy could not be written in") {
		t.Errorf("copying into a missing folder gave %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("copying into a missing folder made the folder")
	}
}

// TestServerSaveDeadline: a save the server does not get to (here, another
// connection holds the register's write lock and never lets go) ends at
// the window's deadline with a plain message, and what was typed stays.
func TestServerSaveDeadline(t *testing.T) {
	h, _, url := newServerHarness(t)
	h.u.writeTimeout = time.Second
	h.u.goToScreen("Register")
	e := h.openRUI()
	typeInto(e.interpretation, "Typed while the server is stuck")

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	// The owner's connection, which the server does not end for sitting
	// idle with the lock.
	if _, err := tx.Exec(ctx, `SELECT * FROM improvement_tracker.lock_register(); SET LOCAL idle_in_transaction_session_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	e.onSave()
	h.u.wait()
	if !h.dialogShows("did not answer in time, so the change was not saved") {
		t.Error("the window does not say that the server did not answer")
	}
	if e.interpretation.Text != "Typed while the server is stuck" || !e.dirty() {
		t.Errorf("the form holds %q after the failed save", e.interpretation.Text)
	}
}
