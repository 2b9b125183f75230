package model

import (
	"context"
	"errors"
	"io"
	"time"
)

// Sentinel errors. The store wraps them with words a person understands (the
// file name, what to do next), so callers test with errors.Is and show
// err.Error() as it is.
var (
	// ErrNotFound: no record with that ID or reference.
	ErrNotFound = errors.New("not found")
	// ErrLocked: another process (another Improvement Tracker window) has
	// the register open.
	ErrLocked = errors.New("the register is open in another Improvement Tracker window")
	// ErrNewerVersion: the file was written by a newer version of the app
	// and is left untouched.
	ErrNewerVersion = errors.New("the register was saved by a newer version of Improvement Tracker")
	// ErrDamaged: the file is not a readable register.
	ErrDamaged = errors.New("the register file is damaged or is not an Improvement Tracker register")
	// ErrAppendOnly: progress updates and audit events are never edited or
	// deleted.
	ErrAppendOnly = errors.New("progress updates cannot be changed or deleted once saved; add a new update instead")
	// ErrTooLarge: an attachment or field over its limit.
	ErrTooLarge = errors.New("too large")
	// ErrDigestMismatch: an attached file no longer matches its SHA-256.
	ErrDigestMismatch = errors.New("the attached file does not match its recorded SHA-256 digest: it has been altered or damaged")
	// ErrNotEmpty: the register already holds findings.
	ErrNotEmpty = errors.New("the register is not empty")
	// ErrInUse: a record is still referred to (a person who owns findings,
	// a finding with progress updates).
	ErrInUse = errors.New("still in use")
	// ErrProgram: the app itself went wrong (a bug), as opposed to the
	// register being damaged. Nothing was saved; the register is as it was.
	ErrProgram = errors.New("Improvement Tracker met a program error (a fault in the app, not damage to the register); nothing was saved. Please report it with the app's log")
)

// Actor says who is making a change and why. The store writes both into the
// audit event of every record the change touches.
type Actor struct {
	// Who is the person's name; empty means the register's Author setting.
	Who string
	// Note is added to every audit event of the change, for example
	// "imported from Q3 return.xlsx".
	Note string
	// Signed says that Who is the person the store knows is making the
	// change (a shared register's login), not a name the caller chose:
	// every progress update of the change is then signed by Who, whatever
	// name the form held, because the server holds updates to their
	// author.
	Signed bool
}

// ReadTx reads a consistent view of the register. Slices and records
// returned are the caller's own: the store never hands out memory it owns.
type ReadTx interface {
	Settings() (Settings, error)

	Reports() ([]Report, error)
	Report(id ID) (Report, error)

	// People lists everyone, retired people included, ordered by name.
	People() ([]Person, error)
	Person(id ID) (Person, error)

	// Findings lists every finding ordered by reference.
	Findings() ([]Finding, error)
	Finding(id ID) (Finding, error)
	FindingByRef(ref string) (Finding, error)

	// Milestones lists a finding's milestones by current due date; with
	// findingID 0, every milestone in the register.
	Milestones(findingID ID) ([]Milestone, error)
	// Updates lists a finding's updates oldest first (by date, then by the
	// order they were recorded); with findingID 0, every update.
	Updates(findingID ID) ([]Update, error)
	// Evidence lists a finding's evidence; with findingID 0, all evidence.
	Evidence(findingID ID) ([]Evidence, error)
	// EvidenceFile returns an attached file's bytes after checking them
	// against the recorded SHA-256; a mismatch gives ErrDigestMismatch.
	EvidenceFile(evidenceID ID) ([]byte, error)

	// Audit lists audit events oldest first; with findingID 0, every event.
	Audit(findingID ID) ([]AuditEvent, error)

	// Submissions lists recorded submissions oldest first.
	Submissions() ([]Submission, error)
}

// Tx reads and writes within one transaction: either every write in it is
// stored, with its audit events, or none is.
//
// A save that fails leaves the caller's record exactly as it was passed
// (no ID, defaults or filled-in revisions), and stores nothing of its own,
// so the caller can correct the record and save it again. The contract
// suite in model/storetest holds every store to this.
type Tx interface {
	ReadTx

	SaveSettings(s Settings) error
	// SaveReport creates the report when r.ID is 0 (setting r.ID) or
	// replaces it.
	SaveReport(r *Report) error
	SavePerson(p *Person) error
	// SaveFinding creates the finding when f.ID is 0, giving it an ID and,
	// when f.Ref is empty, the next local reference
	// (PREFIX-REPORTCODE-TYPE-NN). Otherwise it replaces the stored
	// finding. A changed current target must come with a new entry in
	// TargetRevisions; the reference can never change. f.Version must be
	// the stored one (f was read since the last save): otherwise the save
	// is refused with a *ConflictError. Each save that changes the finding
	// moves f.Version on.
	SaveFinding(f *Finding) error
	// DeleteFinding removes a finding entered in error, with its
	// milestones and evidence. A finding with progress updates cannot be
	// deleted (ErrInUse): mark it No further action instead.
	DeleteFinding(id ID) error
	// SaveMilestone adds or replaces a milestone; like SaveFinding, it
	// refuses one whose Version is not the stored one.
	SaveMilestone(m *Milestone) error
	DeleteMilestone(id ID) error
	// AppendUpdate stores a new update and sets the finding's status and
	// RAG to the update's (a save of the finding, which moves its
	// version on). u.ID must be 0: updates are append-only.
	AppendUpdate(u *Update) error
	// AddEvidence stores evidence, with an attached file when file is not
	// nil (setting FileSize and SHA256). Files over MaxAttachmentSize are
	// refused with ErrTooLarge.
	AddEvidence(e *Evidence, file []byte) error
	// SaveEvidence changes evidence details; the attached file, if any,
	// cannot change.
	SaveEvidence(e *Evidence) error
	DeleteEvidence(id ID) error
	SaveSubmission(s *Submission) error
}

// Store is the register. Three stores implement it: a register kept in one
// file on this computer (a FileStore), a register on a PostgreSQL server
// that a team shares, and a register held in memory for tests. The GUI,
// exports and importers depend only on this interface, and ask for the
// abilities only some stores have (a file's path, copies, backups) through
// the interfaces below.
//
// Every store gets the register's rules from this package (NewReader,
// NewWriter): a store only keeps records (the Records and RecordWriter
// interfaces), so that the rules and their messages exist once.
type Store interface {
	// View runs fn in a read-only transaction. The store begins and rolls
	// back the transaction itself. ctx is checked before the transaction
	// begins: a server-backed store also gives up waiting on it.
	View(ctx context.Context, fn func(tx ReadTx) error) error
	// Update runs fn in a read-write transaction, committed when fn
	// returns nil and rolled back otherwise.
	Update(ctx context.Context, by Actor, fn func(tx Tx) error) error
	// Now is the store's clock, injected for tests.
	Now() time.Time
	Close() error
}

// FileStore is a register kept in one file on this computer.
type FileStore interface {
	Store
	// Path is the register file's location.
	Path() string
	// WriteCopy writes a consistent copy of the register to w while it
	// stays open: for "Save a copy…" and backups.
	WriteCopy(w io.Writer) (int64, error)
	// CopyFiles gives a copy written by WriteCopy to copyPath, to be
	// named dstPath, the attached files it refers to, which a register
	// keeps beside its file: call it before the copy takes its name.
	CopyFiles(copyPath, dstPath string) error
	// Check runs the file's consistency check and returns the problems
	// found, in words; none means the file is sound.
	Check() ([]string, error)
}

// Backuper is a store that keeps backups of itself.
type Backuper interface {
	// Backup writes a checked backup now and returns where it went.
	Backup() (string, error)
}

// AuditSincer is a ReadTx that can list only the audit events recorded after
// an instant, which spares reading the whole trail for a recent as-at date.
// TakeSnapshot uses it when the transaction has it and falls back to
// Audit(0).
type AuditSincer interface {
	AuditSince(t time.Time) ([]AuditEvent, error)
}

// AuditBetweener is a ReadTx that can list a finding's audit events recorded
// within a span (after after, by until) without reading the rest of its
// history. TakeSnapshot uses it when the transaction has it and falls back to
// Audit(findingID).
type AuditBetweener interface {
	AuditBetween(findingID ID, after, until time.Time) ([]AuditEvent, error)
}

// ProblemGroup is one kind of problem a check of a register found, with
// each instance in words: what "check" prints, for a file or a server.
type ProblemGroup struct {
	Title    string
	Problems []string
}

// Signer is a store that knows who is making changes: a shared register,
// whose login is tied to a person. The database holds every progress
// update to that person as its author, so a form shows the name and does
// not offer another.
type Signer interface {
	// SignedAs is the name updates are signed with; "" when the store
	// does not know (a file, or a server's owner tied to no one).
	SignedAs() string
	// SignedPerson is the person in the register the login is tied to,
	// 0 for none: who "My work" is about.
	SignedPerson() ID
}
