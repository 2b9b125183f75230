package model_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/testkit/memstore"
)

// kentStore is the Kent sample in memory, on a day long after the PCC's
// response fell due.
func kentStore(t *testing.T) (*memstore.Store, model.Report) {
	t.Helper()
	s := memstore.New(func() time.Time { return time.Date(2026, 12, 7, 10, 0, 0, 0, time.Local) })
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	var r model.Report
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		rs, err := tx.Reports()
		if len(rs) > 0 {
			r = rs[0]
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return s, r
}

func record(s *memstore.Store, id model.ID, e model.ReportEvent, file []byte) ([]string, error) {
	var said []string
	err := s.Update(context.Background(), model.Actor{Who: "Lead", Note: e.Describe()}, func(tx model.Tx) (err error) {
		_, said, err = model.RecordReportEvent(tx, id, e, file, "Lead", s.Now())
		return err
	})
	return said, err
}

func TestPCCResponseClearsTheClock(t *testing.T) {
	s, r := kentStore(t)
	today := model.DateOf(s.Now())
	if !r.PCCResponseOwed(today) {
		t.Fatalf("the sample report owes no response on %s", today)
	}
	published := r.Published.AddDays(40)
	e := model.ReportEvent{Kind: model.EventPCCResponse, Date: published, Link: "https://www.kent-pcc.gov.uk/response.pdf"}
	if _, err := record(s, r.ID, e, []byte("%PDF response")); err != nil {
		t.Fatal(err)
	}
	var got model.Report
	var trail []model.AuditEvent
	_ = s.View(context.Background(), func(tx model.ReadTx) (err error) {
		if got, err = tx.Report(r.ID); err != nil {
			return err
		}
		trail, err = tx.Audit(0)
		return err
	})
	if got.PCCResponseOwed(today) {
		t.Error("the response is still owed once recorded")
	}
	// As at a day before it was published, it was still owed.
	if !got.PCCResponseOwed(published.AddDays(-1)) {
		t.Error("the response reads as published before its date")
	}
	if ev, _ := got.PCCResponse(model.Date{}); ev.SHA256 != model.Digest([]byte("%PDF response")) || ev.By != "Lead" {
		t.Errorf("event %+v", ev)
	}
	last := trail[len(trail)-1]
	if last.Entity != model.EntityReport || !strings.Contains(last.Note, "PCC response published "+published.String()) {
		t.Errorf("the trail's last event %+v", last)
	}
	// A second response is refused in words.
	_, err := record(s, r.ID, e, nil)
	var ve *model.ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "already recorded") {
		t.Errorf("second response: %v", err)
	}
	// An event dated before publication is refused.
	if _, err := record(s, r.ID, model.ReportEvent{Kind: model.EventRevisit, Date: r.Published.AddDays(-3)}, nil); err == nil ||
		!strings.Contains(err.Error(), "before the report was published") {
		t.Errorf("early revisit: %v", err)
	}
}

func TestClosureLetterLinksToFindings(t *testing.T) {
	const ref = "KEN-PEEL2122-AFI-05" // closure proposed in the sample
	for _, tc := range []struct {
		kind   model.ReportEventKind
		status model.Status
		says   string
	}{
		{model.EventClosureAgreed, model.Closed, "Closure agreed"},
		{model.EventClosureDeclined, model.InProgress, "Closure declined"},
	} {
		t.Run(string(tc.kind), func(t *testing.T) {
			s, r := kentStore(t)
			on := model.MustDate("20/01/2026")
			e := model.ReportEvent{Kind: tc.kind, Date: on, Findings: []string{ref}, FileName: "letter.pdf"}
			said, err := record(s, r.ID, e, []byte("letter"))
			if err != nil {
				t.Fatal(err)
			}
			var f model.Finding
			var ev []model.Evidence
			_ = s.View(context.Background(), func(tx model.ReadTx) (err error) {
				if f, err = tx.FindingByRef(ref); err != nil {
					return err
				}
				ev, err = tx.Evidence(f.ID)
				return err
			})
			if f.Status != tc.status || !strings.HasPrefix(f.InspectoratePosition, tc.says) || f.InspectoratePositionDate != on {
				t.Errorf("%s: status %s, position %q (%s); said %q", ref, f.Status, f.InspectoratePosition, f.InspectoratePositionDate, said)
			}
			if tc.status == model.Closed && f.ClosedDate != on {
				t.Errorf("closed on %s", f.ClosedDate)
			}
			if n := len(ev); n == 0 || ev[n-1].SHA256 != model.Digest([]byte("letter")) || !ev[n-1].Shared {
				t.Errorf("the letter is not attached as shared evidence: %+v", ev)
			}
		})
	}
	// A closure letter must name its findings.
	s, r := kentStore(t)
	if _, err := record(s, r.ID, model.ReportEvent{Kind: model.EventClosureAgreed, Date: model.MustDate("20/01/2026")}, nil); err == nil ||
		!strings.Contains(err.Error(), "which findings") {
		t.Errorf("letter without findings: %v", err)
	}
}
