package bolt

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"improvementtracker/model"
)

// TestMigrationMovesFilesOut: the step to filesOutside removes the
// evidence_files section and changes no other section.
func TestMigrationMovesFilesOut(t *testing.T) {
	before, after := runMigration(t, filesOutside)
	if len(before[string(bucketEvidenceFiles)]) == 0 {
		t.Fatalf("the fixture of version %d has no attached files to move", filesOutside-1)
	}
	if _, ok := after[string(bucketEvidenceFiles)]; ok {
		t.Error("the evidence_files section is still there")
	}
	sameExcept(t, before, after, string(bucketEvidenceFiles))
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("the step made a section %s", name)
		}
	}
}

// TestVersion7FilesMovedOut opens the version 7 fixture, whose one file is
// attached to two evidence records: after the upgrade the file is kept
// once beside the register, reads back for both records, and check finds
// nothing wrong.
func TestVersion7FilesMovedOut(t *testing.T) {
	path := copyFixture(t, 7)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var evs []model.Evidence
	files := map[string][]byte{}
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		if evs, err = tx.Evidence(0); err != nil {
			return err
		}
		for _, e := range evs {
			data, err := tx.EvidenceFile(e.ID)
			if err != nil {
				return err
			}
			files[e.SHA256] = data
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || len(files) != 1 {
		t.Fatalf("%d evidence records with %d different files, want 2 with 1", len(evs), len(files))
	}
	kept, err := s.files.list()
	if err != nil || len(kept) != 1 {
		t.Fatalf("kept beside the register: %v (%v), want the one file", kept, err)
	}
	for sum, data := range files {
		if kept[sum] != int64(len(data)) {
			t.Errorf("the file kept under %s is %d bytes, want %d", sum, kept[sum], len(data))
		}
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check after the upgrade: %v %v", problems, err)
	}
	// The copy kept before the upgrade still carries the file inside it:
	// it unpacks to the version 7 register byte for byte.
	bs, err := ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	var upgrade, daily string
	for _, b := range bs {
		switch b.Kind {
		case KindBeforeUpgrade:
			upgrade = b.Path
		case KindDaily:
			daily = b.Path
		}
	}
	if upgrade == "" || daily == "" {
		t.Fatalf("backups after the upgrade: %+v", bs)
	}
	plain, done, err := unpacked(upgrade)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if got, _ := os.ReadFile(plain); string(got) != string(raw) {
		t.Error("the copy kept before the upgrade is not the version 7 file")
	}
	if _, listed, err := backupFileRefs(upgrade); listed || err != nil {
		t.Errorf("the copy kept before the upgrade lists files (%v, %v): it carries its own", listed, err)
	}
	// The day's backup, of the upgraded register, lists the file twice
	// (once per evidence record) and carries none.
	if refs, listed, err := backupFileRefs(daily); !listed || err != nil || len(refs) != 2 || refs[0].SHA256 != refs[1].SHA256 {
		t.Errorf("the day's backup lists %+v (%v, %v)", refs, listed, err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(path), "register-v7.files")); err != nil {
		t.Errorf("the folder of files is not named after the register: %v", err)
	}
}
