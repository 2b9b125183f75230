package model_test

import (
	"errors"
	"strings"
	"testing"

	"improvementtracker/model"
)

func validFinding() model.Finding {
	return model.Finding{
		ID:       7,
		ReportID: 1,
		Type:     model.AFI,
		Area:     "Investigating crime",
		Grade:    model.RequiresImprovement,
		Title:    "Domestic abuse team resourcing",
		Verbatim: "The force should make sure its domestic abuse teams are properly resourced.",
		Status:   model.InProgress,
		RAG:      model.Amber,
	}
}

func TestFindingValidation(t *testing.T) {
	tests := map[string]struct {
		change    func(*model.Finding)
		wantField string
		wantWords string
	}{
		"valid": {change: func(*model.Finding) {}},
		"closure proposed needs rationale": {
			change:    func(f *model.Finding) { f.Status = model.ClosureProposed },
			wantField: "closure_rationale", wantWords: "needs a rationale",
		},
		"closure proposed with rationale": {
			change: func(f *model.Finding) { f.Status = model.ClosureProposed; f.ClosureRationale = "Policy published." },
		},
		"closed needs date agreed": {
			change:    func(f *model.Finding) { f.Status = model.Closed },
			wantField: "closed_date", wantWords: "date the inspectorate agreed",
		},
		"closed with date but never proposed": {
			change:    func(f *model.Finding) { f.Status = model.Closed; f.ClosedDate = model.MustDate("01/04/2026") },
			wantField: "closure_proposed_date", wantWords: "proposed to the inspectorate",
		},
		"closed before it was proposed": {
			change: func(f *model.Finding) {
				f.Status, f.ClosureRationale = model.Closed, "Done."
				f.ClosureProposedDate, f.ClosedDate = model.MustDate("02/04/2026"), model.MustDate("01/04/2026")
			},
			wantField: "closed_date", wantWords: "before it was proposed",
		},
		"closed after proposal with rationale": {
			change: func(f *model.Finding) {
				f.Status, f.ClosureRationale = model.Closed, "Done."
				f.ClosureProposedDate, f.ClosedDate = model.MustDate("01/03/2026"), model.MustDate("01/04/2026")
			},
		},
		"superseded needs link": {
			change:    func(f *model.Finding) { f.Status = model.Superseded },
			wantField: "superseded_by", wantWords: "supersedes",
		},
		"superseded by itself": {
			change:    func(f *model.Finding) { f.Status = model.Superseded; f.SupersededBy = f.ID },
			wantField: "superseded_by", wantWords: "cannot supersede itself",
		},
		"no further action needs rationale": {
			change:    func(f *model.Finding) { f.Status = model.NoFurtherAction },
			wantField: "closure_rationale", wantWords: "rationale",
		},
		"missing wording must be flagged": {
			change:    func(f *model.Finding) { f.Verbatim = "" },
			wantField: "verbatim", wantWords: "mark it as missing",
		},
		"flagged missing wording is fine": {
			change: func(f *model.Finding) { f.Verbatim = ""; f.WordingMissing = true },
		},
		"huge field": {
			change:    func(f *model.Finding) { f.Verbatim = strings.Repeat("x", model.MaxLongText+1) },
			wantField: "verbatim", wantWords: "the limit is 100000",
		},
		"bad status": {
			change:    func(f *model.Finding) { f.Status = "Done-ish" },
			wantField: "status", wantWords: "not a status",
		},
		"parent only for recommendations": {
			change:    func(f *model.Finding) { f.ParentID = 3 },
			wantField: "parent_id", wantWords: "only a recommendation",
		},
		"revision needs reason": {
			change: func(f *model.Finding) {
				f.TargetRevisions = []model.Revision{{To: model.MustDate("30/06/2026"), AgreedBy: "ACC Crime"}}
			},
			wantField: "target_revisions", wantWords: "reason",
		},
		"revision needs who agreed": {
			change: func(f *model.Finding) {
				f.TargetRevisions = []model.Revision{{To: model.MustDate("30/06/2026"), Reason: "Recruitment delayed"}}
			},
			wantField: "target_revisions", wantWords: "who agreed",
		},
		"no report": {
			change:    func(f *model.Finding) { f.ReportID = 0 },
			wantField: "report_id", wantWords: "choose the report",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f := validFinding()
			tc.change(&f)
			err := f.Validate()
			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			verrs := model.AsValidation(err)
			if verrs == nil {
				t.Fatalf("want a validation error on %s, got %v", tc.wantField, err)
			}
			problem := verrs.For(tc.wantField)
			if !strings.Contains(problem, tc.wantWords) {
				t.Fatalf("problem with %s = %q, want it to say %q (all: %v)", tc.wantField, problem, tc.wantWords, err)
			}
			// The message a person reads names the field in words.
			if !strings.Contains(err.Error(), model.FieldLabel(tc.wantField)[1:]) {
				t.Errorf("message %q does not name the field", err.Error())
			}
		})
	}
}

func TestValidationErrorsAreFoundThroughWrapping(t *testing.T) {
	f := validFinding()
	f.Status = model.Closed
	err := errors.Join(errors.New("saving KEN-PEEL2122-AFI-01"), f.Validate())
	if model.AsValidation(err).For("closed_date") == "" {
		t.Fatal("AsValidation should see through wrapping")
	}
}

func TestOtherValidation(t *testing.T) {
	if err := (model.Person{Email: "jane"}).Validate(); err == nil || !strings.Contains(err.Error(), "not an email") {
		t.Errorf("person: %v", err)
	}
	if err := (model.Person{Role: "Deputy Chief Constable"}).Validate(); err != nil {
		t.Errorf("a role alone is enough: %v", err)
	}
	if err := (model.Settings{ForceName: "Kent Police", RefPrefix: "ken"}).Validate(); err == nil {
		t.Error("a lower-case prefix should be refused")
	}
	if err := (model.Update{FindingID: 1, Date: model.MustDate("01/01/2026"), Narrative: "x", Author: "A", Status: model.InProgress}).Validate(); err != nil {
		t.Errorf("update: %v", err)
	}
	if err := (model.Update{FindingID: 1, Narrative: "x", Author: "A", Status: model.InProgress}).Validate(); err == nil {
		t.Error("an update without a date should be refused")
	}
	if err := (model.Evidence{FindingID: 1, Title: "Policy", EffectiveDate: model.MustDate("01/01/2026")}).Validate(); err == nil {
		t.Error("evidence with neither location nor file should be refused")
	}
	if err := (model.Milestone{FindingID: 1, Title: "Recruit", OriginalDue: model.MustDate("01/01/2026")}).Validate(); err == nil {
		t.Error("a milestone with an original but no current due date should be refused")
	}
}

func TestParsers(t *testing.T) {
	for in, want := range map[string]model.Status{
		"in progress":                          model.InProgress,
		"Complete - pending internal sign-off": model.CompletePending,
		"CLOSED (INSPECTORATE AGREED)":         model.Closed,
		"closed":                               model.Closed,
		"Superseded / carried forward":         model.Superseded,
	} {
		got, err := model.ParseStatus(in)
		if err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := model.ParseStatus("Done"); err == nil || !strings.Contains(err.Error(), "In progress") {
		t.Errorf("ParseStatus(Done) error should list the statuses: %v", err)
	}
	if r, err := model.ParseRAG(" amber "); err != nil || r != model.Amber {
		t.Errorf("ParseRAG = %q, %v", r, err)
	}
	if _, err := model.ParseRAG("purple"); err == nil {
		t.Error("purple is not a RAG")
	}
	for in, want := range map[string]string{
		"":                            "OFFICIAL",
		"official-sensitive personal": "OFFICIAL-SENSITIVE PERSONAL",
		"OFFICIAL SENSITIVE":          "OFFICIAL-SENSITIVE",
		"OFFICIAL":                    "OFFICIAL",
	} {
		m, err := model.ParseMarking(in)
		if err != nil || m.String() != want {
			t.Errorf("ParseMarking(%q) = %q, %v; want %q", in, m, err, want)
		}
	}
	for _, old := range []string{"RESTRICTED", "NOT PROTECTIVELY MARKED", "SECRET"} {
		if _, err := model.ParseMarking(old); err == nil {
			t.Errorf("ParseMarking(%q) should be refused", old)
		}
	}
}
