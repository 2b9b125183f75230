// Package postgres keeps the register in a PostgreSQL database, so that a
// force's improvement team can work in one register at once on a server
// its IT already runs, backs up and secures. It implements model.Store with
// the register's rules from model (NewReader, NewWriter) over the record
// operations of model.RecordWriter: it keeps records and indexes, and no
// rule of the register.
//
// A register on a server is set up once with Init ("improvement-tracker
// server init"); Open then refuses a database without one, or with a
// layout from another version, and says what to do. The driver is pgx,
// which is pure Go, so the app builds for Windows and macOS as before.
// Passwords come from the URL or the standard pgpass file and are never
// stored by the app.
//
// Who may do what (an improvement lead, a delivery lead, a viewer) is the
// database's to enforce, with grants, row-level security and triggers, so
// that it holds for any program that connects; see roles.go and grant.go.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"improvementtracker/model"
)

// Options change how Open behaves. The zero value is what the app uses.
type Options struct {
	// Now is the clock of audit events and record times; nil means
	// time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// LockWait is how long a save waits for another save to finish before
	// it gives up with a message; 0 means DefaultLockWait.
	LockWait time.Duration
	// Getenv reads PGSSLMODE, PGSERVICE and PGHOST for the TLS default;
	// nil means os.Getenv. (pgx reads the rest of the PG variables from
	// the process's environment itself.)
	Getenv func(string) string
}

// DefaultLockWait is how long a save waits for the one before it. Saves
// take milliseconds; one still waiting after this long is stuck behind
// something a person should hear about, and is told which login holds
// the register (lockBusy).
const DefaultLockWait = 8 * time.Second

// Store is the register in a PostgreSQL database. It is safe for concurrent
// use: it keeps a pool of connections, and each View or Update runs on one
// of them.
type Store struct {
	pool *pgxpool.Pool
	now  func() time.Time
	// clockGiven: Options.Now was set (tests), and the owner's saves
	// follow it rather than the server's clock.
	clockGiven bool
	lockWait   time.Duration
	// where names the register in messages: database, server and login,
	// never the password.
	where string
	// host, db and user are the parts of where, for messages that need
	// one of them.
	host, db, user string
	// hasPassword says whether a password was given (in the URL or the
	// pgpass file), so a refusal can say which is wrong.
	hasPassword bool
	// acc is the login's role and person in the register (roles.go).
	acc    access
	closed atomic.Bool

	// Live updates (notify.go): the store's tag in its notifications, the
	// settings of its listening connection, and that connection's hub.
	source  string
	connCfg *pgx.ConnConfig
	liveMu  sync.Mutex
	live    *hub
}

var _ model.Store = (*Store)(nil)

// Open connects to the register at url (postgres://… or postgresql://…).
// It fails with a plain sentence when the server cannot be reached, the
// login or database is wrong, the database holds no register yet (run
// Init), or its layout is from another version of the app (an error
// wrapping model.ErrNewerVersion for a newer one).
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	s, err := connect(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	var v int
	err = s.read(ctx, func(tx pgx.Tx) error {
		var err error
		if v, err = schemaState(ctx, tx); err != nil || v != SchemaVersion {
			return err
		}
		s.acc, err = s.identify(ctx, tx)
		return err
	})
	switch {
	case errors.Is(err, errNotRegister):
		err = s.notRegister()
	case err != nil:
		err = s.wordsFor("read", err, false)
	case v == 0:
		err = fmt.Errorf("%s holds no register yet: set it up with \"improvement-tracker server init --db URL\" (the force's IT does this once)", s.where)
	case v > SchemaVersion:
		err = s.newerError(v)
	case v < SchemaVersion:
		err = fmt.Errorf("%s holds a register in an older layout (schema version %d): upgrade it with \"improvement-tracker server init --db URL\" once everyone has this version of the app", s.where, v)
	}
	if err != nil {
		s.pool.Close()
		return nil, err
	}
	return s, nil
}

// connect makes the pool and checks that the server answers.
func connect(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := config(url, opts.Getenv)
	if err != nil {
		return nil, err
	}
	s := &Store{now: opts.Now, lockWait: opts.LockWait, clockGiven: opts.Now != nil}
	if s.now == nil {
		s.now = time.Now
	}
	if s.lockWait <= 0 {
		s.lockWait = DefaultLockWait
	}
	s.host, s.db, s.user = describe(&cfg.ConnConfig.Config)
	s.hasPassword = cfg.ConnConfig.Password != ""
	s.where = fmt.Sprintf("the shared register in database %q on %s", s.db, s.host)
	s.source, s.connCfg = newSource(), cfg.ConnConfig.Copy()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, s.wordsFor("connect to", err, false)
	}
	s.pool = pool
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, s.wordsFor("connect to", err, false)
	}
	return s, nil
}

// Where names the register in messages: its database and server.
func (s *Store) Where() string { return s.where }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Close closes every connection; later calls fail.
func (s *Store) Close() error {
	s.closed.Store(true)
	s.stopLive()
	s.pool.Close()
	return nil
}

// writeLockKey names the register's write lock, a transaction-level
// advisory lock: one number, the same in every copy of the app.
const writeLockKey int64 = 0x496d70726f766521 // "Improve!"

// View runs fn in a read-only transaction at the repeatable-read level: fn
// sees the register as it stood when the transaction began, whole, however
// many colleagues save meanwhile, and holds up none of them.
func (s *Store) View(ctx context.Context, fn func(tx model.ReadTx) error) (err error) {
	if err := s.usable(ctx); err != nil {
		return s.wordsFor("read", err, false) // a deadline already passed, in words
	}
	return s.read(ctx, func(tx pgx.Tx) error {
		rec := &records{ctx: ctx, tx: tx, s: s, mayReadAside: true}
		defer func() { rec.aside.stop() }()
		return guard(func() error { return fn(model.NewReader(rec)) })
	})
}

// Update runs fn in a read-write transaction, committed when fn returns nil
// and rolled back otherwise: either every change with its audit events is
// stored, or none is, even if the connection drops half-way.
//
// Saves take the register's write lock first, so they run one at a time,
// as they do on the file, while views go on beside them. The choice, over
// a serializable transaction retried when it conflicts: a retry would run
// fn again, and fn changes the caller's records as it goes (a new
// finding's ID and reference), so running it twice is not safe; and the
// rules rely on what one transaction reads staying true until it commits
// (the next reference number, a finding's updates), which the lock gives
// without naming rows in advance, as row locks would need. The cost is
// that saves queue behind each other; they take milliseconds, so a team
// does not notice. Two people changing the same finding one after the
// other is a different question, which the record's own version will
// answer (optimistic concurrency), not the transaction.
func (s *Store) Update(ctx context.Context, by model.Actor, fn func(tx model.Tx) error) error {
	if err := s.usable(ctx); err != nil {
		return s.wordsFor("change", err, false) // a deadline already passed, in words
	}
	if err := s.mayChange(); err != nil {
		return err
	}
	return s.write(ctx, true, func(tx pgx.Tx, lk held) error {
		// The database holds a login's changes to its own person and to
		// the server's clock (createV3), so the save is made as them: the
		// owner alone is outside those rules, and keeps an injected clock
		// (tests) and the name the app gives when it is tied to no one.
		at := lk.at
		if s.clockGiven && s.acc.admin {
			at = s.now()
		}
		if lk.who != "" {
			by.Who, by.Signed = lk.who, true
		}
		rec := &records{ctx: ctx, tx: tx, s: s, writable: true, changed: newChangeSet(), ahead: lk.ahead}
		if err := guard(func() error { return fn(model.NewWriter(rec, by, at)) }); err != nil {
			return err
		}
		return s.announce(ctx, tx, by, rec.changed)
	})
}

// usable checks, before a transaction begins, that the caller still wants
// it and that the store is open.
func (s *Store) usable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return fmt.Errorf("%s: %w", s.where, ErrClosed)
	}
	return nil
}

// read runs fn in a read-only repeatable-read transaction.
func (s *Store) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return s.wordsFor("read", err, false)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return s.wordsFor("read", err, false)
	}
	return nil
}

// held is what taking the write lock tells a save: the server's time,
// which the save's records are dated by, and the name of the login's
// person (empty for the owner when it is tied to no one).
type held struct {
	at    time.Time
	who   string
	ahead *readAhead
}

// write runs fn in a read-committed transaction holding the register's
// write lock, taken through lock_register (rules.go), which only a login
// that may change the register can take. Read committed, not repeatable
// read: a repeatable-read snapshot would be taken when the lock is asked
// for, before the save it waits for has committed, and fn would not see
// that save. The transaction is a pipeTx (pipeline.go), in as few round
// trips as its reads allow; ahead reads ahead what a save through the
// rules reads, into lk.ahead.
func (s *Store) write(ctx context.Context, ahead bool, fn func(tx pgx.Tx, lk held) error) error {
	c, err := s.pool.Acquire(ctx)
	if err != nil {
		return s.wordsFor("change", err, false)
	}
	// A connection left in a transaction (a failure half-way) is closed
	// by the pool rather than given to the next caller.
	defer c.Release()
	tx := &pipeTx{conn: c.Conn()}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	lk, ra, err := tx.begin(ctx, s.lockWait.Milliseconds(), ahead)
	if err != nil {
		if isLockTimeout(err) {
			return s.lockBusy(ctx, err)
		}
		return s.wordsFor("change", err, false)
	}
	lk.ahead = ra
	if err := fn(tx, lk); err != nil {
		return s.wordsFor("change", err, false)
	}
	if err := tx.Commit(ctx); err != nil {
		return s.wordsFor("change", err, true)
	}
	committed = true
	return nil
}

// adminWrite runs fn as write does, for setting the register up and giving
// roles, which the owner alone does and which may find no write lock yet
// (a database being set up): it takes the lock of the layout before
// version 3, an advisory lock, and the write lock too where there is one.
func (s *Store) adminWrite(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.inWrite(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", writeLockKey); err != nil {
			return err
		}
		// The owner may lock the row; anyone else is refused by fn, in
		// words, before anything is changed.
		var mayLock bool
		if err := tx.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL AND has_table_privilege(to_regclass($1), 'UPDATE')`, schema+".write_lock").Scan(&mayLock); err != nil {
			return err
		}
		if mayLock {
			if _, err := tx.Exec(ctx, `SELECT 1 FROM `+table("write_lock")+` WHERE id = 1 FOR UPDATE`); err != nil {
				if isLockTimeout(err) {
					return s.lockBusy(ctx, err)
				}
				return err
			}
		}
		return fn(tx)
	})
}

// inWrite runs fn in a read-committed transaction that gives up waiting
// for a lock after the store's lock wait.
func (s *Store) inWrite(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return s.wordsFor("change", err, false)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", s.lockWait.Milliseconds())); err != nil {
		return s.wordsFor("change", err, false)
	}
	if err := fn(tx); err != nil {
		return s.wordsFor("change", err, false)
	}
	if err := tx.Commit(ctx); err != nil {
		return s.wordsFor("change", err, true)
	}
	committed = true
	return nil
}

// guard turns a panic in a transaction's callback into a model.ErrProgram
// error, with the details in the log; the deferred rollback then undoes
// whatever the callback wrote. A server store has no file to be damaged,
// so every panic here is a bug.
func guard(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("program error while using a shared register: %v\n%s", r, debug.Stack())
			err = fmt.Errorf("%w (%v)", model.ErrProgram, r)
		}
	}()
	return fn()
}
