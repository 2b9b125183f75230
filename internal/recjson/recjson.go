// Package recjson reads the register's records (all but the settings and
// submissions) from their JSON, for both stores: the file keeps them as
// json.Marshal writes them, and a PostgreSQL server gives jsonb back with
// its keys reordered and spaced.
//
// A whole record is read by github.com/goccy/go-json: measured against a
// reader of this package's own, field by field, it was as fast on
// updates and findings and faster on history entries, with no code to
// keep in step with the records. What a general decoder cannot do is done
// here, by a scanner of the package's own (scan.go): reading an update
// without its narrative or with it as bytes (UpdateHead, UpdateText), an
// event without its changes or its words (EventHeads, SnapshotEvent), and
// the fields an event's changes name without copying them (ChangedFields).
package recjson

import (
	"encoding/json"
	"reflect"
	"time"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"

	"improvementtracker/model"
)

// Decode decodes payload into v when v is an update, an audit event, a
// finding, a milestone, evidence, a person or a report with its zero value
// (encoding/json merges into a value that is not); ok false means v is
// untouched and encoding/json must decode it, which also says what is
// wrong with a payload that cannot be read. Text that is not valid UTF-8
// is left to encoding/json too, which replaces what it cannot read where
// the faster decoder would keep the bytes: so the result is always what
// encoding/json gives, as the tests check against it, odd forms and
// fuzzed input included. Decode is safe for concurrent use.
func Decode(payload []byte, v any) (ok bool) {
	switch r := v.(type) {
	case *model.Update:
		return isZero(r) && decodeWhole(payload, r)
	case *model.AuditEvent:
		// Its zero time has a location, which reflection's IsZero
		// would not see.
		return zeroEvent(r) && decodeWhole(payload, r)
	case *model.Finding:
		return isZero(r) && decodeWhole(payload, r)
	case *model.Milestone:
		return isZero(r) && decodeWhole(payload, r)
	case *model.Evidence:
		return isZero(r) && decodeWhole(payload, r)
	case *model.Person:
		return isZero(r) && decodeWhole(payload, r)
	case *model.Report:
		return isZero(r) && decodeWhole(payload, r)
	}
	return false
}

// isZero reports whether r holds its zero value.
func isZero[T any](r *T) bool { return reflect.ValueOf(r).Elem().IsZero() }

// decodeWhole decodes payload into r, which holds its zero value, and sets
// it back to zero when the payload is left to encoding/json.
func decodeWhole[T any](payload []byte, r *T) bool {
	if !utf8.Valid(payload) {
		return false
	}
	if gojson.Unmarshal(payload, r) != nil {
		var zero T
		*r = zero
		return false
	}
	return true
}

func zeroEvent(e *model.AuditEvent) bool {
	return e.ID == 0 && e.At.IsZero() && e.At.Location() == time.UTC && e.Who == "" && e.Action == "" &&
		e.Entity == "" && e.EntityID == 0 && e.FindingID == 0 && e.Summary == "" && e.Changes == nil &&
		e.Note == "" && e.Prev == ""
}

// decodeUpdateWith reads an update's fields into u, and its narrative
// with narrative, which decides what of it to keep.
func decodeUpdateWith(b []byte, u *model.Update, narrative func(s *jscan) bool) bool {
	s := jscan{b: b}
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return s.id(&u.ID)
		case "finding_id":
			return s.id(&u.FindingID)
		case "date":
			return s.date(&u.Date)
		case "narrative":
			return narrative(&s)
		case "status":
			return s.word((*string)(&u.Status))
		case "rag":
			return s.word((*string)(&u.RAG))
		case "author":
			return s.str(&u.Author)
		case "source":
			return s.str(&u.Source)
		case "recorded":
			return s.time(&u.Recorded)
		case "sample":
			return s.bool(&u.Sample)
		}
		return false
	}) && s.end()
}

// decodeEventWith reads an event's fields into e, and its changes with
// changes, which decides whether to read or pass over them.
func decodeEventWith(b []byte, e *model.AuditEvent, changes func(s *jscan) bool) bool {
	return eventFields(b, e, (*jscan).str, changes)
}

// eventFields reads an event's fields into e: its words (who, the
// summary, the note and the chain's hash) with words, its changes with
// changes.
func eventFields(b []byte, e *model.AuditEvent, words func(s *jscan, out *string) bool, changes func(s *jscan) bool) bool {
	s := jscan{b: b}
	return s.object(func(key []byte) bool {
		switch string(key) {
		case "id":
			return s.id(&e.ID)
		case "at":
			return s.time(&e.At)
		case "who":
			return words(&s, &e.Who)
		case "action":
			return s.word((*string)(&e.Action))
		case "entity":
			return s.word((*string)(&e.Entity))
		case "entity_id":
			return s.id(&e.EntityID)
		case "finding_id":
			return s.id(&e.FindingID)
		case "summary":
			return words(&s, &e.Summary)
		case "note":
			return words(&s, &e.Note)
		case "prev":
			return words(&s, &e.Prev)
		case "changes":
			return changes(&s)
		}
		return false
	}) && s.end()
}

// changes reads an event's list of field changes whole.
func (s *jscan) changes(out *[]model.FieldChange) bool {
	return s.changeList(out, func(key []byte, c *model.FieldChange) bool {
		switch string(key) {
		case "field":
			return s.name(&c.Field)
		case "label":
			return s.name(&c.Label)
		case "before":
			return s.word(&c.Before)
		case "after":
			return s.word(&c.After)
		case "before_json":
			return s.bytes(&c.BeforeJSON)
		case "after_json":
			return s.bytes(&c.AfterJSON)
		}
		return false
	})
}

// changeList reads a list of field changes, each change's members with
// member.
func (s *jscan) changeList(out *[]model.FieldChange, member func(key []byte, c *model.FieldChange) bool) bool {
	return list(s, out, func(s *jscan, c *model.FieldChange) bool {
		return s.object(func(key []byte) bool { return member(key, c) })
	})
}

// EventHeads is Decode passing over the changes of an event
// whose changes a snapshot does not use (model.HistoryNeeds), checked as
// JSON only. The action
// and entity come before the changes in the form the store writes; in
// another order the changes are decoded.
func EventHeads(b []byte, e *model.AuditEvent) bool {
	// Most of a large trail is left out altogether: found by a first pass
	// that decodes nothing, so nothing is copied for it.
	if action, entity, ok := peekEvent(b); ok {
		if keep, _ := model.HistoryNeeds(action, entity); !keep {
			e.Action, e.Entity = action, entity
			return true
		}
	}
	var skipped bool
	var skippedFor [2]string
	ok := decodeEventWith(b, e, func(s *jscan) bool {
		if e.Changes != nil || skipped {
			return false
		}
		if _, changes := model.HistoryNeeds(e.Action, e.Entity); !changes && e.Action != "" && e.Entity != "" {
			skipped, skippedFor = true, [2]string{string(e.Action), string(e.Entity)}
			return s.skip()
		}
		return s.changes(&e.Changes)
	})
	// A second action or entity after the changes were passed over may
	// need them after all.
	return ok && (!skipped || skippedFor == [2]string{string(e.Action), string(e.Entity)})
}

// SnapshotEvent is Decode for an event as a snapshot reads it
// (model.ForHistory): its ID, time, action and record, and of its changes
// each field and earlier value. The words (who, the summary, the note, the
// chain's hash, the changes' labels, text and later values) are passed
// over, checked only as strings: a register imported in one go has
// hundreds of thousands of such events after any earlier date, and the
// words were most of reading them. false leaves the event to
// encoding/json.
func SnapshotEvent(b []byte, e *model.AuditEvent) bool {
	pass := func(s *jscan, _ *string) bool { return s.skipString() }
	return eventFields(b, e, pass, func(s *jscan) bool {
		// encoding/json would merge a second list into the first.
		return e.Changes == nil && s.earlierValues(&e.Changes)
	})
}

// ChangedFields reads, of an event's stored JSON, the record it is about
// and the fields its changes name, copying nothing: the fields point into
// b, and fields is reused for them. A store reads it to pass over the
// events whose changes a snapshot would leave out (model.ForHistory). ok is
// false for JSON not in the plain form the store writes (a name given
// twice, an escaped field name), which must then be read whole.
func ChangedFields(b []byte, fields [][]byte) (entityID model.ID, out [][]byte, ok bool) {
	s := jscan{b: b}
	out = fields[:0]
	var gotID, gotChanges bool
	ok = s.object(func(key []byte) bool {
		switch string(key) {
		case "entity_id":
			if gotID {
				return false
			}
			gotID = true
			return s.id(&entityID)
		case "changes":
			if gotChanges {
				return false
			}
			gotChanges = true
			return s.fieldNames(&out)
		}
		return s.skip()
	}) && s.end()
	return entityID, out, ok
}

// fieldNames reads a list of changes for the field each names, into the
// room *out has.
func (s *jscan) fieldNames(out *[][]byte) bool {
	return list(s, out, func(s *jscan, field *[]byte) bool {
		return s.object(func(key []byte) bool {
			if string(key) != "field" {
				return s.skip()
			}
			s.ws()
			if *field != nil || s.i >= len(s.b) || s.b[s.i] != '"' {
				return false
			}
			raw, escaped, ok := s.raw()
			if !ok || escaped {
				return false
			}
			*field = raw
			return true
		}) && *field != nil
	})
}

// earlierValues is changes keeping each change's field and earlier value.
func (s *jscan) earlierValues(out *[]model.FieldChange) bool {
	return s.changeList(out, func(key []byte, c *model.FieldChange) bool {
		switch string(key) {
		case "field":
			return s.name(&c.Field)
		case "before_json":
			return s.bytes(&c.BeforeJSON)
		case "label", "before", "after", "after_json":
			return s.skipString()
		}
		return false
	})
}

// peekEvent reads an event's action and entity without decoding the rest;
// ok is false unless both are there, once each, in the plain form. The
// other fields are checked as EventHeads reads them, but for the changes,
// which are checked as JSON only: an event left out is not used, and its
// checksum has already been verified.
func peekEvent(b []byte) (action model.Action, entity model.Entity, ok bool) {
	s := jscan{b: b}
	var a, en []byte
	var id model.ID
	var at time.Time
	ok = s.object(func(key []byte) bool {
		var dst *[]byte
		switch string(key) {
		case "action":
			dst = &a
		case "entity":
			dst = &en
		case "id", "entity_id", "finding_id":
			return s.id(&id)
		case "at":
			return s.time(&at)
		case "who", "summary", "note", "prev":
			s.ws()
			_, _, ok := s.raw()
			return ok
		case "changes":
			return s.skip()
		default:
			return false
		}
		s.ws()
		raw, escaped, ok := s.raw()
		if !ok || escaped || *dst != nil {
			return false
		}
		*dst = raw
		return true
	}) && s.end()
	if !ok || a == nil || en == nil {
		return "", "", false
	}
	return model.Action(historyName(a)), model.Entity(historyName(en)), true
}

// historyName gives the known action and entity names without copying.
func historyName(b []byte) string {
	for _, n := range []string{string(model.ActionCreate), string(model.ActionChange), string(model.ActionDelete),
		string(model.EntityUpdate), string(model.EntitySettings), string(model.EntitySubmission)} {
		if string(b) == n {
			return n
		}
	}
	return string(b)
}

// UpdateHead is Decode keeping the narrative only when the
// update is dated from first to last.
func UpdateHead(b []byte, first, last model.Date, u *model.Update) bool {
	text, quoted, escaped, ok := updateRaw(b, u)
	if !ok {
		return false
	}
	if quoted != nil && !u.Date.Before(first) && !u.Date.After(last) {
		// As str reads it, from what the scan found, without scanning
		// it again.
		if !escaped {
			u.Narrative = string(text)
			return true
		}
		return json.Unmarshal(quoted, &u.Narrative) == nil
	}
	return true
}

// UpdateText is Decode leaving the narrative out of u and giving it
// as bytes instead: those of b when it has no escapes, so that nothing is
// copied, else decoded afresh.
func UpdateText(b []byte, u *model.Update) (text []byte, ok bool) {
	text, quoted, escaped, ok := updateRaw(b, u)
	if !ok || !escaped {
		return text, ok
	}
	var narrative string
	if json.Unmarshal(quoted, &narrative) != nil {
		return nil, false
	}
	return []byte(narrative), true
}

// updateRaw reads an update, finding the narrative without decoding it:
// its text between the quotes, the same with them, and whether it holds
// escapes.
func updateRaw(b []byte, u *model.Update) (text, quoted []byte, escaped, ok bool) {
	ok = decodeUpdateWith(b, u, func(s *jscan) bool {
		s.ws()
		start := s.i
		var ok bool
		if text, escaped, ok = s.raw(); !ok {
			return false
		}
		quoted = s.b[start:s.i]
		return true
	})
	return text, quoted, escaped, ok
}
