package bolt

import (
	"bytes"
	"hash/maphash"
	"reflect"
	"strings"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// trail is what the check keeps of the history (audit trail) as it reads
// it: each entry's record number and finding, and a digest of its key in
// the history by time; the chain and the submissions' states are followed
// as the entries go by, each entry hashed on another core.
type trail struct {
	owned
	keys  []uint64 // a digest of each entry's key in the history by time
	seed  maphash.Seed
	chain model.AuditChain
	heads *model.SubmissionHeads
}

// hashedEvent is a history entry with its model.AuditHash, which the next
// entry holds, and what its entries in the two history indexes say of it:
// the lookups and the decoding of the copies kept there are most of the
// check's work on the trail, so the workers do them, and the entries'
// order is all that is left to the goroutine that reads them.
type hashedEvent struct {
	ev   model.AuditEvent
	hash string

	// inIndex is whether the history index of the entry's finding lists
	// it; indexTime whether that place gives the entry's own time.
	inIndex, indexTime bool
	// byTime is the digest of the entry's key in the history by time (0
	// when it can have none); byTimeHeld whether the history by time
	// holds that key, byTimeErr what is wrong with the account kept there
	// and byTimeOther whether that account is another than the entry's.
	byTime      uint64
	byTimeHeld  bool
	byTimeErr   error
	byTimeOther bool
}

// trailLookups are the sections a worker reads beside the history,
// found before the walk: finding a section records it in the
// transaction, which the workers must not all do at once, while reading
// a section found is only reading pages.
type trailLookups struct {
	byFinding, byTime *bolt.Bucket
	seed              maphash.Seed
}

// hashedDecode decodes a history entry as every read does, hashes it, and
// looks it up in the history indexes.
func (l trailLookups) hashedDecode(r *records, k, v []byte, out *hashedEvent) error {
	payload, err := r.decodeKept(bucketAudit, k, v, &out.ev)
	if err != nil {
		return err
	}
	out.hash = model.AuditHash(out.ev)
	if len(k) == 8 {
		l.indexed(r, btoi(k), out)
		if l.byTime != nil {
			l.timed(r, btoi(k), payload, out)
		}
	}
	return nil
}

// indexed finds an entry's place in the history index of its finding,
// and the time that place gives.
func (l trailLookups) indexed(r *records, id uint64, he *hashedEvent) {
	ev := &he.ev
	v := r.get(l.byFinding, pairKey(ev.FindingID, model.ID(id)))
	if v != nil {
		at, ok := readAuditTime(v)
		he.indexTime = ok && at.Equal(ev.At)
	} else {
		he.indexTime = true // nothing there to give a time
	}
	he.inIndex = v != nil
	if ev.ID != model.ID(id) {
		he.inIndex = r.get(l.byFinding, pairKey(ev.FindingID, ev.ID)) != nil
	}
}

// timed finds an entry's place in the history by time, and what it says
// of the entry there; stored is the entry's own payload.
func (l trailLookups) timed(r *records, id uint64, stored []byte, he *hashedEvent) {
	ev := &he.ev
	k, err := historyKey(model.ID(id), ev.At, ev.Entity, ev.Action)
	if err != nil {
		return
	}
	he.byTime = maphash.Bytes(l.seed, k)
	v := r.get(l.byTime, k)
	he.byTimeHeld = v != nil
	if len(v) == 0 {
		return
	}
	e, _ := readHistoryKey(k)
	got, whole, same, err := byTimeAccount(e, k, v, stored)
	if same {
		return
	}
	he.byTimeErr = err
	he.byTimeOther = err == nil && (!sameEventHead(*ev, got) || whole && !reflect.DeepEqual(ev.Changes, got.Changes))
}

// byTimeAccount reads the account of an entry e that the history by time
// keeps as v under k: the entry's head, or the entry whole. A whole copy
// that is the entry's own stored payload (own), byte for byte, is the
// same account (historyEntryOf), said by same without decoding it.
func byTimeAccount(e historyEntry, k, v, own []byte) (got model.AuditEvent, whole, same bool, err error) {
	payload, err := unseal(bucketAuditByTime, k, v)
	whole = err == nil && len(payload) > 0 && payload[0] == eventWholeFormat
	if whole && own != nil && bytes.Equal(payload[1:], own) {
		return got, whole, true, nil
	}
	if err == nil {
		_, err = readEventEntry(e, payload, whole, false, &got)
	}
	return got, whole, false, err
}

// readTrail reads the history in order: each entry against its entries in
// the history index and the history by time, and as a link of the chain;
// then both indexes are walked for entries that name no entry of the
// history or name one wrongly.
func (c *checked) readTrail() error {
	t := &c.events
	t.seed = maphash.MakeSeed()
	look := trailLookups{byFinding: c.tx.Bucket(bucketAuditByFinding), seed: t.seed}
	if c.lean {
		look.byTime = c.tx.Bucket(bucketAuditByTime)
	}
	var err error
	t.bad, err = walk(c, bucketAudit, look.hashedDecode, func(id uint64, he *hashedEvent) {
		ev := &he.ev
		t.add(id, ev.FindingID)
		t.chain.Add(*ev, he.hash)
		t.heads.Add(he.hash)
		c.eventIndexed(he)
		if look.byTime != nil {
			t.keys = append(t.keys, c.eventByTime(id, he))
		}
	})
	if err != nil {
		return err
	}
	c.checkHistoryIndex(look.byFinding)
	if look.byTime != nil {
		c.checkHistoryByTime(look.byTime)
	}
	t.keys = nil
	return nil
}

// eventIndexed reports what is wrong with an entry's place in the history
// index of its finding.
func (c *checked) eventIndexed(he *hashedEvent) {
	ev := &he.ev
	if !he.indexTime {
		c.rep.add(groupIndexes, "the history index gives the wrong time for %s", strings.TrimPrefix(eventName(*ev), "the "))
	}
	if ev.FindingID != 0 && !he.inIndex {
		c.rep.add(groupIndexes, "%s is missing from the history index of %s", eventName(*ev), c.refName(ev.FindingID))
	}
}

// eventByTime reports what is wrong with an entry's place in the history
// by time, and with what it says of the entry there; it returns the
// digest of the key the entry should have there (0 when it can have
// none).
func (c *checked) eventByTime(id uint64, he *hashedEvent) uint64 {
	ev := &he.ev
	if !he.byTimeHeld {
		c.rep.add(groupIndexes, "%s is missing from %s", eventName(*ev), historyIndexName)
	}
	switch {
	case he.byTimeErr != nil:
		c.rep.add(groupIndexes, "%s", c.r.indexDamage(historyIndexName, id, he.byTimeErr).Error())
	case he.byTimeOther:
		c.rep.add(groupIndexes, "%s gives another account of %s than the entry's own", historyIndexName, eventName(*ev))
	}
	return he.byTime
}

// checkHistoryIndex checks that each entry of the history index names an
// entry of the history of that finding (each entry's own place, and the
// time there, were checked as it was read).
func (c *checked) checkHistoryIndex(idx *bolt.Bucket) {
	t := &c.events
	_ = idx.ForEach(func(k, _ []byte) error {
		if len(k) != 16 {
			c.rep.add(groupIndexes, "the history index has a malformed entry")
			return nil
		}
		id := btoi(k[8:])
		fid, ok := t.owner(id)
		switch {
		case !ok && t.bad == 0:
			c.rep.add(groupIndexes, "the history index names entry %d, which does not exist", id)
		case ok && uint64(fid) != btoi(k):
			later(c, bucketAudit, id, func(ev *model.AuditEvent) {
				c.rep.add(groupIndexes, "the history index lists entry %d under %s, but it belongs to %s", ev.ID, c.refName(model.ID(btoi(k))), c.refName(ev.FindingID))
			})
		}
		return nil
	})
}

// checkHistoryByTime checks that each entry of the history by time names
// an entry of the history at its time, action and kind of record: its key
// is the one the entry has (each entry's own place, and what it says
// there, were checked as it was read).
func (c *checked) checkHistoryByTime(idx *bolt.Bucket) {
	t := &c.events
	_ = idx.ForEach(func(k, v []byte) error {
		e, ok := readHistoryKey(k)
		if !ok {
			c.rep.add(groupIndexes, "%s has a malformed entry", historyIndexName)
			return nil
		}
		i, found := t.find(uint64(e.id))
		switch {
		case !found && t.bad == 0:
			c.rep.add(groupIndexes, "%s names history entry %d, which does not exist", historyIndexName, e.id)
		case found && t.keys[i] != maphash.Bytes(t.seed, k):
			later(c, bucketAudit, uint64(e.id), func(ev *model.AuditEvent) {
				c.rep.add(groupIndexes, "%s gives another time, action or kind of record for %s", historyIndexName, eventName(*ev))
			})
		case !found && len(v) > 0:
			// Perhaps an entry of a damaged record: only the entry's own
			// form can be checked.
			if _, _, _, err := byTimeAccount(e, k, v, nil); err != nil {
				c.rep.add(groupIndexes, "%s", c.r.indexDamage(historyIndexName, uint64(e.id), err).Error())
			}
		}
		return nil
	})
}
