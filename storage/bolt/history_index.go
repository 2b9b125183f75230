package bolt

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/internal/parallel"
	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

// bucketAuditByTime: entity | action | time | eventID -> the event's head
// or nothing (history_heads.go), for every audit event. Added by schema
// version 5.
//
// Reading the register as it stood at a date undoes what was recorded
// since, and a snapshot needs only some of it (model.HistoryNeeds): on a
// large register most events record progress updates being added, which it
// does not use, and a register typed in or imported in one go has every
// event recorded "since" any earlier date. Walking the trail back from its
// newest event reads and checks all of those. Grouped by what the events
// are about and what was done, each group in the order recorded, the
// events needed are found by a seek per group, and the others' pages are
// never read. The rule of what is needed stays in model: every event is
// indexed, and the groups are chosen when read.
//
// A key is
//
//	entity length (1 byte), entity, action length (1 byte), action
//	time recorded: Unix seconds, 8 bytes big-endian with the sign bit
//	flipped so that earlier sorts first, then nanoseconds, 4 bytes
//	event ID, 8 bytes big-endian
var bucketAuditByTime = []byte("audit_by_time")

// timeKeySize is the bytes of a key after its group: time and event ID.
const timeKeySize = 12 + 8

// appendTimeKey writes the sortable time of a key.
func appendTimeKey(b []byte, t time.Time) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(t.Unix())^(1<<63))
	return binary.BigEndian.AppendUint32(b, uint32(t.Nanosecond()))
}

// historyGroup is the start of a key: an event's entity and action.
func historyGroup(entity model.Entity, action model.Action) ([]byte, error) {
	if len(entity) > 255 || len(action) > 255 {
		return nil, fmt.Errorf("%w: a history entry's entity or action is too long to index", model.ErrProgram)
	}
	b := make([]byte, 0, 2+len(entity)+len(action)+timeKeySize)
	b = append(b, byte(len(entity)))
	b = append(b, entity...)
	b = append(b, byte(len(action)))
	return append(b, action...), nil
}

// historyKey is an event's key in the index.
func historyKey(id model.ID, at time.Time, entity model.Entity, action model.Action) ([]byte, error) {
	b, err := historyGroup(entity, action)
	if err != nil {
		return nil, err
	}
	b = appendTimeKey(b, at)
	return binary.BigEndian.AppendUint64(b, uint64(id)), nil
}

// historyEntry is what a key says.
type historyEntry struct {
	entity model.Entity
	action model.Action
	at     time.Time
	id     model.ID
	group  int // the length of the key's group
	key    []byte
	head   []byte // the entry's value: its event's head, sealed, if any
}

// readHistoryKey reads a key; ok is false when it is malformed.
func readHistoryKey(k []byte) (e historyEntry, ok bool) {
	if len(k) < 1 {
		return e, false
	}
	n := int(k[0])
	if len(k) < 1+n+1 {
		return e, false
	}
	// The register's fixed words, shared rather than copied: a snapshot
	// reads tens of thousands of keys.
	e.entity = model.Entity(recjson.Word(k[1 : 1+n]))
	m := int(k[1+n])
	e.group = 2 + n + m
	if len(k) != e.group+timeKeySize {
		return e, false
	}
	e.action = model.Action(recjson.Word(k[2+n : e.group]))
	rest := k[e.group:]
	e.at = time.Unix(int64(binary.BigEndian.Uint64(rest)^(1<<63)), int64(binary.BigEndian.Uint32(rest[8:])))
	e.id = model.ID(binary.BigEndian.Uint64(rest[12:]))
	e.key = k
	return e, binary.BigEndian.Uint32(rest[8:]) < 1e9
}

// historyEntryOf is the index entry of an event stored under key as
// payload: its key, and its head when it keeps one (history_heads.go).
// Whole copies are compressed with c (nil: not compressed).
func historyEntryOf(c *codec, key, payload []byte) (k, v []byte, err error) {
	id := model.ID(btoi(key))
	var ev model.AuditEvent
	if recjson.EventHeads(payload, &ev) {
		if keepsEventWhole(ev.Action, ev.Entity) {
			// Decoded in full.
			if k, err = historyKey(id, ev.At, ev.Entity, ev.Action); err != nil {
				return nil, nil, err
			}
			return k, sealPacked(c, bucketAuditByTime, k, append([]byte{eventWholeFormat}, payload...)), nil
		}
		if keepsEventHead(ev.Action, ev.Entity) {
			// Decoded in full but for the changes.
			if k, err = historyKey(id, ev.At, ev.Entity, ev.Action); err != nil {
				return nil, nil, err
			}
			return k, seal(bucketAuditByTime, k, appendEventHead(nil, &ev)), nil
		}
		// Of an event the snapshot passes over, only its action and
		// entity may have been read: its time is at the record's start.
		if at, ok := eventTime(payload); ok {
			k, err = historyKey(id, at, ev.Entity, ev.Action)
			return k, nil, err
		}
	}
	if ev, err = eventOf(payload); err != nil {
		return nil, nil, err
	}
	if k, err = historyKey(id, ev.At, ev.Entity, ev.Action); err != nil {
		return nil, nil, err
	}
	switch {
	case keepsEventWhole(ev.Action, ev.Entity):
		v = sealPacked(c, bucketAuditByTime, k, append([]byte{eventWholeFormat}, payload...))
	case keepsEventHead(ev.Action, ev.Entity):
		ev.Changes = nil
		v = seal(bucketAuditByTime, k, appendEventHead(nil, &ev))
	}
	return k, v, nil
}

// putHistory indexes an event stored under key as payload, replacing the
// entry of the event it replaces, old (nil for a new event, as nearly all
// are: the trail is only added to).
func putHistory(c *codec, idx *bolt.Bucket, key, payload, old []byte) error {
	if old != nil {
		if err := deleteHistory(idx, key, old); err != nil {
			return err
		}
	}
	k, v, err := historyEntryOf(c, key, payload)
	if err != nil {
		return err
	}
	// A new event is recorded after every other of its group, so it goes
	// at the group's end: pages are filled and left behind full (at
	// bbolt's default they were left half empty, 44% of the section).
	idx.FillPercent = fullFill
	return idx.Put(k, v)
}

// deleteHistory removes the entry of the event stored under key as raw, a
// sealed value.
func deleteHistory(idx *bolt.Bucket, key, raw []byte) error {
	payload, err := unseal(bucketAudit, key, raw)
	if err != nil {
		return err
	}
	k, _, err := historyEntryOf(nil, key, payload)
	if err != nil {
		return err
	}
	return idx.Delete(k)
}

// buildHistoryIndex writes the index of the history by time afresh from
// the audit trail: for schema version 5, and when a file's index has gone
// missing.
func buildHistoryIndex(tx *bolt.Tx) error {
	idx, err := freshBucket(tx, bucketAuditByTime)
	if err != nil {
		return err
	}
	audit := tx.Bucket(bucketAudit)
	if audit == nil {
		return nil
	}
	// The keys are put in order: bbolt inserts into a node by copying
	// the entries after the place, so the trail's order (which moves
	// between groups at every event) would copy the growing index once
	// an event. In order, each is added at the end, and the pages are
	// filled before being split.
	type entry struct{ k, v []byte }
	var entries []entry
	r := &records{tx: tx}
	c, err := packerOf(tx, keyDictEvents)
	if err != nil {
		return err
	}
	if err := audit.ForEach(func(k, v []byte) error {
		payload, err := unseal(bucketAudit, k, v)
		if err == nil {
			var e entry
			if e.k, e.v, err = historyEntryOf(c, k, payload); err == nil {
				entries = append(entries, e)
				return nil
			}
		}
		return r.damage(bucketAudit, k, payload, err)
	}); err != nil {
		return err
	}
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.k, b.k) })
	idx.FillPercent = fullFill
	for _, e := range entries {
		if err := idx.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// foundEntry is an entry HistorySince reads: its key (which says the
// rest, readHistoryKey) and value, and the event's ID to order them by;
// small, as there may be hundreds of thousands.
type foundEntry struct {
	id        model.ID
	key, head []byte
}

// historyEntries adds to *found the index's entries of the groups the
// snapshot reads (model.ForHistory) recorded after t.
func (r *records) historyEntries(idx *bolt.Bucket, t time.Time, found *[]foundEntry) error {
	c := idx.Cursor()
	k, _ := c.First()
	for k != nil {
		e, ok := readHistoryKey(k)
		if !ok {
			return r.indexDamage(historyIndexName, 0, errors.New("its key is not in the form the index is written in"))
		}
		group := bytes.Clone(k[:e.group])
		// Creations are kept in the index, but a snapshot no longer
		// reads them (model.ForHistory).
		if keep, _ := model.HistoryNeeds(e.action, e.entity); keep && e.action != model.ActionCreate {
			from := appendTimeKey(bytes.Clone(group), t)
			var v []byte
			for k, v = c.Seek(from); k != nil && bytes.HasPrefix(k, group); k, v = c.Next() {
				e, ok := readHistoryKey(k)
				if !ok {
					return r.indexDamage(historyIndexName, 0, errors.New("its key is not in the form the index is written in"))
				}
				if e.at.After(t) {
					*found = append(*found, foundEntry{id: e.id, key: k, head: v})
				}
			}
		}
		// Past every key of the group: a time and ID of all ones is
		// as far as a key of the group can go.
		k, _ = c.Seek(append(group, bytes.Repeat([]byte{0xff}, timeKeySize+1)...))
	}
	return nil
}

// HistorySince is AuditSince for what a snapshot needs (model.ForHistory),
// found through the index of the history by time: of each group of events
// (what they are about, what was done) that ForHistory keeps, those
// recorded after t, by a seek. Each event read is checked against its
// checksum and its index entry; the changes of an event that are not needed
// (most of a large trail) are passed over, not decoded. Unlike AuditSince,
// which walks back from the newest event, an event recorded before the one
// before it (the computer's clock was put back) is found however far back.
func (r *records) HistorySince(t time.Time) ([]model.AuditEvent, error) {
	idx := r.tx.Bucket(bucketAuditByTime)
	if idx == nil {
		// A file whose index has gone missing, opened for reading
		// only: opening it for writing builds the index again.
		return r.historySinceByWalk(t)
	}
	audit, err := r.bucket(bucketAudit)
	if err != nil {
		return nil, err
	}
	// Once over the groups kept, the list growing as it goes: counting the
	// entries first, to make it at its size, walked the index twice, and
	// the walk costs more than the list's copies as it grows.
	var found []foundEntry
	if err := r.historyEntries(idx, t, &found); err != nil {
		return nil, err
	}
	// Oldest first, as the trail is kept.
	slices.SortFunc(found, func(a, b foundEntry) int { return cmp.Compare(a.id, b.id) })
	found = firstChangesOnly(found)
	keys, vals := make([][]byte, len(found)), make([][]byte, len(found))
	// Creations, whose entries keep only a head, are not among them: an
	// event is read from its entry when the entry keeps it whole (or is
	// too short to say, which reading it reports as damage).
	for i, f := range found {
		keys[i] = itob(uint64(f.id))
		// A compressed entry is always a whole copy: heads are never
		// compressed (historyEntryOf).
		if len(f.head) > 0 && (len(f.head) <= envelopeSize || f.head[0] == packedMark || f.head[envelopeSize] == eventWholeFormat) {
			continue // read from the entry
		}
		found[i].head = nil
		if vals[i] = audit.Get(keys[i]); vals[i] == nil {
			return nil, r.indexDamage(historyIndexName, uint64(found[i].id), errors.New("it names a history entry that is not in the register"))
		}
	}
	out, err := parallel.Decode(len(vals), func(i int, out *model.AuditEvent) error {
		e, _ := readHistoryKey(found[i].key)
		e.head = found[i].head
		if e.head != nil {
			payload, err := unseal(bucketAuditByTime, e.key, e.head)
			if err == nil {
				var ok bool
				if ok, err = readEventEntry(e, payload, true, true, out); err == nil && !ok {
					err = errHeadForm
				}
			}
			if err != nil {
				return r.indexDamage(historyIndexName, uint64(e.id), err)
			}
			return nil
		}
		if err := r.decodeHistory(keys[i], vals[i], out); err != nil {
			return err
		}
		if out.Entity != e.entity || out.Action != e.action || !out.At.Equal(e.at) {
			return r.indexDamage(historyIndexName, uint64(found[i].id), errors.New("it gives another time, action or kind of record than the history entry's own"))
		}
		return nil
	}, unreadable(bucketAudit))
	if err != nil {
		return nil, err
	}
	kept := model.ForHistory(out)
	return kept, nil
}

// firstChangesOnly leaves out of found, oldest first, the change events
// whose every change model.ForHistory would leave out, each field of their
// record having been changed by an event kept before: found by a look at
// each that copies nothing, on every core, so that they are never decoded.
// On a register imported in one go, as at a date before the import, they
// are most of the trail read: every finding's status and rating changed at
// each of its updates. An entry whose checksum or form is not as written
// is kept, to be read, and reported, as any other.
func firstChangesOnly(found []foundEntry) []foundEntry {
	looks, err := parallel.Decode(len(found), func(i int, l *changeLook) error {
		l.read(found[i])
		return nil
	}, func(r any) error { return fmt.Errorf("%v", r) })
	if err != nil {
		// Only a fault in the look itself: every entry is then read,
		// as it would be without it, and what is wrong is found there.
		return found
	}
	changed := model.FirstChanges{}
	out := found[:0]
	for i, f := range found {
		l := &looks[i]
		if l.n < 0 {
			out = append(out, f)
			continue
		}
		fresh := l.n == 0
		for _, field := range l.fields[:l.n] {
			if !changed.Seen(l.entity, l.id, field) {
				fresh = true
			}
		}
		if !fresh {
			continue
		}
		for _, field := range l.fields[:l.n] {
			changed.First(l.entity, l.id, string(field))
		}
		out = append(out, f)
	}
	clear(found[len(out):])
	return out
}

// changeLook is what firstChangesOnly sees of an entry: the record a
// change event is about and the fields it changes (most change one or
// two), or n < 0 for an entry to read whatever it holds.
type changeLook struct {
	entity model.Entity
	id     model.ID
	fields [2][]byte
	n      int
}

func (l *changeLook) read(f foundEntry) {
	l.n = -1
	e, _ := readHistoryKey(f.key) // read once already
	if e.action != model.ActionChange || len(f.head) == 0 {
		return
	}
	payload, err := unseal(bucketAuditByTime, f.key, f.head)
	if err != nil || len(payload) == 0 || payload[0] != eventWholeFormat {
		return
	}
	id, fields, ok := recjson.ChangedFields(payload[1:], l.fields[:0])
	if !ok || len(fields) > len(l.fields) {
		return
	}
	l.entity, l.id, l.n = e.entity, id, copy(l.fields[:], fields)
}
