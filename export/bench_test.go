package export

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// peerOut, when given, is where BenchmarkReturn10k writes a description of
// the workbook it built (sheets, columns, rows, styles, page set-up), for
// the exceljs peer in bench/ to write the same workbook.
var peerOut = flag.String("peer-out", "", "write the benchmark workbook's description to this JSON file")

// BenchmarkReturn10k builds and writes the Q3 2025/26 return of the
// 10,000-finding synthetic register: reading the store, the as-at
// snapshot, every sheet, and the zipped file.
func BenchmarkReturn10k(b *testing.B) {
	s := synthetic.Open(b)
	opts := ReturnOptions{Period: model.Quarter{StartYear: 2025, Q: 3}, Marking: model.Marking{Classification: model.OfficialSensitive}}
	var rows int
	// The time from rows in memory to the written file, as the exceljs
	// peer is timed: from the "Writing the workbook" step to the end.
	var writing time.Duration
	var mark time.Time
	opts.Progress = func(step string) {
		if step == stepWriting {
			mark = time.Now()
		}
	}
	// Opening copies the register file through memory; hand that back
	// before watching what the export itself holds.
	debug.FreeOSMemory()
	peak := sampleMemory()
	for b.Loop() {
		w, err := readAndBuild(s, opts)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write(io.Discard, ""); err != nil {
			b.Fatal(err)
		}
		writing += time.Since(mark)
		rows = len(w.rows)
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(writing.Seconds()/float64(b.N), "write-s/op")
	b.ReportMetric(float64(rows), "rows")
	b.ReportMetric(float64(peak()>>20), "peak-heap-MB")
	if *peerOut == "" {
		return
	}
	b.StopTimer()
	opts.record = &recording{}
	w, err := readAndBuild(s, opts)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	data, err := json.Marshal(struct {
		*recording
		Title   string `json:"title"`
		Subject string `json:"subject"`
		Creator string `json:"creator"`
	}{opts.record, "Kent Police – progress return " + opts.Period.String(), "HMICFRS inspection findings: quarterly progress return", "Improvement Tracker"})
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(*peerOut, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// readAndBuild reads the register as at the return's date and builds it,
// as the command line does.
func readAndBuild(s model.Store, opts ReturnOptions) (*Workbook, error) {
	opts.Now = s.Now()
	var src Source
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
		src, err = ReadSourceFrom(tx, opts.AsAtDate(), opts.Period.FirstDay())
		return
	}); err != nil {
		return nil, err
	}
	return BuildReturn(src, opts)
}

// BenchmarkReturnSizes builds and writes the Q3 2025/26 return of
// synthetic registers of 1,000, 10,000 and 50,000 findings (made on first
// use and cached, the largest in several minutes), so that the cost of a
// growing register is seen: time per return and the Go runtime's peak.
func BenchmarkReturnSizes(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			s := synthetic.OpenSize(b, synthetic.Scaled(n))
			opts := ReturnOptions{Period: model.Quarter{StartYear: 2025, Q: 3}, Marking: model.Marking{Classification: model.OfficialSensitive}}
			debug.FreeOSMemory()
			peak := sampleMemory()
			var rows int
			for b.Loop() {
				w, err := readAndBuild(s, opts)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := w.Write(io.Discard, ""); err != nil {
					b.Fatal(err)
				}
				rows = len(w.rows)
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(peak()>>20), "peak-heap-MB")
		})
	}
}

// sampleMemory watches the memory the Go runtime holds (mapped and not
// returned to the system) every few milliseconds; the function it returns
// stops watching and gives the highest figure seen.
func sampleMemory() func() uint64 {
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(samples)
			if held := samples[0].Value.Uint64() - samples[1].Value.Uint64(); held > peak.Load() {
				peak.Store(held)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak.Load()
	}
}
