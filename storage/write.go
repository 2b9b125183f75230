package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"improvementtracker/model"
)

// writeTx is model.Tx over a read-write bbolt transaction. Each write checks
// the record, stores it and appends its audit event, all in the one
// transaction Store.Update commits or rolls back.
type writeTx struct {
	readTx
	by model.Actor
	at time.Time
}

var _ model.Tx = (*writeTx)(nil)

// who is the person the audit trail names: the actor, else the register's
// author setting.
func (w *writeTx) who() string {
	if w.by.Who != "" {
		return w.by.Who
	}
	if s, err := w.Settings(); err == nil && s.Author != "" {
		return s.Author
	}
	return "unknown (no author set in the register settings)"
}

// put encodes and stores a record under its ID.
func (w *writeTx) put(name []byte, id model.ID, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cannot store %s #%d: %w", name, id, err)
	}
	b, err := w.bucket(name)
	if err != nil {
		return err
	}
	// IDs only grow, so new records go at the end of the bucket: filling
	// pages before splitting them (bbolt splits at half by default)
	// nearly halves the file.
	b.FillPercent = appendFill
	return b.Put(itob(uint64(id)), raw)
}

// appendFill is the page fill for buckets whose keys are sequence numbers.
const appendFill = 0.9

// nextID takes the next ID of a record bucket.
func (w *writeTx) nextID(name []byte) (model.ID, error) {
	b, err := w.bucket(name)
	if err != nil {
		return 0, err
	}
	n, err := b.NextSequence()
	return model.ID(n), err
}

// index adds or removes a findingID|recordID entry.
func (w *writeTx) index(name []byte, findingID, id model.ID, add bool) error {
	b, err := w.bucket(name)
	if err != nil {
		return err
	}
	if add {
		return b.Put(pairKey(findingID, id), nil)
	}
	return b.Delete(pairKey(findingID, id))
}

// audit appends an audit event, filling in who, when, and the actor's note.
func (w *writeTx) audit(ev model.AuditEvent, notes ...string) error {
	id, err := w.nextID(bucketAudit)
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
	if err := w.put(bucketAudit, id, ev); err != nil {
		return err
	}
	if ev.FindingID != 0 {
		idx, err := w.bucket(bucketAuditByFinding)
		if err != nil {
			return err
		}
		return idx.Put(pairKey(ev.FindingID, id), auditTime(ev.At))
	}
	return nil
}

// names is the model.Namer for audit events: people by label, findings by
// reference, reports by title.
func (w *writeTx) names(field string, id model.ID) string {
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
func changedLabels(changes []model.FieldChange) string {
	labels := make([]string, len(changes))
	for i, c := range changes {
		labels[i] = c.Label
	}
	return strings.Join(labels, ", ")
}

func invalid(field, problem string) error {
	return &model.ValidationError{Field: field, Label: model.FieldLabel(field), Problem: problem}
}

// mustExist checks that a referenced record exists, as a validation error on
// the field that refers to it.
func mustExist[T any](w *writeTx, name []byte, field string, id model.ID, what string) error {
	if id == 0 {
		return nil
	}
	if _, err := get[T](&w.readTx, name, id, what); err != nil {
		if errors.Is(err, model.ErrNotFound) {
			return invalid(field, fmt.Sprintf("%s #%d does not exist", what, id))
		}
		return err
	}
	return nil
}

// SaveSettings replaces the register settings.
func (w *writeTx) SaveSettings(s model.Settings) error {
	s.RefPrefix = strings.TrimSpace(s.RefPrefix)
	if err := s.Validate(); err != nil {
		return err
	}
	old, err := w.Settings()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	b, err := w.bucket(bucketSettings)
	if err != nil {
		return err
	}
	prev := b.Get(keySettings)
	if err := b.Put(keySettings, raw); err != nil {
		return err
	}
	changes := model.Diff(old, s, w.names)
	if prev != nil && len(changes) == 0 {
		return nil
	}
	return w.audit(model.AuditEvent{Action: model.ActionChange, Entity: model.EntitySettings,
		Summary: "Register settings changed: " + changedLabels(changes), Changes: changes})
}

// SaveReport adds or replaces a report.
func (w *writeTx) SaveReport(r *model.Report) error {
	if err := r.Validate(); err != nil {
		return err
	}
	var old model.Report
	action := model.ActionCreate
	if r.ID == 0 {
		id, err := w.nextID(bucketReports)
		if err != nil {
			return err
		}
		r.ID = id
	} else {
		var err error
		if old, err = w.Report(r.ID); err != nil {
			return err
		}
		action = model.ActionChange
	}
	changes := model.Diff(old, *r, w.names)
	if action == model.ActionChange && len(changes) == 0 {
		return nil
	}
	if err := w.put(bucketReports, r.ID, r); err != nil {
		return err
	}
	summary := fmt.Sprintf("Report %q added", r.Title)
	if action == model.ActionChange {
		summary = fmt.Sprintf("Report %q changed: %s", r.Title, changedLabels(changes))
	}
	return w.audit(model.AuditEvent{Action: action, Entity: model.EntityReport, EntityID: r.ID, Summary: summary, Changes: changes})
}

// SavePerson adds or replaces a person.
func (w *writeTx) SavePerson(p *model.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	var old model.Person
	action := model.ActionCreate
	if p.ID == 0 {
		id, err := w.nextID(bucketPeople)
		if err != nil {
			return err
		}
		p.ID = id
	} else {
		var err error
		if old, err = w.Person(p.ID); err != nil {
			return err
		}
		action = model.ActionChange
	}
	changes := model.Diff(old, *p, w.names)
	if action == model.ActionChange && len(changes) == 0 {
		return nil
	}
	if err := w.put(bucketPeople, p.ID, p); err != nil {
		return err
	}
	summary := fmt.Sprintf("Person %q added", p.Label())
	if action == model.ActionChange {
		summary = fmt.Sprintf("Person %q changed: %s", p.Label(), changedLabels(changes))
	}
	return w.audit(model.AuditEvent{Action: action, Entity: model.EntityPerson, EntityID: p.ID, Summary: summary, Changes: changes})
}

// checkRevisions enforces that a moved date comes with a recorded revision:
// earlier revisions stay exactly as they were, and the newest one added
// must land on the new date. It fills in what the store knows (the date
// moved from, when, and by whom) and returns the new revisions' reasons for
// the audit note.
func (w *writeTx) checkRevisions(field, revField string, oldDate, newDate model.Date, oldRevs []model.Revision, newRevs []model.Revision) ([]string, error) {
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

// nextRef gives the next free local reference for a report and type:
// PREFIX-REPORTCODE-TYPECODE-NN.
func (w *writeTx) nextRef(f *model.Finding, report model.Report) (string, error) {
	s, err := w.Settings()
	if err != nil {
		return "", err
	}
	counters, err := w.bucket(bucketRefCounters)
	if err != nil {
		return "", err
	}
	refs, err := w.bucket(bucketFindingRefs)
	if err != nil {
		return "", err
	}
	key := append(itob(uint64(report.ID)), f.Type.Code()...)
	n := btoi(counters.Get(key))
	base := report.RefCode() + "-" + f.Type.Code()
	if p := strings.TrimSpace(s.RefPrefix); p != "" {
		base = p + "-" + base
	}
	for {
		n++
		ref := fmt.Sprintf("%s-%02d", base, n)
		if refs.Get([]byte(ref)) == nil {
			return ref, counters.Put(key, itob(n))
		}
	}
}

// checkLinks checks that every record a finding refers to exists and fits.
func (w *writeTx) checkLinks(f *model.Finding) (model.Report, error) {
	report, err := w.Report(f.ReportID)
	if errors.Is(err, model.ErrNotFound) {
		return report, invalid("report_id", fmt.Sprintf("report #%d does not exist", f.ReportID))
	} else if err != nil {
		return report, err
	}
	for _, p := range []struct {
		field string
		id    model.ID
	}{{"chief_officer_id", f.ChiefOfficerID}, {"delivery_lead_id", f.DeliveryLeadID}} {
		if err := mustExist[model.Person](w, bucketPeople, p.field, p.id, "person"); err != nil {
			return report, err
		}
	}
	if f.ParentID != 0 {
		parent, err := w.Finding(f.ParentID)
		if errors.Is(err, model.ErrNotFound) {
			return report, invalid("parent_id", fmt.Sprintf("finding #%d does not exist", f.ParentID))
		} else if err != nil {
			return report, err
		}
		if parent.Type != model.CauseOfConcern {
			return report, invalid("parent_id", fmt.Sprintf("%s is a %s, not a cause of concern", parent.Ref, strings.ToLower(string(parent.Type))))
		}
	}
	if f.SupersededBy != 0 {
		if f.SupersededBy == f.ID {
			return report, invalid("superseded_by", "a finding cannot supersede itself")
		}
		if err := mustExist[model.Finding](w, bucketFindings, "superseded_by", f.SupersededBy, "finding"); err != nil {
			return report, err
		}
	}
	for _, id := range f.Related {
		if err := mustExist[model.Finding](w, bucketFindings, "related", id, "finding"); err != nil {
			return report, err
		}
	}
	return report, nil
}

// SaveFinding adds or replaces a finding; see model.Tx.
func (w *writeTx) SaveFinding(f *model.Finding) error {
	var old model.Finding
	creating := f.ID == 0
	if !creating {
		var err error
		if old, err = w.Finding(f.ID); err != nil {
			return err
		}
		if f.Ref == "" {
			f.Ref = old.Ref
		}
		if f.Ref != old.Ref {
			return invalid("ref", fmt.Sprintf("a reference never changes once given: this finding is %s", old.Ref))
		}
		f.Created = old.Created
	} else {
		if f.Status == "" {
			f.Status = model.AwaitingAllocation
		}
		if f.Marking.Classification == "" {
			s, err := w.Settings()
			if err != nil {
				return err
			}
			f.Marking = s.DefaultMarking
		}
		f.Created = w.at
	}
	if f.OriginalTarget.IsZero() {
		f.OriginalTarget = f.CurrentTarget
	} else if !old.OriginalTarget.IsZero() && f.OriginalTarget != old.OriginalTarget {
		return invalid("original_target", fmt.Sprintf("the original target (%s) cannot change; move the current target instead, with a reason", old.OriginalTarget))
	}
	notes, err := w.checkRevisions("current_target", "target_revisions", old.CurrentTarget, f.CurrentTarget, old.TargetRevisions, f.TargetRevisions)
	if err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	report, err := w.checkLinks(f)
	if err != nil {
		return err
	}
	f.Modified = w.at
	if creating {
		id, err := w.nextID(bucketFindings)
		if err != nil {
			return err
		}
		f.ID = id
		refs, err := w.bucket(bucketFindingRefs)
		if err != nil {
			return err
		}
		if f.Ref == "" {
			if f.Ref, err = w.nextRef(f, report); err != nil {
				return err
			}
		} else if other := refs.Get([]byte(f.Ref)); other != nil {
			f.ID = 0
			return invalid("ref", fmt.Sprintf("%s is already the reference of another finding", f.Ref))
		}
		if err := refs.Put([]byte(f.Ref), itob(uint64(f.ID))); err != nil {
			return err
		}
	}
	changes := model.Diff(old, *f, w.names)
	if !creating && len(changes) == 0 {
		f.Modified = old.Modified
		return nil
	}
	if err := w.put(bucketFindings, f.ID, f); err != nil {
		return err
	}
	ev := model.AuditEvent{Action: model.ActionCreate, Entity: model.EntityFinding, EntityID: f.ID, FindingID: f.ID,
		Summary: fmt.Sprintf("Finding %s added", f.Ref), Changes: changes}
	if !creating {
		ev.Action = model.ActionChange
		ev.Summary = fmt.Sprintf("Finding %s changed: %s", f.Ref, changedLabels(changes))
	}
	return w.audit(ev, notes...)
}

// DeleteFinding removes a finding entered in error, with its milestones and
// evidence. Its audit trail stays, so the deletion itself is on record.
func (w *writeTx) DeleteFinding(id model.ID) error {
	f, err := w.Finding(id)
	if err != nil {
		return err
	}
	if n := w.countByFinding(bucketUpdatesByFinding, id); n > 0 {
		return fmt.Errorf("%s has %d progress update(s), so it cannot be deleted: %w. Set its status to No further action instead", f.Ref, n, model.ErrInUse)
	}
	others, err := all[model.Finding](&w.readTx, bucketFindings)
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID != id && (o.ParentID == id || o.SupersededBy == id || slices.Contains(o.Related, id)) {
			return fmt.Errorf("%s cannot be deleted because %s refers to it: %w", f.Ref, o.Ref, model.ErrInUse)
		}
	}
	ms, err := w.Milestones(id)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := w.DeleteMilestone(m.ID); err != nil {
			return err
		}
	}
	es, err := w.Evidence(id)
	if err != nil {
		return err
	}
	for _, e := range es {
		if err := w.DeleteEvidence(e.ID); err != nil {
			return err
		}
	}
	findings, err := w.bucket(bucketFindings)
	if err != nil {
		return err
	}
	if err := findings.Delete(itob(uint64(id))); err != nil {
		return err
	}
	refs, err := w.bucket(bucketFindingRefs)
	if err != nil {
		return err
	}
	if err := refs.Delete([]byte(f.Ref)); err != nil {
		return err
	}
	return w.audit(model.AuditEvent{Action: model.ActionDelete, Entity: model.EntityFinding, EntityID: id, FindingID: id,
		Summary: fmt.Sprintf("Finding %s deleted", f.Ref), Changes: model.Diff(f, model.Finding{}, w.names)})
}

// SaveMilestone adds or replaces a milestone. A moved due date needs a
// revision, as a finding's target does.
func (w *writeTx) SaveMilestone(m *model.Milestone) error {
	var old model.Milestone
	creating := m.ID == 0
	if !creating {
		var err error
		if old, err = get[model.Milestone](&w.readTx, bucketMilestones, m.ID, "milestone"); err != nil {
			return err
		}
		if m.FindingID != old.FindingID {
			return invalid("finding_id", "a milestone cannot move to another finding; add it there instead")
		}
	}
	if m.OriginalDue.IsZero() {
		m.OriginalDue = m.CurrentDue
	} else if !old.OriginalDue.IsZero() && m.OriginalDue != old.OriginalDue {
		return invalid("original_due", fmt.Sprintf("the original due date (%s) cannot change; move the current due date instead, with a reason", old.OriginalDue))
	}
	notes, err := w.checkRevisions("current_due", "revisions", old.CurrentDue, m.CurrentDue, old.Revisions, m.Revisions)
	if err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	f, err := w.Finding(m.FindingID)
	if errors.Is(err, model.ErrNotFound) {
		return invalid("finding_id", fmt.Sprintf("finding #%d does not exist", m.FindingID))
	} else if err != nil {
		return err
	}
	if err := mustExist[model.Person](w, bucketPeople, "owner_id", m.OwnerID, "person"); err != nil {
		return err
	}
	if creating {
		if m.ID, err = w.nextID(bucketMilestones); err != nil {
			return err
		}
		if err := w.index(bucketMilestonesByFinding, m.FindingID, m.ID, true); err != nil {
			return err
		}
	}
	changes := model.Diff(old, *m, w.names)
	if !creating && len(changes) == 0 {
		return nil
	}
	if err := w.put(bucketMilestones, m.ID, m); err != nil {
		return err
	}
	ev := model.AuditEvent{Action: model.ActionCreate, Entity: model.EntityMilestone, EntityID: m.ID, FindingID: m.FindingID,
		Summary: fmt.Sprintf("Milestone %q added to %s", m.Title, f.Ref), Changes: changes}
	if !creating {
		ev.Action = model.ActionChange
		ev.Summary = fmt.Sprintf("Milestone %q of %s changed: %s", m.Title, f.Ref, changedLabels(changes))
	}
	return w.audit(ev, notes...)
}

// DeleteMilestone removes a milestone.
func (w *writeTx) DeleteMilestone(id model.ID) error {
	m, err := get[model.Milestone](&w.readTx, bucketMilestones, id, "milestone")
	if err != nil {
		return err
	}
	b, err := w.bucket(bucketMilestones)
	if err != nil {
		return err
	}
	if err := b.Delete(itob(uint64(id))); err != nil {
		return err
	}
	if err := w.index(bucketMilestonesByFinding, m.FindingID, id, false); err != nil {
		return err
	}
	return w.audit(model.AuditEvent{Action: model.ActionDelete, Entity: model.EntityMilestone, EntityID: id, FindingID: m.FindingID,
		Summary: fmt.Sprintf("Milestone %q deleted from %s", m.Title, w.names("finding_id", m.FindingID)), Changes: model.Diff(m, model.Milestone{}, w.names)})
}

// AppendUpdate stores a new progress update and, unless a later-dated
// update exists already, sets the finding's status and RAG to the update's.
// A back-dated update (an old return typed in late) is history, and must
// not overwrite where the finding stands now.
func (w *writeTx) AppendUpdate(u *model.Update) error {
	if u.ID != 0 {
		return fmt.Errorf("update #%d is already stored: %w", u.ID, model.ErrAppendOnly)
	}
	if u.Author == "" {
		u.Author = w.who()
	}
	u.Recorded = w.at
	if err := u.Validate(); err != nil {
		return err
	}
	f, err := w.Finding(u.FindingID)
	if errors.Is(err, model.ErrNotFound) {
		return invalid("finding_id", fmt.Sprintf("finding #%d does not exist", u.FindingID))
	} else if err != nil {
		return err
	}
	latest, err := w.isLatest(u.FindingID, u.Date)
	if err != nil {
		return err
	}
	if u.ID, err = w.nextID(bucketUpdates); err != nil {
		return err
	}
	if err := w.put(bucketUpdates, u.ID, u); err != nil {
		return err
	}
	if err := w.index(bucketUpdatesByFinding, u.FindingID, u.ID, true); err != nil {
		return err
	}
	rag := string(u.RAG)
	if rag == "" {
		rag = "not rated"
	}
	// The update is never changed, so it is its own record of what was
	// written: the event says that it was added, without copying the text.
	if err := w.audit(model.AuditEvent{Action: model.ActionCreate, Entity: model.EntityUpdate, EntityID: u.ID, FindingID: u.FindingID,
		Summary: fmt.Sprintf("Progress update of %s added to %s: %s, %s", u.Date, f.Ref, u.Status, rag)}, u.Source); err != nil {
		return err
	}
	if !latest || (f.Status == u.Status && f.RAG == u.RAG) {
		return nil
	}
	before := f
	f.Status, f.RAG = u.Status, u.RAG
	switch u.Status {
	case model.Closed:
		if f.ClosedDate.IsZero() {
			f.ClosedDate = u.Date
		}
	case model.ClosureProposed:
		if f.ClosureProposedDate.IsZero() {
			f.ClosureProposedDate = u.Date
		}
	}
	if err := f.Validate(); err != nil {
		return fmt.Errorf("the update sets %s to %q, but the finding is not ready for it: %w", f.Ref, u.Status, err)
	}
	f.Modified = w.at
	if err := w.put(bucketFindings, f.ID, f); err != nil {
		return err
	}
	changes := model.Diff(before, f, w.names)
	return w.audit(model.AuditEvent{Action: model.ActionChange, Entity: model.EntityFinding, EntityID: f.ID, FindingID: f.ID,
		Summary: fmt.Sprintf("Finding %s changed by the progress update of %s: %s", f.Ref, u.Date, changedLabels(changes)), Changes: changes})
}

// isLatest reports whether no stored update of the finding is dated after
// date. It reads only each update's date, which the encoder writes near the
// start of the record, because a finding gains an update every quarter for
// years and decoding every narrative on each append would add up.
func (w *writeTx) isLatest(findingID model.ID, date model.Date) (bool, error) {
	idx, err := w.bucket(bucketUpdatesByFinding)
	if err != nil {
		return false, err
	}
	updates, err := w.bucket(bucketUpdates)
	if err != nil {
		return false, err
	}
	after := []byte(date.ISO())
	prefix := itob(uint64(findingID))
	c := idx.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		raw := updates.Get(k[8:])
		var d []byte
		// Keys and string values are JSON-escaped, so an unescaped
		// `"date":"` can only be the field itself.
		if i := bytes.Index(raw, dateField); i >= 0 && len(raw) >= i+len(dateField)+10 {
			d = raw[i+len(dateField) : i+len(dateField)+10]
		} else {
			var rec model.Update
			if err := decode(bucketUpdates, k[8:], raw, &rec); err != nil {
				return false, err
			}
			d = []byte(rec.Date.ISO())
		}
		if bytes.Compare(d, after) > 0 {
			return false, nil
		}
	}
	return true, nil
}

var dateField = []byte(`"date":"`)

// AddEvidence stores new evidence, and its attached file when there is one.
func (w *writeTx) AddEvidence(e *model.Evidence, file []byte) error {
	if e.ID != 0 {
		return fmt.Errorf("evidence #%d is already stored; change its details instead", e.ID)
	}
	e.FileSize, e.SHA256 = 0, ""
	if file != nil {
		if len(file) > model.MaxAttachmentSize {
			name := e.FileName
			if name == "" {
				name = "the file"
			}
			return fmt.Errorf("%s is %s; attached files are limited to %s (%w). Keep it on force systems and record where it is instead",
				name, humanSize(int64(len(file))), humanSize(model.MaxAttachmentSize), model.ErrTooLarge)
		}
		if e.FileName == "" {
			e.FileName = "attachment"
		}
		sum := sha256.Sum256(file)
		e.FileSize, e.SHA256 = int64(len(file)), hex.EncodeToString(sum[:])
	} else {
		e.FileName = ""
	}
	e.Added = w.at
	if e.AddedBy == "" {
		e.AddedBy = w.who()
	}
	if err := e.Validate(); err != nil {
		return err
	}
	f, err := w.Finding(e.FindingID)
	if errors.Is(err, model.ErrNotFound) {
		return invalid("finding_id", fmt.Sprintf("finding #%d does not exist", e.FindingID))
	} else if err != nil {
		return err
	}
	if e.ID, err = w.nextID(bucketEvidence); err != nil {
		return err
	}
	if err := w.put(bucketEvidence, e.ID, e); err != nil {
		return err
	}
	if err := w.index(bucketEvidenceByFinding, e.FindingID, e.ID, true); err != nil {
		return err
	}
	summary := fmt.Sprintf("Evidence %q added to %s", e.Title, f.Ref)
	if file != nil {
		files, err := w.bucket(bucketEvidenceFiles)
		if err != nil {
			return err
		}
		// bbolt keeps the slice until commit; a copy means the caller may
		// reuse its buffer.
		if err := files.Put(itob(uint64(e.ID)), bytes.Clone(file)); err != nil {
			return err
		}
		summary += fmt.Sprintf(", with the file %s (%s)", e.FileName, humanSize(e.FileSize))
	}
	return w.audit(model.AuditEvent{Action: model.ActionCreate, Entity: model.EntityEvidence, EntityID: e.ID, FindingID: e.FindingID,
		Summary: summary, Changes: model.Diff(model.Evidence{}, *e, w.names)})
}

// SaveEvidence changes evidence details. The attached file stays as it was:
// replacing it would break the link between what was shared and its digest.
func (w *writeTx) SaveEvidence(e *model.Evidence) error {
	old, err := get[model.Evidence](&w.readTx, bucketEvidence, e.ID, "evidence")
	if err != nil {
		return err
	}
	if e.FindingID != old.FindingID {
		return invalid("finding_id", "evidence cannot move to another finding; add it there instead")
	}
	if e.SHA256 != "" && e.SHA256 != old.SHA256 {
		return invalid("file_name", "an attached file cannot be replaced; add new evidence with the new file instead")
	}
	e.FileName, e.FileSize, e.SHA256 = old.FileName, old.FileSize, old.SHA256
	e.Added, e.AddedBy = old.Added, old.AddedBy
	if err := e.Validate(); err != nil {
		return err
	}
	changes := model.Diff(old, *e, w.names)
	if len(changes) == 0 {
		return nil
	}
	if err := w.put(bucketEvidence, e.ID, e); err != nil {
		return err
	}
	return w.audit(model.AuditEvent{Action: model.ActionChange, Entity: model.EntityEvidence, EntityID: e.ID, FindingID: e.FindingID,
		Summary: fmt.Sprintf("Evidence %q of %s changed: %s", e.Title, w.names("finding_id", e.FindingID), changedLabels(changes)), Changes: changes})
}

// DeleteEvidence removes evidence and its attached file.
func (w *writeTx) DeleteEvidence(id model.ID) error {
	e, err := get[model.Evidence](&w.readTx, bucketEvidence, id, "evidence")
	if err != nil {
		return err
	}
	for _, name := range [][]byte{bucketEvidence, bucketEvidenceFiles} {
		b, err := w.bucket(name)
		if err != nil {
			return err
		}
		if err := b.Delete(itob(uint64(id))); err != nil {
			return err
		}
	}
	if err := w.index(bucketEvidenceByFinding, e.FindingID, id, false); err != nil {
		return err
	}
	return w.audit(model.AuditEvent{Action: model.ActionDelete, Entity: model.EntityEvidence, EntityID: id, FindingID: e.FindingID,
		Summary: fmt.Sprintf("Evidence %q deleted from %s", e.Title, w.names("finding_id", e.FindingID)), Changes: model.Diff(e, model.Evidence{}, w.names)})
}

// SaveSubmission records (or replaces) a submission.
func (w *writeTx) SaveSubmission(s *model.Submission) error {
	if strings.TrimSpace(s.FileName) == "" {
		return invalid("file_name", "say which file was sent")
	}
	var old model.Submission
	creating := s.ID == 0
	if creating {
		id, err := w.nextID(bucketSubmissions)
		if err != nil {
			return err
		}
		s.ID = id
	} else {
		var err error
		if old, err = get[model.Submission](&w.readTx, bucketSubmissions, s.ID, "submission"); err != nil {
			return err
		}
	}
	if s.Recorded.IsZero() {
		s.Recorded = w.at
	}
	if s.By == "" {
		s.By = w.who()
	}
	if err := w.put(bucketSubmissions, s.ID, s); err != nil {
		return err
	}
	// The rows are the submission itself; the event names what changed
	// without copying every cell again.
	var changes []model.FieldChange
	for _, c := range model.Diff(old, *s, w.names) {
		if c.Field != "rows" {
			changes = append(changes, c)
		}
	}
	summary := fmt.Sprintf("%s for %s recorded as sent (%s)", upperFirst(string(s.Kind)), s.Period, s.FileName)
	action := model.ActionCreate
	if !creating {
		action = model.ActionChange
		summary = fmt.Sprintf("Record of the %s for %s changed", s.Kind, s.Period)
	}
	return w.audit(model.AuditEvent{Action: action, Entity: model.EntitySubmission, EntityID: s.ID, Summary: summary, Changes: changes})
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// humanSize writes a size as people read it: "25 MB", "312 KB".
func humanSize(n int64) string {
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
