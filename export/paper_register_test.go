package export_test

import (
	"strings"
	"testing"

	"improvementtracker/export"
	"improvementtracker/model"
)

func TestRegisterFilterKeeps(t *testing.T) {
	s, _ := sampleStore(t)
	src, err := readSource(s, model.MustDate("31/12/2025"))
	if err != nil {
		t.Fatal(err)
	}
	snap := src.Snapshot
	for name, tc := range map[string]struct {
		filter export.RegisterFilter
		want   func(f model.Finding) bool
		says   string
	}{
		"nothing":   {export.RegisterFilter{}, func(model.Finding) bool { return true }, "every finding"},
		"open":      {export.RegisterFilter{Status: "open"}, func(f model.Finding) bool { return !f.Status.IsFinal() }, "filtered: status open"},
		"a status":  {export.RegisterFilter{Status: "in progress"}, func(f model.Finding) bool { return f.Status == model.InProgress }, "status in progress"},
		"red":       {export.RegisterFilter{RAG: "r"}, func(f model.Finding) bool { return f.RAG == model.Red }, "RAG r"},
		"type code": {export.RegisterFilter{Type: "IP"}, func(f model.Finding) bool { return f.Type == model.InnovativePractice }, "type IP"},
		"overdue":   {export.RegisterFilter{Overdue: true}, func(f model.Finding) bool { return model.Overdue(f, snap.AsAt) }, "overdue only"},
		"search": {export.RegisterFilter{Search: "BAIL"}, func(f model.Finding) bool {
			return strings.Contains(strings.ToLower(f.Title+f.Verbatim+f.Interpretation), "bail")
		}, "containing BAIL"},
		"lead, area": {export.RegisterFilter{Lead: "criminal justice", Area: "investigating"}, func(f model.Finding) bool {
			return f.Area == "Investigating crime" && strings.Contains(snap.PersonLabel(f.DeliveryLeadID), "Criminal Justice")
		}, "lead criminal justice; area investigating"},
		"more, words": {export.RegisterFilter{More: []string{"due within 30 days"}}, func(model.Finding) bool { return true }, "filtered: due within 30 days"},
	} {
		t.Run(name, func(t *testing.T) {
			wanted := 0
			for _, f := range snap.Findings {
				got, want := tc.filter.Keep(snap, f), tc.want(f)
				if got != want {
					t.Errorf("%s: kept %v, want %v", f.Ref, got, want)
				}
				if want {
					wanted++
				}
			}
			if wanted == 0 && name != "more, words" {
				t.Errorf("the filter keeps nothing of the sample, so proves nothing")
			}
			if d := tc.filter.Describe(); !strings.Contains(d, tc.says) {
				t.Errorf("Describe() = %q, want it to say %q", d, tc.says)
			}
		})
	}
	if err := (export.RegisterFilter{Status: "finished"}).Check(); err == nil || !strings.Contains(err.Error(), "or open") {
		t.Errorf("a status that is not one: %v", err)
	}
}
