package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	bolt "go.etcd.io/bbolt"

	"improvementtracker/model"
)

// ProblemGroup is one kind of problem check found, with each instance in
// words; the type is model's, shared with the shared register's check.
type ProblemGroup = model.ProblemGroup

// The groups, in the order check reports them.
const (
	groupHeader     = "Header pages"
	groupStructure  = "File structure"
	groupLayout     = "Layout"
	groupRecords    = "Damaged records"
	groupIndexes    = "Indexes"
	groupReferences = "References between records"
	groupHistory    = "History (audit trail)"
	groupFiles      = "Attached files"
	groupSaves      = "Saves and backups"
)

var groupOrder = []string{groupHeader, groupStructure, groupLayout, groupRecords, groupIndexes, groupReferences, groupHistory, groupFiles, groupSaves}

// report gathers problems by group.
type report map[string][]string

func (r report) add(group, format string, a ...any) {
	r[group] = append(r[group], fmt.Sprintf(format, a...))
}

func (r report) groups() []ProblemGroup {
	var out []ProblemGroup
	for _, g := range groupOrder {
		if len(r[g]) > 0 {
			out = append(out, ProblemGroup{Title: g, Problems: r[g]})
		}
	}
	return out
}

// Flatten lists grouped problems one a line: "Damaged records: …".
func Flatten(groups []ProblemGroup) []string {
	var out []string
	for _, g := range groups {
		for _, p := range g.Problems {
			out = append(out, g.Title+": "+p)
		}
	}
	return out
}

// Check reads the whole register and returns its problems in words, one a
// line, each starting with its group; none means the file is sound. See
// CheckReport.
func (s *Store) Check() ([]string, error) {
	groups, err := s.CheckReport()
	return Flatten(groups), err
}

// CheckReport reads the whole register: both header pages, every page of
// the file, every record of every section (its checksum and its decoding),
// the indexes against the records, the references between records, the
// audit trail as a chain, every attached file against its SHA-256, and
// the commit counter against the newest backup. It returns the problems
// grouped by kind; none means the file is sound.
func (s *Store) CheckReport() ([]ProblemGroup, error) {
	rep := report{}
	err := s.guard(func() error {
		// A transaction that keeps writers out while the pages are walked
		// (a read-only one when the register was opened for reading); it
		// is rolled back, so Check never changes the file.
		tx, err := s.db.Begin(!s.readOnly)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		checkTx(s.path, tx, &records{tx: tx}, rep)
		s.checkFiles(tx, rep) // files_check.go
		if len(rep) == 0 {
			// The newest daily or hand-made backup's count of saves, as
			// opening compares it (rollback): read from a compressed
			// backup's header, not by unpacking and checking the whole
			// copy while writers wait.
			if b, n, ok := newestBackupSaves(s.path); ok {
				if n > commits(tx) {
					rep.add(groupSaves, "the register holds %s, fewer than its backup %s made %s (%s): it has been put back to an older copy, or saves have been lost",
						saves(commits(tx)), b.Path, b.Time.Local().Format("on 02/01/2006 at 15:04"), saves(n))
				}
			}
		}
		return nil
	})
	if err != nil {
		return rep.groups(), fmt.Errorf("checking the register %s: %w", s.path, err)
	}
	return rep.groups(), nil
}

// CheckFile checks a register file that is not open (a backup) as
// CheckReport does. A file from an older version is checked for its
// structure only: its records are read when it is upgraded.
func CheckFile(path string) ([]ProblemGroup, error) {
	if compressed(path) {
		plain, done, err := unpacked(path)
		if errors.Is(err, errBadPack) {
			rep := report{}
			rep.add(groupStructure, "%v", err)
			return rep.groups(), nil
		}
		if err != nil {
			return nil, fmt.Errorf("cannot unpack %s to check it: %s", path, plainOSError(err))
		}
		defer done()
		return CheckFile(plain)
	}
	rep := report{}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", path, err)
	}
	if info.IsDir() || info.Size() == 0 {
		rep.add(groupStructure, "it is empty or a folder")
		return rep.groups(), nil
	}
	if p := metaProblem(path); p != "" {
		rep.add(groupHeader, "%s", p)
		if st, _ := readMetas(path); st.newest < 0 {
			return rep.groups(), nil
		}
	}
	err = guard(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: DefaultTimeout, ReadOnly: true, PreLoadFreelist: true})
		if err != nil {
			if errors.Is(err, bolt.ErrTimeout) {
				return lockedError(path)
			}
			rep.add(groupStructure, "%s", boltProblem(err))
			return nil
		}
		defer db.Close()
		return db.View(func(tx *bolt.Tx) error {
			if err := verifyFile(path); err != nil {
				rep.add(groupStructure, "%s", err)
				return nil
			}
			v, err := readVersion(path, tx, info.Size())
			switch {
			case err != nil:
				rep.add(groupLayout, "%s", strings.TrimPrefix(err.Error(), "cannot open "+path+": "))
			case v == 0:
				rep.add(groupLayout, "it is an empty database, not a register")
			case v < SchemaVersion:
				checkPages(path, tx, rep)
			default:
				// The header pages were read above.
				checkPages(path, tx, rep)
				if len(rep[groupStructure]) == 0 {
					checkRecords(tx, &records{tx: tx}, rep)
				}
			}
			return nil
		})
	})
	if err != nil {
		rep.add(groupStructure, "%s", err)
	}
	return rep.groups(), nil
}

// boltProblem says in words why bbolt would not open a file.
func boltProblem(err error) string {
	switch {
	case errors.Is(err, bolt.ErrInvalid):
		return "it is not a database file"
	case errors.Is(err, bolt.ErrVersionMismatch):
		return "it is in a database format this app does not read"
	case errors.Is(err, bolt.ErrChecksum):
		return "its header pages fail their checksum"
	case errors.Is(err, os.ErrPermission):
		return "you do not have permission to read it"
	}
	return "it cannot be opened as a database"
}

// checkTx is the whole check of an open file.
func checkTx(path string, tx *bolt.Tx, r *records, rep report) {
	if p := metaProblem(path); p != "" {
		rep.add(groupHeader, "%s", p)
	}
	checkPages(path, tx, rep)
	if len(rep[groupStructure]) > 0 {
		// The records cannot be trusted on a damaged structure.
		return
	}
	checkRecords(tx, r, rep)
}

// checkPages adds what checkFile finds to the structure group.
func checkPages(path string, tx *bolt.Tx, rep report) {
	for _, p := range checkFile(path, tx) {
		rep.add(groupStructure, "%s", p)
	}
}

// loaded is one section's records that decoded, in key order.
type loaded[T any] struct {
	ids  []uint64
	recs map[uint64]T
	bad  int
}

// decodeAll decodes every record of a section, reporting each damaged one.
func decodeAll[T any](r *records, name []byte, rep report) loaded[T] {
	out := loaded[T]{recs: map[uint64]T{}}
	b := r.tx.Bucket(name)
	if b == nil {
		return out
	}
	_ = b.ForEach(func(k, v []byte) error {
		var rec T
		if err := r.decode(name, k, v, &rec); err != nil {
			rep.add(groupRecords, "%s", err)
			out.bad++
			return nil
		}
		if len(k) != 8 {
			rep.add(groupIndexes, "the %s section has a key that is not a record number", name)
			return nil
		}
		out.ids = append(out.ids, btoi(k))
		out.recs[btoi(k)] = rec
		return nil
	})
	return out
}

// checkRecords is the register's own check: every record decoded, the
// indexes against the records, the references, the chain and the files.
func checkRecords(tx *bolt.Tx, r *records, rep report) {
	if !checkLayout(tx, rep) {
		return
	}
	if raw := tx.Bucket(bucketSettings).Get(keySettings); raw != nil {
		var set model.Settings
		if err := r.decode(bucketSettings, keySettings, raw, &set); err != nil {
			rep.add(groupRecords, "%s", err)
		}
	}
	reports := decodeAll[model.Report](r, bucketReports, rep)
	people := decodeAll[model.Person](r, bucketPeople, rep)
	findings := decodeAll[model.Finding](r, bucketFindings, rep)
	milestones := decodeAll[model.Milestone](r, bucketMilestones, rep)
	updates := decodeAll[model.Update](r, bucketUpdates, rep)
	evidence := decodeAll[model.Evidence](r, bucketEvidence, rep)
	audit := decodeAll[model.AuditEvent](r, bucketAudit, rep)
	subs := decodeAll[model.Submission](r, bucketSubmissions, rep)

	c := checked{tx: tx, rep: rep, reports: reports, people: people, findings: findings, byID: map[model.ID]model.Finding{}}
	for _, f := range findings.recs {
		c.byID[f.ID] = f
	}
	c.checkFindings()
	c.checkChildren(milestones, updates, evidence)
	c.checkHistoryIndex(audit)
	checkLeanIndexes(tx, r, updates, audit, c.refName, rep)
	c.checkChain(audit, subs)
}

// checkLayout checks the sections and the marks of a register; the records
// are read only when it passes.
func checkLayout(tx *bolt.Tx, rep report) bool {
	meta := tx.Bucket(bucketMeta)
	switch {
	case meta == nil:
		rep.add(groupLayout, "the meta section is missing")
	case !bytes.Equal(meta.Get(keyApp), []byte(appMarker)):
		rep.add(groupLayout, "it is not marked as an Improvement Tracker register")
	case btoi(meta.Get(keySchema)) != SchemaVersion:
		rep.add(groupLayout, "the schema version is %d, not %d", btoi(meta.Get(keySchema)), SchemaVersion)
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil && !isLeanIndex(name) {
			rep.add(groupLayout, "the %s section is missing", name)
		}
	}

	return len(rep[groupLayout]) == 0
}

// checked is what checkRecords has read, for its steps.
type checked struct {
	tx       *bolt.Tx
	rep      report
	reports  loaded[model.Report]
	people   loaded[model.Person]
	findings loaded[model.Finding]
	byID     map[model.ID]model.Finding
}

// refName names a finding in a problem: its reference, or its record
// number when there is no such finding.
func (c *checked) refName(id model.ID) string {
	if f, ok := c.byID[id]; ok {
		return f.Ref
	}
	return fmt.Sprintf("finding %d", id)
}

// checkFindings checks that each record is stored under its own ID, and
// each finding's reference index entry, report, leads, parent and
// successor.
func (c *checked) checkFindings() {
	tx, rep, reports, people, findings, byID := c.tx, c.rep, c.reports, c.people, c.findings, c.byID
	// Each record's ID is the key it is stored under.
	idMismatch := func(what string, key uint64, id model.ID) {
		if uint64(id) != key {
			rep.add(groupIndexes, "%s stored as record %d says it is record %d", what, key, id)
		}
	}
	for _, k := range reports.ids {
		idMismatch("a report", k, reports.recs[k].ID)
	}
	for _, k := range people.ids {
		idMismatch("a person", k, people.recs[k].ID)
	}
	for _, k := range findings.ids {
		idMismatch("finding "+findings.recs[k].Ref, k, findings.recs[k].ID)
	}

	refs := tx.Bucket(bucketFindingRefs)
	for _, k := range findings.ids {
		f := findings.recs[k]
		if got := btoi(refs.Get([]byte(f.Ref))); model.ID(got) != f.ID {
			rep.add(groupIndexes, "finding %s: the reference index does not point to it", f.Ref)
		}
		if _, ok := reports.recs[uint64(f.ReportID)]; !ok && reports.bad == 0 {
			rep.add(groupReferences, "finding %s: its report (record %d) does not exist", f.Ref, f.ReportID)
		}
		for _, id := range []model.ID{f.ChiefOfficerID, f.DeliveryLeadID} {
			if _, ok := people.recs[uint64(id)]; id != 0 && !ok && people.bad == 0 {
				rep.add(groupReferences, "finding %s: its lead (person record %d) does not exist", f.Ref, id)
			}
		}
		if f.ParentID != 0 {
			if p, ok := byID[f.ParentID]; (!ok && findings.bad == 0) || (ok && p.Type != model.CauseOfConcern) {
				rep.add(groupReferences, "finding %s: its parent (record %d) is not a cause of concern in the register", f.Ref, f.ParentID)
			}
		}
		if _, ok := byID[f.SupersededBy]; f.SupersededBy != 0 && !ok && findings.bad == 0 {
			rep.add(groupReferences, "finding %s: the finding that supersedes it (record %d) does not exist", f.Ref, f.SupersededBy)
		}
	}
	_ = refs.ForEach(func(k, v []byte) error {
		if f, ok := byID[model.ID(btoi(v))]; (!ok && findings.bad == 0) || (ok && f.Ref != string(k)) {
			rep.add(groupIndexes, "the reference index lists %s for finding record %d, which does not have that reference", k, btoi(v))
		}
		return nil
	})

}

// checkChildren checks that milestones, updates and evidence each belong
// to an existing finding and are in that finding's index, and that each
// index entry names an existing record.
func (c *checked) checkChildren(milestones loaded[model.Milestone], updates loaded[model.Update], evidence loaded[model.Evidence]) {
	tx, rep, findings, byID, refName := c.tx, c.rep, c.findings, c.byID, c.refName
	type child struct {
		what  string
		index []byte
		owner map[uint64]model.ID
		bad   int
	}
	owners := func(ids []uint64, finding func(uint64) model.ID) map[uint64]model.ID {
		m := map[uint64]model.ID{}
		for _, id := range ids {
			m[id] = finding(id)
		}
		return m
	}
	children := []child{
		{"milestone", bucketMilestonesByFinding, owners(milestones.ids, func(id uint64) model.ID { return milestones.recs[id].FindingID }), milestones.bad},
		{"progress update", bucketUpdatesByFinding, owners(updates.ids, func(id uint64) model.ID { return updates.recs[id].FindingID }), updates.bad},
		{"evidence", bucketEvidenceByFinding, owners(evidence.ids, func(id uint64) model.ID { return evidence.recs[id].FindingID }), evidence.bad},
	}
	for _, c := range children {
		idx := tx.Bucket(c.index)
		for id, fid := range c.owner {
			if _, ok := byID[fid]; !ok && findings.bad == 0 {
				rep.add(groupReferences, "%s record %d belongs to finding record %d, which does not exist", c.what, id, fid)
			}
			if idx.Get(pairKey(fid, model.ID(id))) == nil {
				rep.add(groupIndexes, "%s record %d on %s is missing from its finding's index", c.what, id, refName(fid))
			}
		}
		_ = idx.ForEach(func(k, _ []byte) error {
			if len(k) != 16 {
				rep.add(groupIndexes, "the %s index has a malformed entry", c.what)
				return nil
			}
			if fid, ok := c.owner[btoi(k[8:])]; (!ok && c.bad == 0) || (ok && uint64(fid) != btoi(k)) {
				rep.add(groupIndexes, "the %s index lists record %d under %s, which matches no %s", c.what, btoi(k[8:]), refName(model.ID(btoi(k))), c.what)
			}
			return nil
		})
	}

}

// checkHistoryIndex checks that each entry of the history index names an
// event of that finding, at that event's time, and that each event of a
// finding is in it.
func (c *checked) checkHistoryIndex(audit loaded[model.AuditEvent]) {
	tx, rep, refName := c.tx, c.rep, c.refName
	auditIdx := tx.Bucket(bucketAuditByFinding)
	_ = auditIdx.ForEach(func(k, v []byte) error {
		if len(k) != 16 {
			rep.add(groupIndexes, "the history index has a malformed entry")
			return nil
		}
		ev, ok := audit.recs[btoi(k[8:])]
		switch {
		case !ok && audit.bad == 0:
			rep.add(groupIndexes, "the history index names entry %d, which does not exist", btoi(k[8:]))
		case !ok:
		case uint64(ev.FindingID) != btoi(k):
			rep.add(groupIndexes, "the history index lists entry %d under %s, but it belongs to %s", ev.ID, refName(model.ID(btoi(k))), refName(ev.FindingID))
		default:
			if at, ok := readAuditTime(v); !ok || !at.Equal(ev.At) {
				rep.add(groupIndexes, "the history index gives the wrong time for %s", strings.TrimPrefix(eventName(ev), "the "))
			}
		}
		return nil
	})
	for _, id := range audit.ids {
		ev := audit.recs[id]
		if ev.FindingID != 0 && auditIdx.Get(pairKey(ev.FindingID, ev.ID)) == nil {
			rep.add(groupIndexes, "%s is missing from the history index of %s", eventName(ev), refName(ev.FindingID))
		}
	}

}

// checkChain checks the audit trail as a chain, and the states submissions
// name.
func (c *checked) checkChain(audit loaded[model.AuditEvent], subs loaded[model.Submission]) {
	rep := c.rep
	if audit.bad > 0 {
		rep.add(groupHistory, "the history cannot be verified as a chain while %d of its entries are damaged", audit.bad)
	} else {
		events := make([]model.AuditEvent, len(audit.ids))
		for i, id := range audit.ids {
			events[i] = audit.recs[id]
		}
		for _, p := range model.CheckAuditChain(events) {
			rep.add(groupHistory, "%s", p)
		}
		list := make([]model.Submission, len(subs.ids))
		for i, id := range subs.ids {
			list[i] = subs.recs[id]
		}
		for _, p := range model.CheckSubmissionHeads(list, events) {
			rep.add(groupHistory, "%s", p)
		}
	}

}

// eventName names an audit event in words.
func eventName(ev model.AuditEvent) string {
	return fmt.Sprintf("the history entry of %s (%q)", ev.At.Local().Format("02/01/2006 15:04"), ev.Summary)
}

// saves counts saves in words: "1 save", "4 saves".
func saves(n uint64) string {
	if n == 1 {
		return "1 save"
	}
	return fmt.Sprintf("%d saves", n)
}
