package recjson

import (
	"encoding/binary"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
)

// fastCases are stored updates and audit events in the form json.Marshal
// writes them and in forms it does not (which encoding/json must decide).
var fastCases = []string{
	`{"id":3,"finding_id":1,"date":"2015-03-11","narrative":"Started.","status":"In progress","rag":"Green","author":"Person 12","recorded":"2025-11-24T09:30:00Z"}`,
	`{"id":4,"finding_id":1,"date":"2015-03-11","narrative":"Said \"done\" \u0026 left\\n\u2028 – ok","status":"Closed","author":"A","source":"imported from Q3.xlsx","recorded":"2025-11-24T09:30:00.123456789+01:00","sample":true}`,
	`{"id":5,"finding_id":1,"date":"","narrative":"","status":"","author":"","recorded":"0001-01-01T00:00:00Z"}`,
	` { "id" : 6 , "finding_id" : 2 , "narrative" : "spaced" } `,
	`{"ID":7,"finding_id":2}`,                    // another case: encoding/json's folding
	`{"id":8,"extra":"kept out"}`,                // unknown field
	`{"id":9,"narrative":null}`,                  // null
	`{"id":010}`,                                 // not JSON
	`{"id":1e3}`,                                 // not an integer
	`{"id":-1}`,                                  // not unsigned
	`{"id":18446744073709551616}`,                // too large
	`{"id":1,"narrative":"bad \x01 control"}`,    // a control character
	"{\"id\":1,\"narrative\":\"bad \xff utf8\"}", // invalid UTF-8
	`{"id":1,"narrative":"\ud83d\ude00 \ud83d"}`,
	`{"id":1,"narrative":"a"} x`,
	`{"id":1,"narrative":"a"`,
	`{"id":1,"narrative":"a\`,
	`{"id":1,,"narrative":"a"}`,
	`{"id":1,"date":"2025-02-30"}`,
	`{"id":1,"recorded":"yesterday"}`,
	`{"id":1,"sample":false,"sample":true}`,
	`{"id":1,"sample":"true"}`,
	`{}`,
	`[]`,
	``,
	`{"id":11,"at":"2025-11-24T09:30:00Z","who":"Synthetic data generator","action":"create","entity":"report","entity_id":2,"summary":"Report \"Synthetic\" added","changes":[{"field":"title","label":"title","before":"(none)","after":"Synthetic","before_json":"IiI=","after_json":"IlN5bnRoZXRpYyI="},{"field":"cycle","label":"cycle","before":"(none)","after":"2014/15","after_json":"IjIwMTQvMTUi"}],"note":"synthetic","prev":"b3e9"}`,
	`{"id":12,"at":"2025-11-24T09:30:00Z","who":"x","action":"change","entity":"finding","entity_id":2,"finding_id":2,"summary":"s","changes":[]}`,
	`{"id":13,"changes":[{"field":"a","before_json":""}]}`,
	`{"id":14,"changes":[{"field":"a","before_json":"not base64!"}]}`,
	`{"id":15,"changes":[{"field":"a"}],"changes":[{"label":"b"}]}`,
	`{"id":16,"changes":null}`,
	`{"id":17,"changes":[{"field":"a"},]}`,
	`{"id":18,"changes":[{"field":"a"} {"field":"b"}]}`,
	`{"id":19,"finding_id":0,"prev":"\u0061"}`,
}

// The fast path gives exactly what encoding/json gives, and leaves to it
// every form it does not read itself.
func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	for _, c := range fastCases {
		checkFast[model.Update](t, []byte(c))
		checkFast[model.AuditEvent](t, []byte(c))
		checkHeads(t, []byte(c))
		checkUpdateHead(t, []byte(c))
		checkSnapshotEvent(t, []byte(c))
		checkUpdateText(t, []byte(c))
	}
	for _, c := range []string{
		`{"id":20,"at":"2025-11-24T09:30:00Z","who":"x","action":"create","entity":"update","entity_id":2,"finding_id":2,"summary":"s","changes":[{"field":"narrative","before_json":"IiI=","after_json":"Ik5ldyI="}]}`,
		`{"id":21,"at":"2025-11-24T09:30:00Z","who":"x","action":"create","entity":"finding","entity_id":2,"finding_id":2,"summary":"s","changes":[{"field":"title","after_json":"Ik5ldyI="}]}`,
		`{"id":22,"at":"2025-11-24T09:30:00Z","who":"x","action":"delete","entity":"finding","entity_id":2,"finding_id":2,"summary":"s","changes":[{"field":"title","before_json":"Ik5ldyI="}]}`,
		`{"id":23,"changes":[{"field":"title","before_json":"Ik5ldyI="}],"action":"create","entity":"evidence"}`,
		`{"id":24,"action":"create","entity":"evidence","changes":[{"field":"title"}],"action":"change"}`,
		`{"id":25,"action":"create","entity":"update","changes":[{"field":"title"}],"entity":"finding"}`,
		`{"id":26,"action":"create","entity":"upd\u0061te","changes":[]}`,
		// Words that are not text: refused, as encoding/json refuses them.
		`{"id":27,"who":5,"action":"change","entity":"finding","entity_id":2}`,
		`{"id":28,"action":"change","entity":"finding","entity_id":2,"changes":[{"field":"status","label":true,"before_json":"Ik5ldyI="}]}`,
	} {
		checkHeads(t, []byte(c))
		checkFast[model.AuditEvent](t, []byte(c))
		checkSnapshotEvent(t, []byte(c))
	}
	// Records in the form the store writes them all take the fast path.
	u := model.Update{ID: 1, FindingID: 2, Date: model.NewDate(2025, 3, 4), Narrative: "Recruited <6> of 12 – \"on track\"\n",
		Status: model.InProgress, RAG: model.Amber, Author: "J Smith", Recorded: time.Date(2025, 3, 5, 10, 0, 0, 5, time.UTC)}
	raw, _ := json.Marshal(u)
	var got model.Update
	if !Decode(raw, &got) || got != u {
		t.Errorf("an update as written: got %+v, want %+v", got, u)
	}
	e := model.AuditEvent{ID: 9, At: u.Recorded, Who: "J Smith", Action: model.ActionChange, Entity: model.EntityFinding, EntityID: 2, FindingID: 2,
		Summary: "Status changed", Changes: []model.FieldChange{{Field: "status", Label: "status", Before: "Not started", After: "In progress",
			BeforeJSON: []byte(`"Not started"`), AfterJSON: []byte(`"In progress"`)}}, Note: "reason: board", Prev: "abc"}
	raw, _ = json.Marshal(e)
	var ge model.AuditEvent
	if !Decode(raw, &ge) || !reflect.DeepEqual(ge, e) {
		t.Errorf("an event as written: got %+v, want %+v", ge, e)
	}
	ge = model.AuditEvent{}
	if !SnapshotEvent(raw, &ge) || ge.Who != "" || ge.Summary != "" || ge.Prev != "" || len(ge.Changes) != 1 ||
		string(ge.Changes[0].BeforeJSON) != `"Not started"` || ge.Changes[0].After != "" || ge.Changes[0].AfterJSON != nil {
		t.Errorf("an event as written, as a snapshot reads it: got %+v", ge)
	}
	// A value already holding something is merged into by encoding/json:
	// left to it.
	held := model.Update{Author: "kept"}
	if Decode([]byte(`{"id":1}`), &held) {
		t.Error("the fast path decoded into an update that was not empty")
	}
}

// checkUpdateText checks UpdateText against encoding/json: the update
// without its narrative, and the narrative as bytes.
func checkUpdateText(t *testing.T, raw []byte) {
	t.Helper()
	var want, got model.Update
	wantErr := json.Unmarshal(raw, &want)
	text, ok := UpdateText(raw, &got)
	if !ok {
		return
	}
	if wantErr != nil {
		t.Errorf("%s: UpdateText read what encoding/json refuses (%v)", raw, wantErr)
		return
	}
	narrative := want.Narrative
	want.Narrative = ""
	if !reflect.DeepEqual(got, want) || string(text) != narrative {
		t.Errorf("%s:\n text %+v %q\n json %+v %q", raw, got, text, want, narrative)
	}
}

// checkSnapshotEvent checks SnapshotEvent against encoding/json: what it
// reads is what encoding/json reads but for the words, and it reads
// nothing encoding/json refuses.
func checkSnapshotEvent(t *testing.T, raw []byte) {
	t.Helper()
	var want, got model.AuditEvent
	wantErr := json.Unmarshal(raw, &want)
	if !SnapshotEvent(raw, &got) {
		return
	}
	if wantErr != nil {
		t.Errorf("%s: SnapshotEvent read what encoding/json refuses (%v)", raw, wantErr)
		return
	}
	want.Who, want.Summary, want.Note, want.Prev = "", "", "", ""
	for i, c := range want.Changes {
		want.Changes[i] = model.FieldChange{Field: c.Field, BeforeJSON: c.BeforeJSON}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n snapshot %+v\n json     %+v", raw, got, want)
	}
	// What a store looks at to pass over an event names the same record
	// and fields.
	id, fields, ok := ChangedFields(raw, nil)
	if !ok {
		return
	}
	var names []string
	for _, f := range fields {
		names = append(names, string(f))
	}
	var wantNames []string
	for _, c := range want.Changes {
		wantNames = append(wantNames, c.Field)
	}
	if id != want.EntityID || !slices.Equal(names, wantNames) {
		t.Errorf("%s: ChangedFields gives #%d %q, want #%d %q", raw, id, names, want.EntityID, wantNames)
	}
}

// ChangedFields gives up on what it cannot read as encoding/json would
// without copying: the event is then read whole.
func TestChangedFieldsGivesUp(t *testing.T) {
	for _, c := range []string{
		`{"entity_id":2,"changes":[{"field":"st\u0061tus"}]}`,
		`{"entity_id":2,"changes":[{"field":"status"}],"changes":[{"field":"rag"}]}`,
		`{"entity_id":2,"entity_id":3,"changes":[{"field":"status"}]}`,
		`{"entity_id":2,"changes":[{"field":"status","field":"rag"}]}`,
		`{"entity_id":2,"changes":[{"label":"status"}]}`,
		`{"entity_id":2,"changes":[{"field":5}]}`,
		`{"entity_id":2,"changes":[{"field":"status"}]`,
	} {
		if _, _, ok := ChangedFields([]byte(c), nil); ok {
			t.Errorf("%s: read", c)
		}
	}
	id, fields, ok := ChangedFields([]byte(`{"id":9,"who":"x","entity_id":4,"changes":[{"field":"status","before_json":"IiI="},{"label":"r","field":"rag"}],"prev":"ab"}`), nil)
	if !ok || id != 4 || len(fields) != 2 || string(fields[0]) != "status" || string(fields[1]) != "rag" {
		t.Errorf("a plain event: #%d %q %v", id, fields, ok)
	}
}

func checkFast[T any](t *testing.T, raw []byte) {
	t.Helper()
	var want, got T
	wantErr := json.Unmarshal(raw, &want)
	if !Decode(raw, &got) {
		if !reflect.ValueOf(got).IsZero() {
			t.Errorf("%T %s: the fast path gave up but changed the value to %+v", got, raw, got)
		}
		return
	}
	if wantErr != nil {
		t.Errorf("%T %s: the fast path read what encoding/json refuses (%v)", got, raw, wantErr)
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%T %s:\n fast %+v\n json %+v", got, raw, got, want)
	}
}

// checkHeads checks EventHeads against encoding/json and
// model.HistoryNeeds: an event whose changes a snapshot uses is decoded in
// full; of one whose changes it does not use, the changes are checked as
// JSON only (as headsOnly reads them) and left out, and of one it does not
// use at all, at least the action and entity are read.
func checkHeads(t *testing.T, raw []byte) {
	t.Helper()
	var got model.AuditEvent
	if !EventHeads(raw, &got) {
		return
	}
	keep, changes := model.HistoryNeeds(got.Action, got.Entity)
	if changes {
		var want model.AuditEvent
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Errorf("%s: EventHeads read what encoding/json refuses (%v)", raw, err)
		} else if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n heads %+v\n json  %+v", raw, got, want)
		}
		return
	}
	var h headsOnly
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Errorf("%s: EventHeads read what encoding/json refuses (%v)", raw, err)
		return
	}
	want := model.AuditEvent{ID: h.ID, At: h.At, Who: h.Who, Action: h.Action, Entity: h.Entity, EntityID: h.EntityID,
		FindingID: h.FindingID, Summary: h.Summary, Note: h.Note, Prev: h.Prev}
	if !keep {
		got = model.AuditEvent{Action: got.Action, Entity: got.Entity}
		want = model.AuditEvent{Action: want.Action, Entity: want.Entity}
	}
	// Changes met before the action and entity are decoded; HistorySince
	// leaves them out all the same.
	got.Changes = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n heads %+v\n json  %+v", raw, got, want)
	}
}

// headsOnly is an audit event with its changes read as any JSON.
type headsOnly struct {
	ID        model.ID        `json:"id"`
	At        time.Time       `json:"at"`
	Who       string          `json:"who"`
	Action    model.Action    `json:"action"`
	Entity    model.Entity    `json:"entity"`
	EntityID  model.ID        `json:"entity_id"`
	FindingID model.ID        `json:"finding_id,omitempty"`
	Summary   string          `json:"summary"`
	Changes   json.RawMessage `json:"changes,omitempty"`
	Note      string          `json:"note,omitempty"`
	Prev      string          `json:"prev,omitempty"`
}

// checkUpdateHead checks UpdateHead against encoding/json: the
// narrative is kept only for an update dated within the range, for ranges
// that take the update in and leave it out.
func checkUpdateHead(t *testing.T, raw []byte) {
	t.Helper()
	var want model.Update
	wantErr := json.Unmarshal(raw, &want)
	for _, r := range [][2]model.Date{{}, {model.NewDate(2015, 1, 1), model.NewDate(2015, 12, 31)}, {model.NewDate(2016, 1, 1), model.NewDate(2030, 1, 1)}} {
		var got model.Update
		if !UpdateHead(raw, r[0], r[1], &got) {
			continue
		}
		if wantErr != nil {
			t.Errorf("%s: UpdateHead read what encoding/json refuses (%v)", raw, wantErr)
			return
		}
		w := want
		if w.Date.Before(r[0]) || w.Date.After(r[1]) {
			w.Narrative = ""
		}
		if got != w {
			t.Errorf("%s, narratives %s to %s:\n head %+v\n json %+v", raw, r[0], r[1], got, w)
		}
	}
}

func FuzzFastDecode(f *testing.F) {
	for _, c := range fastCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkFast[model.Update](t, raw)
		checkFast[model.AuditEvent](t, raw)
		checkHeads(t, raw)
		checkUpdateHead(t, raw)
	})
}

// special finds every byte a string scan must stop at, in every place of
// the word, and no other.
func TestSpecialBytes(t *testing.T) {
	for b := range 256 {
		want := b < 0x20 || b >= 0x80 || b == '"' || b == '\\'
		for p := range 8 {
			w := []byte("abcdefgh")
			w[p] = byte(b)
			if got := special(binary.LittleEndian.Uint64(w)); got != want {
				t.Errorf("byte %#x at %d: special %v, want %v", b, p, got, want)
			}
		}
	}
	// A long string with a character of each kind at every place.
	for p := range 24 {
		for _, c := range []string{`\"`, `\\`, `é`, `\u00e9`, "\u2028"} {
			text := strings.Repeat("x", p) + c + strings.Repeat("y", 30-p)
			raw := []byte(`{"id":1,"narrative":"` + text + `","author":"A"}`)
			checkFast[model.Update](t, raw)
			var u model.Update
			if !Decode(raw, &u) {
				t.Errorf("%s: left to encoding/json", raw)
			}
		}
	}
}
