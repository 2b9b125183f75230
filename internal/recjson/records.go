package recjson

import (
	"reflect"
	"strconv"

	"improvementtracker/model"
)

// Findings, milestones, evidence, people and reports are read directly too:
// a snapshot or the register screen reads every one of them, and a large
// register holds tens of thousands of milestones and findings whose
// wording is long. The rules are those of Decode: the fields by their exact
// names, each at most once (encoding/json lets a repeated field overwrite
// or merge into the first, which is left to it to decide), values in the
// form json.Marshal writes them; anything else is left to encoding/json.

// decodeRecord is Decode for the kinds of this file; handled false means v
// is of none of them.
func decodeRecord(payload []byte, v any) (ok, handled bool) {
	switch r := v.(type) {
	case *model.Finding:
		return zeroDecode(payload, r, decodeFinding), true
	case *model.Milestone:
		return zeroDecode(payload, r, decodeMilestone), true
	case *model.Evidence:
		return zeroDecode(payload, r, decodeEvidence), true
	case *model.Person:
		return zeroDecode(payload, r, decodePerson), true
	case *model.Report:
		return zeroDecode(payload, r, decodeReport), true
	}
	return false, false
}

// zeroDecode decodes into r only when r holds its zero value (encoding/json
// merges into one that does not), and leaves r untouched when the payload
// is not in the plain form.
func zeroDecode[T any](payload []byte, r *T, decode func(*jscan, *T) bool) bool {
	if !reflect.ValueOf(r).Elem().IsZero() {
		return false
	}
	// Decoded in place, which spares a copy on the heap for each record,
	// and set back to zero when the payload is left to encoding/json.
	s := jscan{b: payload}
	if !decode(&s, r) || !s.end() {
		var zero T
		*r = zero
		return false
	}
	return true
}

// seen marks the fields an object has given, so that a repeated one is left
// to encoding/json.
type seen uint64

func (m *seen) first(field uint) bool {
	if *m&(1<<field) != 0 {
		return false
	}
	*m |= 1 << field
	return true
}

func decodeFinding(s *jscan, f *model.Finding) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return m.first(0) && s.id(&f.ID)
		case "ref":
			return m.first(1) && s.str(&f.Ref)
		case "inspectorate_ref":
			return m.first(2) && s.str(&f.InspectorateRef)
		case "report_id":
			return m.first(3) && s.id(&f.ReportID)
		case "type":
			return m.first(4) && s.word((*string)(&f.Type))
		case "raised":
			return m.first(5) && s.date(&f.Raised)
		case "parent_id":
			return m.first(6) && s.id(&f.ParentID)
		case "area":
			return m.first(7) && s.str(&f.Area)
		case "grade":
			return m.first(8) && s.word((*string)(&f.Grade))
		case "title":
			return m.first(9) && s.str(&f.Title)
		case "verbatim":
			return m.first(10) && s.str(&f.Verbatim)
		case "wording_missing":
			return m.first(11) && s.bool(&f.WordingMissing)
		case "interpretation":
			return m.first(12) && s.str(&f.Interpretation)
		case "chief_officer_id":
			return m.first(13) && s.id(&f.ChiefOfficerID)
		case "delivery_lead_id":
			return m.first(14) && s.id(&f.DeliveryLeadID)
		case "governance_board":
			return m.first(15) && s.str(&f.GovernanceBoard)
		case "marking":
			return m.first(16) && decodeMarking(s, &f.Marking)
		case "original_target":
			return m.first(17) && s.date(&f.OriginalTarget)
		case "current_target":
			return m.first(18) && s.date(&f.CurrentTarget)
		case "target_revisions":
			return m.first(19) && list(s, &f.TargetRevisions, decodeRevision)
		case "status":
			return m.first(20) && s.word((*string)(&f.Status))
		case "rag":
			return m.first(21) && s.word((*string)(&f.RAG))
		case "closure_rationale":
			return m.first(22) && s.str(&f.ClosureRationale)
		case "closure_proposed_date":
			return m.first(23) && s.date(&f.ClosureProposedDate)
		case "closed_date":
			return m.first(24) && s.date(&f.ClosedDate)
		case "superseded_by":
			return m.first(25) && s.id(&f.SupersededBy)
		case "inspectorate_position":
			return m.first(26) && s.str(&f.InspectoratePosition)
		case "inspectorate_position_date":
			return m.first(27) && s.date(&f.InspectoratePositionDate)
		case "reopenings":
			return m.first(28) && list(s, &f.Reopenings, decodeReopening)
		case "related":
			return m.first(29) && list(s, &f.Related, func(s *jscan, id *model.ID) bool { return s.id(id) })
		case "sample":
			return m.first(30) && s.bool(&f.Sample)
		case "created":
			return m.first(31) && s.time(&f.Created)
		case "modified":
			return m.first(32) && s.time(&f.Modified)
		case "version":
			return m.first(33) && s.uint(&f.Version)
		}
		return false
	})
}

func decodeMarking(s *jscan, mk *model.Marking) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "classification":
			return m.first(0) && s.word((*string)(&mk.Classification))
		case "descriptor":
			return m.first(1) && s.str(&mk.Descriptor)
		}
		return false
	})
}

func decodeRevision(s *jscan, r *model.Revision) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "from":
			return m.first(0) && s.date(&r.From)
		case "to":
			return m.first(1) && s.date(&r.To)
		case "reason":
			return m.first(2) && s.str(&r.Reason)
		case "agreed_by":
			return m.first(3) && s.str(&r.AgreedBy)
		case "agreed":
			return m.first(4) && s.date(&r.Agreed)
		case "at":
			return m.first(5) && s.time(&r.At)
		case "by":
			return m.first(6) && s.str(&r.By)
		}
		return false
	})
}

func decodeReopening(s *jscan, r *model.Reopening) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "date":
			return m.first(0) && s.date(&r.Date)
		case "from":
			return m.first(1) && s.word((*string)(&r.From))
		case "reason":
			return m.first(2) && s.str(&r.Reason)
		case "by":
			return m.first(3) && s.str(&r.By)
		case "proposed_on":
			return m.first(4) && s.date(&r.ProposedOn)
		case "closed_on":
			return m.first(5) && s.date(&r.ClosedOn)
		case "rationale":
			return m.first(6) && s.str(&r.Rationale)
		}
		return false
	})
}

func decodeMilestone(s *jscan, ms *model.Milestone) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return m.first(0) && s.id(&ms.ID)
		case "finding_id":
			return m.first(1) && s.id(&ms.FindingID)
		case "title":
			return m.first(2) && s.str(&ms.Title)
		case "owner_id":
			return m.first(3) && s.id(&ms.OwnerID)
		case "original_due":
			return m.first(4) && s.date(&ms.OriginalDue)
		case "current_due":
			return m.first(5) && s.date(&ms.CurrentDue)
		case "revisions":
			return m.first(6) && list(s, &ms.Revisions, decodeRevision)
		case "completed":
			return m.first(7) && s.date(&ms.Completed)
		case "completed_by":
			return m.first(13) && s.str(&ms.CompletedBy)
		case "outcome":
			return m.first(8) && s.word((*string)(&ms.Outcome))
		case "carried_to":
			return m.first(9) && s.id(&ms.CarriedTo)
		case "notes":
			return m.first(10) && s.str(&ms.Notes)
		case "sample":
			return m.first(11) && s.bool(&ms.Sample)
		case "version":
			return m.first(12) && s.uint(&ms.Version)
		}
		return false
	})
}

func decodeEvidence(s *jscan, e *model.Evidence) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return m.first(0) && s.id(&e.ID)
		case "finding_id":
			return m.first(1) && s.id(&e.FindingID)
		case "title":
			return m.first(2) && s.str(&e.Title)
		case "location":
			return m.first(3) && s.str(&e.Location)
		case "effective_date":
			return m.first(4) && s.date(&e.EffectiveDate)
		case "shared":
			return m.first(5) && s.bool(&e.Shared)
		case "file_name":
			return m.first(6) && s.str(&e.FileName)
		case "file_size":
			return m.first(7) && s.int(&e.FileSize)
		case "sha256":
			return m.first(8) && s.str(&e.SHA256)
		case "added":
			return m.first(9) && s.time(&e.Added)
		case "added_by":
			return m.first(10) && s.str(&e.AddedBy)
		case "sample":
			return m.first(11) && s.bool(&e.Sample)
		}
		return false
	})
}

func decodePerson(s *jscan, p *model.Person) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return m.first(0) && s.id(&p.ID)
		case "name":
			return m.first(1) && s.str(&p.Name)
		case "role":
			return m.first(2) && s.str(&p.Role)
		case "department":
			return m.first(3) && s.str(&p.Department)
		case "email":
			return m.first(4) && s.str(&p.Email)
		case "retired":
			return m.first(5) && s.bool(&p.Retired)
		case "sample":
			return m.first(6) && s.bool(&p.Sample)
		}
		return false
	})
}

func decodeReport(s *jscan, r *model.Report) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return m.first(0) && s.id(&r.ID)
		case "title":
			return m.first(1) && s.str(&r.Title)
		case "force":
			return m.first(2) && s.str(&r.Force)
		case "type":
			return m.first(3) && s.word((*string)(&r.Type))
		case "cycle":
			return m.first(4) && s.str(&r.Cycle)
		case "published":
			return m.first(5) && s.date(&r.Published)
		case "code":
			return m.first(6) && s.str(&r.Code)
		case "url":
			return m.first(7) && s.str(&r.URL)
		case "notes":
			return m.first(8) && s.str(&r.Notes)
		case "life":
			return m.first(10) && list(s, &r.Life, decodeReportEvent)
		case "sample":
			return m.first(9) && s.bool(&r.Sample)
		}
		return false
	})
}

func decodeReportEvent(s *jscan, e *model.ReportEvent) bool {
	var m seen
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "kind":
			return m.first(0) && s.word((*string)(&e.Kind))
		case "date":
			return m.first(1) && s.date(&e.Date)
		case "summary":
			return m.first(2) && s.str(&e.Summary)
		case "link":
			return m.first(3) && s.str(&e.Link)
		case "file_name":
			return m.first(4) && s.str(&e.FileName)
		case "sha256":
			return m.first(5) && s.str(&e.SHA256)
		case "findings":
			return m.first(6) && list(s, &e.Findings, (*jscan).str)
		case "recorded":
			return m.first(7) && s.time(&e.Recorded)
		case "by":
			return m.first(8) && s.str(&e.By)
		}
		return false
	})
}

// list reads an array into a fresh slice, as encoding/json does into a nil
// one: an empty array is an empty slice, not nil. A slice *out already
// holds is written over from its start, to reuse its room.
func list[T any](s *jscan, out *[]T, elem func(*jscan, *T) bool) bool {
	s.ws()
	if !s.take('[') {
		return false
	}
	items := (*out)[:0]
	if items == nil {
		items = []T{}
	}
	s.ws()
	if s.take(']') {
		*out = items
		return true
	}
	for {
		// Read into its place in the list: an item of its own, whose
		// address elem is given, would be made on the heap for every
		// element of every list read.
		var zero T
		items = append(items, zero)
		if !elem(s, &items[len(items)-1]) {
			return false
		}
		s.ws()
		if s.take(']') {
			*out = items
			return true
		}
		if !s.take(',') {
			return false
		}
	}
}

// uint reads an unsigned integer in plain digits, as id does.
func (s *jscan) uint(out *uint64) bool {
	var id model.ID
	if !s.id(&id) {
		return false
	}
	*out = uint64(id)
	return true
}

// int reads a signed integer in plain digits, with a minus sign or none.
func (s *jscan) int(out *int64) bool {
	s.ws()
	start := s.i
	s.take('-')
	digitsAt := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	digits := s.b[digitsAt:s.i]
	if len(digits) == 0 || (len(digits) > 1 && digits[0] == '0') {
		return false
	}
	n, err := strconv.ParseInt(string(s.b[start:s.i]), 10, 64)
	if err != nil {
		return false
	}
	*out = n
	return true
}
