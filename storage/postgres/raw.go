package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"improvementtracker/model"
)

// ViewRecords runs fn over the register's records as they are stored,
// without the register's rules, in a read-only repeatable-read
// transaction: for copying a whole register with its IDs, reference
// counters and audit trail as they are. The records fn gets also offer
// RefCounter.
func (s *Store) ViewRecords(ctx context.Context, fn func(rec model.Records) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	return s.read(ctx, func(tx pgx.Tx) error {
		return guard(func() error { return fn(&records{ctx: ctx, tx: tx, s: s}) })
	})
}

// UpdateRecords runs fn over the register's records without the register's
// rules, in one transaction that holds the write lock, as Update does:
// for copying a whole register in, IDs and all. Everything fn writes is
// stored, or nothing is.
func (s *Store) UpdateRecords(ctx context.Context, fn func(rec model.RecordWriter) error) error {
	if err := s.usable(ctx); err != nil {
		return err
	}
	return s.write(ctx, false, func(tx pgx.Tx, _ held) error {
		rec := &records{ctx: ctx, tx: tx, s: s, writable: true, changed: newChangeSet()}
		if err := guard(func() error { return fn(rec) }); err != nil {
			return err
		}
		return s.announce(ctx, tx, model.Actor{}, rec.changed)
	})
}

// ReserveIDs makes sure NextID of a kind gives IDs above last from now on,
// without giving each ID in between: a register copied in keeps its IDs,
// and new records must not take the IDs its audit trail already names.
// The sequence moves at once and for good, even if the transaction is
// rolled back, which only skips IDs.
func (r *records) ReserveIDs(kind model.Kind, last model.ID) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	if _, err := kindTable(kind); err != nil {
		return err
	}
	seq := pgx.Identifier{schema, string(kind) + "_id_seq"}.Sanitize()
	_, err := r.tx.Exec(r.ctx, fmt.Sprintf(`SELECT setval($1::regclass, GREATEST($2::bigint,
		(SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM %s)), true) WHERE $2::bigint > 0`, seq),
		sequence(kind), int64(last))
	return err
}

// PutBatch stores many new records of a kind at once, with their index
// entries, by PostgreSQL's COPY: a register copied in record by record
// takes minutes, by COPY seconds. It is for an empty register (a copy):
// a record whose ID is already taken fails the whole transaction, where
// Put would replace it.
func (r *records) PutBatch(kind model.Kind, ids []model.ID, recs []any) error {
	if err := r.mustWrite(); err != nil {
		return err
	}
	if _, err := kindTable(kind); err != nil {
		return err
	}
	if len(ids) != len(recs) {
		return fmt.Errorf("%w: %d IDs for %d records", model.ErrProgram, len(ids), len(recs))
	}
	if !r.s.acc.admin {
		// COPY cannot go through row-level security, and a copy writes IDs
		// and the audit trail as they are, which no role may.
		return fmt.Errorf("only the login that set up %s (the one that ran \"server init\") may copy a whole register into it, and the login %q is another: ask the force's IT to run the copy", r.s.where, r.s.acc.login)
	}
	rows := make([][]any, len(recs))
	for i, v := range recs {
		raw, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("cannot store %s #%d: %w", kind, ids[i], err)
		}
		if err := storable(raw); err != nil {
			return err
		}
		var k indexed
		if err := json.Unmarshal(raw, &k); err != nil {
			return fmt.Errorf("cannot store %s #%d: %w", kind, ids[i], err)
		}
		rows[i] = []any{int64(ids[i]), raw}
		if kind == model.KindAudit {
			rows[i] = append(rows[i], k.At)
		}
	}
	r.noteAll(kind)
	// The finding a record belongs to and a finding's reference are
	// derived by the database from the record (createV3).
	cols := []string{"id", "body"}
	if kind == model.KindAudit {
		cols = append(cols, "at")
	}
	_, err := r.tx.CopyFrom(r.ctx, pgx.Identifier{schema, string(kind)}, cols, pgx.CopyFromRows(rows))
	return err
}
