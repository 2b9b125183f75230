package app

import (
	"context"
	"runtime"
	"strconv"
	"testing"

	"improvementtracker/model"
	"improvementtracker/testkit/synthetic"
)

// BenchmarkScreensSizes loads the register screen and builds the dashboard
// as at today and as at a quarter ago on synthetic registers of 1,000,
// 10,000 and 50,000 findings, so that the cost of a growing register is
// seen beside the export's (make bench-export prints them in one table).
// Each reports the Go heap in use after the work as held-MB: what the
// screen keeps.
func BenchmarkScreensSizes(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 50_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { screensAt(b, n) })
	}
}

func screensAt(b *testing.B, n int) {
	// Opened here, so that a size left out by -bench is never copied.
	s := synthetic.OpenSize(b, synthetic.Scaled(n))
	today := model.Today(s.Now())
	run := func(name string, work func(tx model.ReadTx) (any, error)) {
		b.Run(name, func(b *testing.B) {
			var kept any
			for b.Loop() {
				err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
					kept, err = work(tx)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapAlloc>>20), "held-MB")
			runtime.KeepAlive(kept)
		})
	}
	run("register-load", func(tx model.ReadTx) (any, error) { return loadRegister(tx, today) })
	run("dashboard-today", func(tx model.ReadTx) (any, error) { return buildDashboard(tx, today, "", "") })
	run("dashboard-quarter-ago", func(tx model.ReadTx) (any, error) { return buildDashboard(tx, today.AddDays(-91), "", "") })
}
