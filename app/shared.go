package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"improvementtracker/model"
)

// File → Open shared register…: a register that the force's improvement
// team works in together, on a PostgreSQL server the force's IT runs. The
// person names the server, the database and their login; the password
// comes from their pgpass file, or, when the server asks for one, is typed
// for that one connection. No password is ever kept: the preferences hold
// the server, database and login only.

// SharedAddress names a shared register: the server (with ":port" when it
// is not the usual one), the database and the login.
type SharedAddress struct {
	Server   string `json:"server"`
	Database string `json:"database"`
	User     string `json:"user"`
}

// label is the address for a list of recent registers.
func (a SharedAddress) label() string {
	return fmt.Sprintf("%s on %s, as %s", a.Database, a.Server, a.User)
}

// Preference keys: the address last opened, and the recent ones (newest
// first), as JSON. Never a password.
const (
	prefSharedLast   = "shared.last"
	prefSharedRecent = "shared.recent"
	maxSharedRecent  = 6
)

// openSharedTimeout is how long connecting may take before the window
// gives up and says so: a server that does not answer must not leave the
// person watching a spinner for ever.
const openSharedTimeout = 45 * time.Second

// sharedItems is the File menu's item for shared registers, when the
// program can open them (Options.OpenShared).
func (u *ui) sharedItems() []*fyne.MenuItem {
	if u.openShared == nil {
		return nil
	}
	return []*fyne.MenuItem{fyne.NewMenuItem("Open shared register…", u.onOpenShared)}
}

// onOpenShared asks for a shared register's address, after the editor's
// unsaved changes have been dealt with.
func (u *ui) onOpenShared() {
	u.register.leaveEditor(func() { u.sharedDialog(u.lastShared(), "") })
}

// lastShared is the address opened last, or the one open now.
func (u *ui) lastShared() SharedAddress {
	var a SharedAddress
	if raw := u.prefs.String(prefSharedLast); raw != "" {
		_ = json.Unmarshal([]byte(raw), &a) // a damaged preference only loses the prefill
	}
	return a
}

// recentShared lists the shared registers opened recently, newest first.
func (u *ui) recentShared() []SharedAddress {
	var as []SharedAddress
	if raw := u.prefs.String(prefSharedRecent); raw != "" {
		_ = json.Unmarshal([]byte(raw), &as)
	}
	return as
}

// rememberShared keeps a as the last and newest recent address.
func (u *ui) rememberShared(a SharedAddress) {
	if raw, err := json.Marshal(a); err == nil {
		u.prefs.SetString(prefSharedLast, string(raw))
	}
	recent := slices.DeleteFunc(u.recentShared(), func(b SharedAddress) bool { return b == a })
	recent = append([]SharedAddress{a}, recent...)
	if len(recent) > maxSharedRecent {
		recent = recent[:maxSharedRecent]
	}
	if raw, err := json.Marshal(recent); err == nil {
		u.prefs.SetString(prefSharedRecent, string(raw))
	}
}

// sharedForm is the dialog's fields.
type sharedForm struct {
	server, database, user *lineEntry
	recent                 *widget.Select
	content                fyne.CanvasObject
	problem                *widget.Label
}

func (u *ui) newSharedForm(a SharedAddress, problem string) *sharedForm {
	f := &sharedForm{server: newLineEntry(), database: newLineEntry(), user: newLineEntry(), problem: newFieldError()}
	f.server.SetPlaceHolder("e.g. db.force.police.uk, or db.force.police.uk:5433")
	f.database.SetPlaceHolder("e.g. improvement_register")
	f.user.SetPlaceHolder("your login on the server")
	f.set(a)
	intro := widget.NewLabel("A register the improvement team shares, on the force's PostgreSQL server. " +
		"The force's IT gives you the server, the database and your login. " +
		"Your password comes from your pgpass file, or you are asked for it; it is never stored by Improvement Tracker.")
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem("Server", f.server),
		widget.NewFormItem("Database", f.database),
		widget.NewFormItem("Login", f.user),
	)
	objs := []fyne.CanvasObject{intro}
	if recent := u.recentShared(); len(recent) > 0 {
		labels := make([]string, len(recent))
		for i, r := range recent {
			labels[i] = r.label()
		}
		f.recent = widget.NewSelect(labels, func(v string) {
			if i := slices.Index(labels, v); i >= 0 {
				f.set(recent[i])
			}
		})
		f.recent.PlaceHolder = "Opened recently…"
		objs = append(objs, f.recent)
	}
	objs = append(objs, form, f.problem)
	setFieldError(f.problem, problem)
	f.content = container.NewVBox(objs...)
	return f
}

func (f *sharedForm) set(a SharedAddress) {
	f.server.SetText(a.Server)
	f.database.SetText(a.Database)
	f.user.SetText(a.User)
}

func (f *sharedForm) address() SharedAddress {
	return SharedAddress{Server: strings.TrimSpace(f.server.Text), Database: strings.TrimSpace(f.database.Text),
		User: strings.TrimSpace(f.user.Text)}
}

// sharedDialog asks for the address, prefilled with a, showing problem
// (from an attempt that failed) under the fields.
func (u *ui) sharedDialog(a SharedAddress, problem string) {
	f := u.newSharedForm(a, problem)
	u.formDialog("Open a shared register", "Open", f.content, f.problem, func() error {
		a := f.address()
		switch {
		case a.Server == "":
			return errors.New("give the server's name, for example db.force.police.uk")
		case a.Database == "":
			return errors.New("give the database that holds the register")
		case a.User == "":
			return errors.New("give your login on the server")
		}
		// The dialog closes; connecting runs off the UI goroutine, and a
		// failure brings the dialog back as it was, with the reason.
		u.connectShared(a, "", false)
		return nil
	}, f.server)
}

// connectShared opens the shared register at a, with password when one
// was typed. A server that asks for a password, or refuses the one given,
// brings up the password dialog; any other failure brings back the
// address dialog with the reason.
func (u *ui) connectShared(a SharedAddress, password string, typed bool) {
	if l, ok := u.store.(locator); ok && sameShared(l, a) {
		dialog.ShowInformation("Already open", "That register is the one open in this window.", u.win)
		return
	}
	progress := dialog.NewCustomWithoutButtons("Opening the shared register",
		container.NewVBox(widget.NewLabel("Connecting to "+a.Server+"…"), widget.NewProgressBarInfinite()), u.win)
	progress.Show()
	var s model.Store
	u.background(func() error {
		ctx, cancel := context.WithTimeout(context.Background(), openSharedTimeout)
		defer cancel()
		var err error
		s, err = u.openShared(ctx, a, password)
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("%s did not answer within %s: check the server's name and the network (the VPN, if you use one), or ask the force's IT whether the server is up", a.Server, openSharedTimeout)
		}
		return err
	}, func(err error) {
		progress.Hide()
		switch {
		case errors.Is(err, model.ErrPassword):
			u.passwordDialog(a, typed)
		case err != nil:
			u.sharedDialog(a, plainProblem(err)+"\nThe register you had open stays open.")
		default:
			u.rememberShared(a)
			u.replaceStore(s)
		}
	})
}

// passwordDialog asks for the login's password, for this connection only.
// wrong says the last one typed was refused.
func (u *ui) passwordDialog(a SharedAddress, wrong bool) {
	pw := widget.NewPasswordEntry()
	problem := newFieldError()
	msg := fmt.Sprintf("%s asks for the password of the login %q.", a.Server, a.User)
	if wrong {
		setFieldError(problem, "The server refused that password. Check it (and Caps Lock) and try again.")
	}
	text := widget.NewLabel(msg + "\nIt is used for this connection only and is not stored. " +
		"To be asked less often, keep it in your pgpass file (see \"Passwords\" in the README).")
	text.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(text, widget.NewForm(widget.NewFormItem("Password", pw)), problem)
	u.formDialog("Password for "+a.User, "Connect", content, problem, func() error {
		if pw.Text == "" {
			return errors.New("type the password, or cancel")
		}
		u.connectShared(a, pw.Text, true)
		return nil
	}, pw)
}

// locator is a shared register's store, which says where it is.
type locator interface {
	Location() (server, database, user string)
}

// sameShared reports whether the store at l is the register at a, opened
// with the same login. Server names compare without regard to case, as
// the network does.
func sameShared(l locator, a SharedAddress) bool {
	server, database, user := l.Location()
	return strings.EqualFold(strings.TrimSuffix(server, ":5432"), strings.TrimSuffix(a.Server, ":5432")) &&
		database == a.Database && user == a.User
}

// storeName is a shared register's name for the title bar, "" for a
// register file.
func storeName(s model.Store) string {
	if n, ok := s.(interface{ Name() string }); ok {
		return n.Name()
	}
	return ""
}

// storeLogin is the login a shared register was opened with.
func storeLogin(s model.Store) string {
	if l, ok := s.(interface{ Login() string }); ok {
		return l.Login()
	}
	return ""
}
