package storage

import (
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

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
	var keys, vals [][]byte
	if err := b.ForEach(func(k, v []byte) error {
		keys, vals = append(keys, k), append(vals, v)
		return nil
	}); err != nil {
		return nil, err
	}
	return decodeParallel[T](r, name, keys, vals)
}

// decodeParallel decodes vals (bbolt values, valid until the transaction
// ends; keys are their keys) into a slice in the same order, on every core
// when there are enough of them. The first damaged record in that order
// gives the error.
func decodeParallel[T any](r *records, name []byte, keys, vals [][]byte) ([]T, error) {
	out := make([]T, len(vals))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(vals)/512))
	chunk := (len(vals) + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(vals))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// A worker has no guard of its own above it: a panic here
			// would end the program. Damage and bugs become errors as
			// they do in Store.View.
			defer func() {
				if r := recover(); r != nil {
					if isDamage(r) {
						errs[w] = fmt.Errorf("%w: the %s section cannot be read", model.ErrDamaged, name)
					} else {
						errs[w] = programError(string(name), r)
					}
				}
			}()
			for i := lo; i < hi; i++ {
				if err := r.decode(name, keys[i], vals[i], &out[i]); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs { // the first damaged record in key order
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
