package bolt

import (
	"runtime/debug"
	"slices"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// The check reads each section once, in key order, as a stream: a cursor
// on the calling goroutine hands the stored values, a batch at a time, to
// the other cores to decode (and, for the trail, to hash), and takes them
// back in order to check and drop. What the checks between records need
// is kept in compact form (owned below), never the records themselves, so
// its memory does not grow with the register's text.

// checkBatch is how many records a core decodes at a time.
const checkBatch = 256

// stored is one entry of a section, as bbolt holds it (valid until the
// transaction ends).
type stored struct{ k, v []byte }

// decoded is a record a worker decoded; ok is false when it could not be.
type decoded[T any] struct {
	rec T
	ok  bool
}

// decodeFunc decodes one stored record into out; the check's are
// plainDecode, and hashedDecode for the trail.
type decodeFunc[T any] func(r *records, k, v []byte, out *T) error

// plainDecode decodes a record of the named section as every read does.
func plainDecode[T any](name []byte) decodeFunc[T] {
	return func(r *records, k, v []byte, out *T) error { return r.decode(name, k, v, out) }
}

// walk decodes every record of a section, on every core, and gives each
// that decodes, with its record number, to fn, in key order on the calling
// goroutine (fn may use the transaction). A damaged record is reported in
// words, and counted in bad; a key that is not a record number is
// reported. The error is a fault that stopped the walk (damage in a page
// the walk read, or a bug).
func walk[T any](c *checked, name []byte, decode decodeFunc[T], fn func(id uint64, rec *T)) (bad int, err error) {
	b := c.tx.Bucket(name)
	if b == nil {
		return 0, nil
	}
	cur := b.Cursor()
	started := false
	next := func() (stored, bool) {
		var k, v []byte
		if started {
			k, v = cur.Next()
		} else {
			k, v = cur.First()
			started = true
		}
		return stored{k, v}, k != nil
	}
	// A worker's records have no transaction (bbolt's are not to be shared
	// between goroutines), only the section of narratives by date, found
	// here, from which the workers read each update's narrative as the
	// register's loads do (withByDate). A record that fails is decoded
	// again below, on this goroutine, for the words that name it.
	byDate := c.tx.Bucket(bucketNarrativesByDate)
	work := func(in []stored, out []decoded[T]) error {
		// The batch is this worker's alone, and so are its cursors.
		worker := &records{byDate: byDate, cursors: map[*bolt.Bucket]*lookupCursor{}}
		// A fault reading a value the file no longer holds becomes an
		// error, as it does on the goroutine that guards the check.
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		for i, s := range in {
			out[i].ok = decode(worker, s.k, s.v, &out[i].rec) == nil
		}
		return nil
	}
	done := func(in []stored, out []decoded[T]) {
		for i, s := range in {
			if c.read += len(s.v); c.read >= releaseStep {
				c.release()
				c.read = 0
			}
			rec := &out[i].rec
			if !out[i].ok {
				var again T
				if err := decode(c.r, s.k, s.v, &again); err != nil {
					c.rep.add(groupRecords, "%s", err)
					bad++
					continue
				}
				rec = &again
			}
			if len(s.k) != 8 {
				c.rep.add(groupIndexes, "the %s section has a key that is not a record number", name)
				continue
			}
			fn(btoi(s.k), rec)
		}
	}
	return bad, parallel.Ordered(checkBatch, next, work, done, unreadable(name))
}

// owned is the records of one section that decoded, by record number in
// key order, each with the finding it belongs to (0 for records that
// belong to none): what the index of a section is checked against.
type owned struct {
	ids  []uint64
	of   []model.ID
	bad  int // records that did not decode
	what string
}

// add keeps one record; records come in key order.
func (o *owned) add(id uint64, finding model.ID) {
	o.ids = append(o.ids, id)
	o.of = append(o.of, finding)
}

// find gives the place of record id, if it decoded.
func (o *owned) find(id uint64) (int, bool) {
	return slices.BinarySearch(o.ids, id)
}

// owner is the finding record id belongs to, if it decoded.
func (o *owned) owner(id uint64) (model.ID, bool) {
	i, ok := o.find(id)
	if !ok {
		return 0, false
	}
	return o.of[i], true
}
