package storage

import (
	"context"
	"fmt"

	"improvementtracker/model"
)

// ViewRecords runs fn over the file's records as they are stored, without
// the register's rules, in a read-only transaction: for copying a whole
// register with its IDs, reference counters and audit trail as they are.
// The records fn gets also offer RefCounter.
func (s *Store) ViewRecords(ctx context.Context, fn func(rec model.Records) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.guard(func() error {
		btx, err := s.db.Begin(false)
		if err != nil {
			return fmt.Errorf("cannot read the register %s: %w", s.path, err)
		}
		defer func() { _ = btx.Rollback() }()
		return fn(&records{tx: btx, s: s})
	})
}

// UpdateRecords runs fn over the file's records without the register's
// rules, in one write transaction: for copying a whole register in, IDs and
// all. Everything fn writes is stored, or nothing is.
func (s *Store) UpdateRecords(ctx context.Context, fn func(rec model.RecordWriter) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.guard(func() error {
		btx, err := s.db.Begin(true)
		if err != nil {
			return fmt.Errorf("cannot write to the register %s: %w", s.path, err)
		}
		committed := false
		defer func() {
			if !committed {
				_ = btx.Rollback()
			}
		}()
		if err := fn(&records{tx: btx, s: s}); err != nil {
			return err
		}
		if err := btx.Commit(); err != nil {
			return fmt.Errorf("saving to the register %s: %w", s.path, err)
		}
		committed = true
		return nil
	})
}
