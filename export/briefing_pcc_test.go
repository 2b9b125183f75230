package export_test

import (
	"context"
	"slices"
	"testing"

	"improvementtracker/export"
	"improvementtracker/model"
)

func TestBriefingListsPCCResponsesOwed(t *testing.T) {
	s, _ := sampleStore(t)
	asAt := model.MustDate("31/12/2025")
	const heading = "PCC responses due or overdue"
	_, path := buildBriefing(t, s, export.BriefingOptions{AsAt: asAt})
	secs, order := sections(t, path)
	if !slices.Contains(order, heading) {
		t.Fatalf("sections %v lack %q", order, heading)
	}
	if rows := secs[heading]; len(rows) != 2 || rows[1][0] != "PEEL2122" {
		t.Errorf("%s: %q", heading, rows)
	}

	// Recorded as published: the briefing no longer lists it, as at any
	// date from the response's; as at an earlier date it was still owed.
	published := model.MustDate("15/06/2022")
	err := s.Update(context.Background(), model.Actor{Who: "Lead"}, func(tx model.Tx) error {
		rs, err := tx.Reports()
		if err != nil {
			return err
		}
		_, _, err = model.RecordReportEvent(tx, rs[0].ID, model.ReportEvent{Kind: model.EventPCCResponse, Date: published,
			Link: "https://www.kent-pcc.gov.uk/peel-response"}, nil, "Lead", s.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, path = buildBriefing(t, s, export.BriefingOptions{AsAt: asAt})
	if _, order := sections(t, path); slices.Contains(order, heading) {
		t.Errorf("the briefing still lists the PCC's response once recorded: %v", order)
	}
	src, err := readSource(s, model.MustDate("10/06/2022"))
	if err != nil {
		t.Fatal(err)
	}
	if owed := export.PCCResponsesOwed(src.Snapshot, false); len(owed) != 1 {
		t.Errorf("as at 10/06/2022, before the response, %d responses owed; want 1", len(owed))
	}
}
