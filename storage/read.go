package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"unicode"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// readTx is model.ReadTx over a bbolt transaction. Every record it returns is
// decoded inside the transaction, so nothing points into bbolt's memory.
type readTx struct {
	tx *bolt.Tx
	s  *Store
}

var _ model.ReadTx = (*readTx)(nil)

// bucket returns a top-level bucket. Every bucket exists once Open has run;
// a missing one means the file was altered behind the app's back.
func (r *readTx) bucket(name []byte) (*bolt.Bucket, error) {
	b := r.tx.Bucket(name)
	if b == nil {
		return nil, fmt.Errorf("%w: the %s section is missing from %s", model.ErrDamaged, name, r.s.path)
	}
	return b, nil
}

// get decodes one record; what names the kind for the not-found message.
func get[T any](r *readTx, name []byte, id model.ID, what string) (T, error) {
	var v T
	b, err := r.bucket(name)
	if err != nil {
		return v, err
	}
	raw := b.Get(itob(uint64(id)))
	if raw == nil {
		return v, fmt.Errorf("%s #%d: %w", what, id, model.ErrNotFound)
	}
	err = decode(name, itob(uint64(id)), raw, &v)
	return v, err
}

// all decodes every record of a bucket in ID order.
func all[T any](r *readTx, name []byte) ([]T, error) {
	b, err := r.bucket(name)
	if err != nil {
		return nil, err
	}
	if b.Sequence() >= parallelFrom {
		return allParallel[T](name, b)
	}
	out := make([]T, 0, min(b.Sequence(), 1<<20))
	err = b.ForEach(func(k, v []byte) error {
		var rec T
		if err := decode(name, k, v, &rec); err != nil {
			return err
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

// byFinding decodes a finding's records through a findingID|recordID index,
// in record ID order; findingID 0 lists every record.
func byFinding[T any](r *readTx, index, name []byte, findingID model.ID) ([]T, error) {
	if findingID == 0 {
		return all[T](r, name)
	}
	idx, err := r.bucket(index)
	if err != nil {
		return nil, err
	}
	b, err := r.bucket(name)
	if err != nil {
		return nil, err
	}
	var out []T
	prefix := itob(uint64(findingID))
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		id := k[8:]
		raw := b.Get(id)
		if raw == nil {
			return nil, fmt.Errorf("%w: the index %s names record %d, which is missing from %s", model.ErrDamaged, index, btoi(id), r.s.path)
		}
		var rec T
		if err := decode(name, id, raw, &rec); err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// countByFinding counts a finding's entries in an index.
func (r *readTx) countByFinding(index []byte, findingID model.ID) int {
	idx := r.tx.Bucket(index)
	if idx == nil {
		return 0
	}
	n := 0
	prefix := itob(uint64(findingID))
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		n++
	}
	return n
}

// Settings returns the register's settings; a new register has none yet,
// and gets the OFFICIAL marking by default.
func (r *readTx) Settings() (model.Settings, error) {
	s := model.Settings{DefaultMarking: model.Marking{Classification: model.Official}}
	b, err := r.bucket(bucketSettings)
	if err != nil {
		return s, err
	}
	if raw := b.Get(keySettings); raw != nil {
		err = decode(bucketSettings, nil, raw, &s)
	}
	return s, err
}

// Reports lists reports in the order they were added.
func (r *readTx) Reports() ([]model.Report, error) { return all[model.Report](r, bucketReports) }

// Report returns one report.
func (r *readTx) Report(id model.ID) (model.Report, error) {
	return get[model.Report](r, bucketReports, id, "report")
}

// People lists everyone, ordered by name (or role, for role-only entries).
func (r *readTx) People() ([]model.Person, error) {
	people, err := all[model.Person](r, bucketPeople)
	sort.SliceStable(people, func(i, j int) bool {
		return strings.ToLower(people[i].Label()) < strings.ToLower(people[j].Label())
	})
	return people, err
}

// Person returns one person.
func (r *readTx) Person(id model.ID) (model.Person, error) {
	return get[model.Person](r, bucketPeople, id, "person")
}

// Findings lists every finding in reference order, numbers compared as
// numbers (AFI-100 after AFI-99).
func (r *readTx) Findings() ([]model.Finding, error) {
	fs, err := all[model.Finding](r, bucketFindings)
	sortStable(fs, func(a, b *model.Finding) int {
		switch {
		case naturalLess(a.Ref, b.Ref):
			return -1
		case naturalLess(b.Ref, a.Ref):
			return 1
		}
		return 0
	})
	return fs, err
}

// Finding returns one finding.
func (r *readTx) Finding(id model.ID) (model.Finding, error) {
	return get[model.Finding](r, bucketFindings, id, "finding")
}

// FindingByRef returns the finding with a local reference.
func (r *readTx) FindingByRef(ref string) (model.Finding, error) {
	b, err := r.bucket(bucketFindingRefs)
	if err != nil {
		return model.Finding{}, err
	}
	id := b.Get([]byte(ref))
	if id == nil {
		return model.Finding{}, fmt.Errorf("finding %s: %w", ref, model.ErrNotFound)
	}
	return r.Finding(model.ID(btoi(id)))
}

// Milestones lists milestones by current due date (undated ones last).
func (r *readTx) Milestones(findingID model.ID) ([]model.Milestone, error) {
	ms, err := byFinding[model.Milestone](r, bucketMilestonesByFinding, bucketMilestones, findingID)
	sortStable(ms, func(x, y *model.Milestone) int {
		a, b := x.CurrentDue, y.CurrentDue
		if a.IsZero() != b.IsZero() {
			if b.IsZero() {
				return -1
			}
			return 1
		}
		return a.Compare(b)
	})
	return ms, err
}

// Updates lists updates by date, then in the order they were recorded.
func (r *readTx) Updates(findingID model.ID) ([]model.Update, error) {
	us, err := byFinding[model.Update](r, bucketUpdatesByFinding, bucketUpdates, findingID)
	sortStable(us, func(a, b *model.Update) int { return a.Date.Compare(b.Date) })
	return us, err
}

// Evidence lists evidence in the order it was added.
func (r *readTx) Evidence(findingID model.ID) ([]model.Evidence, error) {
	return byFinding[model.Evidence](r, bucketEvidenceByFinding, bucketEvidence, findingID)
}

// EvidenceFile returns a copy of an attached file after checking its digest.
func (r *readTx) EvidenceFile(evidenceID model.ID) ([]byte, error) {
	e, err := get[model.Evidence](r, bucketEvidence, evidenceID, "evidence")
	if err != nil {
		return nil, err
	}
	if !e.HasFile() {
		return nil, fmt.Errorf("evidence %q has no attached file: %w", e.Title, model.ErrNotFound)
	}
	b, err := r.bucket(bucketEvidenceFiles)
	if err != nil {
		return nil, err
	}
	raw := b.Get(itob(uint64(evidenceID)))
	if raw == nil {
		return nil, fmt.Errorf("the attached file %s of evidence %q is missing from the register: %w", e.FileName, e.Title, model.ErrDigestMismatch)
	}
	data := bytes.Clone(raw)
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != e.SHA256 {
		return nil, fmt.Errorf("%s (evidence %q): %w. Restore a backup or attach the file again", e.FileName, e.Title, model.ErrDigestMismatch)
	}
	return data, nil
}

// Audit lists audit events oldest first.
func (r *readTx) Audit(findingID model.ID) ([]model.AuditEvent, error) {
	return byFinding[model.AuditEvent](r, bucketAuditByFinding, bucketAudit, findingID)
}

// Submissions lists submissions oldest first.
func (r *readTx) Submissions() ([]model.Submission, error) {
	return all[model.Submission](r, bucketSubmissions)
}

// naturalLess orders strings with their runs of digits compared as numbers,
// so KEN-PEEL2122-AFI-9 comes before KEN-PEEL2122-AFI-10.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := unicode.IsDigit(rune(a[0])), unicode.IsDigit(rune(b[0]))
		if da && db {
			na, ra := digitRun(a)
			nb, rb := digitRun(b)
			ta, tb := strings.TrimLeft(na, "0"), strings.TrimLeft(nb, "0")
			if len(ta) != len(tb) {
				return len(ta) < len(tb)
			}
			if ta != tb {
				return ta < tb
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) (string, string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i], s[i:]
}
