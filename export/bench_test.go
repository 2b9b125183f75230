package export

import (
	"io"
	"testing"

	"improvementtracker/internal/synthetic"
	"improvementtracker/model"
)

// BenchmarkReturn10k builds and writes the Q3 2025/26 return of the
// 10,000-finding synthetic register: reading the store, the as-at
// snapshot, every sheet, and the zipped file.
func BenchmarkReturn10k(b *testing.B) {
	s := synthetic.Open(b)
	opts := ReturnOptions{Period: model.Quarter{StartYear: 2025, Q: 3}, Marking: model.Marking{Classification: model.OfficialSensitive}}
	var rows int
	for b.Loop() {
		w, err := BuildReturn(s, opts)
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
}
