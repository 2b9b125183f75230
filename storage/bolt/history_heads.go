package bolt

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

// An entry of the index of the history by time may carry its event's head:
// everything but the field changes, sealed. The snapshot takes a record's
// creation without its changes (model.HistoryNeeds), and a creation's
// changes are the whole record, most of the event's bytes: with the head in
// the index, a register typed in or imported in one go (every creation
// recorded "since" any earlier date) is read back as it stood without
// reading its creations from the trail. Heads are kept for the creations
// the snapshot reads as the app stands; an entry without one is read from
// the trail, so what a head is kept for is a matter of speed only.

//
// An event the snapshot reads with its changes (a change or deletion of a
// finding, milestone, evidence, person or report) is kept whole in its
// entry, as the trail keeps it: on a register whose every update changed
// its finding's status, those are a quarter of the trail, spread through
// all of it between the updates' own events, and reading them from the
// trail came to reading the whole trail.

// The first byte of an entry's payload: a head, or the event whole (its
// JSON as the trail stores it).
const (
	eventHeadFormat  = 1
	eventWholeFormat = 2
)

// keepsEventHead reports whether an event's index entry carries its head.
func keepsEventHead(action model.Action, entity model.Entity) bool {
	keep, changes := model.HistoryNeeds(action, entity)
	return action == model.ActionCreate && keep && !changes
}

// keepsEventWhole reports whether an event's index entry carries the
// event whole.
func keepsEventWhole(action model.Action, entity model.Entity) bool {
	keep, changes := model.HistoryNeeds(action, entity)
	return keep && changes
}

// readEventEntry decodes an index entry's payload, a head or the event
// whole, into ev, as reading the event from the trail gives it but without
// the changes when wantChanges is false, and an event whole with only what
// a snapshot reads (model.ForHistory) when forHistory is true. ok is false
// when the entry holds only a head and the changes are wanted: the event
// must be read from the trail.
func readEventEntry(e historyEntry, p []byte, wantChanges, forHistory bool, ev *model.AuditEvent) (ok bool, err error) {
	if len(p) > 0 && p[0] == eventWholeFormat {
		var rec model.AuditEvent
		if forHistory {
			rec, err = snapshotEventOf(p[1:])
		} else {
			rec, err = eventOf(p[1:])
		}
		if err != nil {
			return false, err
		}
		if rec.Action != e.action || rec.Entity != e.entity || !rec.At.Equal(e.at) {
			return false, errors.New("its key and its value give different accounts of the history entry")
		}
		if !wantChanges {
			rec.Changes = nil
		}
		*ev = rec
		return true, nil
	}
	if wantChanges {
		return false, nil
	}
	if err := readEventHead(e, p, ev); err != nil {
		return false, err
	}
	if !ev.At.Equal(e.at) {
		return false, errors.New("its key and its value give the history entry different times")
	}
	return true, nil
}

// snapshotEventOf is eventOf with only what a snapshot reads
// (model.ForHistory).
func snapshotEventOf(payload []byte) (model.AuditEvent, error) {
	var ev model.AuditEvent
	if recjson.SnapshotEvent(payload, &ev) {
		return ev, nil
	}
	ev, err := eventOf(payload)
	if err != nil {
		return ev, err
	}
	return model.ForHistory([]model.AuditEvent{ev})[0], nil
}

// eventOf decodes an event's stored JSON as reading the record does.
func eventOf(payload []byte) (model.AuditEvent, error) {
	var ev model.AuditEvent
	if isLeanEvent(payload) {
		return ev, decodeLeanEvent(payload, &ev)
	}
	if recjson.Decode(payload, &ev) {
		return ev, nil
	}
	ev = model.AuditEvent{}
	if err := json.Unmarshal(payload, &ev); err != nil {
		return ev, fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
	}
	return ev, nil
}

// appendEventHead writes an event's head, all but its ID, action and
// entity (the key says them) and its changes:
//
//	eventHeadFormat
//	entity ID, finding ID          uvarint
//	who, summary, note, prev       each uvarint length then the bytes
//	at                             as an update head's recorded time
//
// ev must be as decoding its stored JSON gives it (eventOf).
func appendEventHead(b []byte, ev *model.AuditEvent) []byte {
	b = append(b, eventHeadFormat)
	b = binary.AppendUvarint(b, uint64(ev.EntityID))
	b = binary.AppendUvarint(b, uint64(ev.FindingID))
	for _, s := range []string{ev.Who, ev.Summary, ev.Note, ev.Prev} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return appendTime(b, ev.At)
}

// appendTime writes a time decoded from JSON: Unix seconds (varint),
// nanoseconds (uvarint), then zoneUTC, or zoneOffset and the offset in
// seconds (varint).
func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	if t.Location() == time.UTC {
		return append(b, zoneUTC)
	}
	_, off := t.Zone()
	b = append(b, zoneOffset)
	return binary.AppendVarint(b, int64(off))
}

// fields reads the fields of an index entry's head (an update's or an
// event's) in turn; i is -1 once one fails.
type fields struct {
	p []byte
	i int
}

func (f *fields) uvarint() uint64 {
	if f.i < 0 {
		return 0
	}
	v, n := binary.Uvarint(f.p[f.i:])
	if n <= 0 {
		f.i = -1
		return 0
	}
	f.i += n
	return v
}

func (f *fields) varint() int64 {
	if f.i < 0 {
		return 0
	}
	v, n := binary.Varint(f.p[f.i:])
	if n <= 0 {
		f.i = -1
		return 0
	}
	f.i += n
	return v
}

func (f *fields) bytes() []byte {
	n := f.uvarint()
	if f.i < 0 || n > uint64(len(f.p)-f.i) {
		f.i = -1
		return nil
	}
	b := f.p[f.i : f.i+int(n)]
	f.i += int(n)
	return b
}

func (f *fields) time() time.Time {
	sec, nsec := f.varint(), f.uvarint()
	if f.i < 0 || f.i >= len(f.p) || nsec >= 1e9 {
		f.i = -1
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	zone := f.p[f.i]
	f.i++
	switch zone {
	case zoneUTC:
		return t.UTC()
	case zoneOffset:
		return inZone(t, int(f.varint()))
	}
	f.i = -1
	return time.Time{}
}

// readEventHead decodes an index entry's head into ev, whose key e gives
// its ID, action and entity.
func readEventHead(e historyEntry, p []byte, ev *model.AuditEvent) error {
	*ev = model.AuditEvent{ID: e.id, Action: e.action, Entity: e.entity}
	if len(p) == 0 || p[0] != eventHeadFormat {
		return errHeadForm
	}
	f := fields{p: p, i: 1}
	ev.EntityID = model.ID(f.uvarint())
	ev.FindingID = model.ID(f.uvarint())
	ev.Who = string(f.bytes())
	ev.Summary = string(f.bytes())
	ev.Note = string(f.bytes())
	ev.Prev = string(f.bytes())
	ev.At = f.time()
	if f.i != len(f.p) {
		return errHeadForm
	}
	return nil
}

// sameEventHead reports whether an index entry's head says what the event
// says, but for its changes.
func sameEventHead(rec, head model.AuditEvent) bool {
	return rec.ID == head.ID && rec.Action == head.Action && rec.Entity == head.Entity && rec.EntityID == head.EntityID &&
		rec.FindingID == head.FindingID && rec.Who == head.Who && rec.Summary == head.Summary && rec.Note == head.Note &&
		rec.Prev == head.Prev && rec.At.Equal(head.At) && sameZone(rec.At, head.At)
}
