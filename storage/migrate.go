package storage

import (
	"bytes"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// SchemaVersion is the layout this version of the app writes. A file with a
// higher version is refused untouched; a file with a lower one is copied to
// the backups folder and then brought up to date by migrations.
const SchemaVersion = 3

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
		if err := decode(bucketUpdates, k, v, &u); err != nil {
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
		if err := decode(bucketAudit, k, v, &ev); err != nil {
			return err
		}
		if ev.FindingID == 0 {
			return nil
		}
		return idx.Put(pairKey(model.ID(ev.FindingID), model.ID(btoi(k))), auditTime(ev.At))
	})
}
