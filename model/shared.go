package model

import (
	"context"
	"errors"
	"slices"
	"time"
)

// ErrPassword: a shared register's server refused the login because no
// password was given or the one given is wrong. The window then asks for
// the password.
var ErrPassword = errors.New("the server needs the login's password")

// Watcher is a store that tells of saves as they are committed, by this
// copy of the app and by colleagues working in the same register: a shared
// register on a server. The window asks for it to show a colleague's save
// within moments, without being asked to reload.
type Watcher interface {
	// Watch calls fn with every committed save until ctx is done. fn runs
	// on a goroutine of the store's, one change at a time, and must return
	// quickly (hand the change to the UI goroutine).
	//
	// Watch returns once the store is listening, so that every save
	// committed after it returns is told of; or with the reason it cannot
	// listen yet, in which case it keeps trying for as long as ctx lasts
	// and tells fn of a Change with Everything set once it can.
	Watch(ctx context.Context, fn func(Change)) error
}

// KindSettings names the register's settings in Change.Kinds: they are one
// record, not a kind of record with IDs.
const KindSettings Kind = "settings"

// Change is one committed save, as a Watcher tells of it.
type Change struct {
	// Findings are the findings the save touched: a finding itself, or
	// the finding a milestone, update or evidence belongs to.
	Findings []ID
	// Kinds are the kinds of record the save wrote or deleted.
	Kinds []Kind
	// Everything says that the save touched too much to list, or that
	// saves may have been missed (the connection to the server was lost
	// for a while): read everything again.
	Everything bool
	// Who is the person who saved, as the audit trail names them; Login
	// is the server login they used. Either may be empty.
	Who, Login string
	// At is when the save was committed, by the saving computer's clock.
	At time.Time
	// Own is true for a save made through this same store (this window),
	// which the window has already shown.
	Own bool
}

// Touches reports whether the change may concern finding id.
func (c Change) Touches(id ID) bool {
	return c.Everything || slices.Contains(c.Findings, id)
}

// Saver names who saved, for a sentence: the person, else the login, else
// "A colleague".
func (c Change) Saver() string {
	switch {
	case c.Who != "":
		return c.Who
	case c.Login != "":
		return c.Login
	}
	return "A colleague"
}
