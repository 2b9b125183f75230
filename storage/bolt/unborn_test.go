package bolt_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// TestUnbornRegister: a register whose making was cut short (a full disk or
// a stopped computer at its first write) is never called damaged. An empty
// file is made again; one of zero bytes, or one cut short before the app's
// first save, is refused in words that say what it is; an empty file with
// backups beside it is not made again, in case it was emptied.
func TestUnbornRegister(t *testing.T) {
	notDamaged := func(t *testing.T, err error) {
		t.Helper()
		if err == nil {
			t.Fatal("opened")
		}
		if errors.Is(err, model.ErrDamaged) || strings.Contains(err.Error(), "damaged") {
			t.Errorf("called damaged: %v", err)
		}
	}
	t.Run("empty file made again", func(t *testing.T) {
		path := tempPath(t)
		if err := writeFile(path, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := storage.Open(path, storage.Options{NoBackup: true, MustExist: true}); err == nil {
			t.Fatal("a command that only reads opened an empty file")
		} else {
			notDamaged(t, err)
			if !strings.Contains(err.Error(), "holds no register") {
				t.Errorf("message: %v", err)
			}
		}
		s, err := storage.Open(path, storage.Options{NoBackup: true})
		if err != nil {
			t.Fatalf("the empty file was not made again: %v", err)
		}
		seed(t, s)
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		checkFile(t, path)
	})
	t.Run("zeros", func(t *testing.T) {
		path := tempPath(t)
		if err := writeFile(path, make([]byte, 8192)); err != nil {
			t.Fatal(err)
		}
		_, err := storage.Open(path, storage.Options{NoBackup: true})
		notDamaged(t, err)
		if !strings.Contains(err.Error(), "never finished") {
			t.Errorf("message: %v", err)
		}
	})
	t.Run("cut before the first save", func(t *testing.T) {
		// The header pages bbolt writes as it makes a file, and nothing
		// of the app's first save.
		// A fresh bbolt file's header pages (transactions 0 and 1)
		// and nothing of the app's first save.
		fresh := tempPath(t)
		db, err := bolt.Open(filepath.Join(t.TempDir(), "fresh.db"), 0o600, &bolt.Options{Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		raw := fileBytes(t, db.Path())
		_ = db.Close()
		if err := writeFile(fresh, raw[:2*4096]); err != nil {
			t.Fatal(err)
		}
		_, err = storage.Open(fresh, storage.Options{NoBackup: true})
		notDamaged(t, err)
		if !strings.Contains(err.Error(), "never finished") {
			t.Errorf("message: %v", err)
		}
	})
	t.Run("empty with backups", func(t *testing.T) {
		c := newClock()
		path := tempPath(t)
		s, err := storage.Open(path, storage.Options{Now: c.Now})
		if err != nil {
			t.Fatal(err)
		}
		seed(t, s)
		if _, err := s.Backup(); err != nil {
			t.Fatal(err)
		}
		_ = s.Close()
		if err := os.Truncate(path, 0); err != nil {
			t.Fatal(err)
		}
		_, err = storage.Open(path, storage.Options{Now: c.Now})
		notDamaged(t, err)
		if !strings.Contains(err.Error(), "restore") {
			t.Errorf("no backup offered: %v", err)
		}
		if info, _ := os.Stat(path); info.Size() != 0 {
			t.Error("the empty file was written to")
		}
	})
}

// TestDeviceAsRegister: a device or a pipe given as the register is refused
// in words before it is opened, never called a damaged register.
func TestDeviceAsRegister(t *testing.T) {
	paths := []string{"/dev/zero", "/dev/urandom"}
	if fifo := makeFIFO(t, t.TempDir()); fifo != "" {
		paths = append(paths, fifo)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		_, err := storage.Open(p, storage.Options{NoBackup: true})
		if err == nil {
			t.Fatalf("%s opened", p)
		}
		if errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), "not a register file") {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// TestRestoreLosesNoWrite runs a writer beside 30 restores, every restore
// "in the same second": each save the writer was told was made is found
// afterwards, in the register or in one of the copies each restore keeps
// of the register it replaced, and no copy overwrote another.
func TestRestoreLosesNoWrite(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	rep := seed(t, s).report.ID
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	_ = s.Close()

	const restores = 30
	stop := make(chan struct{})
	var acked []string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			title := fmt.Sprintf("Written beside a restore %d", i)
			w, err := storage.Open(path, storage.Options{NoBackup: true, Timeout: 5 * time.Second})
			if err != nil {
				continue // locked by a restore: nothing was acknowledged
			}
			err = w.Update(context.Background(), model.Actor{Who: "writer"}, func(tx model.Tx) error {
				return tx.SaveFinding(&model.Finding{ReportID: rep, Type: model.AFI, Title: title, Verbatim: "Kept."})
			})
			if cerr := w.Close(); err == nil && cerr == nil {
				acked = append(acked, title)
			}
		}
	}()
	done := 0
	for done < restores {
		err := storage.Restore(path, backup, c.Now())
		if errors.Is(err, model.ErrLocked) {
			continue
		}
		if err != nil {
			close(stop)
			wg.Wait()
			t.Fatal(err)
		}
		done++
	}
	close(stop)
	wg.Wait()

	found := map[string]bool{}
	look := func(p string) {
		r, err := storage.Open(p, storage.Options{NoBackup: true, ReadOnly: true})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		defer r.Close()
		mustView(t, r, func(tx model.ReadTx) error {
			fs, err := tx.Findings()
			for _, f := range fs {
				found[f.Title] = true
			}
			return err
		})
	}
	look(path)
	all, err := storage.ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, b := range all {
		if b.Kind == storage.KindBeforeRestore {
			kept++
			look(b.Path)
		}
	}
	if kept != restores {
		t.Errorf("%d copies kept before %d restores: some overwrote others", kept, restores)
	}
	lost := 0
	for _, title := range acked {
		if !found[title] {
			lost++
		}
	}
	t.Logf("%d saves acknowledged beside %d restores, %d lost", len(acked), restores, lost)
	if lost > 0 {
		t.Errorf("%d of %d acknowledged saves lost", lost, len(acked))
	}
}
