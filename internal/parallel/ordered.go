package parallel

import "runtime"

// Ordered works through a long list without holding it: next gives the
// items in turn (false at the end), on the calling goroutine; every batch
// of them is given to work on another core, which fills out (as long as
// in) from in; and done receives each batch, worked, back on the calling
// goroutine in the order next gave them. At most a few batches a core are
// read ahead, so memory is bounded by the batch size, not by the list;
// what done keeps is up to it. A panic in work is turned into the error
// by recovered, as in Decode; the first batch whose work failed, in order,
// stops the walk and gives the error, and done sees no batch after it.
//
// next and done run on the calling goroutine only, so they may use what
// must not be shared between goroutines (a database transaction's
// cursors); work must touch only in and out.
func Ordered[R, T any](batch int, next func() (R, bool), work func(in []R, out []T) error, done func(in []R, out []T), recovered func(r any) error) error {
	type job struct {
		in    []R
		out   []T
		err   error
		ready chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	ahead := 2 * workers
	jobs := make(chan *job, ahead) // never full: at most ahead jobs are queued
	for range workers {
		go func() {
			for j := range jobs {
				errs := run(recovered, []func() error{func() error { return work(j.in, j.out) }})
				j.err = errs[0]
				close(j.ready)
			}
		}()
	}
	defer close(jobs)
	var queue []*job // sent to the workers, in order, not yet done
	more := true
	for {
		for more && len(queue) < ahead {
			in := make([]R, 0, batch)
			for len(in) < batch {
				r, ok := next()
				if !ok {
					more = false
					break
				}
				in = append(in, r)
			}
			if len(in) == 0 {
				break
			}
			j := &job{in: in, out: make([]T, len(in)), ready: make(chan struct{})}
			queue = append(queue, j)
			jobs <- j
		}
		if len(queue) == 0 {
			return nil
		}
		j := queue[0]
		<-j.ready
		if j.err != nil {
			// The batches still queued are worked and dropped.
			for _, q := range queue[1:] {
				<-q.ready
			}
			return j.err
		}
		done(j.in, j.out)
		queue[0] = nil
		queue = queue[1:]
	}
}
