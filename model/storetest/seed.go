package storetest

import (
	"context"
	"fmt"

	"improvementtracker/model"
)

// seed fills an empty store with a small register of every kind of record
// and every kind of event a store keeps: settings, people, a report, an
// area for improvement, a cause of concern and its recommendation (linked),
// a finding taken through the whole closure process, milestones done, moved
// and still open, progress updates, evidence, and target dates moved with a
// reason. The contract suite carries it itself, so that it tests the
// stores, not the shipped sample: a change to the sample can never hide a
// store's fault, and the suite sits below everything it tests.
//
// Every date is before 31/12/2025, so that a snapshot at the end of Q3
// 2025/26 holds all of it.
func seed(s model.Store) error {
	return s.Update(context.Background(), model.Actor{Who: "Contract seed"}, func(tx model.Tx) error {
		if err := tx.SaveSettings(model.Settings{ForceName: "Test Constabulary", RefPrefix: "TST"}); err != nil {
			return fmt.Errorf("settings: %w", err)
		}
		var people []model.ID
		for _, role := range []string{"Deputy Chief Constable", "Head of Public Protection", "Head of Criminal Justice"} {
			p := model.Person{Name: role, Role: role, Email: "x@test.police.uk"}
			if err := tx.SavePerson(&p); err != nil {
				return fmt.Errorf("person %q: %w", role, err)
			}
			people = append(people, p.ID)
		}
		rep := model.Report{Title: "Test Constabulary PEEL 2023–25", Force: "Test Constabulary", Type: model.PEEL,
			Cycle: "2023–25", Code: "PEEL2325", Published: model.MustDate("04/04/2024")}
		if err := tx.SaveReport(&rep); err != nil {
			return fmt.Errorf("report: %w", err)
		}
		for _, sf := range seedFindings {
			f := model.Finding{ReportID: rep.ID, Type: sf.typ, Area: "Protecting vulnerable people", Title: sf.title,
				Verbatim: "The force should " + sf.title + ".", Status: model.AwaitingAllocation,
				ChiefOfficerID: people[0], DeliveryLeadID: people[sf.lead],
				OriginalTarget: model.MustDate("30/06/2025"), CurrentTarget: model.MustDate("30/06/2025")}
			if sf.moved {
				f.CurrentTarget = model.MustDate("30/09/2025")
				f.TargetRevisions = []model.Revision{{From: f.OriginalTarget, To: f.CurrentTarget,
					Reason: "Training places delayed", AgreedBy: "Force Improvement Board"}}
			}
			if sf.closes {
				f.ClosureRationale = "Every team now works to the new policy; audited in September 2025."
			}
			if err := tx.SaveFinding(&f); err != nil {
				return fmt.Errorf("finding %q: %w", sf.title, err)
			}
			if err := seedProgress(tx, f, sf); err != nil {
				return fmt.Errorf("finding %q: %w", sf.title, err)
			}
		}
		return seedLinks(tx)
	})
}

// seedFinding is one finding of the seed, and how far it has gone.
type seedFinding struct {
	typ    model.FindingType
	title  string
	lead   int  // index of the delivery lead in the seed's people
	moved  bool // its target date was moved once
	closes bool // it goes through the closure process to Closed
}

var seedFindings = []seedFinding{
	{model.AFI, "improve how it supervises domestic abuse investigations", 1, true, false},
	{model.CauseOfConcern, "make sure bail and released-under-investigation decisions are reviewed", 2, false, false},
	{model.Recommendation, "within six months, review every case released under investigation", 2, false, false},
	{model.AFI, "record the protected characteristics of victims", 1, false, true},
}

// seedProgress gives a seed finding its milestones, updates and evidence,
// oldest first, as they would have been written.
func seedProgress(tx model.Tx, f model.Finding, sf seedFinding) error {
	milestones := []model.Milestone{
		{FindingID: f.ID, Title: "Agree the action plan", OwnerID: f.DeliveryLeadID,
			OriginalDue: model.MustDate("31/10/2024"), CurrentDue: model.MustDate("31/10/2024"), Completed: model.MustDate("28/10/2024")},
		{FindingID: f.ID, Title: "Train every team", OwnerID: f.DeliveryLeadID, Notes: "Two cohorts.",
			OriginalDue: model.MustDate("31/03/2025"), CurrentDue: model.MustDate("30/06/2025"),
			Revisions: []model.Revision{{From: model.MustDate("31/03/2025"), To: model.MustDate("30/06/2025"), Reason: "Trainers off sick", AgreedBy: "Delivery lead"}}},
	}
	if sf.closes {
		milestones[1].Completed = model.MustDate("20/06/2025")
	}
	for i := range milestones {
		if err := tx.SaveMilestone(&milestones[i]); err != nil {
			return fmt.Errorf("milestone %q: %w", milestones[i].Title, err)
		}
	}
	updates := []model.Update{
		{Date: model.MustDate("30/06/2024"), Status: model.NotStarted, RAG: model.Green, Narrative: "Leads allocated at the board."},
		{Date: model.MustDate("31/10/2024"), Status: model.InProgress, RAG: model.Amber, Narrative: "Action plan agreed; training booked."},
	}
	if sf.closes {
		updates = append(updates,
			model.Update{Date: model.MustDate("31/07/2025"), Status: model.CompletePending, RAG: model.Blue, Narrative: "Work done; awaiting sign-off."},
			model.Update{Date: model.MustDate("15/08/2025"), Status: model.ClosureProposed, RAG: model.Blue, Narrative: "Signed off and proposed for closure."},
			model.Update{Date: model.MustDate("20/11/2025"), Status: model.Closed, RAG: model.Blue, Narrative: "The inspectorate agreed closure."})
	}
	for i := range updates {
		u := updates[i]
		u.FindingID, u.Author = f.ID, "Delivery lead"
		if err := tx.AppendUpdate(&u); err != nil {
			return fmt.Errorf("update of %s: %w", u.Date, err)
		}
	}
	for _, e := range []model.Evidence{
		{Title: "Action plan", Location: "Improvement > Plans > Action plan.docx", EffectiveDate: model.MustDate("31/10/2024")},
		{Title: "Training register", Location: "Improvement > Training > Register.xlsx", EffectiveDate: model.MustDate("30/06/2025"), Shared: true},
	} {
		e.FindingID, e.AddedBy = f.ID, "Delivery lead"
		if err := tx.AddEvidence(&e, nil); err != nil {
			return fmt.Errorf("evidence %q: %w", e.Title, err)
		}
	}
	return nil
}

// seedLinks relates the cause of concern and its recommendation, each to
// the other, as an importer would.
func seedLinks(tx model.Tx) error {
	fs, err := tx.Findings()
	if err != nil {
		return err
	}
	var cause, rec *model.Finding
	for i := range fs {
		switch fs[i].Type {
		case model.CauseOfConcern:
			cause = &fs[i]
		case model.Recommendation:
			rec = &fs[i]
		}
	}
	if cause == nil || rec == nil {
		return fmt.Errorf("%w: the seed has no cause of concern and recommendation to link", model.ErrProgram)
	}
	rec.Related = append(rec.Related, cause.ID)
	return tx.SaveFinding(rec)
}
