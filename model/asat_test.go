package model

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// history builds a register the way the store does: every write leaves an
// audit event with the field-level Diff, so snapshotOf sees what it sees in
// production.
type history struct {
	d      registerData
	nextID ID
}

func (h *history) event(at time.Time, action Action, entity Entity, id ID, before, after any) {
	h.nextID++
	h.d.events = append(h.d.events, AuditEvent{
		ID: h.nextID, At: at, Who: "test", Action: action, Entity: entity, EntityID: id,
		Changes: Diff(before, after, nil),
	})
}

func at(s string) time.Time {
	d := MustDate(s)
	return time.Date(d.Year, d.Month, d.Day, 10, 30, 0, 0, time.Local)
}

// kent returns a register as it stood on 20/01/2026, and asAt 31/12/2025.
func kent() *history {
	h := &history{}
	h.d.settings = Settings{ForceName: "Kent Police", RefPrefix: "KEN"}
	h.d.reports = []Report{
		{ID: 1, Title: "PEEL 2021/22", Type: PEEL, Cycle: "2021/22", Published: MustDate("10/08/2022")},
		{ID: 2, Title: "Thematic on vetting", Type: Thematic, Published: MustDate("15/01/2026")},
	}
	h.d.people = []Person{
		{ID: 1, Name: "Assistant Chief Constable (Crime)"},
		{ID: 2, Name: "Detective Superintendent, Public Protection"},
	}
	h.d.findings = []Finding{
		{ID: 1, Ref: "KEN-PEEL2122-AFI-01", ReportID: 1, Type: AFI, Area: "Investigating crime",
			Title: "Domestic abuse team resourcing", ChiefOfficerID: 1, DeliveryLeadID: 2,
			OriginalTarget: MustDate("30/09/2025"), CurrentTarget: MustDate("30/09/2025"),
			Status: InProgress, RAG: Red, Created: at("01/09/2022")},
		{ID: 2, Ref: "KEN-PEEL2122-AFI-02", ReportID: 1, Type: AFI, Area: "Managing offenders and suspects",
			Title: "Bail and RUI policy", ChiefOfficerID: 1,
			OriginalTarget: MustDate("31/03/2026"), CurrentTarget: MustDate("31/03/2026"),
			Status: ClosureProposed, RAG: Green, ClosureProposedDate: MustDate("01/12/2025"), Created: at("01/09/2022")},
		// Typed up only in 2026, but its report was out long before.
		{ID: 3, Ref: "KEN-PEEL2122-AFI-03", ReportID: 1, Type: AFI, Area: "Managing offenders and suspects",
			Title: "Registered sex offender operating model", Status: NotStarted, Created: at("10/01/2026")},
		// Its report came out after the as-at date.
		{ID: 4, Ref: "KEN-VET-REC-01", ReportID: 2, Type: Recommendation, Status: AwaitingAllocation, Created: at("16/01/2026")},
	}
	h.d.milestones = []Milestone{
		{ID: 1, FindingID: 1, Title: "Recruit 12 investigators", OriginalDue: MustDate("30/11/2025"), CurrentDue: MustDate("30/11/2025")},
		{ID: 2, FindingID: 1, Title: "Train supervisors", OriginalDue: MustDate("31/10/2025"), CurrentDue: MustDate("31/10/2025"), Completed: MustDate("20/10/2025")},
		{ID: 3, FindingID: 2, Title: "Publish the bail policy", OriginalDue: MustDate("31/01/2026"), CurrentDue: MustDate("31/01/2026")},
	}
	h.d.updates = []Update{
		{ID: 1, FindingID: 1, Date: MustDate("15/07/2025"), Narrative: "Business case approved.", Status: InProgress, RAG: Amber},
		{ID: 2, FindingID: 1, Date: MustDate("14/11/2025"), Narrative: "Recruitment behind plan.", Status: InProgress, RAG: Red},
		{ID: 3, FindingID: 2, Date: MustDate("01/12/2025"), Narrative: "Policy signed off; closure proposed.", Status: ClosureProposed, RAG: Green},
	}
	h.d.evidence = []Evidence{
		{ID: 1, FindingID: 1, Title: "Business case", EffectiveDate: MustDate("15/07/2025")},
		{ID: 2, FindingID: 2, Title: "Bail policy v2", EffectiveDate: MustDate("01/12/2025")},
	}
	for _, f := range h.d.findings {
		h.event(f.Created, ActionCreate, EntityFinding, f.ID, Finding{}, f)
	}
	return h
}

var asAt = MustDate("31/12/2025")

// stored returns v as the store hands it back: decoded from JSON.
func stored[T any](t *testing.T, v T) T {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func snap(t *testing.T, h *history) *Snapshot {
	t.Helper()
	d := registerData{
		settings:   stored(t, h.d.settings),
		events:     stored(t, h.d.events),
		reports:    stored(t, h.d.reports),
		people:     stored(t, h.d.people),
		findings:   stored(t, h.d.findings),
		updates:    stored(t, h.d.updates),
		milestones: stored(t, h.d.milestones),
		evidence:   stored(t, h.d.evidence),
	}
	d.auditOf = func(id ID) ([]AuditEvent, error) {
		var out []AuditEvent
		for _, e := range d.events {
			if e.FindingID == id || (e.Entity == EntityFinding && e.EntityID == id) {
				out = append(out, e)
			}
		}
		return out, nil
	}
	s, err := snapshotOf(d, asAt, asAt.EndOfDay(time.Local))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// edit changes the register after the as-at date, as a user would in the
// new year: a later update, a revised target, a renamed lead, a completed
// and a deleted milestone, new evidence.
func edit(h *history) {
	when := at("20/02/2026")

	f := h.d.findings[0]
	before := f
	f.Title = "Domestic abuse investigation resourcing"
	f.CurrentTarget = MustDate("30/06/2026")
	f.TargetRevisions = []Revision{{From: MustDate("30/09/2025"), To: f.CurrentTarget, Reason: "Recruitment delays", AgreedBy: "ACC Crime", At: when}}
	f.DeliveryLeadID = 1
	h.d.findings[0] = f
	h.event(when, ActionChange, EntityFinding, f.ID, before, f)

	u := Update{ID: 4, FindingID: 1, Date: MustDate("10/02/2026"), Narrative: "Ten investigators in post.", Status: InProgress, RAG: Amber}
	h.d.updates = append(h.d.updates, u)
	before = h.d.findings[0]
	h.d.findings[0].RAG = Amber
	h.event(when, ActionChange, EntityFinding, 1, before, h.d.findings[0])

	f2 := h.d.findings[1]
	before = f2
	f2.Status, f2.ClosedDate, f2.InspectoratePosition = Closed, MustDate("15/02/2026"), "Agreed closure"
	h.d.findings[1] = f2
	h.event(when, ActionChange, EntityFinding, f2.ID, before, f2)

	p := h.d.people[1]
	before2 := p
	p.Name = "Detective Chief Superintendent, Public Protection"
	h.d.people[1] = p
	h.event(when, ActionChange, EntityPerson, p.ID, before2, p)

	m := h.d.milestones[0]
	beforeM := m
	m.Completed = MustDate("15/02/2026")
	h.d.milestones[0] = m
	h.event(when, ActionChange, EntityMilestone, m.ID, beforeM, m)

	deleted := h.d.milestones[2]
	h.d.milestones = h.d.milestones[:2]
	h.event(when, ActionDelete, EntityMilestone, deleted.ID, deleted, Milestone{})

	e := Evidence{ID: 3, FindingID: 1, Title: "Recruitment tracker", EffectiveDate: MustDate("01/02/2026"), Added: when}
	h.d.evidence = append(h.d.evidence, e)
	h.event(when, ActionCreate, EntityEvidence, e.ID, Evidence{}, e)
}

func TestSnapshotIgnoresLaterEdits(t *testing.T) {
	h := kent()
	before := snap(t, h)
	edit(h)
	after := snap(t, h)

	if !reflect.DeepEqual(before.Findings, after.Findings) {
		t.Errorf("findings changed by edits after the as-at date:\nbefore %+v\nafter  %+v", before.Findings, after.Findings)
	}
	if !reflect.DeepEqual(before.Milestones, after.Milestones) {
		t.Errorf("milestones changed:\nbefore %+v\nafter  %+v", before.Milestones, after.Milestones)
	}
	if !reflect.DeepEqual(before.Updates, after.Updates) {
		t.Errorf("updates changed:\nbefore %+v\nafter  %+v", before.Updates, after.Updates)
	}
	if !reflect.DeepEqual(before.Evidence, after.Evidence) {
		t.Errorf("evidence changed:\nbefore %+v\nafter  %+v", before.Evidence, after.Evidence)
	}
	if !reflect.DeepEqual(before.People, after.People) {
		t.Errorf("people changed:\nbefore %+v\nafter  %+v", before.People, after.People)
	}
}

func TestSnapshotValuesAsAt(t *testing.T) {
	h := kent()
	edit(h)
	s := snap(t, h)

	var refs []string
	for _, f := range s.Findings {
		refs = append(refs, f.Ref)
	}
	want := []string{"KEN-PEEL2122-AFI-01", "KEN-PEEL2122-AFI-02", "KEN-PEEL2122-AFI-03"}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("included %v, want %v (the vetting report came out after the as-at date)", refs, want)
	}

	f, _ := s.Finding(1)
	if f.Title != "Domestic abuse team resourcing" || f.CurrentTarget != MustDate("30/09/2025") || len(f.TargetRevisions) != 0 {
		t.Errorf("finding 1 not rolled back: title %q target %s revisions %d", f.Title, f.CurrentTarget, len(f.TargetRevisions))
	}
	if f.Status != InProgress || f.RAG != Red {
		t.Errorf("finding 1 is %s/%s, want the latest update on or before as-at: In progress/Red", f.Status, f.RAG)
	}
	if got := s.PersonLabel(f.DeliveryLeadID); got != "Detective Superintendent, Public Protection" {
		t.Errorf("delivery lead as at = %q", got)
	}
	f2, _ := s.Finding(2)
	if f2.Status != ClosureProposed || !f2.ClosedDate.IsZero() || f2.InspectoratePosition != "" {
		t.Errorf("finding 2 closed after as-at should read as proposed: %+v", f2)
	}
	if n := len(s.UpdatesOf(1)); n != 2 {
		t.Errorf("finding 1 has %d updates as at, want 2", n)
	}
	if got := s.LatestReason(f); got != "Recruitment behind plan." {
		t.Errorf("latest reason %q", got)
	}
	if got := len(s.EvidenceOf(1)); got != 1 {
		t.Errorf("finding 1 has %d evidence items as at, want 1", got)
	}
	if len(s.MilestonesOf(2)) != 1 {
		t.Errorf("the milestone deleted after as-at is missing: %+v", s.Milestones)
	}

	over := s.OverdueFindings()
	if len(over) != 1 || over[0].Finding.ID != 1 || over[0].DaysOverdue != 92 || over[0].Revisions != 0 {
		t.Errorf("overdue = %+v, want finding 1, 92 days, 0 revisions", over)
	}
	slipped := s.SlippedMilestones()
	if len(slipped) != 1 || slipped[0].Milestone.ID != 1 || slipped[0].DaysOverdue != 31 {
		t.Errorf("slipped = %+v, want milestone 1, 31 days overdue (completed only after as-at)", slipped)
	}
	if p := s.ProposedForClosure(); len(p) != 1 || p[0].ID != 2 {
		t.Errorf("proposed for closure = %+v", p)
	}
	// Finding 2's target falls within 90 days, but its closure has been
	// proposed: its work is done, so it is not listed as coming due.
	if d := s.DueWithin(90); len(d) != 0 {
		t.Errorf("due within 90 days = %+v, want none", d)
	}
	if n, ok := s.NextMilestone(1); !ok || n.ID != 1 {
		t.Errorf("next milestone = %+v", n)
	}
	if got := s.UpdatesIn(1, MustDate("01/10/2025"), asAt); len(got) != 1 || got[0].ID != 2 {
		t.Errorf("updates in Q3 = %+v", got)
	}
}

func TestSnapshotCountsAddUp(t *testing.T) {
	h := kent()
	edit(h)
	s := snap(t, h)
	c := s.Count(nil)
	if c.Total != 3 || c.Overdue != 1 {
		t.Fatalf("total %d overdue %d, want 3 and 1", c.Total, c.Overdue)
	}
	sum := func(m map[string]int) (n int) {
		for _, v := range m {
			n += v
		}
		return n
	}
	byStatus, byRAG, byType, byTS := 0, 0, 0, 0
	for _, v := range c.ByStatus {
		byStatus += v
	}
	for _, v := range c.ByRAG {
		byRAG += v
	}
	for _, v := range c.ByType {
		byType += v
	}
	for _, m := range c.ByTypeStatus {
		for _, v := range m {
			byTS += v
		}
	}
	for name, got := range map[string]int{"status": byStatus, "RAG": byRAG, "type": byType, "type×status": byTS, "area": sum(c.ByArea)} {
		if got != c.Total {
			t.Errorf("counts by %s add up to %d, want %d", name, got, c.Total)
		}
	}
	if c.ByArea["Managing offenders and suspects"] != 2 || c.ByRAG[""] != 1 {
		t.Errorf("by area %v, by RAG %v", c.ByArea, c.ByRAG)
	}
	if got := s.Count(func(f Finding) bool { return f.ChiefOfficerID == 1 }).Total; got != 2 {
		t.Errorf("filtered count %d, want 2", got)
	}
	fs := s.Filter(func(f Finding) bool { return f.ID == 2 })
	if len(fs.Findings) != 1 || len(fs.Milestones) != 1 || len(fs.Updates) != 1 || len(fs.Evidence) != 1 {
		t.Errorf("filtered snapshot: %d findings, %d milestones, %d updates, %d evidence",
			len(fs.Findings), len(fs.Milestones), len(fs.Updates), len(fs.Evidence))
	}
}

func TestTrimRevisions(t *testing.T) {
	revs := []Revision{
		{From: MustDate("30/09/2025"), To: MustDate("31/12/2025"), At: at("01/09/2025")},
		{From: MustDate("31/12/2025"), To: MustDate("31/03/2026"), At: at("05/01/2026")},
		{From: MustDate("31/03/2026"), To: MustDate("30/06/2026"), At: at("05/03/2026")},
	}
	cur, kept := trimRevisions(MustDate("30/06/2026"), revs, asAt)
	if cur != MustDate("31/12/2025") || len(kept) != 1 {
		t.Errorf("got %s with %d revisions, want 31/12/2025 with 1", cur, len(kept))
	}
	cur, kept = trimRevisions(MustDate("31/12/2025"), revs[:1], asAt)
	if cur != MustDate("31/12/2025") || len(kept) != 1 {
		t.Errorf("nothing to trim: got %s with %d", cur, len(kept))
	}
	// A revision typed in late goes by the date it was agreed, not the
	// day it was recorded.
	late := []Revision{{From: MustDate("30/09/2025"), To: MustDate("31/12/2025"), Agreed: MustDate("15/09/2025"), At: at("05/03/2026")}}
	if cur, kept := trimRevisions(MustDate("31/12/2025"), late, asAt); cur != MustDate("31/12/2025") || len(kept) != 1 {
		t.Errorf("a revision agreed before as-at but recorded after: got %s with %d, want it kept", cur, len(kept))
	}
	if cur, kept := trimRevisions(MustDate("31/12/2025"), late, MustDate("14/09/2025")); cur != MustDate("30/09/2025") || len(kept) != 0 {
		t.Errorf("as at the day before it was agreed: got %s with %d, want 30/09/2025 and none", cur, len(kept))
	}
}

func TestSnapshotRestoresFindingDeletedLater(t *testing.T) {
	h := kent()
	gone := h.d.findings[1]
	h.event(gone.Created, ActionCreate, EntityFinding, gone.ID, Finding{}, gone)
	h.d.findings = append(h.d.findings[:1], h.d.findings[2:]...)
	h.event(at("05/01/2026"), ActionDelete, EntityFinding, gone.ID, gone, Finding{})
	s := snap(t, h)
	var refs []string
	for _, f := range s.Findings {
		refs = append(refs, f.Ref)
	}
	want := []string{"KEN-PEEL2122-AFI-01", "KEN-PEEL2122-AFI-02", "KEN-PEEL2122-AFI-03"}
	if !reflect.DeepEqual(refs, want) {
		t.Fatalf("findings %v, want %v: one deleted after as-at is back in its place", refs, want)
	}
	if f, ok := s.Finding(gone.ID); !ok || f.Title != gone.Title || f.Status != ClosureProposed {
		t.Errorf("restored finding %+v", f)
	}
	// Created long before the as-at date, so its creation is not among
	// the events undone: it keeps the time its record gave.
	if f, _ := s.Finding(gone.ID); !f.Created.Equal(gone.Created) {
		t.Errorf("the restored finding was created %v, want %v", f.Created, gone.Created)
	}
}

func TestRefLess(t *testing.T) {
	for _, c := range []struct {
		a, b string
		less bool
	}{
		{"KEN-AFI-9", "KEN-AFI-10", true},
		{"KEN-AFI-10", "KEN-AFI-9", false},
		{"KEN-AFI-09", "KEN-AFI-10", true},
		{"KEN-AFI-1", "KEN-COC-1", true},
		{"KEN-AFI-1", "KEN-AFI-1", false},
	} {
		if got := CompareRefs(c.a, c.b) < 0; got != c.less {
			t.Errorf("CompareRefs(%q, %q) < 0 = %v", c.a, c.b, got)
		}
	}
}

// A status set directly in the editor after the latest update was recorded
// is the one that stood at the as-at date; one set after the as-at date is
// not.
func TestSnapshotDirectStatusChangeAfterUpdate(t *testing.T) {
	h := kent()
	for i := range h.d.updates {
		h.d.updates[i].Recorded = at("20/11/2025")
	}
	f := h.d.findings[0]
	before := f
	f.Status, f.ClosureRationale, f.RAG = NoFurtherAction, "Superseded by the 2025 DA review", Blue
	h.d.findings[0] = f
	h.event(at("10/12/2025"), ActionChange, EntityFinding, f.ID, before, f)

	got, _ := snap(t, h).Finding(1)
	if got.Status != NoFurtherAction || got.RAG != Blue {
		t.Fatalf("status as at %s = %s/%s, want the direct change No further action/Blue", asAt, got.Status, got.RAG)
	}

	// The same change made after the as-at date does not count.
	h = kent()
	for i := range h.d.updates {
		h.d.updates[i].Recorded = at("20/11/2025")
	}
	f = h.d.findings[0]
	before = f
	f.Status, f.ClosureRationale, f.RAG = NoFurtherAction, "Superseded", Blue
	h.d.findings[0] = f
	h.event(at("10/01/2026"), ActionChange, EntityFinding, f.ID, before, f)
	got, _ = snap(t, h).Finding(1)
	if got.Status != InProgress || got.RAG != Red {
		t.Fatalf("status as at %s = %s/%s, want the latest update's In progress/Red", asAt, got.Status, got.RAG)
	}
}
