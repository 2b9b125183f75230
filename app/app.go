// Package app is the desktop window of Improvement Tracker: the findings
// register, the finding editor, people, reports, the briefing dashboard and
// the register's settings. It works against model.Store only, never against
// the file format underneath.
//
// # How screens hook in
//
// Each screen lives in its own file: an unexported struct holding its widgets
// and the *ui it belongs to, a newXxx constructor and onXxx handlers. There is
// no package state; everything hangs off the *ui built by New.
//
//   - Navigation: add a line to the tabs built in (*ui).buildTabs, giving a
//     title, an icon and the screen's content. A screen that shows register
//     data implements refresher so that it is reloaded after every change.
//   - Menus: add items in (*ui).buildMenu, in the marked place of the File,
//     Edit or Help menu. Items that need a shortcut use u.addShortcut so the
//     shortcut is both shown in the menu and active in the window.
//   - The welcome screen's "Import a report" button appears when u.importReport
//     is set: assign it in New, at the marked place.
//   - After a write, call u.changed() so every screen reloads.
//   - Show errors with u.showError(err): err.Error() is shown as it is, so
//     wrap errors with words a person understands.
//   - Replacing the open register (File → Open register…) goes through
//     u.replaceStore, which closes the old store and reloads every screen.
package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"improvementtracker/model"
)

// Options are what the window needs from the program that starts it.
type Options struct {
	// Store is the open register. The window closes it when it quits or
	// opens another register.
	Store model.Store
	// Now is the clock; time.Now when nil. Tests inject a fixed clock.
	Now func() time.Time
	// Window, when set, is used as the main window instead of a new one:
	// the program may already show it while the register opens.
	Window fyne.Window
	// OpenStore, when set, opens another register file for File → Open
	// register…; the window then shows that register instead.
	OpenStore func(path string) (model.Store, error)
	// Backups, when set, offers File → Back up now and Restore a backup….
	Backups *Backups
	// OpenShared, when set, opens a shared register on a server for File
	// → Open shared register… (shared.go), with password when one was
	// typed (else the pgpass file's). A missing or wrong password gives
	// an error wrapping model.ErrPassword.
	OpenShared func(ctx context.Context, a SharedAddress, password string) (model.Store, error)
	// NewRegisterFile, when set, makes a new, empty register file at path:
	// File → Save a copy… of a shared register copies it into one
	// (shared_copy.go).
	NewRegisterFile func(path string) (model.Store, error)
	// Version is the program's version, shown in Help → About.
	Version string
	// Screen, when set, opens the window on that screen ("register",
	// "dashboard", "reports", "people", "export", "submissions", "settings", "welcome",
	// "shared" (the Open shared register dialog),
	// "editor:REF", or "editor:REF#Tab" for one of the editor's tabs)
	// instead of the one last used. It exists so that documentation
	// screenshots can be taken of each screen; it changes nothing else.
	Screen string
}

// refresher is a screen that shows register data and reloads it after a
// change.
type refresher interface {
	refresh()
}

// ui is the main window and what every screen shares.
type ui struct {
	app     fyne.App
	win     fyne.Window
	store   model.Store
	now     func() time.Time
	prefs   fyne.Preferences
	version string

	tabs *container.AppTabs
	body *fyne.Container // holds either the welcome screen or the tabs
	// roBanner and newFindingItem follow whether the register may be
	// changed here (readonly.go).
	roBanner       *readOnlyBanner
	newFindingItem *fyne.MenuItem
	screens        []refresher
	stale          map[refresher]bool // screens to refresh when next shown
	shortcuts      []fyne.Shortcut

	register  *registerScreen
	dashboard *dashboardScreen
	reports   *reportsScreen
	people    *peopleScreen
	welcome   *welcomeScreen

	exporter    *exportScreen
	submissions *submissionsScreen

	// openStore opens another register file (Options.OpenStore); nil
	// when the program offers no way to.
	openStore func(path string) (model.Store, error)
	// backups makes and restores backups (Options.Backups); nil hides them.
	backups *Backups
	// openShared and newRegisterFile are Options.OpenShared and
	// Options.NewRegisterFile.
	openShared      func(ctx context.Context, a SharedAddress, password string) (model.Store, error)
	newRegisterFile func(path string) (model.Store, error)

	// pending counts work running off the UI goroutine, so that tests
	// can wait for it instead of sleeping.
	pending sync.WaitGroup
	async   bool // run background work on goroutines (false in tests)

	// escapes are the dialogs Escape cancels, the front one last.
	escapes []escapable
	// okays are the messages Enter closes (inform), the front one last.
	okays []escapable

	// importReport, when set, starts importing an inspection report; the
	// welcome screen offers it only then.
	importReport func()

	// live is the subscription to colleagues' saves on a shared
	// register (live.go); nil for a register file.
	live *liveWatch
	// writeTimeout, when set, replaces serverWriteTimeout (tests).
	writeTimeout time.Duration
}

// Run builds the main window for the register in opts and runs the app
// until the window closes.
func Run(a fyne.App, opts Options) error {
	u, err := New(a, opts)
	if err != nil {
		return err
	}
	u.win.ShowAndRun()
	return nil
}

// Show builds the main window for the register in opts and shows it; the
// caller runs the app. With opts.Window, the window the program already
// shows (say, while the register opens) becomes the main window.
func Show(a fyne.App, opts Options) error {
	u, err := New(a, opts)
	if err != nil {
		return err
	}
	u.win.Show()
	return nil
}

// New builds the main window without showing it; Run and Show show it.
func New(a fyne.App, opts Options) (*ui, error) { return newUI(a, opts, true) }

// newUI builds the window. With async, slow reads run off the UI goroutine
// (see background); tests pass false, because Fyne's test driver runs
// fyne.Do at once on whichever goroutine calls it, so results would reach
// the widgets while the test itself is using them. The real driver's
// threading is checked by `make screenshots`, which fails on Fyne's
// thread warning.
func newUI(a fyne.App, opts Options, async bool) (*ui, error) {
	if opts.Store == nil {
		return nil, errors.New("no register is open")
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	a.Settings().SetTheme(newReadableTheme())
	u := &ui{
		app:     a,
		store:   opts.Store,
		now:     now,
		prefs:   a.Preferences(),
		version: opts.Version,
		async:   async,

		openStore: opts.OpenStore,
		backups:   opts.Backups,

		openShared:      opts.OpenShared,
		newRegisterFile: opts.NewRegisterFile,
		stale:           map[refresher]bool{},
	}
	u.win = opts.Window
	if u.win == nil {
		u.win = a.NewWindow("Improvement Tracker")
	}
	// The size the window was last closed at (window.go).
	u.win.Resize(WindowSize(a.Preferences()))
	u.win.CenterOnScreen()

	// Hook: other screens set optional actions here, e.g.
	// u.importReport = u.onImportReport
	u.importReport = u.onImportReport

	u.register = newRegisterScreen(u)
	u.dashboard = newDashboardScreen(u)
	u.reports = newReportsScreen(u)
	u.people = newPeopleScreen(u)
	u.welcome = newWelcomeScreen(u)
	u.exporter = newExportScreen(u)
	u.submissions = newSubmissionsScreen(u)
	u.screens = []refresher{u.register, u.dashboard, u.reports, u.people, u.exporter, u.submissions}

	u.tabs = u.buildTabs()
	u.body = container.NewStack()
	u.roBanner = newReadOnlyBanner()
	u.win.SetContent(container.NewBorder(u.roBanner.box, nil, nil, nil, u.body))
	u.win.SetMainMenu(u.buildMenu())
	u.win.SetCloseIntercept(u.onClose)
	u.win.SetOnDropped(u.onDropped)
	// Escape is not a modifier shortcut, so it reaches the window as a key
	// when no field has the keyboard.
	u.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyEscape:
			u.onEscape()
		case fyne.KeyReturn, fyne.KeyEnter:
			u.onEnter()
		}
	})
	u.updateTitle()
	u.syncReadOnly()

	u.refreshAll()
	u.showStart(opts.Screen)
	u.startLive()
	return u, nil
}

// buildTabs is the navigation. Add a screen with one line.
func (u *ui) buildTabs() *container.AppTabs {
	tabs := container.NewAppTabs(
		container.NewTabItemWithIcon("Register", theme.ListIcon(), u.register.content),
		container.NewTabItemWithIcon("Dashboard", theme.GridIcon(), u.dashboard.content),
		container.NewTabItemWithIcon("Reports", theme.DocumentIcon(), u.reports.content),
		container.NewTabItemWithIcon("People", theme.AccountIcon(), u.people.content),
		container.NewTabItemWithIcon("Export", theme.DownloadIcon(), u.exporter.content),
		container.NewTabItemWithIcon("Submissions", theme.MailSendIcon(), u.submissions.content),
		// Hook: further screens go here.
	)
	tabs.OnSelected = func(t *container.TabItem) {
		u.prefs.SetString(prefTab, t.Text)
		u.refreshStale()
	}
	return tabs
}

// buildMenu is the main menu. Other screens add their items at the marked
// places.
func (u *ui) buildMenu() *fyne.MainMenu {
	newFinding := u.addShortcut(fyne.NewMenuItem("New finding", u.onNewFinding),
		&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	u.newFindingItem = newFinding
	file := fyne.NewMenu("File",
		newFinding,
		fyne.NewMenuItem("New report…", func() { u.reports.onAdd() }),
		fyne.NewMenuItemSeparator(),
		// Hook: register file items (open, save a copy, backup, restore)
		// and exports go here.
	)
	file.Items = append(file.Items, u.registerFileItems()...)
	file.Items = append(file.Items, u.backupItems()...)
	file.Items = append(file.Items, u.exportItems()...)
	file.Items = append(file.Items, u.paperItems()...)
	file.Items = append(file.Items, u.importItems()...)
	// Quit is the app's own, with Ctrl+Q working from every place: it
	// asks about unsaved changes as closing the window does.
	quit := u.addShortcut(fyne.NewMenuItem("Quit", u.onClose),
		&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault})
	quit.IsQuit = true
	file.Items = append(file.Items, fyne.NewMenuItemSeparator(), quit)

	search := u.addShortcut(fyne.NewMenuItem("Find…", u.onFind),
		&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})
	save := u.addShortcut(fyne.NewMenuItem("Save finding", u.onSave),
		&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault})
	cancel := fyne.NewMenuItem("Cancel editing", u.onEscape)
	cancel.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyEscape}
	edit := fyne.NewMenu("Edit",
		search,
		save,
		cancel,
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Settings…", u.onSettings),
		// Hook: further Edit items go here.
	)

	help := &fyne.Menu{Label: "Help", Items: []*fyne.MenuItem{
		u.aboutItem(),
		// Hook: other help items go here.
	}}

	menus := []*fyne.Menu{file, edit, u.viewMenu()}
	if len(help.Items) > 0 {
		menus = append(menus, help)
	}
	return fyne.NewMainMenu(menus...)
}

// viewMenu moves between the screens, and between the tabs of the finding
// being edited, from the keyboard: Fyne's tabs cannot take the keyboard
// themselves, so without these a lead who works from the keyboard could
// not reach the dashboard or a finding's milestones.
func (u *ui) viewMenu() *fyne.Menu {
	m := fyne.NewMenu("View")
	for i, t := range u.tabs.Items {
		title := t.Text
		key := fyne.KeyName(string(rune('1' + i)))
		m.Items = append(m.Items, u.addShortcut(fyne.NewMenuItem(title, func() { u.goToScreen(title) }),
			&desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}))
	}
	m.Items = append(m.Items, fyne.NewMenuItemSeparator(),
		u.addShortcut(fyne.NewMenuItem("Next tab of the finding", func() { u.editorTab(1) }),
			&desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: fyne.KeyModifierShortcutDefault}),
		u.addShortcut(fyne.NewMenuItem("Previous tab of the finding", func() { u.editorTab(-1) }),
			&desktop.CustomShortcut{KeyName: fyne.KeyPageUp, Modifier: fyne.KeyModifierShortcutDefault}),
	)
	return m
}

// goToScreen shows the screen titled title, leaving the welcome screen.
func (u *ui) goToScreen(title string) {
	u.showTabs()
	u.selectTab(title)
}

// editorTab moves the finding being edited by step tabs, skipping tabs
// that are closed (a new finding has no milestones yet).
func (u *ui) editorTab(step int) {
	e := u.register.editor
	if e == nil || u.tabs.Selected() == nil || u.tabs.Selected().Text != "Register" {
		return
	}
	items := e.tabs.Items
	i := e.tabs.SelectedIndex()
	for range items {
		i = (i + step + len(items)) % len(items)
		if !items[i].Disabled() {
			e.tabs.SelectIndex(i)
			// The field that had the keyboard is on the tab left behind:
			// let go of it, so that Esc reaches the window and leaves the
			// finding as it does from anywhere else.
			u.win.Canvas().Unfocus()
			return
		}
	}
}

// addShortcut shows s beside the menu item and makes it work anywhere in the
// window.
func (u *ui) addShortcut(item *fyne.MenuItem, s fyne.Shortcut) *fyne.MenuItem {
	item.Shortcut = s
	action := item.Action
	u.win.Canvas().AddShortcut(s, func(fyne.Shortcut) { action() })
	u.shortcuts = append(u.shortcuts, s)
	return item
}

// Preference keys. The filters and sort of the register are kept under
// "register." keys in register.go.
const prefTab = "ui.tab"

// showStart shows the welcome screen on an empty register, otherwise the
// screen asked for or the one used last.
func (u *ui) showStart(screen string) {
	if screen == "welcome" || (screen == "" && u.registerEmpty()) {
		u.showWelcome()
		return
	}
	u.showTabs()
	switch {
	case screen == "register":
		u.selectTab("Register")
	case screen == "dashboard":
		u.selectTab("Dashboard")
	case screen == "reports":
		u.selectTab("Reports")
	case screen == "people":
		u.selectTab("People")
	case screen == "export":
		u.selectTab("Export")
	case screen == "submissions":
		u.selectTab("Submissions")
	case screen == "settings":
		u.onSettings()
	case screen == "shared" && u.openShared != nil:
		u.onOpenShared()
	case strings.HasPrefix(screen, "paper:"):
		u.showPaperStart(strings.TrimPrefix(screen, "paper:"))
	case strings.HasPrefix(screen, "editor:"):
		ref, tab, _ := strings.Cut(strings.TrimPrefix(screen, "editor:"), "#")
		u.selectTab("Register")
		u.register.openRef(ref)
		if e := u.register.editor; e != nil && tab != "" {
			for _, t := range e.tabs.Items {
				if t.Text == tab {
					e.tabs.Select(t)
				}
			}
		}
	default:
		u.selectTab(u.prefs.StringWithFallback(prefTab, "Register"))
	}
}

func (u *ui) selectTab(title string) {
	for _, t := range u.tabs.Items {
		if t.Text == title {
			u.tabs.Select(t)
			return
		}
	}
}

func (u *ui) showWelcome() {
	u.body.Objects = []fyne.CanvasObject{u.welcome.content}
	u.body.Refresh()
}

func (u *ui) showTabs() {
	u.body.Objects = []fyne.CanvasObject{u.tabs}
	u.body.Refresh()
	u.refreshStale()
}

// registerEmpty reports whether the register has no findings and no
// reports, which is when the welcome screen is offered.
func (u *ui) registerEmpty() bool {
	empty := false
	err := u.store.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		rs, err := tx.Reports()
		if err != nil {
			return err
		}
		empty = len(fs) == 0 && len(rs) == 0
		return nil
	})
	return err == nil && empty
}

// changed reloads every screen after a write.
func (u *ui) changed() {
	u.refreshAll()
	if e := u.register.editor; e != nil {
		e.refreshRelated()
		e.live.settle()
	}
	u.updateTitle()
}

func (u *ui) refreshAll() {
	for _, s := range u.screens {
		if u.deferRefresh(s) {
			u.stale[s] = true
			continue
		}
		delete(u.stale, s)
		s.refresh()
	}
}

// tabbed is a screen on a tab of its own, refreshed only while its tab is
// in view: on a large register, a save would otherwise re-read the register
// for every screen, most of them hidden.
type tabbed interface {
	refresher
	tabContent() fyne.CanvasObject
}

// deferRefresh reports whether s is on a tab out of view, to be refreshed
// when it is shown.
func (u *ui) deferRefresh(s refresher) bool {
	t, ok := s.(tabbed)
	if !ok || u.tabs == nil {
		return false
	}
	sel := u.tabs.Selected()
	return len(u.body.Objects) == 0 || u.body.Objects[0] != u.tabs || sel == nil || sel.Content != t.tabContent()
}

// refreshStale refreshes the screens that changed while out of view and
// are now shown.
func (u *ui) refreshStale() {
	for s := range u.stale {
		if !u.deferRefresh(s) {
			delete(u.stale, s)
			s.refresh()
		}
	}
}

// updateTitle names the register's file and the force in the title bar,
// so a person with two registers knows which one is in front of them.
func (u *ui) updateTitle() {
	title := "Improvement Tracker"
	if s, err := u.settings(); err == nil && s.ForceName != "" {
		title = s.ForceName + " — " + title
	}
	if p := storePath(u.store); p != "" {
		title = filepath.Base(p) + " — " + title
	} else if n := storeName(u.store); n != "" {
		title = n + " — " + title
	}
	u.win.SetTitle(title)
}

// settings reads the register's settings.
func (u *ui) settings() (model.Settings, error) {
	var s model.Settings
	err := u.store.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		s, err = tx.Settings()
		return err
	})
	return s, err
}

// today is the local date by the injected clock.
func (u *ui) today() model.Date { return model.Today(u.now()) }

// actor is who is making changes: the author in Settings.
func (u *ui) actor() model.Actor {
	s, _ := u.settings()
	who := s.Author
	// Who the user said they are (Settings → You are) signs their changes
	// on a register file; on a shared register the store signs them.
	if me := u.me(); me != 0 {
		_ = u.store.View(context.Background(), func(tx model.ReadTx) error {
			if p, err := tx.Person(me); err == nil && strings.TrimSpace(p.Name) != "" {
				who = p.Name
			}
			return nil
		})
	}
	return model.Actor{Who: who}
}

// update runs fn in a write transaction as the settings' author.
func (u *ui) update(fn func(tx model.Tx) error) error {
	return u.store.Update(u.writeCtx(), u.actor(), fn)
}

// showError shows err in a dialog. The message is err.Error(), so callers
// wrap errors with words a person understands.
func (u *ui) showError(err error) {
	if err == nil {
		return
	}
	dialog.ShowError(err, u.win)
}

// replaceStore closes the open register and shows s instead.
func (u *ui) replaceStore(s model.Store) {
	if u.register.editor != nil {
		u.register.closeEditor()
	}
	old := u.store
	u.store = s
	u.startLive()
	if old != nil && old != s {
		if err := old.Close(); err != nil {
			u.showError(fmt.Errorf("closing the previous register: %w", err))
		}
	}
	u.syncReadOnly()
	u.changed()
	if u.registerEmpty() {
		u.showWelcome()
	} else {
		u.showTabs()
	}
}

// onClose asks before losing unsaved edits, then closes the register.
func (u *ui) onClose() {
	u.register.leaveEditor(func() {
		u.stopLive()
		if err := u.store.Close(); err != nil {
			fyne.LogError("closing the register", err)
		}
		rememberWindowSize(u.prefs, u.win.Canvas().Size())
		u.win.Close()
	})
}

// onDropped attaches a file dropped on the window when a finding's
// evidence tab is in view; elsewhere a drop means nothing and is ignored.
func (u *ui) onDropped(_ fyne.Position, uris []fyne.URI) {
	e := u.register.editor
	if e == nil || u.win.Canvas().Overlays().Top() != nil || e.tabs.Selected() == nil || e.tabs.Selected().Content != e.evidence.content {
		return
	}
	if sel := u.tabs.Selected(); sel == nil || sel.Text != "Register" {
		return
	}
	e.evidence.onDropped(uris)
}

// onNewFinding opens the editor on a new finding.
func (u *ui) onNewFinding() {
	if u.refuseChange() {
		return
	}
	u.showTabs()
	u.selectTab("Register")
	u.register.onNew()
}

// onFind moves the keyboard to the register's search box.
func (u *ui) onFind() {
	u.showTabs()
	u.selectTab("Register")
	u.register.focusSearch()
}

// onEscape closes the dialog in front, as its Cancel or Close button
// would, or else cancels editing a finding (asking first if anything
// changed). Fields pass Escape here too (see lineEntry).
func (u *ui) onEscape() {
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		if n := len(u.escapes); n > 0 && u.escapes[n-1].depth == len(u.win.Canvas().Overlays().List()) {
			// Hide runs the dialog's Cancel, which may ask first.
			u.escapes[n-1].d.Hide()
			return
		}
		top.Hide()
		return
	}
	if e := u.register.editor; e != nil {
		e.onCancel()
	}
}

// onSave saves the finding being edited, if any.
func (u *ui) onSave() {
	if e := u.register.editor; e != nil {
		e.onSave()
	}
}

// background runs work off the UI goroutine, then done on the UI goroutine
// with work's error. Reading a large register takes long enough to freeze
// the window otherwise.
func (u *ui) background(work func() error, done func(error)) {
	if !u.async {
		done(work())
		return
	}
	u.pending.Add(1)
	go func() {
		defer u.pending.Done()
		err := work()
		fyne.DoAndWait(func() { done(err) })
	}()
}

// read runs fn in a read transaction off the UI goroutine, then done with
// its error on the UI goroutine: fn gathers, done shows. A register on a
// network share (or, later, a server) must not stall the window.
func (u *ui) read(fn func(tx model.ReadTx) error, done func(error)) {
	store := u.store // read here: the UI goroutine is the one that replaces it
	u.background(func() error { return store.View(context.Background(), fn) }, done)
}

// wait blocks until work started with background has finished and shown
// its result.
func (u *ui) wait() { u.pending.Wait() }
