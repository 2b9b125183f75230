package model

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// auditJSONCases are events that reach every branch of appendAuditJSON:
// empty and missing fields, every kind of string json escapes, times in
// zones and with nanoseconds, changes with and without their JSON.
func auditJSONCases() []AuditEvent {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		london = time.FixedZone("BST", 3600)
	}
	at := time.Date(2026, 3, 14, 9, 12, 30, 123456789, london)
	return []AuditEvent{
		{},
		{ID: 1, At: at.UTC(), Who: "Jane Smith", Action: "create", Entity: "finding", EntityID: 7, FindingID: 7, Summary: `Finding KEN-PEEL2122-AFI-07 added`},
		{ID: 1<<64 - 1, At: at, Who: "O'Brien & <Sons>", Action: "update", Entity: "milestone", EntityID: 3, Summary: "Milestone \"Recruit 12\"\tadded\n\\ back",
			Changes: []FieldChange{
				{Field: "title", Label: "title", Before: "Old\u2028line", After: "café – naïve ✓", BeforeJSON: []byte(`"Old"`), AfterJSON: []byte(`"New"`)},
				{Field: "due", Label: "due date", Before: "", After: "31/03/2026", AfterJSON: []byte{}},
				{Field: "bad", Before: string([]byte{0xff, 'a', 0x80}), After: "\x00\x1f\x7f"},
			},
			Note: "reason: <script>alert(1)</script>", Prev: "ab12"},
		{ID: 4, Summary: `Milestone "Recruit 12" added`, Who: `C:\Users\"jane"\`, Changes: []FieldChange{{Field: "x", Before: `""`, After: `\`}}},
		{ID: 2, At: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), Changes: []FieldChange{}, Note: "", Prev: ""},
		{ID: 3, At: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", -(9*3600+30*60)))},
	}
}

// TestAuditJSONIsJSONs: the hash's encoding of an event is json.Marshal's,
// byte for byte, so every event hashed before (and by any store) hashes
// the same.
func TestAuditJSONIsJSONs(t *testing.T) {
	for i, ev := range auditJSONCases() {
		want, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendAuditJSON(nil, &ev)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
	// A year json cannot write is left to json, which refuses it.
	ev := AuditEvent{At: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, ok := appendAuditJSON(nil, &ev); ok {
		t.Error("a time past 9999 was encoded")
	}
}

// FuzzAuditJSON holds appendAuditJSON to json.Marshal over any text.
func FuzzAuditJSON(f *testing.F) {
	for _, ev := range auditJSONCases() {
		var before, after string
		var bj []byte
		if len(ev.Changes) > 0 {
			before, after, bj = ev.Changes[0].Before, ev.Changes[0].After, ev.Changes[0].BeforeJSON
		}
		f.Add(uint64(ev.ID), ev.At.UnixNano(), ev.Who, ev.Summary, before, after, bj, ev.Note, ev.Prev)
	}
	f.Fuzz(func(t *testing.T, id uint64, nanos int64, who, summary, before, after string, bj []byte, note, prev string) {
		ev := AuditEvent{ID: ID(id), At: time.Unix(0, nanos).In(time.FixedZone("", int(id%50000))), Who: who, Action: Action(after), Entity: Entity(before),
			EntityID: ID(id / 3), FindingID: ID(id % 5), Summary: summary, Note: note, Prev: prev}
		if id%2 == 0 {
			ev.Changes = []FieldChange{{Field: who, Label: note, Before: before, After: after, BeforeJSON: bj, AfterJSON: []byte(prev)}}
		}
		want, err := json.Marshal(ev)
		got, ok := appendAuditJSON(nil, &ev)
		if err != nil {
			if ok {
				t.Fatalf("json refuses %+v (%v), the hash's encoding did not", ev, err)
			}
			return
		}
		if !ok || !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}
