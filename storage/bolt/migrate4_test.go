package bolt

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// TestMigrationTo4 puts every record of the version 3 fixture in its
// envelope, with the checksum of its section, key and JSON, and chains the
// history: the payloads are the records as they were (the one event, the
// first of the chain, holds no hash and so encodes as it did); the indexes,
// counters and attached files are untouched.
func TestMigrationTo4(t *testing.T) {
	before, after := runMigration(t, 4)
	var names []string
	for _, b := range sealedBuckets {
		names = append(names, string(b))
	}
	sameExcept(t, before, after, names...)
	n := 0
	for _, name := range names {
		if len(after[name]) != len(before[name]) {
			t.Errorf("%s: %d records before, %d after", name, len(before[name]), len(after[name]))
		}
		for k, old := range before[name] {
			sealedValue := []byte(after[name][k])
			payload, err := unseal([]byte(name), []byte(k), sealedValue)
			if err != nil {
				t.Errorf("%s %x: %v", name, k, err)
				continue
			}
			if sealedValue[0] != envelopeMark || len(sealedValue) != len(payload)+envelopeSize {
				t.Errorf("%s %x: envelope % x", name, k, sealedValue[:envelopeSize])
			}
			if !bytes.Equal(payload, []byte(old)) {
				t.Errorf("%s %x: payload %s, want %s", name, k, payload, old)
			}
			n++
		}
	}
	// settings, a report, a finding, two updates and an event.
	if n != 6 {
		t.Errorf("%d records sealed, want 6", n)
	}
	var ev model.AuditEvent
	if err := json.Unmarshal([]byte(after["audit"][string(itob(1))][envelopeSize:]), &ev); err != nil || ev.Prev != "" || ev.Summary != "Finding KEN-PEEL2122-AFI-01 added" {
		t.Errorf("the event reads back as %+v (%v)", ev, err)
	}
	// Another key, or another section, gives another checksum: a record
	// moved is found out as surely as one whose bytes changed.
	v := []byte(after["updates"][string(itob(1))])
	if _, err := unseal(bucketUpdates, itob(2), v); err == nil {
		t.Error("update 1's envelope checks under key 2")
	}
	if _, err := unseal(bucketMilestones, itob(1), v); err == nil {
		t.Error("update 1's envelope checks in the milestones section")
	}
}

// TestMigrationTo4Chains chains a history of several events, in the order
// they were recorded, on a copy of the version 3 fixture given two more.
func TestMigrationTo4Chains(t *testing.T) {
	db, err := bolt.Open(copyFixture(t, 3), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		for i, summary := range []string{"Update added", "Status changed"} {
			id, _ := b.NextSequence()
			raw, _ := json.Marshal(model.AuditEvent{ID: model.ID(id), At: fixtureTime.Add(time.Duration(i+1) * time.Hour), Who: "Improvement Team",
				Action: model.ActionChange, Entity: model.EntityFinding, EntityID: 1, FindingID: 1, Summary: summary})
			if err := b.Put(itob(id), raw); err != nil {
				return err
			}
		}
		return sealRecords(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	var events []model.AuditEvent
	err = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var ev model.AuditEvent
			err := (&records{tx: tx}).decode(bucketAudit, k, v, &ev)
			events = append(events, ev)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || events[0].Prev != "" || events[1].Prev != model.AuditHash(events[0]) || events[2].Prev != model.AuditHash(events[1]) {
		t.Fatalf("history after the upgrade: %+v", events)
	}
	if p := model.CheckAuditChain(events); len(p) != 0 {
		t.Errorf("the upgraded history does not check: %q", p)
	}
	events[1].Summary = "altered"
	if p := model.CheckAuditChain(events); len(p) != 1 {
		t.Errorf("an altered event: %q", p)
	}
}
