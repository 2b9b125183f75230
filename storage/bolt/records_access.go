package bolt

import (
	"context"

	"improvementtracker/model"
)

// ViewRecords runs fn over the file's records as they are stored, without
// the register's rules, in a read-only transaction: for copying a whole
// register with its IDs, reference counters and audit trail as they are.
// The records fn gets also offer RefCounter.
func (s *Store) ViewRecords(ctx context.Context, fn func(rec model.Records) error) error {
	return s.read(ctx, func(rec *records) error { return fn(rec) })
}

// UpdateRecords runs fn over the file's records without the register's
// rules, in one write transaction: for copying a whole register in, IDs and
// all. Everything fn writes is stored, or nothing is.
func (s *Store) UpdateRecords(ctx context.Context, fn func(rec model.RecordWriter) error) error {
	return s.write(ctx, func(rec *records) error { return fn(rec) })
}
