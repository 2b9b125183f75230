package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"improvementtracker/internal/parallel"
	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

// records is model.RecordWriter over one pgx transaction: it keeps records
// and their indexes, and nothing else. The register's rules are
// model.NewReader and model.NewWriter, over it. The records interface takes
// no context, so the transaction's is kept here: a View or Update given up
// by its caller stops at its next statement.
type records struct {
	ctx      context.Context
	tx       pgx.Tx
	s        *Store
	writable bool
	// changed gathers what a save writes, for its notification
	// (notify.go); nil when nobody is to be told.
	changed *changeSet
	// ahead is what a save read when it took the lock and has read or
	// written since (pipeline.go); nil outside a save through the rules.
	ahead *readAhead
	// mayReadAside: a view, which reads some lists on other
	// connections once it is seen to take a snapshot (aside.go); aside
	// is that reading, once begun.
	mayReadAside bool
	aside        *asideReads
}

// exec runs a write, or, in a save made in few round trips (pipeTx),
// queues it for the next one; check, if not nil, looks at what it did and
// gives the write's error.
func (r *records) exec(check func(pgconn.CommandTag, error) error, sql string, args ...any) error {
	if p, ok := r.tx.(*pipeTx); ok {
		return p.queue(r.ctx, check, sql, args...)
	}
	tag, err := r.tx.Exec(r.ctx, sql, args...)
	if check != nil {
		err = check(tag, err)
	}
	return err
}

// mayChangeFinding says whether this save's login may change the finding
// stored as old, as row-level security will decide it (createV3): an
// improvement lead any, a delivery lead only one they lead. Where it may
// not, the change is sent at once, so that the server refuses it in its
// own words.
func (r *records) mayChangeFinding(old []byte) bool {
	if r.s.acc.admin || r.s.acc.role == RoleImprovementLead {
		return true
	}
	var f struct {
		Lead model.ID `json:"delivery_lead_id"`
	}
	return r.s.acc.person != 0 && json.Unmarshal(old, &f) == nil && f.Lead == r.s.acc.person
}

var (
	_ model.RecordWriter   = (*records)(nil)
	_ model.AuditSincer    = (*records)(nil)
	_ model.AuditBetweener = (*records)(nil)
)

// kindTable is the table of a kind of record; a kind the layout does not
// have is a program error (a new kind needs a migration).
func kindTable(kind model.Kind) (string, error) {
	for _, k := range kinds {
		if k == kind {
			return table(string(kind)), nil
		}
	}
	return "", fmt.Errorf("%w: no table for records of kind %q", model.ErrProgram, kind)
}

func (r *records) mustWrite() error {
	if !r.writable {
		return fmt.Errorf("%w: a write in a read-only transaction", model.ErrProgram)
	}
	return nil
}

// decode decodes a stored record, naming it when it is not valid JSON of
// its type: the database was changed by something other than the app.
func decode(kind model.Kind, id int64, raw []byte, v any) error {
	// Updates and audit events, most of a register, are read directly;
	// anything the direct reader does not take is left to encoding/json.
	if recjson.Decode(raw, v) {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: %s #%d cannot be read (%v)", model.ErrDamaged, kind, id, err)
	}
	return nil
}

// LoadSettings decodes the settings, if any have been saved.
func (r *records) LoadSettings(s *model.Settings) (bool, error) {
	if r.ahead != nil {
		if r.ahead.settings == nil {
			return false, nil
		}
		return true, decode("settings", 1, r.ahead.settings, s)
	}
	var raw []byte
	err := r.tx.QueryRow(r.ctx, `SELECT body FROM `+table("settings")+` WHERE id = 1`).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, decode("settings", 1, raw, s)
}

// Load decodes one record.
func (r *records) Load(kind model.Kind, id model.ID, v any) error {
	t, err := kindTable(kind)
	if err != nil {
		return err
	}
	if raw, ok := r.ahead.known(kind, int64(id)); ok {
		return decode(kind, int64(id), raw, v)
	} else if r.ahead != nil && r.ahead.whole[kind] {
		return model.ErrNotFound
	}
	var raw []byte
	err = r.tx.QueryRow(r.ctx, `SELECT body FROM `+t+` WHERE id = $1`, int64(id)).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return model.ErrNotFound
	} else if err != nil {
		return err
	}
	r.ahead.keep(kind, int64(id), raw)
	return decode(kind, int64(id), raw, v)
}

// LoadAll decodes every record of a kind, or one finding's, in ID order.
func (r *records) LoadAll(kind model.Kind, findingID model.ID, dst any) error {
	switch d := dst.(type) {
	case *[]model.Report:
		return loadInto(r, kind, findingID, d)
	case *[]model.Person:
		return loadInto(r, kind, findingID, d)
	case *[]model.Finding:
		if findingID == 0 && r.aside.take(kind, d) {
			return nil
		}
		return loadInto(r, kind, findingID, d)
	case *[]model.Milestone:
		if findingID == 0 && r.aside.take(kind, d) {
			return nil
		}
		return loadInto(r, kind, findingID, d)
	case *[]model.Update:
		return loadInto(r, kind, findingID, d)
	case *[]model.Evidence:
		if findingID == 0 && r.aside.take(kind, d) {
			return nil
		}
		return loadInto(r, kind, findingID, d)
	case *[]model.AuditEvent:
		return loadInto(r, kind, findingID, d)
	case *[]model.Submission:
		return loadInto(r, kind, findingID, d)
	}
	return fmt.Errorf("%w: cannot list records into %T", model.ErrProgram, dst)
}

func loadInto[T any](r *records, kind model.Kind, findingID model.ID, dst *[]T) error {
	t, err := kindTable(kind)
	if err != nil {
		return err
	}
	// Sent and run in one round trip (oneTrip), where the statement
	// cache first asks the server to describe a query new to the
	// connection: a register just opened lists its findings on a new one.
	var rows pgx.Rows
	if findingID == 0 {
		rows, err = r.tx.Query(r.ctx, `SELECT id, body FROM `+t+` ORDER BY id`, oneTrip)
	} else {
		rows, err = r.tx.Query(r.ctx, `SELECT id, body FROM `+t+` WHERE finding_id = $1 ORDER BY id`, oneTrip, int64(findingID))
	}
	if err != nil {
		return err
	}
	out, err := collect[T](kind, rows)
	if err != nil {
		return err
	}
	*dst = out
	return nil
}

// collect decodes rows of (id, body) while they arrive: the rows are
// decoded on the other cores, a chunk at a time, as the next are read off
// the connection. On a large register decoding, not the server, is most
// of the time a list takes, and over a network so is the wait for the
// rows: overlapped, the two cost little more than the longer of them.
func collect[T any](kind model.Kind, rows pgx.Rows) ([]T, error) {
	defer rows.Close()
	type stored struct {
		id  int64
		raw []byte
	}
	next := func() (stored, bool, error) {
		var r stored
		if !rows.Next() {
			return r, false, rows.Err()
		}
		err := rows.Scan(&r.id, &r.raw)
		return r, err == nil, err
	}
	return parallel.Stream(next, func(r stored, out *T) error {
		return decode(kind, r.id, r.raw, out)
	}, parallel.Fault("reading a shared register"))
}

// Last decodes the record of a kind with the highest ID: the newest audit
// event, which the next one is chained to. Saves run one at a time under
// the write lock, so the highest ID is also the last committed.
func (r *records) Last(kind model.Kind, v any) (bool, error) {
	t, err := kindTable(kind)
	if err != nil {
		return false, err
	}
	if kind == model.KindAudit && r.ahead != nil {
		if r.ahead.lastAudit == 0 {
			return false, nil
		}
		return true, decode(kind, r.ahead.lastAudit, r.ahead.lastRaw, v)
	}
	var id int64
	var raw []byte
	err = r.tx.QueryRow(r.ctx, `SELECT id, body FROM `+t+` ORDER BY id DESC LIMIT 1`).Scan(&id, &raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, decode(kind, id, raw, v)
}

// FindingIDByRef looks a reference up in the reference index.
func (r *records) FindingIDByRef(ref string) (model.ID, error) {
	var id int64
	err := r.tx.QueryRow(r.ctx, `SELECT id FROM `+table("findings")+` WHERE ref = $1`, ref).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, model.ErrNotFound
	}
	return model.ID(id), err
}

// CountByFinding counts a finding's records of a kind.
func (r *records) CountByFinding(kind model.Kind, findingID model.ID) (int, error) {
	t, err := kindTable(kind)
	if err != nil {
		return 0, err
	}
	var n int
	err = r.tx.QueryRow(r.ctx, `SELECT count(*) FROM `+t+` WHERE finding_id = $1`, int64(findingID)).Scan(&n)
	return n, err
}

// File returns an attached file's bytes, kept once however many records
// refer to them (files.go).
func (r *records) File(evidenceID model.ID) ([]byte, error) {
	var data []byte
	err := r.tx.QueryRow(r.ctx, `SELECT c.data FROM `+table("evidence_files")+` f JOIN `+table("file_contents")+` c ON c.sha256 = f.sha256
		WHERE f.evidence_id = $1`, int64(evidenceID)).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, model.ErrNotFound
	}
	return data, err
}

// NextID takes the next value of the kind's sequence. Unlike the file's,
// a sequence is not rolled back with the transaction: an ID taken by a
// save that failed is skipped, never given again. IDs only have to be
// unique and grow, which this keeps; references, which people see, come
// from ref_counters, which is rolled back.
func (r *records) NextID(kind model.Kind) (model.ID, error) {
	if err := r.mustWrite(); err != nil {
		return 0, err
	}
	if _, err := kindTable(kind); err != nil {
		return 0, err
	}
	if kind == model.KindAudit && r.ahead != nil && r.ahead.nextAuditID != 0 {
		n := r.ahead.nextAuditID
		r.ahead.nextAuditID = 0
		return model.ID(n), nil
	}
	var n int64
	err := r.tx.QueryRow(r.ctx, `SELECT nextval($1::regclass)`, sequence(kind)).Scan(&n)
	return model.ID(n), err
}

// indexed is what the store reads of a record it is given: the finding it
// belongs to (for the live-update notice), and an audit event's time and
// person. The columns the database derives from the record are its own.
type indexed struct {
	FindingID model.ID  `json:"finding_id"`
	At        time.Time `json:"at"`
	Who       string    `json:"who"` // an audit event's person
}

// Put stores a record under its ID, replacing what was there, with its
// index entries. A progress update or audit event is only ever added: one
// stored under an ID already taken is refused.
func (r *records) Put(kind model.Kind, id model.ID, v any) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	t, err := kindTable(kind)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cannot store %s #%d: %w", kind, id, err)
	}
	if err := storable(raw); err != nil {
		return err
	}
	var k indexed
	if err := json.Unmarshal(raw, &k); err != nil {
		return fmt.Errorf("cannot store %s #%d: %w", kind, id, err)
	}
	switch kind {
	case model.KindFinding:
		r.note(kind, id)
	case model.KindAudit:
		r.note(kind, k.FindingID)
		r.noteWho(k.Who)
	default:
		r.note(kind, k.FindingID)
	}
	switch kind {
	case model.KindAudit:
		// Audit events and progress updates are only ever added: a plain
		// INSERT, so that no role needs the right to change them (see
		// createV2). The finding a record belongs to, and an event's
		// time, are columns the database derives from the record itself
		// (createV3), so the app does not send them.
		err = r.exec(nil, `INSERT INTO `+t+` (id, body, at) VALUES ($1, $2, $3)`, int64(id), raw, k.At)
	case model.KindUpdate:
		err = r.exec(nil, `INSERT INTO `+t+` (id, body) VALUES ($1, $2)`, int64(id), raw)
	case model.KindFinding:
		err = r.putFinding(t, id, raw)
	default:
		err = r.exec(nil, `INSERT INTO `+t+` (id, body) VALUES ($1, $2)
			ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body`, int64(id), raw)
	}
	if err == nil {
		r.ahead.keep(kind, int64(id), raw)
	}
	return err
}

// putFinding changes a finding in place when it is stored, and adds it
// otherwise: not an upsert, because PostgreSQL asks an upsert for the right
// to add, which a delivery lead, who may change the findings they lead,
// does not have. The finding's reference is a column of its own, derived
// from the record and unique, so there is no index to keep beside it.
func (r *records) putFinding(t string, id model.ID, raw []byte) error {
	if old, ok := r.ahead.known(model.KindFinding, int64(id)); ok && r.mayChangeFinding(old) {
		// Read or written by this save, under the lock, and the login may
		// change it: the change can wait for the next round trip. Should
		// the row be gone after all (changed outside the app's saves), the
		// statement fails, dividing by the count of rows changed, so that
		// nothing sent after it (the COMMIT) runs.
		return r.exec(func(_ pgconn.CommandTag, err error) error {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && pe.Code == "22012" { // division_by_zero
				return fmt.Errorf("finding #%d %w", id, errGone)
			}
			return err
		}, `WITH u AS (UPDATE `+t+` SET body = $2 WHERE id = $1 RETURNING id) SELECT 1 / count(*) FROM u`, int64(id), raw)
	}
	tag, err := r.tx.Exec(r.ctx, `UPDATE `+t+` SET body = $2 WHERE id = $1`, int64(id), raw)
	if err != nil || tag.RowsAffected() > 0 {
		return err
	}
	_, err = r.tx.Exec(r.ctx, `INSERT INTO `+t+` (id, body) VALUES ($1, $2)`, int64(id), raw)
	return err
}

// Delete removes a record with its index entries and attached file.
func (r *records) Delete(kind model.Kind, id model.ID) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	t, err := kindTable(kind)
	if err != nil {
		return err
	}
	tag, err := r.tx.Exec(r.ctx, `DELETE FROM `+t+` WHERE id = $1`, int64(id))
	if err != nil {
		return err
	}
	r.ahead.forget(kind, int64(id))
	if tag.RowsAffected() == 0 {
		return model.ErrNotFound
	}
	if kind == model.KindFinding {
		r.note(kind, id)
	} else {
		r.note(kind, 0) // its audit event names its finding
	}
	switch kind {
	case model.KindEvidence:
		_, err = r.tx.Exec(r.ctx, `DELETE FROM `+table("evidence_files")+` WHERE evidence_id = $1`, int64(id))
	}
	return err
}

// PutSettings replaces the register's settings.
func (r *records) PutSettings(s model.Settings) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	if err := storable(raw); err != nil {
		return err
	}
	r.note(model.KindSettings, 0)
	err = r.exec(nil, `INSERT INTO `+table("settings")+` (id, body) VALUES (1, $1)
		ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body`, raw)
	if err == nil && r.ahead != nil {
		r.ahead.settings = raw
	}
	return err
}

// PutFile stores an attached file's bytes.
func (r *records) PutFile(evidenceID model.ID, data []byte) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	if data == nil {
		data = []byte{} // an empty file is a file, not a NULL
	}
	// The rules never replace an attached file; adding one needs only the
	// right to add, which a delivery lead has for their own findings'. The
	// bytes are kept once by their SHA-256: a file attached again is
	// already there.
	sum := model.Digest(data)
	if _, err := r.tx.Exec(r.ctx, `INSERT INTO `+table("file_contents")+` (sha256, data) VALUES ($1, $2)
		ON CONFLICT (sha256) DO NOTHING`, sum, data); err != nil {
		return err
	}
	tag, err := r.tx.Exec(r.ctx, `INSERT INTO `+table("evidence_files")+` (evidence_id, sha256) VALUES ($1, $2)
		ON CONFLICT (evidence_id) DO NOTHING`, int64(evidenceID), sum)
	if err != nil || tag.RowsAffected() == 1 {
		return err
	}
	_, err = r.tx.Exec(r.ctx, `UPDATE `+table("evidence_files")+` SET sha256 = $2 WHERE evidence_id = $1`, int64(evidenceID), sum)
	return err
}

// RefCounter is the last reference number given for a report and type.
func (r *records) RefCounter(report model.ID, code string) (uint64, error) {
	var n int64
	err := r.tx.QueryRow(r.ctx, `SELECT n FROM `+table("ref_counters")+` WHERE report_id = $1 AND type_code = $2`,
		int64(report), code).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return uint64(n), err
}

// SetRefCounter records the last reference number given.
func (r *records) SetRefCounter(report model.ID, code string, n uint64) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	return r.exec(nil, `INSERT INTO `+table("ref_counters")+` (report_id, type_code, n) VALUES ($1, $2, $3)
		ON CONFLICT (report_id, type_code) DO UPDATE SET n = EXCLUDED.n`, int64(report), code, int64(n))
}
