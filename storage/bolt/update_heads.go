package bolt

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"improvementtracker/internal/parallel"
	"improvementtracker/internal/recjson"
	"improvementtracker/model"
)

var _ model.UpdateHeadLister = (*records)(nil)

// LoadUpdateHeads lists every progress update in ID order with the
// narratives of those dated from first to last, and of each finding's
// latest update by last, which the snapshot would otherwise read one at a
// time; the others' narratives are "". The heads come from the index of
// update heads (update_index.go), each finding's newest narrative from the
// index of latest narratives (latest_narratives.go), those dated from first
// to last from the index of narratives by date (narratives_by_date.go), and
// any other narrative wanted from its record, so the pages of the other
// updates' narratives, most of a large register, are never read. Every
// entry and record read is checked against its checksum, each record read
// against its index entry, and each entry by date against the head of the
// update it names.
func (r *records) LoadUpdateHeads(first, last, from model.Date, dst *[]model.Update) error {
	idx := r.tx.Bucket(bucketUpdateHeads)
	if idx == nil || first.IsZero() {
		// A file whose index has gone missing, opened for reading
		// only (opening it for writing builds the index again); or
		// every narrative to last is wanted (the register's search
		// asks for all of them), for which reading the records in
		// order is quicker than the index and then each record on its
		// own.
		err := r.loadUpdateHeadsFromRecords(first, last, dst)
		if err == nil && !from.IsZero() {
			*dst = model.LatestBefore(*dst, from, last)
		}
		return err
	}
	updates, err := r.bucket(bucketUpdates)
	if err != nil {
		return err
	}
	var out []model.Update
	// before holds each finding's latest update dated before from, when
	// only those are kept of the earlier updates, and beforeOf its place
	// there by finding: held here until the end rather than the hundreds
	// of thousands they are chosen from. Each is held as its key and
	// payload in the file, and only those chosen are decoded: as at a
	// date late in a register's life, nearly every head is one of these,
	// and all but one a finding are passed over.
	type candidate struct {
		key, payload []byte
		date         model.Date
	}
	var before []candidate
	var beforeOf map[model.ID]int32
	if from.IsZero() {
		out = make([]model.Update, 0, min(updates.Sequence(), 1<<22))
	} else {
		beforeOf = map[model.ID]int32{}
	}
	var h headReader
	var u model.Update
	if err := idx.ForEach(func(k, v []byte) error {
		payload, err := unseal(bucketUpdateHeads, k, v)
		if err != nil {
			return r.indexDamage(updateIndexName, btoi(k), err)
		}
		if !from.IsZero() {
			_, finding, date, err := headStart(k, payload)
			if err != nil {
				return r.indexDamage(updateIndexName, btoi(k), err)
			}
			switch {
			case date.Before(from):
				// In ID order: of a date, the last recorded is the
				// latest.
				if i, ok := beforeOf[finding]; !ok {
					beforeOf[finding] = int32(len(before))
					before = append(before, candidate{k, payload, date})
				} else if !date.Before(before[i].date) {
					before[i] = candidate{k, payload, date}
				}
				return nil
			case date.After(last):
				return nil
			}
		}
		if err := h.read(k, payload, &u); err != nil {
			return r.indexDamage(updateIndexName, btoi(k), err)
		}
		out = append(out, u)
		return nil
	}); err != nil {
		return err
	}
	if len(before) > 0 {
		for _, c := range before {
			if err := h.read(c.key, c.payload, &u); err != nil {
				return r.indexDamage(updateIndexName, btoi(c.key), err)
			}
			out = append(out, u)
		}
		slices.SortFunc(out, func(a, b model.Update) int { return cmp.Compare(a.ID, b.ID) })
	}
	// latest is, by finding, the place in out of its latest update by
	// last: the latest date, and of those the last recorded, as the
	// snapshot orders them.
	latest := map[model.ID]int{}
	for i := range out {
		if u := &out[i]; !u.Date.After(last) {
			if j, ok := latest[u.FindingID]; !ok || !u.Date.Before(out[j].Date) {
				latest[u.FindingID] = i
			}
		}
	}
	want := make([]bool, len(out))
	for i := range out {
		want[i] = !out[i].Date.Before(first) && !out[i].Date.After(last)
	}
	for _, i := range latest {
		want[i] = true
	}
	if err := r.readLatestNarratives(out, latest, want); err != nil {
		return err
	}
	if _, err := r.readNarrativesByDate(out, want, first, last, from); err != nil {
		return err
	}
	// The rest (a finding's latest by last when it is not its newest, or
	// every one wanted, from a file opened for reading only that has lost
	// the index by date), in ID order, so the records' pages are read in
	// the order they lie.
	for i := range out {
		if !want[i] {
			continue
		}
		key := itob(uint64(out[i].ID))
		raw := updates.Get(key)
		if raw == nil {
			return r.indexDamage(updateIndexName, btoi(key), errors.New("it names a progress update that is not in the register"))
		}
		var rec model.Update
		if err := r.decode(bucketUpdates, key, raw, &rec); err != nil {
			return err
		}
		if !sameHead(rec, out[i]) {
			return r.indexDamage(updateIndexName, btoi(key), fmt.Errorf("it gives another %s than the progress update's own", headsDiffer(rec, out[i])))
		}
		out[i].Narrative = rec.Narrative
	}
	*dst = out
	return nil
}

// loadUpdateHeadsFromRecords is LoadUpdateHeads for a file without the
// index of update heads: it reads every update's record, passing over the
// narratives outside first to last, which are most of its bytes.
func (r *records) loadUpdateHeadsFromRecords(first, last model.Date, dst *[]model.Update) error {
	keys, vals, err := r.updateEntries()
	if err != nil {
		return err
	}
	r = r.withByDate()
	*dst, err = parallel.Decode(len(vals), func(i int, u *model.Update) error {
		return r.decodeUpdateHead(keys[i], vals[i], first, last, u)
	}, unreadable(bucketUpdates))
	return err
}

// updateEntries lists the updates' keys and records (entries).
func (r *records) updateEntries() (keys, vals [][]byte, err error) {
	b, err := r.bucket(bucketUpdates)
	if err != nil {
		return nil, nil, err
	}
	return entries(b)
}

var _ model.UpdateTextLister = (*records)(nil)

// LoadUpdateTexts lists every progress update's finding and narrative in
// ID order, each record checked against its checksum and decoded on every
// core. A narrative without escapes is the file's own bytes, valid until
// the transaction ends; the register's search copies it once, lower-cased,
// where decoding it copied it first.
func (r *records) LoadUpdateTexts(dst *[]model.UpdateText) error {
	keys, vals, err := r.updateEntries()
	if err != nil {
		return err
	}
	r = r.withByDate()
	byDate := r.narrativesInOrder(keys)
	*dst, err = parallel.Decode(len(vals), func(i int, t *model.UpdateText) error {
		var u model.Update
		if payload, err := unseal(bucketUpdates, keys[i], vals[i]); err == nil {
			if text, ok := apartText(payload, byDate[i]); ok {
				*t = text
				return nil
			}
			if text, ok := recjson.UpdateText(payload, &u); ok {
				*t = model.UpdateText{FindingID: u.FindingID, Text: text}
				return nil
			}
		}
		// An escaped narrative, a record not in the form the app writes,
		// or damage: read as any record is, which says what is wrong.
		u = model.Update{}
		if err := r.decode(bucketUpdates, keys[i], vals[i], &u); err != nil {
			return err
		}
		*t = model.UpdateText{FindingID: u.FindingID, Text: []byte(u.Narrative)}
		return nil
	}, unreadable(bucketUpdates))
	return err
}

func (r *records) decodeUpdateHead(key, raw []byte, first, last model.Date, u *model.Update) error {
	payload, err := unseal(bucketUpdates, key, raw)
	if err == nil && isApartUpdate(payload) {
		if err = r.decode(bucketUpdates, key, raw, u); err != nil {
			return err
		}
		if u.Date.Before(first) || u.Date.After(last) {
			u.Narrative = ""
		}
		return nil
	}
	if err == nil {
		if recjson.UpdateHead(payload, first, last, u) {
			return nil
		}
		*u = model.Update{}
		if err = json.Unmarshal(payload, u); err != nil {
			err = fmt.Errorf("it cannot be read as a record (%s)", jsonProblem(err))
		} else if u.Date.Before(first) || u.Date.After(last) {
			u.Narrative = ""
		}
	}
	if err != nil {
		return r.damage(bucketUpdates, key, payload, err)
	}
	return nil
}
