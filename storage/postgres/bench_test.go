package postgres_test

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"improvementtracker/export"
	"improvementtracker/model"
	"improvementtracker/storage/bolt"
	"improvementtracker/storage/postgres"
	"improvementtracker/storage/transfer"
	"improvementtracker/testkit/pgtest"
	"improvementtracker/testkit/synthetic"
)

// The benchmarks run each operation on both stores, in one run, on the
// Default synthetic register (10,000 findings, 50,000 milestones, 200,000
// updates, 20,000 evidence references): the file as the storage package's
// benchmarks use it, and the same register copied into the test server
// (on a unix socket of this computer). Goals on a local server: open and
// list under 1 s, a save under 20 ms, the return export within 1.5× of the
// file.
//
//	go test -tags ci -run '^$' -bench . -benchtime 20x ./storage/postgres/

func fixedNow() time.Time { return synthetic.Clock }

// stores gives the two stores, each holding its own copy of the register.
// The server's copy is made once per benchmark (it takes a while: the
// register is copied record by record in one transaction).
func stores(b *testing.B) (file *bolt.Store, server *postgres.Store, url string) {
	b.Helper()
	return storesOf(b, synthetic.Default)
}

// storesOf is stores for a synthetic register of another size, for the
// tests that compare what the two stores read.
func storesOf(b testing.TB, size synthetic.Size) (file *bolt.Store, server *postgres.Store, url string) {
	b.Helper()
	file = synthetic.OpenSize(b, size)
	url = pgtest.NewDatabase(b)
	ctx := context.Background()
	if _, err := postgres.Init(ctx, url, postgres.Options{}); err != nil {
		b.Fatal(err)
	}
	server, err := postgres.Open(ctx, url, postgres.Options{Now: fixedNow})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { server.Close() })
	start := time.Now()
	if _, err := transfer.Copy(ctx, file, server); err != nil {
		b.Fatal(err)
	}
	// Fresh statistics, as autovacuum would make soon after a copy.
	if _, err := pgtest.Exec(ctx, dbName(url), "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("copied the synthetic register to the server in %s", time.Since(start).Round(time.Millisecond))
	return file, server, url
}

// BenchmarkOpenAndList opens the register and loads the finding list, as
// the app does at start: for the file, with the day's backup already made;
// for the server, a new pool of connections.
func BenchmarkOpenAndList(b *testing.B) {
	file, server, url := stores(b)
	path := file.Path()
	file.Close()
	server.Close()
	list := func(b *testing.B, s model.Store) {
		var n int
		err := s.View(context.Background(), func(tx model.ReadTx) error {
			fs, err := tx.Findings()
			n = len(fs)
			return err
		})
		if err != nil || n != synthetic.Default.Findings {
			b.Fatalf("%d findings, %v", n, err)
		}
	}
	b.Run("file", func(b *testing.B) {
		s, err := bolt.Open(path, bolt.Options{Now: fixedNow}) // the day's backup, not measured
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		for b.Loop() {
			s, err := bolt.Open(path, bolt.Options{Now: fixedNow})
			if err != nil {
				b.Fatal(err)
			}
			list(b, s)
			s.Close()
		}
	})
	b.Run("postgres", func(b *testing.B) {
		for b.Loop() {
			s, err := postgres.Open(context.Background(), url, postgres.Options{Now: fixedNow})
			if err != nil {
				b.Fatal(err)
			}
			list(b, s)
			s.Close()
		}
	})
}

// BenchmarkSaveFinding saves one edit to a finding: one transaction with
// its audit event, durable when it returns (the file syncs to disk; the
// server flushes its write-ahead log).
func BenchmarkSaveFinding(b *testing.B) {
	file, server, _ := stores(b)
	ids := openFindings(b, file)
	for _, c := range []struct {
		name string
		s    model.Store
	}{{"file", file}, {"postgres", server}} {
		s := c.s
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				id := ids[i%len(ids)]
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
		})
	}
}

// openFindings lists the open findings. A save is checked against the
// finding lifecycle, and some of the generator's closed findings lack what
// the lifecycle now asks of a closed one (the date closure was proposed),
// so only open findings are edited.
func openFindings(b testing.TB, s model.Store) []model.ID {
	b.Helper()
	var ids []model.ID
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		for _, f := range fs {
			if f.Status.IsOpen() && !f.Status.InClosure() {
				ids = append(ids, f.ID)
			}
		}
		return err
	})
	if err != nil || len(ids) == 0 {
		b.Fatalf("%d open findings, %v", len(ids), err)
	}
	return ids
}

// BenchmarkAppendUpdate appends one progress update, which also sets the
// finding's status and RAG.
func BenchmarkAppendUpdate(b *testing.B) {
	file, server, _ := stores(b)
	ids := openFindings(b, file)
	for _, c := range []struct {
		name string
		s    model.Store
	}{{"file", file}, {"postgres", server}} {
		s := c.s
		b.Run(c.name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				i++
				u := model.Update{FindingID: ids[i%len(ids)], Date: model.MustDate("01/12/2025"),
					Narrative: "Recruitment complete; training under way.", Status: model.InProgress, RAG: model.Amber}
				if err := s.Update(context.Background(), model.Actor{Who: "bench"}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReturnExport builds and writes the Q3 2025/26 progress return
// from each store, as the window and the command line do: the register
// read as at the quarter's end in one transaction, every sheet built, the
// workbook zipped (to nowhere, so that the disk is not measured). Goal:
// the server within 1.5× of the file. Both must give the same rows.
func BenchmarkReturnExport(b *testing.B) {
	file, server, _ := stores(b)
	opts := export.ReturnOptions{Period: model.Quarter{StartYear: 2025, Q: 3}, Marking: model.Marking{Classification: model.OfficialSensitive},
		Now: fixedNow()}
	perOp := map[string]time.Duration{}
	rows := map[string]int{}
	for _, c := range []struct {
		name string
		s    model.Store
	}{{"file", file}, {"postgres", server}} {
		s := c.s
		b.Run(c.name, func(b *testing.B) {
			start := time.Now()
			for b.Loop() {
				var src export.Source
				if err := s.View(context.Background(), func(tx model.ReadTx) (err error) {
					src, err = export.ReadSourceFrom(tx, opts.AsAtDate(), opts.Period.FirstDay()) // as the command reads it
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
				if rows[c.name] == 0 {
					rows[c.name] = len(w.Rows())
				}
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			perOp[c.name] = time.Since(start) / time.Duration(b.N)
		})
	}
	if rows["file"] != rows["postgres"] || rows["file"] == 0 {
		b.Fatalf("the file's return has %d rows and the server's %d", rows["file"], rows["postgres"])
	}
	if perOp["file"] > 0 {
		b.Logf("return export: file %s, server %s, ratio %.2f (goal ≤ 1.5)", perOp["file"].Round(time.Millisecond),
			perOp["postgres"].Round(time.Millisecond), float64(perOp["postgres"])/float64(perOp["file"]))
	}
}
