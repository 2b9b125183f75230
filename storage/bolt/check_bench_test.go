package bolt_test

import (
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"improvementtracker/testkit/synthetic"
)

// BenchmarkFullCheck is `improvement-tracker check` on the Default
// synthetic register: every page, record, index and the history as a
// chain. Beside the time it reports the most heap the check held
// (peak-heap-MB, sampled every millisecond: the Go objects alive or not
// yet swept) and the most memory the Go runtime had from the system
// (peak-go-MB). The file's own pages, which the check reads through
// bbolt's memory map, are the system's page cache and are in neither;
// `/usr/bin/time -f '%e s %M KB' improvement-tracker check --db COPY`
// gives the process's whole resident peak.
//
//	go test -tags ci -run '^$' -bench FullCheck -benchtime 1x ./storage/bolt/
func BenchmarkFullCheck(b *testing.B) {
	s := synthetic.Open(b)
	var heap, total uint64
	for b.Loop() {
		runtime.GC()
		stop := sampleMemory(&heap, &total)
		problems, err := s.Check()
		stop()
		if err != nil || len(problems) > 0 {
			b.Fatalf("check of the synthetic register: %q %v", problems, err)
		}
	}
	b.ReportMetric(float64(heap)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(total)/(1<<20), "peak-go-MB")
}

// sampleMemory keeps in heap and total the most seen, until stop is
// called, of the heap's objects and of all the memory the runtime has
// mapped, read from runtime/metrics (which, unlike ReadMemStats, does not
// stop the program to read them).
func sampleMemory(heap, total *uint64) (stop func()) {
	samples := []metrics.Sample{
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/total:bytes"},
	}
	read := func() {
		metrics.Read(samples)
		*heap = max(*heap, samples[0].Value.Uint64())
		*total = max(*total, samples[1].Value.Uint64())
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				read()
				return
			case <-tick.C:
				read()
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
