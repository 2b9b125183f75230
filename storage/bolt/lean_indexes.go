package bolt

import (
	"bytes"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// The indexes of schema version 5 (update_index.go, history_index.go) are
// the store's business: they are written in the transaction of every write
// of the records they stand for, whatever wrote them (the rules layer, a
// copy between stores), so they never disagree with the records unless the
// file is damaged, which check finds.

// leanIndex is one of the indexes of schema versions 5 and 6: its section,
// what builds it from the records, the version that added it, the index in
// words, and the record an entry's key stands for. Opening a file for
// writing builds any that has gone missing: they hold nothing the records
// do not.
type leanIndex struct {
	name    []byte
	build   func(tx *bolt.Tx) error
	version int
	words   string
	record  func(key []byte) uint64
}

// leanIndexes lists the indexes. It is a function, not a variable: the
// list names what builds the history index, which can come to check the
// indexes' seals (through a damage message offering a backup), and a
// variable cannot be needed to make itself.
func leanIndexes() []leanIndex {
	return []leanIndex{
		{bucketUpdateHeads, buildUpdateHeads, 5, updateIndexName, btoi},
		{bucketLatestNarratives, buildLatestNarratives, 5, latestIndexName, btoi},
		{bucketAuditByTime, buildHistoryIndex, 5, historyIndexName, func(k []byte) uint64 {
			e, _ := readHistoryKey(k)
			return uint64(e.id)
		}},
		{bucketNarrativesByDate, buildNarrativesByDate, 6, byDateIndexName, func(k []byte) uint64 {
			_, id, _ := readByDateKey(k)
			return uint64(id)
		}},
	}
}

// buildLeanIndexes (version 5) builds the index of update heads, the index
// of latest narratives and the index of the history by time, so that the
// register as it stood at a date reads neither every narrative nor the
// whole trail. The index of version 6 is built by its own step.
func buildLeanIndexes(tx *bolt.Tx) error {
	for _, ix := range leanIndexes() {
		if ix.version != 5 {
			continue
		}
		if err := ix.build(tx); err != nil {
			return err
		}
	}
	return nil
}

// rebuildMissingIndexes builds the indexes of version 5 that a file of that
// version lacks: one deleted by a tool, or lost with a damaged page. Without
// it, the section would be made afresh, empty, and the register would read
// as if it held no progress updates.
func rebuildMissingIndexes(tx *bolt.Tx) error {
	for _, ix := range leanIndexes() {
		if tx.Bucket(ix.name) != nil {
			continue
		}
		if err := ix.build(tx); err != nil {
			return err
		}
	}
	return nil
}

// isLeanIndex reports whether a section is one of the indexes of version 5,
// which a file opened for reading only may lack: it is then read without
// them.
func isLeanIndex(name []byte) bool {
	for _, ix := range leanIndexes() {
		if bytes.Equal(ix.name, name) {
			return true
		}
	}
	return false
}

// putLeanIndexes writes the index entries of a record about to be stored
// under key in b, its bucket, as raw: an update's JSON, an event's JSON
// or lean form (event_lean.go).
func (r *records) putLeanIndexes(kind model.Kind, b *bolt.Bucket, key, raw []byte) error {
	switch kind {
	case model.KindUpdate:
		idx, err := r.bucket(bucketUpdateHeads)
		if err != nil {
			return err
		}
		var old model.Update
		replaced := idx.Get(key) != nil
		if replaced {
			if err := r.head(idx, model.ID(btoi(key)), &old); err != nil {
				return err
			}
		}
		u, err := updateOf(raw)
		if err != nil {
			return err
		}
		u.ID = model.ID(btoi(key))
		head := u
		head.Narrative = ""
		idx.FillPercent = appendFill // keys are update IDs, which only grow
		if err := idx.Put(key, seal(bucketUpdateHeads, key, appendHead(nil, &head))); err != nil {
			return err
		}
		if replaced && old.FindingID != u.FindingID {
			if err := r.deleteLatest(&old); err != nil {
				return err
			}
		}
		var was *model.Update
		if replaced {
			was = &old
		}
		if err := r.putByDate(&u, was); err != nil {
			return err
		}
		return r.putLatest(&u)
	case model.KindAudit:
		idx, err := r.bucket(bucketAuditByTime)
		if err != nil {
			return err
		}
		c, err := packerOf(r.tx, keyDictEvents)
		if err != nil {
			return err
		}
		return putHistory(c, idx, key, raw, b.Get(key))
	}
	return nil
}

// deleteLeanIndexes removes the index entries of the record stored under
// key as old, a sealed value, which is about to be deleted.
func (r *records) deleteLeanIndexes(kind model.Kind, key, old []byte) error {
	switch kind {
	case model.KindUpdate:
		idx, err := r.bucket(bucketUpdateHeads)
		if err != nil {
			return err
		}
		var u model.Update
		if err := r.decode(bucketUpdates, key, old, &u); err != nil {
			return err
		}
		if err := idx.Delete(key); err != nil {
			return err
		}
		u.ID = model.ID(btoi(key))
		if err := r.deleteByDate(&u); err != nil {
			return err
		}
		return r.deleteLatest(&u)
	case model.KindAudit:
		idx, err := r.bucket(bucketAuditByTime)
		if err != nil {
			return err
		}
		return deleteHistory(idx, key, old)
	}
	return nil
}

// checkLeanSeals checks the envelope of every entry of the indexes of
// version 5 that has one (the history index's entries without a head have
// none), as a backup's check does for every record.
func checkLeanSeals(tx *bolt.Tx, r *records) error {
	for _, ix := range leanIndexes() {
		b := tx.Bucket(ix.name)
		if b == nil {
			continue
		}
		if err := b.ForEach(func(k, v []byte) error {
			if len(v) == 0 && bytes.Equal(ix.name, bucketAuditByTime) {
				return nil
			}
			if _, err := unseal(ix.name, k, v); err != nil {
				return r.indexDamage(ix.words, ix.record(k), err)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// freshUpdateIndex makes the section of an index of the progress updates
// empty, to be written afresh, and gives it with the updates' section, nil
// when the register has none.
func freshUpdateIndex(tx *bolt.Tx, name []byte) (idx, updates *bolt.Bucket, err error) {
	if idx, err = freshBucket(tx, name); err != nil {
		return nil, nil, err
	}
	return idx, tx.Bucket(bucketUpdates), nil
}

// freshBucket makes an index's section empty, to be written afresh.
func freshBucket(tx *bolt.Tx, name []byte) (*bolt.Bucket, error) {
	if tx.Bucket(name) != nil {
		if err := tx.DeleteBucket(name); err != nil {
			return nil, err
		}
	}
	return tx.CreateBucket(name)
}
