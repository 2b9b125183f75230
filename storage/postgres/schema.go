package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// SchemaVersion is the layout this version of the app writes. Init brings a
// database to it; Open refuses any other.
const SchemaVersion = 5

// schema is the PostgreSQL schema (namespace) that holds the register, so
// that its tables stand apart from anything else in the database and every
// statement names them in full, whatever a login's search_path says.
const schema = "improvement_tracker"

// appMarker is kept in the meta table, so that a schema of the same name
// made by something else is not taken for a register.
const appMarker = "Improvement Tracker register"

// The layout, version 1. It keeps records as the file does (model.Records):
//
//	meta(key, value)             'app' = appMarker, 'schema_version' = "1"
//	settings(id = 1, body)       the register's settings, as JSON
//	<kind>(id, finding_id, body) one table per model.Kind (reports, people,
//	                             findings, milestones, updates, evidence,
//	                             audit, submissions): the record as JSON
//	                             (jsonb) under its ID; finding_id is the
//	                             finding a milestone, update, evidence or
//	                             audit event belongs to (NULL for none),
//	                             indexed, for one finding's lists
//	<kind>_id_seq                the kind's IDs (NextID)
//	audit.at                     when the event was recorded, indexed alone
//	                             and by finding, for AuditSince and
//	                             AuditBetween
//	finding_refs(ref, finding_id) the reference index (FindingIDByRef)
//	ref_counters(report_id, type_code, n) the last reference number given
//	evidence_files(evidence_id, data) attached files' bytes
//
// Version 2 adds who may do what: the logins table, group roles, grants,
// row-level security and triggers (see createV2 in roles.go).
//
// Version 3 makes the database hold the register's rules against any
// client (createV3 in rules.go): finding_id, a finding's reference,
// status, rating and delivery lead become columns generated from the
// record; finding_refs goes; the lifecycle tables, the database's own log
// of changes (changes), the write lock (write_lock) and the functions and
// triggers that check every write come.
//
// Version 4 keeps each attached file's bytes once, by SHA-256
// (file_contents(sha256, data)); evidence_files names the file of each
// evidence record (createV4 in files.go).
//
// Version 5 gives the return's reads columns of their own, so that the
// server chooses what a return needs from its indexes rather than from
// every record's JSON (createV5 in lean.go): updates.date with an index
// by finding, date and ID, and audit.at_nanos (the nanoseconds of an
// event's recorded time) in the index of the history by finding and time.
//
// The JSON is the stored format the file uses too (see model.Kind): a
// record read from either store decodes the same, which is what lets
// "copy" move a register between them unchanged.
var kinds = []model.Kind{
	model.KindReport, model.KindPerson, model.KindFinding, model.KindMilestone,
	model.KindUpdate, model.KindEvidence, model.KindAudit, model.KindSubmission,
}

// table is the qualified name of a table of the register.
func table(name string) string { return pgx.Identifier{schema, name}.Sanitize() }

// sequence is the qualified name of a kind's ID sequence, as a string for
// nextval().
func sequence(kind model.Kind) string { return schema + "." + string(kind) + "_id_seq" }

// migrations[i] brings the layout from version i to i+1, in the
// transaction Init runs it in.
var migrations = []func(ctx context.Context, tx pgx.Tx) error{
	createV1,
	createV2, // roles: roles.go
	createV3, // the database holds the rules: rules.go
	createV4, // each attached file kept once: files.go
	createV5, // the return's choices from indexes: lean.go
}

func createV1(ctx context.Context, tx pgx.Tx) error {
	stmts := []string{
		`CREATE SCHEMA IF NOT EXISTS ` + pgx.Identifier{schema}.Sanitize(),
		`CREATE TABLE ` + table("meta") + ` (key text PRIMARY KEY, value text NOT NULL)`,
		`CREATE TABLE ` + table("settings") + ` (id int PRIMARY KEY CHECK (id = 1), body jsonb NOT NULL)`,
		`CREATE TABLE ` + table("finding_refs") + ` (ref text PRIMARY KEY, finding_id bigint NOT NULL)`,
		`CREATE INDEX ON ` + table("finding_refs") + ` (finding_id)`,
		`CREATE TABLE ` + table("ref_counters") + ` (report_id bigint NOT NULL, type_code text NOT NULL, n bigint NOT NULL,
			PRIMARY KEY (report_id, type_code))`,
		`CREATE TABLE ` + table("evidence_files") + ` (evidence_id bigint PRIMARY KEY, data bytea NOT NULL)`,
	}
	for _, k := range kinds {
		t := table(string(k))
		extra := ""
		if k == model.KindAudit {
			extra = ", at timestamptz NOT NULL"
		}
		stmts = append(stmts,
			`CREATE TABLE `+t+` (id bigint PRIMARY KEY, finding_id bigint, body jsonb NOT NULL`+extra+`)`,
			`CREATE INDEX ON `+t+` (finding_id, id) WHERE finding_id IS NOT NULL`,
			`CREATE SEQUENCE `+sequence(k)+` AS bigint MINVALUE 1`)
	}
	stmts = append(stmts,
		`CREATE INDEX ON `+table("audit")+` (at)`,
		`CREATE INDEX ON `+table("audit")+` (finding_id, at) WHERE finding_id IS NOT NULL`,
		`INSERT INTO `+table("meta")+` (key, value) VALUES ('app', '`+appMarker+`')`)
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// schemaState is what a database holds: no register (0), or a register at
// a version.
func schemaState(ctx context.Context, q pgx.Tx) (version int, err error) {
	var exists bool
	if err := q.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, oneTrip, schema+".meta").Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, nil
	}
	rows, err := q.Query(ctx, `SELECT key, value FROM `+table("meta")+` WHERE key IN ('app', 'schema_version')`, oneTrip)
	if err != nil {
		return 0, err
	}
	meta, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) ([2]string, error) {
		var kv [2]string
		err := r.Scan(&kv[0], &kv[1])
		return kv, err
	})
	if err != nil {
		return 0, err
	}
	var app, v string
	for _, kv := range meta {
		switch kv[0] {
		case "app":
			app = kv[1]
		case "schema_version":
			v = kv[1]
		}
	}
	if app != appMarker {
		return 0, errNotRegister
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%w: its schema version %q is not a number", model.ErrDamaged, v)
	}
	return n, nil
}

// errNotRegister: the database has a schema of the register's name that
// something else made.
var errNotRegister = errors.New("not a register")

// InitResult says what Init did.
type InitResult struct {
	// From is the version found: 0 for a database without a register.
	From, To int
}

// String says it in words.
func (r InitResult) String() string {
	switch {
	case r.From == 0:
		return fmt.Sprintf("made a new, empty register (schema version %d)", r.To)
	case r.From == r.To:
		return fmt.Sprintf("the register is already up to date (schema version %d); nothing was changed", r.To)
	}
	return fmt.Sprintf("upgraded the register from schema version %d to %d", r.From, r.To)
}

// Init makes the register's tables in the database at url, or brings an
// older layout up to date, in one transaction: either the whole layout is
// made or nothing is. A register from a newer version of the app is left
// exactly as it is, with an error wrapping model.ErrNewerVersion. It holds
// the register's write lock while it works, so no save runs half-way
// through an upgrade and two runs at once do not both create the tables.
func Init(ctx context.Context, url string, opts Options) (InitResult, error) {
	s, err := connect(ctx, url, opts)
	if err != nil {
		return InitResult{}, err
	}
	defer s.pool.Close()
	res := InitResult{To: SchemaVersion}
	err = s.adminWrite(ctx, func(tx pgx.Tx) error {
		v, err := schemaState(ctx, tx)
		if errors.Is(err, errNotRegister) {
			return s.notRegister()
		} else if err != nil {
			return err
		}
		res.From = v
		if v > SchemaVersion {
			return s.newerError(v)
		}
		for i := v; i < SchemaVersion; i++ {
			if err := migrations[i](ctx, tx); errors.Is(err, errMayNotCreateRoles) {
				return err
			} else if refused := s.setupRefused(err); refused != nil {
				return refused
			} else if err != nil {
				return fmt.Errorf("upgrading the register to schema version %d: %w", i+1, err)
			}
		}
		// The lifecycle tables are the model's, made again at every init,
		// so that a register whose copy was changed by hand is put right.
		if err := syncRules(ctx, tx); err != nil {
			return err
		}
		if v == SchemaVersion {
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO `+table("meta")+` (key, value) VALUES ('schema_version', $1)
			ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, strconv.Itoa(SchemaVersion))
		return err
	})
	if err != nil {
		return InitResult{}, s.wordsFor("set up", err, false)
	}
	return res, nil
}

func (s *Store) newerError(v int) error {
	return fmt.Errorf("%s: %w (schema version %d; this version of the app knows up to %d). Nothing was changed: install the newer version of Improvement Tracker",
		s.where, model.ErrNewerVersion, v, SchemaVersion)
}

func (s *Store) notRegister() error {
	return fmt.Errorf("%s has a schema named %s that Improvement Tracker did not make: give the register a database of its own", s.where, schema)
}
