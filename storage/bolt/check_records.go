package bolt

import (
	"fmt"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// tally is what the check read: the counts of records that decoded, and
// the updates recorded after a return that should have held them.
type tally struct {
	findings, updates, events int
	late                      *model.LateFinder
}

// findingSeen is what the checks between records need of a finding.
type findingSeen struct {
	id                                      model.ID
	ref                                     string
	cause                                   bool // a cause of concern, which may be a parent
	report, chief, lead, parent, supersedes model.ID
}

// checked is what checkRecords has read so far, for its steps.
type checked struct {
	tx  *bolt.Tx
	r   *records
	rep report

	reports, people owned
	findings        []findingSeen // in key order
	findingsBad     int
	byID            map[model.ID]int // a place in findings, by the finding's own ID

	milestones, updates owned
	evidenceBad         int // evidence records that did not decode
	evidenceOwned       owned
	events              trail
	subs                []model.Submission
	subsRep             report // the submissions' problems, said after the trail's
	late                *model.LateFinder

	release func() // gives back the pages of the file read so far
	read    int    // bytes of records read since

	lean    bool // the indexes of schema version 5 are all there
	leans   leanSeen
	pending []func() // problems to put in words once the walks are done
}

// checkRecords is the register's own check: every record decoded, the
// indexes against the records, the references, the chain and the files.
// The error is a fault that stopped a section's walk.
func checkRecords(tx *bolt.Tx, r *records, rep report) (tally, error) {
	if !checkLayout(tx, rep) {
		return tally{}, nil
	}
	if raw := tx.Bucket(bucketSettings).Get(keySettings); raw != nil {
		var set model.Settings
		if err := r.decode(bucketSettings, keySettings, raw, &set); err != nil {
			rep.add(groupRecords, "%s", err)
		}
	}
	c := &checked{tx: tx, r: r, rep: rep, byID: map[model.ID]int{}, subsRep: report{}, release: releaser(tx)}
	c.milestones.what, c.updates.what, c.evidenceOwned.what = "milestone", "progress update", "evidence"
	c.lean = checkLeanPresent(tx, rep)
	for _, step := range []func() error{c.readOwners, c.readFindings, c.readSubmissions, c.readChildren, c.readTrail} {
		if err := step(); err != nil {
			return tally{}, err
		}
	}
	for _, g := range groupOrder {
		if len(c.subsRep[g]) > 0 {
			rep[g] = append(rep[g], c.subsRep[g]...)
		}
	}
	c.checkChain()
	for _, say := range c.pending {
		say()
	}
	return tally{findings: len(c.findings), updates: len(c.updates.ids), events: len(c.events.ids), late: c.late}, nil
}

// refName names a finding in a problem: its reference, or its record
// number when there is no such finding.
func (c *checked) refName(id model.ID) string {
	if i, ok := c.byID[id]; ok {
		return c.findings[i].ref
	}
	return fmt.Sprintf("finding %d", id)
}

// idMismatch reports a record whose own ID is not the key it is stored
// under.
func (c *checked) idMismatch(what string, key uint64, id model.ID) {
	if uint64(id) != key {
		c.rep.add(groupIndexes, "%s stored as record %d says it is record %d", what, key, id)
	}
}

// later puts a problem in words once the walks are done, from the record
// stored under id in the named section, decoded again: for the few
// problems an index walk finds that need more of a record than the walk
// keeps.
func later[T any](c *checked, name []byte, id uint64, say func(rec *T)) {
	c.pending = append(c.pending, func() {
		var rec T
		if raw := c.tx.Bucket(name).Get(itob(id)); raw != nil && c.r.decode(name, itob(id), raw, &rec) == nil {
			say(&rec)
		}
	})
}

// readOwners reads the reports and the people: which exist.
func (c *checked) readOwners() error {
	var err error
	c.reports.bad, err = walk(c, bucketReports, plainDecode[model.Report](bucketReports), func(id uint64, rec *model.Report) {
		c.idMismatch("a report", id, rec.ID)
		c.reports.add(id, 0)
	})
	if err != nil {
		return err
	}
	c.people.bad, err = walk(c, bucketPeople, plainDecode[model.Person](bucketPeople), func(id uint64, rec *model.Person) {
		c.idMismatch("a person", id, rec.ID)
		c.people.add(id, 0)
	})
	return err
}

// readFindings reads the findings, then checks each one's reference index
// entry, report, leads, parent and successor.
func (c *checked) readFindings() error {
	var err error
	c.findingsBad, err = walk(c, bucketFindings, plainDecode[model.Finding](bucketFindings), func(id uint64, f *model.Finding) {
		c.idMismatch("finding "+f.Ref, id, f.ID)
		c.byID[f.ID] = len(c.findings)
		c.findings = append(c.findings, findingSeen{id: f.ID, ref: f.Ref, cause: f.Type == model.CauseOfConcern, report: f.ReportID,
			chief: f.ChiefOfficerID, lead: f.DeliveryLeadID, parent: f.ParentID, supersedes: f.SupersededBy})
	})
	if err != nil {
		return err
	}
	rep := c.rep
	refs := c.tx.Bucket(bucketFindingRefs)
	for _, f := range c.findings {
		if got := btoi(refs.Get([]byte(f.ref))); model.ID(got) != f.id {
			rep.add(groupIndexes, "finding %s: the reference index does not point to it", f.ref)
		}
		if _, ok := c.reports.find(uint64(f.report)); !ok && c.reports.bad == 0 {
			rep.add(groupReferences, "finding %s: its report (record %d) does not exist", f.ref, f.report)
		}
		for _, id := range []model.ID{f.chief, f.lead} {
			if _, ok := c.people.find(uint64(id)); id != 0 && !ok && c.people.bad == 0 {
				rep.add(groupReferences, "finding %s: its lead (person record %d) does not exist", f.ref, id)
			}
		}
		if f.parent != 0 {
			p, ok := c.byID[f.parent]
			if (!ok && c.findingsBad == 0) || (ok && !c.findings[p].cause) {
				rep.add(groupReferences, "finding %s: its parent (record %d) is not a cause of concern in the register", f.ref, f.parent)
			}
		}
		if _, ok := c.byID[f.supersedes]; f.supersedes != 0 && !ok && c.findingsBad == 0 {
			rep.add(groupReferences, "finding %s: the finding that supersedes it (record %d) does not exist", f.ref, f.supersedes)
		}
	}
	_ = refs.ForEach(func(k, v []byte) error {
		i, ok := c.byID[model.ID(btoi(v))]
		if (!ok && c.findingsBad == 0) || (ok && c.findings[i].ref != string(k)) {
			rep.add(groupIndexes, "the reference index lists %s for finding record %d, which does not have that reference", k, btoi(v))
		}
		return nil
	})
	return nil
}

// readSubmissions reads the records of submissions, before the updates
// and the trail, which are checked against them as they are read. Their
// problems are reported after the trail's, in the order of the sections.
func (c *checked) readSubmissions() error {
	saved := c.rep
	c.rep = c.subsRep
	defer func() { c.rep = saved }()
	_, err := walk(c, bucketSubmissions, plainDecode[model.Submission](bucketSubmissions), func(_ uint64, s *model.Submission) {
		c.subs = append(c.subs, *s)
	})
	c.late = model.NewLateFinder(c.subs)
	c.events.heads = model.NewSubmissionHeads(c.subs)
	return err
}

// child checks that a milestone, update or evidence record belongs to an
// existing finding and is in that finding's index, and keeps it for the
// index's own check.
func (c *checked) child(o *owned, index *bolt.Bucket, id uint64, finding model.ID) {
	c.childSeen(o, id, finding, index.Get(pairKey(finding, model.ID(id))) != nil)
}

// childSeen is child with the record's place in its finding's index
// already looked up: inIndex.
func (c *checked) childSeen(o *owned, id uint64, finding model.ID, inIndex bool) {
	o.add(id, finding)
	if _, ok := c.byID[finding]; !ok && c.findingsBad == 0 {
		c.rep.add(groupReferences, "%s record %d belongs to finding record %d, which does not exist", o.what, id, finding)
	}
	if !inIndex {
		c.rep.add(groupIndexes, "%s record %d on %s is missing from its finding's index", o.what, id, c.refName(finding))
	}
}

// checkChildIndex checks that each entry of a finding's index of
// milestones, updates or evidence names a record of that finding.
func (c *checked) checkChildIndex(o *owned, index *bolt.Bucket) {
	_ = index.ForEach(func(k, _ []byte) error {
		if len(k) != 16 {
			c.rep.add(groupIndexes, "the %s index has a malformed entry", o.what)
			return nil
		}
		if fid, ok := o.owner(btoi(k[8:])); (!ok && o.bad == 0) || (ok && uint64(fid) != btoi(k)) {
			c.rep.add(groupIndexes, "the %s index lists record %d under %s, which matches no %s", o.what, btoi(k[8:]), c.refName(model.ID(btoi(k))), o.what)
		}
		return nil
	})
}

// readChildren reads the milestones, the progress updates (with their
// indexes of version 5) and the evidence, each against its finding and
// its finding's index.
func (c *checked) readChildren() error {
	idx := c.tx.Bucket(bucketMilestonesByFinding)
	var err error
	c.milestones.bad, err = walk(c, bucketMilestones, plainDecode[model.Milestone](bucketMilestones), func(id uint64, m *model.Milestone) {
		c.child(&c.milestones, idx, id, m.FindingID)
	})
	if err != nil {
		return err
	}
	c.checkChildIndex(&c.milestones, idx)

	idx = c.tx.Bucket(bucketUpdatesByFinding)
	c.leans.start(c)
	look := updateLookups{index: idx}
	if c.lean {
		look.heads, look.byDate = c.leans.heads, c.leans.byDate
	}
	c.updates.bad, err = walk(c, bucketUpdates, look.decode, func(id uint64, cu *checkedUpdate) {
		u := &cu.u
		c.childSeen(&c.updates, id, u.FindingID, cu.inIndex)
		ref := ""
		if i, ok := c.byID[u.FindingID]; ok {
			ref = c.findings[i].ref
		}
		c.late.Add(*u, ref)
		if c.lean {
			c.leans.update(c, id, cu)
		}
	})
	if err != nil {
		return err
	}
	c.checkChildIndex(&c.updates, idx)
	if c.lean {
		c.leans.checkUpdateIndexes(c)
	}

	idx = c.tx.Bucket(bucketEvidenceByFinding)
	c.evidenceBad, err = walk(c, bucketEvidence, plainDecode[model.Evidence](bucketEvidence), func(id uint64, e *model.Evidence) {
		c.child(&c.evidenceOwned, idx, id, e.FindingID)
	})
	if err != nil {
		return err
	}
	c.evidenceOwned.bad = c.evidenceBad
	c.checkChildIndex(&c.evidenceOwned, idx)
	return nil
}

// checkChain checks the audit trail as a chain, and the states submissions
// name: both were followed as the trail was read.
func (c *checked) checkChain() {
	rep := c.rep
	if c.events.bad > 0 {
		rep.add(groupHistory, "the history cannot be verified as a chain while %d of its entries are damaged", c.events.bad)
		return
	}
	for _, p := range c.events.chain.Problems() {
		rep.add(groupHistory, "%s", p)
	}
	for _, p := range c.events.heads.Problems() {
		rep.add(groupHistory, "%s", p)
	}
}
