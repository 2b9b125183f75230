package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// File → New register…, Back up now and Restore a backup…. The window knows
// registers only as model.Store; how backups are made and restored belongs to
// the program that opened the store, which passes it in Options.

// BackupFile is one backup of a register, as the restore list shows it.
type BackupFile struct {
	Path string
	Time time.Time
	Size int64
	// Kind says why it was made: "daily", "manual", "before restore" or
	// "before upgrade".
	Kind string
}

// Backups is how the window makes, lists and restores backups. The program
// that opens the register provides it; a nil Backups hides the menu items.
type Backups struct {
	// Make writes a backup of the open register and returns its path.
	Make func(s model.Store) (string, error)
	// List lists the backups of the register file at path, newest first.
	List func(path string) ([]BackupFile, error)
	// Restore puts backup in place of the register file at path, which is
	// closed, after keeping the current file.
	Restore func(path, backup string) error
}

// backupItems are the File menu's items for new registers and backups.
func (u *ui) backupItems() []*fyne.MenuItem {
	var items []*fyne.MenuItem
	if u.openStore != nil {
		items = append(items, fyne.NewMenuItem("New register…", u.onNewRegister))
	}
	if u.backups != nil {
		items = append(items,
			fyne.NewMenuItem("Back up now", u.onBackup),
			fyne.NewMenuItem("Restore a backup…", u.onRestore))
	}
	return items
}

// onBackup writes a backup beside the register, off the UI goroutine.
func (u *ui) onBackup() {
	store := u.store
	progress := dialog.NewCustomWithoutButtons("Backing up",
		container.NewVBox(widget.NewLabel("Writing a backup copy of the register…"), widget.NewProgressBarInfinite()), u.win)
	progress.Show()
	var path string
	u.background(func() error {
		var err error
		path, err = u.backups.Make(store)
		return err
	}, func(err error) {
		progress.Hide()
		if err != nil {
			u.showError(fmt.Errorf("the backup was not made: %w. The register itself is unchanged", err))
			return
		}
		dialog.ShowInformation("Backed up", "A copy of the register is kept at\n"+path, u.win)
	})
}

// onRestore lists the register's backups and puts the chosen one in place,
// after a warning.
func (u *ui) onRestore() {
	path := storePath(u.store)
	list, err := u.backups.List(path)
	if err != nil {
		u.showError(fmt.Errorf("the backups could not be listed: %w", err))
		return
	}
	if len(list) == 0 {
		dialog.ShowInformation("No backups", "There are no backups of this register yet. Use File → Back up now to make one.", u.win)
		return
	}
	labels := make([]string, len(list))
	for i, b := range list {
		labels[i] = fmt.Sprintf("%s — %s (%s)", b.Time.Local().Format("02/01/2006 15:04"), b.Kind, sizeText(b.Size))
	}
	choice := widget.NewSelect(labels, nil)
	choice.SetSelected(labels[0])
	problem := newFieldError()
	content := container.NewVBox(
		widget.NewLabel("Put a backup in place of the register. Changes made since it was taken are not in it;\nthe register as it is now is kept in the backups folder first."),
		choice, problem)
	u.formDialog("Restore a backup", "Restore", content, problem, func() error {
		i := -1
		for j, l := range labels {
			if l == choice.Selected {
				i = j
			}
		}
		if i < 0 {
			return errors.New("choose a backup")
		}
		u.register.leaveEditor(func() { u.restore(path, list[i]) })
		return nil
	})
}

// restore closes the register, swaps the backup in and opens it again. If
// the restore fails the register is opened again as it was.
func (u *ui) restore(path string, b BackupFile) {
	old := u.store
	progress := dialog.NewCustomWithoutButtons("Restoring",
		container.NewVBox(widget.NewLabel("Restoring the backup of "+b.Time.Local().Format("02/01/2006 15:04")+"…"),
			widget.NewProgressBarInfinite()), u.win)
	progress.Show()
	var reopened model.Store
	u.background(func() error {
		if err := old.Close(); err != nil {
			return fmt.Errorf("closing the register: %w", err)
		}
		restoreErr := u.backups.Restore(path, b.Path)
		s, err := u.openStore(path)
		if err != nil {
			return fmt.Errorf("the register could not be opened again: %w. Restart Improvement Tracker", err)
		}
		reopened = s
		if restoreErr != nil {
			return fmt.Errorf("the backup was not restored, and the register is as it was: %w", restoreErr)
		}
		return nil
	}, func(err error) {
		progress.Hide()
		if reopened != nil {
			u.store = nil // already closed; replaceStore must not close it again
			u.replaceStore(reopened)
		}
		if err != nil {
			u.showError(err)
			return
		}
		dialog.ShowInformation("Restored", "The register is now as it was on "+b.Time.Local().Format("02/01/2006 15:04")+".", u.win)
	})
}

// onNewRegister creates a new, empty register file in a folder of the
// person's choosing and shows it. A folder is asked for, then a name,
// rather than using a save dialog: a save dialog creates an empty file,
// which is not a register.
func (u *ui) onNewRegister() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			u.showError(fmt.Errorf("choosing the folder: %w", err))
			return
		}
		if dir == nil {
			return
		}
		u.newRegisterIn(dir.Path())
	}, u.win)
	d.Show()
}

// newRegisterIn asks for the new register's file name within dir.
func (u *ui) newRegisterIn(dir string) {
	name := newLineEntry()
	name.SetText("register.db")
	problem := newFieldError()
	content := container.NewVBox(widget.NewLabel("A new, empty register in "+dir),
		widget.NewForm(widget.NewFormItem("File name", name)), problem)
	u.formDialog("New register", "Create", content, problem, func() error {
		n := strings.TrimSpace(name.Text)
		if n == "" || strings.ContainsAny(n, `/\`) {
			return errors.New("give a file name, without folders")
		}
		if filepath.Ext(n) == "" {
			n += ".db"
		}
		path := filepath.Join(dir, n)
		if _, err := os.Stat(path); err == nil {
			return fmt.Errorf("%s is there already: choose another name, or use File → Open register to open it", n)
		}
		u.register.leaveEditor(func() { u.createRegister(path) })
		return nil
	})
}

func (u *ui) createRegister(path string) {
	var s model.Store
	u.background(func() error {
		var err error
		s, err = u.openStore(path)
		return err
	}, func(err error) {
		if err != nil {
			u.showError(fmt.Errorf("the new register could not be made, and the one you had open stays open: %w", err))
			return
		}
		u.replaceStore(s)
	})
}
