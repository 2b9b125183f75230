package bolt

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// Each schema version that has shipped has a fixture written by bbolt alone,
// in the layout that version of the app wrote, so that every migration is
// tested on the bytes it will meet and never on what today's code would
// write. Version 1's fixture is written by TestWriteV1Fixture; versions 2
// and 3 by TestWriteShippedFixtures. Both only run when asked to, and their
// files are committed.
var writeFixtures = flag.Bool("write-fixtures", false, "rewrite testdata/register-v2.bolt, -v3.bolt and -v4.bolt")

// shippedFixtures maps each shipped schema version to its fixture.
var shippedFixtures = map[int]string{
	1: "testdata/register-v1.bolt",
	2: "testdata/register-v2.bolt",
	3: "testdata/register-v3.bolt",
	4: "testdata/register-v4.bolt",
	// Versions 5 and 6 were written by the version 6 app from version
	// 4's: version 5's by the step to 5 alone, version 6's by opening.
	5: "testdata/register-v5.bolt",
	6: "testdata/register-v6.bolt",
	// Version 7's was written by the version 7 app from version 6's,
	// opened a day later: the finding's title changed and changed back,
	// and the same file attached to two evidence
	// records, so that later steps meet a trail with changes and files.
	7: "testdata/register-v7.bolt",
	// Version 8's was written by the version 8 app from version 7's, by
	// opening: its trail is lean and its narratives are kept once, and
	// the attached file is still inside the register.
	8: "testdata/register-v8.bolt",
	// Version 9's was written by the version 9 app from version 8's, by
	// opening: the attached file moved beside the register, into
	// register-v9.files, which copyFixture copies with it.
	9: "testdata/register-v9.bolt",
}

// fixtureTime is when the fixtures' records were made.
var fixtureTime = time.Date(2024, 4, 1, 9, 0, 0, 0, time.UTC)

func TestWriteShippedFixtures(t *testing.T) {
	if !*writeFixtures {
		t.Skip("run with -write-fixtures to rewrite the version 2 and 3 fixtures")
	}
	for _, v := range []int{2, 3} {
		if err := writeShippedFixture(shippedFixtures[v], v); err != nil {
			t.Fatal(err)
		}
	}
	// Version 4 sealed every record and chained the audit trail: its
	// fixture is what this version of the app makes of version 3's.
	path := copyFixture(t, 3)
	st, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(24 * time.Hour) }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(shippedFixtures[4], raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeShippedFixture writes the register that version v of the app wrote
// for one finding with two updates and one audit event: version 2 added
// updates_by_finding; version 3 put each event's time in audit_by_finding.
func writeShippedFixture(path string, v int) error {
	_ = os.Remove(path)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(func(tx *bolt.Tx) error {
		b := map[string]*bolt.Bucket{}
		for _, name := range []string{"meta", "settings", "reports", "people", "findings", "findings_by_ref", "ref_counters",
			"milestones", "milestones_by_finding", "updates", "updates_by_finding", "evidence", "evidence_by_finding",
			"evidence_files", "audit", "audit_by_finding", "submissions"} {
			bk, err := tx.CreateBucket([]byte(name))
			if err != nil {
				return err
			}
			b[name] = bk
		}
		var errs []error
		put := func(bk *bolt.Bucket, k []byte, v any) {
			raw, err := json.Marshal(v)
			errs = append(errs, err, bk.Put(k, raw))
		}
		errs = append(errs, b["meta"].Put(keyApp, []byte(appMarker)), b["meta"].Put(keySchema, itob(uint64(v))))
		put(b["settings"], keySettings, model.Settings{ForceName: "Kent Police", RefPrefix: "KEN", DefaultMarking: model.Marking{Classification: model.Official}})
		_, _ = b["reports"].NextSequence()
		put(b["reports"], itob(1), model.Report{ID: 1, Title: "PEEL 2021/22", Type: model.PEEL, Cycle: "2021/22", Published: model.MustDate("17/03/2022")})
		_, _ = b["findings"].NextSequence()
		put(b["findings"], itob(1), model.Finding{ID: 1, Ref: "KEN-PEEL2122-AFI-01", ReportID: 1, Type: model.AFI, Area: "Investigating crime",
			Title: "Domestic abuse team resourcing", Verbatim: "The force should make sure it has enough capacity.", Status: model.InProgress,
			RAG: model.Amber, Marking: model.Marking{Classification: model.Official}, Created: fixtureTime, Modified: fixtureTime})
		errs = append(errs, b["findings_by_ref"].Put([]byte("KEN-PEEL2122-AFI-01"), itob(1)),
			b["ref_counters"].Put(append(itob(1), "AFI"...), itob(1)))
		for i, text := range []string{"Business case approved.", "Six investigators recruited."} {
			id, _ := b["updates"].NextSequence()
			put(b["updates"], itob(id), model.Update{ID: model.ID(id), FindingID: 1, Date: model.NewDate(2024, time.Month(4+3*i), 1),
				Narrative: text, Status: model.InProgress, RAG: model.Amber, Author: "Improvement Team", Recorded: fixtureTime})
			errs = append(errs, b["updates_by_finding"].Put(pairKey(1, model.ID(id)), nil))
		}
		id, _ := b["audit"].NextSequence()
		put(b["audit"], itob(id), model.AuditEvent{ID: model.ID(id), At: fixtureTime, Who: "Improvement Team", Action: model.ActionCreate,
			Entity: model.EntityFinding, EntityID: 1, FindingID: 1, Summary: "Finding KEN-PEEL2122-AFI-01 added"})
		var when []byte
		if v >= 3 {
			when = auditTime(fixtureTime)
		}
		errs = append(errs, b["audit_by_finding"].Put(pairKey(1, model.ID(id)), when))
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// copyFixture copies a shipped fixture into a temporary folder.
func copyFixture(t *testing.T, version int) string {
	t.Helper()
	raw, err := os.ReadFile(shippedFixtures[version])
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("register-v%d.db", version))
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	// From version 9 attached files are kept beside the register.
	files := strings.TrimSuffix(shippedFixtures[version], ".bolt") + ".files"
	if _, err := os.Stat(files); err == nil {
		if err := os.CopyFS(filesDir(path), os.DirFS(files)); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// dump is every bucket of a file, key to value, for before/after
// comparisons.
func dump(t *testing.T, db *bolt.DB) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	err := db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			m := map[string]string{}
			out[string(name)] = m
			return b.ForEach(func(k, v []byte) error {
				m[string(k)] = string(v)
				return nil
			})
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// runMigration applies the migration to version `to` alone to a copy of the
// fixture of version to-1, and returns the file's buckets before and after.
func runMigration(t *testing.T, to int) (before, after map[string]map[string]string) {
	t.Helper()
	db, err := bolt.Open(copyFixture(t, to-1), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before = dump(t, db)
	// A version may take more than one step, in the order listed.
	ran := 0
	for _, m := range migrations {
		if m.To != to {
			continue
		}
		if err := db.Update(m.Run); err != nil {
			t.Fatalf("migration to %d (%s): %v", to, m.What, err)
		}
		ran++
	}
	if ran == 0 {
		t.Fatalf("no migration to version %d", to)
	}
	return before, dump(t, db)
}

// sameExcept fails when a bucket other than the named ones changed.
func sameExcept(t *testing.T, before, after map[string]map[string]string, changed ...string) {
	t.Helper()
	skip := map[string]bool{}
	for _, c := range changed {
		skip[c] = true
	}
	for name, b := range before {
		if skip[name] {
			continue
		}
		a := after[name]
		if len(a) != len(b) {
			t.Errorf("bucket %s: %d entries before, %d after", name, len(b), len(a))
			continue
		}
		for k, v := range b {
			if a[k] != v {
				t.Errorf("bucket %s key %x changed", name, k)
			}
		}
	}
}

// TestMigrationTo2 indexes progress updates by finding, and touches nothing
// else.
func TestMigrationTo2(t *testing.T) {
	before, after := runMigration(t, 2)
	if _, ok := before["updates_by_finding"]; ok {
		t.Fatal("the version 1 fixture already has updates_by_finding")
	}
	want := map[string]string{string(pairKey(1, 1)): "", string(pairKey(1, 2)): ""}
	if got := after["updates_by_finding"]; len(got) != len(want) {
		t.Errorf("updates_by_finding = %q, want %q", got, want)
	} else {
		for k := range want {
			if _, ok := got[k]; !ok {
				t.Errorf("updates_by_finding lacks %x", k)
			}
		}
	}
	sameExcept(t, before, after, "updates_by_finding")
}

// TestMigrationTo3 writes each event's time into a finding's history index,
// and touches nothing else.
func TestMigrationTo3(t *testing.T) {
	before, after := runMigration(t, 3)
	k := string(pairKey(1, 1))
	if v := before["audit_by_finding"][k]; v != "" {
		t.Fatalf("the version 2 fixture's history index already has a time: %x", v)
	}
	got, ok := readAuditTime([]byte(after["audit_by_finding"][k]))
	if !ok || !got.Equal(fixtureTime) {
		t.Errorf("history index time = %v (%v), want %v", got, ok, fixtureTime)
	}
	sameExcept(t, before, after, "audit_by_finding")
}

// TestOpenShippedVersions opens every shipped version's file with today's
// app: it is brought to the current schema, reads as it was written, passes
// the check, and takes a write.
func TestOpenShippedVersions(t *testing.T) {
	for v := range shippedFixtures {
		t.Run(fmt.Sprintf("v%d", v), func(t *testing.T) {
			path := copyFixture(t, v)
			s, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(24 * time.Hour) }})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.db.View(func(tx *bolt.Tx) error {
				if got := btoi(tx.Bucket(bucketMeta).Get(keySchema)); got != SchemaVersion {
					return fmt.Errorf("schema version %d after opening, want %d", got, SchemaVersion)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			err = s.View(ctx, func(tx model.ReadTx) error {
				f, err := tx.FindingByRef("KEN-PEEL2122-AFI-01")
				if err != nil {
					return err
				}
				if f.Title != "Domestic abuse team resourcing" || f.Status != model.InProgress {
					t.Errorf("finding read back as %+v", f)
				}
				us, err := tx.Updates(f.ID)
				if err != nil {
					return err
				}
				if len(us) != 2 || us[0].Narrative != "Business case approved." || us[1].Narrative != "Six investigators recruited." {
					t.Errorf("updates read back as %+v", us)
				}
				evs, err := tx.(model.AuditBetweener).AuditBetween(f.ID, fixtureTime.Add(-time.Hour), fixtureTime)
				if err != nil {
					return err
				}
				if len(evs) != 1 || evs[0].Summary != "Finding KEN-PEEL2122-AFI-01 added" {
					t.Errorf("history as at the fixture's time: %+v", evs)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if problems, err := s.Check(); err != nil || len(problems) > 0 {
				t.Errorf("check after opening: %v %v", problems, err)
			}
			u := model.Update{FindingID: 1, Date: model.MustDate("01/10/2024"), Narrative: "Twelve in post.", Status: model.CompletePending, RAG: model.Blue}
			if err := s.Update(ctx, model.Actor{}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
				t.Fatal(err)
			}
			if u.ID != 3 {
				t.Errorf("the new update got ID %d, want 3", u.ID)
			}
		})
	}
}
