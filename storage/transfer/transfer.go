// Package transfer copies a whole register from one store to another: from
// a file to a PostgreSQL server when a team moves to a shared register,
// back to a file to work offline, or from file to file. It works over the
// record interface (model.Records of the source, model.RecordWriter of the
// target), so that every record keeps its ID, every finding its reference,
// the audit trail stays exactly as it was, and the target's counters go on
// from where the source's stood: a copy is the same register, not an
// import of it.
package transfer

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"improvementtracker/model"
)

// Source is a store that lends its records for reading, in one consistent
// view. The records must also offer RefCounter.
type Source interface {
	ViewRecords(ctx context.Context, fn func(rec model.Records) error) error
}

// Target is a store that takes records as they are, in one transaction.
type Target interface {
	UpdateRecords(ctx context.Context, fn func(rec model.RecordWriter) error) error
}

// refCounters is the part of a RecordWriter a source's records must also
// offer: the last reference number given per report and finding type.
type refCounters interface {
	RefCounter(report model.ID, typeCode string) (uint64, error)
}

// idReserver is a target that can move a kind's IDs on in one step; a
// target without it is moved on by taking IDs one by one.
type idReserver interface {
	ReserveIDs(kind model.Kind, last model.ID) error
}

// batcher is a target that stores many new records of a kind at once,
// which a server does far faster than one by one.
type batcher interface {
	PutBatch(kind model.Kind, ids []model.ID, recs []any) error
}

// batchSize is how many records go to a batcher at once: enough to spare
// the round trips, few enough to keep the encoded batch small.
const batchSize = 2000

// Summary says what was copied.
type Summary struct {
	Settings                                               bool
	Reports, People, Findings, Milestones, Updates         int
	Evidence, Files, AuditEvents, Submissions, RefCounters int
	FileBytes                                              int64
}

// String says it in words.
func (s Summary) String() string {
	return fmt.Sprintf("%s, %s, %s, %s, %s, %s (%s, %s), %s and %s",
		count(s.Reports, "report"), count(s.People, "person"), count(s.Findings, "finding"), count(s.Milestones, "milestone"),
		count(s.Updates, "progress update"), count(s.Evidence, "evidence record"), count(s.Files, "attached file"),
		model.HumanSize(s.FileBytes), count(s.Submissions, "submission"), count(s.AuditEvents, "audit event"))
}

// count writes a number of things: "1 report", "3 reports", "16 people".
func count(n int, thing string) string {
	switch {
	case n == 1:
		return "1 " + thing
	case thing == "person":
		return fmt.Sprintf("%d people", n)
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// Copy copies everything src holds into dst, which must be empty: settings,
// reports, people, findings, milestones, progress updates, evidence with
// its attached files (each checked against its SHA-256 first), submissions
// and the audit trail, with their IDs and references, and the reference
// counters and ID sequences. It writes in one transaction of dst: a copy
// that fails leaves dst as it was. A non-empty target is refused with an
// error wrapping model.ErrNotEmpty; a damaged attachment, with one
// wrapping model.ErrDigestMismatch.
func Copy(ctx context.Context, src Source, dst Target) (Summary, error) {
	var sum Summary
	err := src.ViewRecords(ctx, func(in model.Records) error {
		counters, ok := in.(refCounters)
		if !ok {
			return fmt.Errorf("%w: the source cannot tell its reference counters", model.ErrProgram)
		}
		return dst.UpdateRecords(ctx, func(out model.RecordWriter) error {
			if err := mustBeEmpty(out); err != nil {
				return err
			}
			sum = Summary{}
			return copyAll(in, counters, out, &sum)
		})
	})
	return sum, err
}

// mustBeEmpty refuses a target that holds anything, saying what.
func mustBeEmpty(out model.Records) error {
	var held []string
	if ok, err := out.LoadSettings(&model.Settings{}); err != nil {
		return err
	} else if ok {
		held = append(held, "settings")
	}
	count := func(kind model.Kind, dst any, n func() int) error {
		if err := out.LoadAll(kind, 0, dst); err != nil {
			return err
		}
		if c := n(); c > 0 {
			held = append(held, fmt.Sprintf("%d %s", c, kind))
		}
		return nil
	}
	// Small kinds first: a register with findings has reports and people,
	// and a target that is not empty is usually found out there.
	var (
		reports     []model.Report
		people      []model.Person
		submissions []model.Submission
		findings    []model.Finding
		milestones  []model.Milestone
		updates     []model.Update
		evidence    []model.Evidence
		audit       []model.AuditEvent
	)
	for _, c := range []struct {
		kind model.Kind
		dst  any
		n    func() int
	}{
		{model.KindReport, &reports, func() int { return len(reports) }},
		{model.KindPerson, &people, func() int { return len(people) }},
		{model.KindSubmission, &submissions, func() int { return len(submissions) }},
		{model.KindFinding, &findings, func() int { return len(findings) }},
		{model.KindMilestone, &milestones, func() int { return len(milestones) }},
		{model.KindUpdate, &updates, func() int { return len(updates) }},
		{model.KindEvidence, &evidence, func() int { return len(evidence) }},
		{model.KindAudit, &audit, func() int { return len(audit) }},
	} {
		if len(held) > 0 {
			break
		}
		if err := count(c.kind, c.dst, c.n); err != nil {
			return err
		}
	}
	if len(held) > 0 {
		return fmt.Errorf("the target already holds %s: %w. A copy goes only into an empty register, so that nothing in it is overwritten or mixed in; choose a new file or an empty database", strings.Join(held, ", "), model.ErrNotEmpty)
	}
	return nil
}

// lastIDs is the highest ID of each kind that the copied register holds or
// names (the audit trail names deleted records, and their IDs must not be
// given to new ones).
type lastIDs map[model.Kind]model.ID

func (l lastIDs) see(kind model.Kind, id model.ID) {
	if id > l[kind] {
		l[kind] = id
	}
}

// entityKinds maps the audit trail's entities to the kinds of record.
var entityKinds = map[model.Entity]model.Kind{
	model.EntityReport: model.KindReport, model.EntityPerson: model.KindPerson, model.EntityFinding: model.KindFinding,
	model.EntityMilestone: model.KindMilestone, model.EntityUpdate: model.KindUpdate, model.EntityEvidence: model.KindEvidence,
	model.EntitySubmission: model.KindSubmission,
}

func copyAll(in model.Records, counters refCounters, out model.RecordWriter, sum *Summary) error {
	var st model.Settings
	ok, err := in.LoadSettings(&st)
	if err != nil {
		return err
	}
	if ok {
		if err := out.PutSettings(st); err != nil {
			return err
		}
		sum.Settings = true
	}
	last := lastIDs{}

	reports, err := copyKind(in, out, model.KindReport, func(r *model.Report) model.ID { return r.ID })
	if err != nil {
		return err
	}
	sum.Reports = len(reports)
	people, err := copyKind(in, out, model.KindPerson, func(p *model.Person) model.ID { return p.ID })
	if err != nil {
		return err
	}
	sum.People = len(people)
	findings, err := copyKind(in, out, model.KindFinding, func(f *model.Finding) model.ID { return f.ID })
	if err != nil {
		return err
	}
	sum.Findings = len(findings)
	for _, f := range findings {
		for _, id := range append([]model.ID{f.ParentID, f.SupersededBy}, f.Related...) {
			last.see(model.KindFinding, id)
		}
		last.see(model.KindPerson, f.ChiefOfficerID)
		last.see(model.KindPerson, f.DeliveryLeadID)
	}
	milestones, err := copyKind(in, out, model.KindMilestone, func(m *model.Milestone) model.ID { return m.ID })
	if err != nil {
		return err
	}
	sum.Milestones = len(milestones)
	for _, m := range milestones {
		last.see(model.KindFinding, m.CarriedTo)
		last.see(model.KindPerson, m.OwnerID)
	}
	updates, err := copyKind(in, out, model.KindUpdate, func(u *model.Update) model.ID { return u.ID })
	if err != nil {
		return err
	}
	sum.Updates = len(updates)
	evidence, err := copyKind(in, out, model.KindEvidence, func(e *model.Evidence) model.ID { return e.ID })
	if err != nil {
		return err
	}
	sum.Evidence = len(evidence)
	// Attached files are checked against their SHA-256 by the register's
	// own read rule: a damaged file is not carried into the copy.
	reader := model.NewReader(in)
	for _, e := range evidence {
		if !e.HasFile() {
			continue
		}
		data, err := reader.EvidenceFile(e.ID)
		if err != nil {
			return fmt.Errorf("the copy was not made: %w", err)
		}
		if err := out.PutFile(e.ID, data); err != nil {
			return err
		}
		sum.Files++
		sum.FileBytes += int64(len(data))
	}
	submissions, err := copyKind(in, out, model.KindSubmission, func(s *model.Submission) model.ID { return s.ID })
	if err != nil {
		return err
	}
	sum.Submissions = len(submissions)
	events, err := copyKind(in, out, model.KindAudit, func(ev *model.AuditEvent) model.ID { return ev.ID })
	if err != nil {
		return err
	}
	sum.AuditEvents = len(events)
	for _, ev := range events {
		if k, ok := entityKinds[ev.Entity]; ok {
			last.see(k, ev.EntityID)
		}
		last.see(model.KindFinding, ev.FindingID)
	}

	// Reference counters, for every report and finding type: a deleted
	// finding's reference stays used in the copy too.
	for _, r := range reports {
		for _, code := range typeCodes() {
			n, err := counters.RefCounter(r.ID, code)
			if err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			if err := out.SetRefCounter(r.ID, code, n); err != nil {
				return err
			}
			sum.RefCounters++
		}
	}

	for _, l := range []struct {
		kind model.Kind
		ids  func() []model.ID
	}{
		{model.KindReport, func() []model.ID { return idsOf(reports, func(r *model.Report) model.ID { return r.ID }) }},
		{model.KindPerson, func() []model.ID { return idsOf(people, func(p *model.Person) model.ID { return p.ID }) }},
		{model.KindFinding, func() []model.ID { return idsOf(findings, func(f *model.Finding) model.ID { return f.ID }) }},
		{model.KindMilestone, func() []model.ID { return idsOf(milestones, func(m *model.Milestone) model.ID { return m.ID }) }},
		{model.KindUpdate, func() []model.ID { return idsOf(updates, func(u *model.Update) model.ID { return u.ID }) }},
		{model.KindEvidence, func() []model.ID { return idsOf(evidence, func(e *model.Evidence) model.ID { return e.ID }) }},
		{model.KindSubmission, func() []model.ID { return idsOf(submissions, func(s *model.Submission) model.ID { return s.ID }) }},
		{model.KindAudit, func() []model.ID { return idsOf(events, func(ev *model.AuditEvent) model.ID { return ev.ID }) }},
	} {
		for _, id := range l.ids() {
			last.see(l.kind, id)
		}
		if err := reserve(out, l.kind, last[l.kind]); err != nil {
			return err
		}
	}
	return nil
}

// copyKind reads every record of a kind from in and stores it in out under
// its own ID.
func copyKind[T any](in model.Records, out model.RecordWriter, kind model.Kind, id func(*T) model.ID) ([]T, error) {
	var all []T
	if err := in.LoadAll(kind, 0, &all); err != nil {
		return nil, err
	}
	for i := range all {
		if id(&all[i]) == 0 {
			return nil, fmt.Errorf("%w: a record of %s has no ID", model.ErrDamaged, kind)
		}
	}
	if b, ok := out.(batcher); ok {
		for lo := 0; lo < len(all); lo += batchSize {
			hi := min(lo+batchSize, len(all))
			ids := make([]model.ID, 0, hi-lo)
			recs := make([]any, 0, hi-lo)
			for i := lo; i < hi; i++ {
				ids, recs = append(ids, id(&all[i])), append(recs, &all[i])
			}
			if err := b.PutBatch(kind, ids, recs); err != nil {
				return nil, err
			}
		}
		return all, nil
	}
	for i := range all {
		if err := out.Put(kind, id(&all[i]), &all[i]); err != nil {
			return nil, err
		}
	}
	return all, nil
}

func idsOf[T any](all []T, id func(*T) model.ID) []model.ID {
	out := make([]model.ID, len(all))
	for i := range all {
		out[i] = id(&all[i])
	}
	return out
}

// reserve moves the target's IDs of a kind past last, so that a record made
// after the copy never takes an ID the copied register holds or names.
func reserve(out model.RecordWriter, kind model.Kind, last model.ID) error {
	if last == 0 {
		return nil
	}
	if r, ok := out.(idReserver); ok {
		return r.ReserveIDs(kind, last)
	}
	for {
		id, err := out.NextID(kind)
		if err != nil {
			return err
		}
		if id >= last {
			return nil
		}
	}
}

// typeCodes is every code a finding type gives references, including the
// one for a type the app does not know.
func typeCodes() []string {
	codes := []string{model.FindingType("").Code()}
	for _, t := range model.FindingTypes {
		codes = append(codes, t.Code())
	}
	return codes
}

// ErrSameRegister: the source and the target are one register.
var ErrSameRegister = errors.New("the source and the target are the same register")
