package bolt

import (
	"time"

	bolt "go.etcd.io/bbolt"
)

// releaseEvery is how often a check gives back the pages of the file it
// has read.
const releaseEvery = 50 * time.Millisecond

// releaseWhile gives back to the system, every so often (every) until the
// returned stop is called, the pages of the file that the process has read
// through bbolt's memory map (up to tx's size), where the system allows it
// (releasePages). A check reads every page of the file once: without this
// every page read stays counted in the process's memory until the check
// ends, so that checking a 1 GB register would take 1 GB more than the
// check itself holds. The pages stay in the system's cache, and are read
// again from there, unchanged, when they are next used (the map is read
// only: bbolt writes through the file).
func releaseWhile(tx *bolt.Tx, every time.Duration) (stop func()) {
	size := tx.Size()
	if !releaseSupported || size <= 0 {
		return func() {}
	}
	data := tx.DB().Info().Data
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				releasePages(data, size)
				return
			case <-tick.C:
				releasePages(data, size)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// releaseStep is how many bytes of records a walk of a section reads
// between two releases of its own, so that a busy machine, which may run
// the timed release late, does not let the pages read pile up.
const releaseStep = 32 << 20

// releaser gives back the pages of tx's file read so far, when the system
// allows it.
func releaser(tx *bolt.Tx) func() {
	size := tx.Size()
	if !releaseSupported || size <= 0 {
		return func() {}
	}
	data := tx.DB().Info().Data
	return func() { releasePages(data, size) }
}
