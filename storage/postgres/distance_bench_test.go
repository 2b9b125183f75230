package postgres_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/postgres"
	"improvementtracker/testkit/synthetic"
)

// BenchmarkDistance runs what a person waits for on a shared register (open
// and list, a save, the quarterly return) on the synthetic register through
// a proxy that adds no delay and one that adds 30 ms to each round trip (15
// ms each way), as a force laptop on the VPN sees a server, in one run so
// that the ratios can be read. Each reports its round trips per operation
// (trips/op), counted by the proxy. The return from the file is run too,
// for the ratio of the server's to the file's. Goals, with 30 ms: open and
// list under 1.5 s, a save under 150 ms, the return under 3× the same
// server's without delay; without delay, the return within 1.5× the file's.
//
//	go test -tags ci -run '^$' -bench Distance -benchtime 5x ./storage/postgres/
func BenchmarkDistance(b *testing.B) {
	file, _, url := stores(b)
	ids := openFindings(b, file)
	db := dbName(url)
	perOp := map[string]time.Duration{}
	measure := func(name string, link *slowLink, op func(b *testing.B, i int)) {
		b.Run(name, func(b *testing.B) {
			var trips int64
			if link != nil {
				trips = link.trips.Load()
			}
			start, i := time.Now(), 0
			for b.Loop() {
				i++
				op(b, i)
			}
			perOp[name] = time.Since(start) / time.Duration(b.N)
			if link != nil {
				b.ReportMetric(float64(link.trips.Load()-trips)/float64(b.N), "trips/op")
			}
		})
	}
	measure("return/file", nil, func(b *testing.B, _ int) { returnFrom(b, file) })
	for _, delay := range []time.Duration{0, 15 * time.Millisecond} {
		link := newSlowLink(b, delay)
		at := fmt.Sprintf("%dms", 2*delay.Milliseconds())
		measure("open-list/"+at, link, func(b *testing.B, _ int) {
			s, err := postgres.Open(context.Background(), link.url(db), postgres.Options{Now: fixedNow})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if n := findingCount(b, s); n != synthetic.Default.Findings {
				b.Fatalf("%d findings listed", n)
			}
		})
		s, err := postgres.Open(context.Background(), link.url(db), postgres.Options{Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
		findingCount(b, s) // a connection in the pool, as an open app has
		measure("save/"+at, link, func(b *testing.B, i int) { saveOne(b, s, ids[i%len(ids)], i) })
		measure("return/"+at, link, func(b *testing.B, _ int) { returnFrom(b, s) })
		s.Close()
	}
	ratio := func(a, of string) string {
		if perOp[a] == 0 || perOp[of] == 0 {
			return "not run"
		}
		return fmt.Sprintf("%.2f", float64(perOp[a])/float64(perOp[of]))
	}
	var sum strings.Builder
	for _, n := range []string{"open-list/30ms", "save/30ms", "return/0ms", "return/30ms", "return/file"} {
		fmt.Fprintf(&sum, "%s %s; ", n, perOp[n].Round(time.Millisecond))
	}
	b.Logf("%sreturn with 30 ms ÷ without: %s (goal < 3); return without delay ÷ file: %s (goal ≤ 1.5)",
		sum.String(), ratio("return/30ms", "return/0ms"), ratio("return/0ms", "return/file"))
}

// findingCount lists the findings, as the app does when a register opens.
func findingCount(b testing.TB, s model.Store) int {
	var n int
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		n = len(fs)
		return err
	})
	if err != nil || n == 0 {
		b.Fatalf("%d findings, %v", n, err)
	}
	return n
}

// saveOne saves one edit to finding id, as the finding screen does.
func saveOne(b testing.TB, s model.Store, id model.ID, i int) {
	err := s.Update(context.Background(), model.Actor{Who: "bench"}, func(tx model.Tx) error {
		f, err := tx.Finding(id)
		if err != nil {
			return err
		}
		f.Interpretation = fmt.Sprintf("Edit %d: the force reads this as a need for more investigators.", i)
		return tx.SaveFinding(&f)
	})
	if err != nil {
		b.Fatal(err)
	}
}

// returnFrom reads the register for the Q3 2025/26 return and writes the
// workbook to nowhere, as BenchmarkReturnExport does.
func returnFrom(b testing.TB, s model.Store) {
	opts := export.ReturnOptions{Period: model.Quarter{StartYear: 2025, Q: 3}, Marking: model.Marking{Classification: model.OfficialSensitive},
		Now: fixedNow()}
	var src export.Source
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
		src, err = export.ReadSourceFrom(tx, opts.AsAtDate(), opts.Period.FirstDay())
		return err
	}); err != nil {
		b.Fatal(err)
	}
	w, err := export.BuildReturn(src, opts)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Write(io.Discard, ""); err != nil {
		b.Fatal(err)
	}
	if len(w.Rows()) == 0 {
		b.Fatal("the return has no rows")
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}
