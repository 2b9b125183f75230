// Package sample loads the register the app shows out of the box: the Kent
// Police PEEL 2021/22 report, its areas and grades, and every one of its
// findings word for word, with made-up owners, targets, milestones, progress
// updates and evidence to show the app working.
//
// The report's words (findings.go) are real and carry no label. Everything
// made up (progress.go) is flagged Sample and its text starts with
// "[Sample data]", so that nobody takes it for the force's real progress.
package sample

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"improvementtracker/model"
)

// Actor is who the audit trail says loaded the sample.
var Actor = model.Actor{Who: "Sample data", Note: "loaded the Kent PEEL 2021/22 sample"}

// Settings are the register settings the sample sets: Kent's name and
// prefix, OFFICIAL as the default marking (the findings are published; the
// register's own progress notes are ordinary business, and a user who holds
// sensitive detail can choose OFFICIAL-SENSITIVE for it), and an author.
var Settings = model.Settings{
	ForceName:      "Kent Police",
	RefPrefix:      "KEN",
	DefaultMarking: model.Marking{Classification: model.Official},
	Author:         "Improvement lead",
}

// published is the report's publication date, as the Kent Police and Crime
// Commissioner's list of inspection reports and responses gives it: the
// report's own text does not state it. Every finding was raised on it.
const published = "28/04/2022"

// updateSource is written on every sample update, saying where it came from.
const updateSource = "Kent PEEL 2021/22 sample"

// Load loads the Kent PEEL 2021/22 sample into s in one transaction: the
// register settings, the sample owners, the report and its findings with
// their sample progress. It refuses, with an error wrapping
// model.ErrNotEmpty, when the register already holds findings, so that a
// real register is never mixed with made-up data.
func Load(s model.Store) error {
	return s.Update(context.Background(), Actor, func(tx model.Tx) error {
		existing, err := tx.Findings()
		if err != nil {
			return fmt.Errorf("reading the register: %w", err)
		}
		if n := len(existing); n > 0 {
			return notEmptyError(n)
		}
		return load(tx)
	})
}

func load(tx model.Tx) error {
	if err := tx.SaveSettings(Settings); err != nil {
		return fmt.Errorf("saving the sample settings: %w", err)
	}

	owners := map[string]model.ID{}
	for _, p := range people {
		rec := model.Person{Name: p.Role, Role: p.Role, Department: p.Department, Sample: true}
		if err := tx.SavePerson(&rec); err != nil {
			return fmt.Errorf("saving the sample owner %q: %w", p.Role, err)
		}
		owners[p.Role] = rec.ID
	}

	report := Report()
	if err := tx.SaveReport(&report); err != nil {
		return fmt.Errorf("saving the report: %w", err)
	}

	ids := map[string]model.ID{}
	for _, f := range findings {
		p, ok := plans[f.Key]
		if !ok {
			return fmt.Errorf("the sample has no plan for finding %q", f.Key)
		}
		rec, err := findingRecord(f, p, report.ID, owners, ids)
		if err != nil {
			return err
		}
		if err := tx.SaveFinding(&rec); err != nil {
			return fmt.Errorf("saving the finding %q: %w", f.Title, err)
		}
		ids[f.Key] = rec.ID
		if err := loadProgress(tx, rec, p, owners); err != nil {
			return fmt.Errorf("saving the sample progress on %s: %w", rec.Ref, err)
		}
	}
	return nil
}

// Report returns the report record the sample loads (without an ID).
func Report() model.Report {
	var notes strings.Builder
	notes.WriteString("The report's judgments, in its own words:\n")
	for _, a := range areas {
		grade := string(a.Grade)
		fmt.Fprintf(&notes, "• %s: %s. %s\n", a.Name, grade, a.Judgment)
	}
	notes.WriteString("Inspected separately and not graded in this report:\n")
	for _, a := range pendingAreas {
		fmt.Fprintf(&notes, "• %s: %s\n", a.Name, a.Judgment)
	}
	notes.WriteString("Signed by " + hmInspector + ".\n")
	notes.WriteString("Publication date: the text extracted from the report does not state it; " + published + " is the date the Kent Police and Crime Commissioner's list of inspection reports gives for it. The PCC's 56-day response is due from it.")
	return model.Report{
		Published: date(published),
		Title:     reportTitle,
		Force:     Settings.ForceName,
		Type:      model.PEEL,
		Cycle:     "2021/22",
		Code:      "PEEL2122",
		URL:       reportURL,
		Notes:     notes.String(),
		Sample:    true,
	}
}

// findingRecord builds the stored finding from the report's words and the
// sample plan.
func findingRecord(f finding, p plan, reportID model.ID, owners, ids map[string]model.ID) (model.Finding, error) {
	rec := model.Finding{
		ReportID:        reportID,
		Type:            f.Type,
		Area:            f.Area,
		Grade:           gradeOf(f.Area),
		Title:           f.Title,
		Verbatim:        strings.Join(f.Verbatim, "\n\n"),
		WordingMissing:  f.WordingMissing,
		GovernanceBoard: p.Board,
		Status:          p.Status,
		RAG:             p.RAG,
		Sample:          true,
	}
	if f.Type.Tracked() {
		// Raised on publication, before anyone was allocated: the early
		// updates (earlyUpdates) take it from there.
		rec.Status, rec.RAG = model.AwaitingAllocation, ""
	}
	var err error
	if rec.ChiefOfficerID, err = owner(owners, p.Chief); err != nil {
		return rec, err
	}
	if rec.DeliveryLeadID, err = owner(owners, p.Lead); err != nil {
		return rec, err
	}
	switch {
	case f.WordingMissing:
		rec.Interpretation = wordingMissingNote
	case p.Interpretation != "":
		rec.Interpretation = samplePrefix + p.Interpretation
	}
	if p.Target != "" {
		rec.OriginalTarget = date(p.Target)
		rec.CurrentTarget, rec.TargetRevisions = revisions(rec.OriginalTarget, p.Revisions)
	}
	if f.Type == model.InnovativePractice {
		rec.ClosureRationale = p.ClosureRationale
	} else if p.ClosureRationale != "" {
		rec.ClosureRationale = samplePrefix + p.ClosureRationale
	}
	// The closure dates are not set here: the progress updates that
	// propose and close the finding set them, on their dates, as they
	// would in the app.
	if p.InspectoratePosition != "" {
		rec.InspectoratePosition = samplePrefix + p.InspectoratePosition
		rec.InspectoratePositionDate = positionDate(p)
	}
	for _, key := range p.Related {
		id, ok := ids[key]
		if !ok {
			return rec, fmt.Errorf("finding %q is related to %q, which is not stored before it", f.Key, key)
		}
		rec.Related = append(rec.Related, id)
	}
	return rec, nil
}

// earlyUpdates are the first steps of every tracked finding after the report
// was published in April 2022, so that each quarter's return from then on
// reads like a real force's: leads allocated, an action plan agreed (or,
// for a finding the force could not start, the reason), and the first
// annual review. The plan's own updates, from 2025, follow.
func earlyUpdates(f model.Finding, p plan) []update {
	if !f.Type.Tracked() {
		return nil
	}
	title := strings.ToLower(f.Title[:1]) + f.Title[1:]
	started := len(p.Updates) == 0 || p.Updates[0].Status != model.NotStarted
	out := []update{{"30/06/2022", model.NotStarted, model.Green,
		fmt.Sprintf("The Force Improvement Board allocated the chief officer lead and delivery lead for %s; the delivery lead is drafting the action plan.", title)}}
	if !started {
		return append(out, update{"31/12/2022", model.NotStarted, model.Amber,
			"The action plan is on hold until the questions raised at the board are answered; the board reviews it each quarter."})
	}
	return append(out,
		update{"31/12/2022", model.InProgress, model.Green, "Action plan agreed at the Force Improvement Board, with milestones and a target date."},
		update{"31/03/2024", model.InProgress, model.Green, "Annual review at the Force Improvement Board: the action plan is on track; the next milestones were confirmed."})
}

// positionDate is when the inspectorate gave its position: the day it
// agreed closure, else the day closure was proposed, else the latest update.
func positionDate(p plan) model.Date {
	for _, d := range []string{p.Closed, p.ClosureProposed} {
		if d != "" {
			return date(d)
		}
	}
	var latest model.Date
	for _, u := range p.Updates {
		if d := date(u.Date); d.After(latest) {
			latest = d
		}
	}
	return latest
}

// loadProgress stores a finding's sample milestones, updates (oldest first,
// as they would have been written) and evidence.
func loadProgress(tx model.Tx, f model.Finding, p plan, owners map[string]model.ID) error {
	for _, m := range p.Milestones {
		rec := model.Milestone{
			FindingID:   f.ID,
			Title:       samplePrefix + m.Title,
			OwnerID:     f.DeliveryLeadID,
			OriginalDue: date(m.Due),
			Completed:   date(m.Completed),
			Sample:      true,
		}
		rec.CurrentDue, rec.Revisions = revisions(rec.OriginalDue, m.Revisions)
		if m.Notes != "" {
			rec.Notes = samplePrefix + m.Notes
		}
		if err := tx.SaveMilestone(&rec); err != nil {
			return fmt.Errorf("milestone %q: %w", m.Title, err)
		}
	}
	updates := append(earlyUpdates(f, p), p.Updates...)
	sort.SliceStable(updates, func(i, j int) bool { return date(updates[i].Date).Before(date(updates[j].Date)) })
	for _, u := range updates {
		rec := model.Update{
			FindingID: f.ID,
			Date:      date(u.Date),
			Narrative: samplePrefix + u.Narrative,
			Status:    u.Status,
			RAG:       u.RAG,
			Author:    p.Lead,
			Source:    updateSource,
			Sample:    true,
		}
		if err := tx.AppendUpdate(&rec); err != nil {
			return fmt.Errorf("update of %s: %w", u.Date, err)
		}
	}
	for _, e := range p.Evidence {
		rec := model.Evidence{
			FindingID:     f.ID,
			Title:         samplePrefix + e.Title,
			Location:      e.Location,
			EffectiveDate: date(e.Effective),
			Shared:        e.Shared,
			AddedBy:       p.Lead,
			Sample:        true,
		}
		if err := tx.AddEvidence(&rec, nil); err != nil {
			return fmt.Errorf("evidence %q: %w", e.Title, err)
		}
	}
	return nil
}

// revisions turns the sample's moved dates into revisions, each moving the
// date on from the one before, and returns the current date.
func revisions(original model.Date, revs []revision) (model.Date, []model.Revision) {
	current := original
	var out []model.Revision
	for _, r := range revs {
		to := date(r.To)
		out = append(out, model.Revision{
			From:     current,
			To:       to,
			Reason:   samplePrefix + r.Reason,
			AgreedBy: r.AgreedBy,
			// Midday UTC is the same calendar day in every UK and
			// European time zone, so "as at" views place it right.
			At: date(r.On).Time().Add(12 * time.Hour),
			By: roleImprovement,
		})
		current = to
	}
	return current, out
}

func owner(owners map[string]model.ID, role string) (model.ID, error) {
	if role == "" {
		return 0, nil
	}
	id, ok := owners[role]
	if !ok {
		return 0, fmt.Errorf("the sample owner %q is not in the list of people", role)
	}
	return id, nil
}

// date reads a dd/mm/yyyy literal of the sample data; "" is no date.
func date(s string) model.Date {
	return model.MustDate(s)
}

// notEmptyError refuses a load into a register that holds n findings. It
// wraps model.ErrNotEmpty but says it in its own words, without repeating
// the sentinel's.
type notEmptyError int

func (n notEmptyError) Error() string {
	return fmt.Sprintf("the register already holds %d %s; the sample can only be loaded into an empty register",
		int(n), model.Plural(int(n), "finding", "findings"))
}

func (n notEmptyError) Unwrap() error { return model.ErrNotEmpty }
