package app

import (
	"context"
	"sync"

	"fyne.io/fyne/v2"

	"improvementtracker/model"
)

// Live updates: on a shared register (a store that is a model.Watcher),
// a colleague's save shows in this window within moments: the register
// list, the dashboard and the other screens read the register again, and
// an open finding takes the colleague's version, or, when the form holds
// unsaved edits, keeps every one of them and says what happened
// (editor_live.go). This window's own saves are already shown, so they are
// skipped.

// liveWatch is the window's subscription to the open register's saves.
type liveWatch struct {
	cancel context.CancelFunc

	mu        sync.Mutex
	pending   []model.Change // heard, not yet shown
	scheduled bool           // a call to show them is on its way to the UI goroutine

	// queue takes the changes in tests (the window built without
	// goroutines), where the test shows them on its own goroutine with
	// showLive: Fyne's test driver runs fyne.Do on whichever goroutine
	// calls it.
	queue chan struct{}
}

// startLive subscribes to the open register's saves, when it can tell of
// them, in place of any earlier subscription.
func (u *ui) startLive() {
	u.stopLive()
	w, ok := u.store.(model.Watcher)
	if !ok {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	lw := &liveWatch{cancel: cancel}
	u.live = lw
	heard := func(c model.Change) {
		if c.Own {
			return
		}
		lw.mu.Lock()
		lw.pending = append(lw.pending, c)
		first := !lw.scheduled
		lw.scheduled = true
		lw.mu.Unlock()
		if !first {
			return // the call on its way shows this one too
		}
		if lw.queue != nil {
			lw.queue <- struct{}{}
			return
		}
		fyne.Do(func() { u.showLive(lw) })
	}
	if !u.async {
		lw.queue = make(chan struct{}, 1)
		if err := w.Watch(ctx, heard); err != nil {
			fyne.LogError("live updates", err)
		}
		return
	}
	// Watch waits for the server to answer; the window does not.
	go func() {
		if err := w.Watch(ctx, heard); err != nil {
			// The store keeps trying and says so in the log; the
			// register itself works without live updates.
			fyne.LogError("live updates are not available yet", err)
		}
	}()
}

// stopLive ends the subscription, if any.
func (u *ui) stopLive() {
	if u.live != nil {
		u.live.cancel()
		u.live = nil
	}
}

// showLive shows the saves heard since it last ran, on the UI goroutine. A
// burst of saves (a colleague's import) is read once, not once per save.
func (u *ui) showLive(lw *liveWatch) {
	lw.mu.Lock()
	cs := lw.pending
	lw.pending, lw.scheduled = nil, false
	lw.mu.Unlock()
	if u.live != lw || len(cs) == 0 {
		return // the register was replaced meanwhile
	}
	u.changed()
	if e := u.register.editor; e != nil {
		e.liveChanged(cs)
	}
}
