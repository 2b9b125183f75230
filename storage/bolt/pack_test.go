package bolt

import (
	"bytes"
	"context"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// packWords make the narratives of registerToPack: repetitive, as a
// register's are, and not all alike.
var packWords = []string{"recruitment", "training", "vetting", "the review board", "case file audit", "supervision",
	"victim contact", "the action plan", "£40,000 budget", "café meetings", "“quoted” words", "the <crime> team"}

// registerToPack is a register as the version 9 app left it with enough
// narratives and events to train dictionaries from: the version 9
// fixture opened by this version (which finds too few values to train
// from, so writes them plain, as version 9 did), given 300 updates, and
// marked version 9 again so that the step to 10 runs on it.
func registerToPack(t *testing.T) string {
	t.Helper()
	path := copyFixture(t, 9)
	s, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(48 * time.Hour) }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 300; i++ {
		n := fmt.Sprintf("Quarter %d: %s and %s moved on; %d of %d actions complete, %s next.", i,
			packWords[r.Intn(len(packWords))], packWords[r.Intn(len(packWords))], r.Intn(9), 9, packWords[r.Intn(len(packWords))])
		u := model.Update{FindingID: 1, Date: model.NewDate(2020+i/40, time.Month(1+i%12), 1+i%28), Narrative: n,
			Status: model.InProgress, RAG: model.Amber}
		if err := s.Update(context.Background(), model.Actor{Who: "Improvement Team"}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketMeta).Get(keyDictEvents) != nil {
			t.Fatal("a dictionary was trained outside the upgrade")
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(9))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// sameTexts reports each event and update that reads back otherwise than
// it did (storedTexts before and after).
func sameTexts(t *testing.T, events, updates, eventsNow, updatesNow map[string]string) {
	t.Helper()
	for k, e := range events {
		if eventsNow[k] != e {
			t.Errorf("event %d reads back as %s, was %s", btoi([]byte(k)), eventsNow[k], e)
		}
	}
	for k, u := range updates {
		if updatesNow[k] != u {
			t.Errorf("update %d reads back as %s, was %s", btoi([]byte(k)), updatesNow[k], u)
		}
	}
}

// storedTexts reads every event (its JSON, whose hash chains the trail)
// and every update (with its narrative) through the record readers.
func storedTexts(t *testing.T, db *bolt.DB) (events, updates map[string]string) {
	t.Helper()
	events, updates = map[string]string{}, map[string]string{}
	if err := db.View(func(tx *bolt.Tx) error {
		r := &records{tx: tx}
		if err := tx.Bucket(bucketAudit).ForEach(func(k, v []byte) error {
			var ev model.AuditEvent
			if err := r.decode(bucketAudit, k, v, &ev); err != nil {
				return err
			}
			events[string(k)] = model.AuditHash(ev) + string(mustMarshal(t, ev))
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketUpdates).ForEach(func(k, v []byte) error {
			var u model.Update
			if err := r.decode(bucketUpdates, k, v, &u); err != nil {
				return err
			}
			updates[string(k)] = string(mustMarshal(t, u))
			return nil
		})
	}); err != nil {
		t.Fatal(err)
	}
	return events, updates
}

// packedShare is how many of a section's values are stored compressed,
// and its bytes.
func packedShare(section map[string]string) (packed, size int) {
	for _, v := range section {
		if len(v) > 0 && v[0] == packedMark {
			packed++
		}
		size += len(v)
	}
	return packed, size
}

// TestMigrationTo10 compresses the trail's events and the history by
// time's copies of events with dictionaries trained from the
// register: every event reads back with the same hash and JSON, every
// update with the same narrative, the other sections are unchanged, and
// check finds nothing. On the version 9 fixture, with too few values to
// train from, it changes nothing.
func TestMigrationTo10(t *testing.T) {
	before, after := runMigration(t, 10)
	sameExcept(t, before, after)

	db, err := bolt.Open(registerToPack(t), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	path := db.Path()
	was := dump(t, db)
	events, updates := storedTexts(t, db)
	if len(events) < 300 || len(updates) < 300 {
		t.Fatalf("%d events and %d updates to compress", len(events), len(updates))
	}
	if err := db.Update(func(tx *bolt.Tx) error { return migrate(tx, 9) }); err != nil {
		t.Fatal(err)
	}
	now := dump(t, db)
	sameExcept(t, was, now, "meta", "audit", "audit_by_time")
	if len(now["meta"]["dict_events"]) == 0 {
		t.Fatal("no dictionary kept in the meta section")
	}
	eventsNow, updatesNow := storedTexts(t, db)
	sameTexts(t, events, updates, eventsNow, updatesNow)
	for _, name := range []string{"audit"} {
		packed, size := packedShare(now[name])
		_, had := packedShare(was[name])
		if packed*10 < len(now[name])*9 || size*10 > had*7 {
			t.Errorf("%s: %d of %d values compressed, %d bytes from %d", name, packed, len(now[name]), size, had)
		}
	}
	if packed, _ := packedShare(now["audit_by_time"]); packed == 0 || len(now["audit_by_time"]) != len(was["audit_by_time"]) {
		t.Errorf("the history by time: %d of %d entries compressed, had %d", packed, len(now["audit_by_time"]), len(was["audit_by_time"]))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(72 * time.Hour) }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check after the upgrade: %v %v", problems, err)
	}
	// A save after the upgrade has its event compressed too, and its
	// narrative stored plain (pack.go says why); both read back.
	u := model.Update{FindingID: 1, Date: model.MustDate("01/10/2024"), Narrative: "Recruitment and training moved on; the review board met; 8 of 9 actions complete.",
		Status: model.InProgress, RAG: model.Amber}
	ctx := context.Background()
	if err := s.Update(ctx, model.Actor{Who: "Improvement Team"}, func(tx model.Tx) error { return tx.AppendUpdate(&u) }); err != nil {
		t.Fatal(err)
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		k := byDateKey(u.Date, u.ID)
		if v := tx.Bucket(bucketNarrativesByDate).Get(k); len(v) == 0 || v[0] != envelopeMark {
			t.Errorf("a new narrative is stored as %q", v)
		}
		_, v := tx.Bucket(bucketAudit).Cursor().Last()
		if len(v) == 0 || v[0] != packedMark {
			t.Errorf("the new update's event is stored as %q", v)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.View(ctx, func(tx model.ReadTx) error {
		us, err := tx.Updates(1)
		found := 0
		for _, got := range us {
			if got.ID == u.ID && got.Narrative == u.Narrative || got.Narrative == "Business case approved." {
				found++
			}
		}
		if err == nil && (len(us) != 303 || found != 2) {
			t.Errorf("%d updates read back, %d of the two looked for", len(us), found)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// TestPackRoundTrip: values of every kind sealed with a dictionary unseal
// to the same bytes; those compression would not shorten are stored plain.
func TestPackRoundTrip(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	var train [][]byte
	for i := 0; i < 500; i++ {
		train = append(train, []byte(fmt.Sprintf("%s, %s and %s: %d actions complete.", packWords[r.Intn(len(packWords))], packWords[r.Intn(len(packWords))], packWords[r.Intn(len(packWords))], r.Intn(20))))
	}
	d, err := trainDict(train)
	if err != nil || d == nil {
		t.Fatalf("no dictionary: %v", err)
	}
	c, err := codecFor(d)
	if err != nil {
		t.Fatal(err)
	}
	noise := make([]byte, 1<<20)
	r.Read(noise)
	var big strings.Builder
	for big.Len() < 1<<20 {
		big.WriteString(packWords[r.Intn(len(packWords))] + " ")
	}
	cases := []struct {
		name   string
		value  []byte
		packed bool
	}{
		{"empty", nil, false},
		{"one byte", []byte("x"), false},
		{"unicode", []byte(strings.Repeat("Überprüfung — “café” £40 ✓ 警察 🚓, the review board and training. ", 4)), true},
		{"like the register's", []byte("Recruitment, training and the review board: 7 actions complete, victim contact next."), true},
		{"1 MB of text", []byte(big.String()), true},
		{"incompressible 1 MB", noise, false},
		{"incompressible 200 bytes", noise[:200], false},
		{"not UTF-8", append([]byte("café \xff\xfe training and vetting of the review board "), noise[:3]...), true},
	}
	key := itob(42)
	for _, tc := range cases {
		stored := sealPacked(c, bucketNarrativesByDate, key, tc.value)
		if got := len(stored) > 0 && stored[0] == packedMark; got != tc.packed {
			t.Errorf("%s: compressed %v, want %v (%d bytes from %d)", tc.name, got, tc.packed, len(stored), len(tc.value))
		}
		back, err := unseal(bucketNarrativesByDate, key, stored)
		if err != nil || !bytes.Equal(back, tc.value) {
			t.Errorf("%s: read back %d bytes (%v), want %d", tc.name, len(back), err, len(tc.value))
		}
		// Sealed for its key and section only.
		if _, err := unseal(bucketNarrativesByDate, itob(43), stored); err == nil {
			t.Errorf("%s: read back under another key", tc.name)
		}
	}
	// A damaged dictionary is refused rather than used.
	bad := bytes.Clone(d)
	bad[len(bad)/2] ^= 1
	if _, err := codecFor(bad); err == nil {
		t.Error("a damaged dictionary was taken")
	}
}

// TestPackedDamageNamed: a byte flipped in a compressed event is found by
// check and named.
func TestPackedDamageNamed(t *testing.T) {
	path := registerToPack(t)
	s, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(72 * time.Hour) }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, name := range [][]byte{bucketAudit} {
		if err := s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(name)
			c := b.Cursor()
			k, v := c.Last()
			for k != nil && v[0] != packedMark {
				k, v = c.Prev()
			}
			if k == nil {
				t.Fatalf("no compressed value in %s", name)
			}
			out := bytes.Clone(v)
			out[len(out)/2] ^= 0x10
			return b.Put(bytes.Clone(k), out)
		}); err != nil {
			t.Fatal(err)
		}
	}
	problems, err := s.Check()
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{"history entry", "checksum"} {
		if !strings.Contains(all, want) {
			t.Errorf("check does not say %q:\n%s", want, all)
		}
	}
}

// TestNewRegisterTrained: a register made by this version has nothing to
// train from when made; once it holds packTrainAt updates, the next open
// trains its dictionaries and compresses what it holds, which reads back
// the same and checks clean.
func TestNewRegisterTrained(t *testing.T) {
	s := openFixtureAt(t, 9)
	path := s.path
	ctx := context.Background()
	r := rand.New(rand.NewSource(11))
	if err := s.Update(ctx, model.Actor{Who: "Improvement Team"}, func(tx model.Tx) error {
		for i := 0; i < packTrainAt; i++ {
			u := model.Update{FindingID: 1, Date: model.NewDate(2000+i/300, time.Month(1+i%12), 1+i%28),
				Narrative: fmt.Sprintf("%s and %s: %d actions complete.", packWords[r.Intn(len(packWords))], packWords[r.Intn(len(packWords))], r.Intn(30)),
				Status:    model.InProgress, RAG: model.Amber}
			if err := tx.AppendUpdate(&u); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	events, updates := storedTexts(t, s.db)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path, Options{Now: func() time.Time { return fixtureTime.Add(72 * time.Hour) }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	eventsNow, updatesNow := storedTexts(t, s.db)
	if len(eventsNow) != len(events) || len(updatesNow) != len(updates) || len(updates) < packTrainAt {
		t.Fatalf("%d events and %d updates read back, %d and %d before", len(eventsNow), len(updatesNow), len(events), len(updates))
	}
	sameTexts(t, events, updates, eventsNow, updatesNow)
	if err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketAudit} {
			all, packed := 0, 0
			_ = tx.Bucket(name).ForEach(func(k, v []byte) error {
				all++
				if v[0] == packedMark {
					packed++
				}
				return nil
			})
			if packed*10 < all*9 {
				t.Errorf("%s: %d of %d values compressed", name, packed, all)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Errorf("check after training: %v %v", problems, err)
	}
}
