package model

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// ReportEventKind is what happened in a report's life after publication.
type ReportEventKind string

// The events of a report's life. The PCC's published response stops the
// 56-day clock; the inspectorate's letters agree or decline closure of
// findings, or report what a revisit found.
const (
	EventPCCResponse     ReportEventKind = "PCC response published"
	EventActionPlan      ReportEventKind = "Force action plan"
	EventRevisit         ReportEventKind = "Revisit"
	EventClosureAgreed   ReportEventKind = "Letter: closure agreed"
	EventClosureDeclined ReportEventKind = "Letter: closure declined"
	EventRevisitFindings ReportEventKind = "Letter: revisit findings"
	EventOtherLetter     ReportEventKind = "Other letter from the inspectorate"
)

// ReportEventKinds lists the kinds in the order forms offer them.
var ReportEventKinds = []ReportEventKind{EventPCCResponse, EventActionPlan, EventRevisit,
	EventClosureAgreed, EventClosureDeclined, EventRevisitFindings, EventOtherLetter}

// ParseReportEventKind matches a kind by its words or a short form used on
// the command line ("pcc-response", "closure-agreed").
func ParseReportEventKind(s string) (ReportEventKind, error) {
	n := normalise(s)
	for _, k := range ReportEventKinds {
		if normalise(string(k)) == n {
			return k, nil
		}
	}
	short := map[string]ReportEventKind{
		"pcc response": EventPCCResponse, "pcc": EventPCCResponse, "action plan": EventActionPlan,
		"revisit": EventRevisit, "closure agreed": EventClosureAgreed, "closure declined": EventClosureDeclined,
		"revisit findings": EventRevisitFindings, "letter": EventOtherLetter, "other letter": EventOtherLetter,
	}
	if k, ok := short[n]; ok {
		return k, nil
	}
	return "", fmt.Errorf("%q is not an event of a report's life; use pcc-response, action-plan, revisit, closure-agreed, closure-declined, revisit-findings or letter", s)
}

// ClosureLetter reports whether a letter of this kind speaks for the
// closure of findings, so that it can be linked to their closure stage.
func (k ReportEventKind) ClosureLetter() bool {
	return k == EventClosureAgreed || k == EventClosureDeclined
}

// ReportEvent is one dated event in a report's life: the PCC's response,
// the force's action plan, a revisit, or a letter from the inspectorate.
// Events are kept on the report record itself (Report.Life), so every store
// carries them as it carries the report.
type ReportEvent struct {
	Kind ReportEventKind `json:"kind"`
	// Date is when it happened: the response published, the letter dated,
	// the revisit held.
	Date    Date   `json:"date"`
	Summary string `json:"summary,omitempty"`
	// Link is where the document is: a web address (the PCC publishes the
	// response) or a location on force systems.
	Link string `json:"link,omitempty"`
	// FileName and SHA256 name a document chosen when the event was
	// recorded, so that a copy found later can be checked against it. A
	// letter about findings is also attached to each of them as evidence.
	FileName string `json:"file_name,omitempty"`
	SHA256   string `json:"sha256,omitempty"`
	// Findings are the local references a letter speaks for.
	Findings []string  `json:"findings,omitempty"`
	Recorded time.Time `json:"recorded,omitempty"`
	By       string    `json:"by,omitempty"`
}

// Describe is the event in one line for the history and the trail:
// "PCC response published 03/11/2022: https://…".
func (e ReportEvent) Describe() string {
	s := string(e.Kind) + " " + e.Date.String()
	if len(e.Findings) > 0 {
		s += " (" + strings.Join(e.Findings, ", ") + ")"
	}
	var more []string
	if t := strings.TrimSpace(e.Summary); t != "" {
		more = append(more, t)
	}
	if e.Link != "" {
		more = append(more, e.Link)
	}
	if e.FileName != "" {
		more = append(more, e.FileName)
	}
	if len(more) > 0 {
		s += ": " + strings.Join(more, " · ")
	}
	return s
}

// Validate checks an event before it joins a report's life.
func (e ReportEvent) Validate() error {
	var c checker
	if !slices.Contains(ReportEventKinds, e.Kind) {
		c.add("kind", fmt.Sprintf("%q is not an event of a report's life", e.Kind))
	}
	if e.Date.IsZero() {
		c.add("date", "give the date it happened")
	}
	c.length("summary", e.Summary, MaxLongText)
	c.length("link", e.Link, MaxShortText)
	if e.Kind.ClosureLetter() && len(e.Findings) == 0 {
		c.add("findings", "say which findings the letter agrees or declines closure of")
	}
	c.controls(e)
	return c.err()
}

// PCCResponse returns the PCC's published response recorded on or before
// asAt (the first, if several were recorded); ok is false when none is.
// A zero asAt means any date.
func (r Report) PCCResponse(asAt Date) (ReportEvent, bool) {
	for _, e := range r.Life {
		if e.Kind == EventPCCResponse && (asAt.IsZero() || !e.Date.After(asAt)) {
			return e, true
		}
	}
	return ReportEvent{}, false
}

// PCCResponseOwed reports whether the PCC's response is still owed on
// today: the report is published and no response is recorded by then.
func (r Report) PCCResponseOwed(today Date) bool {
	if r.Published.IsZero() || r.Published.After(today) {
		return false
	}
	_, done := r.PCCResponse(today)
	return !done
}

// LifeInOrder is the report's life oldest first (by date, then as
// recorded).
func (r Report) LifeInOrder() []ReportEvent {
	out := slices.Clone(r.Life)
	slices.SortStableFunc(out, func(a, b ReportEvent) int { return a.Date.Compare(b.Date) })
	return out
}

// AddLifeEvent adds an event to the report's life, checking it and filling
// in when and by whom it was recorded. Earlier events are kept as they were.
func (r *Report) AddLifeEvent(e ReportEvent, by string, at time.Time) error {
	e.Summary = strings.TrimSpace(e.Summary)
	e.Link = strings.TrimSpace(e.Link)
	if err := e.Validate(); err != nil {
		return err
	}
	if !r.Published.IsZero() && e.Date.Before(r.Published) {
		return invalid("date", fmt.Sprintf("%s is before the report was published (%s)", e.Date, r.Published))
	}
	if e.Kind == EventPCCResponse {
		if prev, ok := r.PCCResponse(Date{}); ok {
			return invalid("kind", fmt.Sprintf("the PCC's response was already recorded as published on %s", prev.Date))
		}
	}
	if e.Recorded.IsZero() {
		e.Recorded = at
	}
	if e.By == "" {
		e.By = by
	}
	r.Life = append(r.Life, e)
	return nil
}

// lifeAsAt is the part of a report's life dated on or before asAt. A
// snapshot goes by the events' own dates, not by when they were typed in:
// a PCC response published in 2022 and recorded today was published as at
// any date since, as a revision agreed earlier and typed in late took
// effect when agreed.
func lifeAsAt(life []ReportEvent, asAt Date) []ReportEvent {
	var out []ReportEvent
	for _, e := range life {
		if !e.Date.After(asAt) {
			out = append(out, e)
		}
	}
	return out
}
