// Package recjson reads the register's records (all but the settings and
// submissions) straight from their JSON, for both stores: the file keeps
// them as json.Marshal writes them, and a PostgreSQL server gives jsonb
// back with its keys reordered and spaced, which the reader takes alike,
// since it goes by key names, not places.
package recjson

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"improvementtracker/model"
)

// A large register holds hundreds of thousands of progress updates and
// audit events, and decoding them with encoding/json (reflection, a
// validating pass before the decoding one) is most of the time an export or
// the dashboard takes to read the register. Decode reads those two kinds
// directly when their JSON is in the form json.Marshal writes them: the
// fields by their exact names, strings that are valid UTF-8, numbers as
// plain digits. Anything else (a field named in other case, a null, an
// unknown field, broken text) is left to encoding/json, which decides what
// it means or why it cannot be read, so the result is always what
// encoding/json gives. The stored format is unchanged. Decode is safe for concurrent use.

// Decode decodes payload into v when v is an update, an audit event, a
// finding, a milestone, evidence, a person or a report with its zero value
// (encoding/json merges into a value that is not) and the payload is in
// the plain form; ok false means v is untouched and encoding/json must
// decode it.
func Decode(payload []byte, v any) (ok bool) {
	switch r := v.(type) {
	// Decoded in place, which spares a copy on the heap for each record,
	// and put back as it was when the payload is left to encoding/json.
	case *model.Update:
		if *r != (model.Update{}) {
			return false
		}
		if decodeUpdate(payload, r) {
			return true
		}
		*r = model.Update{}
	case *model.AuditEvent:
		if !zeroEvent(r) {
			return false
		}
		was := *r
		if decodeEvent(payload, r) {
			return true
		}
		*r = was
	default:
		ok, _ := decodeRecord(payload, v)
		return ok
	}
	return false
}

func zeroEvent(e *model.AuditEvent) bool {
	return e.ID == 0 && e.At.IsZero() && e.At.Location() == time.UTC && e.Who == "" && e.Action == "" &&
		e.Entity == "" && e.EntityID == 0 && e.FindingID == 0 && e.Summary == "" && e.Changes == nil &&
		e.Note == "" && e.Prev == ""
}

func decodeUpdate(b []byte, u *model.Update) bool {
	return decodeUpdateWith(b, u, func(s *jscan) bool { return s.str(&u.Narrative) })
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

func decodeEvent(b []byte, e *model.AuditEvent) bool {
	return decodeEventWith(b, e, func(s *jscan) bool {
		// encoding/json would merge a second list into the first.
		return e.Changes == nil && s.changes(&e.Changes)
	})
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
			return s.str(&c.Field)
		case "label":
			return s.str(&c.Label)
		case "before":
			return s.str(&c.Before)
		case "after":
			return s.str(&c.After)
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

// jscan reads JSON text in the plain form; every method returns false at
// anything else, and the caller then leaves the whole value to
// encoding/json.
type jscan struct {
	b []byte
	i int
}

func (s *jscan) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *jscan) take(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// end accepts only white space after the value, as encoding/json does.
func (s *jscan) end() bool {
	s.ws()
	return s.i == len(s.b)
}

// object reads an object, calling field for each key with the scanner at
// its value; field reads the value.
func (s *jscan) object(field func(key []byte) bool) bool {
	s.ws()
	if !s.take('{') {
		return false
	}
	s.ws()
	if s.take('}') {
		return true
	}
	for {
		s.ws()
		key, escaped, ok := s.raw()
		if !ok || escaped {
			return false
		}
		s.ws()
		if !s.take(':') || !field(key) {
			return false
		}
		s.ws()
		if s.take('}') {
			return true
		}
		if !s.take(',') {
			return false
		}
	}
}

// raw reads a string and returns the bytes between its quotes, and whether
// they hold an escape. A control character or invalid UTF-8 fails.
func (s *jscan) raw() (raw []byte, escaped, ok bool) {
	if !s.take('"') {
		return nil, false, false
	}
	start := s.i
	ascii := true
	for s.i < len(s.b) {
		// Plain text, most of a narrative, is passed over eight bytes
		// at a time.
		for s.i+8 <= len(s.b) && !special(binary.LittleEndian.Uint64(s.b[s.i:])) {
			s.i += 8
		}
		if s.i >= len(s.b) {
			break
		}
		c := s.b[s.i]
		switch {
		case c == '"':
			raw = s.b[start:s.i]
			s.i++
			if !ascii && !utf8.Valid(raw) {
				return nil, false, false
			}
			return raw, escaped, true
		case c == '\\':
			// Checked here, so that a string passed over is as valid
			// as one decoded.
			escaped = true
			if s.i+1 >= len(s.b) {
				return nil, false, false
			}
			switch s.b[s.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.i += 2
			case 'u':
				if s.i+6 > len(s.b) {
					return nil, false, false
				}
				for _, h := range s.b[s.i+2 : s.i+6] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return nil, false, false
					}
				}
				s.i += 6
			default:
				return nil, false, false
			}
			continue
		case c < 0x20:
			return nil, false, false
		case c >= 0x80:
			ascii = false
		}
		s.i++
	}
	return nil, false, false
}

func (s *jscan) str(out *string) bool {
	s.ws()
	start := s.i
	raw, escaped, ok := s.raw()
	if !ok {
		return false
	}
	if !escaped {
		*out = string(raw)
		return true
	}
	// Escapes are rare: encoding/json reads them, exactly as it would.
	return json.Unmarshal(s.b[start:s.i], out) == nil
}

func (s *jscan) bytes(out *[]byte) bool {
	var str string
	if !s.str(&str) {
		return false
	}
	// As encoding/json decodes a []byte.
	b := make([]byte, base64.StdEncoding.DecodedLen(len(str)))
	n, err := base64.StdEncoding.Decode(b, []byte(str))
	if err != nil {
		return false
	}
	*out = b[:n]
	return true
}

func (s *jscan) id(out *model.ID) bool {
	s.ws()
	start := s.i
	for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
		s.i++
	}
	digits := s.b[start:s.i]
	if len(digits) == 0 || (len(digits) > 1 && digits[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(string(digits), 10, 64)
	if err != nil {
		return false
	}
	*out = model.ID(n)
	return true
}

func (s *jscan) bool(out *bool) bool {
	s.ws()
	switch {
	case len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "true":
		s.i += 4
		*out = true
	case len(s.b)-s.i >= 5 && string(s.b[s.i:s.i+5]) == "false":
		s.i += 5
		*out = false
	default:
		return false
	}
	return true
}

// quoted reads a string without escapes and returns it with its quotes,
// for a type's own UnmarshalJSON.
func (s *jscan) quoted() ([]byte, bool) {
	s.ws()
	start := s.i
	_, escaped, ok := s.raw()
	if !ok || escaped {
		return nil, false
	}
	return s.b[start:s.i], true
}

func (s *jscan) date(out *model.Date) bool {
	q, ok := s.quoted()
	if ok && len(q) == 2 {
		// An unset date, as Date.UnmarshalJSON reads it, without its
		// detour through encoding/json.
		*out = model.Date{}
		return true
	}
	return ok && out.UnmarshalJSON(q) == nil
}

func (s *jscan) time(out *time.Time) bool {
	q, ok := s.quoted()
	return ok && out.UnmarshalJSON(q) == nil
}

// EventHeads is decodeEvent passing over the changes of an event
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
			return s.str(&c.Field)
		case "before_json":
			return s.bytes(&c.BeforeJSON)
		case "label", "before", "after", "after_json":
			return s.skipString()
		}
		return false
	})
}

// skipString passes over a string, refusing any other value, as decoding
// it into a string would.
func (s *jscan) skipString() bool {
	s.ws()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return false
	}
	_, _, ok := s.raw()
	return ok
}

// skip passes over one value of any kind.
func (s *jscan) skip() bool {
	s.ws()
	if s.i >= len(s.b) {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, _, ok := s.raw()
		return ok
	case c == '{':
		return s.object(func([]byte) bool { return s.skip() })
	case c == '[':
		s.i++
		s.ws()
		if s.take(']') {
			return true
		}
		for {
			if !s.skip() {
				return false
			}
			s.ws()
			if s.take(']') {
				return true
			}
			if !s.take(',') {
				return false
			}
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if len(s.b)-s.i >= len(lit) && string(s.b[s.i:s.i+len(lit)]) == lit {
				s.i += len(lit)
				return true
			}
		}
		return false
	default:
		return s.number()
	}
}

// number passes over a number in JSON's grammar.
func (s *jscan) number() bool {
	digits := func() int {
		n := 0
		for s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '9' {
			s.i++
			n++
		}
		return n
	}
	s.take('-')
	if s.take('0') {
		// No more digits may follow a leading zero.
	} else if digits() == 0 {
		return false
	}
	if s.take('.') && digits() == 0 {
		return false
	}
	if s.take('e') || s.take('E') {
		if !s.take('+') {
			s.take('-')
		}
		if digits() == 0 {
			return false
		}
	}
	return true
}

// peekEvent reads an event's action and entity without decoding the rest;
// ok is false unless both are there, once each, in the plain form. The
// other fields are checked as decodeEvent would, but for the changes,
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

// UpdateHead is decodeUpdate keeping the narrative only when the
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

// UpdateText is decodeUpdate leaving the narrative out of u and giving it
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

// updateRaw is decodeUpdate finding the narrative without decoding it:
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

// special reports whether any of eight bytes needs a look of its own in a
// string: a quote, a backslash, a control character or a byte of a
// multi-byte character, by word-at-a-time arithmetic in one expression: a
// byte below 0x20 borrows, and so sets its top bit, in w - 0x20×0x01…; a
// byte from 0x80 has it in w; a quote or a backslash is a zero byte of
// w^"… or w^\…, which borrows in the subtraction of 0x01…. A borrow
// carried into the next byte can set that byte's top bit as well, but only
// after a byte that is special itself, and no other byte sets it.
func special(w uint64) bool {
	const ones, tops = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^(ones*'"'), w^(ones*'\\')
	return ((w-ones*0x20)|w|(quote-ones)|(backslash-ones))&tops != 0
}
