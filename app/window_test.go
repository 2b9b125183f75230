package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// TestPreferencesArePrivate: a preferences file made now, and one an
// earlier version left readable by others, are 0600; what is in the
// second is kept.
func TestPreferencesArePrivate(t *testing.T) {
	root := filepath.Join(t.TempDir(), "fyne", "app.id")
	if err := KeepPreferencesPrivate(root); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(root, "preferences.json")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("a new preferences file: %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if err := os.WriteFile(path, []byte(`{"ui.tab":"Dashboard"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := KeepPreferencesPrivate(root); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("an old preferences file: %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if b, _ := os.ReadFile(path); string(b) != `{"ui.tab":"Dashboard"}` {
		t.Errorf("the preferences became %q", b)
	}
}

// TestWindowSizeIsRemembered: the size the window is closed at is the size
// it opens at; a size too small to work in, or none, gives the default.
func TestWindowSizeIsRemembered(t *testing.T) {
	a := test.NewTempApp(t)
	p := a.Preferences()
	if got := WindowSize(p); got != defaultWindowSize {
		t.Errorf("with nothing remembered the window opens at %v", got)
	}
	rememberWindowSize(p, fyne.NewSize(1280, 720))
	if got := WindowSize(p); got != fyne.NewSize(1280, 720) {
		t.Errorf("closed at 1280×720, the window opens at %v", got)
	}
	rememberWindowSize(p, fyne.NewSize(200, 100))
	if got := WindowSize(p); got != fyne.NewSize(1280, 720) {
		t.Errorf("a window dragged to 200×100 is reopened at %v", got)
	}
}

// TestCtrlQQuits: the File menu ends with the app's own Quit on Ctrl+Q,
// registered on the window so that it works from every place.
func TestCtrlQQuits(t *testing.T) {
	h := newHarness(t, true)
	var quit *fyne.MenuItem
	for _, m := range h.u.win.MainMenu().Items {
		if m.Label == "File" {
			quit = m.Items[len(m.Items)-1]
		}
	}
	if quit == nil || quit.Label != "Quit" || !quit.IsQuit {
		t.Fatalf("the File menu ends with %+v, want Quit", quit)
	}
	ctrlQ, ok := quit.Shortcut.(*desktop.CustomShortcut)
	if !ok || ctrlQ.KeyName != fyne.KeyQ || ctrlQ.Modifier != fyne.KeyModifierShortcutDefault {
		t.Errorf("Quit's shortcut is %v, want Ctrl+Q", quit.Shortcut)
	}
	found := false
	for _, s := range h.u.shortcuts {
		if s == quit.Shortcut {
			found = true
		}
	}
	if !found {
		t.Error("Ctrl+Q is not registered on the window")
	}
}

// TestEscLeavesAFindingAfterCtrlPageDown: with the keyboard on a choice
// of the details (the status), Ctrl+PageDown moves to the milestones and Esc then leaves
// the finding, as it does from the details.
func TestEscLeavesAFindingAfterCtrlPageDown(t *testing.T) {
	h := newHarness(t, true)
	e := h.openRUI()
	h.u.win.Canvas().Focus(e.status)
	h.u.editorTab(1)
	if e.tabs.SelectedIndex() != 1 {
		t.Fatalf("Ctrl+PageDown shows tab %d", e.tabs.SelectedIndex())
	}
	ev := &fyne.KeyEvent{Name: fyne.KeyEscape}
	if f := h.u.win.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
	} else {
		h.u.win.Canvas().OnTypedKey()(ev)
	}
	if h.u.register.editor != nil {
		t.Error("Esc after Ctrl+PageDown did not leave the finding")
	}
}

// TestEnterClosesAMessage: Enter closes a message such as "Report
// imported", as OK would, and leaves a form's dialog alone.
func TestEnterClosesAMessage(t *testing.T) {
	h := newHarness(t, true)
	h.u.inform("Report imported", "Added 3 findings.")
	if h.u.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the message is not shown")
	}
	h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.noDialog()
	h.u.onSettings()
	h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if h.u.win.Canvas().Overlays().Top() == nil {
		t.Error("Enter closed the settings dialog, which is not a message")
	}
}
