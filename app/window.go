package app

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
)

// The window's size is kept between runs, per user, in the preferences.
// Its position is not: Fyne places a window itself (centred) and has no
// way to move it to a remembered place.
const (
	prefWindowWidth  = "window.width"
	prefWindowHeight = "window.height"
)

// The window's size when none is remembered, and the least one kept: a
// window dragged smaller than that is not worth reopening at.
var (
	defaultWindowSize = fyne.NewSize(1280, 800)
	leastWindowSize   = fyne.NewSize(640, 480)
)

// WindowSize is the size the window opens at: the one it had when it was
// last closed, else the default.
func WindowSize(p fyne.Preferences) fyne.Size {
	s := fyne.NewSize(float32(p.Float(prefWindowWidth)), float32(p.Float(prefWindowHeight)))
	if s.Width < leastWindowSize.Width || s.Height < leastWindowSize.Height {
		return defaultWindowSize
	}
	return s
}

// rememberWindowSize keeps the window's size for the next run.
func rememberWindowSize(p fyne.Preferences, s fyne.Size) {
	if s.Width < leastWindowSize.Width || s.Height < leastWindowSize.Height {
		return
	}
	p.SetFloat(prefWindowWidth, float64(s.Width))
	p.SetFloat(prefWindowHeight, float64(s.Height))
}

// KeepPreferencesPrivate makes the app's preferences file readable by its
// user only, as the register is: it names the register, the folders the
// user exports to and the people they filter by. Fyne rewrites the file
// in place, keeping its mode, so a file made 0600 before Fyne first
// writes it stays so; one an earlier version left open to others is
// closed. root is the app's storage folder (Fyne's config folder and the
// app's ID).
func KeepPreferencesPrivate(root string) error {
	path := filepath.Join(root, "preferences.json")
	if err := os.MkdirAll(root, 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		// Fyne reads an empty object as no preferences yet.
		_, werr := f.WriteString("{}")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		return werr
	case errors.Is(err, fs.ErrExist):
		return os.Chmod(path, 0o600)
	default:
		return err
	}
}
