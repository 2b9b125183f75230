package bolt

import (
	"bytes"
	"sync"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// The indexes of schema versions 5 and 6 are compared with the records
// they stand for: each entry names a record that exists and says what the
// record says; each record has its entry. Either index can be built again
// from the records, so a problem here loses nothing, but until it is put
// right an as-at return or the dashboard could read the register wrongly.
//
// Each record's own entries are looked up as the record is read (they
// are where its key says); each index is then walked once for entries
// that name no record, or name one under another key.

// checkLeanPresent reports each index of version 5 that is missing; the
// indexes are compared with the records only when all are there.
func checkLeanPresent(tx *bolt.Tx, rep report) bool {
	missing := false
	for _, ix := range leanIndexes() {
		if tx.Bucket(ix.name) == nil && bytes.Equal(ix.name, bucketNarrativesByDate) {
			// From version 8 the narratives are kept there (update_apart.go).
			rep.add(groupIndexes, "the %s section is missing: it holds the progress narratives, which are lost with it; restore the newest backup that checks clean", ix.name)
			missing = true
		} else if tx.Bucket(ix.name) == nil {
			rep.add(groupIndexes, "the %s section is missing: opening the register for writing builds it again from the records", ix.name)
			missing = true
		}
	}
	return !missing
}

// leanSeen is what the update indexes are checked against: each update's
// date (beside c.updates, in the same order), and each finding's newest
// update with its narrative.
type leanSeen struct {
	dates []uint32
	// sound is, beside dates, whether the update's entries in the index
	// of progress updates and of narratives by date were read sound as
	// the update was: the walks of those indexes need not read them again.
	sound                 []entriesSound
	newest                map[model.ID]model.Update // only ID, Date and Narrative
	heads, latest, byDate *bolt.Bucket
	h                     headReader
}

func (l *leanSeen) start(c *checked) {
	l.newest = map[model.ID]model.Update{}
	l.heads, l.latest, l.byDate = c.tx.Bucket(bucketUpdateHeads), c.tx.Bucket(bucketLatestNarratives), c.tx.Bucket(bucketNarrativesByDate)
}

// updateName names an update in a problem.
func (c *checked) updateName(u *model.Update) string {
	return "the progress update of " + u.Date.String() + " on " + c.refName(u.FindingID)
}

// entriesSound says which of an update's index entries were read sound.
type entriesSound struct{ head, byDate bool }

// checkedUpdate is a progress update with what its entries in the
// indexes say of it, looked up by the worker that decoded it: the
// lookups are most of the check's work on the updates.
type checkedUpdate struct {
	u model.Update
	// inIndex is whether its finding's index of updates lists it.
	inIndex bool
	// headHeld is whether the index of progress updates holds it, and
	// headOther what that entry gives otherwise ("" when the same, or
	// when the entry is damaged, which the walk of the index reports).
	headHeld  bool
	headOther string
	sound     entriesSound
	// byDateHeld is whether the narratives by date hold it, and
	// byDateOther whether that entry gives another narrative.
	byDateHeld, byDateOther bool
}

// updateLookups are the sections a worker reads beside the updates, found
// before the walk (as trailLookups); the indexes of version 5 are nil
// when any is missing, which is reported instead.
type updateLookups struct {
	index, heads, byDate *bolt.Bucket
}

// headReaders lends each worker a headReader, which keeps the strings it
// has read and so is not to be shared.
var headReaders = sync.Pool{New: func() any { return new(headReader) }}

// decode decodes an update as every read does and looks it up in its
// indexes.
func (l updateLookups) decode(r *records, k, v []byte, out *checkedUpdate) error {
	stored, err := r.decodeKept(bucketUpdates, k, v, &out.u)
	if err != nil {
		return err
	}
	if len(k) != 8 {
		return nil // reported by the walk
	}
	u, id := &out.u, btoi(k)
	out.inIndex = r.get(l.index, pairKey(u.FindingID, model.ID(id))) != nil
	if l.heads == nil {
		return nil
	}
	hv := r.get(l.heads, k)
	out.headHeld = hv != nil
	if hv != nil {
		// A damaged entry is reported by the walk of the index.
		var head model.Update
		h := headReaders.Get().(*headReader)
		payload, err := unseal(bucketUpdateHeads, k, hv)
		if err == nil {
			err = h.read(k, payload, &head)
		}
		headReaders.Put(h)
		out.sound.head = err == nil
		if err == nil && !sameHead(*u, head) {
			out.headOther = headsDiffer(*u, head)
		}
	}
	// An update stored apart has just been read from its entry by date,
	// under the key its date and number give, so that entry is there and
	// gives its narrative; an update stored whole is compared with it.
	if isApartUpdate(stored) {
		out.byDateHeld, out.sound.byDate = true, true
		return nil
	}
	dk := byDateKey(u.Date, model.ID(id))
	dv := r.get(l.byDate, dk)
	out.byDateHeld = dv != nil
	if dv != nil {
		payload, err := unseal(bucketNarrativesByDate, dk, dv)
		out.byDateOther = err == nil && u.Narrative != string(payload)
	}
	return nil
}

// update reports what is wrong with one update's entries in the index of
// progress updates and of narratives by date, and keeps its finding's
// newest.
func (l *leanSeen) update(c *checked, id uint64, cu *checkedUpdate) {
	rep, u := c.rep, &cu.u
	l.dates = append(l.dates, dateBits(u.Date))
	l.sound = append(l.sound, cu.sound)
	if !cu.headHeld {
		rep.add(groupIndexes, "%s (record %d) is missing from %s", c.updateName(u), id, updateIndexName)
	} else if cu.headOther != "" {
		rep.add(groupIndexes, "%s gives another %s for %s (record %d) than the update's own", updateIndexName, cu.headOther, c.updateName(u), id)
	}

	cand := model.Update{ID: model.ID(id), FindingID: u.FindingID, Date: u.Date, Narrative: u.Narrative}
	if cur, ok := l.newest[u.FindingID]; !ok || !newer(&cur, &cand) {
		l.newest[u.FindingID] = cand
	}

	if !cu.byDateHeld {
		rep.add(groupIndexes, "%s (record %d) is missing from %s", c.updateName(u), id, byDateIndexName)
	} else if cu.byDateOther {
		rep.add(groupIndexes, "%s gives another date or narrative for %s (record %d) than the update's own", byDateIndexName, c.updateName(u), id)
	}
}

// checkUpdateIndexes walks the three indexes of updates once every update
// has been read.
func (l *leanSeen) checkUpdateIndexes(c *checked) {
	rep, r, updates := c.rep, c.r, &c.updates
	_ = l.heads.ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			rep.add(groupIndexes, "%s has an entry whose key is not a record number", updateIndexName)
			return nil
		}
		id := btoi(k)
		if i, ok := updates.find(id); ok && l.sound[i].head {
			return nil
		}
		var head model.Update
		payload, err := unseal(bucketUpdateHeads, k, v)
		if err == nil {
			err = l.h.read(k, payload, &head)
		}
		if err != nil {
			rep.add(groupIndexes, "%s", r.indexDamage(updateIndexName, id, err).Error())
			return nil
		}
		if _, ok := updates.find(id); !ok && updates.bad == 0 {
			rep.add(groupIndexes, "%s lists record %d, which is not a progress update in the register", updateIndexName, id)
		}
		return nil
	})

	_ = l.latest.ForEach(func(k, v []byte) error {
		f := model.ID(btoi(k))
		id, narrative, err := readLatest(k, v)
		if err != nil {
			rep.add(groupIndexes, "%s", r.indexDamage(latestIndexName, uint64(f), err).Error())
			return nil
		}
		u, ok := l.newest[f]
		switch {
		case !ok && updates.bad == 0:
			rep.add(groupIndexes, "%s has an entry for %s, which has no progress updates", latestIndexName, c.refName(f))
		case ok && (u.ID != id || u.Narrative != string(narrative)):
			rep.add(groupIndexes, "%s gives another update or narrative for %s than its latest progress update, of %s (record %d)", latestIndexName, c.refName(f), u.Date, u.ID)
		}
		return nil
	})
	for f, u := range l.newest {
		if l.latest.Get(itob(uint64(f))) == nil {
			rep.add(groupIndexes, "the latest progress update of %s, of %s (record %d), is missing from %s", c.refName(f), u.Date, u.ID, latestIndexName)
		}
	}

	_ = l.byDate.ForEach(func(k, v []byte) error {
		date, id, ok := readByDateKey(k)
		if !ok {
			rep.add(groupIndexes, "%s has an entry whose key is not a date and a record number", byDateIndexName)
			return nil
		}
		i, ok := updates.find(uint64(id))
		if ok && l.dates[i] == date && l.sound[i].byDate {
			return nil // read as its update was
		}
		if _, err := unseal(bucketNarrativesByDate, k, v); err != nil {
			rep.add(groupIndexes, "%s", r.indexDamage(byDateIndexName, uint64(id), err).Error())
			return nil
		}
		switch {
		case !ok && updates.bad == 0:
			rep.add(groupIndexes, "%s lists record %d, which is not a progress update in the register", byDateIndexName, id)
		case ok && l.dates[i] != date:
			// Filed under another date: the update's own entry was
			// compared as the update was read.
			later(c, bucketUpdates, uint64(id), func(u *model.Update) {
				rep.add(groupIndexes, "%s gives another date or narrative for %s (record %d) than the update's own", byDateIndexName, c.updateName(u), id)
			})
		}
		return nil
	})
	l.newest, l.dates, l.sound = nil, nil, nil
}
