package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// NewWriter gives the register's write rules over a store's records, for
// one transaction: each write is checked, stored and described by an audit
// event naming who made it (by, else the register's Author setting) and
// when (at). The store commits or rolls back the whole transaction.
func NewWriter(rec RecordWriter, by Actor, at time.Time) Tx {
	return &writer{reader: reader{rec: rec}, rec: rec, by: by, at: at}
}

type writer struct {
	reader
	rec RecordWriter
	by  Actor
	at  time.Time
	// head is the AuditHash of the newest audit event, read once per
	// transaction and then kept as events are added; nil until read.
	head *string
}

var _ Tx = (*writer)(nil)

// who is the person the audit trail names: the actor, else the register's
// author setting.
func (w *writer) who() string {
	if w.by.Who != "" {
		return w.by.Who
	}
	if s, err := w.Settings(); err == nil && s.Author != "" {
		return s.Author
	}
	return "unknown (no author set in the register settings)"
}

// audit appends an audit event, filling in who, when, and the actor's note.
func (w *writer) audit(ev AuditEvent, notes ...string) error {
	id, err := w.rec.NextID(KindAudit)
	if err != nil {
		return err
	}
	ev.ID = id
	ev.At = w.at
	ev.Who = w.who()
	var parts []string
	for _, n := range append(notes, w.by.Note) {
		if n = strings.TrimSpace(n); n != "" {
			parts = append(parts, n)
		}
	}
	ev.Note = strings.Join(parts, "; ")
	// The name and note come from the caller, not from a record the
	// rules have checked.
	for _, t := range []struct{ field, label, text string }{
		{"who", "the name of the person making the change", ev.Who}, {"note", "the note on the change", ev.Note}} {
		if r, bad := ControlChar(t.text); bad {
			return &ValidationError{Field: t.field, Label: t.label, Problem: ControlCharProblem(r)}
		}
	}
	// Each event holds the hash of the one before it, so the trail is a
	// chain that CheckAuditChain can verify.
	head, err := w.auditHead()
	if err != nil {
		return err
	}
	ev.Prev = head
	if err := w.rec.Put(KindAudit, id, &ev); err != nil {
		return err
	}
	*w.head = AuditHash(ev)
	return nil
}

// auditHead is the AuditHash of the newest audit event, "" when there is
// none yet.
func (w *writer) auditHead() (string, error) {
	if w.head == nil {
		var last AuditEvent
		ok, err := w.rec.Last(KindAudit, &last)
		if err != nil {
			return "", err
		}
		h := ""
		if ok {
			h = AuditHash(last)
		}
		w.head = &h
	}
	return *w.head, nil
}

// onCopy runs save on a copy of *rec and hands the result to the caller
// only when it succeeds, so that a save that fails leaves the caller's
// record exactly as it was. The rules fill records in as they check them
// (an ID, defaults, times, the original date, a revision's From, At and
// By) and some checks come after that. Callers keep a form's record and
// save it again once the person has fixed what the error named: a record
// half-filled by the failed attempt was then saved wrongly (a new
// finding kept the original target of the first attempt although the
// target had been corrected since; an update that failed once was refused
// for ever as "already stored", having been given an ID). clone copies
// the slices the rules write into, which the caller's record shares.
func onCopy[T any](rec *T, clone func(T) T, save func(*T) error) error {
	work := clone(*rec)
	if err := save(&work); err != nil {
		return err
	}
	*rec = work
	return nil
}

// shallow is the clone of records whose slices the rules do not write to.
func shallow[T any](v T) T { return v }

// names is the Namer for audit events: people by label, findings by
// reference, reports by title.
func (w *writer) names(field string, id ID) string {
	switch field {
	case "chief_officer_id", "delivery_lead_id", "owner_id":
		if p, err := w.Person(id); err == nil {
			return p.Label()
		}
	case "parent_id", "superseded_by", "finding_id":
		if f, err := w.Finding(id); err == nil {
			return f.Ref
		}
	case "report_id":
		if r, err := w.Report(id); err == nil {
			return r.Title
		}
	}
	return ""
}

// changedLabels lists the changed fields in words: "current target, RAG".
func changedLabels(changes []FieldChange) string {
	labels := make([]string, len(changes))
	for i, c := range changes {
		labels[i] = c.Label
	}
	return strings.Join(labels, ", ")
}

func invalid(field, problem string) error {
	return &ValidationError{Field: field, Label: FieldLabel(field), Problem: problem}
}

// mustExist checks that a referenced record exists, as a validation error on
// the field that refers to it.
func mustExist[T any](w *writer, kind Kind, field string, id ID, what string) error {
	if id == 0 {
		return nil
	}
	if _, err := load[T](&w.reader, kind, id, what); err != nil {
		if errors.Is(err, ErrNotFound) {
			return invalid(field, fmt.Sprintf("%s #%d does not exist", what, id))
		}
		return err
	}
	return nil
}

// parentFinding reads the finding a milestone, update or evidence belongs
// to, as a validation error when it does not exist.
func (w *writer) parentFinding(id ID) (Finding, error) {
	f, err := w.Finding(id)
	if errors.Is(err, ErrNotFound) {
		return f, invalid("finding_id", fmt.Sprintf("finding #%d does not exist", id))
	}
	return f, err
}

// SaveSettings replaces the register settings.
func (w *writer) SaveSettings(s Settings) error {
	s.RefPrefix = strings.TrimSpace(s.RefPrefix)
	if err := s.Validate(); err != nil {
		return err
	}
	old := Settings{DefaultMarking: Marking{Classification: Official}}
	stored, err := w.rec.LoadSettings(&old)
	if err != nil {
		return err
	}
	if err := w.rec.PutSettings(s); err != nil {
		return err
	}
	changes := Diff(old, s, w.names)
	if stored && len(changes) == 0 {
		return nil
	}
	if err := w.audit(AuditEvent{Action: ActionChange, Entity: EntitySettings,
		Summary: "Register settings changed: " + changedLabels(changes), Changes: changes}); err != nil {
		return err
	}
	if old.ClosedRAG() != s.ClosedRAG() {
		return w.rateClosed(s.ClosedRAG())
	}
	return nil
}

// rateClosed gives every finding that is complete or ended the RAG the
// settings now give such findings, so that the setting applies to every
// record, not only to findings closed from now on (as-at views settle the
// RAG from the settings as they read). Each change is a finding's own,
// audited as any save is.
func (w *writer) rateClosed(rag RAG) error {
	fs, err := w.Findings()
	if err != nil {
		return err
	}
	for _, f := range fs {
		if (f.Status.InClosure() || f.Status.IsFinal()) && f.RAG != rag {
			f.RAG = rag
			if err := w.saveFinding(&f); err != nil {
				return fmt.Errorf("rating %s as the settings say: %w", f.Ref, err)
			}
		}
	}
	return nil
}

// saveSimple adds or replaces a report or a person: records whose only
// rules are their own validation. label names the record in the summary.
func saveSimple[T any](w *writer, kind Kind, entity Entity, what string, rec *T, id *ID, label func() string) error {
	var old T
	action := ActionCreate
	if *id == 0 {
		n, err := w.rec.NextID(kind)
		if err != nil {
			return err
		}
		*id = n
	} else {
		var err error
		if old, err = load[T](&w.reader, kind, *id, strings.ToLower(what)); err != nil {
			return err
		}
		action = ActionChange
	}
	changes := Diff(old, *rec, w.names)
	if action == ActionChange && len(changes) == 0 {
		return nil
	}
	if err := w.rec.Put(kind, *id, rec); err != nil {
		return err
	}
	summary := fmt.Sprintf("%s %q added", what, label())
	if action == ActionChange {
		summary = fmt.Sprintf("%s %q changed: %s", what, label(), changedLabels(changes))
	}
	return w.audit(AuditEvent{Action: action, Entity: entity, EntityID: *id, Summary: summary, Changes: changes})
}

// SaveReport adds or replaces a report.
func (w *writer) SaveReport(r *Report) error { return onCopy(r, shallow, w.saveReport) }

func (w *writer) saveReport(r *Report) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return saveSimple(w, KindReport, EntityReport, "Report", r, &r.ID, func() string { return r.Title })
}

// SavePerson adds or replaces a person.
func (w *writer) SavePerson(p *Person) error { return onCopy(p, shallow, w.savePerson) }

func (w *writer) savePerson(p *Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	return saveSimple(w, KindPerson, EntityPerson, "Person", p, &p.ID, p.Label)
}

// checkRevisions enforces that a moved date comes with a recorded revision:
// earlier revisions stay exactly as they were, and the newest one added
// must land on the new date. It fills in what the store knows (the date
// moved from, when, and by whom) and returns the new revisions' reasons for
// the audit note.
func (w *writer) checkRevisions(field, revField string, oldDate, newDate Date, oldRevs []Revision, newRevs []Revision) ([]string, error) {
	if len(newRevs) < len(oldRevs) {
		return nil, invalid(revField, "earlier date revisions are kept for ever and cannot be removed")
	}
	for i := range oldRevs {
		a, _ := json.Marshal(oldRevs[i])
		b, _ := json.Marshal(newRevs[i])
		if !bytes.Equal(a, b) {
			return nil, invalid(revField, fmt.Sprintf("revision %d was already recorded and cannot be changed", i+1))
		}
	}
	added := newRevs[len(oldRevs):]
	moved := !oldDate.IsZero() && newDate != oldDate
	if moved && len(added) == 0 {
		return nil, invalid(field, fmt.Sprintf("moving the date from %s to %s needs a revision: give the reason it moved and who agreed the new date", oldDate, newDate))
	}
	if len(added) > 0 && added[len(added)-1].To != newDate {
		return nil, invalid(revField, fmt.Sprintf("the newest revision moves the date to %s, but the date is %s", added[len(added)-1].To, newDate))
	}
	var notes []string
	from := oldDate
	for i := range added {
		r := &added[i]
		if r.From.IsZero() {
			r.From = from
		}
		if r.At.IsZero() {
			r.At = w.at
		}
		if r.By == "" {
			r.By = w.who()
		}
		from = r.To
		notes = append(notes, fmt.Sprintf("date moved from %s to %s, reason: %s (agreed by %s)", r.From, r.To, strings.TrimSpace(r.Reason), strings.TrimSpace(r.AgreedBy)))
	}
	return notes, nil
}

// SaveSubmission records (or replaces) a submission.
func (w *writer) SaveSubmission(s *Submission) error { return onCopy(s, shallow, w.saveSubmission) }

func (w *writer) saveSubmission(s *Submission) error {
	if strings.TrimSpace(s.FileName) == "" {
		return invalid("file_name", "say which file was sent")
	}
	var c checker
	if c.controls(*s); c.err() != nil {
		return c.err()
	}
	var old Submission
	creating := s.ID == 0
	if creating {
		id, err := w.rec.NextID(KindSubmission)
		if err != nil {
			return err
		}
		s.ID = id
	} else {
		var err error
		if old, err = load[Submission](&w.reader, KindSubmission, s.ID, "submission"); err != nil {
			return err
		}
	}
	if s.Recorded.IsZero() {
		s.Recorded = w.at
	}
	if s.By == "" {
		s.By = w.who()
	}
	// The submission names the state of the register it was made from:
	// the head of the audit chain when it was first recorded.
	if creating {
		head, err := w.auditHead()
		if err != nil {
			return err
		}
		s.AuditHead = head
	} else {
		s.AuditHead = old.AuditHead
	}
	if err := w.rec.Put(KindSubmission, s.ID, s); err != nil {
		return err
	}
	// The rows are the submission itself; the event names what changed
	// without copying every cell again.
	var changes []FieldChange
	for _, c := range Diff(old, *s, w.names) {
		if c.Field != "rows" && c.Field != "audit_head" {
			changes = append(changes, c)
		}
	}
	summary := fmt.Sprintf("%s for %s recorded as sent (%s)", UpperFirst(string(s.Kind)), s.Period, s.FileName)
	action := ActionCreate
	if !creating {
		action = ActionChange
		summary = fmt.Sprintf("Record of the %s for %s changed", s.Kind, s.Period)
	}
	// A closure pack is recorded against its finding, so that the
	// finding's history lists it.
	var findingID ID
	if s.Kind == SubmissionPack {
		id, err := w.rec.FindingIDByRef(s.Filter)
		if err != nil {
			return invalid("filter", fmt.Sprintf("the closure pack names %s, which is not a finding of this register", s.Filter))
		}
		findingID = id
		summary = fmt.Sprintf("Closure evidence pack for %s recorded as sent (%s, SHA-256 %s)", s.Filter, s.FileName, s.SHA256)
	}
	return w.audit(AuditEvent{Action: action, Entity: EntitySubmission, EntityID: s.ID, FindingID: findingID, Summary: summary, Changes: changes})
}

// HumanSize writes a size as people read it: "25 MB", "312 KB".
func HumanSize(n int64) string {
	switch {
	case n >= 1<<20:
		v := float64(n) / (1 << 20)
		if v == float64(int64(v)) {
			return fmt.Sprintf("%d MB", int64(v))
		}
		return fmt.Sprintf("%.1f MB", v)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1023)/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}
