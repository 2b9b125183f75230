package bolt

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strconv"
	"time"
	"unicode/utf8"

	"improvementtracker/model"
)

// From schema version 8 the trail's events are stored lean: the same
// event in a binary form of its own instead of its JSON. The JSON said
// every field's name each time, the chain's hash as 64 hex digits, and
// each change's old and new values twice: as text for people and as the
// stored JSON in base64 (a third longer again); on the 10,000-finding
// synthetic register the trail was 245 MB of values. The lean form says
// each thing once:
//
//	leanEventFormat
//	ID                          uvarint
//	at                          appendTime
//	action, entity              name
//	entity ID, finding ID       uvarint
//	who, summary, note          uvarint length then the bytes
//	prev                        prevNone, prevHash and its 32 bytes, or
//	                            prevText and the text as above
//	changes                     uvarint count, then for each:
//	  field, label              name
//	  before JSON, after JSON   uvarint length then the bytes, raw
//	  before, after             a textRule, then for textLiteral the text
//
// where a name is a uvarint: 0 and then the text as above, or 1+i for
// leanNames[i].
//
// The trail is a chain over each event's JSON (model.AuditHash), so an
// event read back must marshal to exactly the bytes it was written from.
// leanEvent therefore decodes what it wrote and compares the JSON before
// it is stored; an event the lean form would not give back byte for byte
// is stored as JSON, as before. The rules that give a change's text from
// its JSON (textRule) and the names are frozen: an event written today is
// read by them for ever (TestLeanRulesFrozen).
const leanEventFormat = 0xA8 // not '{', nor the whitespace JSON may start with

// prev forms.
const (
	prevNone = 0
	prevHash = 1
	prevText = 2
)

// textRule says how a change's text (Before or After) is had from its
// JSON (BeforeJSON or AfterJSON): as the app writes it (model.Diff), the
// text is most often the JSON's value in words, and then not stored.
type textRule byte

const (
	// textLiteral: the text is stored.
	textLiteral textRule = iota
	// textNone: "(none)", written for an empty value.
	textNone
	// textString: the JSON is a string, and the text is its value.
	textString
	// textRaw: the text is the JSON itself (a number).
	textRaw
	// textDate: the JSON is a string "yyyy-mm-dd", the text "dd/mm/yyyy".
	textDate
	// textBool: the JSON is true and the text "yes", or false and "no".
	textBool
	textRules // the count
)

// ruleText gives the text a rule makes of a change's JSON; ok is false
// when the rule does not apply to it.
func ruleText(rule textRule, js []byte) (text string, ok bool) {
	switch rule {
	case textNone:
		return "(none)", true
	case textString:
		if len(js) < 2 || js[0] != '"' || js[len(js)-1] != '"' {
			return "", false
		}
		inner := js[1 : len(js)-1]
		if bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) && !hasControl(inner) {
			return string(inner), true
		}
		var s string
		if json.Unmarshal(js, &s) != nil {
			return "", false
		}
		return s, true
	case textRaw:
		return string(js), true
	case textDate:
		if len(js) != 12 || js[0] != '"' || js[11] != '"' || js[5] != '-' || js[8] != '-' {
			return "", false
		}
		d := js[1:11]
		return string(d[8:10]) + "/" + string(d[5:7]) + "/" + string(d[0:4]), true
	case textBool:
		switch string(js) {
		case "true":
			return "yes", true
		case "false":
			return "no", true
		}
	}
	return "", false
}

// hasControl reports whether b holds a byte JSON must escape in a string.
func hasControl(b []byte) bool {
	for _, c := range b {
		if c < 0x20 {
			return true
		}
	}
	return false
}

// textRuleOf is the first rule that gives text from js, textLiteral when
// none does.
func textRuleOf(text string, js []byte) textRule {
	for rule := textNone; rule < textRules; rule++ {
		if got, ok := ruleText(rule, js); ok && got == text {
			return rule
		}
	}
	return textLiteral
}

// leanNames are the words a lean event gives by number: the trail's
// actions and kinds of record, and the fields' stored names and labels.
// Frozen: an entry is never changed nor removed, as stored events give
// it by its place; new words go at the end.
var leanNames = [...]string{
	// actions and entities
	"create", "change", "delete",
	"settings", "report", "person", "finding", "milestone", "update", "evidence", "submission",
	// the records' fields: stored name and label, in the order the
	// types declare them
	"id", "title", "force", "type", "cycle", "published", "publication date", "code", "url", "notes",
	"life", "report's life (response, revisits, letters)", "sample", "name", "role", "department",
	"email", "retired", "ref", "reference", "inspectorate_ref", "inspectorate reference", "report_id",
	"report", "raised", "date raised", "parent_id", "parent cause of concern", "area", "grade",
	"verbatim", "inspectorate wording", "wording_missing", "wording missing from the source text",
	"interpretation", "chief_officer_id", "chief officer lead", "delivery_lead_id", "delivery lead",
	"governance_board", "governance board", "marking", "protective marking", "original_target",
	"original target", "current_target", "current target", "target_revisions", "target revisions",
	"status", "rag", "RAG", "closure_rationale", "closure rationale", "closure_proposed_date",
	"date closure proposed", "closed_date", "date the inspectorate agreed closure", "superseded_by",
	"superseded by", "inspectorate_position", "inspectorate position", "inspectorate_position_date",
	"date of the inspectorate position", "reopenings", "related", "related findings", "created",
	"modified", "version", "finding_id", "finding", "owner_id", "owner", "original_due",
	"original due date", "current_due", "current due date", "revisions", "completed", "completed_by",
	"completed by", "outcome", "carried_to", "carried into", "date", "narrative", "author", "source",
	"recorded", "location", "effective_date", "effective date", "shared",
	"shared with the inspectorate", "file_name", "attached file", "file_size", "file size", "sha256",
	"added", "added_by", "added by", "force_name", "force name", "ref_prefix", "reference prefix",
	"default_marking", "default protective marking", "closed_not_rated", "closed findings not rated",
	"kind", "period", "as_at", "as at", "filter", "by", "rows", "audit_head", "audit head",
}

// leanNameIndex finds a word's number in leanNames.
var leanNameIndex = func() map[string]uint64 {
	m := make(map[string]uint64, len(leanNames))
	for i, w := range leanNames {
		if _, dup := m[w]; !dup {
			m[w] = uint64(i) + 1
		}
	}
	return m
}()

func appendName(b []byte, s string) []byte {
	if i, ok := leanNameIndex[s]; ok {
		return binary.AppendUvarint(b, i)
	}
	b = append(b, 0)
	return appendText(b, s)
}

func appendText(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// appendLeanEvent writes ev in the lean form, without checking that it
// reads back as written (leanEvent does).
func appendLeanEvent(b []byte, ev *model.AuditEvent) []byte {
	b = append(b, leanEventFormat)
	b = binary.AppendUvarint(b, uint64(ev.ID))
	b = appendTime(b, ev.At)
	b = appendName(b, string(ev.Action))
	b = appendName(b, string(ev.Entity))
	b = binary.AppendUvarint(b, uint64(ev.EntityID))
	b = binary.AppendUvarint(b, uint64(ev.FindingID))
	b = appendText(b, ev.Who)
	b = appendText(b, ev.Summary)
	b = appendText(b, ev.Note)
	switch h, err := hex.DecodeString(ev.Prev); {
	case ev.Prev == "":
		b = append(b, prevNone)
	case err == nil && len(h) == 32 && hex.EncodeToString(h) == ev.Prev:
		b = append(b, prevHash)
		b = append(b, h...)
	default:
		b = append(b, prevText)
		b = appendText(b, ev.Prev)
	}
	b = binary.AppendUvarint(b, uint64(len(ev.Changes)))
	for i := range ev.Changes {
		c := &ev.Changes[i]
		b = appendName(b, c.Field)
		b = appendName(b, c.Label)
		b = appendText(b, string(c.BeforeJSON))
		b = appendText(b, string(c.AfterJSON))
		for _, t := range [2]struct {
			text string
			js   []byte
		}{{c.Before, c.BeforeJSON}, {c.After, c.AfterJSON}} {
			rule := textRuleOf(t.text, t.js)
			b = append(b, byte(rule))
			if rule == textLiteral {
				b = appendText(b, t.text)
			}
		}
	}
	return b
}

// leanEvent is what the trail stores for an event whose JSON is raw: its
// lean form when that reads back to exactly raw, else raw itself.
func leanEvent(raw []byte) []byte {
	var ev model.AuditEvent
	if json.Unmarshal(raw, &ev) != nil {
		return raw
	}
	lean := appendLeanEvent(make([]byte, 0, len(raw)/2), &ev)
	var back model.AuditEvent
	if decodeLeanEvent(lean, &back) != nil {
		return raw
	}
	// Both the event as decoded from raw (as reading the JSON form gives
	// it) and as decoded from the lean form must marshal to raw.
	again, err := json.Marshal(back)
	if err != nil || !bytes.Equal(again, raw) {
		return raw
	}
	if again, err = json.Marshal(ev); err != nil || !bytes.Equal(again, raw) {
		return raw
	}
	return lean
}

// isLeanEvent reports whether a stored event's payload is in the lean form.
func isLeanEvent(payload []byte) bool {
	return len(payload) > 0 && payload[0] == leanEventFormat
}

// errLeanForm is why a lean event that passed its checksum cannot be read.
var errLeanForm = errors.New("it is not in the form the history is written in")

// name reads a name.
func (f *fields) name() string {
	i := f.uvarint()
	if f.i < 0 {
		return ""
	}
	if i == 0 {
		return string(f.bytes())
	}
	if i > uint64(len(leanNames)) {
		f.i = -1
		return ""
	}
	return leanNames[i-1]
}

// rawJSON reads a change's JSON: nil when empty, as decoding the JSON
// form gives it.
func (f *fields) rawJSON() []byte {
	b := f.bytes()
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

// text reads a change's text after its JSON js.
func (f *fields) text(js []byte) string {
	if f.i < 0 || f.i >= len(f.p) {
		f.i = -1
		return ""
	}
	rule := textRule(f.p[f.i])
	f.i++
	if rule == textLiteral {
		return string(f.bytes())
	}
	s, ok := ruleText(rule, js)
	if !ok || rule >= textRules {
		f.i = -1
	}
	return s
}

// decodeLeanEvent reads a lean event into ev. Nothing ev holds points into
// p.
func decodeLeanEvent(p []byte, ev *model.AuditEvent) error {
	*ev = model.AuditEvent{}
	if !isLeanEvent(p) {
		return errLeanForm
	}
	f := fields{p: p, i: 1}
	ev.ID = model.ID(f.uvarint())
	ev.At = f.time()
	ev.Action = model.Action(f.name())
	ev.Entity = model.Entity(f.name())
	ev.EntityID = model.ID(f.uvarint())
	ev.FindingID = model.ID(f.uvarint())
	ev.Who = string(f.bytes())
	ev.Summary = string(f.bytes())
	ev.Note = string(f.bytes())
	if f.i < 0 || f.i >= len(p) {
		return errLeanForm
	}
	form := p[f.i]
	f.i++
	switch form {
	case prevNone:
	case prevHash:
		if len(p)-f.i < 32 {
			return errLeanForm
		}
		ev.Prev = hex.EncodeToString(p[f.i : f.i+32])
		f.i += 32
	case prevText:
		ev.Prev = string(f.bytes())
	default:
		return errLeanForm
	}
	n := f.uvarint()
	if f.i < 0 || n > uint64(len(p)) {
		return errLeanForm
	}
	if n > 0 {
		ev.Changes = make([]model.FieldChange, n)
	}
	for i := range ev.Changes {
		c := &ev.Changes[i]
		c.Field = f.name()
		c.Label = f.name()
		c.BeforeJSON = f.rawJSON()
		c.AfterJSON = f.rawJSON()
		c.Before = f.text(c.BeforeJSON)
		c.After = f.text(c.AfterJSON)
	}
	if f.i != len(p) {
		return errLeanForm
	}
	return nil
}

// leanEventTime reads the time of a lean event without the rest.
func leanEventTime(p []byte) (time.Time, bool) {
	if !isLeanEvent(p) {
		return time.Time{}, false
	}
	f := fields{p: p, i: 1}
	f.uvarint()
	t := f.time()
	return t, f.i > 0
}

// decodeLeanInto reads a lean event into v, which must be an event or the
// fields its index entries are made from (indexed, which Put and Delete
// read of any record): a lean payload read as another kind of record is
// damage.
func decodeLeanInto(p []byte, v any) error {
	switch out := v.(type) {
	case *model.AuditEvent:
		return decodeLeanEvent(p, out)
	case *indexed:
		var ev model.AuditEvent
		if err := decodeLeanEvent(p, &ev); err != nil {
			return err
		}
		*out = indexed{FindingID: ev.FindingID, At: ev.At}
		return nil
	}
	return errLeanForm
}

// describeLean gives the time and finding of a lean event in words, for
// describe; "" for what cannot be read.
func (r *records) describeLean(p []byte) (label, on string) {
	f := fields{p: p, i: 1}
	f.uvarint()
	t := f.time()
	f.name()
	f.name()
	f.uvarint()
	finding := f.uvarint()
	if f.i < 0 {
		return "", ""
	}
	return t.Local().Format("02/01/2006 15:04"), r.findingRef(strconv.FormatUint(finding, 10))
}
