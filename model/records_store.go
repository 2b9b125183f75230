package model

// The narrow interface a store implements. A store keeps records and its
// own indexes; everything the register means by them (references never
// reused, revisions kept for ever, append-only updates, the audit trail, the
// order lists come in) is in NewReader and NewWriter, so that every store
// obeys the same rules with the same messages.
//
// Stored format: records are kept as the JSON encoding of the types in this
// package. Their JSON field names are a stored format, not a detail: they
// are in every register file and server already written, and the audit
// trail names changed fields by them (FieldChange.Field), which Diff and
// RollBack rely on to rebuild a record as it stood. Renaming a JSON tag
// needs a migration of the records and of the audit trail that names it.

// Kind names a kind of stored record. The names are part of the stored
// format: a store may use them as table or bucket names.
type Kind string

// The kinds of record a register keeps.
const (
	KindReport     Kind = "reports"
	KindPerson     Kind = "people"
	KindFinding    Kind = "findings"
	KindMilestone  Kind = "milestones"
	KindUpdate     Kind = "updates"
	KindEvidence   Kind = "evidence"
	KindAudit      Kind = "audit"
	KindSubmission Kind = "submissions"
)

// Records is what a store must offer for reading. Every value it hands back
// is the caller's own: nothing points into the store's memory.
type Records interface {
	// LoadSettings decodes the register's settings into s; ok is false
	// when none have been saved yet.
	LoadSettings(s *Settings) (ok bool, err error)
	// Load decodes the record of kind with id into v, a pointer to the
	// kind's type. A missing record gives an error wrapping ErrNotFound.
	Load(kind Kind, id ID, v any) error
	// LoadAll sets *dst, a pointer to a slice of the kind's type, to every
	// record of the kind in ID order or, when findingID is not 0, to that
	// finding's records only (milestones, updates, evidence, audit events).
	LoadAll(kind Kind, findingID ID, dst any) error
	// FindingIDByRef returns the ID of the finding with a local reference,
	// or an error wrapping ErrNotFound.
	FindingIDByRef(ref string) (ID, error)
	// CountByFinding counts a finding's records of a kind without
	// decoding them.
	CountByFinding(kind Kind, findingID ID) (int, error)
	// File returns the bytes attached to an evidence record, or an error
	// wrapping ErrNotFound when none are stored. The rules check them
	// against the recorded SHA-256.
	File(evidenceID ID) ([]byte, error)
	// Last decodes the kind's record with the highest ID into v; ok is
	// false when there is none. The writer reads the newest audit event
	// with it, to chain the next one to it.
	Last(kind Kind, v any) (ok bool, err error)
}

// RecordWriter is what a store must offer for writing, within the one
// transaction that Store.Update commits or rolls back.
type RecordWriter interface {
	Records
	// NextID gives the next ID of a kind. IDs only grow: an ID that a
	// committed record had is never given again, even after the record is
	// deleted.
	NextID(kind Kind) (ID, error)
	// Put stores v (the kind's type, or a pointer to it) under id,
	// replacing what was there, and keeps the store's indexes in step: a
	// finding by its reference, a child record by its finding, an audit
	// event by its finding and time.
	Put(kind Kind, id ID, v any) error
	// Delete removes a record with its index entries and, for evidence,
	// its attached file.
	Delete(kind Kind, id ID) error
	PutSettings(s Settings) error
	// PutFile stores the bytes attached to an evidence record.
	PutFile(evidenceID ID, data []byte) error
	// RefCounter is the last number given to references of a finding type
	// (its Code) in a report. It only grows: a reference, once given, means
	// one finding for ever.
	RefCounter(report ID, typeCode string) (uint64, error)
	SetRefCounter(report ID, typeCode string, n uint64) error
}

// ReadOnlyStore is a store that may have been opened for reading only (a
// register on read-only media, or one the user may not change). The window
// asks for it to show a banner and keep editing switched off; Update on
// such a store fails in words.
type ReadOnlyStore interface {
	ReadOnly() bool
}
