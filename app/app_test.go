package app

import (
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage"
)

// fixedNow is the injected clock of the GUI tests: 15/11/2025 10:00 local.
var fixedNow = time.Date(2025, time.November, 15, 10, 0, 0, 0, time.Local)

// openStore opens a fresh register file in a temporary folder.
func openStore(t testing.TB, now func() time.Time) *storage.Store {
	t.Helper()
	s, err := storage.Open(filepath.Join(t.TempDir(), "register.db"), storage.Options{Now: now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// newTestUI builds the window over a real store, with the sample loaded
// when withSample is true.
func newTestUI(t *testing.T, withSample bool) *ui {
	t.Helper()
	test.NewTempApp(t)
	now := func() time.Time { return fixedNow }
	s := openStore(t, now)
	if withSample {
		if err := sample.Load(s); err != nil {
			t.Fatal(err)
		}
	}
	u, err := New(test.NewTempApp(t), Options{Store: s, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	u.wait()
	return u
}

func TestSmoke(t *testing.T) {
	u := newTestUI(t, true)
	if u.register.data == nil || len(u.register.data.rows) == 0 {
		t.Fatal("no rows")
	}
	t.Log(u.register.count.Text)
	var _ model.ID
}
