package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// AuditHash is the SHA-256 (hex) of an audit event's JSON encoding, Prev
// included: what the next event holds as its Prev. The encoding of the
// event as this package defines it is hashed, not the bytes a store keeps,
// so every store chains events the same way.
func AuditHash(ev AuditEvent) string {
	raw, ok := appendAuditJSON(make([]byte, 0, 512), &ev)
	if !ok {
		// A time json cannot encode (a year past 9999): json says why.
		var err error
		if raw, err = json.Marshal(ev); err != nil {
			panic(err)
		}
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
	var c AuditChain
	for _, ev := range events {
		c.Add(ev, AuditHash(ev))
	}
	return c.Problems()
}

// AuditChain is CheckAuditChain one event at a time, so that a trail too
// large to hold can be checked as it is read: it keeps only what it needs
// of the event before. The zero value is ready to take the first event.
type AuditChain struct {
	n        int
	prev     string    // the hash of the event before
	prevAt   time.Time // and what names it in words
	prevSum  string
	problems []string
}

// Add takes the next event of the trail, in ID order, with its AuditHash
// (given, so that a caller may hash many events on other cores first; a
// wrong hash is taken as a break after this event).
func (c *AuditChain) Add(ev AuditEvent, hash string) {
	switch {
	case c.n == 0 && ev.Prev != "":
		c.problems = append(c.problems, fmt.Sprintf("%s follows an entry that is not in the register: the history's beginning has been removed", eventLabel(ev.At, ev.Summary)))
	case c.n > 0 && ev.Prev != c.prev:
		c.problems = append(c.problems, fmt.Sprintf("%s does not follow the entry before it (%s): the history has been altered or an entry removed between them", eventLabel(ev.At, ev.Summary), eventLabel(c.prevAt, c.prevSum)))
	}
	c.n++
	c.prev, c.prevAt, c.prevSum = hash, ev.At, ev.Summary
}

// Problems are the breaks found so far, in words, in trail order.
func (c *AuditChain) Problems() []string { return c.problems }

// CheckSubmissionHeads checks that each submission names a state of the
// register that is in its audit trail (events in ID order), so that "this
// return was made from this state of the register" can be shown. A
// submission recorded before the trail was chained names none.
func CheckSubmissionHeads(subs []Submission, events []AuditEvent) []string {
	h := NewSubmissionHeads(subs)
	for _, ev := range events {
		h.Add(AuditHash(ev))
	}
	return h.Problems()
}

// SubmissionHeads is CheckSubmissionHeads one event at a time: it keeps the
// states the submissions name, not every state of the trail.
type SubmissionHeads struct {
	subs []Submission
	seen map[string]bool // each head a submission names: found in the trail
}

// NewSubmissionHeads starts the check of subs against a trail.
func NewSubmissionHeads(subs []Submission) *SubmissionHeads {
	h := &SubmissionHeads{subs: subs, seen: map[string]bool{}}
	for _, s := range subs {
		h.seen[s.AuditHead] = s.AuditHead == ""
	}
	return h
}

// Add takes the AuditHash of the next event of the trail.
func (h *SubmissionHeads) Add(hash string) {
	if _, ok := h.seen[hash]; ok {
		h.seen[hash] = true
	}
}

// Problems names, in words, each submission whose state was not in the
// trail given.
func (h *SubmissionHeads) Problems() []string {
	var out []string
	for _, s := range h.subs {
		if !h.seen[s.AuditHead] {
			out = append(out, fmt.Sprintf("the record of the %s for %s sent as %s names a state of the history that is not in the register", s.Kind, s.Period, s.FileName))
		}
	}
	return out
}

// eventLabel names an event in words, by its time and summary: `history
// entry of 14/03/2026 09:12 ("Finding KEN-PEEL2122-AFI-07 added")`.
func eventLabel(at time.Time, summary string) string {
	return fmt.Sprintf("the history entry of %s (%q)", at.Local().Format("02/01/2006 15:04"), summary)
}
