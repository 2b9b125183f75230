package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
)

// AuditHash is the SHA-256 (hex) of an audit event's JSON encoding, Prev
// included: what the next event holds as its Prev. The encoding of the
// event as this package defines it is hashed, not the bytes a store keeps,
// so every store chains events the same way.
func AuditHash(ev AuditEvent) string {
	raw, err := json.Marshal(ev)
	if err != nil {
		// AuditEvent has no type json cannot encode.
		panic(err)
	}
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// CheckAuditChain verifies the audit trail as a chain: events is the whole
// trail in ID order (Audit(0)). The first event holds no hash; each later
// one holds the hash of the one before it. It returns the breaks in words,
// each naming the event where the chain breaks: there an event was
// altered, removed or slipped in.
func CheckAuditChain(events []AuditEvent) []string {
	var out []string
	prev := ""
	for i, ev := range events {
		switch {
		case i == 0 && ev.Prev != "":
			out = append(out, fmt.Sprintf("%s follows an entry that is not in the register: the history's beginning has been removed", eventLabel(ev)))
		case i > 0 && ev.Prev != prev:
			out = append(out, fmt.Sprintf("%s does not follow the entry before it (%s): the history has been altered or an entry removed between them", eventLabel(ev), eventLabel(events[i-1])))
		}
		prev = AuditHash(ev)
	}
	return out
}

// CheckSubmissionHeads checks that each submission names a state of the
// register that is in its audit trail (events in ID order), so that "this
// return was made from this state of the register" can be shown. A
// submission recorded before the trail was chained names none.
func CheckSubmissionHeads(subs []Submission, events []AuditEvent) []string {
	heads := map[string]bool{"": true}
	for _, ev := range events {
		heads[AuditHash(ev)] = true
	}
	var out []string
	for _, s := range subs {
		if !heads[s.AuditHead] {
			out = append(out, fmt.Sprintf("the record of the %s for %s sent as %s names a state of the history that is not in the register", s.Kind, s.Period, s.FileName))
		}
	}
	return out
}

// eventLabel names an event in words: `history entry of 14/03/2026 09:12
// ("Finding KEN-PEEL2122-AFI-07 added")`.
func eventLabel(ev AuditEvent) string {
	return fmt.Sprintf("the history entry of %s (%q)", ev.At.Local().Format("02/01/2006 15:04"), ev.Summary)
}
