package bolt_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	storage "improvementtracker/storage/bolt"
)

var updateFixture = flag.Bool("update-fixture", false, "rewrite testdata/register-v1.bolt")

const v1Fixture = "testdata/register-v1.bolt"

// TestWriteV1Fixture writes the schema version 1 fixture with bbolt alone,
// in the layout version 1 of the app wrote: every bucket of today except the
// index of updates by finding, which version 2 added. It only runs with
// -update-fixture; the file is committed so the test below always upgrades
// the same bytes.
func TestWriteV1Fixture(t *testing.T) {
	if !*updateFixture {
		t.Skip("run with -update-fixture to rewrite " + v1Fixture)
	}
	_ = os.Remove(v1Fixture)
	db, err := bolt.Open(v1Fixture, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key := func(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
	pair := func(a, b uint64) []byte { return append(key(a), key(b)...) }
	put := func(b *bolt.Bucket, k []byte, v any) {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Put(k, raw); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx *bolt.Tx) error {
		b := map[string]*bolt.Bucket{}
		for _, name := range []string{"meta", "settings", "reports", "people", "findings", "findings_by_ref", "ref_counters",
			"milestones", "milestones_by_finding", "updates", "evidence", "evidence_by_finding", "evidence_files",
			"audit", "audit_by_finding", "submissions"} {
			bk, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			b[name] = bk
		}
		_ = b["meta"].Put([]byte("app"), []byte("Improvement Tracker register"))
		_ = b["meta"].Put([]byte("schema_version"), key(1))
		put(b["settings"], []byte("settings"), model.Settings{ForceName: "Kent Police", RefPrefix: "KEN", DefaultMarking: model.Marking{Classification: model.Official}})
		_, _ = b["reports"].NextSequence()
		put(b["reports"], key(1), model.Report{ID: 1, Title: "PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22", Published: model.MustDate("17/03/2022")})
		_, _ = b["findings"].NextSequence()
		put(b["findings"], key(1), model.Finding{ID: 1, Ref: "KEN-PEEL2122-AFI-01", ReportID: 1, Type: model.AFI, Area: "Investigating crime",
			Title: "Domestic abuse team resourcing", Verbatim: "The force should make sure it has enough capacity.", Status: model.InProgress,
			RAG: model.Amber, Marking: model.Marking{Classification: model.Official}, Created: at, Modified: at})
		_ = b["findings_by_ref"].Put([]byte("KEN-PEEL2122-AFI-01"), key(1))
		_ = b["ref_counters"].Put(append(key(1), "AFI"...), key(1))
		for i, text := range []string{"Business case approved.", "Six investigators recruited."} {
			id, _ := b["updates"].NextSequence()
			put(b["updates"], key(id), model.Update{ID: model.ID(id), FindingID: 1, Date: model.NewDate(2024, time.Month(4+3*i), 1),
				Narrative: text, Status: model.InProgress, RAG: model.Amber, Author: "Improvement Team", Recorded: at})
		}
		id, _ := b["audit"].NextSequence()
		put(b["audit"], key(id), model.AuditEvent{ID: model.ID(id), At: at, Who: "Improvement Team", Action: model.ActionCreate,
			Entity: model.EntityFinding, EntityID: 1, FindingID: 1, Summary: "Finding KEN-PEEL2122-AFI-01 added"})
		return b["audit_by_finding"].Put(pair(1, id), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestMigrateFromV1 upgrades the version 1 fixture: the copy made before the
// upgrade is byte for byte the old file, the new index is built, and the
// file then passes every check.
func TestMigrateFromV1(t *testing.T) {
	orig := fileBytes(t, v1Fixture)
	path := filepath.Join(t.TempDir(), "register.db")
	if err := writeFile(path, orig); err != nil {
		t.Fatal(err)
	}
	c := newClock()
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { checkFile(t, path) })
	defer s.Close()

	mustView(t, s, func(tx model.ReadTx) error {
		us := must(tx.Updates(1))
		if len(us) != 2 || us[1].Narrative != "Six investigators recruited." {
			t.Errorf("after the upgrade finding 1 has updates %+v", us)
		}
		if f := must(tx.FindingByRef("KEN-PEEL2122-AFI-01")); f.Title != "Domestic abuse team resourcing" {
			t.Errorf("finding after upgrade: %+v", f)
		}
		return nil
	})
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check after upgrade: %v %v", problems, err)
	}
	backups, err := storage.ListBackups(path)
	if err != nil {
		t.Fatal(err)
	}
	var before string
	for _, b := range backups {
		if b.Kind == storage.KindBeforeUpgrade {
			before = b.Path
		}
	}
	if before == "" || !strings.Contains(before, "before-upgrade-v1") {
		t.Fatalf("no copy kept before the upgrade: %+v", backups)
	}
	plain, done, err := storage.Unpacked(before)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if !bytes.Equal(fileBytes(t, plain), orig) {
		t.Errorf("the copy kept before the upgrade differs from the old file")
	}
	// Writing works on the upgraded file and uses the new index.
	u := model.Update{FindingID: 1, Date: model.MustDate("01/10/2024"), Narrative: "Twelve in post.", Status: model.CompletePending, RAG: model.Blue}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatal(err)
	}
	// A second open does not migrate again.
	s.Close()
	s2, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s2.Close()
	if after, _ := storage.ListBackups(path); countKind(after, storage.KindBeforeUpgrade) != 1 {
		t.Errorf("reopening made another pre-upgrade copy: %+v", after)
	}
}

func countKind(bs []storage.BackupInfo, kind string) int {
	n := 0
	for _, b := range bs {
		if b.Kind == kind {
			n++
		}
	}
	return n
}

// TestNewerVersionRefused checks that a file from a newer version of the app
// is refused with a plain message and left exactly as it was.
func TestNewerVersionRefused(t *testing.T) {
	c := newClock()
	s := openNew(t, c)
	seed(t, s)
	path := s.Path()
	s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, storage.SchemaVersion+1))
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := fileBytes(t, path)
	info, _ := os.Stat(path)
	backupsBefore, _ := storage.ListBackups(path)

	c.Advance(48 * time.Hour) // a backup would be due
	_, err = storage.Open(path, storage.Options{Now: c.Now})
	wantIs(t, err, model.ErrNewerVersion)
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "has not been changed") {
		t.Errorf("message does not name the file or reassure: %v", err)
	}
	if !bytes.Equal(fileBytes(t, path), before) {
		t.Fatal("the newer file was changed")
	}
	if after, _ := os.Stat(path); !after.ModTime().Equal(info.ModTime()) {
		t.Error("the newer file's modification time changed")
	}
	if after, _ := storage.ListBackups(path); len(after) != len(backupsBefore) {
		t.Errorf("backups were written for a file this version cannot read: %+v", after)
	}
}
