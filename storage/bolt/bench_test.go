package bolt_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
	"improvementtracker/testkit/synthetic"
)

// The benchmarks run on the Default synthetic register (10,000 findings,
// 50,000 milestones, 200,000 updates, 20,000 evidence references), made once
// and cached in the temporary folder. Goals: opening and loading the
// finding list well under a second, a save well under 10 ms.
//
//	go test -tags ci -run '^$' -bench . -benchtime 10x ./storage/

// BenchmarkOpenAndList opens the register and loads the finding list, as
// the app does at start. The day's backup already exists, as it does on
// every start but the first of the day.
func BenchmarkOpenAndList(b *testing.B) {
	benchOpenAndList(b, privateCopy(b), storage.Options{Now: fixedNow})
}

// BenchmarkOpenAndListFullCheck is the first start of a day: every page
// of the file is checked before use (the backup itself is left out).
func BenchmarkOpenAndListFullCheck(b *testing.B) {
	benchOpenAndList(b, privateCopy(b), storage.Options{Now: fixedNow, NoBackup: true})
}

// BenchmarkFirstOpenOfDay is the window's first start of a day: the
// day's backup is due, and is started in the background once the finding
// list is loaded, as the window starts it once it shows the register; it
// is then waited for, untimed, and removed so that the next start is a
// first one again.
func BenchmarkFirstOpenOfDay(b *testing.B) {
	path := privateCopy(b)
	for b.Loop() {
		s, err := storage.Open(path, storage.Options{Now: fixedNow, BackupInBackground: true})
		if err != nil {
			b.Fatal(err)
		}
		err = s.View(context.Background(), func(tx model.ReadTx) error {
			_, err := tx.Findings()
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.StartBackup()
		if err := <-s.BackupDone(); err != nil {
			b.Fatal(err)
		}
		s.Close()
		if err := os.RemoveAll(filepath.Join(filepath.Dir(path), "backups")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

func benchOpenAndList(b *testing.B, path string, opts storage.Options) {
	// The first open makes the day's backup; it is not what is measured.
	s, err := storage.Open(path, storage.Options{Now: fixedNow})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	b.ResetTimer()
	for b.Loop() {
		s, err := storage.Open(path, opts)
		if err != nil {
			b.Fatal(err)
		}
		var n int
		err = s.View(context.Background(), func(tx model.ReadTx) error {
			fs, err := tx.Findings()
			n = len(fs)
			return err
		})
		if err != nil || n != synthetic.Default.Findings {
			b.Fatalf("%d findings, %v", n, err)
		}
		s.Close()
	}
}

// BenchmarkSaveFinding saves one edit to a finding: one transaction with
// its audit event, synced to disk. The findings edited are open ones: a
// finding in the closure process carries dates of its closure, and the
// synthetic register's may fall after its clock's today, which the rules
// rightly refuse on any save of it.
func BenchmarkSaveFinding(b *testing.B) {
	s := synthetic.Open(b)
	ids := openFindings(b, s)
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
}

// BenchmarkAppendUpdate appends one progress update, which also sets the
// finding's status and RAG.
func BenchmarkAppendUpdate(b *testing.B) {
	s := synthetic.Open(b)
	i := 0
	for b.Loop() {
		i++
		u := model.Update{FindingID: model.ID(i%synthetic.Default.Findings + 1), Date: model.MustDate("01/12/2025"),
			Narrative: "Recruitment complete; training under way.", Status: model.InProgress, RAG: model.Amber}
		if err := s.Update(context.Background(), model.Actor{Who: "bench"}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
			b.Fatal(err)
		}
	}
}

func fixedNow() time.Time { return synthetic.Clock }

// openFindings lists the findings neither in nor past the closure process.
func openFindings(b *testing.B, s *storage.Store) []model.ID {
	b.Helper()
	var ids []model.ID
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		for _, f := range fs {
			if !f.Status.InClosure() && !f.Status.IsFinal() {
				ids = append(ids, f.ID)
			}
		}
		return err
	})
	if err != nil || len(ids) == 0 {
		b.Fatalf("no open finding to edit (%v)", err)
	}
	return ids
}

// privateCopy copies the cached register into the benchmark's temporary
// folder, where its backups will go too.
func privateCopy(b *testing.B) string {
	b.Helper()
	s := synthetic.Open(b)
	path := s.Path()
	s.Close()
	return filepath.Clean(path)
}

// BenchmarkForceRegister measures the disk a force's register takes: 300
// findings (with 1,500 milestones) given a progress update each quarter
// for five years, every update its own save as the app makes them, and
// 600 evidence records with attached files (scans and photographs: 50 KB
// to 2 MB of bytes that do not compress, one in ten the file of an
// earlier record again), each its own save; then its backup. It reports
// the register's file, the folder of attached files beside it, one backup
// in MB, and the most the lot can take: the register, its files and every
// kept copy (KeepBackups daily, KeepWeeks weekly, KeepMonths monthly) as
// large as the newest.
//
//	go test -tags ci -run '^$' -bench ForceRegister -benchtime 1x ./storage/bolt/
func BenchmarkForceRegister(b *testing.B) {
	for b.Loop() {
		path := filepath.Join(b.TempDir(), "register.db")
		s, err := storage.Open(path, storage.Options{Now: fixedNow, NoBackup: true})
		if err != nil {
			b.Fatal(err)
		}
		size := synthetic.Size{Findings: 300, Milestones: 1_500}
		if err := synthetic.Generate(s, size); err != nil {
			b.Fatal(err)
		}
		const quarters = 20
		narrative := "Recruitment to the domestic abuse investigation team continues: four of the twelve posts are filled, " +
			"training is booked for the new starters, and the backlog of cases awaiting allocation has fallen again this quarter."
		for q := range quarters {
			date := model.DateOf(synthetic.Clock).AddDays(-91 * (quarters - 1 - q))
			for f := 1; f <= size.Findings; f++ {
				u := model.Update{FindingID: model.ID(f), Date: date, Narrative: fmt.Sprintf("Q%d: %s", q+1, narrative),
					Status: model.InProgress, RAG: model.Amber}
				if err := s.Update(context.Background(), model.Actor{Who: "bench"}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
					b.Fatal(err)
				}
			}
		}
		attached := attachForceFiles(b, s, size.Findings)
		backup, err := s.Backup()
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		reg, files, bk := fileMB(b, path), dirMB(b, storage.FilesDir(path)), fileMB(b, backup)
		b.ReportMetric(attached, "attached-MB")
		b.ReportMetric(reg, "register-MB")
		b.ReportMetric(files, "files-MB")
		b.ReportMetric(bk, "backup-MB")
		b.ReportMetric(reg+files+bk*(storage.KeepBackups+storage.KeepWeeks+storage.KeepMonths), "with-all-backups-MB")
	}
}

// attachForceFiles adds 600 evidence records to the findings, each with a
// file of 50 KB to 2 MB (sizes spread evenly on a log scale, as a few
// large scans among many small documents are) that does not compress;
// every tenth has the file of the record before it again. It returns the
// megabytes attached.
func attachForceFiles(b *testing.B, s model.Store, findings int) float64 {
	b.Helper()
	r := rand.New(rand.NewPCG(28, 4))
	var total float64
	var last []byte
	for i := range 600 {
		data := last
		if i%10 != 9 || last == nil {
			n := int(50e3 * math.Pow(2e6/50e3, r.Float64()))
			buf := make([]byte, (n+7)/8*8)
			for j := 0; j < len(buf); j += 8 {
				binary.LittleEndian.PutUint64(buf[j:], r.Uint64())
			}
			data = buf[:n]
		}
		last = data
		e := model.Evidence{FindingID: model.ID(i%findings + 1), Title: fmt.Sprintf("Evidence %d", i+1),
			FileName: fmt.Sprintf("scan-%d.pdf", i+1), EffectiveDate: model.DateOf(synthetic.Clock)}
		if err := s.Update(context.Background(), model.Actor{Who: "bench"}, func(tx model.Tx) error { return tx.AddEvidence(&e, data) }); err != nil {
			b.Fatal(err)
		}
		total += float64(len(data)) / 1e6
	}
	return total
}

// dirMB is the megabytes of the files in a folder and below it (none when
// there is no folder).
func dirMB(b *testing.B, dir string) float64 {
	b.Helper()
	var n int64
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) {
			return filepath.SkipAll
		}
		if err == nil && d.Type().IsRegular() {
			info, ierr := d.Info()
			if ierr != nil {
				return ierr
			}
			n += info.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return float64(n) / 1e6
}

func fileMB(b *testing.B, path string) float64 {
	b.Helper()
	info, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return float64(info.Size()) / 1e6
}
