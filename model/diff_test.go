package model_test

import (
	"reflect"
	"testing"
	"time"

	"improvementtracker/model"
)

func TestDiffAndRollBack(t *testing.T) {
	before := validFinding()
	before.CurrentTarget = model.MustDate("31/03/2026")
	before.ChiefOfficerID = 4
	after := before
	after.CurrentTarget = model.MustDate("30/06/2026")
	after.TargetRevisions = []model.Revision{{From: before.CurrentTarget, To: after.CurrentTarget, Reason: "Recruitment", AgreedBy: "DCC", At: time.Date(2026, 3, 12, 14, 5, 0, 0, time.UTC)}}
	after.ChiefOfficerID = 5
	after.Modified = time.Now() // ignored

	names := func(field string, id model.ID) string {
		if field == "chief_officer_id" {
			return map[model.ID]string{4: "ACC Crime", 5: "DCC"}[id]
		}
		return ""
	}
	changes := model.Diff(before, after, names)
	byField := map[string]model.FieldChange{}
	for _, c := range changes {
		byField[c.Field] = c
	}
	if len(changes) != 3 {
		t.Fatalf("got %d changes, want 3: %+v", len(changes), changes)
	}
	ct := byField["current_target"]
	if ct.Label != "current target" || ct.Before != "31/03/2026" || ct.After != "30/06/2026" {
		t.Errorf("current target change = %+v", ct)
	}
	if co := byField["chief_officer_id"]; co.Before != "ACC Crime" || co.After != "DCC" {
		t.Errorf("lead change = %+v", co)
	}

	rolled := after
	if err := model.RollBack(&rolled, changes); err != nil {
		t.Fatal(err)
	}
	rolled.Modified = before.Modified
	if !reflect.DeepEqual(rolled, before) {
		t.Fatalf("rolled back:\n%+v\nwant\n%+v", rolled, before)
	}
}

func TestDiffOfCreation(t *testing.T) {
	f := validFinding()
	changes := model.Diff(nil, f, nil)
	if len(changes) == 0 {
		t.Fatal("creating a record should list its fields")
	}
	for _, c := range changes {
		if c.Before != "(none)" {
			t.Errorf("%s: before = %q, want (none)", c.Field, c.Before)
		}
	}
}
