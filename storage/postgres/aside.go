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
// return and the dashboard read) lists every finding, milestone and
// evidence reference, and nothing it reads first decides what those lists
// hold. So when a view asks for the history a snapshot begins with, the
// lists are read aside, on other connections, while the view's own goes
// on with the history and the updates: the server works on them at once,
// and over a network the waits overlap.
//
// Each other connection reads exactly what the view's would: its
// transaction imports the view's snapshot (pg_export_snapshot, SET
// TRANSACTION SNAPSHOT), so a colleague's save committed meanwhile is in
// none of them; and it is the same login, under the same row-level
// security.

// asideGroups are the lists read aside, each group in order on a
// connection of its own: the findings and evidence, and the milestones, of
// about the same size together. A snapshot asks for the findings right
// after the updates, so that the server sends both at once, then the
// milestones and evidence. With room in the pool for one connection only,
// asideAlone is read aside: the findings on the same connection would hold
// up the milestones until the updates were read, and the view reads the
// findings as soon, itself.
var (
	asideGroups = [][]model.Kind{{model.KindFinding, model.KindEvidence}, {model.KindMilestone}}
	asideAlone  = [][]model.Kind{{model.KindMilestone, model.KindEvidence}}
)

// snapshotID is the form of an exported snapshot's name, checked before it
// is written into SET TRANSACTION SNAPSHOT, which takes no parameters.
var snapshotID = regexp.MustCompile(`^[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+$`)

// asideHook, when tests set it, runs on each other connection before it
// begins its transaction, so that a test can save in between.
var asideHook func()

// asideReads are the lists a view reads on other connections, by kind.
type asideReads struct {
	parts map[model.Kind]*asidePart
}

// asidePart is one group of lists, read on one connection.
type asidePart struct {
	kinds []model.Kind
	mu    sync.Mutex
	// begun: the connection was had and the lists will come; dropped:
	// the view needed them before that and reads them itself.
	begun, dropped bool
	cancel         context.CancelFunc
	had            chan struct{} // closed when the connection is had, or will not be
	done           chan struct{} // closed when the lists are read or have failed
	err            error
	lists          map[model.Kind]any // *[]T by kind, until taken
	took           map[model.Kind]bool
}

// asideWait is how long a view waits for another connection when it needs
// a list: making one takes a few round trips, and the pool had room for it
// when the view asked (readAside). Only if other views took that room
// meanwhile, and all of them wait for the same, would the wait be in vain;
// then the view reads the list itself.
const asideWait = 3 * time.Second

// readAside exports the view's snapshot and starts reading the lists on
// room other connections from the pool (one or more). Should anything go
// wrong there, the view reads the lists itself, as it would have (take).
func (r *records) readAside(room int) error {
	var id string
	if err := r.tx.QueryRow(r.ctx, `SELECT pg_export_snapshot()`, oneTrip).Scan(&id); err != nil {
		return err
	}
	if !snapshotID.MatchString(id) {
		return fmt.Errorf("%w: the server named its snapshot %q", model.ErrProgram, id)
	}
	groups := asideGroups
	if room < len(groups) {
		groups = asideAlone
	}
	a := &asideReads{parts: map[model.Kind]*asidePart{}}
	for _, kinds := range groups {
		ctx, cancel := context.WithCancel(r.ctx)
		p := &asidePart{kinds: kinds, cancel: cancel, had: make(chan struct{}), done: make(chan struct{}),
			lists: map[model.Kind]any{}, took: map[model.Kind]bool{}}
		for _, k := range kinds {
			a.parts[k] = p
		}
		go p.run(ctx, r.s, id)
	}
	r.aside = a
	return nil
}

// roomAside says how many connections the pool can give a view without
// waiting for one in use to be put back: those idle, and room for more.
func (s *Store) roomAside() int {
	st := s.pool.Stat()
	return int(st.IdleConns() + st.MaxConns() - st.TotalConns())
}

// run reads the part's lists on a connection of its own, in the snapshot
// id. If the view needed one before the connection was had (take), it has
// read them itself (dropped) and run gives up.
func (p *asidePart) run(ctx context.Context, s *Store, id string) {
	defer p.cancel()
	c, err := s.pool.Acquire(ctx)
	p.mu.Lock()
	p.begun = err == nil && !p.dropped
	begun := p.begun
	p.mu.Unlock()
	close(p.had)
	if !begun {
		if c != nil {
			c.Release()
		}
		close(p.done)
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
	p.err = func() error {
		if _, err := c.Exec(ctx, `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '`+id+`'`); err != nil {
			return err
		}
		rec := &records{ctx: ctx, tx: tx, s: s}
		for _, k := range p.kinds {
			list, err := loadList(rec, k)
			if err != nil {
				return err
			}
			p.mu.Lock()
			p.lists[k] = list
			p.mu.Unlock()
		}
		return nil
	}()
	close(p.done)
	_ = tx.Rollback(context.WithoutCancel(ctx))
}

// loadList reads every record of a kind read aside.
func loadList(rec *records, kind model.Kind) (any, error) {
	switch kind {
	case model.KindFinding:
		var l []model.Finding
		return &l, loadInto(rec, kind, 0, &l)
	case model.KindMilestone:
		var l []model.Milestone
		return &l, loadInto(rec, kind, 0, &l)
	case model.KindEvidence:
		var l []model.Evidence
		return &l, loadInto(rec, kind, 0, &l)
	}
	return nil, fmt.Errorf("%w: records of kind %q are not read aside", model.ErrProgram, kind)
}

// take gives the list of kind read aside into dst (a *[]T of the kind),
// once; false when the view is to read it itself: it was not read aside,
// the connection was not had in time, or the reading failed.
func (a *asideReads) take(kind model.Kind, dst any) bool {
	if a == nil || a.parts[kind] == nil {
		return false
	}
	p := a.parts[kind]
	select {
	case <-p.had:
	case <-time.After(asideWait):
	}
	p.mu.Lock()
	if !p.begun {
		p.dropped = true
		p.mu.Unlock()
		p.cancel()
		return false
	}
	p.mu.Unlock()
	<-p.done
	if p.err != nil {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	list, ok := p.lists[kind]
	if !ok {
		return false
	}
	var moved bool
	switch d := dst.(type) {
	case *[]model.Finding:
		moved = give(d, list)
	case *[]model.Milestone:
		moved = give(d, list)
	case *[]model.Evidence:
		moved = give(d, list)
	}
	if moved {
		delete(p.lists, kind)
		p.took[kind] = true
	}
	return moved
}

// give moves a list read aside (a *[]T) into dst.
func give[T any](dst *[]T, list any) bool {
	l, ok := list.(*[]T)
	if ok {
		*dst = *l
	}
	return ok
}

// stop ends the reading aside when the view ends: a list the view did not
// take is not waited for.
func (a *asideReads) stop() {
	if a == nil {
		return
	}
	for _, p := range a.parts {
		p.mu.Lock()
		all := len(p.took) == len(p.kinds)
		p.mu.Unlock()
		if !all {
			p.cancel()
		}
	}
}
