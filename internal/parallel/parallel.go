// Package parallel decodes a large list of stored records on every core:
// decoding JSON is most of the time it takes to read a large register, on
// a file or on a server alike.
package parallel

import (
	"errors"
	"fmt"
	"log"
	"runtime"
	"runtime/debug"
	"sync"

	"improvementtracker/model"
)

// Decode fills a slice of n records in order, calling decode(i, &out[i])
// for each, on one goroutine per core when there are enough records (at
// least 512 a worker). The first record, in order, whose decode fails
// gives the error. A worker has no guard above it, and a panic there would
// end the program: recovered turns a panic into the error to give, and
// runs in the deferred call that recovered it, so it may look at the stack.
func Decode[T any](n int, decode func(i int, out *T) error, recovered func(r any) error) ([]T, error) {
	out := make([]T, n)
	workers := max(1, min(runtime.GOMAXPROCS(0), n/512))
	chunk := (n + workers - 1) / workers
	var works []func() error
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		works = append(works, func() error {
			for i := lo; i < hi; i++ {
				if err := decode(i, &out[i]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	for _, err := range run(recovered, works) { // the first failure in record order
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Run runs each of works on a goroutine of its own and waits for them all:
// for a few pieces of work that read the same data and write their own
// results. A panic in one is turned into an error by recovered, as in
// Decode. The errors, returned or recovered, are joined in the order of
// works.
func Run(recovered func(r any) error, works ...func() error) error {
	return errors.Join(run(recovered, works)...)
}

// run runs each of works on a goroutine of its own, waits for them all and
// gives each one's error, returned or recovered, in the order of works.
func run(recovered func(r any) error, works []func() error) []error {
	errs := make([]error, len(works))
	var wg sync.WaitGroup
	for i, work := range works {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = recovered(r)
				}
			}()
			errs[i] = work()
		}()
	}
	wg.Wait()
	return errs
}

// Fault is the recovered function of work whose panic can only be a bug in
// the app: it logs the panic with the stack of the goroutine that
// recovered it and gives a model.ErrProgram error. doing says what the work
// was, as "building the dashboard".
func Fault(doing string) func(r any) error {
	return func(r any) error {
		log.Printf("program error while %s: %v\n%s", doing, r, debug.Stack())
		return fmt.Errorf("%w (%v)", model.ErrProgram, r)
	}
}
