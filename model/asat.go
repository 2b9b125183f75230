package model

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Snapshot is the register as it stood at the end of a date: what a
// quarterly return, a briefing or the dashboard shows "as at" that date.
// It is computed from the update history and the audit trail, not from
// today's values, so that last quarter's return can be regenerated cell for
// cell after the register has moved on.
//
// TakeSnapshot applies these rules, with "after as-at" meaning after the last
// instant of the as-at date in local time:
//
//   - A finding is included when its report was published on or before the
//     as-at date or, when the report has no publication date, when the
//     finding was created by then or has a progress update dated on or
//     before as-at. (Registers are often typed up after the report came
//     out, so creation time alone would lose real findings.)
//   - Every record starts from its current values, and each audit
//     FieldChange recorded after as-at is rolled back, newest first
//     (RollBack). A record deleted after as-at is rebuilt from its delete
//     event when the event holds its values.
//   - Status and RAG are then taken from the latest progress update dated on
//     or before as-at, when there is one: updates carry the status and RAG
//     at their date. Updates dated after as-at are left out. A status or RAG
//     set directly on the finding after that update was recorded (and by
//     as-at) wins over it: the later decision is the one that stood.
//   - Target and due-date revisions recorded after as-at are removed, and the
//     current target or due date goes back to what the first removed
//     revision moved it from. A milestone completed after as-at is not
//     complete; a closure proposed or agreed after as-at had not happened.
//   - A finding's Modified time and the Version of findings and milestones
//     are left zero: the audit trail does not keep them, and a save after
//     as-at must not change the snapshot.
//   - Evidence is included when it was effective on or before as-at (or,
//     with no effective date, added by then).
//   - People and reports are rolled back like findings, so that leads and
//     titles read as they did. The register's settings (force name,
//     author) are today's: they describe the register, not its history,
//     and a register set up after the as-at date had none then.
type Snapshot struct {
	AsAt     Date
	Settings Settings
	// Findings are ordered by reference.
	Findings []Finding
	// Milestones of the included findings, ordered by finding reference and
	// then current due date.
	Milestones []Milestone
	// Updates dated on or before AsAt, grouped by finding in the order of
	// Findings, each finding's oldest first. A snapshot taken with
	// NarrativesFrom holds some of their narratives only, and one taken
	// with UpdatesFrom some of the updates.
	Updates []Update
	// Evidence effective on or before AsAt.
	Evidence []Evidence
	People   map[ID]Person
	Reports  map[ID]Report
	// NarrativesFrom is the SnapshotOptions field it was taken with: when
	// not zero, updates dated before it hold no narrative, but each
	// finding's latest does.
	NarrativesFrom Date
	// UpdatesFrom is the SnapshotOptions field it was taken with: when not
	// zero, of the updates dated before it only each finding's latest is
	// held.
	UpdatesFrom Date

	byID         map[ID]int
	milestonesOf map[ID][]Milestone
	updatesOf    map[ID][]Update
	evidenceOf   map[ID][]Evidence
}

// TakeSnapshot reads the register as it stood at the end of asAt, by the
// rules on Snapshot.
func TakeSnapshot(tx ReadTx, asAt Date) (*Snapshot, error) {
	return TakeSnapshotWith(tx, asAt, SnapshotOptions{})
}

// SnapshotOptions say what of the register a snapshot need not hold.
type SnapshotOptions struct {
	// NarrativesFrom, when not zero, is the first date whose progress
	// updates keep their narratives; of earlier updates only each
	// finding's latest does (LatestReason), and the others' is "". A
	// return prints the narratives of its period only, and on a large
	// register the rest are most of its memory.
	NarrativesFrom Date
	// UpdatesFrom, when not zero, is the first date whose progress updates
	// are all held; of earlier ones only each finding's latest is, the one
	// a finding's status, RAG and latest reason come from, so the snapshot
	// is the same apart from Updates. A return compares its period with
	// the update before it and the dashboard reads each finding's latest:
	// neither reads the others, which on a large register are most of what
	// a snapshot holds, and are let go as soon as they are read.
	UpdatesFrom Date
}

// TakeSnapshotWith is TakeSnapshot holding only what opts ask for.
func TakeSnapshotWith(tx ReadTx, asAt Date, opts SnapshotOptions) (*Snapshot, error) {
	if asAt.IsZero() {
		return nil, fmt.Errorf("an as-at date is needed to read the register as it stood")
	}
	var d registerData
	var err error
	if d.settings, err = tx.Settings(); err != nil {
		return nil, fmt.Errorf("reading the register settings: %w", err)
	}
	if hs, ok := tx.(HistorySincer); ok {
		d.events, err = hs.HistorySince(asAt.EndOfDay(time.Local))
	} else if as, ok := tx.(AuditSincer); ok {
		d.events, err = as.AuditSince(asAt.EndOfDay(time.Local))
	} else {
		d.events, err = tx.Audit(0)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the audit trail: %w", err)
	}
	if d.reports, err = tx.Reports(); err != nil {
		return nil, fmt.Errorf("reading reports: %w", err)
	}
	if d.people, err = tx.People(); err != nil {
		return nil, fmt.Errorf("reading people: %w", err)
	}
	// An update dated after as-at is never held, so the latest before
	// the cut is one dated by as-at.
	cut := opts.UpdatesFrom
	if next := asAt.AddDays(1); !cut.IsZero() && cut.After(next) {
		cut = next
	}
	uh, heads := tx.(UpdateHeader)
	if heads && !opts.NarrativesFrom.IsZero() {
		// Listed in ID order: snapshotOf puts each finding's in order
		// of date, which costs far less than ordering the whole list.
		d.updates, err = uh.UpdateHeads(opts.NarrativesFrom, asAt, cut)
		d.narrative = uh.UpdateNarrative
	} else {
		d.updates, err = tx.Updates(0)
		if err == nil && !cut.IsZero() {
			d.updates = LatestBefore(d.updates, cut, asAt)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("reading progress updates: %w", err)
	}
	// The findings after the updates: a store that reads lists at once
	// (a server, on several connections) then has both under way together.
	if d.findings, err = tx.Findings(); err != nil {
		return nil, fmt.Errorf("reading findings: %w", err)
	}
	if d.milestones, err = tx.Milestones(0); err != nil {
		return nil, fmt.Errorf("reading milestones: %w", err)
	}
	if d.evidence, err = tx.Evidence(0); err != nil {
		return nil, fmt.Errorf("reading evidence: %w", err)
	}
	d.auditOf = tx.Audit
	if ab, ok := tx.(AuditBetweener); ok {
		d.auditBetween = ab.AuditBetween
	}
	if as, ok := tx.(AuditSpanner); ok {
		d.auditSpans = as.AuditSpans
	}
	s, err := snapshotOf(d, asAt, asAt.EndOfDay(time.Local))
	if err == nil {
		s.UpdatesFrom = opts.UpdatesFrom
	}
	if err != nil || d.narrative == nil {
		return s, err
	}
	s.NarrativesFrom = opts.NarrativesFrom
	return s, s.latestNarratives(opts.NarrativesFrom, d.narrative)
}

// LatestBefore returns the updates dated from cut to asAt, with each
// finding's latest dated before cut, in their order: that of recording, or
// by date and then so, as a snapshot takes them. (Those dated after asAt
// are never held.) The list is new, so that the given one, the whole
// register's, can be let go.
func LatestBefore(us []Update, cut, asAt Date) []Update {
	latest := map[ID]int{}
	n := 0
	for i := range us {
		u := &us[i]
		if !u.Date.Before(cut) {
			if !u.Date.After(asAt) {
				n++
			}
			continue
		}
		if j, ok := latest[u.FindingID]; !ok || !us[j].Date.After(u.Date) {
			latest[u.FindingID] = i
		}
	}
	out := make([]Update, 0, n+len(latest))
	for i := range us {
		if d := us[i].Date; d.Before(cut) && latest[us[i].FindingID] == i || !d.Before(cut) && !d.After(asAt) {
			out = append(out, us[i])
		}
	}
	return out
}

// latestNarratives reads the narrative of each finding's latest update
// dated before from, which a snapshot taken with NarrativesFrom holds
// (LatestReason) though the updates were listed without it.
func (s *Snapshot) latestNarratives(from Date, narrative func(ID) (string, error)) error {
	for _, us := range s.updatesOf {
		last := &us[len(us)-1]
		// A store may have given it already (a server does, sparing a
		// query per finding).
		if last.Date.Before(from) && last.Narrative == "" {
			n, err := narrative(last.ID)
			if err != nil {
				return err
			}
			last.Narrative = n
		}
	}
	return nil
}

// registerData is everything a snapshot is computed from, as read today.
type registerData struct {
	settings Settings
	events   []AuditEvent
	reports  []Report
	people   []Person
	findings []Finding
	// updates are in the order they were recorded (ID order), or oldest
	// first with those of a date in that order: snapshotOf takes each
	// finding's by date, then in the order they were recorded.
	updates    []Update
	milestones []Milestone
	evidence   []Evidence
	// auditOf lists one finding's audit events, oldest first. It is only
	// asked about findings whose status or RAG differs from their latest
	// update's, which are few, so the whole trail need not be read.
	auditOf func(ID) ([]AuditEvent, error)
	// auditBetween, when the store has it, lists one finding's audit
	// events recorded after a time and by another, oldest first: the same
	// question as auditOf, without reading the rest of the history.
	auditBetween func(id ID, after, until time.Time) ([]AuditEvent, error)
	// auditSpans, when the transaction has it, asks the questions of
	// auditBetween for many findings at once.
	auditSpans func(spans []AuditSpan, until time.Time) (map[ID][]AuditEvent, error)
	// narrative, when the updates were listed without some narratives,
	// reads one.
	narrative func(ID) (string, error)
}

// snapshotOf applies the rules on Snapshot to today's records; end is the
// last instant of asAt.
func snapshotOf(d registerData, asAt Date, end time.Time) (*Snapshot, error) {
	s := &Snapshot{AsAt: asAt, Settings: d.settings, People: map[ID]Person{}, Reports: map[ID]Report{}}
	later := laterChanges(d.events, end)

	if err := d.snapshotReportsAndPeople(s, later, asAt); err != nil {
		return nil, err
	}
	if err := d.snapshotFindings(s, later, asAt, end); err != nil {
		return nil, err
	}
	if err := d.snapshotMilestones(s, later, asAt); err != nil {
		return nil, err
	}
	if err := d.snapshotEvidence(s, later, asAt, end); err != nil {
		return nil, err
	}

	s.index()
	return s, nil
}

// snapshotReportsAndPeople puts the reports and people into s as they
// stood at asAt, those deleted since rebuilt.
func (d registerData) snapshotReportsAndPeople(s *Snapshot, later changeLog, asAt Date) error {
	reports := d.reports
	if err := restoreDeleted(later, EntityReport, func(r Report) { reports = append(reports, r) }); err != nil {
		return err
	}
	for _, r := range reports {
		life := r.Life
		if err := later.rollBack(EntityReport, r.ID, &r); err != nil {
			return err
		}
		r.Life = lifeAsAt(life, asAt)
		s.Reports[r.ID] = r
	}

	people := d.people
	if err := restoreDeleted(later, EntityPerson, func(p Person) { people = append(people, p) }); err != nil {
		return err
	}
	for _, p := range people {
		if err := later.rollBack(EntityPerson, p.ID, &p); err != nil {
			return err
		}
		s.People[p.ID] = p
	}
	return nil
}

// snapshotFindings puts into s the findings and their progress updates
// as they stood at asAt (end is its last instant), in reference order.
func (d registerData) snapshotFindings(s *Snapshot, later changeLog, asAt Date, end time.Time) error {
	findings := d.findings
	restored := 0
	if err := restoreDeleted(later, EntityFinding, func(f Finding) { findings = append(findings, f); restored++ }); err != nil {
		return err
	}
	if err := d.createdOfRestored(findings[len(findings)-restored:]); err != nil {
		return err
	}
	// The updates are filtered in place: the slice is ours, and a large
	// register holds hundreds of thousands of them. Each finding's latest
	// is its last by date, and of a date the last recorded: the updates
	// come in the order they were recorded, or by date and then so.
	latest := map[ID]int{}
	s.Updates = d.updates[:0]
	for _, u := range d.updates {
		if u.Date.After(asAt) {
			continue
		}
		if i, ok := latest[u.FindingID]; !ok || !s.Updates[i].Date.After(u.Date) {
			latest[u.FindingID] = len(s.Updates)
		}
		s.Updates = append(s.Updates, u)
	}

	// Kept in place, as the updates are: the slice is ours, and a second
	// list of a large register's findings beside it was the largest thing
	// a snapshot let go.
	s.byID = make(map[ID]int, len(findings))
	s.Findings = findings[:0]
	var unsettled []pendingStatus
	for i := range findings {
		// Rolled back where it lies in the list: a pointer to a copy
		// would put every record's copy on the heap, and most have no
		// change to undo. (The list is written back to from its start,
		// never past i.)
		cur := findings[i]
		if err := later.rollBack(EntityFinding, cur.ID, &findings[i]); err != nil {
			return err
		}
		f := findings[i]
		effectiveFinding(&f, cur, asAt)
		_, tracked := latest[f.ID]
		if !s.includes(f, end, tracked) {
			continue
		}
		// When a record was last saved is not a fact about the register
		// as it stood, and the audit trail does not keep it: left out, so
		// that a later save does not change the snapshot. Nor is how
		// often it has been saved since.
		f.Modified, f.Version = time.Time{}, 0
		f.CurrentTarget, f.TargetRevisions = trimRevisions(f.CurrentTarget, f.TargetRevisions, asAt)
		if f.ClosureProposedDate.After(asAt) {
			f.ClosureProposedDate = Date{}
		}
		if f.ClosedDate.After(asAt) {
			f.ClosedDate = Date{}
		}
		if !f.InspectoratePositionDate.IsZero() && f.InspectoratePositionDate.After(asAt) {
			f.InspectoratePosition, f.InspectoratePositionDate = "", Date{}
		}
		f.Reopenings = slices.DeleteFunc(slices.Clone(f.Reopenings), func(r Reopening) bool { return r.Date.After(asAt) })
		if len(f.Reopenings) == 0 {
			f.Reopenings = nil
		}
		if i, ok := latest[f.ID]; ok && s.Updates[i].Status != "" {
			u := s.Updates[i]
			if f.Status != u.Status || (u.RAG != "" && f.RAG != u.RAG) {
				// Settled below, once the audit trail has been asked
				// about every such finding together.
				unsettled = append(unsettled, pendingStatus{at: len(s.Findings), update: u})
				s.Findings = append(s.Findings, f)
				continue
			}
		}
		settleStatus(&f, s.Settings)
		s.Findings = append(s.Findings, f)
	}
	clear(findings[len(s.Findings):])
	s.Findings = trimKept(s.Findings)
	if err := d.settleFromUpdates(s, unsettled, end); err != nil {
		return err
	}
	if restored > 0 {
		// The store lists findings in reference order; a finding
		// rebuilt from its delete event goes back into its place.
		sort.SliceStable(s.Findings, func(i, j int) bool { return CompareRefs(s.Findings[i].Ref, s.Findings[j].Ref) < 0 })
	}
	for i, f := range s.Findings {
		s.byID[f.ID] = i
	}

	s.Updates = groupUpdates(s.Updates, d.updates[len(s.Updates):], s.byID, len(s.Findings))
	byDate(s.Updates)
	return nil
}

// effectiveFinding puts back the fields of a finding that carry the date
// they took effect, where rolling back by the time each change was recorded
// took away something typed in after the fact. The rollback (f) knows what
// a field held on a date only if it was typed by then; the record as it is
// now (cur) knows every dated event, and the snapshot then leaves out those
// dated after the as-at date:
//
//   - target revisions are kept for ever, so today's list is the whole
//     history, trimmed by the date each was agreed;
//   - reopenings likewise, by the date each took effect;
//   - a closure date, the rationale and the inspectorate's position typed in
//     late are taken from today's record when the rollback has none; a
//     reopening after the as-at date keeps the closure it undid, and that
//     closure is the one that stood.
func effectiveFinding(f *Finding, cur Finding, asAt Date) {
	f.OriginalTarget, f.CurrentTarget, f.TargetRevisions = cur.OriginalTarget, cur.CurrentTarget, cur.TargetRevisions
	f.Reopenings = cur.Reopenings
	// A reopening after the as-at date had not happened: the closure it
	// undid still stood.
	for _, r := range cur.Reopenings {
		if r.Date.After(asAt) {
			cur.ClosureProposedDate, cur.ClosedDate, cur.ClosureRationale = r.ProposedOn, r.ClosedOn, r.Rationale
			break
		}
	}
	if f.ClosureProposedDate.IsZero() {
		f.ClosureProposedDate = cur.ClosureProposedDate
	}
	if f.ClosedDate.IsZero() {
		f.ClosedDate = cur.ClosedDate
	}
	if strings.TrimSpace(f.ClosureRationale) == "" {
		f.ClosureRationale = cur.ClosureRationale
	}
	if f.InspectoratePosition == "" && !cur.InspectoratePositionDate.IsZero() {
		f.InspectoratePosition, f.InspectoratePositionDate = cur.InspectoratePosition, cur.InspectoratePositionDate
	}
	if f.Raised.IsZero() {
		f.Raised = cur.Raised
	}
}

// effectiveMilestone is effectiveFinding for a milestone: due-date
// revisions by the date they were agreed, and a completion typed in late.
func effectiveMilestone(m *Milestone, cur Milestone) {
	m.OriginalDue, m.CurrentDue, m.Revisions = cur.OriginalDue, cur.CurrentDue, cur.Revisions
	if m.Completed.IsZero() {
		m.Completed, m.Outcome, m.CarriedTo = cur.Completed, cur.Outcome, cur.CarriedTo
	}
}

// settleStatus keeps a finding's status as at a date consistent with its
// dates as at then. A closure agreed or proposed after the as-at date had
// not happened, so a finding recorded as closed (typed in after the fact,
// with no progress update to say where it stood) is shown at the stage its
// dates support, and a finding in or past the closure process shows the
// closed RAG, never Red, Amber or Green.
func settleStatus(f *Finding, settings Settings) {
	if f.Status == Closed && f.ClosedDate.IsZero() {
		f.Status, f.RAG = ClosureProposed, ""
	}
	if f.Status == ClosureProposed && f.ClosureProposedDate.IsZero() {
		// Where it stood before is not on record: in progress, not rated.
		f.Status, f.RAG = InProgress, ""
	}
	if f.Status.InClosure() || f.Status.IsFinal() {
		f.RAG = settings.ClosedRAG()
	}
}

// historyOf lists, for each span, its finding's audit events from the
// span's start by end: all at once when the transaction can, otherwise a
// finding at a time (from the whole of its trail when the store cannot
// list a span of it; setDirectlyIn looks only within the span).
func (d registerData) historyOf(spans []AuditSpan, end time.Time) (map[ID][]AuditEvent, error) {
	if d.auditSpans != nil {
		return d.auditSpans(spans, end)
	}
	out := make(map[ID][]AuditEvent, len(spans))
	for _, sp := range spans {
		var events []AuditEvent
		var err error
		switch {
		case d.auditBetween != nil:
			events, err = d.auditBetween(sp.FindingID, sp.After, end)
		case d.auditOf != nil:
			events, err = d.auditOf(sp.FindingID)
		}
		if err != nil {
			return nil, err
		}
		out[sp.FindingID] = events
	}
	return out, nil
}

// pendingStatus is a finding of the snapshot (at its index) whose status
// or RAG differs from its latest update's.
type pendingStatus struct {
	at     int
	update Update
}

// settleFromUpdates gives each pending finding its latest update's status
// and RAG unless they were set on the finding directly after that update,
// then settles its status as every other finding's is.
func (d registerData) settleFromUpdates(s *Snapshot, pending []pendingStatus, end time.Time) error {
	if len(pending) == 0 {
		return nil
	}
	// A finding can have been set directly only between its update's
	// recording and the end of the as-at date: an update recorded after
	// that (typed in or imported later) leaves nothing to ask about.
	spans := make([]AuditSpan, 0, len(pending))
	for _, p := range pending {
		if p.update.Recorded.Before(end) {
			spans = append(spans, AuditSpan{FindingID: s.Findings[p.at].ID, After: p.update.Recorded})
		}
	}
	history := map[ID][]AuditEvent{}
	if len(spans) > 0 {
		var err error
		if history, err = d.historyOf(spans, end); err != nil {
			return fmt.Errorf("reading the history of findings: %w", err)
		}
	}
	for _, p := range pending {
		f := &s.Findings[p.at]
		direct := setDirectlyIn(history[f.ID], f.ID, p.update.Recorded, end)
		if !direct {
			f.Status = p.update.Status
			if p.update.RAG != "" {
				f.RAG = p.update.RAG
			}
		}
		settleStatus(f, s.Settings)
	}
	return nil
}

// setDirectlyIn reports whether events hold a change of the finding's
// status or RAG made by a save of the finding itself (not by adding an
// update), recorded after since and by end.
func setDirectlyIn(events []AuditEvent, id ID, since, end time.Time) bool {
	for _, e := range events {
		if e.Entity != EntityFinding || e.EntityID != id || !e.At.After(since) || e.At.After(end) {
			continue
		}
		for _, c := range e.Changes {
			if c.Field == "status" || c.Field == "rag" {
				return true
			}
		}
	}
	return false
}

// includes applies the inclusion rule for a finding. tracked says whether
// the finding has a progress update dated on or before as-at: with no
// publication date to go by, that shows it was being worked on then even if
// it was typed into this register later.
func (s *Snapshot) includes(f Finding, end time.Time, tracked bool) bool {
	if !f.Raised.IsZero() {
		return !f.Raised.After(s.AsAt)
	}
	if r, ok := s.Reports[f.ReportID]; ok && !r.Published.IsZero() {
		return !r.Published.After(s.AsAt)
	}
	return f.Created.IsZero() || !f.Created.After(end) || tracked
}

func (s *Snapshot) index() {
	s.milestonesOf = runs(s.Milestones, func(m *Milestone) ID { return m.FindingID })
	s.updatesOf = runs(s.Updates, func(u *Update) ID { return u.FindingID })
	s.evidenceOf = runs(s.Evidence, func(e *Evidence) ID { return e.FindingID })
}

// runs maps each key to its run of items, which are grouped by key. The
// runs are slices of items itself (capped, so appending to one copies), so
// a large register's updates are held once.
func runs[T any](items []T, key func(*T) ID) map[ID][]T {
	out := map[ID][]T{}
	for i := 0; i < len(items); {
		k := key(&items[i])
		j := i + 1
		for j < len(items) && key(&items[j]) == k {
			j++
		}
		out[k] = items[i:j:j]
		i = j
	}
	return out
}

// trimRevisions drops revisions recorded after end. The current date goes
// back to where the first dropped revision moved it from.
func trimRevisions(current Date, revs []Revision, asAt Date) (Date, []Revision) {
	for i, r := range revs {
		if r.Effective().After(asAt) {
			out := make([]Revision, 0, i)
			out = append(out, revs[:i]...)
			for _, later := range revs[i+1:] {
				if !later.Effective().After(asAt) {
					out = append(out, later)
				}
			}
			if len(out) == 0 {
				out = nil
			}
			return r.From, out
		}
	}
	return current, revs
}
