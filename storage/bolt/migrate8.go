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
	if tx.Bucket(bucketAudit) == nil {
		return nil
	}
	// The section is written afresh (the new values are about 40% of the
	// old, and are dropped before the index is written).
	damaged := false
	err := rewriteSection(tx, bucketAudit, fullFill, func(k, v []byte) ([]byte, error) {
		payload, err := unseal(bucketAudit, k, v)
		damaged = damaged || err != nil
		if err == nil && !isLeanEvent(payload) {
			if lean := leanEvent(payload); isLeanEvent(lean) {
				return seal(bucketAudit, k, lean), nil
			}
		}
		return bytes.Clone(v), nil
	})
	if err != nil || damaged {
		// The index cannot be written from a damaged trail; its
		// entries as they are read as before (an entry's copy of an
		// event may be in either form).
		return err
	}
	return buildHistoryIndex(tx)
}
