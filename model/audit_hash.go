package model

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
)

// appendAuditJSON appends ev as json.Marshal encodes it, byte for byte,
// without reflection: the check of a register hashes every event of its
// trail, and reflection was most of that time. Only what json.Marshal
// writes as it is is written here (numbers, base64, times, and strings of
// printable ASCII that need no escaping); any other string is encoded by
// json.Marshal itself, so the escaping rules are json's own.
// TestAuditJSONIsJSONs holds it to json.Marshal.
func appendAuditJSON(b []byte, ev *AuditEvent) ([]byte, bool) {
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, uint64(ev.ID), 10)
	at, err := ev.At.MarshalJSON()
	if err != nil {
		return b, false
	}
	b = append(b, `,"at":`...)
	b = append(b, at...)
	b = appendField(b, "who", ev.Who)
	b = appendField(b, "action", string(ev.Action))
	b = appendField(b, "entity", string(ev.Entity))
	b = append(b, `,"entity_id":`...)
	b = strconv.AppendUint(b, uint64(ev.EntityID), 10)
	if ev.FindingID != 0 {
		b = append(b, `,"finding_id":`...)
		b = strconv.AppendUint(b, uint64(ev.FindingID), 10)
	}
	b = appendField(b, "summary", ev.Summary)
	if len(ev.Changes) > 0 {
		b = append(b, `,"changes":[`...)
		for i := range ev.Changes {
			c := &ev.Changes[i]
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '{')
			b = appendJSONString(append(b, `"field":`...), c.Field)
			b = appendField(b, "label", c.Label)
			b = appendField(b, "before", c.Before)
			b = appendField(b, "after", c.After)
			b = appendBase64(b, "before_json", c.BeforeJSON)
			b = appendBase64(b, "after_json", c.AfterJSON)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if ev.Note != "" {
		b = appendField(b, "note", ev.Note)
	}
	if ev.Prev != "" {
		b = appendField(b, "prev", ev.Prev)
	}
	return append(b, '}'), true
}

// appendField appends `,"name":"value"`.
func appendField(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendJSONString(b, value)
}

// appendBase64 appends `,"name":"…"` with data in standard base64, as json
// encodes a []byte; nothing when data is empty (the fields are omitempty).
func appendBase64(b []byte, name string, data []byte) []byte {
	if len(data) == 0 {
		return b
	}
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':', '"')
	b = base64.StdEncoding.AppendEncode(b, data)
	return append(b, '"')
}

// appendJSONString appends s as a JSON string: as json.Marshal writes it
// when every byte is printable ASCII (a quote or backslash escaped with a
// backslash, as json does), else by json.Marshal itself. It reads s once,
// a byte's class from a table, as the check hashes every string of the
// trail.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	mark := len(b) - 1
	start := 0
	for i := 0; i < len(s); i++ {
		switch jsonClass[s[i]] {
		case jsonPlain:
			continue
		case jsonEscaped:
			b = append(b, s[start:i]...)
			b = append(b, '\\', s[i])
			start = i + 1
		default:
			raw, err := json.Marshal(s)
			if err != nil {
				// A string always encodes.
				panic(err)
			}
			return append(b[:mark], raw...)
		}
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// The classes of a byte in a string appendJSONString writes.
const (
	jsonPlain   = iota // written as it is
	jsonEscaped        // a quote or backslash, written after a backslash
	jsonOther          // anything else: the string is json.Marshal's
)

// jsonClass is each byte's class: printable ASCII is plain but for the
// quote and backslash, and for <, > and &, which json escapes as HTML.
var jsonClass = func() (t [256]uint8) {
	for c := range t {
		switch {
		case c < 0x20 || c >= 0x7f || c == '<' || c == '>' || c == '&':
			t[c] = jsonOther
		case c == '"' || c == '\\':
			t[c] = jsonEscaped
		}
	}
	return t
}()
