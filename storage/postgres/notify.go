package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// Live updates. Every committed save tells the register's other users of
// itself with PostgreSQL's NOTIFY, sent inside the save's transaction: the
// server delivers it at commit, and drops it with a rollback, so a save
// that failed tells nobody. Each store keeps one connection of its own
// that LISTENs, and hands what it hears to the window (model.Watcher).

// notifyChannel is the channel every copy of the app listens on. A
// database holds one register (in the schema improvement_tracker), and
// notifications never leave their database, so one name is enough.
const notifyChannel = "improvement_tracker_changes"

// liveAppName names the listening connection in pg_stat_activity, so the
// force's IT can tell it from the connections that read and save.
const liveAppName = "improvement-tracker live updates"

// maxNotice is the largest payload sent, and maxListed the most findings
// listed. The server refuses a payload of 8000 bytes or more, and every
// listening copy of the app reads each one; a save that touches more
// findings than that (an import) says "everything" instead.
const (
	maxNotice = 7000
	maxListed = 500
)

// Retry waits for the listening connection: at once after a drop, then
// after firstRetry, doubling to maxRetry while the server stays away.
const (
	firstRetry = 250 * time.Millisecond
	maxRetry   = 30 * time.Second
)

// idleCheck is how long the listening connection waits for a notification
// before it checks that the server is still there: a connection cut
// without a word (a laptop's network changed) would otherwise wait for
// ever and the window would stop showing colleagues' saves.
const idleCheck = 30 * time.Second

// notice is a notification's payload. Any login may send one (NOTIFY
// needs no right), so it is a hint and never content: it says what to read
// again, and names the transaction that saved (Tx, set by the server);
// who saved, and when, the listener reads from the database's own log
// and history entries (saved_by in rules.go), not from the payload.
type notice struct {
	Tx int64 `json:"tx,omitempty"`
	// Src is the store that saved, so that it can tell its own saves.
	Src      string       `json:"src"`
	Kinds    []model.Kind `json:"kinds,omitempty"`
	Findings []model.ID   `json:"findings,omitempty"`
	All      bool         `json:"all,omitempty"`
	Who      string       `json:"who,omitempty"`
	Login    string       `json:"login,omitempty"`
	At       time.Time    `json:"at"`
}

// changeSet gathers what one save writes, for its notification.
type changeSet struct {
	kinds    map[model.Kind]bool
	findings map[model.ID]bool
	all      bool
	who      string // the person the save's audit events name
}

func newChangeSet() *changeSet {
	return &changeSet{kinds: map[model.Kind]bool{}, findings: map[model.ID]bool{}}
}

// note records a write of kind; a record that belongs to a finding names
// it (a finding names itself).
func (r *records) note(kind model.Kind, findingID model.ID) {
	c := r.changed
	if c == nil {
		return
	}
	c.kinds[kind] = true
	if findingID != 0 {
		c.findings[findingID] = true
	}
}

// noteAll records a write too large to list (records copied in).
func (r *records) noteAll(kind model.Kind) {
	if r.changed != nil {
		r.changed.kinds[kind] = true
		r.changed.all = true
	}
}

// noteWho records the person an audit event of the save names.
func (r *records) noteWho(who string) {
	if r.changed != nil && who != "" {
		r.changed.who = who
	}
}

// newSource is a store's tag in the notifications it sends.
func newSource() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return hex.EncodeToString(b)
}

// announce sends the save's notification within its transaction, to be
// delivered at commit. A save that wrote nothing tells nobody.
func (s *Store) announce(ctx context.Context, tx pgx.Tx, by model.Actor, c *changeSet) error {
	if c == nil || len(c.kinds) == 0 {
		return nil
	}
	n := notice{Src: s.source, Kinds: slices.Sorted(maps.Keys(c.kinds)), All: c.all,
		Who: c.who, Login: s.user, At: s.now()}
	if n.Who == "" {
		n.Who = by.Who
	}
	if len(c.findings) > maxListed {
		n.All = true
	}
	if !n.All {
		n.Findings = slices.Sorted(maps.Keys(c.findings))
	}
	raw, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if len(raw) > maxNotice {
		n.Findings, n.All = nil, true
		if raw, err = json.Marshal(n); err != nil {
			return err
		}
	}
	// The transaction's number is put in by the server: the listener asks
	// the log who made that transaction.
	const sql = "SELECT pg_notify($1, jsonb_set($2::jsonb, '{tx}', to_jsonb(txid_current()))::text)"
	if p, ok := tx.(*pipeTx); ok {
		return p.queue(ctx, nil, sql, notifyChannel, string(raw)) // sent with the COMMIT
	}
	_, err = tx.Exec(ctx, sql, notifyChannel, string(raw))
	return err
}

// hub is a store's listening connection and the callers watching it.
type hub struct {
	s      *Store
	cancel context.CancelFunc
	done   chan struct{}

	mu        sync.Mutex
	subs      map[uint64]func(model.Change)
	next      uint64
	listening bool
	tried     bool          // at least one attempt to listen has ended
	lastErr   error         // why the last attempt failed
	moved     chan struct{} // closed (and replaced) when the state above changes
}

// Watch calls fn with every save committed to the register, by this store
// or another, until ctx is done (see model.Watcher). The store keeps one
// connection for listening, made on the first Watch, and makes it again
// after it drops; saves committed while it was down are told of as one
// Change with Everything set.
func (s *Store) Watch(ctx context.Context, fn func(model.Change)) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	h := s.liveHub()
	if h == nil {
		return s.usable(ctx)
	}
	id := h.add(fn)
	context.AfterFunc(ctx, func() { h.remove(id) })
	return h.ready(ctx)
}

// liveHub starts the listening connection once; nil once the store is
// closed.
func (s *Store) liveHub() *hub {
	s.liveMu.Lock()
	defer s.liveMu.Unlock()
	if s.closed.Load() {
		return nil
	}
	if s.live == nil {
		ctx, cancel := context.WithCancel(context.Background())
		s.live = &hub{s: s, cancel: cancel, done: make(chan struct{}),
			subs: map[uint64]func(model.Change){}, moved: make(chan struct{})}
		go s.live.run(ctx)
	}
	return s.live
}

// stopLive closes the listening connection, if there is one, and waits
// for it to go.
func (s *Store) stopLive() {
	s.liveMu.Lock()
	h := s.live
	s.live = nil
	s.liveMu.Unlock()
	if h != nil {
		h.cancel()
		<-h.done
	}
}

func (h *hub) add(fn func(model.Change)) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.next++
	h.subs[h.next] = fn
	return h.next
}

func (h *hub) remove(id uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.subs, id)
}

// ready waits until the hub listens (nil) or an attempt to has failed
// (its reason).
func (h *hub) ready(ctx context.Context) error {
	for {
		h.mu.Lock()
		listening, tried, err, moved := h.listening, h.tried, h.lastErr, h.moved
		h.mu.Unlock()
		switch {
		case listening:
			return nil
		case tried && err != nil:
			return err
		}
		select {
		case <-moved:
		case <-ctx.Done():
			return ctx.Err()
		case <-h.done:
			return h.s.usable(ctx)
		}
	}
}

func (h *hub) setState(listening bool, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listening, h.tried, h.lastErr = listening, true, err
	close(h.moved)
	h.moved = make(chan struct{})
}

// deliver hands c to every watcher, one after the other.
func (h *hub) deliver(c model.Change) {
	h.mu.Lock()
	fns := slices.Collect(maps.Values(h.subs))
	h.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}

// run keeps a listening connection until ctx is done, saying in the log
// when it is lost and when it is back.
func (h *hub) run(ctx context.Context) {
	defer close(h.done)
	s := h.s
	wait := firstRetry
	down := false // the log has said that live updates stopped
	for {
		conn, err := s.listen(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			h.setState(false, err)
			if !down {
				log.Printf("Live updates from %s are paused, so colleagues' saves will not show until they resume: %v. Trying again.", s.where, err)
				down = true
			}
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return
			}
			wait = min(wait*2, maxRetry)
			continue
		}
		wait = firstRetry
		h.setState(true, nil)
		if down {
			log.Printf("Live updates from %s resumed.", s.where)
			// Saves made meanwhile went unheard: everything is read again.
			h.deliver(model.Change{Everything: true, At: s.now()})
			down = false
		}
		err = h.receive(ctx, conn)
		closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
		_ = conn.Close(closeCtx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		h.setState(false, err)
		log.Printf("The live connection to %s was lost (%s); reconnecting, and colleagues' saves will show again once it is back.", s.where, cause(err))
		down = true
	}
}

// listen makes the listening connection.
func (s *Store) listen(ctx context.Context) (*pgx.Conn, error) {
	cfg := s.connCfg.Copy()
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = liveAppName
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	conn, err := pgx.ConnectConfig(cctx, cfg)
	if err != nil {
		return nil, s.wordsFor("connect to", err, false)
	}
	if _, err := conn.Exec(cctx, "LISTEN "+pgx.Identifier{notifyChannel}.Sanitize()); err != nil {
		_ = conn.Close(context.Background())
		return nil, s.wordsFor("connect to", err, false)
	}
	return conn, nil
}

// receive hands on notifications until the connection fails or ctx is
// done, checking that the server is still there after each quiet spell.
func (h *hub) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		wctx, cancel := context.WithTimeout(ctx, idleCheck)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded):
			pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			err = conn.Ping(pctx)
			cancel()
			if err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		}
		h.deliver(h.s.changeOf(ctx, conn, n.Payload))
	}
}

// changeOf reads a notification's payload: the findings and kinds it
// names, and whether it is this store's own, are hints of what to read
// again; who saved and when come from the database (saved_by), so that a
// notice someone forged names nobody and changes nothing the window shows.
// One that cannot be read (sent by a newer version of the app, say) still
// says that something changed.
func (s *Store) changeOf(ctx context.Context, conn *pgx.Conn, payload string) model.Change {
	var n notice
	if err := json.Unmarshal([]byte(payload), &n); err != nil {
		return model.Change{Everything: true, At: s.now()}
	}
	c := model.Change{Findings: n.Findings, Kinds: n.Kinds, Everything: n.All, At: s.now(), Own: n.Src == s.source}
	if n.Tx == 0 {
		return c
	}
	qctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var login, who string
	var at time.Time
	if err := conn.QueryRow(qctx, `SELECT login, who, at FROM `+fnSavedBy+`($1)`, n.Tx).Scan(&login, &who, &at); err == nil {
		c.Login, c.Who, c.At = login, who, at
	}
	return c
}
