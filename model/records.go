package model

import (
	"strings"
	"time"
	"unicode"
)

// ID identifies a record within its kind. IDs come from the store's sequence
// and are never reused; 0 means "not yet stored".
type ID uint64

// Report is an inspection report whose findings the force tracks.
type Report struct {
	ID        ID             `json:"id"`
	Title     string         `json:"title"`
	Force     string         `json:"force,omitempty"`
	Type      InspectionType `json:"type"`
	Cycle     string         `json:"cycle,omitempty"` // "2021/22", "2023–25"
	Published Date           `json:"published"`
	// Code is the short form used in finding references: "PEEL2122".
	Code  string `json:"code,omitempty"`
	URL   string `json:"url,omitempty"`
	Notes string `json:"notes,omitempty"`
	// Life is what happened after publication, as recorded: the PCC's
	// response, the action plan, revisits and the inspectorate's letters
	// (see ReportEvent). It is kept on the report so that every store
	// holds it without a table of its own.
	Life []ReportEvent `json:"life,omitempty"`
	// Sample marks records loaded from the built-in sample register.
	Sample bool `json:"sample,omitempty"`
}

// PCCResponseDue is when the Police and Crime Commissioner must publish a
// response: 56 days after publication.
func (r Report) PCCResponseDue() Date {
	if r.Published.IsZero() {
		return Date{}
	}
	return r.Published.AddDays(56)
}

// RefCode returns the code used in references, derived from the type and
// cycle when none is set: PEEL 2021/22 gives "PEEL2122".
func (r Report) RefCode() string {
	if r.Code != "" {
		return r.Code
	}
	code := strings.ToUpper(strings.Map(func(c rune) rune {
		if unicode.IsLetter(c) {
			return c
		}
		return -1
	}, string(r.Type)))
	if code == "" {
		code = "RPT"
	}
	digits := strings.Map(func(c rune) rune {
		if unicode.IsDigit(c) {
			return c
		}
		return -1
	}, r.Cycle)
	if len(digits) == 6 { // 202122 from 2021/22
		digits = digits[2:]
	}
	return code + digits
}

// Person is somebody who can own a finding or a milestone. People are
// retired, not deleted, so that history still names them.
type Person struct {
	ID         ID     `json:"id"`
	Name       string `json:"name"`
	Role       string `json:"role,omitempty"` // role or rank
	Department string `json:"department,omitempty"`
	Email      string `json:"email,omitempty"`
	Retired    bool   `json:"retired,omitempty"`
	Sample     bool   `json:"sample,omitempty"`
}

// Label is how a person is shown in lists: "Jane Smith (ACC Crime)", or the
// role alone when the name is a role title.
func (p Person) Label() string {
	switch {
	case p.Name == "":
		return p.Role
	case p.Role == "" || p.Role == p.Name:
		return p.Name
	}
	return p.Name + " (" + p.Role + ")"
}

// Revision records a moved date: from what, to what, why, and who agreed it.
// Revisions are kept for ever: how often a date has moved is a question
// chief officers and inspectors ask.
type Revision struct {
	From     Date   `json:"from"`
	To       Date   `json:"to"`
	Reason   string `json:"reason"`
	AgreedBy string `json:"agreed_by"`
	// Agreed is the date the move was agreed: the date it took effect,
	// which a revision typed in late carries. Zero means the day it was
	// recorded.
	Agreed Date      `json:"agreed,omitempty"`
	At     time.Time `json:"at"` // when it was recorded
	By     string    `json:"by,omitempty"`
}

// Effective is the date a revision took effect: when it was agreed, else
// the day it was recorded.
func (r Revision) Effective() Date {
	if !r.Agreed.IsZero() || r.At.IsZero() {
		return r.Agreed
	}
	return DateOf(r.At.Local())
}

// Finding is one thing the inspectorate asked the force to improve (or, for
// innovative practice, praised).
type Finding struct {
	ID ID `json:"id"`
	// Ref is the force's stable local reference, such as
	// KEN-PEEL2122-AFI-07. It never changes once given.
	Ref             string      `json:"ref"`
	InspectorateRef string      `json:"inspectorate_ref,omitempty"`
	ReportID        ID          `json:"report_id"`
	Type            FindingType `json:"type"`
	// Raised is the date the finding was raised: the report's publication
	// date unless the finding came later (a recommendation added at a
	// revisit). Period figures ("new this period") go by it, not by the
	// day the finding was typed in.
	Raised Date `json:"raised,omitempty"`
	// ParentID links a recommendation to its cause of concern.
	ParentID ID     `json:"parent_id,omitempty"`
	Area     string `json:"area"`
	Grade    Grade  `json:"grade,omitempty"`
	Title    string `json:"title"`
	// Verbatim is the inspectorate's wording, kept apart from the force's
	// Interpretation of it.
	Verbatim string `json:"verbatim"`
	// WordingMissing flags a finding whose wording could not be found in the
	// source text; it is never invented.
	WordingMissing  bool    `json:"wording_missing,omitempty"`
	Interpretation  string  `json:"interpretation,omitempty"`
	ChiefOfficerID  ID      `json:"chief_officer_id,omitempty"`
	DeliveryLeadID  ID      `json:"delivery_lead_id,omitempty"`
	GovernanceBoard string  `json:"governance_board,omitempty"`
	Marking         Marking `json:"marking"`

	OriginalTarget  Date       `json:"original_target"`
	CurrentTarget   Date       `json:"current_target"`
	TargetRevisions []Revision `json:"target_revisions,omitempty"`

	Status Status `json:"status"`
	RAG    RAG    `json:"rag,omitempty"`
	// ClosureRationale explains a proposed closure or no further action.
	ClosureRationale string `json:"closure_rationale,omitempty"`
	// ClosureProposedDate is when closure was put to the inspectorate.
	ClosureProposedDate Date `json:"closure_proposed_date,omitempty"`
	// ClosedDate is when the inspectorate agreed closure.
	ClosedDate Date `json:"closed_date,omitempty"`
	// SupersededBy names the finding that replaces or carries this one forward.
	SupersededBy ID `json:"superseded_by,omitempty"`
	// InspectoratePosition is the inspectorate's latest view, as told to
	// the force on InspectoratePositionDate: a return as at an earlier date
	// does not show it.
	InspectoratePosition     string `json:"inspectorate_position,omitempty"`
	InspectoratePositionDate Date   `json:"inspectorate_position_date,omitempty"`
	// Reopenings records each time the finding was reopened after it had
	// ended, with the reason. Kept for ever.
	Reopenings []Reopening `json:"reopenings,omitempty"`
	Related    []ID        `json:"related,omitempty"`

	Sample   bool      `json:"sample,omitempty"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// Version counts the saves of the finding: SaveFinding refuses a
	// finding whose Version is not the stored one, so that a save based on
	// a copy read before a colleague's save cannot overwrite it. 0 is a
	// finding stored before versions were kept; its first save makes it 1.
	Version uint64 `json:"version,omitempty"`
}

// DisplayTitle is the title, or the first sentence of the wording when no
// title was given.
func (f Finding) DisplayTitle() string {
	if t := strings.TrimSpace(f.Title); t != "" {
		return t
	}
	return FirstSentence(f.Verbatim)
}

// Plural picks the word for a count: one for 1, many otherwise.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// FirstSentence returns the first sentence of s, cut to a readable length.
func FirstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	const max = 160
	if r := []rune(s); len(r) > max {
		s = strings.TrimSpace(string(r[:max-1])) + "…"
	}
	return s
}

// Milestone is a step in a finding's action plan.
type Milestone struct {
	ID          ID         `json:"id"`
	FindingID   ID         `json:"finding_id"`
	Title       string     `json:"title"`
	OwnerID     ID         `json:"owner_id,omitempty"`
	OriginalDue Date       `json:"original_due"`
	CurrentDue  Date       `json:"current_due"`
	Revisions   []Revision `json:"revisions,omitempty"`
	// Completed is the date the milestone stopped being open: completed,
	// or set aside as Outcome says.
	Completed Date `json:"completed,omitempty"`
	// CompletedBy is who recorded the milestone done (or set aside), so
	// that the returns' and briefings' change rows name them.
	CompletedBy string `json:"completed_by,omitempty"`
	// Outcome says how it ended; empty with a Completed date means it was
	// completed (as earlier versions recorded every milestone).
	Outcome MilestoneOutcome `json:"outcome,omitempty"`
	// CarriedTo is the finding the work was carried into, for
	// OutcomeCarried.
	CarriedTo ID     `json:"carried_to,omitempty"`
	Notes     string `json:"notes,omitempty"`
	Sample    bool   `json:"sample,omitempty"`
	// Version counts the saves of the milestone, as Finding.Version does.
	Version uint64 `json:"version,omitempty"`
}

// Update is a dated progress narrative. Updates are append-only: last
// quarter's return must be reproducible, so an update is never edited or
// deleted once stored.
type Update struct {
	ID        ID     `json:"id"`
	FindingID ID     `json:"finding_id"`
	Date      Date   `json:"date"` // the date the update speaks for
	Narrative string `json:"narrative"`
	Status    Status `json:"status"`
	RAG       RAG    `json:"rag,omitempty"`
	Author    string `json:"author"`
	// Source says where the update came from when not typed in the app,
	// for example "imported from Q3 return (J Smith).xlsx".
	Source   string    `json:"source,omitempty"`
	Recorded time.Time `json:"recorded"`
	Sample   bool      `json:"sample,omitempty"`
}

// MaxAttachmentSize is the largest evidence file the register holds. Most
// evidence stays on force systems and is referenced; attaching is the
// exception, and a large file would bloat every backup.
const MaxAttachmentSize = 25 << 20

// Evidence is something that shows progress: usually a reference to a
// document on force systems, occasionally a small attached file.
type Evidence struct {
	ID        ID     `json:"id"`
	FindingID ID     `json:"finding_id"`
	Title     string `json:"title"` // what it shows
	// Location is a path, URL or document ID on force systems.
	Location      string `json:"location,omitempty"`
	EffectiveDate Date   `json:"effective_date"`
	Shared        bool   `json:"shared,omitempty"` // shared with the inspectorate
	// FileName, FileSize and SHA256 describe an attached file; the bytes are
	// kept by the store and checked against SHA256 on every read.
	FileName string    `json:"file_name,omitempty"`
	FileSize int64     `json:"file_size,omitempty"`
	SHA256   string    `json:"sha256,omitempty"`
	Added    time.Time `json:"added"`
	AddedBy  string    `json:"added_by,omitempty"`
	Sample   bool      `json:"sample,omitempty"`
}

// HasFile reports whether a file is attached.
func (e Evidence) HasFile() bool { return e.SHA256 != "" }

// Entity names a kind of record in the audit trail.
type Entity string

// The audited record kinds.
const (
	EntitySettings   Entity = "settings"
	EntityReport     Entity = "report"
	EntityPerson     Entity = "person"
	EntityFinding    Entity = "finding"
	EntityMilestone  Entity = "milestone"
	EntityUpdate     Entity = "update"
	EntityEvidence   Entity = "evidence"
	EntitySubmission Entity = "submission"
)

// Action is what a write did.
type Action string

// The audited actions.
const (
	ActionCreate Action = "create"
	ActionChange Action = "change"
	ActionDelete Action = "delete"
)

// FieldChange is one field's before and after. Before and After are for
// people (dates as dd/mm/yyyy, people by name); BeforeJSON and AfterJSON are
// the stored values, so that a record can be rolled back to how it stood on
// an earlier date.
type FieldChange struct {
	Field      string `json:"field"` // the JSON field name
	Label      string `json:"label"` // "current target"
	Before     string `json:"before"`
	After      string `json:"after"`
	BeforeJSON []byte `json:"before_json,omitempty"`
	AfterJSON  []byte `json:"after_json,omitempty"`
}

// AuditEvent records who changed what and when. The store writes one in the
// same transaction as every change.
type AuditEvent struct {
	ID       ID        `json:"id"`
	At       time.Time `json:"at"`
	Who      string    `json:"who"`
	Action   Action    `json:"action"`
	Entity   Entity    `json:"entity"`
	EntityID ID        `json:"entity_id"`
	// FindingID is the finding the change belongs to (itself for a
	// finding; the parent for a milestone, update or evidence), so a
	// finding's history can be listed in one scan.
	FindingID ID            `json:"finding_id,omitempty"`
	Summary   string        `json:"summary"` // "Milestone \"Recruit 12 investigators\" added"
	Changes   []FieldChange `json:"changes,omitempty"`
	// Note carries the reason or the source: "reason: …", "imported from FILE".
	Note string `json:"note,omitempty"`
	// Prev is the SHA-256 (hex) of the event before this one (AuditHash),
	// "" for the first: the trail is a chain, so an event altered,
	// removed or slipped in breaks it where it happened. It is the last
	// field so that the stored record still starts with the ID and time
	// (see the file store's reading of times). A field added to
	// AuditEvent later must be omitempty, or every event stored before it
	// would hash differently.
	Prev string `json:"prev,omitempty"`
}

// Settings are the register's own settings.
type Settings struct {
	ForceName string `json:"force_name"`
	// RefPrefix starts every local reference: "KEN".
	RefPrefix      string  `json:"ref_prefix"`
	DefaultMarking Marking `json:"default_marking"`
	// Author is the name written on updates and in the audit trail.
	Author string `json:"author"`
	// ClosedNotRated leaves findings that are complete or ended without a
	// RAG rating, for forces that do not use Blue; by default they are
	// Blue.
	ClosedNotRated bool `json:"closed_not_rated,omitempty"`
}

// SubmissionKind says what was sent.
type SubmissionKind string

// Submission kinds.
const (
	SubmissionReturn   SubmissionKind = "return"
	SubmissionBriefing SubmissionKind = "briefing"
	// SubmissionPack is a finding's closure evidence pack; its Filter is
	// the finding's reference, and the record is listed in the finding's
	// history.
	SubmissionPack SubmissionKind = "closure pack"
)

// Submission records a return (or briefing) as it was sent, so that the next
// one can show what changed since.
type Submission struct {
	ID       ID             `json:"id"`
	Kind     SubmissionKind `json:"kind"`
	Period   Quarter        `json:"period"`
	AsAt     Date           `json:"as_at"`
	Marking  Marking        `json:"marking"`
	FileName string         `json:"file_name"`
	SHA256   string         `json:"sha256"`
	// Filter is the chief officer a briefing was filtered to, if any.
	Filter   string        `json:"filter,omitempty"`
	Recorded time.Time     `json:"recorded"`
	By       string        `json:"by"`
	Rows     []SnapshotRow `json:"rows"`
	// AuditHead is the AuditHash of the newest audit event when the
	// submission was recorded: the state of the register the return was
	// made from, which the audit chain lets anyone show later.
	AuditHead string `json:"audit_head,omitempty"`
}

// SnapshotRow is one row of a submitted workbook, column header to cell text.
type SnapshotRow struct {
	Ref    string            `json:"ref"`
	Values map[string]string `json:"values"`
}
