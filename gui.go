package main

import (
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
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
	"improvementtracker/storage/bolt"
)

//go:embed icon.png
var iconPNG []byte

// screenEnv opens the window on a given screen ("register", "dashboard",
// "reports", "people", "settings", "welcome" or "editor:REF"). `make
// screenshots` uses it to photograph each screen; it changes nothing else.
const screenEnv = "IMPROVEMENT_TRACKER_SCREEN"

// guiLocation is the register the window opens: the one --db names, else
// the one IMPROVEMENT_TRACKER_DB names, else the default (storage.Locate).
// args are the command line without the program's name; anything but --db
// is a mistake, said in words, so that a lead never works in the wrong
// register unawares.
func guiLocation(args []string, getenv func(string) string) (storage.Location, error) {
	fs := flag.NewFlagSet("improvement-tracker", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	db := fs.String("db", "", "")
	if err := fs.Parse(args); err != nil {
		return storage.Location{}, fmt.Errorf("%w; the window takes only --db FILE (see improvement-tracker help for the commands)", err)
	}
	if fs.NArg() > 0 {
		return storage.Location{}, fmt.Errorf("%q is not understood: the window takes only --db FILE, and a command takes --db after its name (improvement-tracker list --db FILE)", fs.Arg(0))
	}
	if v, ok := flagGiven(fs, "db"); ok && strings.TrimSpace(v) == "" {
		return storage.Location{}, errors.New("--db needs the register file's path")
	}
	return storage.Locate(*db, getenv)
}

// flagGiven reports whether the flag name was on the command line, and its
// value.
func flagGiven(fs *flag.FlagSet, name string) (string, bool) {
	var v string
	found := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			v, found = f.Value.String(), true
		}
	})
	return v, found
}

// runGUI opens the register off the UI goroutine while the window says so,
// then shows the register in the same window. If the register cannot be
// opened the window says what happened and what to do.
func runGUI(args []string) {
	loc, pathErr := guiLocation(args, os.Getenv)
	if pathErr != nil {
		// Said on the terminal too: a mistyped command line is seen
		// where it was typed.
		fmt.Fprintln(os.Stderr, "improvement-tracker:", pathErr)
	}
	info := appInfo()
	a := fyneapp.NewWithID(info.ID)
	// The preferences live in the app's storage folder; they are made
	// private before anything is written to them.
	if err := app.KeepPreferencesPrivate(a.Storage().RootURI().Path()); err != nil {
		fmt.Fprintln(os.Stderr, "improvement-tracker: the preferences could not be made readable by you alone:", err)
	}
	a.SetIcon(fyne.NewStaticResource("icon.png", iconPNG))

	// The window opens at the register's size: it becomes the main window
	// once the register is open.
	w := a.NewWindow(info.Name)
	if pathErr == nil {
		// Named from the start, so that the register in front of the lead
		// is never in doubt, even while it opens.
		w.SetTitle(loc.Name() + " — " + info.Name)
	}
	w.Resize(app.WindowSize(a.Preferences()))
	w.CenterOnScreen()

	if pathErr != nil {
		showOpenProblem(w, storage.Location{}, fmt.Errorf("the register to open is not clear: %w", pathErr), nil)
		w.ShowAndRun()
		return
	}
	var open func()
	open = func() {
		w.SetContent(container.NewCenter(container.NewVBox(
			widget.NewLabel("Opening the register…"),
			widget.NewLabel(loc.String()),
			widget.NewProgressBarInfinite())))
		go func() {
			store, err := openLocation(loc)
			fyne.Do(func() {
				if err != nil {
					showOpenProblem(w, loc, err, open)
					return
				}
				err := app.Show(a, app.Options{
					Store:     store,
					Window:    w,
					Version:   info.Release(),
					Screen:    os.Getenv(screenEnv),
					OpenStore: openStore,
					Backups:   backups(),

					OpenShared:      openShared,
					NewRegisterFile: newRegisterFile,
				})
				if err != nil {
					_ = store.Close()
					showOpenProblem(w, loc, err, open)
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
	loc, err := storage.File(path)
	if err != nil {
		return nil, err
	}
	return storage.Open(context.Background(), loc, storage.Options{})
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
			bs, err := bolt.ListBackups(path)
			if err != nil {
				return nil, err
			}
			out := make([]app.BackupFile, len(bs))
			for i, b := range bs {
				out[i] = app.BackupFile{Path: b.Path, Time: b.Time, Size: b.Size, Kind: b.Kind}
			}
			return out, nil
		},
		Restore: func(path, backup string) error { return bolt.Restore(path, backup, time.Now()) },
	}
}

// showOpenProblem says in w why the register at path did not open and
// what to do. retry opens it again; a damaged file offers its newest
// backup.
func showOpenProblem(w fyne.Window, loc storage.Location, err error, retry func()) {
	title := widget.NewLabelWithStyle("The register could not be opened", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	msg := widget.NewLabel(model.UpperFirst(err.Error()))
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
	case errors.Is(err, model.ErrNewerVersion) && loc.Server():
		advice.SetText("Install the version of Improvement Tracker the rest of the team uses to open it. Nothing on the server has been changed.")
	case errors.Is(err, model.ErrNewerVersion):
		advice.SetText("Install the newer version of Improvement Tracker to open it. The file has not been changed.")
	case errors.Is(err, model.ErrDamaged):
		advice.SetText("The file has not been changed. You can put the newest backup in its place; the damaged file is then kept in the backups folder beside it.")
		if b, ok := newestBackup(loc.Path()); ok {
			restore := widget.NewButton("Restore the backup of "+b.Time.Local().Format("02/01/2006 15:04"), func() {
				onRestore(w, loc.Path(), b, retry)
			})
			restore.Importance = widget.HighImportance
			buttons.Add(restore)
		} else {
			advice.SetText("The file has not been changed and no backup of it was found. Set " + storage.EnvDB +
				" to open another register file, or move this one aside to start a new one.")
		}
	case loc.Server():
		advice.SetText("Check the server's address and the network (the VPN, if you use one), or ask the force's IT whether the server is up and your login has a role in the register.")
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
func newestBackup(path string) (bolt.BackupInfo, bool) {
	if path == "" {
		return bolt.BackupInfo{}, false
	}
	return bolt.NewestCleanBackup(path)
}

// showOpenNotes says what went wrong on opening without stopping it: the
// register is read-only here, or the day's backup could not be written
// (said when the backup, made in the background, has failed).
// The register stays open behind the note.
func showOpenNotes(w fyne.Window, store model.Store) {
	var notes []string
	readOnly, warnings := storage.Notes(store)
	if readOnly != "" {
		notes = append(notes, model.UpperFirst(readOnly)+".")
	}
	for _, n := range warnings {
		notes = append(notes, model.UpperFirst(n))
	}
	if len(notes) > 0 {
		dialog.ShowInformation("Opened, with a warning", strings.Join(notes, "\n\n"), w)
	}
	// The day's backup of a file, made in the background now that the
	// register is shown: said only if it could not be made.
	b, ok := store.(backgroundBackup)
	if !ok {
		return
	}
	b.StartBackup()
	go func() {
		if err := <-b.BackupDone(); err != nil {
			fyne.Do(func() {
				dialog.ShowInformation("The day's backup was not made", model.UpperFirst(err.Error()), w)
			})
		}
	}()
}

// backgroundBackup is a register file whose day's backup is made after it
// opens (storage.Options.BackupInBackground).
type backgroundBackup interface {
	StartBackup()
	BackupDone() <-chan error
}

// onRestore puts backup b in place of the damaged file, after a warning,
// then opens the register again.
func onRestore(w fyne.Window, path string, b bolt.BackupInfo, retry func()) {
	d := dialog.NewConfirm("Restore the backup?",
		"Changes made after "+b.Time.Local().Format("02/01/2006 15:04")+" are not in the backup.\nThe damaged file is kept in the backups folder beside the register.",
		func(ok bool) {
			if !ok {
				return
			}
			if err := bolt.Restore(path, b.Path, time.Now()); err != nil {
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
