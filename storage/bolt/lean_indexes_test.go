package bolt

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
	"improvementtracker/sample"
)

// headsOf reads every entry of the index of update heads, by update ID.
func headsOf(t *testing.T, tx *bolt.Tx) map[model.ID]model.Update {
	t.Helper()
	out := map[model.ID]model.Update{}
	var h headReader
	err := tx.Bucket(bucketUpdateHeads).ForEach(func(k, v []byte) error {
		payload, err := unseal(bucketUpdateHeads, k, v)
		if err != nil {
			return fmt.Errorf("entry %d: %w", btoi(k), err)
		}
		var u model.Update
		if err := h.read(k, payload, &u); err != nil {
			return fmt.Errorf("entry %d: %w", btoi(k), err)
		}
		out[u.ID] = u
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// indexesMatch fails unless the indexes of version 5 stand for exactly the
// records of the file: each update's head equal, field by field, to the
// record as decoded with its narrative left out, each finding's latest
// narrative that of its newest update, and each event's key made of its
// own entity, action, time and ID. It returns how many updates and
// events it compared.
func indexesMatch(t *testing.T, db *bolt.DB) (updates, events int) {
	t.Helper()
	err := db.View(func(tx *bolt.Tx) error {
		heads := headsOf(t, tx)
		newest := map[model.ID]model.Update{}
		if err := tx.Bucket(bucketUpdates).ForEach(func(k, v []byte) error {
			payload, err := unseal(bucketUpdates, k, v)
			if err != nil {
				return err
			}
			_ = payload
			var rec model.Update
			if err := (&records{tx: tx}).decode(bucketUpdates, k, v, &rec); err != nil {
				return err
			}
			head, ok := heads[model.ID(btoi(k))]
			if !ok {
				t.Errorf("update %d has no entry in the index", btoi(k))
				return nil
			}
			delete(heads, head.ID)
			if cur, ok := newest[rec.FindingID]; !ok || rec.Date.After(cur.Date) || rec.Date == cur.Date && rec.ID > cur.ID {
				newest[rec.FindingID] = rec
			}
			rec.Narrative = ""
			if !reflect.DeepEqual(head, rec) {
				t.Errorf("update %d: index entry\n%+v\nrecord\n%+v", btoi(k), head, rec)
			}
			updates++
			return nil
		}); err != nil {
			return err
		}
		for id := range heads {
			t.Errorf("the index has update %d, which is not in the register", id)
		}
		got := map[model.ID]string{}
		if err := tx.Bucket(bucketLatestNarratives).ForEach(func(k, v []byte) error {
			id, narrative, err := readLatest(k, v)
			got[model.ID(btoi(k))] = fmt.Sprintf("%d %s", id, narrative)
			return err
		}); err != nil {
			return err
		}
		for f, u := range newest {
			if want := fmt.Sprintf("%d %s", u.ID, u.Narrative); got[f] != want {
				t.Errorf("finding %d's latest narrative is %q, want %q", f, got[f], want)
			}
			delete(got, f)
		}
		for f, v := range got {
			t.Errorf("finding %d, with no updates, has a latest narrative: %q", f, v)
		}
		want := map[string]bool{}
		if err := tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			payload, err := unseal(bucketAudit, k, v)
			if err != nil {
				return err
			}
			ev, err := eventOf(payload)
			if err != nil {
				return err
			}
			hk, err := historyKey(model.ID(btoi(k)), ev.At, ev.Entity, ev.Action)
			if err != nil {
				return err
			}
			want[string(hk)] = true
			events++
			v = tx.Bucket(bucketAuditByTime).Get(hk)
			whole := keepsEventWhole(ev.Action, ev.Entity)
			if (keepsEventHead(ev.Action, ev.Entity) || whole) != (len(v) > 0) {
				t.Errorf("event %d (%s %s): entry holds %d bytes", ev.ID, ev.Action, ev.Entity, len(v))
			} else if len(v) > 0 {
				e, _ := readHistoryKey(hk)
				payload, err := unseal(bucketAuditByTime, hk, v)
				if err != nil {
					return err
				}
				if (payload[0] == eventWholeFormat) != whole {
					t.Errorf("event %d (%s %s): entry of form %d", ev.ID, ev.Action, ev.Entity, payload[0])
				}
				var got, lean model.AuditEvent
				if _, err := readEventEntry(e, payload, whole, false, &got); err != nil {
					return err
				}
				if _, err := readEventEntry(e, payload, whole, true, &lean); err != nil {
					return err
				}
				if !whole {
					ev.Changes = nil
				}
				// An event whole as a snapshot reads it: the words
				// passed over. (It reads no creation.)
				if want := model.ForHistory([]model.AuditEvent{clone(ev)}); whole && (len(want) != 1 || !reflect.DeepEqual(lean, want[0])) {
					t.Errorf("event %d's entry for a snapshot\n got %+v\nwant %+v", ev.ID, lean, want)
				}
				if whole && (lean.Who != "" || lean.Summary != "" || lean.Prev != "") {
					t.Errorf("event %d's entry for a snapshot keeps its words: %+v", ev.ID, lean)
				}
				if !reflect.DeepEqual(got, ev) {
					t.Errorf("event %d's entry\n got %+v\nwant %+v", ev.ID, got, ev)
				}
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketAuditByTime).ForEach(func(k, _ []byte) error {
			if !want[string(k)] {
				e, _ := readHistoryKey(k)
				t.Errorf("the history index has an entry for no event: %+v", e)
			}
			delete(want, string(k))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketAuditByTime).Stats().KeyN; return nil })
	if n != events {
		t.Errorf("the history index has %d entries for %d events", n, events)
	}
	return updates, events
}

// TestMigrationTo5 builds the three indexes from the version 4 fixture's
// records, and touches nothing else.
func TestMigrationTo5(t *testing.T) {
	before, after := runMigration(t, 5)
	for _, name := range []string{"update_heads", "audit_by_time"} {
		if _, ok := before[name]; ok {
			t.Fatalf("the version 4 fixture already has %s", name)
		}
	}
	sameExcept(t, before, after, "update_heads", "latest_narratives", "audit_by_time")
	if len(after["update_heads"]) != 2 || len(after["audit_by_time"]) != 1 {
		t.Fatalf("%d update heads and %d history entries, want 2 and 1", len(after["update_heads"]), len(after["audit_by_time"]))
	}
	// The fixture's records, field by field.
	var h headReader
	for id, want := range map[uint64]model.Update{
		1: {ID: 1, FindingID: 1, Date: model.MustDate("01/04/2024"), Status: model.InProgress, RAG: model.Amber, Author: "Improvement Team", Recorded: fixtureTime},
		2: {ID: 2, FindingID: 1, Date: model.MustDate("01/07/2024"), Status: model.InProgress, RAG: model.Amber, Author: "Improvement Team", Recorded: fixtureTime},
	} {
		k := itob(id)
		payload, err := unseal(bucketUpdateHeads, k, []byte(after["update_heads"][string(k)]))
		if err != nil {
			t.Fatalf("update %d: %v", id, err)
		}
		var got model.Update
		if err := h.read(k, payload, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("update %d's head\n got %+v\nwant %+v", id, got, want)
		}
	}
	k := itob(1)
	if got, want := after["latest_narratives"][string(k)], string(seal(bucketLatestNarratives, k, latestValue(2, "Six investigators recruited."))); got != want || len(after["latest_narratives"]) != 1 {
		t.Errorf("latest narratives %q, want the finding's entry %q", after["latest_narratives"], want)
	}
	hk, err := historyKey(1, fixtureTime, model.EntityFinding, model.ActionCreate)
	if err != nil {
		t.Fatal(err)
	}
	v, ok := after["audit_by_time"][string(hk)]
	if !ok {
		t.Fatalf("the history index lacks the fixture's event; it has %q", after["audit_by_time"])
	}
	// A creation: the entry keeps its head.
	e, _ := readHistoryKey([]byte(hk))
	payload, err := unseal(bucketAuditByTime, hk, []byte(v))
	if err != nil {
		t.Fatal(err)
	}
	var head model.AuditEvent
	if err := readEventHead(e, payload, &head); err != nil {
		t.Fatal(err)
	}
	want := model.AuditEvent{ID: 1, At: fixtureTime, Who: "Improvement Team", Action: model.ActionCreate,
		Entity: model.EntityFinding, EntityID: 1, FindingID: 1, Summary: "Finding KEN-PEEL2122-AFI-01 added"}
	if !reflect.DeepEqual(head, want) {
		t.Errorf("the event's head\n got %+v\nwant %+v", head, want)
	}
}

// TestHeadKeepsTimeZones: a head gives back the recorded time as decoding
// the record's JSON does, whatever zone it was written in.
func TestHeadKeepsTimeZones(t *testing.T) {
	at := time.Date(2026, 3, 14, 10, 22, 33, 123456789, time.UTC)
	for _, rec := range []time.Time{
		{}, at, at.Truncate(time.Second), at.In(time.Local), at.In(time.FixedZone("BST", 3600)),
		at.In(time.FixedZone("", 0)), at.In(time.FixedZone("IST", 5*3600+1800)), at.In(time.FixedZone("", -7*3600)),
		time.Date(1850, 1, 1, 0, 0, 0, 1, time.UTC),
	} {
		u := model.Update{ID: 7, FindingID: 3, Date: model.MustDate("14/03/2026"), Narrative: "Done.", Status: model.CompletePending,
			RAG: model.Blue, Author: "Ç Øwen", Source: "imported from Q3 return.xlsx", Recorded: rec, Sample: true}
		raw, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var want model.Update
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		want.Narrative = ""
		head, err := headOf(raw)
		if err != nil {
			t.Fatal(err)
		}
		var got model.Update
		var h headReader
		if err := h.read(itob(7), appendHead(nil, &head), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("recorded %s: head\n got %+v\nwant %+v", rec, got, want)
		}
	}
}

// sampleStore is the sample register in a new file, on a clock that tests
// move on.
func sampleStore(t *testing.T, now *time.Time) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "register.db")
	s, err := Open(path, Options{Now: func() time.Time { return *now }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	return s, path
}

// TestLeanIndexesFollowWrites: the indexes stay equal to the records through
// every kind of write: updates added, replaced with another date and
// deleted, and history entries added and replaced with another time, as
// copying a register in does.
func TestLeanIndexesFollowWrites(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, _ := sampleStore(t, &now)
	ctx := context.Background()
	now = now.Add(24 * time.Hour)
	err := s.Update(ctx, model.Actor{Who: "tester"}, func(tx model.Tx) error {
		f := must(tx.Findings())[0]
		return tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(now), Narrative: "Later news", Status: model.InProgress, RAG: model.Red})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.UpdateRecords(ctx, func(rec model.RecordWriter) error {
		var us []model.Update
		if err := rec.LoadAll(model.KindUpdate, 0, &us); err != nil {
			return err
		}
		us[0].Date, us[0].Status = us[0].Date.AddDays(-40), model.NotStarted
		if err := rec.Put(model.KindUpdate, us[0].ID, &us[0]); err != nil {
			return err
		}
		if err := rec.Delete(model.KindUpdate, us[1].ID); err != nil {
			return err
		}
		// Each finding's newest: one deleted, one dated before the
		// others, so that the next newest takes its place.
		newest := map[model.ID]model.Update{}
		for _, u := range us[2:] {
			if cur, ok := newest[u.FindingID]; !ok || !u.Date.Before(cur.Date) {
				newest[u.FindingID] = u
			}
		}
		n := 0
		for _, u := range newest {
			switch n {
			case 0:
				if err := rec.Delete(model.KindUpdate, u.ID); err != nil {
					return err
				}
			case 1:
				u.Date = model.MustDate("01/01/2001")
				if err := rec.Put(model.KindUpdate, u.ID, &u); err != nil {
					return err
				}
			}
			n++
		}
		if n < 3 {
			return fmt.Errorf("only %d findings with updates", n)
		}
		// The newest, which no entry follows in the chain.
		var ev model.AuditEvent
		if _, err := rec.Last(model.KindAudit, &ev); err != nil {
			return err
		}
		ev.At, ev.Action = ev.At.Add(-time.Hour), model.ActionChange
		return rec.Put(model.KindAudit, ev.ID, &ev)
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, m := indexesMatch(t, s.db); n < 10 || m < 10 {
		t.Errorf("only %d updates and %d events compared", n, m)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check: %v %v", problems, err)
	}
}

// TestMissingIndexRebuilt: a file whose indexes of version 5 have gone
// missing is read without them when opened for reading only, giving the
// same register, and has them built again when opened for writing. (The
// narratives by date are where the narratives are kept from version 8:
// TestLostNarrativesSaid.)
func TestMissingIndexRebuilt(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, path := sampleStore(t, &now)
	first, last := model.MustDate("01/01/2025"), model.MustDate("30/06/2025")
	read := func(s *Store) (us []model.Update, evs []model.AuditEvent) {
		t.Helper()
		err := s.ViewRecords(context.Background(), func(rec model.Records) error {
			if err := rec.(model.UpdateHeadLister).LoadUpdateHeads(first, last, model.Date{}, &us); err != nil {
				return err
			}
			var err error
			evs, err = rec.(model.HistorySincer).HistorySince(time.Time{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return us, evs
	}
	wantUs, wantEvs := read(s)
	if len(wantUs) == 0 || len(wantEvs) == 0 {
		t.Fatal("the sample has no updates or history to compare")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		for _, ix := range leanIndexes() {
			if ix.version != 5 {
				continue
			}
			if err := tx.DeleteBucket(ix.name); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	ro, err := Open(path, Options{ReadOnly: true, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	gotUs, gotEvs := read(ro)
	problems, err := ro.Check()
	ro.Close()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, name := range []string{"update_heads", "latest_narratives", "audit_by_time"} {
		want = append(want, "Indexes: the "+name+" section is missing: opening the register for writing builds it again from the records")
	}
	if !reflect.DeepEqual(problems, want) {
		t.Errorf("check without the indexes:\n%s\nwant\n%s", strings.Join(problems, "\n"), strings.Join(want, "\n"))
	}
	// Read from the records, the narratives of the latest updates before
	// first are left to the snapshot to read.
	for i := range wantUs {
		if wantUs[i].Narrative != "" && gotUs[i].Narrative == "" && wantUs[i].Date.Before(first) {
			wantUs[i].Narrative = ""
		}
	}
	if !reflect.DeepEqual(gotUs, wantUs) || !reflect.DeepEqual(gotEvs, wantEvs) {
		t.Errorf("read only without the indexes: %d updates and %d events, want %d and %d, or they differ", len(gotUs), len(gotEvs), len(wantUs), len(wantEvs))
	}

	rw, err := Open(path, Options{NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if n, m := indexesMatch(t, rw.db); n != len(wantUs) || m == 0 {
		t.Errorf("rebuilt indexes compared %d updates and %d events, want %d updates", n, m, len(wantUs))
	}
	if problems, err := rw.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check after rebuilding: %v %v", problems, err)
	}
}

// TestCheckFindsIndexDisagreement: check says, in words, when an index of
// version 5 lacks an entry, has one too many, says something other than its
// record or is damaged; and reading the register as it stood says the index
// is damaged rather than give a wrong narrative.
func TestCheckFindsIndexDisagreement(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, path := sampleStore(t, &now)
	// u is an update that is not its finding's latest, newest is the
	// latest.
	var u, newest model.Update
	var f model.Finding
	var ev model.AuditEvent
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		for _, x := range must(tx.Findings()) {
			if us := must(tx.Updates(x.ID)); len(us) > 1 {
				u, newest, f = us[0], us[len(us)-1], x
				break
			}
		}
		ev = must(tx.Audit(0))[0]
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	updateName := fmt.Sprintf("the progress update of %s on %s (record %d)", u.Date, f.Ref, u.ID)
	recordName := fmt.Sprintf("progress update %s on %s (record %d)", u.Date, f.Ref, u.ID)
	evKey, err := historyKey(ev.ID, ev.At, ev.Entity, ev.Action)
	if err != nil {
		t.Fatal(err)
	}
	wrongStatus := u
	wrongStatus.Status = model.Closed
	extra := map[string]struct {
		also string // a second problem check finds
		none bool   // check finds nothing
	}{
		"other narrative by date": {none: true},
		"damaged narrative by date": {also: "Damaged records: " + recordName +
			" is damaged: its narrative, kept in the index of progress narratives by date, fails its check: its stored bytes no longer match their checksum."},
	}
	for _, c := range []struct {
		name   string
		change func(tx *bolt.Tx) error
		want   string
		read   bool // reading the latest narrative finds it
	}{
		{"missing update", func(tx *bolt.Tx) error { return tx.Bucket(bucketUpdateHeads).Delete(itob(uint64(u.ID))) },
			"Indexes: " + updateName + " is missing from the index of progress updates", false},
		{"extra update", func(tx *bolt.Tx) error {
			k := itob(999999)
			return tx.Bucket(bucketUpdateHeads).Put(k, seal(bucketUpdateHeads, k, appendHead(nil, &u)))
		}, "Indexes: the index of progress updates lists record 999999, which is not a progress update in the register", false},
		{"other status", func(tx *bolt.Tx) error {
			k := itob(uint64(u.ID))
			return tx.Bucket(bucketUpdateHeads).Put(k, seal(bucketUpdateHeads, k, appendHead(nil, &wrongStatus)))
		}, "Indexes: the index of progress updates gives another status for " + updateName + " than the update's own", false},
		{"damaged update entry", func(tx *bolt.Tx) error {
			k := itob(uint64(u.ID))
			v := seal(bucketUpdateHeads, k, appendHead(nil, &u))
			v[len(v)-3] ^= 4
			return tx.Bucket(bucketUpdateHeads).Put(k, v)
		}, fmt.Sprintf("Indexes: the entry for record %d in the index of progress updates is damaged: its stored bytes no longer match their checksum.", u.ID), true},
		{"missing latest narrative", func(tx *bolt.Tx) error { return tx.Bucket(bucketLatestNarratives).Delete(itob(uint64(f.ID))) },
			fmt.Sprintf("Indexes: the latest progress update of %s, of %s (record %d), is missing from the index of each finding's latest progress narrative", f.Ref, newest.Date, newest.ID), false},
		{"other latest narrative", func(tx *bolt.Tx) error {
			k := itob(uint64(f.ID))
			return tx.Bucket(bucketLatestNarratives).Put(k, seal(bucketLatestNarratives, k, latestValue(newest.ID, "Something else")))
		}, fmt.Sprintf("Indexes: the index of each finding's latest progress narrative gives another update or narrative for %s than its latest progress update, of %s (record %d)", f.Ref, newest.Date, newest.ID), false},
		{"latest narrative of no update", func(tx *bolt.Tx) error {
			k := itob(999999)
			return tx.Bucket(bucketLatestNarratives).Put(k, seal(bucketLatestNarratives, k, latestValue(newest.ID, "Something else")))
		}, "Indexes: the index of each finding's latest progress narrative has an entry for finding 999999, which has no progress updates", false},
		{"damaged latest narrative", func(tx *bolt.Tx) error {
			k := itob(uint64(f.ID))
			v := seal(bucketLatestNarratives, k, latestValue(newest.ID, newest.Narrative))
			v[len(v)-3] ^= 4
			return tx.Bucket(bucketLatestNarratives).Put(k, v)
		}, fmt.Sprintf("Indexes: the entry for record %d in the index of each finding's latest progress narrative is damaged: its stored bytes no longer match their checksum.", f.ID), false},
		// From version 8 the entries by date are where the narratives are
		// kept (update_apart.go): an entry missing or damaged is the
		// update's narrative lost, and named as the update's damage.
		{"missing narrative by date", func(tx *bolt.Tx) error { return tx.Bucket(bucketNarrativesByDate).Delete(byDateKey(u.Date, u.ID)) },
			"Damaged records: " + recordName + " is damaged: its narrative is missing from the index of progress narratives by date.", true},
		{"narrative by date of no update", func(tx *bolt.Tx) error {
			k := byDateKey(u.Date, 999999)
			return tx.Bucket(bucketNarrativesByDate).Put(k, seal(bucketNarrativesByDate, k, []byte("Something else")))
		}, "Indexes: the index of progress narratives by date lists record 999999, which is not a progress update in the register", false},
		// A narrative changed in its entry, checksum and all, is the
		// narrative changed, as one changed in the record was before.
		{"other narrative by date", func(tx *bolt.Tx) error {
			k := byDateKey(u.Date, u.ID)
			return tx.Bucket(bucketNarrativesByDate).Put(k, seal(bucketNarrativesByDate, k, []byte("Something else")))
		}, "", false},
		{"narrative by date under another date", func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketNarrativesByDate)
			if err := b.Delete(byDateKey(u.Date, u.ID)); err != nil {
				return err
			}
			k := byDateKey(u.Date.AddDays(-1), u.ID)
			return b.Put(k, seal(bucketNarrativesByDate, k, []byte(u.Narrative)))
		}, "Damaged records: " + recordName + " is damaged: its narrative is missing from the index of progress narratives by date.", true},
		{"damaged narrative by date", func(tx *bolt.Tx) error {
			k := byDateKey(u.Date, u.ID)
			v := seal(bucketNarrativesByDate, k, []byte(u.Narrative))
			v[len(v)-3] ^= 4
			return tx.Bucket(bucketNarrativesByDate).Put(k, v)
		}, fmt.Sprintf("Indexes: the entry for record %d in the index of progress narratives by date is damaged: its stored bytes no longer match their checksum.", u.ID), true},
		{"missing event", func(tx *bolt.Tx) error { return tx.Bucket(bucketAuditByTime).Delete(evKey) },
			"Indexes: " + eventName(ev) + " is missing from the index of the history by time", false},
		{"other event head", func(tx *bolt.Tx) error {
			other := ev
			other.Who, other.Changes = "Someone Else", nil
			return tx.Bucket(bucketAuditByTime).Put(evKey, seal(bucketAuditByTime, evKey, appendEventHead(nil, &other)))
		}, "Indexes: the index of the history by time gives another account of " + eventName(ev) + " than the entry's own", false},
		{"extra event", func(tx *bolt.Tx) error {
			k, _ := historyKey(999999, ev.At, ev.Entity, ev.Action)
			return tx.Bucket(bucketAuditByTime).Put(k, nil)
		}, "Indexes: the index of the history by time names history entry 999999, which does not exist", false},
		{"other time", func(tx *bolt.Tx) error {
			k, _ := historyKey(ev.ID, ev.At.Add(time.Second), ev.Entity, ev.Action)
			return tx.Bucket(bucketAuditByTime).Put(k, nil)
		}, "Indexes: the index of the history by time gives another time, action or kind of record for " + eventName(ev), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "register.db")
			if err := os.WriteFile(p, base, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(p, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Update(c.change); err != nil {
				t.Fatal(err)
			}
			db.Close()
			st, err := Open(p, Options{NoBackup: true})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			problems, err := st.Check()
			if err != nil {
				t.Fatal(err)
			}
			x := extra[c.name]
			n := 1
			if x.also != "" {
				n = 2
			}
			switch {
			case x.none && len(problems) > 0:
				t.Errorf("check says\n%s\nwant nothing", strings.Join(problems, "\n"))
			case x.none:
			case c.want != "" && (!slices.Contains(problems, c.want) || x.also != "" && !slices.Contains(problems, x.also) || len(problems) != n):
				t.Errorf("check says\n%s\nwant\n%s\n%s", strings.Join(problems, "\n"), c.want, x.also)
			case c.want == "" && len(problems) != 2:
				t.Errorf("check says\n%s\nwant two problems", strings.Join(problems, "\n"))
			}
			if !c.read {
				return
			}
			err = st.ViewRecords(context.Background(), func(rec model.Records) error {
				var us []model.Update
				return rec.(model.UpdateHeadLister).LoadUpdateHeads(u.Date, u.Date, model.Date{}, &us)
			})
			index := "progress updates"
			if strings.Contains(c.name, "by date") {
				index = "progress narratives by date"
			}
			want := fmt.Sprintf("the entry for record %d in the index of %s is damaged", u.ID, index)
			if !errors.Is(err, model.ErrDamaged) || !strings.Contains(err.Error(), want) {
				t.Errorf("reading the heads: %v", err)
			}
		})
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// clone copies an event with its changes, which ForHistory rewrites in
// place.
func clone(ev model.AuditEvent) model.AuditEvent {
	ev.Changes = append([]model.FieldChange(nil), ev.Changes...)
	return ev
}

// TestLeanSealsNameTheRecord: a damaged entry of the index of narratives by
// date, found by a backup's check, is named by the update it stands for,
// whose number is after the date in its key.
func TestLeanSealsNameTheRecord(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	s, path := sampleStore(t, &now)
	var u model.Update
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		u = must(tx.Updates(0))[0]
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		k := byDateKey(u.Date, u.ID)
		v := seal(bucketNarrativesByDate, k, []byte(u.Narrative))
		v[len(v)-1] ^= 4
		return tx.Bucket(bucketNarrativesByDate).Put(k, v)
	}); err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx *bolt.Tx) error { return checkLeanSeals(tx, &records{tx: tx}) })
	want := fmt.Sprintf("the entry for record %d in %s is damaged", u.ID, byDateIndexName)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("the check of a damaged entry by date: %v\nwant %q", err, want)
	}
}
