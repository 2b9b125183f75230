package model

import (
	"errors"
	"fmt"
	"time"
)

// ErrConflict: a colleague saved the record after the copy being saved was
// read, so saving it would overwrite their change unseen. Saves of findings
// and milestones are refused with a *ConflictError wrapping it.
var ErrConflict = errors.New("a colleague saved this record after you opened it; your changes have not been saved")

// ConflictError is a save refused because the record changed since it was
// read: who saved it last, when, and the version now stored, so that the
// window can show both versions and let the person re-apply their change.
type ConflictError struct {
	Entity Entity // EntityFinding or EntityMilestone
	ID     ID
	// Name is the finding's reference or the milestone's title.
	Name string
	// Who and At are the colleague's name and the time of the latest save,
	// from the record's newest audit event.
	Who string
	At  time.Time
	// Stored is the version now stored; Yours is the version the refused
	// save was based on.
	Stored, Yours uint64
}

func (e *ConflictError) Error() string {
	who := e.Who
	if who == "" {
		who = "A colleague"
	}
	what := "record"
	if e.Entity != "" {
		what = string(e.Entity)
	}
	if e.At.IsZero() {
		return fmt.Sprintf("%s saved this %s after you opened it; your changes have not been saved", who, what)
	}
	at := e.At.Local()
	return fmt.Sprintf("%s saved this %s at %s on %s, after you opened it; your changes have not been saved",
		who, what, at.Format("15:04"), at.Format("2 January 2006"))
}

func (e *ConflictError) Unwrap() error { return ErrConflict }

// AsConflict returns the conflict within err, or nil.
func AsConflict(err error) *ConflictError {
	var c *ConflictError
	if errors.As(err, &c) {
		return c
	}
	return nil
}

// checkVersion refuses a save based on version yours of a record whose
// stored version is stored, naming who saved it last and when from the
// finding's audit trail (findingID) events about the record. A stored
// version of 0 is a record from before versions were kept: a copy read
// from it has 0 too, so it matches.
func (w *writer) checkVersion(entity Entity, id, findingID ID, name string, stored, yours uint64, modified time.Time) error {
	if stored == yours {
		return nil
	}
	c := &ConflictError{Entity: entity, ID: id, Name: name, Stored: stored, Yours: yours, At: modified}
	// The record's last save is its newest event. When the record says
	// when that was, only the events about then are read: a finding
	// saved often has a long trail.
	var events []AuditEvent
	var err error
	if !modified.IsZero() {
		if events, err = w.AuditBetween(findingID, modified.Add(-time.Second), modified.Add(time.Second)); err != nil {
			return err
		}
	}
	if c.findLatest(events) {
		return c
	}
	if events, err = w.Audit(findingID); err != nil {
		return err
	}
	c.findLatest(events)
	return c
}

// findLatest takes who and when from the newest of events about the
// record, reporting whether there was one.
func (c *ConflictError) findLatest(events []AuditEvent) bool {
	for i := len(events) - 1; i >= 0; i-- {
		if ev := events[i]; ev.Entity == c.Entity && ev.EntityID == c.ID {
			c.Who, c.At = ev.Who, ev.At
			return true
		}
	}
	return false
}
