package storage

import (
	"encoding/binary"
	"encoding/json"
	"fmt"

	"improvementtracker/model"
)

// The file's layout. Every bucket is created in one transaction when the
// file is opened. Record IDs come from each record bucket's NextSequence and
// are written as 8-byte big-endian keys, so a cursor walks records in the
// order they were made. Values are JSON: readable with any bbolt tool, and
// new fields need no migration.
//
// Secondary indexes are buckets of composite keys with empty values:
// findingID (8 bytes) followed by recordID (8 bytes). Seeking to the 8-byte
// finding ID prefix lists one finding's records in a single scan.
var (
	// bucketMeta holds the file's own facts: keyApp and keySchema.
	bucketMeta = []byte("meta")
	// keyApp marks the file as an Improvement Tracker register, so that
	// some other program's bbolt file is refused rather than written into.
	keyApp = []byte("app")
	// keySchema is the schema version, 8 bytes big-endian: how far the
	// migrations have brought the file.
	keySchema = []byte("schema_version")

	// bucketSettings holds one key, keySettings: the register's Settings.
	bucketSettings = []byte("settings")
	keySettings    = []byte("settings")

	// bucketReports: reportID -> Report.
	bucketReports = []byte("reports")
	// bucketPeople: personID -> Person.
	bucketPeople = []byte("people")

	// bucketFindings: findingID -> Finding.
	bucketFindings = []byte("findings")
	// bucketFindingRefs: Ref -> findingID. Keeps references unique and
	// finds a finding by reference.
	bucketFindingRefs = []byte("findings_by_ref")
	// bucketRefCounters: reportID (8 bytes) + type code ("AFI") -> the
	// last number given (8 bytes). Numbers are never reused, even after a
	// finding entered in error is deleted, so a reference means one thing
	// for ever.
	bucketRefCounters = []byte("ref_counters")

	// bucketMilestones: milestoneID -> Milestone; bucketMilestonesByFinding:
	// findingID|milestoneID -> nothing.
	bucketMilestones          = []byte("milestones")
	bucketMilestonesByFinding = []byte("milestones_by_finding")

	// bucketUpdates: updateID -> Update; bucketUpdatesByFinding:
	// findingID|updateID -> nothing. Added by schema version 2.
	bucketUpdates          = []byte("updates")
	bucketUpdatesByFinding = []byte("updates_by_finding")

	// bucketEvidence: evidenceID -> Evidence; bucketEvidenceByFinding:
	// findingID|evidenceID -> nothing; bucketEvidenceFiles: evidenceID ->
	// the attached file's bytes, checked against Evidence.SHA256 on read.
	bucketEvidence          = []byte("evidence")
	bucketEvidenceByFinding = []byte("evidence_by_finding")
	bucketEvidenceFiles     = []byte("evidence_files")

	// bucketAudit: eventID -> AuditEvent; bucketAuditByFinding:
	// findingID|eventID -> nothing, for events that belong to a finding.
	bucketAudit          = []byte("audit")
	bucketAuditByFinding = []byte("audit_by_finding")

	// bucketSubmissions: submissionID -> Submission.
	bucketSubmissions = []byte("submissions")
)

// appMarker is the value of keyApp.
const appMarker = "Improvement Tracker register"

// allBuckets is every top-level bucket of the current schema.
var allBuckets = [][]byte{
	bucketMeta, bucketSettings, bucketReports, bucketPeople,
	bucketFindings, bucketFindingRefs, bucketRefCounters,
	bucketMilestones, bucketMilestonesByFinding,
	bucketUpdates, bucketUpdatesByFinding,
	bucketEvidence, bucketEvidenceByFinding, bucketEvidenceFiles,
	bucketAudit, bucketAuditByFinding,
	bucketSubmissions,
}

// itob writes an ID as an 8-byte big-endian key.
func itob(id uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, id)
	return b
}

// btoi reads an 8-byte big-endian key.
func btoi(b []byte) uint64 {
	if len(b) < 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b[:8])
}

// pairKey is the composite index key parentID|childID.
func pairKey(parent, child model.ID) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(parent))
	binary.BigEndian.PutUint64(b[8:], uint64(child))
	return b
}

// decode unmarshals a stored value. json.Unmarshal copies what it keeps, so
// nothing returned points into bbolt's memory.
func decode(bucket []byte, key, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: record %d in %s cannot be read (%v)", model.ErrDamaged, btoi(key), bucket, err)
	}
	return nil
}
