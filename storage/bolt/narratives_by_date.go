package bolt

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"slices"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// bucketNarrativesByDate: the date an update speaks for (4 bytes) and its
// ID (8 bytes), both big-endian -> its narrative, sealed. Added by schema
// version 6.
//
// A return prints the narratives of its quarter. Read from the updates
// section they lie where each update was recorded: together when the
// register was kept quarter by quarter, but one in every few pages when a
// register was imported in one go, each finding's updates together, and a
// page read from the file brings its neighbours with it, so reading a
// quarter's came to reading nearly the whole section (about 100 MB of the
// 10,000-finding synthetic register). Kept here in date order, a quarter's
// narratives lie together however they were recorded. From version 8 this
// is the only copy of a narrative: the update's record leaves it out
// (update_apart.go).
var bucketNarrativesByDate = []byte("narratives_by_date")

// byDateIndexName is the index in words.
const byDateIndexName = "the index of progress narratives by date"

// byDateKeySize is the length of a key: the date, then the update's ID.
const byDateKeySize = 4 + 8

// byDateKey is the key of an update's entry. The date is written so that
// keys sort by date: year, month and day in bits of their own.
func byDateKey(d model.Date, id model.ID) []byte {
	k := make([]byte, byDateKeySize)
	binary.BigEndian.PutUint32(k, dateBits(d))
	binary.BigEndian.PutUint64(k[4:], uint64(id))
	return k
}

func dateBits(d model.Date) uint32 {
	return uint32(d.Year)<<9 | uint32(d.Month)<<5 | uint32(d.Day)
}

// readByDateKey gives the date bits and update ID of a key.
func readByDateKey(k []byte) (date uint32, id model.ID, ok bool) {
	if len(k) != byDateKeySize {
		return 0, 0, false
	}
	return binary.BigEndian.Uint32(k), model.ID(binary.BigEndian.Uint64(k[4:])), true
}

// putByDate writes u's entry, moving it from old's date when u replaces an
// update stored before (old is nil for a new update).
func (r *records) putByDate(u, old *model.Update) error {
	idx, err := r.bucket(bucketNarrativesByDate)
	if err != nil {
		return err
	}
	if old != nil && old.Date != u.Date {
		if err := idx.Delete(byDateKey(old.Date, u.ID)); err != nil {
			return err
		}
	}
	k := byDateKey(u.Date, u.ID)
	return idx.Put(k, seal(bucketNarrativesByDate, k, []byte(u.Narrative)))
}

// deleteByDate removes the entry of u, which is about to be deleted.
func (r *records) deleteByDate(u *model.Update) error {
	idx, err := r.bucket(bucketNarrativesByDate)
	if err != nil {
		return err
	}
	return idx.Delete(byDateKey(u.Date, u.ID))
}

// buildNarrativesByDate writes the index of narratives by date afresh from
// the updates' records: for schema version 6, and when a file's index has
// gone missing.
func buildNarrativesByDate(tx *bolt.Tx) error {
	idx, updates, err := freshUpdateIndex(tx, bucketNarrativesByDate)
	if err != nil || updates == nil {
		return err
	}
	r := &records{tx: tx}
	type entry struct{ key, narrative []byte }
	var entries []entry
	if err := updates.ForEach(func(k, v []byte) error {
		var u model.Update
		if err := r.decode(bucketUpdates, k, v, &u); err != nil {
			return err
		}
		entries = append(entries, entry{byDateKey(u.Date, model.ID(btoi(k))), []byte(u.Narrative)})
		return nil
	}); err != nil {
		return err
	}
	// In key order, so that the pages are filled as they are appended.
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	idx.FillPercent = appendFill
	for _, e := range entries {
		if err := idx.Put(e.key, seal(bucketNarrativesByDate, e.key, e.narrative)); err != nil {
			return err
		}
	}
	return nil
}

// readNarrativesByDate gives the updates in out (listed from the index of
// update heads, in ID order) dated from first to last their narratives from
// the index, and clears want for them. false when the file has no such
// index (one opened for reading only that has lost it): the narratives are
// then read from the updates' records. When kept is not zero, out holds of
// the updates dated before kept only each finding's latest (LatestBefore),
// so an entry dated before kept may name an update out leaves out; every
// entry from kept on must name one out holds.
func (r *records) readNarrativesByDate(out []model.Update, want []bool, first, last, kept model.Date) (bool, error) {
	idx := r.tx.Bucket(bucketNarrativesByDate)
	if idx == nil {
		return false, nil
	}
	from, to := dateBits(first), dateBits(last)
	c := idx.Cursor()
	start := make([]byte, 4)
	binary.BigEndian.PutUint32(start, from)
	for k, v := c.Seek(start); k != nil; k, v = c.Next() {
		date, id, ok := readByDateKey(k)
		if !ok {
			return true, r.indexDamage(byDateIndexName, 0, errors.New("its key is not in the form the index is written in"))
		}
		if date > to {
			break
		}
		j, found := slices.BinarySearchFunc(out, id, func(u model.Update, id model.ID) int { return cmp.Compare(u.ID, id) })
		if !found && !kept.IsZero() && date < dateBits(kept) {
			continue // left out as not its finding's latest before kept
		}
		if !found {
			return true, r.indexDamage(byDateIndexName, uint64(id), errors.New("it names a progress update that is not in the register"))
		}
		if dateBits(out[j].Date) != date {
			return true, r.indexDamage(byDateIndexName, uint64(id), errors.New("it gives the progress update another date than its own"))
		}
		payload, err := unseal(bucketNarrativesByDate, k, v)
		if err != nil {
			return true, r.indexDamage(byDateIndexName, uint64(id), err)
		}
		out[j].Narrative = string(payload)
		want[j] = false
	}
	for j := range out {
		if want[j] && !out[j].Date.Before(first) && !out[j].Date.After(last) {
			return true, r.indexDamage(byDateIndexName, uint64(out[j].ID), errors.New("the progress update has no entry"))
		}
	}
	return true, nil
}
