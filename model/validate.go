package model

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// Field length limits. They keep one pasted document from swamping the
// register, and keep every value within Excel's 32,767-character cell limit
// apart from the verbatim text and narratives, which exports cut with a
// visible marker.
const (
	MaxShortText = 500     // titles, names, references
	MaxLongText  = 100_000 // verbatim wording, interpretation, narratives
)

// ValidationError says which field is wrong and why, in words for the person
// who typed it.
type ValidationError struct {
	Field   string // the JSON field name, so a form can put the message beside the field
	Label   string // the field as a person knows it
	Problem string
}

func (e *ValidationError) Error() string {
	return UpperFirst(e.Label) + ": " + e.Problem
}

// ValidationErrors is every problem found with one record.
type ValidationErrors []*ValidationError

func (v ValidationErrors) Error() string {
	parts := make([]string, len(v))
	for i, e := range v {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// For returns the problem with the named field, or "".
func (v ValidationErrors) For(field string) string {
	for _, e := range v {
		if e.Field == field {
			return e.Problem
		}
	}
	return ""
}

// AsValidation returns the validation errors within err, if any.
func AsValidation(err error) ValidationErrors {
	var many ValidationErrors
	if errors.As(err, &many) {
		return many
	}
	var one *ValidationError
	if errors.As(err, &one) {
		return ValidationErrors{one}
	}
	return nil
}

type checker struct{ errs ValidationErrors }

func (c *checker) add(field, problem string) {
	c.errs = append(c.errs, &ValidationError{Field: field, Label: FieldLabel(field), Problem: problem})
}

func (c *checker) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		c.add(field, "is required")
	}
}

func (c *checker) length(field, value string, max int) {
	if n := utf8.RuneCountInString(value); n > max {
		c.add(field, fmt.Sprintf("is %d characters long; the limit is %d. Keep the full document on force systems and add it as evidence instead", n, max))
	}
	if !utf8.ValidString(value) {
		c.add(field, "contains characters that are not valid text")
	}
}

// controls refuses C0 control characters other than tab, carriage return
// and line feed in every text of rec, nested ones included (a revision's
// reason, a reopening's), naming the top-level field they are in. They
// are invisible, come in with text pasted from PDFs and old systems, and
// PostgreSQL cannot store NUL at all: a register must take the same text
// whichever store holds it.
func (c *checker) controls(rec any) {
	v := reflect.ValueOf(rec)
	t := v.Type()
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		if r, ok := controlIn(v.Field(i)); ok {
			c.add(name, ControlCharProblem(r))
		}
	}
}

// ControlCharProblem is the problem of a text holding the control
// character r, in words for the person who typed or pasted it.
func ControlCharProblem(r rune) string {
	return fmt.Sprintf("contains a control character (U+%04X), which cannot be stored; remove it and save again", r)
}

// ControlChar returns the first C0 control character of s other than tab,
// carriage return and line feed.
func ControlChar(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\r' && r != '\n' {
			return r, true
		}
	}
	return 0, false
}

// controlIn looks for a control character in the texts of v, however
// deeply held in structs, slices and maps. Unexported fields (a time's
// insides) hold no text of the register's.
func controlIn(v reflect.Value) (rune, bool) {
	switch v.Kind() {
	case reflect.String:
		return ControlChar(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return controlIn(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if r, ok := controlIn(v.Field(i)); ok {
					return r, true
				}
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return 0, false // bytes, not text
		}
		for i := range v.Len() {
			if r, ok := controlIn(v.Index(i)); ok {
				return r, true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if r, ok := controlIn(it.Key()); ok {
				return r, true
			}
			if r, ok := controlIn(it.Value()); ok {
				return r, true
			}
		}
	}
	return 0, false
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return c.errs
}

// Validate checks a report.
func (r Report) Validate() error {
	var c checker
	c.required("title", r.Title)
	c.length("title", r.Title, MaxShortText)
	c.length("notes", r.Notes, MaxLongText)
	if r.Type == "" {
		c.add("type", "is required")
	}
	for i, e := range r.Life {
		if err := e.Validate(); err != nil {
			c.add("life", fmt.Sprintf("event %d (%s %s): %v", i+1, e.Kind, e.Date, err))
		}
	}
	c.controls(r)
	return c.err()
}

// Validate checks a person.
func (p Person) Validate() error {
	var c checker
	if strings.TrimSpace(p.Name) == "" && strings.TrimSpace(p.Role) == "" {
		c.add("name", "give a name or at least a role")
	}
	for _, f := range []struct{ field, v string }{{"name", p.Name}, {"role", p.Role}, {"department", p.Department}, {"email", p.Email}} {
		c.length(f.field, f.v, MaxShortText)
	}
	if e := strings.TrimSpace(p.Email); e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " ,;")) {
		c.add("email", fmt.Sprintf("%q is not an email address", e))
	}
	c.controls(p)
	return c.err()
}

// Validate checks a finding, including the two-stage closure rules:
// proposing closure or taking no further action needs a rationale, closure
// needs the date the inspectorate agreed, and superseding needs the finding
// that supersedes.
func (f Finding) Validate() error {
	var c checker
	if f.ReportID == 0 {
		c.add("report_id", "choose the report the finding comes from")
	}
	switch f.Type {
	case AFI, CauseOfConcern, Recommendation, InnovativePractice:
	case "":
		c.add("type", "is required")
	default:
		c.add("type", fmt.Sprintf("%q is not a finding type", f.Type))
	}
	if f.ParentID != 0 && f.Type != Recommendation {
		c.add("parent_id", "only a recommendation can sit under a cause of concern")
	}
	if f.ParentID != 0 && f.ParentID == f.ID {
		c.add("parent_id", "a finding cannot be its own parent")
	}
	if strings.TrimSpace(f.Title) == "" && strings.TrimSpace(f.Verbatim) == "" {
		c.add("title", "give a title or the inspectorate's wording")
	}
	if strings.TrimSpace(f.Verbatim) == "" && !f.WordingMissing {
		c.add("verbatim", "is required; if the wording cannot be found, mark it as missing rather than leave it blank")
	}
	c.length("title", f.Title, MaxShortText)
	c.length("ref", f.Ref, MaxShortText)
	c.length("inspectorate_ref", f.InspectorateRef, MaxShortText)
	c.length("area", f.Area, MaxShortText)
	c.length("governance_board", f.GovernanceBoard, MaxShortText)
	c.length("verbatim", f.Verbatim, MaxLongText)
	c.length("interpretation", f.Interpretation, MaxLongText)
	c.length("closure_rationale", f.ClosureRationale, MaxLongText)
	c.length("inspectorate_position", f.InspectoratePosition, MaxLongText)
	if f.Grade != "" {
		if _, err := ParseGrade(string(f.Grade)); err != nil {
			c.add("grade", err.Error())
		}
	}
	if !f.Status.Valid() {
		c.add("status", fmt.Sprintf("%q is not a status", f.Status))
	}
	if !f.RAG.Valid() {
		c.add("rag", fmt.Sprintf("%q is not a RAG rating", f.RAG))
	}
	if f.Marking.Classification != "" && f.Marking.Classification != Official && f.Marking.Classification != OfficialSensitive {
		c.add("marking", "choose OFFICIAL or OFFICIAL-SENSITIVE")
	}
	if !f.OriginalTarget.IsZero() && f.CurrentTarget.IsZero() {
		c.add("current_target", "is required once an original target is set")
	}
	switch f.Status {
	case ClosureProposed:
		if strings.TrimSpace(f.ClosureRationale) == "" {
			c.add("closure_rationale", "proposing closure needs a rationale: say what was done and what evidence shows it")
		}
	case Closed:
		if f.ClosedDate.IsZero() {
			c.add("closed_date", "give the date the inspectorate agreed closure")
		}
		// Two-stage closure: what was proposed, and when, stays on record.
		if f.ClosureProposedDate.IsZero() {
			c.add("closure_proposed_date", "a closed finding needs the date its closure was proposed to the inspectorate")
		} else if f.ClosedDate.Before(f.ClosureProposedDate) {
			c.add("closed_date", fmt.Sprintf("the inspectorate cannot agree closure (%s) before it was proposed (%s)", f.ClosedDate, f.ClosureProposedDate))
		}
		if strings.TrimSpace(f.ClosureRationale) == "" {
			c.add("closure_rationale", "a closed finding needs the rationale its closure was proposed with")
		}
	case Superseded:
		if f.SupersededBy == 0 {
			c.add("superseded_by", "choose the finding that supersedes or carries this one forward")
		} else if f.SupersededBy == f.ID {
			c.add("superseded_by", "a finding cannot supersede itself")
		}
	case NoFurtherAction:
		if strings.TrimSpace(f.ClosureRationale) == "" {
			c.add("closure_rationale", "no further action needs a rationale")
		}
	}
	for i, r := range f.TargetRevisions {
		if err := r.validate(); err != "" {
			c.add("target_revisions", fmt.Sprintf("revision %d: %s", i+1, err))
		}
	}
	c.controls(f)
	return c.err()
}

func (r Revision) validate() string {
	switch {
	case r.To.IsZero():
		return "the new date is missing"
	case strings.TrimSpace(r.Reason) == "":
		return "give the reason the date moved"
	case strings.TrimSpace(r.AgreedBy) == "":
		return "say who agreed the new date"
	case utf8.RuneCountInString(r.Reason) > MaxLongText:
		return "the reason is too long"
	}
	return ""
}

// Validate checks a milestone.
func (m Milestone) Validate() error {
	var c checker
	if m.FindingID == 0 {
		c.add("finding_id", "a milestone belongs to a finding")
	}
	c.required("title", m.Title)
	c.length("title", m.Title, MaxShortText)
	c.length("notes", m.Notes, MaxLongText)
	if !m.OriginalDue.IsZero() && m.CurrentDue.IsZero() {
		c.add("current_due", "is required once an original due date is set")
	}
	switch m.Outcome {
	case "", OutcomeCompleted, OutcomeNotNeeded:
	case OutcomeCarried:
		if m.CarriedTo == 0 {
			c.add("carried_to", "choose the finding the work is carried into")
		} else if m.CarriedTo == m.FindingID {
			c.add("carried_to", "the work cannot be carried into the milestone's own finding")
		}
	default:
		c.add("outcome", fmt.Sprintf("%q is not a milestone outcome", m.Outcome))
	}
	if m.Outcome != "" && m.Completed.IsZero() {
		c.add("completed", "give the date the milestone ended")
	}
	if m.Outcome != OutcomeCarried && m.CarriedTo != 0 {
		c.add("carried_to", "only a milestone carried into a successor names one")
	}
	for i, r := range m.Revisions {
		if err := r.validate(); err != "" {
			c.add("revisions", fmt.Sprintf("revision %d: %s", i+1, err))
		}
	}
	c.controls(m)
	return c.err()
}

// Validate checks an update.
func (u Update) Validate() error {
	var c checker
	if u.FindingID == 0 {
		c.add("finding_id", "an update belongs to a finding")
	}
	if u.Date.IsZero() {
		c.add("date", "is required")
	}
	c.required("narrative", u.Narrative)
	c.length("narrative", u.Narrative, MaxLongText)
	c.required("author", u.Author)
	c.length("author", u.Author, MaxShortText)
	if !u.Status.Valid() {
		c.add("status", fmt.Sprintf("%q is not a status", u.Status))
	}
	if !u.RAG.Valid() {
		c.add("rag", fmt.Sprintf("%q is not a RAG rating", u.RAG))
	}
	c.controls(u)
	return c.err()
}

// Validate checks evidence details.
func (e Evidence) Validate() error {
	var c checker
	if e.FindingID == 0 {
		c.add("finding_id", "evidence belongs to a finding")
	}
	c.required("title", e.Title)
	c.length("title", e.Title, MaxShortText)
	c.length("location", e.Location, MaxLongText)
	if strings.TrimSpace(e.Location) == "" && e.FileName == "" {
		c.add("location", "say where the evidence is (a path, link or document ID), or attach a file")
	}
	if e.EffectiveDate.IsZero() {
		c.add("effective_date", "give the date the evidence is effective from")
	}
	c.controls(e)
	return c.err()
}

// Validate checks the register settings.
func (s Settings) Validate() error {
	var c checker
	c.required("force_name", s.ForceName)
	c.length("force_name", s.ForceName, MaxShortText)
	c.length("author", s.Author, MaxShortText)
	p := strings.TrimSpace(s.RefPrefix)
	if p == "" {
		c.add("ref_prefix", "is required, for example KEN")
	} else if len(p) > 10 || strings.IndexFunc(p, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
	}) >= 0 {
		c.add("ref_prefix", "use up to 10 capital letters or digits, for example KEN")
	}
	c.controls(s)
	return c.err()
}

// UpperFirst starts a sentence with a capital, for messages built from
// text that begins in lower case.
func UpperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
