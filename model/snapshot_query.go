package model

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// The query side of a Snapshot: the questions the dashboard, the return and
// the briefing all ask of it, answered once here so the three agree. How a
// snapshot is built (rolling the register back to a date) is in asat.go.

// Finding returns an included finding by ID.
func (s *Snapshot) Finding(id ID) (Finding, bool) {
	i, ok := s.byID[id]
	if !ok {
		return Finding{}, false
	}
	return s.Findings[i], true
}

// MilestonesOf returns a finding's milestones by current due date.
func (s *Snapshot) MilestonesOf(id ID) []Milestone { return s.milestonesOf[id] }

// UpdatesOf returns a finding's updates dated on or before as-at, oldest
// first.
func (s *Snapshot) UpdatesOf(id ID) []Update { return s.updatesOf[id] }

// EvidenceOf returns a finding's evidence effective on or before as-at.
func (s *Snapshot) EvidenceOf(id ID) []Evidence { return s.evidenceOf[id] }

// PersonLabel names a person as lists show them, or "" for no one.
func (s *Snapshot) PersonLabel(id ID) string {
	if id == 0 {
		return ""
	}
	if p, ok := s.People[id]; ok {
		return p.Label()
	}
	return fmt.Sprintf("person #%d", id)
}

// LatestUpdate returns the finding's newest update on or before as-at.
func (s *Snapshot) LatestUpdate(id ID) (Update, bool) {
	us := s.updatesOf[id]
	if len(us) == 0 {
		return Update{}, false
	}
	return us[len(us)-1], true
}

// UpdatesIn returns a finding's updates dated from first to last inclusive,
// newest first: "progress this period".
func (s *Snapshot) UpdatesIn(id ID, first, last Date) []Update {
	var out []Update
	us := s.updatesOf[id]
	for i := len(us) - 1; i >= 0; i-- {
		if !us[i].Date.Before(first) && !us[i].Date.After(last) {
			out = append(out, us[i])
		}
	}
	return out
}

// LatestReason explains where a finding stands: the narrative of its latest
// update, or failing that the reason its target last moved.
func (s *Snapshot) LatestReason(f Finding) string {
	if u, ok := s.LatestUpdate(f.ID); ok && strings.TrimSpace(u.Narrative) != "" {
		return strings.TrimSpace(u.Narrative)
	}
	if n := len(f.TargetRevisions); n > 0 {
		return strings.TrimSpace(f.TargetRevisions[n-1].Reason)
	}
	return ""
}

// NextMilestone returns the finding's earliest incomplete milestone. A
// finding whose work is done (complete, proposed for closure, or ended) has
// none to come, even where a register written before the lifecycle was
// enforced left one open.
func (s *Snapshot) NextMilestone(id ID) (Milestone, bool) {
	if f, ok := s.Finding(id); ok && !f.Status.IsOpen() {
		return Milestone{}, false
	}
	for _, m := range s.milestonesOf[id] {
		if m.Completed.IsZero() {
			return m, true
		}
	}
	return Milestone{}, false
}

// Filter returns a snapshot holding only the findings keep accepts, with
// their milestones, updates and evidence; people and reports are shared.
func (s *Snapshot) Filter(keep func(Finding) bool) *Snapshot {
	out := &Snapshot{AsAt: s.AsAt, Settings: s.Settings, People: s.People, Reports: s.Reports, NarrativesFrom: s.NarrativesFrom, UpdatesFrom: s.UpdatesFrom, byID: map[ID]int{}}
	// The places kept are found first, so that the findings are copied
	// once, into a list made at its size.
	var kept []int32
	for i, f := range s.Findings {
		if keep(f) {
			kept = append(kept, int32(i))
		}
	}
	if len(kept) > 0 {
		out.Findings = make([]Finding, len(kept))
	}
	for j, i := range kept {
		out.Findings[j] = s.Findings[i]
		out.byID[s.Findings[i].ID] = j
	}
	// Milestones, updates and evidence are grouped by finding in the order
	// of Findings, so each kept finding's run is copied whole, in order:
	// a large register's updates are counted, then copied once.
	var nm, nu, ne int
	for _, f := range out.Findings {
		nm += len(s.milestonesOf[f.ID])
		nu += len(s.updatesOf[f.ID])
		ne += len(s.evidenceOf[f.ID])
	}
	out.Milestones = make([]Milestone, 0, nm)
	out.Updates = make([]Update, 0, nu)
	out.Evidence = make([]Evidence, 0, ne)
	for _, f := range out.Findings {
		out.Milestones = append(out.Milestones, s.milestonesOf[f.ID]...)
		out.Updates = append(out.Updates, s.updatesOf[f.ID]...)
		out.Evidence = append(out.Evidence, s.evidenceOf[f.ID]...)
	}
	if nm == 0 {
		out.Milestones = nil
	}
	if nu == 0 {
		out.Updates = nil
	}
	if ne == 0 {
		out.Evidence = nil
	}
	out.index()
	return out
}

// Narrow is Filter done in place, for a snapshot its taker will not read
// whole again (the dashboard's, once narrowed to a portfolio): the kept
// findings and their milestones, updates and evidence are moved down over
// those left out, where Filter copies a large register's records into new
// lists. Each finding's records lie together in the order of Findings, so
// a run is only ever moved down over runs already passed.
func (s *Snapshot) Narrow(keep func(Finding) bool) {
	var nf, nm, nu, ne int
	for i := range s.Findings {
		f := &s.Findings[i]
		if !keep(*f) {
			continue
		}
		nm += copy(s.Milestones[nm:], s.milestonesOf[f.ID])
		nu += copy(s.Updates[nu:], s.updatesOf[f.ID])
		ne += copy(s.Evidence[ne:], s.evidenceOf[f.ID])
		if nf != i {
			s.Findings[nf] = *f
		}
		nf++
	}
	clear(s.Findings[nf:])
	clear(s.Milestones[nm:])
	clear(s.Updates[nu:])
	clear(s.Evidence[ne:])
	s.Findings, s.Milestones = trimKept(s.Findings[:nf]), trimKept(s.Milestones[:nm])
	s.Updates, s.Evidence = trimKept(s.Updates[:nu]), trimKept(s.Evidence[:ne])
	s.byID = make(map[ID]int, len(s.Findings))
	for i, f := range s.Findings {
		s.byID[f.ID] = i
	}
	s.index()
}

// Counts are the totals a summary shows. Every map counts each finding once,
// so each map's values add up to Total.
type Counts struct {
	Total        int
	ByStatus     map[Status]int
	ByRAG        map[RAG]int // the empty RAG counts findings not yet rated
	ByType       map[FindingType]int
	ByArea       map[string]int
	ByTypeStatus map[FindingType]map[Status]int
	ByAreaRAG    map[string]map[RAG]int
	Overdue      int
}

// Count totals the findings keep accepts (all when keep is nil).
func (s *Snapshot) Count(keep func(Finding) bool) Counts {
	c := Counts{
		ByStatus:     map[Status]int{},
		ByRAG:        map[RAG]int{},
		ByType:       map[FindingType]int{},
		ByArea:       map[string]int{},
		ByTypeStatus: map[FindingType]map[Status]int{},
		ByAreaRAG:    map[string]map[RAG]int{},
	}
	for _, f := range s.Findings {
		if keep != nil && !keep(f) {
			continue
		}
		c.Total++
		c.ByStatus[f.Status]++
		c.ByRAG[f.RAG]++
		c.ByType[f.Type]++
		area := AreaLabel(f.Area)
		c.ByArea[area]++
		if c.ByTypeStatus[f.Type] == nil {
			c.ByTypeStatus[f.Type] = map[Status]int{}
		}
		c.ByTypeStatus[f.Type][f.Status]++
		if c.ByAreaRAG[area] == nil {
			c.ByAreaRAG[area] = map[RAG]int{}
		}
		c.ByAreaRAG[area][f.RAG]++
		if Overdue(f, s.AsAt) {
			c.Overdue++
		}
	}
	return c
}

// Areas returns the area names of c in alphabetical order.
func (c Counts) Areas() []string {
	out := make([]string, 0, len(c.ByArea))
	for a := range c.ByArea {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// AreaLabel is how a finding's area is shown, "(no area)" when blank.
func AreaLabel(area string) string {
	if a := strings.TrimSpace(area); a != "" {
		return a
	}
	return "(no area)"
}

// OverdueItem is a finding overdue at the as-at date.
type OverdueItem struct {
	// Finding is the snapshot's own, not a copy: a large register has
	// thousands of items, and copying each finding into its item, and
	// moving it again to order them, was most of the time a list took.
	Finding     *Finding
	DaysOverdue int
	Revisions   int // how many times its target had moved
	Reason      string
}

// OverdueFindings lists overdue findings, most overdue first. The items
// point into the snapshot.
func (s *Snapshot) OverdueFindings() []OverdueItem {
	var out []OverdueItem
	for i := range s.Findings {
		f := &s.Findings[i]
		if Overdue(*f, s.AsAt) {
			out = append(out, OverdueItem{
				Finding:     f,
				DaysOverdue: DaysOverdue(*f, s.AsAt),
				Revisions:   RevisionCount(*f, s.AsAt),
				Reason:      s.LatestReason(*f),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b OverdueItem) int { return cmp.Compare(b.DaysOverdue, a.DaysOverdue) })
	return out
}

// Exceptions lists the findings a chief officer must hear about first: those
// rated Red or overdue at the as-at date, most overdue first, then the other
// reds in reference order.
func (s *Snapshot) Exceptions() []OverdueItem {
	out := s.OverdueFindings()
	for i := range s.Findings {
		f := &s.Findings[i]
		if f.RAG == Red && f.Type.Tracked() && !f.Status.IsFinal() && !Overdue(*f, s.AsAt) {
			out = append(out, OverdueItem{Finding: f, Revisions: RevisionCount(*f, s.AsAt), Reason: s.LatestReason(*f)})
		}
	}
	return out
}

// SlippedMilestone is a milestone whose due date has moved, or which is
// overdue, at the as-at date. The milestone and its finding are the
// snapshot's own, as in OverdueItem.
type SlippedMilestone struct {
	Milestone   *Milestone
	Finding     *Finding
	Revisions   int
	DaysOverdue int
	Reason      string // why it last moved
}

// SlippedMilestones lists the incomplete milestones that have slipped, of
// findings still open, most overdue first.
func (s *Snapshot) SlippedMilestones() []SlippedMilestone {
	var out []SlippedMilestone
	for i := range s.Milestones {
		m := &s.Milestones[i]
		if !m.Completed.IsZero() || !MilestoneSlipped(*m, s.AsAt) {
			continue
		}
		j, ok := s.byID[m.FindingID]
		if !ok || s.Findings[j].Status.IsFinal() {
			continue
		}
		sm := SlippedMilestone{Milestone: m, Finding: &s.Findings[j], Revisions: countRevisions(m.Revisions, s.AsAt)}
		if MilestoneOverdue(*m, s.AsAt) {
			sm.DaysOverdue = m.CurrentDue.DaysUntil(s.AsAt)
		}
		if n := len(m.Revisions); n > 0 {
			sm.Reason = m.Revisions[n-1].Reason
		}
		out = append(out, sm)
	}
	// Most overdue first; equal ones stay in the order they came.
	slices.SortStableFunc(out, func(a, b SlippedMilestone) int { return cmp.Compare(b.DaysOverdue, a.DaysOverdue) })
	return out
}

// InClosure lists the findings in the two-stage closure: complete and
// awaiting internal sign-off, or proposed to the inspectorate.
func (s *Snapshot) InClosure() []Finding {
	var out []Finding
	for _, f := range s.Findings {
		if f.Status.InClosure() {
			out = append(out, f)
		}
	}
	return out
}

// ProposedForClosure lists the findings whose closure has been put to the
// inspectorate, each with the date it was (a snapshot settles a proposal
// without one back to in progress). A finding still awaiting internal
// sign-off has not been proposed, and is not listed.
func (s *Snapshot) ProposedForClosure() []Finding {
	var out []Finding
	for _, f := range s.Findings {
		if f.Status == ClosureProposed {
			out = append(out, f)
		}
	}
	return out
}

// DueWithin lists open findings whose current target falls within the next
// days days of as-at, soonest first.
func (s *Snapshot) DueWithin(days int) []Finding {
	var out []Finding
	for _, f := range s.Findings {
		if DueWithin(f, s.AsAt, days) {
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CurrentTarget.Before(out[j].CurrentTarget) })
	return out
}
