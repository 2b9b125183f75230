package bolt

import (
	"bytes"
	"errors"
	"slices"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// bucketLatestNarratives: findingID -> the ID of the finding's newest
// progress update (the latest date, and of those the last recorded) and its
// narrative, sealed. Added by schema version 5.
//
// Every return and the dashboard show each finding's latest narrative. With
// the index of update heads, only the narratives wanted are read from the
// updates section, but those of the latest updates are spread over all of
// it: one in every few pages, and a page read from the file brings its
// neighbours with it, so reading them came to reading nearly the whole
// section. Kept together here, one a finding, they are a few hundred pages
// on the largest register. An as-at date before a finding's newest update
// needs an older narrative, which is read from the updates section as any
// other.
var bucketLatestNarratives = []byte("latest_narratives")

// latestIndexName is the index in words.
const latestIndexName = "the index of each finding's latest progress narrative"

// latestValue is an entry's payload: the update ID, 8 bytes big-endian,
// then the narrative.
func latestValue(id model.ID, narrative string) []byte {
	return append(itob(uint64(id)), narrative...)
}

// readLatest checks and reads an entry; the narrative points into raw.
func readLatest(key, raw []byte) (id model.ID, narrative []byte, err error) {
	payload, err := unseal(bucketLatestNarratives, key, raw)
	if err != nil {
		return 0, nil, err
	}
	if len(key) != 8 || len(payload) < 8 {
		return 0, nil, errHeadForm
	}
	return model.ID(btoi(payload)), payload[8:], nil
}

// newer reports whether update a comes after b in a finding's history, as
// the snapshot orders them: by date, then in the order recorded.
func newer(a, b *model.Update) bool {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}

// putLatest keeps the finding's entry after u is written: u becomes it
// when it is at least as new as the entry's update; when u is the entry's
// update, given another date, the newest is found again.
func (r *records) putLatest(u *model.Update) error {
	latest, heads, err := r.latestBuckets()
	if err != nil {
		return err
	}
	fkey := itob(uint64(u.FindingID))
	raw := latest.Get(fkey)
	if raw == nil {
		return latest.Put(fkey, seal(bucketLatestNarratives, fkey, latestValue(u.ID, u.Narrative)))
	}
	id, _, err := readLatest(fkey, raw)
	if err != nil {
		return r.indexDamage(latestIndexName, uint64(u.FindingID), err)
	}
	if id != u.ID {
		var cur model.Update
		if err := r.head(heads, id, &cur); err != nil {
			return err
		}
		if newer(&cur, u) {
			return nil
		}
		return latest.Put(fkey, seal(bucketLatestNarratives, fkey, latestValue(u.ID, u.Narrative)))
	}
	return r.findLatest(u.FindingID, 0, u)
}

// deleteLatest keeps the finding's entry after update u is deleted or moved
// to another finding.
func (r *records) deleteLatest(u *model.Update) error {
	latest, _, err := r.latestBuckets()
	if err != nil {
		return err
	}
	fkey := itob(uint64(u.FindingID))
	raw := latest.Get(fkey)
	if raw == nil {
		return nil
	}
	if id, _, err := readLatest(fkey, raw); err != nil {
		return r.indexDamage(latestIndexName, uint64(u.FindingID), err)
	} else if id != u.ID {
		return nil
	}
	return r.findLatest(u.FindingID, u.ID, nil)
}

// findLatest sets a finding's entry to its newest update: of those its
// index lists but except, and plus, the update being written, when not nil.
func (r *records) findLatest(finding, except model.ID, plus *model.Update) error {
	latest, heads, err := r.latestBuckets()
	if err != nil {
		return err
	}
	byFinding, err := r.bucket(bucketUpdatesByFinding)
	if err != nil {
		return err
	}
	best := plus
	fromPlus := plus != nil
	prefix := itob(uint64(finding))
	c := byFinding.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := model.ID(btoi(k[8:]))
		if id == except || plus != nil && id == plus.ID {
			continue
		}
		var h model.Update
		if err := r.head(heads, id, &h); err != nil {
			return err
		}
		if best == nil || newer(&h, best) {
			best, fromPlus = &h, false
		}
	}
	fkey := itob(uint64(finding))
	if best == nil {
		return latest.Delete(fkey)
	}
	narrative := best.Narrative
	if !fromPlus {
		updates, err := r.bucket(bucketUpdates)
		if err != nil {
			return err
		}
		key := itob(uint64(best.ID))
		raw := updates.Get(key)
		if raw == nil {
			return r.indexDamage(updateIndexName, uint64(best.ID), errors.New("it names a progress update that is not in the register"))
		}
		var rec model.Update
		if err := r.decode(bucketUpdates, key, raw, &rec); err != nil {
			return err
		}
		narrative = rec.Narrative
	}
	return latest.Put(fkey, seal(bucketLatestNarratives, fkey, latestValue(best.ID, narrative)))
}

func (r *records) latestBuckets() (latest, heads *bolt.Bucket, err error) {
	if latest, err = r.bucket(bucketLatestNarratives); err != nil {
		return nil, nil, err
	}
	heads, err = r.bucket(bucketUpdateHeads)
	return latest, heads, err
}

// head reads one update's head from the index.
func (r *records) head(heads *bolt.Bucket, id model.ID, u *model.Update) error {
	key := itob(uint64(id))
	raw := heads.Get(key)
	if raw == nil {
		return r.indexDamage(updateIndexName, uint64(id), errors.New("the progress update has no entry"))
	}
	payload, err := unseal(bucketUpdateHeads, key, raw)
	if err == nil {
		var h headReader
		err = h.read(key, payload, u)
	}
	if err != nil {
		return r.indexDamage(updateIndexName, uint64(id), err)
	}
	return nil
}

// buildLatestNarratives writes the index of latest narratives afresh from
// the updates' records: for schema version 5, and when a file's index has
// gone missing.
func buildLatestNarratives(tx *bolt.Tx) error {
	latest, updates, err := freshUpdateIndex(tx, bucketLatestNarratives)
	if err != nil || updates == nil {
		return err
	}
	r := &records{tx: tx}
	newest := map[model.ID]model.Update{}
	if err := updates.ForEach(func(k, v []byte) error {
		payload, err := unseal(bucketUpdates, k, v)
		if err != nil {
			return r.damage(bucketUpdates, k, payload, err)
		}
		u, err := headOf(payload)
		if err != nil {
			return r.damage(bucketUpdates, k, payload, err)
		}
		u.ID = model.ID(btoi(k))
		if cur, ok := newest[u.FindingID]; !ok || !newer(&cur, &u) {
			newest[u.FindingID] = u
		}
		return nil
	}); err != nil {
		return err
	}
	findings := make([]model.ID, 0, len(newest))
	for f := range newest {
		findings = append(findings, f)
	}
	slices.Sort(findings)
	latest.FillPercent = appendFill
	for _, f := range findings {
		key := itob(uint64(newest[f].ID))
		var rec model.Update
		if err := r.decode(bucketUpdates, key, updates.Get(key), &rec); err != nil {
			return err
		}
		fkey := itob(uint64(f))
		if err := latest.Put(fkey, seal(bucketLatestNarratives, fkey, latestValue(newest[f].ID, rec.Narrative))); err != nil {
			return err
		}
	}
	return nil
}

// readLatestNarratives gives the updates in out (listed from the index of
// update heads) whose place latest names the narratives the index of
// latest narratives holds for them, and clears want for those; a finding
// whose latest update by the as-at date is not its newest is left to be
// read from the updates section.
func (r *records) readLatestNarratives(out []model.Update, latestOf map[model.ID]int, want []bool) error {
	b := r.tx.Bucket(bucketLatestNarratives)
	if b == nil {
		return nil // a file opened for reading only that has lost it
	}
	return b.ForEach(func(k, v []byte) error {
		id, narrative, err := readLatest(k, v)
		if err != nil {
			return r.indexDamage(latestIndexName, btoi(k), err)
		}
		if j, ok := latestOf[model.ID(btoi(k))]; ok && out[j].ID == id {
			out[j].Narrative = string(narrative)
			want[j] = false
		}
		return nil
	})
}
