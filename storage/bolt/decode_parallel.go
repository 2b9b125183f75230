package bolt

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/internal/parallel"
	"improvementtracker/model"
)

// parallelFrom is the size of bucket (by its sequence, which is at least
// its record count) from which all decodes the records on every core:
// decoding JSON is most of the time it takes to read a large register, as
// an export or the findings list does.
const parallelFrom = 4096

// allParallel is all for a large bucket. The cursor walks the bucket in
// one goroutine; the values it yields stay valid until the transaction
// ends, so they are decoded in place by one goroutine per core, each into
// its own part of the result.
func allParallel[T any](r *records, name []byte, b *bolt.Bucket) ([]T, error) {
	keys, vals, err := entries(b)
	if err != nil {
		return nil, err
	}
	return decodeParallel[T](r, name, keys, vals)
}

// entries lists a section's keys and values, in key order, to be decoded
// on every core; they are valid until the transaction ends.
func entries(b *bolt.Bucket) (keys, vals [][]byte, err error) {
	// The bucket's sequence is at least its record count: sized once, the
	// lists are not copied as they grow.
	n := min(b.Sequence(), 1<<22)
	keys, vals = make([][]byte, 0, n), make([][]byte, 0, n)
	err = b.ForEach(func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	})
	return keys, vals, err
}

// decodeParallel decodes vals (bbolt values, valid until the transaction
// ends; keys are their keys) into a slice in the same order, on every core
// when there are enough of them. The first damaged record in that order
// gives the error. Damage and bugs in a worker become errors as they do in
// Store.View.
func decodeParallel[T any](r *records, name []byte, keys, vals [][]byte) ([]T, error) {
	r = r.withByDate()
	return parallel.Decode(len(vals), func(i int, out *T) error {
		return r.decode(name, keys[i], vals[i], out)
	}, unreadable(name))
}

// unreadable turns a fault in a worker decoding the named section into an
// error: damage that stopped a read, or a bug.
func unreadable(name []byte) func(p any) error {
	return func(p any) error {
		if isDamage(p) {
			return fmt.Errorf("%w: the %s section cannot be read", model.ErrDamaged, name)
		}
		return programError(string(name), p)
	}
}
