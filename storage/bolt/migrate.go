package bolt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// SchemaVersion is the layout this version of the app writes. A file with a
// higher version is refused untouched; a file with a lower one is copied to
// the backups folder and then brought up to date by migrations.
const SchemaVersion = 10

// migration brings a file from version To-1 to version To. Migrations run in
// order, all in one transaction with the final version write, so a file is
// never left half-migrated.
type migration struct {
	To   int
	What string // for the error message if it fails
	Run  func(tx *bolt.Tx) error
}

// migrations is the ordered list. Version 1 is the first layout; append to
// the list, never edit an entry that has shipped.
var migrations = []migration{
	{To: 2, What: "index progress updates by finding", Run: indexUpdatesByFinding},
	{To: 3, What: "record when each event in a finding's history happened", Run: timeAuditIndex},
	{To: 4, What: "add a checksum to every record and chain the history", Run: sealRecords},
	{To: 5, What: "index progress updates without their narratives, each finding's latest narrative, and the history by time", Run: buildLeanIndexes},
	{To: 6, What: "index progress narratives by date", Run: buildNarrativesByDate},
	{To: 7, What: "write the indexes again with their pages full", Run: fillIndexPages},
	{To: 8, What: "store the history in its lean form", Run: leanTrail},
	{To: 8, What: "store each progress narrative once", Run: narrativesOnce},
	{To: filesOutside, What: "keep attached files beside the register, once each", Run: moveFilesOut},
	{To: 10, What: "compress the narratives and the history", Run: packTexts},
}

// migrate applies every migration above the file's version, then makes any
// bucket the current layout has that the file lacks, and records the new
// version.
func migrate(tx *bolt.Tx, from int) error {
	meta := tx.Bucket(bucketMeta)
	if !bytes.Equal(meta.Get(keyApp), []byte(appMarker)) {
		return fmt.Errorf("the file is not marked as an Improvement Tracker register")
	}
	if from > SchemaVersion {
		return fmt.Errorf("schema version %d is newer than %d", from, SchemaVersion)
	}
	for _, m := range migrations {
		if m.To <= from {
			continue
		}
		if err := m.Run(tx); err != nil {
			return fmt.Errorf("upgrading the register to version %d (%s): %w", m.To, m.What, err)
		}
	}
	if err := rebuildMissingIndexes(tx); err != nil {
		return fmt.Errorf("building an index of the register again: %w", err)
	}
	if err := createBuckets(tx); err != nil {
		return err
	}
	if from == SchemaVersion {
		return nil
	}
	return meta.Put(keySchema, itob(uint64(SchemaVersion)))
}

// indexUpdatesByFinding (version 2) lists each finding's updates in an index,
// so that a finding's history no longer means reading every update in the
// register.
func indexUpdatesByFinding(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketUpdatesByFinding)
	if err != nil {
		return err
	}
	updates := tx.Bucket(bucketUpdates)
	if updates == nil {
		return nil
	}
	return updates.ForEach(func(k, v []byte) error {
		var u struct {
			FindingID uint64 `json:"finding_id"`
		}
		if err := decodePlain(bucketUpdates, k, v, &u); err != nil {
			return err
		}
		return idx.Put(pairKey(model.ID(u.FindingID), model.ID(btoi(k))), nil)
	})
}

// timeAuditIndex (version 3) writes each event's time into the index of a
// finding's history, so that reading the register as it stood at a date
// looks only at the events of the span it asks about.
func timeAuditIndex(tx *bolt.Tx) error {
	idx, err := tx.CreateBucketIfNotExists(bucketAuditByFinding)
	if err != nil {
		return err
	}
	audit := tx.Bucket(bucketAudit)
	if audit == nil {
		return nil
	}
	return audit.ForEach(func(k, v []byte) error {
		var ev struct {
			At        time.Time `json:"at"`
			FindingID uint64    `json:"finding_id"`
		}
		if err := decodePlain(bucketAudit, k, v, &ev); err != nil {
			return err
		}
		if ev.FindingID == 0 {
			return nil
		}
		return idx.Put(pairKey(model.ID(ev.FindingID), model.ID(btoi(k))), auditTime(ev.At))
	})
}

// sealRecords (version 4) puts every record in an envelope with its
// checksum (see envelope.go), so that a damaged record is found when it is
// read, and chains the audit trail: each event is given the hash of the one
// before it (model.AuditHash), as the app gives every event from now on.
// The copy made before upgrading keeps the file as it was.
func sealRecords(tx *bolt.Tx) error {
	for _, name := range sealedBuckets {
		b := tx.Bucket(name)
		if b == nil {
			continue
		}
		// bbolt's values may not be changed while a cursor walks them:
		// read the bucket, then write it.
		var keys, vals [][]byte
		if err := b.ForEach(func(k, v []byte) error {
			keys, vals = append(keys, bytes.Clone(k)), append(vals, bytes.Clone(v))
			return nil
		}); err != nil {
			return err
		}
		prev := ""
		for i, k := range keys {
			v := vals[i]
			if bytes.Equal(name, bucketAudit) {
				var ev model.AuditEvent
				if err := decodePlain(name, k, v, &ev); err != nil {
					return err
				}
				ev.Prev = prev
				prev = model.AuditHash(ev)
				var err error
				if v, err = json.Marshal(ev); err != nil {
					return err
				}
			} else if !json.Valid(v) {
				return fmt.Errorf("%w: record %d in %s cannot be read", model.ErrDamaged, btoi(k), name)
			}
			b.FillPercent = appendFill
			if err := b.Put(k, seal(name, k, v)); err != nil {
				return err
			}
		}
	}
	return nil
}

// filledIndexes are the sections fillIndexPages writes again: every index,
// and nothing that holds a record of its own. Record sections are left as
// they are: their keys only grow, so their pages were filled as written
// (appendFill), and rewriting them in place would need a second copy of
// each inside the one transaction of the upgrade.
var filledIndexes = [][]byte{
	bucketFindingRefs, bucketRefCounters,
	bucketMilestonesByFinding, bucketUpdatesByFinding, bucketEvidenceByFinding, bucketAuditByFinding,
	bucketUpdateHeads, bucketLatestNarratives, bucketAuditByTime, bucketNarrativesByDate,
}

// fillIndexPages (version 7) writes every index again in key order with
// its pages full. An index takes its entries where they fall, not in the
// order they arrive (the history by time takes each event at the end of its
// group, the index by finding each record at the end of its finding's
// entries), and bbolt splits a full page into two half-full ones, so the
// indexes of a register written one change at a time stood at 44-50% of
// their pages (the 10,000-finding synthetic register: 401 MB of pages for
// 190 MB of entries). Written in order, each page is filled before the
// next is begun. The entries are copied as they are: what they say is
// unchanged, and check still compares them with the records. The pages
// given up are reused by later saves; a backup (or bbolt's compact) is
// where the file itself becomes smaller.
func fillIndexPages(tx *bolt.Tx) error {
	for _, name := range filledIndexes {
		if err := rewriteFull(tx, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// rewriteFull writes a section again, in key order with full pages. A
// section the file lacks is left for rebuildMissingIndexes or createBuckets
// to make.
func rewriteFull(tx *bolt.Tx, name []byte) error {
	old := tx.Bucket(name)
	return rewriteSection(tx, name, fullFill, func(k, v []byte) ([]byte, error) {
		if v == nil && old.Bucket(k) != nil {
			return nil, fmt.Errorf("%w: the %s section holds a section of its own (%q), which no version of the app writes", model.ErrDamaged, name, k)
		}
		return bytes.Clone(v), nil
	})
}

// rewriteSection writes the named section afresh, in key order with its
// pages filled to fill and its sequence kept, each value as value gives it from the old
// one (valid only until the section is gone: value copies what it keeps).
// bbolt has no renaming of a section, so the new values are held until
// the old section is gone. A section the file lacks is left as it is.
func rewriteSection(tx *bolt.Tx, name []byte, fill float64, value func(k, v []byte) ([]byte, error)) error {
	old := tx.Bucket(name)
	if old == nil {
		return nil
	}
	seq := old.Sequence()
	var keys, vals [][]byte
	if err := old.ForEach(func(k, v []byte) error {
		stored, err := value(k, v)
		if err != nil {
			return err
		}
		keys, vals = append(keys, bytes.Clone(k)), append(vals, stored)
		return nil
	}); err != nil {
		return err
	}
	b, err := freshBucket(tx, name)
	if err != nil {
		return err
	}
	b.FillPercent = fill
	for i, k := range keys {
		if err := b.Put(k, vals[i]); err != nil {
			return err
		}
	}
	return b.SetSequence(seq)
}
