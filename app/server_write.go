package app

import (
	"context"
	"time"

	"improvementtracker/model"
)

// Saves made from the window run on the UI goroutine, which is fine for a
// register file and for a server that answers in milliseconds. A server
// that stops answering (a dropped VPN, a cable pulled) must not freeze the
// window for ever, so every save on a shared register has a deadline,
// after which the store says in words that nothing was saved (or, if it
// was being committed, how to check).

// serverWriteTimeout is the deadline: longer than the store's own wait
// for a colleague's save to finish (postgres.DefaultLockWait, 30 s), so
// that a busy register says so first.
const serverWriteTimeout = time.Minute

// writeCtx is the context of a save from the window: with a deadline on a
// shared register, none on a file.
func (u *ui) writeCtx() context.Context {
	if _, shared := u.store.(model.Watcher); !shared {
		return context.Background()
	}
	timeout := serverWriteTimeout
	if u.writeTimeout > 0 {
		timeout = u.writeTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	// The context ends by itself at the deadline; nothing else holds it.
	// Its resources are let go a moment after, not at the same instant: a
	// cancel that won the race would end it as "canceled", and the store
	// would not say that the server did not answer in time.
	time.AfterFunc(timeout+time.Second, cancel)
	return ctx
}
