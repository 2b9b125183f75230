package model

import (
	"fmt"
	"strings"
)

// The finding lifecycle, in one place. Every way a status can change (the
// finding editor, a progress update, an imported return, any future entry
// point) goes through Tx, and Tx checks each change against this table, so
// the rules cannot differ between them. The README's "Finding lifecycle"
// section says the same in words.
//
//	Awaiting allocation → Not started, In progress, Superseded, No further action
//	Not started         → Awaiting allocation, In progress, Complete (pending), Superseded, No further action
//	In progress         → Not started, Complete (pending), Closure proposed, Superseded, No further action
//	Complete (pending)  → In progress, Closure proposed, Superseded, No further action
//	Closure proposed    → In progress, Complete (pending), Closed, Superseded, No further action
//	Closed, Superseded, No further action → reopened to In progress
//
// A move back (from complete, proposed for closure or ended to an earlier
// stage) is a reopening: it needs its reason, and records the closure it
// undid, so that the register as it stood before still shows that closure.
//
// Closing is two-stage: Closed is reached only from Closure proposed, so a
// finding is closed only once its closure has been proposed, with a date and
// a rationale, and the inspectorate has agreed.
var transitions = map[Status][]Status{
	AwaitingAllocation: {NotStarted, InProgress, Superseded, NoFurtherAction},
	NotStarted:         {AwaitingAllocation, InProgress, CompletePending, Superseded, NoFurtherAction},
	InProgress:         {NotStarted, CompletePending, ClosureProposed, Superseded, NoFurtherAction},
	CompletePending:    {InProgress, ClosureProposed, Superseded, NoFurtherAction},
	ClosureProposed:    {InProgress, CompletePending, Closed, Superseded, NoFurtherAction},
	Closed:             {InProgress},
	Superseded:         {InProgress},
	NoFurtherAction:    {InProgress},
}

// NextStatuses lists the statuses a finding may move to from s, in life-cycle
// order; staying at s is always allowed and not listed.
func NextStatuses(s Status) []Status {
	var out []Status
	for _, v := range Statuses {
		for _, t := range transitions[s] {
			if t == v {
				out = append(out, v)
			}
		}
	}
	return out
}

// CanMove reports whether the lifecycle allows a finding to go from one
// status to another. Staying put is always allowed, and so is any first
// status of a new finding (from "").
func CanMove(from, to Status) bool {
	if from == to || from == "" {
		return true
	}
	for _, t := range transitions[from] {
		if t == to {
			return true
		}
	}
	return false
}

// TransitionError explains a refused status change in words, and says what
// the finding may do instead.
func TransitionError(ref string, from, to Status) error {
	msg := fmt.Sprintf("%s cannot go from %q to %q", ref, from, to)
	switch {
	case to == Closed && from != ClosureProposed:
		msg += ": closing is two-stage, so propose closure first (with the date and the rationale), then record the inspectorate's agreement"
	case from.IsFinal():
		msg += ": a finding that has ended can only be reopened, to In progress, with the reason it was reopened"
	default:
		next := NextStatuses(from)
		names := make([]string, len(next))
		for i, s := range next {
			names[i] = string(s)
		}
		msg += ": from " + string(from) + " it can go to " + strings.Join(names, ", ")
	}
	return &ValidationError{Field: "status", Label: FieldLabel("status"), Problem: msg}
}

// stage orders the statuses by how far a finding has come: open, complete,
// proposed for closure, ended.
func stage(s Status) int {
	switch {
	case s.IsFinal():
		return 3
	case s == ClosureProposed:
		return 2
	case s == CompletePending:
		return 1
	}
	return 0
}

// GoesBack reports whether a move from one status to another undoes work
// recorded as done: a finding that was complete, proposed for closure or
// ended going back to an earlier stage. Such a move is recorded as a
// reopening, with its reason and the closure it undid.
func GoesBack(from, to Status) bool {
	return from != "" && stage(from) > 0 && stage(to) < stage(from)
}

// IsOpen reports whether the force is still working on a finding with this
// status: only open findings can be overdue.
func (s Status) IsOpen() bool {
	return s == AwaitingAllocation || s == NotStarted || s == InProgress
}

// InClosure reports whether a finding is in the two-stage closure: complete
// and awaiting internal sign-off, or proposed to the inspectorate.
func (s Status) InClosure() bool { return s == CompletePending || s == ClosureProposed }

// ClosedRAG is the RAG a finding takes when it ends or enters the closure
// process: Blue (complete), or no rating where the register's settings say
// so. A closed finding never shows Red, Amber or Green.
func (s Settings) ClosedRAG() RAG {
	if s.ClosedNotRated {
		return ""
	}
	return Blue
}

// RAGFits reports whether a RAG rating agrees with a status: Blue means
// complete, so it belongs to findings in or past the closure process, and a
// finding in or past the closure process is Blue or not rated. It returns
// the contradiction in words, or "" when they agree.
func RAGFits(s Status, r RAG) string {
	switch {
	case r == "":
		return ""
	case (s.InClosure() || s.IsFinal()) && r != Blue:
		return fmt.Sprintf("%q is complete or ended, so its RAG is Blue (complete), not %s", s, r)
	case s.IsOpen() && r == Blue:
		return fmt.Sprintf("Blue means complete, but %q is still open: choose Red, Amber or Green", s)
	}
	return ""
}

// MilestoneOutcome says how a milestone stopped being open.
type MilestoneOutcome string

// The outcomes a milestone can have once it is no longer open. A milestone
// with a completion date and no outcome (as earlier versions kept them) was
// completed.
const (
	OutcomeCompleted    MilestoneOutcome = "Completed"
	OutcomeNotNeeded    MilestoneOutcome = "No longer needed"
	OutcomeCarried      MilestoneOutcome = "Carried into a successor"
	outcomeNoneSelected MilestoneOutcome = ""
)

// MilestoneOutcomes lists the outcomes in the order they are offered.
var MilestoneOutcomes = []MilestoneOutcome{OutcomeCompleted, OutcomeNotNeeded, OutcomeCarried}

// Open reports whether a milestone still has work to do.
func (m Milestone) Open() bool { return m.Completed.IsZero() }

// Result is how a closed milestone ended, "" while it is open.
func (m Milestone) Result() MilestoneOutcome {
	switch {
	case m.Open():
		return outcomeNoneSelected
	case m.Outcome == "":
		return OutcomeCompleted
	}
	return m.Outcome
}

// Reopening records that a finding went back: it had ended, or was complete
// or proposed for closure, and work began again (the inspectorate did not
// agree closure, sign-off was refused). When, why, by whom, and the closure
// it undid. Reopenings are kept for ever, as target revisions are.
type Reopening struct {
	Date   Date   `json:"date"` // the date it took effect
	From   Status `json:"from"`
	Reason string `json:"reason"`
	By     string `json:"by,omitempty"`
	// The closure it undid, so that the register as it stood before the
	// reopening still shows it.
	ProposedOn Date   `json:"proposed_on,omitempty"`
	ClosedOn   Date   `json:"closed_on,omitempty"`
	Rationale  string `json:"rationale,omitempty"`
}

// Moves lists every change of status the lifecycle allows, staying put
// excluded, in life-cycle order: the table a store that enforces the rules
// itself (a shared register's database) is given, so that its copy is made
// from this one and never written by hand.
func Moves() [][2]Status {
	var out [][2]Status
	for _, from := range Statuses {
		for _, to := range NextStatuses(from) {
			out = append(out, [2]Status{from, to})
		}
	}
	return out
}

// RatedStatuses lists every pair of status and RAG rating ("" for not
// rated) that agree (RAGFits), for the same purpose as Moves.
func RatedStatuses() [][2]string {
	var out [][2]string
	for _, s := range Statuses {
		for _, r := range append([]RAG{""}, RAGs...) {
			if RAGFits(s, r) == "" {
				out = append(out, [2]string{string(s), string(r)})
			}
		}
	}
	return out
}
