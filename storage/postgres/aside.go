package postgres

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"time"

	"improvementtracker/model"
)

// A register as it stood on a date (model.TakeSnapshotWith, which the
// return and the dashboard read) lists every milestone and evidence
// reference, and nothing it reads first decides what those lists hold. So
// when a view asks for the history a snapshot begins with, the two lists
// are read aside, on a second connection, while the view's own goes on
// with the history, findings and updates: the server works on both at
// once, and over a network the waits overlap.
//
// The second connection reads exactly what the view's would: its
// transaction imports the view's snapshot (pg_export_snapshot, SET
// TRANSACTION SNAPSHOT), so a colleague's save committed meanwhile is in
// neither; and it is the same login, under the same row-level security.

// asideKinds are the lists read aside.
var asideKinds = []model.Kind{model.KindMilestone, model.KindEvidence}

// snapshotID is the form of an exported snapshot's name, checked before it
// is written into SET TRANSACTION SNAPSHOT, which takes no parameters.
var snapshotID = regexp.MustCompile(`^[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+$`)

// asideHook, when tests set it, runs on the second connection before it
// begins its transaction, so that a test can save in between.
var asideHook func()

// asideReads are the lists a view reads on its second connection.
type asideReads struct {
	mu sync.Mutex
	// begun: the second connection was had and the lists will come;
	// dropped: the view needed them before that and reads them itself.
	begun, dropped bool
	cancel         context.CancelFunc
	had            chan struct{} // closed when the connection is had, or will not be
	done           chan struct{} // closed when the lists are read or have failed
	err            error
	milestones     []model.Milestone
	evidence       []model.Evidence
	taken          int
}

// asideWait is how long a view waits for its second connection when it
// needs the lists: making one takes a few round trips, and the pool had
// room for it when the view asked (readAside). Only if other views took
// that room meanwhile, and all of them wait for the same, would the wait
// be in vain; then the view reads the lists itself.
const asideWait = 3 * time.Second

// readAside exports the view's snapshot and starts reading the lists on a
// second connection from the pool. Should anything go wrong there, the
// view reads the lists itself, as it would have (take).
func (r *records) readAside() error {
	var id string
	if err := r.tx.QueryRow(r.ctx, `SELECT pg_export_snapshot()`, oneTrip).Scan(&id); err != nil {
		return err
	}
	if !snapshotID.MatchString(id) {
		return fmt.Errorf("%w: the server named its snapshot %q", model.ErrProgram, id)
	}
	ctx, cancel := context.WithCancel(r.ctx)
	a := &asideReads{cancel: cancel, had: make(chan struct{}), done: make(chan struct{})}
	r.aside = a
	go a.run(ctx, r.s, id)
	return nil
}

// roomAside says whether the pool can give a view a second connection
// without waiting for one in use to be put back: an idle one, or room for
// one more.
func (s *Store) roomAside() bool {
	st := s.pool.Stat()
	return st.IdleConns() > 0 || st.TotalConns() < st.MaxConns()
}

// run reads the lists on a connection of its own, in the snapshot id. If
// the view needed them before the connection was had (take), it has read
// them itself (dropped) and run gives up.
func (a *asideReads) run(ctx context.Context, s *Store, id string) {
	defer a.cancel()
	c, err := s.pool.Acquire(ctx)
	a.mu.Lock()
	a.begun = err == nil && !a.dropped
	begun := a.begun
	a.mu.Unlock()
	close(a.had)
	if !begun {
		if c != nil {
			c.Release()
		}
		close(a.done)
		return
	}
	// A connection left in a transaction (a failure half-way) is closed
	// by the pool rather than given to the next caller.
	defer c.Release()
	if asideHook != nil {
		asideHook()
	}
	// Begun and given the view's snapshot in one round trip: a
	// transaction begun in a statement, which pipeTx is for.
	tx := &pipeTx{conn: c.Conn()}
	a.err = func() error {
		if _, err := c.Exec(ctx, `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '`+id+`'`); err != nil {
			return err
		}
		rec := &records{ctx: ctx, tx: tx, s: s}
		if err := loadInto(rec, model.KindMilestone, 0, &a.milestones); err != nil {
			return err
		}
		return loadInto(rec, model.KindEvidence, 0, &a.evidence)
	}()
	close(a.done)
	_ = tx.Rollback(context.WithoutCancel(ctx))
}

// take gives the list read aside into dst (a *[]model.Milestone or
// *[]model.Evidence), once; false when the view is to read it itself: the
// second connection was not had in time, or failed.
func (a *asideReads) take(dst any) bool {
	if a == nil {
		return false
	}
	select {
	case <-a.had:
	case <-time.After(asideWait):
	}
	a.mu.Lock()
	if !a.begun {
		a.dropped = true
		a.mu.Unlock()
		a.cancel()
		return false
	}
	a.mu.Unlock()
	<-a.done
	if a.err != nil {
		return false
	}
	switch d := dst.(type) {
	case *[]model.Milestone:
		if a.milestones == nil {
			return false
		}
		*d, a.milestones = a.milestones, nil
	case *[]model.Evidence:
		if a.evidence == nil {
			return false
		}
		*d, a.evidence = a.evidence, nil
	default:
		return false
	}
	a.mu.Lock()
	a.taken++
	a.mu.Unlock()
	return true
}

// stop ends the reading aside when the view ends: a list the view did not
// take is not waited for.
func (a *asideReads) stop() {
	if a == nil {
		return
	}
	a.mu.Lock()
	all := a.taken == len(asideKinds)
	a.mu.Unlock()
	if !all {
		a.cancel()
	}
}
