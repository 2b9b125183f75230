package bolt

import (
	"errors"
	"fmt"
	"os"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// A backup is a compacted copy of the register (writeBackup): what follows
// writes it.

// mostlyFree reports whether a quarter or more of the file tx sees is
// pages given up, which a plain copy would carry (they hold old data,
// which does not compress away) and a compacted one leaves out.
func mostlyFree(tx *bolt.Tx) bool {
	st := tx.DB().Stats()
	free := int64(st.FreePageN+st.PendingPageN) * int64(tx.DB().Info().PageSize)
	return free*4 >= tx.Size()
}

// compactBatch is how many bytes of entries compactTo writes in one
// transaction of the copy: bbolt keeps a transaction's pages in memory
// until it commits, and a whole register in one would hold all of it.
const compactBatch = 32 << 20

// compactTo writes every section tx sees, in key order with full pages,
// into a new bbolt file at path (an empty file bbolt lays out), synced on
// each commit. The register's own file keeps the pages it has given up
// (bbolt never gives them back to the disk, and reuses them) and the room
// left in pages split by saves; the copy has neither. A crash part way
// leaves a file under the temporary name only, which is never taken for a
// backup.
func compactTo(src *bolt.Tx, path string, stop func() bool) error {
	// Unsynced commits, and one sync of the whole file at the end: the
	// copy is a temporary file until it is whole, synced and checked, so
	// a sync at each commit would protect nothing and (measured) doubled
	// the time of the copy.
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultTimeout, NoSync: true, NoGrowSync: true})
	if err != nil {
		return err
	}
	c := &compactor{db: db, stop: stop}
	err = src.ForEach(func(name []byte, b *bolt.Bucket) error {
		return c.bucket(nil, name, b)
	})
	if err == nil && c.tx != nil {
		err = c.tx.Commit()
		c.tx = nil
	}
	if c.tx != nil {
		_ = c.tx.Rollback()
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = syncFile(path)
	}
	return err
}

// syncFile makes a closed file's bytes durable.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// compactor is the copy compactTo is writing: the open transaction, the
// bytes written in it, and the section being written (found again only
// when a commit has closed the transaction it was found in).
type compactor struct {
	db      *bolt.DB
	tx      *bolt.Tx
	written int
	cur     *bolt.Bucket
	stop    func() bool
}

// errStopped is a backup given up because the register was being closed.
var errStopped = errors.New("the backup was given up: the register was closed first")

// bucket copies the section b, found under name in the section at path
// (nil for the top level), with its sequence and any sections within it.
func (c *compactor) bucket(path [][]byte, name []byte, b *bolt.Bucket) error {
	var err error
	if c.cur, err = c.dst(path, name, true); err != nil {
		return err
	}
	inner := append(slices.Clone(path), name)
	if err := b.ForEach(func(k, v []byte) error {
		if v == nil {
			if sub := b.Bucket(k); sub != nil {
				err := c.bucket(inner, k, sub)
				c.cur = nil // the nested section was being written
				return err
			}
		}
		if c.written > compactBatch {
			if c.stop != nil && c.stop() {
				return errStopped
			}
			if err := c.tx.Commit(); err != nil {
				return err
			}
			c.tx, c.written, c.cur = nil, 0, nil
		}
		if c.cur == nil {
			var err error
			if c.cur, err = c.dst(path, name, false); err != nil {
				return err
			}
		}
		c.written += len(k) + len(v)
		return c.cur.Put(k, v)
	}); err != nil {
		return err
	}
	dst, err := c.dst(path, name, false)
	if err != nil {
		return err
	}
	c.cur = nil
	return dst.SetSequence(b.Sequence())
}

// dst finds (or, with create, makes) the copy's section at path/name in
// the open transaction, beginning one when none is open.
func (c *compactor) dst(path [][]byte, name []byte, create bool) (*bolt.Bucket, error) {
	if c.tx == nil {
		tx, err := c.db.Begin(true)
		if err != nil {
			return nil, err
		}
		c.tx = tx
	}
	var b *bolt.Bucket
	for i, n := range append(slices.Clone(path), name) {
		last := i == len(path)
		var next *bolt.Bucket
		switch {
		case b == nil && last && create:
			var err error
			if next, err = c.tx.CreateBucket(n); err != nil {
				return nil, err
			}
		case b == nil:
			next = c.tx.Bucket(n)
		case last && create:
			var err error
			if next, err = b.CreateBucket(n); err != nil {
				return nil, err
			}
		default:
			next = b.Bucket(n)
		}
		if next == nil {
			return nil, fmt.Errorf("the copy lost its section %s", n)
		}
		b = next
	}
	b.FillPercent = fullFill
	return b, nil
}
