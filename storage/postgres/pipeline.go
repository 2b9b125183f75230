package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"improvementtracker/model"
)

// A save over a slow network (a force laptop on the VPN, 30 ms or more a
// round trip) costs its round trips, not its work: one edit used to make
// fifteen, one statement at a time. A save is therefore made in as few as
// its reads allow:
//
//   - one round trip begins the transaction, sets its lock wait, takes the
//     write lock and, for a save through the rules, reads ahead what every
//     such save reads (the settings, the reports and people, which are few,
//     the last history entry and the next history number);
//   - the rules' own reads (the finding being changed) go one at a time, as
//     their results decide what comes next, and a record read once is not
//     read again;
//   - the writes wait in a queue and go with the next read, or with the
//     notice and the COMMIT in the last round trip.
//
// Every rule of the schema still runs where it did: the triggers see the
// same statements in the same order, in the same transaction, after the
// lock; only the waits between them are gone.

// oneTrip, given as a query's first argument, sends the query and runs it
// in one round trip, with its parameters and results as text: for reads
// whose parameters are plain numbers and words, on a connection that may
// not have met them before (the statement cache would first ask the server
// to describe each, a round trip of its own).
const oneTrip = pgx.QueryExecModeExec

// pipeTx is a read-committed transaction on one connection whose writes
// can be queued (queue) and are sent with the next statement. It is begun
// and committed inside batches, which pgx's own transaction cannot be.
type pipeTx struct {
	conn   *pgx.Conn
	batch  *pgx.Batch
	checks []func(pgconn.CommandTag, error) error
	// ended: COMMIT or ROLLBACK has been sent.
	ended bool
}

var _ pgx.Tx = (*pipeTx)(nil)

// maxQueued bounds the writes held back: a copy into the register writes
// thousands, which go in batches of this many.
const maxQueued = 500

// queue holds a write back until the next round trip; check, if not nil,
// looks at what it did and gives its error.
func (t *pipeTx) queue(ctx context.Context, check func(pgconn.CommandTag, error) error, sql string, args ...any) error {
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	t.batch.Queue(sql, args...)
	t.checks = append(t.checks, check)
	if t.batch.Len() >= maxQueued {
		return t.flush(ctx)
	}
	return nil
}

// flush sends the queued writes, in one round trip, and gives the first
// failure.
func (t *pipeTx) flush(ctx context.Context) error {
	if t.batch == nil || t.batch.Len() == 0 {
		return nil
	}
	b, checks := t.batch, t.checks
	t.batch, t.checks = nil, nil
	return sendAll(ctx, t.conn, b, checks)
}

// sendAll sends a batch and reads its results in order: the first failure,
// a statement's or a check's, is the batch's. The server runs none of the
// statements after a failed one.
func sendAll(ctx context.Context, conn *pgx.Conn, b *pgx.Batch, checks []func(pgconn.CommandTag, error) error) error {
	br := conn.SendBatch(ctx, b)
	var first error
	for _, check := range checks {
		tag, err := br.Exec()
		if check != nil {
			err = check(tag, err)
		}
		if err != nil {
			first = err
			break
		}
	}
	if err := br.Close(); first == nil {
		first = err
	}
	return first
}

func (t *pipeTx) Begin(context.Context) (pgx.Tx, error) {
	return nil, fmt.Errorf("%w: a transaction inside a save", model.ErrProgram)
}

// Commit sends the queued writes and the COMMIT together.
func (t *pipeTx) Commit(ctx context.Context) error {
	if t.batch == nil {
		t.batch = &pgx.Batch{}
	}
	t.batch.Queue("COMMIT")
	t.checks = append(t.checks, nil)
	t.ended = true
	b, checks := t.batch, t.checks
	t.batch, t.checks = nil, nil
	return sendAll(ctx, t.conn, b, checks)
}

// Rollback drops the queued writes and ends the transaction, if the
// connection is still in one.
func (t *pipeTx) Rollback(ctx context.Context) error {
	t.batch, t.checks = nil, nil
	if t.ended && t.conn.PgConn().TxStatus() == 'I' {
		return nil
	}
	t.ended = true
	_, err := t.conn.Exec(ctx, "ROLLBACK")
	return err
}

func (t *pipeTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.flush(ctx); err != nil {
		return 0, err
	}
	return t.conn.CopyFrom(ctx, table, cols, src)
}

func (t *pipeTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if err := t.flush(ctx); err != nil {
		return failedBatch{err}
	}
	return t.conn.SendBatch(ctx, b)
}

func (t *pipeTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (t *pipeTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.conn.Prepare(ctx, name, sql)
}

func (t *pipeTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.flush(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.conn.Exec(ctx, sql, args...)
}

func (t *pipeTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.conn.Query(ctx, sql, args...)
}

func (t *pipeTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.flush(ctx); err != nil {
		return failedRow{err}
	}
	return t.conn.QueryRow(ctx, sql, args...)
}

func (t *pipeTx) Conn() *pgx.Conn { return t.conn }

// failedRow and failedBatch carry the failure of the writes sent before a
// read to whoever asked for the read.
type failedRow struct{ err error }

func (r failedRow) Scan(...any) error { return r.err }

type failedBatch struct{ err error }

func (b failedBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, b.err }
func (b failedBatch) Query() (pgx.Rows, error)         { return nil, b.err }
func (b failedBatch) QueryRow() pgx.Row                { return failedRow(b) }
func (b failedBatch) Close() error                     { return b.err }
func (b failedBatch) Tx() pgx.Tx                       { return nil }

// readAhead is what a save read in the round trip that took the lock, and
// the records it has read or written since: the lock keeps every other
// save out until it commits, so none of them changes meanwhile.
type readAhead struct {
	settings    []byte // nil: none saved
	recs        map[model.Kind]map[int64][]byte
	whole       map[model.Kind]bool // every record of the kind is in recs
	lastAudit   int64               // 0: no history yet
	lastRaw     []byte
	nextAuditID int64 // 0 once given out
}

// aheadKinds are read whole when a save begins: a register has few
// reports and people, and a save's rules look some of them up.
var aheadKinds = []model.Kind{model.KindReport, model.KindPerson}

// begin begins tx, sets its lock wait, takes the write lock and, when
// ahead, reads ahead, in one round trip.
func (t *pipeTx) begin(ctx context.Context, lockWait int64, ahead bool) (held, *readAhead, error) {
	var lk held
	var who *string
	b := &pgx.Batch{}
	b.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
	b.Queue(fmt.Sprintf("SET LOCAL lock_timeout = %d", lockWait))
	b.Queue(`SELECT at, who FROM ` + fnLockReg + `()`).QueryRow(func(row pgx.Row) error { return row.Scan(&lk.at, &who) })
	var ra *readAhead
	if ahead {
		ra = &readAhead{recs: map[model.Kind]map[int64][]byte{}, whole: map[model.Kind]bool{}}
		b.Queue(`SELECT body FROM ` + table("settings") + ` WHERE id = 1`).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := rows.Scan(&ra.settings); err != nil {
					return err
				}
			}
			return rows.Err()
		})
		for _, k := range aheadKinds {
			ra.whole[k], ra.recs[k] = true, map[int64][]byte{}
			b.Queue(`SELECT id, body FROM ` + table(string(k))).Query(func(rows pgx.Rows) error {
				for rows.Next() {
					var id int64
					var raw []byte
					if err := rows.Scan(&id, &raw); err != nil {
						return err
					}
					ra.recs[k][id] = raw
				}
				return rows.Err()
			})
		}
		b.Queue(`SELECT id, body FROM ` + table("audit") + ` ORDER BY id DESC LIMIT 1`).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				if err := rows.Scan(&ra.lastAudit, &ra.lastRaw); err != nil {
					return err
				}
			}
			return rows.Err()
		})
		// A history number taken and not used (a save that records
		// nothing) is skipped, as one of a failed save is (NextID).
		b.Queue(`SELECT nextval($1::regclass)`, sequence(model.KindAudit)).QueryRow(func(row pgx.Row) error {
			return row.Scan(&ra.nextAuditID)
		})
	}
	if err := t.conn.SendBatch(ctx, b).Close(); err != nil {
		return lk, nil, err
	}
	if who != nil {
		lk.who = *who
	}
	return lk, ra, nil
}

// errGone: a record a save had read was no longer there when its change
// was written, which only a change made outside the app's saves can do.
var errGone = errors.New("was removed by someone else while it was being saved: nothing was saved; open it again")

// known is the record of a kind and ID this save has read or written.
func (a *readAhead) known(kind model.Kind, id int64) ([]byte, bool) {
	if a == nil {
		return nil, false
	}
	raw, ok := a.recs[kind][id]
	return raw, ok
}

// keep notes a record this save has read or written.
func (a *readAhead) keep(kind model.Kind, id int64, raw []byte) {
	if a == nil {
		return
	}
	if a.recs[kind] == nil {
		a.recs[kind] = map[int64][]byte{}
	}
	a.recs[kind][id] = raw
	if kind == model.KindAudit && id > a.lastAudit {
		a.lastAudit, a.lastRaw = id, raw
	}
}

// forget notes a record this save has deleted.
func (a *readAhead) forget(kind model.Kind, id int64) {
	if a != nil {
		delete(a.recs[kind], id)
	}
}
