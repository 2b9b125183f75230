package bolt_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

// TestDailyBackups opens a register every day for three weeks (twice on
// some days) and checks that one backup is made a day and the newest 14 are
// kept, with the newest of each older week and month.
func TestDailyBackups(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	for day := range 21 {
		for range 1 + day%2 {
			s, err := storage.Open(path, storage.Options{Now: c.Now})
			if err != nil {
				t.Fatalf("day %d: %v", day, err)
			}
			seedOnce(t, s)
			s.Close()
		}
		c.Advance(24 * time.Hour)
	}
	backups, err := storage.ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	// Three weeks from Monday 24/11/2025: the 14 newest days (to 01/12),
	// then, of the seven older days, the newest of their week and of
	// their month: Sunday 30/11 for both.
	last := c.Now().Add(-24 * time.Hour)
	var older []string
	for _, b := range backups[min(storage.KeepBackups, len(backups)):] {
		older = append(older, b.Time.Format("2006-01-02"))
	}
	if len(backups) != storage.KeepBackups+1 || strings.Join(older, " ") != "2025-11-30" {
		t.Fatalf("%d backups kept, want %d and then 30/11: %+v", len(backups), storage.KeepBackups, backups)
	}
	for i, b := range backups[:storage.KeepBackups] {
		want := last.AddDate(0, 0, -i).Format("2006-01-02")
		if b.Kind != storage.KindDaily || !strings.Contains(filepath.Base(b.Path), want) {
			t.Errorf("backup %d is %s (%s), want the daily backup of %s", i, b.Path, b.Kind, want)
		}
		if info, err := os.Stat(b.Path); err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o600) {
			t.Errorf("backup %s: %v %v", b.Path, info.Mode(), err)
		}
	}
	if info, err := os.Stat(filepath.Dir(backups[0].Path)); err != nil || (runtime.GOOS != "windows" && info.Mode().Perm() != 0o700) {
		t.Errorf("the backups folder is not private: %v %v", info.Mode(), err)
	}
	// Each backup is compressed, and unpacks to a sound register.
	if !strings.HasSuffix(backups[0].Path, ".db.zst") {
		t.Errorf("the newest backup %s is not compressed", backups[0].Path)
	}
	plain, done, err := storage.Unpacked(backups[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	checkFile(t, plain)
}

// TestRestore backs up, changes the register, restores, and checks that the
// data is back and the file it replaced was kept.
func TestRestore(t *testing.T) {
	c := newClock()
	path := tempPath(t)
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	base := seed(t, s)
	c.Advance(time.Minute)
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	later := model.Finding{ReportID: base.report.ID, Type: model.AFI, Title: "Added after the backup", Verbatim: "x"}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveFinding(&later) }); err != nil {
		t.Fatal(err)
	}

	// Not while the register is open.
	err = storage.Restore(path, backup, c.Now())
	wantIs(t, err, model.ErrLocked)
	s.Close()

	// Not from something that is not a register.
	bogus := filepath.Join(t.TempDir(), "notes.db")
	_ = writeFile(bogus, []byte("not a register at all, just some notes that happen to end in .db"))
	before := fileBytes(t, path)
	err = storage.Restore(path, bogus, c.Now())
	wantIs(t, err, model.ErrDamaged)
	if string(fileBytes(t, path)) != string(before) {
		t.Fatal("a refused restore changed the register")
	}

	c.Advance(time.Minute)
	if err := storage.Restore(path, backup, c.Now()); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustView(t, r, func(tx model.ReadTx) error {
		if _, err := tx.FindingByRef(base.finding.Ref); err != nil {
			t.Errorf("the backed-up finding is not back: %v", err)
		}
		if _, err := tx.FindingByRef(later.Ref); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("the finding added after the backup is still there: %v", err)
		}
		return nil
	})
	all, _ := storage.ListBackups(path)
	var kept string
	for _, b := range all {
		if b.Kind == storage.KindBeforeRestore {
			kept = b.Path
		}
	}
	if kept == "" {
		t.Fatalf("the replaced register was not kept: %+v", all)
	}
	if string(fileBytes(t, kept)) != string(before) {
		t.Error("the copy kept before restoring differs from the file it replaced")
	}
}

// TestRestoreReplacesDamagedFile checks the usual reason to restore: the
// register is damaged; the damaged file is kept anyway.
func TestRestoreReplacesDamagedFile(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	good := fileBytes(t, path)
	damaged := good[:len(good)/3]
	_ = writeFile(path, damaged)
	if err := storage.Restore(path, backup, c.Now()); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	mustView(t, r, func(tx model.ReadTx) error {
		_, err := tx.FindingByRef(base.finding.Ref)
		return err
	})
}

// TestEvidenceTamperDetected checks that an attached file altered in the
// register file behind the app's back is caught when read, naming the
// file, and by the file's check. (How files are stored, capped and
// digested is in the contract suite.)
func TestEvidenceTamperDetected(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	kept := model.Evidence{FindingID: base.finding.ID, Title: "Force policy", FileName: "policy.pdf", EffectiveDate: model.MustDate("01/10/2025")}
	small := model.Evidence{FindingID: base.finding.ID, Title: "Minutes", FileName: "minutes.txt", EffectiveDate: model.MustDate("02/10/2025")}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		if err := tx.AddEvidence(&kept, []byte("%PDF policy")); err != nil {
			return err
		}
		return tx.AddEvidence(&small, []byte("Board minutes: the plan was approved."))
	}); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()

	// Alter the stored bytes behind the store's back.
	if err := os.WriteFile(attachedPath(path, small.SHA256), []byte("Board minutes: the plan was rejected."), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = r.View(context.Background(), func(tx model.ReadTx) error {
		if got, err := tx.EvidenceFile(kept.ID); err != nil || string(got) != "%PDF policy" {
			t.Errorf("the untouched file: %q, %v", got, err)
		}
		_, err := tx.EvidenceFile(small.ID)
		return err
	})
	wantIs(t, err, model.ErrDigestMismatch)
	if !strings.Contains(err.Error(), "minutes.txt") {
		t.Errorf("the message does not name the file: %v", err)
	}
	problems, err := r.Check()
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], "SHA-256") || !strings.Contains(problems[0], "minutes.txt") {
		t.Errorf("check: %v %v", problems, err)
	}
}

// TestCheckFindsBrokenIndex checks that Check reports, in words, an index
// entry that no longer matches its record.
func TestCheckFindsBrokenIndex(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("a sound register: %v %v", problems, err)
	}
	path := s.Path()
	s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_ = db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("findings_by_ref")).Delete([]byte(base.finding.Ref)) })
	db.Close()
	r, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	problems, err := r.Check()
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], base.finding.Ref) {
		t.Errorf("check: %v %v", problems, err)
	}
}
