package main

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/app"
	"improvementtracker/model"
	"improvementtracker/storage"
)

//go:embed icon.png
var iconPNG []byte

// screenEnv opens the window on a given screen ("register", "dashboard",
// "reports", "people", "settings", "welcome" or "editor:REF"). `make
// screenshots` uses it to photograph each screen; it changes nothing else.
const screenEnv = "IMPROVEMENT_TRACKER_SCREEN"

// runGUI opens the register off the UI goroutine while the window says so,
// then shows the register in the same window. If the register cannot be
// opened the window says what happened and what to do.
func runGUI() {
	info := appInfo()
	a := fyneapp.NewWithID(info.ID)
	a.SetIcon(fyne.NewStaticResource("icon.png", iconPNG))

	// The window opens at the register's size: it becomes the main window
	// once the register is open.
	w := a.NewWindow(info.Name)
	w.Resize(fyne.NewSize(1280, 800))
	w.CenterOnScreen()

	path, err := storage.ResolvePath("", os.Getenv)
	if err != nil {
		showOpenProblem(w, "", fmt.Errorf("cannot find where to keep the register: %w", err), nil)
		w.ShowAndRun()
		return
	}
	var open func()
	open = func() {
		w.SetContent(container.NewCenter(container.NewVBox(
			widget.NewLabel("Opening the register…"),
			widget.NewLabel(path),
			widget.NewProgressBarInfinite())))
		go func() {
			store, err := storage.Open(path, storage.Options{})
			fyne.Do(func() {
				if err != nil {
					showOpenProblem(w, path, err, open)
					return
				}
				err := app.Show(a, app.Options{
					Store:     store,
					Window:    w,
					Version:   info.Release(),
					Screen:    os.Getenv(screenEnv),
					OpenStore: openStore,
					Backups:   backups(),
				})
				if err != nil {
					_ = store.Close()
					showOpenProblem(w, path, err, open)
					return
				}
				showOpenNotes(w, store)
			})
		}()
	}
	open()
	w.ShowAndRun()
}

// openStore opens another register file for File → Open register….
func openStore(path string) (model.Store, error) {
	s, err := storage.Open(path, storage.Options{})
	if err != nil {
		return nil, err // not a nil *Store inside the interface
	}
	return s, nil
}

// backups makes, lists and restores backups of register files for the
// File menu.
func backups() *app.Backups {
	return &app.Backups{
		Make: func(s model.Store) (string, error) {
			b, ok := s.(model.Backuper)
			if !ok {
				return "", errors.New("this register keeps no backups of its own: its server's backups cover it")
			}
			return b.Backup()
		},
		List: func(path string) ([]app.BackupFile, error) {
			bs, err := storage.ListBackups(path)
			if err != nil {
				return nil, err
			}
			out := make([]app.BackupFile, len(bs))
			for i, b := range bs {
				out[i] = app.BackupFile{Path: b.Path, Time: b.Time, Size: b.Size, Kind: b.Kind}
			}
			return out, nil
		},
		Restore: func(path, backup string) error { return storage.Restore(path, backup, time.Now()) },
	}
}

// showOpenProblem says in w why the register at path did not open and
// what to do. retry opens it again; a damaged file offers its newest
// backup.
func showOpenProblem(w fyne.Window, path string, err error, retry func()) {
	title := widget.NewLabelWithStyle("The register could not be opened", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := err.Error()
	if text != "" {
		text = strings.ToUpper(text[:1]) + text[1:]
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	advice := widget.NewLabel("")
	advice.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Quit", func() { fyne.CurrentApp().Quit() })
	buttons := container.NewHBox()
	switch {
	case errors.Is(err, model.ErrLocked):
		// The message already says to close the other window and try
		// again; add only where that window may be hiding.
		advice.SetText("The other window may be on another desktop, or minimised.")
	case errors.Is(err, model.ErrNewerVersion):
		advice.SetText("Install the newer version of Improvement Tracker to open it. The file has not been changed.")
	case errors.Is(err, model.ErrDamaged):
		advice.SetText("The file has not been changed. You can put the newest backup in its place; the damaged file is then kept in the backups folder beside it.")
		if b, ok := newestBackup(path); ok {
			restore := widget.NewButton("Restore the backup of "+b.Time.Local().Format("02/01/2006 15:04"), func() {
				onRestore(w, path, b, retry)
			})
			restore.Importance = widget.HighImportance
			buttons.Add(restore)
		} else {
			advice.SetText("The file has not been changed and no backup of it was found. Set " + storage.EnvDB +
				" to open another register file, or move this one aside to start a new one.")
		}
	default:
		advice.SetText("Check that the folder exists and that you may write to it, then try again.")
	}
	if retry != nil && !errors.Is(err, model.ErrNewerVersion) {
		buttons.Add(widget.NewButton("Try again", retry))
	}
	buttons.Add(quit)
	panel := container.NewBorder(title, buttons, nil, nil, container.NewVBox(msg, advice))
	w.SetContent(container.NewCenter(container.NewGridWrap(fyne.NewSize(640, 300), panel)))
}

// newestBackup is the backup to offer for a damaged register: the newest
// that checks clean (a "before restore" copy only when nothing else does,
// since it may be this same damaged file).
func newestBackup(path string) (storage.BackupInfo, bool) {
	if path == "" {
		return storage.BackupInfo{}, false
	}
	return storage.NewestCleanBackup(path)
}

// showOpenNotes says what went wrong on opening without stopping it: the
// register is read-only here, or the day's backup could not be written.
// The register stays open behind the note.
func showOpenNotes(w fyne.Window, store *storage.Store) {
	var notes []string
	if store.ReadOnly() {
		notes = append(notes, upperFirst(store.ReadOnlyNotice())+".")
	}
	for _, n := range store.Warnings() {
		notes = append(notes, upperFirst(n))
	}
	if len(notes) > 0 {
		dialog.ShowInformation("Opened, with a warning", strings.Join(notes, "\n\n"), w)
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// onRestore puts backup b in place of the damaged file, after a warning,
// then opens the register again.
func onRestore(w fyne.Window, path string, b storage.BackupInfo, retry func()) {
	d := dialog.NewConfirm("Restore the backup?",
		"Changes made after "+b.Time.Local().Format("02/01/2006 15:04")+" are not in the backup.\nThe damaged file is kept in the backups folder beside the register.",
		func(ok bool) {
			if !ok {
				return
			}
			if err := storage.Restore(path, b.Path, time.Now()); err != nil {
				dialog.ShowError(fmt.Errorf("the backup was not restored: %w", err), w)
				return
			}
			if retry != nil {
				retry()
			}
		}, w)
	d.SetConfirmText("Restore")
	d.SetConfirmImportance(widget.WarningImportance)
	d.Show()
}
