package model

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// chain makes n events, each holding the hash of the one before.
func chain(n int) []AuditEvent {
	var out []AuditEvent
	prev := ""
	at := time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)
	for i := range n {
		ev := AuditEvent{ID: ID(i + 1), At: at.Add(time.Duration(i) * time.Minute), Summary: fmt.Sprintf("Entry %d", i+1), Prev: prev}
		prev = AuditHash(ev)
		out = append(out, ev)
	}
	return out
}

// The chain check breaks where an entry was altered, removed or slipped in
// and where the beginning is gone, and the check one entry at a time says
// the same as the check of the whole trail.
func TestAuditChainFindsBreaks(t *testing.T) {
	events := chain(6)
	altered := slices.Clone(events)
	altered[2].Who = "Someone Else"
	removed := append(slices.Clone(events[:3]), events[4:]...)
	slipped := append(slices.Clone(events[:3]), append([]AuditEvent{{ID: 99, Summary: "Slipped in", Prev: AuditHash(events[2])}}, events[3:]...)...)
	label := func(ev AuditEvent) string { return eventLabel(ev.At, ev.Summary) }
	for _, c := range []struct {
		name   string
		events []AuditEvent
		want   []string
	}{
		{"whole", events, nil},
		{"altered", altered, []string{label(events[3]) + " does not follow the entry before it (" + label(altered[2]) + "): the history has been altered or an entry removed between them"}},
		{"removed", removed, []string{label(events[4]) + " does not follow the entry before it (" + label(events[2]) + "): the history has been altered or an entry removed between them"}},
		{"slipped in", slipped, []string{label(events[3]) + " does not follow the entry before it (" + label(slipped[3]) + "): the history has been altered or an entry removed between them"}},
		{"beginning removed", events[2:], []string{label(events[2]) + " follows an entry that is not in the register: the history's beginning has been removed"}},
	} {
		got := CheckAuditChain(c.events)
		var one AuditChain
		for _, ev := range c.events {
			one.Add(ev, AuditHash(ev))
		}
		if !slices.Equal(got, c.want) || !slices.Equal(one.Problems(), got) {
			t.Errorf("%s: got %q, one at a time %q; want %q", c.name, got, one.Problems(), c.want)
		}
	}
}

// A submission naming a state the trail went through, or none, is sound;
// one naming any other state is named.
func TestSubmissionHeadsOneAtATime(t *testing.T) {
	events := chain(4)
	subs := []Submission{
		{Kind: SubmissionReturn, FileName: "a.xlsx", AuditHead: AuditHash(events[1])},
		{Kind: SubmissionReturn, FileName: "b.xlsx"},
		{Kind: SubmissionReturn, FileName: "c.xlsx", AuditHead: "not a state"},
	}
	got := CheckSubmissionHeads(subs, events)
	h := NewSubmissionHeads(subs)
	for _, ev := range events {
		h.Add(AuditHash(ev))
	}
	if len(got) != 1 || !slices.Equal(h.Problems(), got) || got[0] != fmt.Sprintf("the record of the %s for %s sent as c.xlsx names a state of the history that is not in the register", subs[2].Kind, subs[2].Period) {
		t.Errorf("got %q, one at a time %q", got, h.Problems())
	}
}
