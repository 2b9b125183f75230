package bolt

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
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
// grouped by kind; none means the file is sound. See CheckRegister.
func (s *Store) CheckReport() ([]ProblemGroup, error) {
	res, err := s.CheckRegister()
	return res.Groups, err
}

// CheckResult is what a full check found, and what it read on the way.
type CheckResult struct {
	// Groups are the problems, grouped by kind; none means the file is
	// sound.
	Groups []ProblemGroup
	// Findings, Updates and Events count the findings, progress updates
	// and history entries read and checked.
	Findings, Updates, Events int
	// Late lists the progress updates recorded after a submitted return
	// that should have held them (model.LateUpdates), oldest first.
	Late []model.LateUpdate
}

// checkGC is the garbage collector's pace (GOGC) while the register is
// checked: see CheckRegister.
const checkGC = 300

// checkPace sets the collector's pace for a check, unless the program
// runs at a slower one already, and gives back what restores it.
func checkPace() (restore func()) {
	was := debug.SetGCPercent(checkGC)
	if was < 0 || was > checkGC {
		debug.SetGCPercent(was)
	}
	return func() { debug.SetGCPercent(was) }
}

// CheckRegister is CheckReport with the counts of what it read and the
// updates recorded late, found in the same pass: the check reads each
// section of the file once, as a stream, and keeps of each record only
// what the checks between records need, so a register far larger than
// memory can be checked.
func (s *Store) CheckRegister() (CheckResult, error) {
	rep := report{}
	var res CheckResult
	// The check makes garbage fast (every record decoded and dropped) and
	// holds little (about 40 MB at 10,000 findings), so at Go's usual
	// pace it collects every few megabytes: collecting a third as often
	// saves a fifth of its work, and its peak stays under 200 MB.
	defer checkPace()()
	err := s.guard(func() error {
		// A transaction that keeps writers out while the pages are walked
		// (a read-only one when the register was opened for reading); it
		// is rolled back, so Check never changes the file.
		tx, err := s.db.Begin(!s.readOnly)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		defer releaseWhile(tx, releaseEvery)()
		t, err := checkTx(s.path, tx, &records{tx: tx}, rep)
		if err != nil {
			return err
		}
		res.Findings, res.Updates, res.Events, res.Late = t.findings, t.updates, t.events, t.late.Late()
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
	res.Groups = rep.groups()
	if err != nil {
		return res, fmt.Errorf("checking the register %s: %w", s.path, err)
	}
	return res, nil
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
				checkPages(path, rep)
			default:
				// The header pages were read above.
				checkPages(path, rep)
				if len(rep[groupStructure]) == 0 {
					defer releaseWhile(tx, releaseEvery)()
					if _, err := checkRecords(tx, &records{tx: tx}, rep); err != nil {
						return err
					}
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

// checkTx is the whole check of an open file; it says what it read. An
// error means a section could not be read to the end.
func checkTx(path string, tx *bolt.Tx, r *records, rep report) (tally, error) {
	if p := metaProblem(path); p != "" {
		rep.add(groupHeader, "%s", p)
	}
	checkPages(path, rep)
	if len(rep[groupStructure]) > 0 {
		// The records cannot be trusted on a damaged structure.
		return tally{}, nil
	}
	checkDicts(tx, rep)
	return checkRecords(tx, r, rep)
}

// checkPages adds to the structure group what the walk of every page
// (verifyFile) finds wrong. bbolt's own check (tx.Check) is not run after
// it: it finds nothing the walk does not (TestChildrenOutOfTheirRange, in
// pages, holds the one thing the walk once left to it), and it read every
// page of the file a second time, alone, before the records could be
// read: a tenth of the check's time.
func checkPages(path string, rep report) {
	if err := verifyFile(path); err != nil {
		rep.add(groupStructure, "%s", err)
	}
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
