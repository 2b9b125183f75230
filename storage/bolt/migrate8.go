package bolt

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// leanTrail (version 8) stores every event of the trail in the lean form
// (event_lean.go) and writes the index of the history by time again, whose
// entries carry a copy of some events. An event the lean form would not
// give back byte for byte keeps its JSON, and an event that fails its
// checksum is copied as it is, for check to name: the upgrade changes no
// event's hash, so every chain verifies as before.
func leanTrail(tx *bolt.Tx) error {
	audit := tx.Bucket(bucketAudit)
	if audit == nil {
		return nil
	}
	seq := audit.Sequence()
	// The section is written afresh, in key order with full pages: bbolt
	// has no renaming of a section, so the new values are held until the
	// old section is gone. They are about 40% of the old.
	var keys, vals [][]byte
	damaged := false
	if err := audit.ForEach(func(k, v []byte) error {
		stored := bytes.Clone(v)
		payload, err := unseal(bucketAudit, k, v)
		damaged = damaged || err != nil
		if err == nil && !isLeanEvent(payload) {
			if lean := leanEvent(payload); isLeanEvent(lean) {
				stored = seal(bucketAudit, k, lean)
			}
		}
		keys, vals = append(keys, bytes.Clone(k)), append(vals, stored)
		return nil
	}); err != nil {
		return err
	}
	b, err := freshBucket(tx, bucketAudit)
	if err != nil {
		return err
	}
	b.FillPercent = fullFill
	for i, k := range keys {
		if err := b.Put(k, vals[i]); err != nil {
			return err
		}
	}
	if err := b.SetSequence(seq); err != nil {
		return err
	}
	keys, vals = nil, nil
	if damaged {
		// The index cannot be written from a damaged trail; its
		// entries as they are read as before (an entry's copy of an
		// event may be in either form).
		return nil
	}
	return buildHistoryIndex(tx)
}
