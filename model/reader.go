package model

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// NewReader gives the register's read rules over a store's records: the
// order lists come in, the default settings of a new register, and the
// SHA-256 check of attached files. It also offers AuditSince and
// AuditBetween, from the store when it has them and by filtering the whole
// trail when it does not.
func NewReader(rec Records) ReadTx { return &reader{rec: rec} }

type reader struct{ rec Records }

var (
	_ ReadTx         = (*reader)(nil)
	_ AuditSincer    = (*reader)(nil)
	_ AuditBetweener = (*reader)(nil)
)

// load reads one record; what names its kind in the not-found message.
func load[T any](r *reader, kind Kind, id ID, what string) (T, error) {
	var v T
	err := r.rec.Load(kind, id, &v)
	if errors.Is(err, ErrNotFound) {
		return v, fmt.Errorf("%s #%d: %w", what, id, ErrNotFound)
	}
	return v, err
}

func loadAll[T any](r *reader, kind Kind, findingID ID) ([]T, error) {
	var out []T
	err := r.rec.LoadAll(kind, findingID, &out)
	return out, err
}

// Settings returns the register's settings; a new register has none yet,
// and gets the OFFICIAL marking by default.
func (r *reader) Settings() (Settings, error) {
	s := Settings{DefaultMarking: Marking{Classification: Official}}
	_, err := r.rec.LoadSettings(&s)
	return s, err
}

// Reports lists reports in the order they were added.
func (r *reader) Reports() ([]Report, error) { return loadAll[Report](r, KindReport, 0) }

func (r *reader) Report(id ID) (Report, error) { return load[Report](r, KindReport, id, "report") }

// People lists everyone, ordered by name (or role, for role-only entries).
func (r *reader) People() ([]Person, error) {
	people, err := loadAll[Person](r, KindPerson, 0)
	sort.SliceStable(people, func(i, j int) bool {
		return strings.ToLower(people[i].Label()) < strings.ToLower(people[j].Label())
	})
	return people, err
}

func (r *reader) Person(id ID) (Person, error) { return load[Person](r, KindPerson, id, "person") }

// Findings lists every finding in reference order (CompareRefs).
func (r *reader) Findings() ([]Finding, error) {
	fs, err := loadAll[Finding](r, KindFinding, 0)
	sortStable(fs, func(a, b *Finding) int { return CompareRefs(a.Ref, b.Ref) })
	return fs, err
}

func (r *reader) Finding(id ID) (Finding, error) {
	return load[Finding](r, KindFinding, id, "finding")
}

// FindingByRef returns the finding with a local reference.
func (r *reader) FindingByRef(ref string) (Finding, error) {
	id, err := r.rec.FindingIDByRef(ref)
	if errors.Is(err, ErrNotFound) {
		return Finding{}, fmt.Errorf("finding %s: %w", ref, ErrNotFound)
	} else if err != nil {
		return Finding{}, err
	}
	return r.Finding(id)
}

// Milestones lists milestones by current due date (undated ones last).
func (r *reader) Milestones(findingID ID) ([]Milestone, error) {
	ms, err := loadAll[Milestone](r, KindMilestone, findingID)
	sortStable(ms, func(x, y *Milestone) int {
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
func (r *reader) Updates(findingID ID) ([]Update, error) {
	us, err := loadAll[Update](r, KindUpdate, findingID)
	sortStable(us, func(a, b *Update) int { return a.Date.Compare(b.Date) })
	return us, err
}

// Evidence lists evidence in the order it was added.
func (r *reader) Evidence(findingID ID) ([]Evidence, error) {
	return loadAll[Evidence](r, KindEvidence, findingID)
}

// EvidenceFile returns an attached file after checking its digest.
func (r *reader) EvidenceFile(evidenceID ID) ([]byte, error) {
	e, err := load[Evidence](r, KindEvidence, evidenceID, "evidence")
	if err != nil {
		return nil, err
	}
	if !e.HasFile() {
		return nil, fmt.Errorf("evidence %q has no attached file: %w", e.Title, ErrNotFound)
	}
	data, err := r.rec.File(evidenceID)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("the attached file %s of evidence %q is missing from the register: %w", e.FileName, e.Title, ErrDigestMismatch)
	} else if err != nil {
		return nil, err
	}
	if !MatchesDigest(data, e.SHA256) {
		// Backups share the one copy of each file (they list the files
		// they need rather than carry them), so restoring one does not
		// bring a sound copy back: attaching the file again does, for
		// every record that carries it.
		return nil, fmt.Errorf("%s (evidence %q): %w. Attach the same file again (to any evidence) to put it right", e.FileName, e.Title, ErrDigestMismatch)
	}
	return data, nil
}

// Digest is the SHA-256 of an attached file, as recorded on its evidence.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// MatchesDigest reports whether data has the recorded SHA-256.
func MatchesDigest(data []byte, digest string) bool {
	return Digest(data) == digest
}

// Audit lists audit events oldest first.
func (r *reader) Audit(findingID ID) ([]AuditEvent, error) {
	return loadAll[AuditEvent](r, KindAudit, findingID)
}

// Submissions lists submissions oldest first.
func (r *reader) Submissions() ([]Submission, error) {
	return loadAll[Submission](r, KindSubmission, 0)
}

// AuditSince lists the audit events recorded after t, oldest first.
func (r *reader) AuditSince(t time.Time) ([]AuditEvent, error) {
	if as, ok := r.rec.(AuditSincer); ok {
		return as.AuditSince(t)
	}
	all, err := r.Audit(0)
	if err != nil {
		return nil, err
	}
	out := all[:0:0]
	for _, ev := range all {
		if ev.At.After(t) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// AuditBetween lists a finding's audit events recorded after after and by
// until, oldest first.
func (r *reader) AuditBetween(findingID ID, after, until time.Time) ([]AuditEvent, error) {
	if ab, ok := r.rec.(AuditBetweener); ok {
		return ab.AuditBetween(findingID, after, until)
	}
	all, err := r.Audit(findingID)
	if err != nil {
		return nil, err
	}
	out := all[:0:0]
	for _, ev := range all {
		if ev.At.After(after) && !ev.At.After(until) {
			out = append(out, ev)
		}
	}
	return out, nil
}
