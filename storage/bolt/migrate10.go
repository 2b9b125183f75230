package bolt

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// packTexts (version 10) trains a dictionary for the trail's events from
// the register's own events, keeps it in the meta section, and writes the
// trail and the history by time's copies of events again compressed
// (pack.go). A
// section with too few values to train from is left as it is, and its
// values are written plain until the register is upgraded again. A value
// that fails its checksum is copied as it is, for check to name; every
// other reads back as the same bytes, so no event's hash changes.
func packTexts(tx *bolt.Tx) error {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return nil
	}
	// The first section listed with a dictionary is trained from; the
	// sections of each dictionary trained now are written again.
	trained := map[string]bool{}
	for _, s := range packedSections {
		if trained[string(s.dict)] || meta.Get(s.dict) != nil {
			continue
		}
		trained[string(s.dict)] = true
		d, err := trainDict(sectionPayloads(tx, s.bucket))
		if err == nil && d != nil {
			err = meta.Put(s.dict, d)
		}
		if err != nil {
			return err
		}
	}
	for _, s := range packedSections {
		c, err := packerOf(tx, s.dict)
		if err != nil {
			return err
		}
		if c == nil || !trained[string(s.dict)] {
			continue
		}
		if err := repack(tx, s.bucket, c); err != nil {
			return fmt.Errorf("%s: %w", s.bucket, err)
		}
	}
	return nil
}

// packTrainAt is how many events a register made by this version holds
// when its dictionary is trained, on the open after
// (untrained): a register starts empty, with nothing to train from.
const packTrainAt = 2000

// untrained says whether a register holds enough events to train the
// dictionary it lacks from.
func untrained(tx *bolt.Tx) bool {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return false
	}
	b := tx.Bucket(bucketAudit)
	return b != nil && meta.Get(keyDictEvents) == nil && b.Sequence() >= packTrainAt
}

// sectionPayloads are the payloads of a section's sound values, in key
// order (an index's heads, which are never compressed, left out).
func sectionPayloads(tx *bolt.Tx, name []byte) [][]byte {
	b := tx.Bucket(name)
	if b == nil {
		return nil
	}
	var out [][]byte
	_ = b.ForEach(func(k, v []byte) error {
		payload, err := unseal(name, k, v)
		if err == nil && len(payload) >= packMin && packable(name, payload) {
			out = append(out, bytes.Clone(payload))
		}
		return nil
	})
	return out
}

// packable says whether a value of a section is compressed: every event,
// and of the history by time only the whole copies.
func packable(name, payload []byte) bool {
	return !bytes.Equal(name, bucketAuditByTime) || len(payload) > 0 && payload[0] == eventWholeFormat
}

// repack writes a section again, in key order with full pages, each sound
// value compressed with c.
func repack(tx *bolt.Tx, name []byte, c *codec) error {
	return rewriteSection(tx, name, fullFill, func(k, v []byte) ([]byte, error) {
		if payload, err := unseal(name, k, v); err == nil && len(v) > 0 && v[0] == envelopeMark && packable(name, payload) {
			return sealPacked(c, name, k, payload), nil
		}
		return bytes.Clone(v), nil
	})
}
