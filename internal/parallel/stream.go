package parallel

import (
	"runtime"
	"sync"
)

// streamChunk is how many records a worker decodes at a time: enough that
// handing them over costs little beside decoding them.
const streamChunk = 512

// Stream decodes records while they are still arriving: next gives the
// stored form of each record in turn (false at the end), and every
// streamChunk of them are decoded on another core while the next are read.
// Over a network, reading a large list and decoding it then overlap, where
// Decode waits for the whole list first. The records come back in the order
// next gave them; the first failure in that order (next's own, or a
// record's) is the error. recovered is as for Decode.
func Stream[R, T any](next func() (R, bool, error), decode func(raw R, out *T) error, recovered func(r any) error) ([]T, error) {
	type job struct {
		in  []R
		out []T
		err error
	}
	jobs := make(chan *job, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.out = make([]T, len(j.in))
				errs := run(recovered, []func() error{func() error {
					for i := range j.in {
						if err := decode(j.in[i], &j.out[i]); err != nil {
							return err
						}
					}
					return nil
				}})
				j.err, j.in = errs[0], nil // the stored form is let go as soon as it is decoded
			}
		}()
	}
	var done []*job
	var readErr error
	buf := make([]R, 0, streamChunk)
	for {
		raw, ok, err := next()
		if err != nil {
			readErr = err
			break
		}
		if ok {
			buf = append(buf, raw)
		}
		if len(buf) == streamChunk || (!ok && len(buf) > 0) {
			j := &job{in: buf}
			done = append(done, j)
			jobs <- j
			buf = make([]R, 0, streamChunk)
		}
		if !ok {
			break
		}
	}
	close(jobs)
	wg.Wait()
	n := 0
	for _, j := range done {
		if j.err != nil {
			return nil, j.err
		}
		n += len(j.out)
	}
	if readErr != nil {
		return nil, readErr
	}
	out := make([]T, 0, n)
	for _, j := range done {
		out = append(out, j.out...)
	}
	return out, nil
}
