package bolt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// readStored decodes an event's stored payload as every reader does: the
// lean form, or the JSON.
func readStored(t *testing.T, payload []byte) model.AuditEvent {
	t.Helper()
	var ev model.AuditEvent
	r := &records{}
	key := itob(1)
	if err := r.decode(bucketAudit, key, seal(bucketAudit, key, payload), &ev); err != nil {
		t.Fatalf("stored event cannot be read: %v", err)
	}
	return ev
}

// randomText is a string of the kinds that go wrong: empty, quotes,
// backslashes, control characters, unicode outside the BMP, invalid
// UTF-8, HTML characters json escapes, and long.
func randomText(rnd *rand.Rand) string {
	pieces := []string{"", "a", "Ünïcødé ✓", "😀", `"quoted"`, `back\slash`, "tab\tnew\nline", "\x00\x01\x1f",
		"<b>&amp;</b>", "\u2028\u2029", "(none)", "yes", "no", "2025-10-01", "01/10/2025", " ", "null", "0"}
	var b strings.Builder
	for range rnd.IntN(6) {
		b.WriteString(pieces[rnd.IntN(len(pieces))])
	}
	if rnd.IntN(300) == 0 {
		// Not UTF-8: json writes it as \ufffd and reads back U+FFFD, so
		// such an event is no fixed point of its JSON, and is stored as
		// JSON.
		b.WriteString("\xff\xfe bad")
	}
	if rnd.IntN(40) == 0 {
		b.WriteString(strings.Repeat("long narrative text ", 5000+rnd.IntN(5000)))
	}
	return b.String()
}

// randomJSON is a stored value of one of the kinds a field holds, and the
// text the app (or someone else) might have written for it.
func randomJSON(rnd *rand.Rand) (js []byte, text string) {
	s := randomText(rnd)
	quoted, _ := json.Marshal(s)
	switch rnd.IntN(12) {
	case 0:
		return nil, "(none)"
	case 1:
		return quoted, s
	case 2:
		return quoted, randomText(rnd)
	case 3:
		return []byte(`"2025-10-01"`), "01/10/2025"
	case 4:
		return []byte(`"2025-10-01"`), "2025-10-01"
	case 5:
		return []byte("true"), "yes"
	case 6:
		return []byte("false"), "no"
	case 7:
		n := rnd.Int64N(1 << 40)
		js, _ := json.Marshal(n)
		return js, string(js)
	case 8:
		return []byte(`[{"date":"2025-01-01","reason":"a \"b\""},{}]`), "2 revisions"
	case 9:
		return []byte(`{"level":"OFFICIAL","descriptor":"SENSITIVE"}`), "OFFICIAL-SENSITIVE"
	case 10:
		return []byte(`""`), "(none)"
	}
	return []byte("1.5e3"), "1500"
}

func randomEvent(rnd *rand.Rand, id int) model.AuditEvent {
	names := []string{"title", "narrative", "rag", "owner_id", "a field of tomorrow", "", "RAG"}
	zones := []*time.Location{time.UTC, time.FixedZone("", 3600), time.FixedZone("", -(5*3600 + 30*60)), time.Local}
	ev := model.AuditEvent{
		ID:        model.ID(id),
		At:        time.Unix(rnd.Int64N(4e9)-1e9, rnd.Int64N(1e9)*int64(rnd.IntN(2))).In(zones[rnd.IntN(len(zones))]),
		Who:       randomText(rnd),
		Action:    []model.Action{model.ActionCreate, model.ActionChange, model.ActionDelete, "renamed"}[rnd.IntN(4)],
		Entity:    []model.Entity{model.EntityFinding, model.EntityUpdate, "thing"}[rnd.IntN(3)],
		EntityID:  model.ID(rnd.Uint64N(1 << 50)),
		FindingID: model.ID(rnd.Uint64N(1<<20) * uint64(rnd.IntN(2))),
		Summary:   randomText(rnd),
		Note:      randomText(rnd),
	}
	switch rnd.IntN(4) {
	case 1:
		sum := sha256.Sum256([]byte(ev.Summary))
		ev.Prev = hex.EncodeToString(sum[:])
	case 2:
		sum := sha256.Sum256([]byte(ev.Summary))
		ev.Prev = strings.ToUpper(hex.EncodeToString(sum[:]))
	case 3:
		ev.Prev = randomText(rnd)
	}
	for range rnd.IntN(8) {
		c := model.FieldChange{Field: names[rnd.IntN(len(names))], Label: names[rnd.IntN(len(names))]}
		c.BeforeJSON, c.Before = randomJSON(rnd)
		c.AfterJSON, c.After = randomJSON(rnd)
		ev.Changes = append(ev.Changes, c)
	}
	if rnd.IntN(10) == 0 {
		ev.Changes = []model.FieldChange{}
	}
	return ev
}

// TestLeanEventRoundTrip: every generated event, stored as the app stores
// it, reads back to an event whose JSON, and so its hash in the chain, is
// the same byte for byte; and nearly all are stored lean.
func TestLeanEventRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(8, 28))
	lean, plainSize, storedSize := 0, 0, 0
	const n = 3000
	for i := range n {
		ev := randomEvent(rnd, i+1)
		raw, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		stored := leanEvent(raw)
		if isLeanEvent(stored) {
			lean++
		} else if !bytes.Equal(stored, raw) {
			t.Fatalf("event %d stored neither lean nor as its JSON", i)
		}
		if len(raw) < 10_000 {
			plainSize, storedSize = plainSize+len(raw), storedSize+len(stored)
		}
		// As reading its JSON gives it: the same bytes as raw, but for
		// text that was not UTF-8, which json writes as \ufffd escapes
		// and reads back as U+FFFD (stored as JSON, as before).
		var want model.AuditEvent
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		got := readStored(t, stored)
		if again := mustMarshal(t, got); !bytes.Equal(again, mustMarshal(t, want)) {
			t.Fatalf("event %d reads back as\n%s\nwant\n%s", i, again, mustMarshal(t, want))
		}
		if isLeanEvent(stored) && model.AuditHash(got) != model.AuditHash(ev) {
			t.Fatalf("event %d hashes differently", i)
		}
		if isLeanEvent(stored) {
			if at, ok := eventTime(stored); !ok || !at.Equal(ev.At) {
				t.Fatalf("event %d: time read from the start %v %v, want %v", i, at, ok, ev.At)
			}
		}
	}
	if lean < n*95/100 {
		t.Errorf("%d of %d events stored lean, want at least 95%%", lean, n)
	}
	if storedSize >= plainSize*3/4 {
		t.Errorf("stored %d bytes for %d of JSON (events under 10 kB): want well under", storedSize, plainSize)
	}
	t.Logf("%d of %d lean; %d bytes stored for %d of JSON", lean, n, storedSize, plainSize)
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestLeanRulesFrozen fails if the lean form ever reads differently:
// events stored today are read by the same rules for ever, or their
// hashes, and so the chain, would break. A change to the form needs a
// new format byte, not an edit.
func TestLeanRulesFrozen(t *testing.T) {
	rules := []struct {
		rule textRule
		js   string
		want string
		ok   bool
	}{
		{textNone, `""`, "(none)", true},
		{textNone, ``, "(none)", true},
		{textString, `"plain"`, "plain", true},
		{textString, `"a \"q\" \u00e9\n"`, "a \"q\" é\n", true},
		{textString, `12`, "", false},
		{textRaw, `12.5`, "12.5", true},
		{textDate, `"2025-10-01"`, "01/10/2025", true},
		{textDate, `"2025/10/01"`, "", false},
		{textBool, `true`, "yes", true},
		{textBool, `false`, "no", true},
		{textBool, `1`, "", false},
		{textLiteral, `"x"`, "", false},
		{textRules, `"x"`, "", false},
	}
	for _, c := range rules {
		got, ok := ruleText(c.rule, []byte(c.js))
		if got != c.want || ok != c.ok {
			t.Errorf("rule %d on %s = %q %v, want %q %v", c.rule, c.js, got, ok, c.want, c.ok)
		}
	}
	if textRules != 6 || leanEventFormat != 0xA8 || prevNone != 0 || prevHash != 1 || prevText != 2 {
		t.Error("a rule's or form's number changed")
	}
	sum := sha256.Sum256([]byte(strings.Join(leanNames[:], "\n")))
	const namesSum = "d33bbb386e67ca92966e7a197ee39677fa64c58d12d043aaddff89d846ee086e"
	if got := hex.EncodeToString(sum[:]); got != namesSum {
		t.Errorf("leanNames changed (sum %s): add words at the end only, and update the sum here then", got)
	}
	// An event written today, stored as these bytes, reads back so.
	ev := model.AuditEvent{ID: 7, At: time.Date(2025, 10, 1, 9, 30, 0, 5, time.UTC), Who: "Improvement team",
		Action: model.ActionChange, Entity: model.EntityFinding, EntityID: 3, FindingID: 3,
		Summary: "Finding KEN-1 changed", Note: "reason: typo", Prev: strings.Repeat("0f", 32),
		Changes: []model.FieldChange{
			{Field: "title", Label: "title", Before: "Old", After: "New \"one\"", BeforeJSON: []byte(`"Old"`), AfterJSON: []byte(`"New \"one\""`)},
			{Field: "target_date", Label: "target date", Before: "(none)", After: "01/10/2025", AfterJSON: []byte(`"2025-10-01"`)},
			{Field: "owner_id", Label: "owner", Before: "#4", After: "7", BeforeJSON: []byte("4"), AfterJSON: []byte("7")},
			{Field: "shared", Label: "shared with the inspectorate", Before: "no", After: "yes", BeforeJSON: []byte("false"), AfterJSON: []byte("true")},
			{Field: "notes", Label: "odd label", Before: "x", After: "", BeforeJSON: []byte(`"y"`)},
		}}
	const golden = "a807b0d2e78d0d05000207030310496d70726f76656d656e74207465616d1546696e64696e67204b454e2d31206368616e6765640c726561736f6e3a207479706f010f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f050d0d05224f6c64220d224e6577205c226f6e655c22220202000b7461726765745f64617465000b7461726765742064617465000c22323032352d31302d30312201045455013401370002233403696a0566616c7365047472756505051500096f6464206c6162656c032279220000017803"
	lean := leanEvent(mustMarshal(t, ev))
	if got := hex.EncodeToString(lean); got != golden {
		t.Errorf("the event is stored as\n%s\nwant\n%s", got, golden)
	}
	raw, err := hex.DecodeString(golden)
	if err != nil {
		t.Fatal(err)
	}
	if back := readStored(t, raw); !bytes.Equal(mustMarshal(t, back), mustMarshal(t, ev)) {
		t.Errorf("the stored bytes read back as %s", mustMarshal(t, back))
	}
}

// TestLeanEventDamageNamed: one byte of a lean event changed is found by
// its checksum when read, and check names the event; the same change
// with the checksum made to match is found by the chain.
func TestLeanEventDamageNamed(t *testing.T) {
	for _, resealed := range []bool{false, true} {
		s := openFixtureAt(t, 7)
		var key []byte
		if err := s.db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketAudit)
			// The first event: the chain breaks at the next.
			k, v := b.Cursor().First()
			payload, err := unseal(bucketAudit, k, v)
			if err != nil {
				return err
			}
			if !isLeanEvent(payload) {
				t.Fatal("the newest event is not stored lean")
			}
			key = bytes.Clone(k)
			// A byte of the summary's text.
			var ev model.AuditEvent
			if err := decodeLeanEvent(payload, &ev); err != nil {
				return err
			}
			p := bytes.Clone(payload)
			i := bytes.Index(p, []byte(ev.Summary))
			p[i+2] ^= 0x20
			out := bytes.Clone(v)
			copy(out[envelopeSize:], p)
			if resealed {
				out = seal(bucketAudit, k, p)
			}
			return b.Put(k, out)
		}); err != nil {
			t.Fatal(err)
		}
		problems, err := s.Check()
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(problems, "\n")
		want := "history entry"
		if resealed {
			want = "does not follow the entry before it"
		}
		if !strings.Contains(all, want) || !strings.Contains(all, "KEN-PEEL2122-AFI-01") && !resealed {
			t.Errorf("resealed %v: event %d changed by a byte, check says:\n%s", resealed, btoi(key), all)
		}
		s.Close()
	}
}

// openFixtureAt opens a copy of the fixture of a shipped version, which
// brings it to this version, closed when the test ends.
func openFixtureAt(t *testing.T, version int) *Store {
	t.Helper()
	s, err := Open(copyFixture(t, version), Options{Now: func() time.Time { return fixtureTime.Add(48 * time.Hour) }, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestMigrationTo8 stores every event of the version 7 fixture's trail
// lean, each reading back to the same event (the same hash in the chain)
// as its JSON did, writes the history index by time again with the same
// keys, stores each update without its narrative, which reads back from
// its entry by date the same as before, and changes no other section.
func TestMigrationTo8(t *testing.T) {
	before, after := runMigration(t, 8)
	sameExcept(t, before, after, "audit", "audit_by_time", "updates")
	if len(after["updates"]) != len(before["updates"]) || len(before["updates"]) == 0 {
		t.Fatalf("%d updates after, %d before", len(after["updates"]), len(before["updates"]))
	}
	db, err := bolt.Open(copyFixture(t, 7), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, was := storedTexts(t, db)
	if err := db.Update(func(tx *bolt.Tx) error { return migrate(tx, 7) }); err != nil {
		t.Fatal(err)
	}
	if _, now := storedTexts(t, db); len(now) != len(was) {
		t.Errorf("%d updates read after, %d before", len(now), len(was))
	} else {
		for k, u := range was {
			if now[k] != u || !strings.Contains(u, `"narrative":"`) {
				t.Errorf("update %d reads as %s, was %s", btoi([]byte(k)), now[k], u)
			}
		}
	}
	for k, v := range after["updates"] {
		payload, err := unseal(bucketUpdates, []byte(k), []byte(v))
		if err != nil || !isApartUpdate(payload) || strings.Contains(string(payload), "Business case approved") {
			t.Errorf("update %d stored as %q (%v)", btoi([]byte(k)), payload, err)
		}
	}
	if len(after["audit"]) != len(before["audit"]) || len(before["audit"]) < 5 {
		t.Fatalf("%d events after, %d before", len(after["audit"]), len(before["audit"]))
	}
	size := func(m map[string]string) (n int) {
		for _, v := range m {
			n += len(v)
		}
		return n
	}
	for k, v := range before["audit"] {
		old, err := unseal(bucketAudit, []byte(k), []byte(v))
		if err != nil {
			t.Fatal(err)
		}
		var was model.AuditEvent
		if err := json.Unmarshal(old, &was); err != nil {
			t.Fatal(err)
		}
		payload, err := unseal(bucketAudit, []byte(k), []byte(after["audit"][k]))
		if err != nil {
			t.Fatalf("event %d: %v", btoi([]byte(k)), err)
		}
		if !isLeanEvent(payload) {
			t.Errorf("event %d is not stored lean", btoi([]byte(k)))
		}
		if now := readStored(t, payload); model.AuditHash(now) != model.AuditHash(was) || !bytes.Equal(mustMarshal(t, now), old) {
			t.Errorf("event %d reads back as %s, was %s", btoi([]byte(k)), mustMarshal(t, now), old)
		}
	}
	for k := range before["audit_by_time"] {
		if _, ok := after["audit_by_time"][k]; !ok {
			t.Errorf("the history index by time lost %x", k)
		}
	}
	if len(after["audit_by_time"]) != len(before["audit_by_time"]) {
		t.Errorf("the history index by time has %d entries, had %d", len(after["audit_by_time"]), len(before["audit_by_time"]))
	}
	if a, b := size(after["audit"]), size(before["audit"]); a*2 > b {
		t.Errorf("the trail is %d bytes, was %d: want less than half", a, b)
	}
}

// TestLeanTrailKeepsDamage: an event that fails its checksum is copied as
// it is by the step to version 8, so that the upgrade goes through and
// check names it, and the other events are stored lean.
func TestLeanTrailKeepsDamage(t *testing.T) {
	db, err := bolt.Open(copyFixture(t, 7), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var spoilt []byte
	if err := db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketAudit)
		k, v := b.Cursor().First()
		spoilt = bytes.Clone(v)
		spoilt[len(spoilt)-3] ^= 1
		if err := b.Put(k, spoilt); err != nil {
			return err
		}
		return leanTrail(tx)
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		_, v := c.First()
		if !bytes.Equal(v, spoilt) {
			t.Error("the damaged event was not kept as it was")
		}
		for k, v := c.Next(); k != nil; k, v = c.Next() {
			if p, err := unseal(bucketAudit, k, v); err != nil || !isLeanEvent(p) {
				t.Errorf("event %d not stored lean (%v)", btoi(k), err)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
