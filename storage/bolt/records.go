package bolt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// records is model.RecordWriter over a bbolt transaction: it keeps records
// and the file's indexes, and nothing else. The register's rules are
// model.NewReader and model.NewWriter, over it. Every record it returns is
// decoded inside the transaction, so nothing points into bbolt's memory.
type records struct {
	tx *bolt.Tx
	s  *Store
	// byDate is the section of narratives by date, found once before
	// updates are decoded on every core (withByDate): finding a section
	// in a transaction for writing records it in the transaction, which
	// the workers must not all do at once.
	byDate *bolt.Bucket
	// cursors, when set, keeps a cursor on each section get reads,
	// reused from one lookup to the next, for records used by one
	// goroutine alone (a worker of the check decoding a batch): bbolt's
	// Get makes a cursor and grows its stack every time, which was a
	// fifth of the check's work.
	cursors map[*bolt.Bucket]*lookupCursor
}

// lookupCursor is a cursor kept for lookups, with the entry it is on.
type lookupCursor struct {
	c      *bolt.Cursor
	at, on []byte // the key and value the cursor is on; at is nil before the first
}

// get is b.Get(key), on the section's own cursor when r keeps cursors. A
// batch's records often look up keys in order (the index of updates by
// number, a finding's entries one after another): a key just after the
// one the cursor is on is found by a step, not a search from the root.
func (r *records) get(b *bolt.Bucket, key []byte) []byte {
	if r.cursors == nil {
		return b.Get(key)
	}
	lc := r.cursors[b]
	if lc == nil {
		lc = &lookupCursor{c: b.Cursor()}
		r.cursors[b] = lc
	}
	if lc.at != nil {
		switch c := bytes.Compare(key, lc.at); {
		case c == 0:
			return lc.on
		case c > 0:
			lc.at, lc.on = lc.c.Next()
			switch {
			case lc.at == nil:
				return nil // past the last entry
			case bytes.Equal(key, lc.at):
				return lc.on
			case bytes.Compare(key, lc.at) < 0:
				return nil // between two entries side by side
			}
		}
	}
	// Seek gives no value for a nested section, as Get does.
	lc.at, lc.on = lc.c.Seek(key)
	if !bytes.Equal(lc.at, key) {
		return nil
	}
	return lc.on
}

var (
	_ model.RecordWriter   = (*records)(nil)
	_ model.AuditSincer    = (*records)(nil)
	_ model.AuditBetweener = (*records)(nil)
)

// kindBuckets maps each kind of record to its bucket and, for records that
// belong to a finding, the findingID|recordID index beside it.
var kindBuckets = map[model.Kind]struct{ records, byFinding []byte }{
	model.KindReport:     {bucketReports, nil},
	model.KindPerson:     {bucketPeople, nil},
	model.KindFinding:    {bucketFindings, nil},
	model.KindMilestone:  {bucketMilestones, bucketMilestonesByFinding},
	model.KindUpdate:     {bucketUpdates, bucketUpdatesByFinding},
	model.KindEvidence:   {bucketEvidence, bucketEvidenceByFinding},
	model.KindAudit:      {bucketAudit, bucketAuditByFinding},
	model.KindSubmission: {bucketSubmissions, nil},
}

// bucket returns a top-level bucket. Every bucket exists once Open has run;
// a missing one means the file was altered behind the app's back.
func (r *records) bucket(name []byte) (*bolt.Bucket, error) {
	b := r.tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("%w: the %s section is missing from %s", model.ErrDamaged, name, r.s.path)
	}
	return b, nil
}

// kindBucket returns a kind's record bucket and its index (nil for kinds
// without one).
func (r *records) kindBucket(kind model.Kind) (b, idx *bolt.Bucket, err error) {
	names, ok := kindBuckets[kind]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no store for records of kind %q", model.ErrProgram, kind)
	}
	if b, err = r.bucket(names.records); err != nil {
		return nil, nil, err
	}
	if names.byFinding != nil {
		if idx, err = r.bucket(names.byFinding); err != nil {
			return nil, nil, err
		}
	}
	return b, idx, nil
}

// LoadSettings decodes the settings, if any have been saved.
func (r *records) LoadSettings(s *model.Settings) (bool, error) {
	b, err := r.bucket(bucketSettings)
	if err != nil {
		return false, err
	}
	raw := b.Get(keySettings)
	if raw == nil {
		return false, nil
	}
	return true, r.decode(bucketSettings, keySettings, raw, s)
}

// Load decodes one record.
func (r *records) Load(kind model.Kind, id model.ID, v any) error {
	b, _, err := r.kindBucket(kind)
	if err != nil {
		return err
	}
	raw := b.Get(itob(uint64(id)))
	if raw == nil {
		return model.ErrNotFound
	}
	return r.decode(kindBuckets[kind].records, itob(uint64(id)), raw, v)
}

// LoadAll decodes every record of a kind, or one finding's, in ID order.
func (r *records) LoadAll(kind model.Kind, findingID model.ID, dst any) error {
	switch d := dst.(type) {
	case *[]model.Report:
		return loadInto(r, kind, findingID, d)
	case *[]model.Person:
		return loadInto(r, kind, findingID, d)
	case *[]model.Finding:
		return loadInto(r, kind, findingID, d)
	case *[]model.Milestone:
		return loadInto(r, kind, findingID, d)
	case *[]model.Update:
		return loadInto(r, kind, findingID, d)
	case *[]model.Evidence:
		return loadInto(r, kind, findingID, d)
	case *[]model.AuditEvent:
		return loadInto(r, kind, findingID, d)
	case *[]model.Submission:
		return loadInto(r, kind, findingID, d)
	}
	return fmt.Errorf("%w: cannot list records into %T", model.ErrProgram, dst)
}

func loadInto[T any](r *records, kind model.Kind, findingID model.ID, dst *[]T) error {
	b, idx, err := r.kindBucket(kind)
	if err != nil {
		return err
	}
	name := kindBuckets[kind].records
	if findingID == 0 {
		*dst, err = all[T](r, name, b)
		return err
	}
	if idx == nil {
		return fmt.Errorf("%w: records of kind %q do not belong to findings", model.ErrProgram, kind)
	}
	var out []T
	prefix := itob(uint64(findingID))
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := k[8:]
		raw := b.Get(id)
		if raw == nil {
			return fmt.Errorf("%w: the index %s names record %d, which is missing from %s", model.ErrDamaged, kindBuckets[kind].byFinding, btoi(id), r.s.path)
		}
		var rec T
		if err := r.decode(name, id, raw, &rec); err != nil {
			return err
		}
		out = append(out, rec)
	}
	*dst = out
	return nil
}

// all decodes every record of a bucket in ID order.
func all[T any](r *records, name []byte, b *bolt.Bucket) ([]T, error) {
	if b.Sequence() >= parallelFrom {
		return allParallel[T](r, name, b)
	}
	out := make([]T, 0, min(b.Sequence(), 1<<20))
	err := b.ForEach(func(k, v []byte) error {
		var rec T
		if err := r.decode(name, k, v, &rec); err != nil {
			return err
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

// Last decodes the record with the highest ID of a kind.
func (r *records) Last(kind model.Kind, v any) (bool, error) {
	b, _, err := r.kindBucket(kind)
	if err != nil {
		return false, err
	}
	k, raw := b.Cursor().Last()
	if k == nil {
		return false, nil
	}
	return true, r.decode(kindBuckets[kind].records, k, raw, v)
}

// FindingIDByRef looks a reference up in the reference index.
func (r *records) FindingIDByRef(ref string) (model.ID, error) {
	b, err := r.bucket(bucketFindingRefs)
	if err != nil {
		return 0, err
	}
	id := b.Get([]byte(ref))
	if id == nil {
		return 0, model.ErrNotFound
	}
	return model.ID(btoi(id)), nil
}

// CountByFinding counts a finding's entries in a kind's index.
func (r *records) CountByFinding(kind model.Kind, findingID model.ID) (int, error) {
	_, idx, err := r.kindBucket(kind)
	if err != nil || idx == nil {
		return 0, err
	}
	n := 0
	prefix := itob(uint64(findingID))
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n, nil
}

// File returns an attached file's bytes, read from the folder beside the
// register by the SHA-256 its evidence records; the rules check them
// against it.
func (r *records) File(evidenceID model.ID) ([]byte, error) {
	var e model.Evidence
	if err := r.Load(model.KindEvidence, evidenceID, &e); err != nil {
		return nil, err
	}
	if !e.HasFile() {
		return nil, model.ErrNotFound
	}
	return r.s.files.read(e.SHA256)
}

// NextID takes the next ID of a record bucket.
func (r *records) NextID(kind model.Kind) (model.ID, error) {
	b, _, err := r.kindBucket(kind)
	if err != nil {
		return 0, err
	}
	n, err := b.NextSequence()
	return model.ID(n), err
}

// appendFill is the page fill for buckets whose keys are sequence numbers.
const appendFill = 0.9

// fullFill is the page fill for sections whose entries are never made
// longer once written and whose keys arrive in order (the trail; the
// history by time within each group; an index written afresh in key
// order): a page is split only when nothing more fits, and the page left
// behind is never added to again, so any room kept in it would be lost.
const fullFill = 1.0

// indexed is what a record tells its indexes: the finding it belongs to, its
// reference (findings) and its time (audit events).
type indexed struct {
	Ref       string    `json:"ref"`
	FindingID model.ID  `json:"finding_id"`
	At        time.Time `json:"at"`
}

// Put encodes and stores a record under its ID, with its index entries.
func (r *records) Put(kind model.Kind, id model.ID, v any) error {
	b, idx, err := r.kindBucket(kind)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cannot store %s #%d: %w", kind, id, err)
	}
	// IDs only grow, so new records go at the end of the bucket: filling
	// pages before splitting them (bbolt splits at half by default)
	// nearly halves the file.
	b.FillPercent = appendFill
	stored := raw
	if kind == model.KindAudit {
		// Events are never changed once written.
		b.FillPercent = fullFill
		stored = leanEvent(raw)
	}
	key := itob(uint64(id))
	if err := r.putLeanIndexes(kind, b, key, stored); err != nil {
		return err
	}
	if kind == model.KindUpdate {
		// The narrative is in its entry by date now (putLeanIndexes).
		stored = apartUpdate(raw)
	}
	var c *codec
	if kind == model.KindAudit {
		if c, err = packerOf(r.tx, keyDictEvents); err != nil {
			return err
		}
	}
	if err := b.Put(key, sealPacked(c, kindBuckets[kind].records, key, stored)); err != nil {
		return err
	}
	if kind != model.KindFinding && idx == nil {
		return nil // reports, people and submissions have no index
	}
	var ix indexed
	if err := json.Unmarshal(raw, &ix); err != nil {
		return err
	}
	switch kind {
	case model.KindFinding:
		refs, err := r.bucket(bucketFindingRefs)
		if err != nil {
			return err
		}
		return refs.Put([]byte(ix.Ref), itob(uint64(id)))
	case model.KindAudit:
		if ix.FindingID == 0 {
			return nil
		}
		return idx.Put(pairKey(ix.FindingID, id), auditTime(ix.At))
	}
	return idx.Put(pairKey(ix.FindingID, id), nil)
}

// Delete removes a record with its index entries. An attached file stays
// in the folder beside the register while a backup refers to it
// (sweepFiles).
func (r *records) Delete(kind model.Kind, id model.ID) error {
	b, idx, err := r.kindBucket(kind)
	if err != nil {
		return err
	}
	key := itob(uint64(id))
	raw := b.Get(key)
	if raw == nil {
		return model.ErrNotFound
	}
	var old indexed
	if err := r.decode(kindBuckets[kind].records, key, raw, &old); err != nil {
		return err
	}
	if err := r.deleteLeanIndexes(kind, key, raw); err != nil {
		return err
	}
	if err := b.Delete(key); err != nil {
		return err
	}
	if idx != nil {
		if err := idx.Delete(pairKey(old.FindingID, id)); err != nil {
			return err
		}
	}
	switch kind {
	case model.KindFinding:
		refs, err := r.bucket(bucketFindingRefs)
		if err != nil {
			return err
		}
		return refs.Delete([]byte(old.Ref))
	}
	return nil
}

// PutSettings replaces the register's settings.
func (r *records) PutSettings(s model.Settings) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	b, err := r.bucket(bucketSettings)
	if err != nil {
		return err
	}
	return b.Put(keySettings, seal(bucketSettings, keySettings, raw))
}

// PutFile keeps an attached file's bytes in the folder beside the register,
// on the disk before the transaction that records the evidence commits
// (files.go). The evidence must be stored first: its SHA-256 is the file's
// name, and a file that is not the one its record names is refused.
func (r *records) PutFile(evidenceID model.ID, data []byte) error {
	var e model.Evidence
	if err := r.Load(model.KindEvidence, evidenceID, &e); err != nil {
		return fmt.Errorf("the file attached to evidence %d cannot be kept: %w", evidenceID, err)
	}
	sum := model.Digest(data)
	if e.SHA256 != sum {
		return fmt.Errorf("%w: the file given for evidence %d is not the one its record names", model.ErrProgram, evidenceID)
	}
	return r.s.files.put(sum, data)
}

// refCounterKey is the ref_counters key: reportID (8 bytes) + type code.
func refCounterKey(report model.ID, code string) []byte {
	return append(itob(uint64(report)), code...)
}

// RefCounter is the last reference number given for a report and type.
func (r *records) RefCounter(report model.ID, code string) (uint64, error) {
	b, err := r.bucket(bucketRefCounters)
	if err != nil {
		return 0, err
	}
	return btoi(b.Get(refCounterKey(report, code))), nil
}

// SetRefCounter records the last reference number given.
func (r *records) SetRefCounter(report model.ID, code string, n uint64) error {
	b, err := r.bucket(bucketRefCounters)
	if err != nil {
		return err
	}
	return b.Put(refCounterKey(report, code), itob(n))
}
