package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"improvementtracker/model"
	"improvementtracker/storage/bolt"
)

// findingCount reads how many findings a register holds.
func findingCount(t *testing.T, s model.Store) int {
	t.Helper()
	n := 0
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		n = len(fs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// openCopy opens a saved copy as a register of its own.
func openCopy(t *testing.T, path string) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(path, bolt.Options{NoBackup: true, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("the copy does not open as a register: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSaveCopy(t *testing.T) {
	h := newFileHarness(t, true)
	dir := t.TempDir()

	path, err := h.u.saveCopyIn(h.u.store, dir)
	if err != nil {
		t.Fatal(err)
	}
	// The sample is Kent's, and the clock stands at 20/11/2026.
	if got, want := filepath.Base(path), "Kent Police register 2026-11-20.db"; got != want {
		t.Errorf("copy named %q, want %q", got, want)
	}
	if runtime.GOOS != "windows" {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("copy has permissions %v, want 0600: it holds the whole register", st.Mode().Perm())
		}
	}

	// A second copy on the same day gets a new name; nothing is replaced.
	again, err := h.u.saveCopyIn(h.u.store, dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Base(again), "Kent Police register 2026-11-20 (2).db"; got != want {
		t.Errorf("second copy named %q, want %q", got, want)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the folder holds %v; want just the two copies, no temporary files", names)
	}

	want := findingCount(t, h.store)
	c := openCopy(t, path)
	if got := findingCount(t, c); got != want || want == 0 {
		t.Errorf("the copy holds %d findings, the register %d", got, want)
	}
	if problems, err := c.Check(); err != nil || len(problems) > 0 {
		t.Errorf("the copy fails its check: %v %v", problems, err)
	}
}

// TestSaveCopyCarriesFiles: a saved copy gets the attached files its
// evidence refers to in the folder beside it, and reads them back without
// the register's own folder.
func TestSaveCopyCarriesFiles(t *testing.T) {
	h := newFileHarness(t, true)
	data := []byte("%PDF the force's action plan")
	e := model.Evidence{Title: "Action plan", FileName: "plan.pdf", EffectiveDate: model.MustDate("01/10/2026")}
	if err := h.store.Update(context.Background(), model.Actor{Who: "Test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil || len(fs) == 0 {
			return errors.Join(err, errors.New("the sample has no findings"))
		}
		e.FindingID = fs[0].ID
		return tx.AddEvidence(&e, data)
	}); err != nil {
		t.Fatal(err)
	}
	path, err := h.u.saveCopyIn(h.u.store, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fs, ok := h.store.(model.FileStore)
	if !ok {
		t.Fatal("the harness's register is not a file")
	}
	if err := os.RemoveAll(bolt.FilesDir(fs.Path())); err != nil {
		t.Fatal(err)
	}
	c := openCopy(t, path)
	if err := c.View(context.Background(), func(tx model.ReadTx) error {
		got, err := tx.EvidenceFile(e.ID)
		if err == nil && string(got) != string(data) {
			t.Errorf("the copy's file reads back as %q", got)
		}
		return err
	}); err != nil {
		t.Fatalf("the copy's attached file: %v", err)
	}
}

// TestSaveCopyWhileWriting saves copies while another goroutine keeps
// writing: each copy is a consistent register at some moment.
func TestSaveCopyWhileWriting(t *testing.T) {
	h := newFileHarness(t, true)
	dir := t.TempDir()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			err := h.store.Update(context.Background(), model.Actor{Who: "Test"}, func(tx model.Tx) error {
				p := model.Person{Name: "Person " + strings.Repeat("x", i%7+1)}
				return tx.SavePerson(&p)
			})
			if err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var paths []string
	for range 3 {
		p, err := h.u.saveCopyIn(h.u.store, dir)
		if err != nil {
			t.Error(err)
			break
		}
		paths = append(paths, p)
	}
	close(stop)
	wg.Wait()
	for _, p := range paths {
		c := openCopy(t, p)
		if problems, err := c.Check(); err != nil || len(problems) > 0 {
			t.Errorf("%s fails its check: %v %v", filepath.Base(p), problems, err)
		}
		_ = c.Close()
	}
}

func TestSaveCopyProblems(t *testing.T) {
	h := newFileHarness(t, false)
	missing := filepath.Join(t.TempDir(), "no such folder")
	if _, err := h.u.saveCopyIn(h.u.store, missing); err == nil || !strings.Contains(err.Error(), "the copy could not be written in") {
		t.Errorf("saving into a missing folder: error %v, want one saying the copy could not be written", err)
	}
	if _, err := h.u.saveCopyIn(h.u.store, ""); err == nil {
		t.Error("saving with no folder chosen gave no error")
	}
}

func TestCopyBaseName(t *testing.T) {
	tests := map[string]struct{ force, want string }{
		"force name":              {"Kent Police", "Kent Police register 2026-11-20"},
		"no force name yet":       {"", "Register 2026-11-20"},
		"characters Windows bars": {`Avon/Somerset: "A|B" <C>?*\`, "AvonSomerset AB C register 2026-11-20"},
		"only dots and spaces":    {" .. ", "Register 2026-11-20"},
		"control characters":      {"Kent\tPolice\n", "KentPolice register 2026-11-20"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := copyBaseName(tt.force, "2026-11-20"); got != tt.want {
				t.Errorf("copyBaseName(%q) = %q, want %q", tt.force, got, tt.want)
			}
		})
	}
}

// newOtherRegister makes a second register file for a force called name
// and returns its path, closed.
func newOtherRegister(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	s, err := bolt.Open(path, bolt.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(context.Background(), model.Actor{Who: "Test"}, func(tx model.Tx) error {
		set, err := tx.Settings()
		if err != nil {
			return err
		}
		set.ForceName = name
		set.RefPrefix = "EXC"
		return tx.SaveSettings(set)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// useOpener gives the window the program's way of opening registers, with
// a short lock timeout so that the locked case is quick.
func useOpener(t *testing.T, h *harness) {
	h.u.openStore = func(path string) (model.Store, error) {
		s, err := bolt.Open(path, bolt.Options{NoBackup: true, Timeout: 200 * time.Millisecond})
		if err != nil {
			return nil, err
		}
		t.Cleanup(func() { _ = s.Close() })
		return s, nil
	}
}

func TestOpenRegister(t *testing.T) {
	h := newFileHarness(t, true)
	useOpener(t, h)
	other := newOtherRegister(t, "Example Constabulary")

	h.u.openRegisterAt(other)
	h.u.wait()
	h.noDialog()
	if storePath(h.u.store) != other {
		t.Fatalf("the window shows %s, want %s", storePath(h.u.store), other)
	}
	if title := h.u.win.Title(); !strings.Contains(title, "Example Constabulary") {
		t.Errorf("title %q does not name the register's force", title)
	}
	// The other register is empty, so the welcome screen shows.
	if findingCount(t, h.u.store) != 0 || h.u.body.Objects[0] != h.u.welcome.content {
		t.Error("the empty register did not bring up the welcome screen")
	}
	// The first register was closed, so that another window can open it.
	if err := h.store.View(context.Background(), func(model.ReadTx) error { return nil }); err == nil {
		t.Error("the previous register is still open")
	}
}

func TestOpenRegisterProblems(t *testing.T) {
	notRegister := filepath.Join(t.TempDir(), "notes.db")
	if err := os.WriteFile(notRegister, []byte("meeting notes, not a register"), 0o600); err != nil {
		t.Fatal(err)
	}
	locked := newOtherRegister(t, "Example Constabulary")
	holder, err := bolt.Open(locked, bolt.Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = holder.Close() })

	tests := map[string]struct {
		path string
		want []string
	}{
		"not a register": {notRegister, []string{"Could not open notes.db", "stays open", model.ErrDamaged.Error()}},
		"open elsewhere": {locked, []string{"Could not open other.db", "stays open", "another Improvement Tracker window"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			h := newFileHarness(t, true)
			useOpener(t, h)
			before := findingCount(t, h.u.store)
			h.u.openRegisterAt(tt.path)
			h.u.wait()
			for _, w := range tt.want {
				if !h.dialogShows(w) {
					t.Errorf("the error dialog does not say %q", w)
				}
			}
			if h.u.store != model.Store(h.store) {
				t.Error("a register that did not open replaced the open one")
			}
			if findingCount(t, h.u.store) != before {
				t.Error("the open register changed")
			}
		})
	}
	// The file that is not a register is left as it was.
	if b, err := os.ReadFile(notRegister); err != nil || string(b) != "meeting notes, not a register" {
		t.Errorf("the file that is not a register was changed: %q %v", b, err)
	}
}

func TestOpenSameRegister(t *testing.T) {
	h := newFileHarness(t, true)
	useOpener(t, h)
	opened := false
	h.u.openStore = func(string) (model.Store, error) {
		opened = true
		return nil, errors.New("should not be called")
	}
	h.u.openRegisterAt(storePath(h.store))
	if !h.dialogShows("is the one open in this window") {
		t.Error("opening the open register again did not say it is already open")
	}
	if opened {
		t.Error("the open register was opened a second time")
	}
}

// menuItem finds an item of the window's main menu by menu and label.
func menuItem(t *testing.T, u *ui, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range u.win.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	return nil
}

func TestRegisterFileMenus(t *testing.T) {
	a := test.NewTempApp(t)
	c := newClock()
	s := openStore(t, c.Now)
	u, err := newUI(a, Options{Store: s, Now: c.Now, Version: "0.1.0 (build 1)",
		OpenStore: func(string) (model.Store, error) { return nil, errors.New("not in this test") }}, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, label := range []string{"Save a copy…", "Open register…"} {
		if menuItem(t, u, "File", label) == nil {
			t.Errorf("the File menu has no %q", label)
		}
	}
	about := menuItem(t, u, "Help", "About Improvement Tracker")
	if about == nil {
		t.Fatal("the Help menu has no About item")
	}
	about.Action()
	h := &harness{t: t, u: u, clock: c}
	for _, want := range []string{"Version 0.1.0 (build 1)", "Register file: " + s.Path(), "sends nothing over the network"} {
		if !h.dialogShows(want) {
			t.Errorf("About does not show %q", want)
		}
	}

	// Without a way to open registers, the item is not offered.
	h2 := newFileHarness(t, false)
	if menuItem(t, h2.u, "File", "Open register…") != nil {
		t.Error("Open register… is offered although the program cannot open registers")
	}
}
