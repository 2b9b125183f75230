package model

import (
	"fmt"
	"strings"
)

// FindingType is what kind of finding the inspectorate made.
type FindingType string

// The finding types of a PEEL or thematic report.
const (
	AFI                FindingType = "AFI"
	CauseOfConcern     FindingType = "Cause of concern"
	Recommendation     FindingType = "Recommendation"
	InnovativePractice FindingType = "Innovative practice"
)

// FindingTypes lists the types in the order forms and reports show them.
var FindingTypes = []FindingType{AFI, CauseOfConcern, Recommendation, InnovativePractice}

// Code is the short form used in local references: KEN-PEEL2122-AFI-07.
func (t FindingType) Code() string {
	switch t {
	case AFI:
		return "AFI"
	case CauseOfConcern:
		return "COC"
	case Recommendation:
		return "REC"
	case InnovativePractice:
		return "IP"
	}
	return "X"
}

// Tracked reports whether findings of this type are tracked to closure.
// Innovative practice is recorded but never owes the inspectorate anything.
func (t FindingType) Tracked() bool { return t != InnovativePractice }

// Status is where a finding stands in its life. It is kept apart from RAG:
// a finding can be in progress and on track, or in progress and off track.
type Status string

// The statuses of domain.md. Closing is two-stage: complete internally, then
// closure proposed, then closed once the inspectorate agrees.
const (
	AwaitingAllocation Status = "Awaiting allocation"
	NotStarted         Status = "Not started"
	InProgress         Status = "In progress"
	CompletePending    Status = "Complete – pending internal sign-off"
	ClosureProposed    Status = "Closure proposed to the inspectorate"
	Closed             Status = "Closed (inspectorate agreed)"
	Superseded         Status = "Superseded / carried forward"
	NoFurtherAction    Status = "No further action"
)

// Statuses lists every status in life-cycle order.
var Statuses = []Status{AwaitingAllocation, NotStarted, InProgress, CompletePending,
	ClosureProposed, Closed, Superseded, NoFurtherAction}

// StatusMeanings explains each status in the words of the key sheet.
var StatusMeanings = map[Status]string{
	AwaitingAllocation: "Recorded, but no chief officer or delivery lead has been allocated yet.",
	NotStarted:         "Leads allocated; work has not yet begun.",
	InProgress:         "Work is under way against the action plan.",
	CompletePending:    "The force believes the work is done; awaiting internal sign-off by the chief officer lead or governance board.",
	ClosureProposed:    "Signed off internally and proposed to the inspectorate for closure, with a rationale and evidence.",
	Closed:             "The inspectorate has agreed the finding can be closed.",
	Superseded:         "Replaced by, or carried forward into, a newer finding (see the link).",
	NoFurtherAction:    "The force will take no further action, with a recorded rationale.",
}

// IsFinal reports whether the status ends the force's work on the finding, so
// it can no longer be overdue.
func (s Status) IsFinal() bool {
	return s == Closed || s == Superseded || s == NoFurtherAction
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// ParseStatus matches a status written by a person or a spreadsheet. It
// forgives case, spacing and a plain hyphen for the en dash, because Excel
// users type those.
func ParseStatus(s string) (Status, error) {
	norm := normalise(s)
	for _, v := range Statuses {
		if normalise(string(v)) == norm {
			return v, nil
		}
	}
	// Common short forms.
	switch norm {
	case "closed":
		return Closed, nil
	case "complete", "completed":
		return CompletePending, nil
	case "closure proposed":
		return ClosureProposed, nil
	case "superseded", "carried forward":
		return Superseded, nil
	case "nfa":
		return NoFurtherAction, nil
	}
	return "", fmt.Errorf("%q is not a status; use one of: %s", s, joinStatuses())
}

func joinStatuses() string {
	parts := make([]string, len(Statuses))
	for i, s := range Statuses {
		parts[i] = string(s)
	}
	return strings.Join(parts, "; ")
}

// RAG is the red/amber/green (and blue) judgement of whether a finding is on
// track.
type RAG string

// RAG ratings as domain.md defines them. The empty RAG means not yet rated.
const (
	Green RAG = "Green"
	Amber RAG = "Amber"
	Red   RAG = "Red"
	Blue  RAG = "Blue"
)

// RAGs lists the ratings in the order the key shows them.
var RAGs = []RAG{Red, Amber, Green, Blue}

// RAGMeanings explains each rating.
var RAGMeanings = map[RAG]string{
	Green: "On track to meet the current target date.",
	Amber: "At risk: the target date may be missed without action.",
	Red:   "Overdue or off track.",
	Blue:  "Complete.",
}

// Valid reports whether r is a rating; the empty rating is valid (not rated).
func (r RAG) Valid() bool {
	return r == "" || r == Green || r == Amber || r == Red || r == Blue
}

// ParseRAG matches a rating written by a person ("red", "R", "Amber").
func ParseRAG(s string) (RAG, error) {
	switch normalise(s) {
	case "":
		return "", nil
	case "green", "g":
		return Green, nil
	case "amber", "a":
		return Amber, nil
	case "red", "r":
		return Red, nil
	case "blue", "b":
		return Blue, nil
	}
	return "", fmt.Errorf("%q is not a RAG rating; use Red, Amber, Green or Blue", s)
}

// Grade is the inspectorate's judgement of an area of policing. PEEL uses
// five tiers since 2021/22; some areas are not graded.
type Grade string

// The grades, best first.
const (
	Outstanding         Grade = "Outstanding"
	Good                Grade = "Good"
	Adequate            Grade = "Adequate"
	RequiresImprovement Grade = "Requires improvement"
	Inadequate          Grade = "Inadequate"
	Ungraded            Grade = "Not graded"
)

// Grades lists the grades in order.
var Grades = []Grade{Outstanding, Good, Adequate, RequiresImprovement, Inadequate, Ungraded}

// ParseGrade matches a grade in any case.
func ParseGrade(s string) (Grade, error) {
	n := normalise(s)
	if n == "" {
		return "", nil
	}
	for _, g := range Grades {
		if normalise(string(g)) == n {
			return g, nil
		}
	}
	if n == "ungraded" {
		return Ungraded, nil
	}
	return "", fmt.Errorf("%q is not a grade; use Outstanding, Good, Adequate, Requires improvement, Inadequate or Not graded", s)
}

// InspectionType is the kind of inspection a report came from.
type InspectionType string

// The inspection types of domain.md.
const (
	PEEL            InspectionType = "PEEL"
	Thematic        InspectionType = "Thematic"
	Joint           InspectionType = "Joint"
	ChildProtection InspectionType = "Child protection"
	OtherInspection InspectionType = "Other"
)

// InspectionTypes lists the types in order.
var InspectionTypes = []InspectionType{PEEL, Thematic, Joint, ChildProtection, OtherInspection}

// Classification is a Government Security Classification. Only OFFICIAL
// (with or without the SENSITIVE caveat) is handled on a laptop register;
// SECRET material never belongs in it.
type Classification string

// The classifications a register may carry.
const (
	Official          Classification = "OFFICIAL"
	OfficialSensitive Classification = "OFFICIAL-SENSITIVE"
)

// Classifications lists the choices offered.
var Classifications = []Classification{Official, OfficialSensitive}

// Marking is a protective marking: a classification and an optional
// descriptor such as PERSONAL or COMMERCIAL.
type Marking struct {
	Classification Classification `json:"classification"`
	Descriptor     string         `json:"descriptor,omitempty"`
}

// String writes the marking in capitals, as it appears at the top and bottom
// of every page: "OFFICIAL-SENSITIVE PERSONAL".
func (m Marking) String() string {
	c := m.Classification
	if c == "" {
		c = Official
	}
	s := string(c)
	if d := strings.TrimSpace(m.Descriptor); d != "" {
		s += " " + strings.ToUpper(d)
	}
	return s
}

// ParseMarking reads a marking such as "OFFICIAL-SENSITIVE PERSONAL". Old
// markings (RESTRICTED, NOT PROTECTIVELY MARKED) and higher classifications
// are refused with the reason.
func ParseMarking(s string) (Marking, error) {
	up := strings.ToUpper(strings.Join(strings.Fields(s), " "))
	switch {
	case up == "":
		return Marking{Classification: Official}, nil
	case strings.HasPrefix(up, "OFFICIAL-SENSITIVE") || strings.HasPrefix(up, "OFFICIAL SENSITIVE"):
		return Marking{Classification: OfficialSensitive, Descriptor: strings.TrimSpace(up[len("OFFICIAL-SENSITIVE"):])}, nil
	case strings.HasPrefix(up, "OFFICIAL"):
		return Marking{Classification: Official, Descriptor: strings.TrimSpace(up[len("OFFICIAL"):])}, nil
	case strings.HasPrefix(up, "RESTRICTED"), strings.HasPrefix(up, "NOT PROTECTIVELY MARKED"), strings.HasPrefix(up, "PROTECT"):
		return Marking{}, fmt.Errorf("%q is an old marking that is no longer used; choose OFFICIAL or OFFICIAL-SENSITIVE", s)
	case strings.HasPrefix(up, "SECRET"), strings.HasPrefix(up, "TOP SECRET"):
		return Marking{}, fmt.Errorf("%q material must not be held in this register; it handles OFFICIAL and OFFICIAL-SENSITIVE only", s)
	}
	return Marking{}, fmt.Errorf("%q is not a protective marking; choose OFFICIAL or OFFICIAL-SENSITIVE", s)
}

// normalise folds case, spacing and dashes so that what a person typed in a
// spreadsheet matches the canonical word.
func normalise(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.NewReplacer("–", " ", "—", " ", "-", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
