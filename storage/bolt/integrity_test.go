package bolt_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	"improvementtracker/sample"
	storage "improvementtracker/storage/bolt"
	"improvementtracker/testkit/faults/corrupt"
)

// sampleRegister writes the Kent sample into a new register and returns its
// path, closed, with no backups beside it.
func sampleRegister(t *testing.T, c *clock) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkPath opens a register without a backup and runs the full check.
func checkPath(t *testing.T, path string) ([]storage.ProblemGroup, error) {
	t.Helper()
	s, err := storage.Open(path, storage.Options{NoBackup: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.CheckReport()
}

// TestFlipsInRecordsFound flips one random bit inside a stored value of the
// sample register, 100 times, each on a fresh copy: check reports every one
// as a damaged record, and a read of that record says so in words.
func TestFlipsInRecordsFound(t *testing.T) {
	c := newClock()
	base := fileBytes(t, sampleRegister(t, c))
	rnd := rand.New(rand.NewPCG(11, 4))
	found := 0
	const trials = 100
	for i := range trials {
		path := filepath.Join(t.TempDir(), "register.db")
		if err := writeFile(path, base); err != nil {
			t.Fatal(err)
		}
		what, err := corrupt.FlipInRecord(path, rnd)
		if err != nil {
			t.Fatal(err)
		}
		groups, err := checkPath(t, path)
		if err != nil {
			t.Fatalf("trial %d (%s): %v", i, what, err)
		}
		ok := false
		for _, g := range groups {
			if g.Title == "Damaged records" && len(g.Problems) == 1 && strings.Contains(g.Problems[0], " is damaged: ") {
				ok = true
			}
			for _, p := range g.Problems {
				if in := corrupt.Internal(p); in != "" {
					t.Errorf("trial %d: %q in %q", i, in, p)
				}
			}
		}
		if ok {
			found++
		} else {
			t.Logf("trial %d (%s): not reported as one damaged record: %+v", i, what, groups)
		}
	}
	t.Logf("%d of %d flips found", found, trials)
	if found < 99 {
		t.Errorf("check found %d of %d one-bit flips, want at least 99", found, trials)
	}
}

// flipInUpdate flips a bit in the narrative of the stored update whose
// narrative starts with text: in its entry by date, where the narrative is
// kept from version 8 (a finding's latest narrative is kept in an index
// too, so the entry is found by its whole stored value).
func flipInUpdate(t *testing.T, path, text string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	var entry []byte
	err = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("narratives_by_date")).ForEach(func(k, v []byte) error {
			if bytes.HasPrefix(v[5:], []byte(text)) {
				entry = bytes.Clone(v)
			}
			return nil
		})
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw := fileBytes(t, path)
	i := bytes.Index(raw, entry)
	if entry == nil || i < 0 || bytes.Count(raw, entry) != 1 {
		t.Fatalf("%q is not stored once in the file", text)
	}
	if err := corrupt.FlipBit(path, int64(i+5+2), 1); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedRecordNamed: reading a damaged progress update fails with a
// message naming the update by its date and finding, the file, and the
// newest backup that checks clean; list-like reads of other findings still
// work.
func TestDamagedRecordNamed(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	sd := seed(t, s)
	u := model.Update{FindingID: sd.finding.ID, Date: model.MustDate("14/03/2026"), Narrative: "Twelve investigators recruited and trained.",
		Status: model.InProgress, RAG: model.Amber, Author: "Jo Bloggs"}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatal(err)
	}
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	flipInUpdate(t, path, "Twelve investigators")

	s, err = storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		_, err := tx.Updates(sd.finding.ID)
		return err
	})
	wantIs(t, err, model.ErrDamaged)
	want := "progress update 14/03/2026 on KEN-PEEL2122-AFI-01 (record 1) is damaged: its narrative, kept in the index of progress narratives by date, fails its check: its stored bytes no longer match their checksum. The register is " +
		path + ". The newest backup that checks clean is " + filepath.Base(backup) + ", made on 24/11/2025 at 10:00: restore it with Restore backup in the app or \"improvement-tracker restore " + backup + "\""
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant:\n%s", err, want)
	}
	// The finding itself reads.
	mustView(t, s, func(tx model.ReadTx) error {
		f, err := tx.Finding(sd.finding.ID)
		if err == nil && f.Title != "Domestic abuse team resourcing" {
			t.Errorf("finding read as %+v", f)
		}
		return err
	})
	groups, err := s.CheckReport()
	if err != nil {
		t.Fatal(err)
	}
	// The update named as damaged, and the entry where its narrative is
	// kept.
	if len(groups) != 2 || groups[0].Title != "Damaged records" || len(groups[0].Problems) != 1 ||
		!strings.HasPrefix(groups[0].Problems[0], "progress update 14/03/2026 on KEN-PEEL2122-AFI-01 (record 1) is damaged: its narrative, kept in the index of progress narratives by date, fails its check") ||
		groups[1].Title != "Indexes" || len(groups[1].Problems) != 1 ||
		!strings.Contains(groups[1].Problems[0], "in the index of progress narratives by date is damaged: its stored bytes no longer match their checksum") {
		t.Errorf("check: %+v", groups)
	}
}

// metaTxIDs reads the transaction IDs of the two header pages.
func metaTxIDs(t *testing.T, path string) (m [2]corrupt.Meta, newest int) {
	t.Helper()
	m, newest, err := corrupt.Metas(path)
	if err != nil {
		t.Fatal(err)
	}
	return m, newest
}

// TestNewestHeaderDamaged: after a save, the newest header page is spoilt.
// bbolt alone would open the state before the save without a word; open
// and check say that the last save may be lost, and offer the backup.
func TestNewestHeaderDamaged(t *testing.T) {
	for _, how := range []string{corrupt.ZeroChecksum, corrupt.FlipHeader, corrupt.ZeroPage} {
		t.Run(how, func(t *testing.T) {
			c := newClock()
			path := filepath.Join(t.TempDir(), "register.db")
			s, err := storage.Open(path, storage.Options{Now: c.Now})
			if err != nil {
				t.Fatal(err)
			}
			sd := seed(t, s)
			backup, err := s.Backup()
			if err != nil {
				t.Fatal(err)
			}
			u := model.Update{FindingID: sd.finding.ID, Date: model.MustDate("14/03/2026"), Narrative: "The last save.", Status: model.InProgress, RAG: model.Amber, Author: "Jo"}
			if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
				t.Fatal(err)
			}
			s.Close()
			_, newest := metaTxIDs(t, path)
			if err := corrupt.DamageMeta(path, newest, how, rand.New(rand.NewPCG(1, 2))); err != nil {
				t.Fatal(err)
			}
			for _, o := range []storage.Options{{Now: c.Now}, {Now: c.Now, NoBackup: true}} {
				_, err = storage.Open(path, o)
				wantIs(t, err, model.ErrDamaged)
				if !strings.Contains(err.Error(), "the last save may be lost") || !strings.Contains(err.Error(), "The newest backup that checks clean is "+filepath.Base(backup)) {
					t.Errorf("open: %v", err)
				}
			}
			groups, err := storage.CheckFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(groups) == 0 || groups[0].Title != "Header pages" || !strings.Contains(groups[0].Problems[0], "the last save may be lost") {
				t.Errorf("check: %+v", groups)
			}
			if err := storage.Restore(path, path, c.Now()); err == nil {
				t.Error("the damaged file was accepted as a backup")
			}
		})
	}
}

// TestOlderHeaderDamaged: a spoilt header of the save before the newest
// loses nothing; the register opens whole, check names the damage, and the
// next save rewrites the page.
func TestOlderHeaderDamaged(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	sd := seed(t, s)
	s.Close()
	_, newest := metaTxIDs(t, path)
	if err := corrupt.DamageMeta(path, 1-newest, corrupt.ZeroChecksum, nil); err != nil {
		t.Fatal(err)
	}
	s, err = storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	want := "Header pages: the header page of an older save is damaged; the newest save is whole, and the next save rewrites the damaged page"
	if len(problems) != 1 || problems[0] != want {
		t.Errorf("check: %q, want %q", problems, want)
	}
	u := model.Update{FindingID: sd.finding.ID, Date: model.MustDate("14/03/2026"), Narrative: "Saved.", Status: model.InProgress, RAG: model.Amber, Author: "Jo"}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(); err != nil || len(problems) != 0 {
		t.Errorf("after a save: %q %v", problems, err)
	}
	s.Close()
}

// storedEvent rewrites an audit event in place with a valid envelope, as
// someone with the file and a bbolt tool could: only the chain shows it.
func storedEvent(t *testing.T, path string, id uint64, edit func(ev map[string]any)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		key := binary.BigEndian.AppendUint64(nil, id)
		raw := b.Get(key)
		// Edited as JSON, the form events were stored in before version
		// 8 and still are when the lean form cannot give them back.
		js, err := storage.EventJSON(raw[5:])
		if err != nil {
			return err
		}
		var ev map[string]any
		if err := json.Unmarshal(js, &ev); err != nil {
			return err
		}
		edit(ev)
		payload, err := json.Marshal(ev)
		if err != nil {
			return err
		}
		return b.Put(key, sealed([]byte("audit"), key, payload))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// sealed is the envelope the store writes (see storage/envelope.go),
// written out here so that the test does not trust the code it tests.
func sealed(bucket, key, payload []byte) []byte {
	tab := crc32.MakeTable(crc32.Castagnoli)
	h := crc32.Update(0, tab, bucket)
	h = crc32.Update(h, tab, []byte{0})
	h = crc32.Update(h, tab, key)
	h = crc32.Update(h, tab, payload)
	out := []byte{0xC4, 0, 0, 0, 0}
	binary.BigEndian.PutUint32(out[1:], h)
	return append(out, payload...)
}

// TestAuditChain: every event holds the hash of the one before; a
// submission holds the head when it was recorded; an event altered with a
// correct checksum breaks the chain where it was altered, and check says
// which event.
func TestAuditChain(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	sd := seed(t, s)
	var events []model.AuditEvent
	mustView(t, s, func(tx model.ReadTx) error {
		events, err = tx.Audit(0)
		return err
	})
	if len(events) < 4 || events[0].Prev != "" {
		t.Fatalf("events: %+v", events)
	}
	for i := 1; i < len(events); i++ {
		if events[i].Prev != model.AuditHash(events[i-1]) || len(events[i].Prev) != 64 {
			t.Errorf("event %d holds %q, want the hash of event %d", events[i].ID, events[i].Prev, events[i-1].ID)
		}
	}
	q, err := model.ParseQuarter("Q3 2025/26")
	if err != nil {
		t.Fatal(err)
	}
	sub := model.Submission{Kind: model.SubmissionReturn, Period: q, FileName: "return.xlsx"}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveSubmission(&sub) }); err != nil {
		t.Fatal(err)
	}
	if sub.AuditHead != model.AuditHash(events[len(events)-1]) {
		t.Errorf("the submission holds %q, want the head before it, %q", sub.AuditHead, model.AuditHash(events[len(events)-1]))
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check of a sound register: %q %v", problems, err)
	}
	s.Close()

	second := events[1]
	storedEvent(t, path, uint64(second.ID), func(ev map[string]any) { ev["who"] = "Someone Else" })
	groups, err := checkPath(t, path)
	if err != nil {
		t.Fatal(err)
	}
	wantEvent := events[2]
	want := "the history entry of " + wantEvent.At.Local().Format("02/01/2006 15:04") + " (" + strconv.Quote(wantEvent.Summary) + ") does not follow the entry before it (" +
		"the history entry of " + second.At.Local().Format("02/01/2006 15:04") + " (" + strconv.Quote(second.Summary) + "))"
	// The index of the history by time, which keeps the heads of
	// creations, still has the event as it was.
	wantIndex := "the index of the history by time gives another account of the history entry of " + second.At.Local().Format("02/01/2006 15:04") +
		" (" + strconv.Quote(second.Summary) + ") than the entry's own"
	if len(groups) != 2 || groups[0].Title != "Indexes" || len(groups[0].Problems) != 1 || groups[0].Problems[0] != wantIndex ||
		groups[1].Title != "History (audit trail)" || len(groups[1].Problems) != 1 || !strings.HasPrefix(groups[1].Problems[0], want) {
		t.Errorf("check: %+v\nwant %s\nand %s…", groups, wantIndex, want)
	}
	_ = sd
}

// TestBackupsNeverCopyDamage: a register with a damaged record is not kept
// as the day's backup; the open still succeeds (reading never depends on
// writing) with a warning; the last good backup is still there, is the one
// offered, and restore refuses the damaged file unless forced.
func TestBackupsNeverCopyDamage(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	sd := seed(t, s)
	u := model.Update{FindingID: sd.finding.ID, Date: model.MustDate("14/03/2026"), Narrative: "Twelve investigators recruited and trained.",
		Status: model.InProgress, RAG: model.Amber, Author: "Jo Bloggs"}
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatal(err)
	}
	good, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	flipInUpdate(t, path, "Twelve investigators")

	c.Advance(24 * time.Hour)
	s, err = storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatalf("a damaged record stopped the open: %v", err)
	}
	warnings := s.Warnings()
	s.Close()
	if len(warnings) != 1 || !strings.Contains(warnings[0], "the copy fails its check, so the register itself is damaged") ||
		!strings.Contains(warnings[0], "the entry for record 1 in the index of progress narratives by date is damaged") {
		t.Errorf("warnings: %q", warnings)
	}
	// The advice is the damage's: check, and the backup to restore; not
	// to make a backup by hand, which would fail the same way.
	if len(warnings) == 1 && (!strings.Contains(warnings[0], "Save nothing more to it until it is put right") ||
		!strings.Contains(warnings[0], "The newest backup that checks clean is "+filepath.Base(good)) ||
		strings.Contains(warnings[0], "make a backup by hand")) {
		t.Errorf("the warning does not say what to do with a damaged register: %q", warnings[0])
	}
	backups, _ := storage.ListBackups(path)
	if len(backups) != 1 || backups[0].Path != good {
		t.Fatalf("backups after the damaged day: %+v", backups)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(good), ".writing-*")); len(left) > 0 {
		t.Errorf("temporary copies left: %v", left)
	}

	// A damaged copy made by hand is refused by restore unless forced.
	bad := filepath.Join(filepath.Dir(good), "register-manual-2025-11-25-120000.db")
	if err := writeFile(bad, fileBytes(t, path)); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "other.db")
	err = storage.Restore(other, bad, c.Now())
	wantIs(t, err, model.ErrDamaged)
	if !strings.Contains(err.Error(), "progress update 14/03/2026 on KEN-PEEL2122-AFI-01 (record 1) is damaged") || !strings.Contains(err.Error(), "give --force") {
		t.Errorf("restore of a damaged backup: %v", err)
	}
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the register was written: %v", err)
	}
	if err := storage.RestoreWith(other, bad, c.Now(), true); err != nil {
		t.Fatalf("forced restore: %v", err)
	}
	if !bytes.Equal(fileBytes(t, other)[:4096], fileBytes(t, bad)[:4096]) {
		t.Error("the forced restore did not copy the backup")
	}
	// The damaged register offers the good backup, not the newer damaged
	// one.
	s, err = storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx model.ReadTx) error { _, err := tx.Updates(0); return err })
	if err == nil || !strings.Contains(err.Error(), "The newest backup that checks clean is "+filepath.Base(good)) {
		t.Errorf("read error: %v", err)
	}
}

// TestReadOnlyRegister: a register opened for reading only is listed and
// checked, refuses saves in words, and is never called damaged.
func TestReadOnlyRegister(t *testing.T) {
	c := newClock()
	path := sampleRegister(t, c)
	before := fileBytes(t, path)
	s, err := storage.Open(path, storage.Options{Now: c.Now, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !s.ReadOnly() {
		t.Error("ReadOnly() is false")
	}
	var _ model.ReadOnlyStore = s
	mustView(t, s, func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		if err == nil && len(fs) == 0 {
			t.Error("no findings read")
		}
		return err
	})
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %q %v", problems, err)
	}
	err = s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.SaveSettings(model.Settings{}) })
	if err == nil || errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), "nothing was saved: "+path+" is read-only here") {
		t.Errorf("save: %v", err)
	}
	if !bytes.Equal(fileBytes(t, path), before) {
		t.Error("the file changed")
	}
	if backups, _ := storage.ListBackups(path); len(backups) > 0 {
		t.Errorf("a backup was made: %+v", backups)
	}
}

// TestFailedDailyBackupWarns: when the day's backup cannot be written (here
// the backups folder is a file), the register opens all the same, with a
// warning in words.
func TestFailedDailyBackupWarns(t *testing.T) {
	c := newClock()
	path := sampleRegister(t, c)
	if err := writeFile(filepath.Join(filepath.Dir(path), "backups"), []byte("not a folder")); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	w := s.Warnings()
	if len(w) != 1 || !strings.HasPrefix(w[0], "the daily backup of "+path+" could not be written to "+filepath.Join(filepath.Dir(path), "backups")) ||
		!strings.Contains(w[0], "The register is open") {
		t.Errorf("warnings: %q", w)
	}
}

// TestNoBackupOfEmptyRegister: a new register's first open makes no backup
// of the empty file; the first open once it holds something does.
func TestNoBackupOfEmptyRegister(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if backups, _ := storage.ListBackups(path); len(backups) != 0 {
		t.Fatalf("the empty register was backed up: %+v", backups)
	}
	s, err = storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	seed(t, s)
	s.Close()
	s, err = storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if backups, _ := storage.ListBackups(path); len(backups) != 1 {
		t.Fatalf("backups once it holds findings: %+v", backups)
	}
}

// TestRestoreThroughLink: restoring through a symbolic link to the register
// replaces the file it points to and leaves the link.
func TestRestoreThroughLink(t *testing.T) {
	c := newClock()
	path := sampleRegister(t, c)
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	backup, err := s.Backup()
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "register-link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	if err := storage.Restore(link, backup, c.Now()); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", info.Mode(), err)
	}
	if backups, _ := storage.ListBackups(path); len(backups) != 2 {
		t.Errorf("the file before the restore was not kept beside the register: %+v", backups)
	}
}

// TestTempFilesCleaned: temporary copies a killed run left beside the
// register and in its backups folder are removed on opening; a fresh one
// (a copy under way) is left alone. An existing backups folder that others
// may read is tightened to the user alone.
func TestTempFilesCleaned(t *testing.T) {
	c := newClock()
	path := sampleRegister(t, c)
	dir := filepath.Dir(path)
	bdir := filepath.Join(dir, "backups")
	if err := os.Mkdir(bdir, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	stale := []string{filepath.Join(bdir, ".writing-123.tmp"), filepath.Join(bdir, ".copying-9.tmp"), filepath.Join(dir, ".copying-1.tmp"),
		filepath.Join(dir, ".improvement-tracker-5.xlsx.tmp")}
	for _, f := range stale {
		if err := writeFile(f, []byte("half a copy")); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
	fresh := filepath.Join(bdir, ".writing-456.tmp")
	if err := writeFile(fresh, []byte("a copy under way")); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, f := range stale {
		if _, err := os.Stat(f); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s was left: %v", filepath.Base(f), err)
		}
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh temporary file was removed: %v", err)
	}
	if info, err := os.Stat(bdir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("backups folder: %v %v", info.Mode(), err)
	}
}

// TestRollbackNoticed: an older copy of the register put in its place
// behind the app's back (here, the file as it was before three saves) holds
// fewer saves than its newest backup: the open warns and check reports it.
// A restore made on purpose does not.
func TestRollbackNoticed(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	sd := seed(t, s)
	s.Close()
	older := fileBytes(t, path)
	s, err = storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		u := model.Update{FindingID: sd.finding.ID, Date: model.NewDate(2026, 3, 1+i), Narrative: "More progress.", Status: model.InProgress, RAG: model.Amber, Author: "Jo"}
		if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
			t.Fatal(err)
		}
	}
	backup, err := s.Backup()
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := writeFile(path, older); err != nil {
		t.Fatal(err)
	}
	s, err = storage.Open(path, storage.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	w := s.Warnings()
	if len(w) == 0 || !strings.Contains(w[0], "fewer than its backup "+backup) || !strings.Contains(w[0], "put back to an older copy") {
		t.Errorf("warnings: %q", w)
	}
	problems, err := s.Check()
	if err != nil || len(problems) != 1 || !strings.HasPrefix(problems[0], "Saves and backups: the register holds 1 save, fewer than its backup "+backup+" made on 24/11/2025 at 10:00 (4 saves)") {
		t.Errorf("check: %q %v", problems, err)
	}
	s.Close()

	if err := storage.Restore(path, backup, c.Now()); err != nil {
		t.Fatal(err)
	}
	s, err = storage.Open(path, storage.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if w := s.Warnings(); len(w) != 0 {
		t.Errorf("warnings after a restore: %q", w)
	}
	if problems, err := s.Check(); err != nil || len(problems) != 0 {
		t.Errorf("check after a restore: %q %v", problems, err)
	}
}

// TestMustExist: a command that only reads refuses a path with no register
// rather than create one there.
func TestMustExist(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo", "registr.db")
	_, err := storage.Open(path, storage.Options{MustExist: true})
	if err == nil || err.Error() != "no register at "+path+"; `improvement-tracker sample` or the window creates one" {
		t.Errorf("open: %v", err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the folder was created: %v", err)
	}
}
