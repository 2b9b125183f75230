package bolt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

// From schema version 8 a progress update's narrative is stored once: in
// the index of narratives by date (narratives_by_date.go), where a return
// reads a quarter's together, and not also in the update's record. The
// record is then
//
//	updateApartFormat, then the update's JSON with an empty narrative
//
// and reading it gives the narrative back from its entry by date (the
// record's date and ID make the key). On the 10,000-finding synthetic
// register the second copy was 66 MB. Reading the narratives from the
// records instead (keeping the entries by date as keys only) was tried
// first: a quarter's records lie all over their section, and the return's
// peak memory rose from about 230 to 317 MB.
//
// The entries by date of such records are no longer an index that can be
// written again from the records: a missing entry is damage, said in
// words wherever the update is read, and check names it.
const updateApartFormat = 0xB8 // not '{', nor the whitespace JSON may start with

// isApartUpdate reports whether an update's stored payload keeps its
// narrative apart.
func isApartUpdate(payload []byte) bool {
	return len(payload) > 0 && payload[0] == updateApartFormat
}

// apartUpdate is what the updates section stores for an update whose JSON
// is raw: the record without its narrative when that, with the narrative
// put back, reads as raw does; else raw itself.
func apartUpdate(raw []byte) []byte {
	u, err := updateOf(raw)
	if err != nil || u.Narrative == "" {
		return raw
	}
	want, err := json.Marshal(u)
	if err != nil {
		return raw
	}
	narrative := u.Narrative
	u.Narrative = ""
	js, err := json.Marshal(u)
	if err != nil {
		return raw
	}
	back, err := updateOf(js)
	if err != nil {
		return raw
	}
	back.Narrative = narrative
	if again, err := json.Marshal(back); err != nil || !bytes.Equal(again, want) {
		return raw
	}
	return append([]byte{updateApartFormat}, js...)
}

// errNoByDate is why an update kept apart cannot be read in a file that
// has lost its narratives by date.
var errNoByDate = errors.New("its narrative is kept in the index of progress narratives by date, which the file no longer has")

// decodeApart reads an update stored apart into v, its narrative from the
// entry by date when v is an update.
func (r *records) decodeApart(key, payload []byte, v any) error {
	js := payload[1:]
	if !recjson.Decode(js, v) {
		if err := json.Unmarshal(js, v); err != nil {
			return fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
		}
	}
	u, ok := v.(*model.Update)
	if !ok {
		return nil
	}
	var err error
	u.Narrative, err = r.narrativeOf(key, u.Date)
	return err
}

// narrativeOf reads the narrative of the update stored under key, dated d,
// from its entry by date.
func (r *records) narrativeOf(key []byte, d model.Date) (string, error) {
	text, err := r.narrativeBytes(key, d)
	return string(text), err
}

// narrativeBytes is narrativeOf as the file's own bytes, valid until the
// transaction ends.
func (r *records) narrativeBytes(key []byte, d model.Date) ([]byte, error) {
	idx := r.byDate
	if idx == nil && r.tx != nil {
		idx = r.tx.Bucket(bucketNarrativesByDate)
	}
	if idx == nil {
		return nil, errNoByDate
	}
	k := byDateKey(d, model.ID(btoi(key)))
	raw := r.get(idx, k)
	if raw == nil {
		return nil, errors.New("its narrative is missing from the index of progress narratives by date")
	}
	text, err := unseal(bucketNarrativesByDate, k, raw)
	if err != nil {
		return nil, fmt.Errorf("its narrative, kept in the index of progress narratives by date, fails its check: %w", err)
	}
	return text, nil
}

// withByDate is r with the section of narratives by date found, for
// decoding updates on every core.
func (r *records) withByDate() *records {
	c := *r
	if c.byDate == nil && c.tx != nil {
		c.byDate = c.tx.Bucket(bucketNarrativesByDate)
	}
	return &c
}

// datedText is an update's narrative as its entry by date holds it: the
// file's own bytes, checked against the entry's checksum, and the date of
// the entry.
type datedText struct {
	date uint32 // dateBits; 0 when there is no entry
	text []byte
}

// narrativesInOrder reads the entries by date in one walk and gives, for
// each update key in keys (in key order), its entry: a walk in order
// costs far less than a search of the section for every update. An entry
// that fails its checksum, or a second one for the same update, is left
// out: the update is then read as any record is, which says what is
// wrong.
func (r *records) narrativesInOrder(keys [][]byte) []datedText {
	out := make([]datedText, len(keys))
	if r.byDate == nil {
		return out
	}
	seen := make([]bool, len(keys))
	find := updatePlaces(keys)
	_ = r.byDate.ForEach(func(k, v []byte) error {
		date, id, ok := readByDateKey(k)
		if !ok {
			return nil
		}
		i, found := find(uint64(id))
		if !found {
			return nil
		}
		text, err := unseal(bucketNarrativesByDate, k, v)
		if err != nil || seen[i] {
			out[i] = datedText{}
			return nil
		}
		seen[i] = true
		out[i] = datedText{date: date, text: text}
		return nil
	})
	return out
}

// updatePlaces gives a function that finds an update's place in keys (in
// key order) by its ID: from a table when the IDs are nearly all used, as
// they are (numbers are given in turn, and few updates are deleted), else
// by a binary search.
func updatePlaces(keys [][]byte) func(id uint64) (int, bool) {
	ids := make([]uint64, len(keys))
	for i, k := range keys {
		ids[i] = btoi(k)
	}
	if len(ids) == 0 {
		return func(uint64) (int, bool) { return 0, false }
	}
	lo, hi := ids[0], ids[len(ids)-1]
	if hi-lo >= uint64(4*len(ids)) {
		return func(id uint64) (int, bool) { return slices.BinarySearch(ids, id) }
	}
	place := make([]int32, hi-lo+1)
	for i, id := range ids {
		place[id-lo] = int32(i + 1)
	}
	return func(id uint64) (int, bool) {
		if id < lo || id > hi || place[id-lo] == 0 {
			return 0, false
		}
		return int(place[id-lo] - 1), true
	}
}

// apartText reads the finding of an update stored apart without decoding
// the rest, and gives it with its narrative from its entry by date (the
// register's search reads every narrative). ok is false when the record
// is not in that form or its entry is not under its date: it is then
// decoded as any record is, which says what is wrong.
func apartText(payload []byte, entry datedText) (model.UpdateText, bool) {
	if !isApartUpdate(payload) || entry.date == 0 {
		return model.UpdateText{}, false
	}
	// The two fields alone, as the app writes them (in JSON a string
	// cannot hold a quote that is not escaped, so `"date":` is a key):
	// most of the time of reading the search's texts was decoding the
	// rest of each record.
	js := payload[1:]
	finding, err := strconv.ParseUint(field(js, "finding_id"), 10, 64)
	if err != nil || finding == 0 {
		return model.UpdateText{}, false
	}
	d, err := model.ParseDate(field(js, "date"))
	if err != nil || dateBits(d) != entry.date {
		return model.UpdateText{}, false
	}
	return model.UpdateText{FindingID: model.ID(finding), Text: entry.text}, true
}

// narrativesOnce (version 8) stores each update's record without its
// narrative, which its entry by date keeps (written again from the record
// where the two differ: the record is what the app read until now). A
// record the form would not give back as it was, and one that fails its
// checksum, are left as they are.
func narrativesOnce(tx *bolt.Tx) error {
	updates, idx := tx.Bucket(bucketUpdates), tx.Bucket(bucketNarrativesByDate)
	if updates == nil || idx == nil {
		return nil
	}
	r := &records{tx: tx}
	// Updates are added at the end: their pages are left room as a save
	// leaves them (appendFill).
	return rewriteSection(tx, bucketUpdates, appendFill, func(k, v []byte) ([]byte, error) {
		payload, err := unseal(bucketUpdates, k, v)
		if err != nil || isApartUpdate(payload) {
			return bytes.Clone(v), nil
		}
		apart := apartUpdate(payload)
		if !isApartUpdate(apart) {
			return bytes.Clone(v), nil
		}
		u, err := updateOf(payload)
		if err != nil {
			return nil, err
		}
		if n, err := r.narrativeOf(k, u.Date); err != nil || n != u.Narrative {
			bk := byDateKey(u.Date, model.ID(btoi(k)))
			idx.FillPercent = appendFill
			if err := idx.Put(bk, seal(bucketNarrativesByDate, bk, []byte(u.Narrative))); err != nil {
				return nil, err
			}
		}
		return seal(bucketUpdates, k, apart), nil
	})
}
