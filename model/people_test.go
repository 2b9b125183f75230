package model

import (
	"strings"
	"testing"
)

func TestFindLead(t *testing.T) {
	leads := []Person{
		{ID: 1, Role: "Assistant Chief Constable (Crime)"},
		{ID: 2, Role: "Assistant Chief Constable (Local Policing)"},
		{ID: 3, Name: "Jo Bloggs", Role: "Deputy Chief Constable"},
	}
	for typed, want := range map[string]ID{
		"ACC Crime": 1, "acc (crime)": 1, "assistant chief constable (local policing)": 2,
		"local policing": 2, "DCC": 3, "jo bloggs": 3, "Jo Bloggs (Deputy Chief Constable)": 3,
	} {
		p, err := FindLead(leads, typed)
		if err != nil || p.ID != want {
			t.Errorf("FindLead(%q) = #%d, %v; want #%d", typed, p.ID, err, want)
		}
	}
	if _, err := FindLead(leads, "ACC"); err == nil || !strings.Contains(err.Error(), "more than one") {
		t.Errorf("an ambiguous name gave %v", err)
	}
	if _, err := FindLead(leads, "Chief Superintendent"); err == nil || !strings.Contains(err.Error(), "does not lead any finding") {
		t.Errorf("an unknown name gave %v", err)
	}
}
