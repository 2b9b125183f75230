package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// The register file menu: "Save a copy…" writes a consistent copy of the
// open register to a folder of the lead's choosing (a USB stick, a shared
// drive) to move it to another laptop or hand it over; "Open register…"
// switches the window to another register file, such as a copy received.

// registerFileItems are the File menu's items for the register file.
// "Open register…" appears only when the program can open registers
// (Options.OpenStore).
func (u *ui) registerFileItems() []*fyne.MenuItem {
	items := []*fyne.MenuItem{fyne.NewMenuItem("Save a copy…", u.onSaveCopy)}
	if u.openStore != nil {
		items = append(items, fyne.NewMenuItem("Open register…", u.onOpenRegister))
	}
	return append(items, u.sharedItems()...)
}

// onSaveCopy asks for a folder and writes the copy there under a new name.
// It asks for a folder rather than a file because a file-save dialog
// empties the chosen file before the program sees it: choosing the open
// register itself would destroy it.
func (u *ui) onSaveCopy() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(fmt.Errorf("the folder could not be opened: %w", err))
			return
		}
		if dir == nil {
			return // cancelled
		}
		progress := dialog.NewCustomWithoutButtons("Saving a copy",
			container.NewVBox(widget.NewLabel("Writing a copy of the register to "+dir.Path()+"…"),
				widget.NewProgressBarInfinite()), u.win)
		progress.Show()
		store := u.store // read here: the UI goroutine is the one that replaces it
		var saved string
		u.background(func() error {
			var err error
			saved, err = u.saveCopyIn(store, dir.Path())
			return err
		}, func(err error) {
			progress.Hide()
			if err != nil {
				u.showError(err)
				return
			}
			dialog.ShowInformation("Copy saved", copySavedMessage(store, saved), u.win)
		})
	}, u.win)
	d.SetTitleText("Choose a folder for the copy of the register")
	d.SetConfirmText("Save the copy here")
	if home, err := os.UserHomeDir(); err == nil {
		if l, err := storage.ListerForURI(storage.NewFileURI(home)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Show()
}

// saveCopyIn writes a consistent copy of the register store into dir, named
// after the force and today's date ("Kent Police register 2026-11-10.db",
// then "… (2).db" and so on), and returns its path. The copy is written to
// a temporary file first and renamed into place, so a failure (a full disk,
// a stick pulled out) never leaves a half copy under the final name, and
// no existing file is ever replaced.
func (u *ui) saveCopyIn(store model.Store, dir string) (string, error) {
	if dir == "" {
		return "", errors.New("no folder was chosen for the copy")
	}
	force := ""
	_ = store.View(context.Background(), func(tx model.ReadTx) error {
		s, err := tx.Settings()
		force = s.ForceName
		return err
	})
	path, err := freeName(dir, copyBaseName(force, u.today().ISO()))
	if err != nil {
		return "", err
	}
	if _, ok := store.(model.FileStore); !ok {
		return u.copyShared(store, dir, path) // a shared register (shared_copy.go)
	}
	tmp, err := os.CreateTemp(dir, ".register-copy-*.tmp")
	if err != nil {
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this finds nothing
	fs, ok := store.(model.FileStore)
	if !ok {
		tmp.Close()
		return "", errors.New("this register is not kept in a file, so it cannot be copied from here")
	}
	if _, err := fs.WriteCopy(tmp); err != nil {
		tmp.Close()
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	// The attached files go beside the copy first, so that it is never
	// there without them.
	if err := fs.CopyFiles(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("the copy could not be written in %s: %w", dir, err)
	}
	// The copy holds what the register holds: readable by its owner only.
	// (On Windows this sets nothing; the folder's permissions apply.)
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return "", fmt.Errorf("the copy's permissions could not be set: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("the copy could not be named %s: %w", filepath.Base(path), err)
	}
	return path, nil
}

// copyBaseName is the copy's file name without the extension: the force
// name made safe for every file system, then "register" and the date.
func copyBaseName(force, date string) string {
	clean := strings.Map(func(r rune) rune {
		if r < ' ' || strings.ContainsRune(`<>:"/\|?*`, r) {
			return -1
		}
		return r
	}, force)
	clean = strings.Trim(strings.TrimSpace(clean), ".")
	if clean == "" {
		return "Register " + date
	}
	return clean + " register " + date
}

// freeName returns dir/base.db, or dir/base (N).db for the first N not
// taken.
func freeName(dir, base string) (string, error) {
	for n := 1; n < 1000; n++ {
		name := base + ".db"
		if n > 1 {
			name = fmt.Sprintf("%s (%d).db", base, n)
		}
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		} else if err != nil {
			return "", fmt.Errorf("the folder %s could not be read: %w", dir, err)
		}
	}
	return "", fmt.Errorf("the folder %s already holds 999 copies named %s: choose another folder", dir, base)
}

// onOpenRegister asks for a register file and switches to it, after the
// editor's unsaved changes have been dealt with.
func (u *ui) onOpenRegister() {
	u.register.leaveEditor(func() {
		d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
			if err != nil {
				u.showError(fmt.Errorf("the file could not be opened: %w", err))
				return
			}
			if r == nil {
				return // cancelled
			}
			path := r.URI().Path()
			_ = r.Close() // only the path is needed; the store opens the file itself
			u.openRegisterAt(path)
		}, u.win)
		d.SetTitleText("Open a register file")
		d.SetConfirmText("Open register")
		d.SetFilter(storage.NewExtensionFileFilter([]string{".db"}))
		if dir := filepath.Dir(storePath(u.store)); dir != "" {
			if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
				d.SetLocation(l)
			}
		}
		d.Show()
	})
}

// openRegisterAt opens the register at path and shows it in place of the
// open one. The open register is closed only once the new one has opened,
// so a file that cannot be opened leaves everything as it was.
func (u *ui) openRegisterAt(path string) {
	if sameFile(path, storePath(u.store)) {
		dialog.ShowInformation("Already open", "That register is the one open in this window.", u.win)
		return
	}
	progress := dialog.NewCustomWithoutButtons("Opening the register",
		container.NewVBox(widget.NewLabel("Opening "+path+"…"), widget.NewProgressBarInfinite()), u.win)
	progress.Show()
	var s model.Store
	u.background(func() error {
		var err error
		s, err = u.openStore(path)
		return err
	}, func(err error) {
		progress.Hide()
		if err != nil {
			u.showError(fmt.Errorf("could not open %s. The register you had open stays open.\n\n%w",
				filepath.Base(path), err))
			return
		}
		u.replaceStore(s)
	})
}

// sameFile reports whether a and b name the same file, comparing the files
// themselves where they exist (a path may differ in case on Windows and
// macOS, or pass through a link).
func sameFile(a, b string) bool {
	ai, errA := os.Stat(a)
	bi, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(ai, bi)
	}
	return filepath.Clean(a) == filepath.Clean(b)
}

// storePath is the open register's file, or "" for a register that is not
// kept in a file on this computer.
func storePath(s model.Store) string {
	if fs, ok := s.(model.FileStore); ok {
		return fs.Path()
	}
	return ""
}
