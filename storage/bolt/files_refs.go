package bolt

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// filesOutside is the schema version from which attached files are kept
// beside the register (files.go) instead of in its evidence_files section.
// The one place its number is written: the migration, the backups' lists
// of files and the tests go by it.
const filesOutside = 9

// fileRef is an attached file a register refers to, with what names it in
// words: the list a backup carries of the files it needs (backup_files.go)
// and what check and restore say of a file that is missing.
type fileRef struct {
	SHA256   string `json:"sha256"`
	File     string `json:"file"`
	Evidence string `json:"evidence"`
	Finding  string `json:"finding"`
}

// words names the file in a problem: "report.pdf (evidence "Minutes" on
// AFI-3)".
func (f fileRef) words() string {
	return fmt.Sprintf("%s (evidence %q on %s)", f.File, f.Evidence, f.Finding)
}

// schemaOf is the schema version tx holds.
func schemaOf(tx *bolt.Tx) int {
	if meta := tx.Bucket(bucketMeta); meta != nil {
		return int(btoi(meta.Get(keySchema)))
	}
	return 0
}

// fileRefs lists the attached files the evidence of tx refers to, one per
// evidence record with a file, in record order. listed is false for a
// register of a version that keeps its files inside it: it refers to none
// outside.
func fileRefs(tx *bolt.Tx) (refs []fileRef, listed bool, err error) {
	if schemaOf(tx) < filesOutside {
		return nil, false, nil
	}
	b := tx.Bucket(bucketEvidence)
	if b == nil {
		return nil, true, nil
	}
	r := &records{tx: tx}
	refs = []fileRef{}
	names := map[model.ID]string{}
	err = b.ForEach(func(k, v []byte) error {
		var e model.Evidence
		if err := r.decode(bucketEvidence, k, v, &e); err != nil {
			return err
		}
		if !e.HasFile() {
			return nil
		}
		refs = append(refs, fileRef{SHA256: e.SHA256, File: e.FileName, Evidence: e.Title, Finding: findingName(tx, r, names, e.FindingID)})
		return nil
	})
	return refs, true, err
}

// findingName is a finding's reference, looked up once per finding; its
// record number when it cannot be read.
func findingName(tx *bolt.Tx, r *records, names map[model.ID]string, id model.ID) string {
	if n, ok := names[id]; ok {
		return n
	}
	n := fmt.Sprintf("finding %d", id)
	if b := tx.Bucket(bucketFindings); b != nil {
		if raw := b.Get(itob(uint64(id))); raw != nil {
			var f struct {
				Ref string `json:"ref"`
			}
			if r.decode(bucketFindings, itob(uint64(id)), raw, &f) == nil && f.Ref != "" {
				n = f.Ref
			}
		}
	}
	names[id] = n
	return n
}

// moveFilesOut (schema version filesOutside) moves every attached file
// out of the evidence_files section into the folder beside the register,
// once per content, and removes the section. Each file is on the disk
// before the transaction that removes it from the register commits, so a
// crash during the upgrade leaves the register as it was (with at most
// files nothing refers to yet).
func moveFilesOut(tx *bolt.Tx) error {
	old := tx.Bucket(bucketEvidenceFiles)
	if old == nil {
		return nil
	}
	files := fileStore{dir: filesDir(tx.DB().Path())}
	evidence := tx.Bucket(bucketEvidence)
	r := &records{tx: tx}
	err := old.ForEach(func(k, data []byte) error {
		sum := model.Digest(data)
		var e model.Evidence
		if evidence != nil {
			if raw := evidence.Get(k); raw != nil && r.decode(bucketEvidence, k, raw, &e) == nil &&
				e.SHA256 != sum && validSum(e.SHA256) {
				// Damaged before the upgrade: kept under the name its
				// record gives, so that reading it and check say it was
				// changed, as they said before. A sound copy already
				// there (the same file attached elsewhere) is kept.
				if ok, _ := files.sound(e.SHA256); ok {
					return nil
				}
				return files.write(e.SHA256, data)
			}
		}
		// A file whose record is gone or names no file is kept under its
		// own digest: nothing refers to it, and the sweep removes it once
		// no backup does either.
		return files.put(sum, data)
	})
	if err != nil {
		return err
	}
	return tx.DeleteBucket(bucketEvidenceFiles)
}
