package bolt_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
	"improvementtracker/storage/transfer"
)

// randomFile is n bytes that do not compress, as scans and photographs
// do not.
func randomFile(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// attach adds evidence with a file to a finding and returns it.
func attach(t *testing.T, s model.Store, findingID model.ID, title, name string, data []byte) model.Evidence {
	t.Helper()
	e := model.Evidence{FindingID: findingID, Title: title, FileName: name, EffectiveDate: model.MustDate("01/10/2025")}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AddEvidence(&e, data) }); err != nil {
		t.Fatal(err)
	}
	return e
}

// readsBack fails unless the evidence's file reads back as want.
func readsBack(t *testing.T, s model.Store, e model.Evidence, want []byte) {
	t.Helper()
	mustView(t, s, func(tx model.ReadTx) error {
		got, err := tx.EvidenceFile(e.ID)
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			t.Errorf("evidence %q read back %d bytes that differ from the %d attached", e.Title, len(got), len(want))
		}
		return nil
	})
}

// keptFiles lists the files kept beside the register at dbPath.
func keptFiles(t *testing.T, dbPath string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(storage.FilesDir(dbPath), func(p string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) {
			return filepath.SkipAll
		}
		if err == nil && d.Type().IsRegular() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFilesKeptOnceBeside: attached files are kept beside the register,
// not in it, private to the user, once per content however many records
// refer to them, and read back for each.
func TestFilesKeptOnceBeside(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	policy := randomFile(1, 300<<10)
	a := attach(t, s, base.finding.ID, "Force policy", "policy.pdf", policy)
	b := attach(t, s, base.finding.ID, "Policy again", "policy copy.pdf", policy)
	minutes := attach(t, s, base.finding.ID, "Minutes", "minutes.txt", []byte("Board minutes: approved."))
	readsBack(t, s, a, policy)
	readsBack(t, s, b, policy)
	readsBack(t, s, minutes, []byte("Board minutes: approved."))

	kept := keptFiles(t, s.Path())
	if len(kept) != 2 {
		t.Fatalf("kept %v, want the policy once and the minutes", kept)
	}
	if kept[0] != attachedPath(s.Path(), a.SHA256) && kept[1] != attachedPath(s.Path(), a.SHA256) {
		t.Errorf("the policy is not kept under its SHA-256: %v", kept)
	}
	if raw := fileBytes(t, s.Path()); bytes.Contains(raw, policy[:4096]) {
		t.Error("the register file still holds the attached file's bytes")
	}
	if runtime.GOOS != "windows" {
		for _, p := range append(kept, storage.FilesDir(s.Path()), filepath.Dir(kept[0])) {
			info, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s has mode %v: others may read it", p, info.Mode().Perm())
			}
		}
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}

// TestMissingFileNamed: a file removed from the folder by hand is said,
// naming the evidence, its finding and the file, when read and by check;
// attaching the same file again puts it back for the first evidence too.
func TestMissingFileNamed(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	data := randomFile(2, 64<<10)
	e := attach(t, s, base.finding.ID, "Training plan", "plan.docx", data)
	if err := os.Remove(attachedPath(s.Path(), e.SHA256)); err != nil {
		t.Fatal(err)
	}
	err := s.View(context.Background(), func(tx model.ReadTx) error { _, err := tx.EvidenceFile(e.ID); return err })
	wantIs(t, err, model.ErrDigestMismatch)
	if !strings.Contains(err.Error(), "plan.docx") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("reading a missing file: %v", err)
	}
	problems, err := s.Check()
	if err != nil || len(problems) != 1 {
		t.Fatalf("check: %v %v", problems, err)
	}
	for _, want := range []string{"Training plan", base.finding.Ref, "plan.docx", "missing"} {
		if !strings.Contains(problems[0], want) {
			t.Errorf("check's problem does not say %q: %s", want, problems[0])
		}
	}
	attach(t, s, base.finding.ID, "Training plan (again)", "plan.docx", data)
	readsBack(t, s, e, data)
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check once the file is attached again: %v %v", problems, err)
	}
}

// TestAlteredFileRepaired: a file changed in the folder is refused when
// read and named by check; attaching the right file again replaces it.
func TestAlteredFileRepaired(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	data := []byte("Board minutes: the plan was approved.")
	e := attach(t, s, base.finding.ID, "Minutes", "minutes.txt", data)
	if err := os.WriteFile(attachedPath(s.Path(), e.SHA256), []byte("Board minutes: the plan was rejected."), 0o600); err != nil {
		t.Fatal(err)
	}
	err := s.View(context.Background(), func(tx model.ReadTx) error { _, err := tx.EvidenceFile(e.ID); return err })
	wantIs(t, err, model.ErrDigestMismatch)
	// The way out is said: backups share this one copy, so only
	// attaching the file again helps.
	if !strings.Contains(err.Error(), "minutes.txt") || !strings.Contains(err.Error(), "Attach the same file again") || strings.Contains(err.Error(), "Restore a backup") {
		t.Errorf("reading a changed file: %v", err)
	}
	problems, _ := s.Check()
	if len(problems) != 1 || !strings.Contains(problems[0], "does not match its SHA-256") || !strings.Contains(problems[0], base.finding.Ref) {
		t.Fatalf("check: %v", problems)
	}
	attach(t, s, base.finding.ID, "Minutes (again)", "minutes.txt", data)
	readsBack(t, s, e, data)
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check once the file is attached again: %v %v", problems, err)
	}
}

// TestFileWrittenBeforeCommit: the file is on the disk before the save
// that refers to it commits, so a save that fails after writing it (as a
// crash there would) leaves a file nothing refers to, which check does not
// call a problem and the next backup's sweep removes.
func TestFileWrittenBeforeCommit(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	data := randomFile(3, 32<<10)
	stop := errors.New("stopped before the commit")
	var e model.Evidence
	err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		e = model.Evidence{FindingID: base.finding.ID, Title: "Never saved", FileName: "x.bin", EffectiveDate: model.MustDate("01/10/2025")}
		if err := tx.AddEvidence(&e, data); err != nil {
			return err
		}
		if _, err := os.Stat(attachedPath(s.Path(), e.SHA256)); err != nil {
			t.Errorf("the file is not on the disk before the commit: %v", err)
		}
		return stop
	})
	if !errors.Is(err, stop) {
		t.Fatal(err)
	}
	mustView(t, s, func(tx model.ReadTx) error {
		if evs, _ := tx.Evidence(base.finding.ID); len(evs) != 0 {
			t.Errorf("evidence of a save that failed: %+v", evs)
		}
		return nil
	})
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	if kept := keptFiles(t, s.Path()); len(kept) != 0 {
		t.Errorf("the file nothing refers to was kept: %v", kept)
	}
}

// TestBackupsShareFiles: a backup carries the list of the files it needs,
// not the files; a file whose evidence is deleted is kept while a backup
// refers to it, and removed once none does; one removed by hand while a
// backup refers to it is named by check.
func TestBackupsShareFiles(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	path := filepath.Join(dir, "register.db")
	s := openAt(t, path, c.Now)
	base := seed(t, s)
	data := randomFile(4, 1<<20)
	e := attach(t, s, base.finding.ID, "Inspection photographs", "photos.zip", data)
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(backup); err != nil || info.Size() > 256<<10 {
		t.Fatalf("the backup is %d bytes (%v): it carries the 1 MB file that does not compress", info.Size(), err)
	}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.DeleteEvidence(e.ID) }); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	if len(keptFiles(t, path)) != 1 {
		t.Fatal("the file was removed while the first backup refers to it")
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}

	// Removed by hand: check names the backup, the evidence and its finding.
	if err := os.Remove(attachedPath(path, e.SHA256)); err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	if err != nil || len(problems) != 1 {
		t.Fatalf("check: %v %v", problems, err)
	}
	for _, want := range []string{filepath.Base(backup), "photos.zip", "Inspection photographs", base.finding.Ref, "missing"} {
		if !strings.Contains(problems[0], want) {
			t.Errorf("check's problem does not say %q: %s", want, problems[0])
		}
	}

	// Once no backup refers to it, the next backup's sweep removes it.
	if err := os.WriteFile(attachedPath(path, e.SHA256), data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(backup); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if _, err := s.Backup(); err != nil {
		t.Fatal(err)
	}
	if kept := keptFiles(t, path); len(kept) != 0 {
		t.Errorf("a file no record or backup refers to was kept: %v", kept)
	}
}

// TestRestoreNeedsFiles: a backup whose files are there is restored and
// its evidence reads back; one whose file was removed by hand is refused
// in words naming it, and restored only by force.
func TestRestoreNeedsFiles(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s := openAt(t, path, c.Now)
	base := seed(t, s)
	data := randomFile(5, 200<<10)
	e := attach(t, s, base.finding.ID, "Audit report", "audit.pdf", data)
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.DeleteEvidence(e.ID) }); err != nil {
		t.Fatal(err)
	}
	s.Close()

	c.Advance(time.Minute)
	if err := storage.Restore(path, backup, c.Now()); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, path, c.Now)
	readsBack(t, r, e, data)
	r.Close()

	if err := os.Remove(attachedPath(path, e.SHA256)); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	err = storage.Restore(path, backup, c.Now())
	if err == nil || !strings.Contains(err.Error(), "audit.pdf") || !strings.Contains(err.Error(), base.finding.Ref) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restoring a backup whose file is gone: %v", err)
	}
	if err := storage.RestoreWith(path, backup, c.Now(), true); err != nil {
		t.Fatalf("by force: %v", err)
	}
}

// TestCopiesCarryFiles: a copy made record by record (copy) and one
// written by WriteCopy (Save a copy…) each get the files beside them, and
// read back without the original's folder.
func TestCopiesCarryFiles(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	base := seed(t, s)
	data := randomFile(6, 100<<10)
	e := attach(t, s, base.finding.ID, "Action plan", "plan.pdf", data)
	attach(t, s, base.finding.ID, "Action plan again", "plan.pdf", data)

	other := t.TempDir()
	copied := filepath.Join(other, "copied.db")
	dst, err := storage.Open(copied, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := transfer.Copy(context.Background(), s, dst)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 2 || len(keptFiles(t, copied)) != 1 {
		t.Errorf("copied %d files, kept %v beside the copy", sum.Files, keptFiles(t, copied))
	}
	readsBack(t, dst, e, data)
	dst.Close()

	saved := filepath.Join(other, "saved.db")
	tmp := filepath.Join(other, ".register-copy-1.tmp")
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteCopy(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := s.CopyFiles(tmp, saved); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, saved); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.RemoveAll(storage.FilesDir(s.Path())); err != nil {
		t.Fatal(err)
	}
	r := openAt(t, saved, c.Now)
	readsBack(t, r, e, data)
	if problems, err := r.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check of the saved copy: %v %v", problems, err)
	}
}

// TestDamagedFileList: a compressed backup whose list of files is damaged
// is named by check, and the sweep then removes nothing, since it cannot
// tell what that backup needs.
func TestDamagedFileList(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s := openAt(t, path, c.Now)
	base := seed(t, s)
	e := attach(t, s, base.finding.ID, "Minutes", "minutes.txt", []byte("Board minutes: approved."))
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	raw := fileBytes(t, backup)
	// The header frame is 62 bytes; the list frame's JSON starts 48
	// bytes into the next (magic, size, tag, SHA-256).
	body := 62 + 8 + 8 + 32
	if !bytes.HasPrefix(raw[body:], []byte(`[{"sha256":"`+e.SHA256)) {
		t.Fatalf("the list is not where the test expects it: %q", raw[:body+80])
	}
	raw[body+3] ^= 0x20 // "sha256" becomes "Sha256"
	if err := os.WriteFile(backup, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], filepath.Base(backup)) || !strings.Contains(problems[0], "list of attached files") {
		t.Fatalf("check: %v %v", problems, err)
	}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.DeleteEvidence(e.ID) }); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if _, err := s.Backup(); err == nil || !strings.Contains(err.Error(), "were not removed") {
		t.Errorf("the sweep with a backup it cannot read: %v", err)
	}
	if len(keptFiles(t, path)) != 1 {
		t.Error("a file was removed though a backup's list could not be read")
	}
}
