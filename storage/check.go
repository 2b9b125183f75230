package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// Check runs bbolt's consistency check over the whole file and then the
// register's own: every index entry matches its record, every reference
// resolves, every attached file matches its digest. It returns the problems
// in words; none means the file is sound.
func (s *Store) Check() ([]string, error) {
	var problems []string
	err := s.guard(func() error {
		// A write transaction keeps writers out while the pages are
		// walked; it is rolled back, so Check never changes the file.
		tx, err := s.db.Begin(true)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, p := range checkFile(s.path, tx) {
			problems = append(problems, "file structure: "+p)
		}
		if len(problems) > 0 {
			// The records cannot be trusted on a damaged structure.
			return nil
		}
		problems = append(problems, checkRecords(tx, model.NewReader(&records{tx: tx, s: s}))...)
		return nil
	})
	if err != nil {
		return problems, fmt.Errorf("checking the register %s: %w", s.path, err)
	}
	return problems, nil
}

// checkRecords is the register's own consistency check.
func checkRecords(tx *bolt.Tx, r model.ReadTx) []string {
	var out []string
	add := func(format string, a ...any) { out = append(out, fmt.Sprintf(format, a...)) }

	if meta := tx.Bucket(bucketMeta); meta == nil || btoi(meta.Get(keySchema)) != SchemaVersion {
		add("the schema version is not %d", SchemaVersion)
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			add("the %s section is missing", name)
		}
	}
	if len(out) > 0 {
		return out
	}

	reports := map[model.ID]bool{}
	if rs, err := r.Reports(); err != nil {
		add("reports: %v", err)
	} else {
		for _, rep := range rs {
			reports[rep.ID] = true
		}
	}
	people := map[model.ID]bool{}
	if ps, err := r.People(); err != nil {
		add("people: %v", err)
	} else {
		for _, p := range ps {
			people[p.ID] = true
		}
	}
	findings := map[model.ID]model.Finding{}
	fs, err := r.Findings()
	if err != nil {
		add("findings: %v", err)
	}
	for _, f := range fs {
		findings[f.ID] = f
	}
	refs := tx.Bucket(bucketFindingRefs)
	for _, f := range fs {
		if got := btoi(refs.Get([]byte(f.Ref))); model.ID(got) != f.ID {
			add("finding %s (#%d): the reference index does not point to it", f.Ref, f.ID)
		}
		if !reports[f.ReportID] {
			add("finding %s: its report #%d does not exist", f.Ref, f.ReportID)
		}
		for _, id := range []model.ID{f.ChiefOfficerID, f.DeliveryLeadID} {
			if id != 0 && !people[id] {
				add("finding %s: its lead, person #%d, does not exist", f.Ref, id)
			}
		}
		if f.ParentID != 0 {
			if p, ok := findings[f.ParentID]; !ok || p.Type != model.CauseOfConcern {
				add("finding %s: its parent #%d is not a cause of concern in the register", f.Ref, f.ParentID)
			}
		}
		if f.SupersededBy != 0 {
			if _, ok := findings[f.SupersededBy]; !ok {
				add("finding %s: the finding that supersedes it, #%d, does not exist", f.Ref, f.SupersededBy)
			}
		}
	}
	_ = refs.ForEach(func(k, v []byte) error {
		if f, ok := findings[model.ID(btoi(v))]; !ok || f.Ref != string(k) {
			add("the reference index lists %s for finding #%d, which does not have that reference", k, btoi(v))
		}
		return nil
	})

	// Child records: each belongs to an existing finding and is in that
	// finding's index; each index entry names an existing record.
	type child struct {
		what          string
		bucket, index []byte
	}
	for _, c := range []child{
		{"milestone", bucketMilestones, bucketMilestonesByFinding},
		{"progress update", bucketUpdates, bucketUpdatesByFinding},
		{"evidence", bucketEvidence, bucketEvidenceByFinding},
	} {
		records, idx := tx.Bucket(c.bucket), tx.Bucket(c.index)
		owner := map[uint64]model.ID{}
		_ = records.ForEach(func(k, v []byte) error {
			var rec struct {
				FindingID model.ID `json:"finding_id"`
			}
			if err := decode(c.bucket, k, v, &rec); err != nil {
				add("%s", err)
				return nil
			}
			owner[btoi(k)] = rec.FindingID
			if _, ok := findings[rec.FindingID]; !ok {
				add("%s #%d belongs to finding #%d, which does not exist", c.what, btoi(k), rec.FindingID)
			}
			if idx.Get(pairKey(rec.FindingID, model.ID(btoi(k)))) == nil {
				add("%s #%d is missing from its finding's index", c.what, btoi(k))
			}
			return nil
		})
		_ = idx.ForEach(func(k, _ []byte) error {
			if len(k) != 16 {
				add("the %s index has a malformed entry", c.what)
				return nil
			}
			if fid, ok := owner[btoi(k[8:])]; !ok || uint64(fid) != btoi(k) {
				add("the %s index has an entry for #%d under finding #%d that matches no %s", c.what, btoi(k[8:]), btoi(k), c.what)
			}
			return nil
		})
	}

	// Attached files against their digests.
	files := tx.Bucket(bucketEvidenceFiles)
	es, err := r.Evidence(0)
	if err != nil {
		add("evidence: %v", err)
	}
	withFile := map[uint64]bool{}
	for _, e := range es {
		if !e.HasFile() {
			continue
		}
		withFile[uint64(e.ID)] = true
		raw := files.Get(itob(uint64(e.ID)))
		if raw == nil {
			add("evidence %q (#%d): the attached file %s is missing", e.Title, e.ID, e.FileName)
			continue
		}
		sum := sha256.Sum256(raw)
		if hex.EncodeToString(sum[:]) != e.SHA256 {
			add("evidence %q (#%d): the attached file %s does not match its SHA-256 digest", e.Title, e.ID, e.FileName)
		}
	}
	_ = files.ForEach(func(k, _ []byte) error {
		if !withFile[btoi(k)] {
			add("an attached file is stored for evidence #%d, which has no file recorded", btoi(k))
		}
		return nil
	})

	// Audit index entries name real events.
	audit := tx.Bucket(bucketAudit)
	_ = tx.Bucket(bucketAuditByFinding).ForEach(func(k, _ []byte) error {
		if len(k) != 16 || audit.Get(k[8:]) == nil {
			add("the audit index names event #%d, which does not exist", btoi(k[min(8, len(k)):]))
		}
		return nil
	})
	return out
}
