package bolt

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

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

	// bucketUpdates: updateID -> Update, from version 8 without its
	// narrative, which bucketNarrativesByDate keeps (update_apart.go);
	// bucketUpdatesByFinding: findingID|updateID -> nothing. Added by
	// schema version 2.
	bucketUpdates          = []byte("updates")
	bucketUpdatesByFinding = []byte("updates_by_finding")

	// bucketEvidence: evidenceID -> Evidence; bucketEvidenceByFinding:
	// findingID|evidenceID -> nothing; bucketEvidenceFiles: evidenceID ->
	// the attached file's bytes, up to schema version 7: from version
	// filesOutside the files are kept beside the register (files.go) and
	// the section is gone.
	bucketEvidence          = []byte("evidence")
	bucketEvidenceByFinding = []byte("evidence_by_finding")
	bucketEvidenceFiles     = []byte("evidence_files")

	// bucketAudit: eventID -> AuditEvent; bucketAuditByFinding:
	// findingID|eventID -> the event's time (auditTime), for events that
	// belong to a finding. The time is there from schema version 3, so
	// that a span of a finding's history is found without reading the
	// events outside it.
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
	bucketEvidence, bucketEvidenceByFinding,
	bucketAudit, bucketAuditByFinding,
	bucketSubmissions,
	bucketUpdateHeads, bucketLatestNarratives, bucketAuditByTime, // schema version 5
	bucketNarrativesByDate, // schema version 6
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

// auditTime is the value of an audit index entry: the event's time as Unix
// seconds (8 bytes big-endian, two's complement) and nanoseconds (4 bytes).
func auditTime(t time.Time) []byte {
	b := make([]byte, 12)
	binary.BigEndian.PutUint64(b, uint64(t.Unix()))
	binary.BigEndian.PutUint32(b[8:], uint32(t.Nanosecond()))
	return b
}

// readAuditTime reads an audit index entry's value; ok is false when it
// holds no time.
func readAuditTime(v []byte) (t time.Time, ok bool) {
	if len(v) != 12 {
		return time.Time{}, false
	}
	return time.Unix(int64(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint32(v[8:]))), true
}

// decodePlain unmarshals a value stored before schema version 4, which
// put records in envelopes: only the migrations up to version 4 read them.
func decodePlain(bucket []byte, key, raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%w: record %d in %s cannot be read (%v)", model.ErrDamaged, btoi(key), bucket, err)
	}
	return nil
}
