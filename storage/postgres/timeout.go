package postgres

import (
	"context"
	"errors"
	"fmt"
)

// Deadlines. The window gives every save on a shared register a deadline
// (a server that stops answering must not freeze it for ever); when it
// passes, the person hears what became of the change in one sentence,
// not "context deadline exceeded".

// tooSlow says that the server did not answer before the caller's
// deadline, and what that means for the change. The error still wraps
// context.DeadlineExceeded.
func (s *Store) tooSlow(action string, atCommit bool, err error) error {
	var msg string
	switch {
	case atCommit:
		msg = fmt.Sprintf("%s did not answer in time while the change was being saved: the server has stored either all of it or none of it, never part. Open the register again to see which, then make the change again if it is missing", s.where)
	case action == "change":
		msg = fmt.Sprintf("%s did not answer in time, so the change was not saved: check the network (and the VPN, if you use one), then try again", s.where)
	default:
		msg = fmt.Sprintf("%s did not answer in time: check the network (and the VPN, if you use one), then try again", s.where)
	}
	return &worded{msg: msg, err: err}
}

// timedOut reports whether err is the caller's deadline passing.
func timedOut(err error) bool { return errors.Is(err, context.DeadlineExceeded) }

// worded is an error said in words of its own, wrapping the error it
// stands for so that callers can still test for it.
type worded struct {
	msg string
	err error
}

func (e *worded) Error() string { return e.msg }
func (e *worded) Unwrap() error { return e.err }
