package bolt

import (
	"bytes"
	"reflect"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// checkLeanIndexes compares the indexes of schema versions 5 and 6 with the records
// they stand for: each entry names a record that exists and says what the
// record says; each record has its entry. Either index can be built again
// from the records, so a problem here loses nothing, but until it is put
// right an as-at return or the dashboard could read the register wrongly.
func checkLeanIndexes(tx *bolt.Tx, r *records, updates loaded[model.Update], audit loaded[model.AuditEvent], refName func(model.ID) string, rep report) {
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
	if missing {
		return
	}
	updateName := func(u model.Update) string {
		return "the progress update of " + u.Date.String() + " on " + refName(u.FindingID)
	}
	heads := tx.Bucket(bucketUpdateHeads)
	var h headReader
	_ = heads.ForEach(func(k, v []byte) error {
		if len(k) != 8 {
			rep.add(groupIndexes, "%s has an entry whose key is not a record number", updateIndexName)
			return nil
		}
		id := btoi(k)
		var head model.Update
		payload, err := unseal(bucketUpdateHeads, k, v)
		if err == nil {
			err = h.read(k, payload, &head)
		}
		if err != nil {
			rep.add(groupIndexes, "%s", r.indexDamage(updateIndexName, id, err).Error())
			return nil
		}
		u, ok := updates.recs[id]
		switch {
		case !ok && updates.bad == 0:
			rep.add(groupIndexes, "%s lists record %d, which is not a progress update in the register", updateIndexName, id)
		case ok && !sameHead(u, head):
			rep.add(groupIndexes, "%s gives another %s for %s (record %d) than the update's own", updateIndexName, headsDiffer(u, head), updateName(u), id)
		}
		return nil
	})
	for _, id := range updates.ids {
		if heads.Get(itob(id)) == nil {
			rep.add(groupIndexes, "%s (record %d) is missing from %s", updateName(updates.recs[id]), id, updateIndexName)
		}
	}

	// Each finding's newest update, by the records.
	newest := map[model.ID]model.Update{}
	for _, id := range updates.ids {
		u := updates.recs[id]
		u.ID = model.ID(id)
		if cur, ok := newest[u.FindingID]; !ok || !newer(&cur, &u) {
			newest[u.FindingID] = u
		}
	}
	latest := tx.Bucket(bucketLatestNarratives)
	_ = latest.ForEach(func(k, v []byte) error {
		f := model.ID(btoi(k))
		id, narrative, err := readLatest(k, v)
		if err != nil {
			rep.add(groupIndexes, "%s", r.indexDamage(latestIndexName, uint64(f), err).Error())
			return nil
		}
		u, ok := newest[f]
		switch {
		case !ok && updates.bad == 0:
			rep.add(groupIndexes, "%s has an entry for %s, which has no progress updates", latestIndexName, refName(f))
		case ok && (u.ID != id || u.Narrative != string(narrative)):
			rep.add(groupIndexes, "%s gives another update or narrative for %s than its latest progress update, of %s (record %d)", latestIndexName, refName(f), u.Date, u.ID)
		}
		return nil
	})
	for f, u := range newest {
		if latest.Get(itob(uint64(f))) == nil {
			rep.add(groupIndexes, "the latest progress update of %s, of %s (record %d), is missing from %s", refName(f), u.Date, u.ID, latestIndexName)
		}
	}

	// Each update's narrative under its date.
	byDate := tx.Bucket(bucketNarrativesByDate)
	_ = byDate.ForEach(func(k, v []byte) error {
		date, id, ok := readByDateKey(k)
		if !ok {
			rep.add(groupIndexes, "%s has an entry whose key is not a date and a record number", byDateIndexName)
			return nil
		}
		payload, err := unseal(bucketNarrativesByDate, k, v)
		if err != nil {
			rep.add(groupIndexes, "%s", r.indexDamage(byDateIndexName, uint64(id), err).Error())
			return nil
		}
		u, ok := updates.recs[uint64(id)]
		switch {
		case !ok && updates.bad == 0:
			rep.add(groupIndexes, "%s lists record %d, which is not a progress update in the register", byDateIndexName, id)
		case ok && (dateBits(u.Date) != date || u.Narrative != string(payload)):
			rep.add(groupIndexes, "%s gives another date or narrative for %s (record %d) than the update's own", byDateIndexName, updateName(u), id)
		}
		return nil
	})
	for _, id := range updates.ids {
		u := updates.recs[id]
		if byDate.Get(byDateKey(u.Date, model.ID(id))) == nil {
			rep.add(groupIndexes, "%s (record %d) is missing from %s", updateName(u), id, byDateIndexName)
		}
	}

	byTime := tx.Bucket(bucketAuditByTime)
	_ = byTime.ForEach(func(k, v []byte) error {
		e, ok := readHistoryKey(k)
		if !ok {
			rep.add(groupIndexes, "%s has a malformed entry", historyIndexName)
			return nil
		}
		ev, ok := audit.recs[uint64(e.id)]
		switch {
		case !ok && audit.bad == 0:
			rep.add(groupIndexes, "%s names history entry %d, which does not exist", historyIndexName, e.id)
		case ok && (ev.Entity != e.entity || ev.Action != e.action || !ev.At.Equal(e.at)):
			rep.add(groupIndexes, "%s gives another time, action or kind of record for %s", historyIndexName, eventName(ev))
		case len(v) > 0:
			var got model.AuditEvent
			payload, err := unseal(bucketAuditByTime, k, v)
			whole := err == nil && len(payload) > 0 && payload[0] == eventWholeFormat
			if err == nil {
				_, err = readEventEntry(e, payload, whole, false, &got)
			}
			if err != nil {
				rep.add(groupIndexes, "%s", r.indexDamage(historyIndexName, uint64(e.id), err).Error())
			} else if ok && (!sameEventHead(ev, got) || whole && !reflect.DeepEqual(ev.Changes, got.Changes)) {
				rep.add(groupIndexes, "%s gives another account of %s than the entry's own", historyIndexName, eventName(ev))
			}
		}
		return nil
	})
	for _, id := range audit.ids {
		ev := audit.recs[id]
		k, err := historyKey(model.ID(id), ev.At, ev.Entity, ev.Action)
		if err != nil || byTime.Get(k) == nil {
			rep.add(groupIndexes, "%s is missing from %s", eventName(ev), historyIndexName)
		}
	}
}
