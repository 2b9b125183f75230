package model

import (
	"fmt"
	"time"
)

// RecordReportEvent adds e to the life of the report reportID within tx,
// and returns what it did, in words, for the person who asked.
//
// file, when not nil, is the document itself (the letter, the published
// response): its SHA-256 and name are kept on the event, and a letter about
// findings is attached to each of them as evidence shared with the
// inspectorate, where the store keeps the bytes and checks them on every
// read.
//
// A letter that agrees closure is linked to the closure stage of each
// finding it names: a finding proposed for closure becomes closed on the
// letter's date, and its inspectorate position says so. A letter that
// declines closure takes a finding proposed for closure back to in progress
// (amber), with the letter as the reason. A finding elsewhere in its life
// keeps its status and has its inspectorate position set.
func RecordReportEvent(tx Tx, reportID ID, e ReportEvent, file []byte, by string, at time.Time) (Report, []string, error) {
	r, err := tx.Report(reportID)
	if err != nil {
		return r, nil, err
	}
	if file != nil {
		if len(file) > MaxAttachmentSize {
			return r, nil, fmt.Errorf("%s is %s; documents are limited to %s (%w)", e.FileName, HumanSize(int64(len(file))), HumanSize(MaxAttachmentSize), ErrTooLarge)
		}
		e.SHA256 = Digest(file)
		if e.FileName == "" {
			e.FileName = "document"
		}
	}
	var findings []Finding
	for _, ref := range e.Findings {
		f, err := tx.FindingByRef(ref)
		if err != nil {
			return r, nil, fmt.Errorf("the letter names %s: %w", ref, err)
		}
		if f.ReportID != r.ID {
			return r, nil, invalid("findings", fmt.Sprintf("%s is a finding of another report, not of %q", ref, r.Title))
		}
		findings = append(findings, f)
	}
	if err := r.AddLifeEvent(e, by, at); err != nil {
		return r, nil, err
	}
	if err := tx.SaveReport(&r); err != nil {
		return r, nil, err
	}
	done := []string{fmt.Sprintf("Recorded on %q: %s.", r.Title, e.Describe())}
	for _, f := range findings {
		said, err := linkLetter(tx, f, e, file)
		if err != nil {
			return r, nil, fmt.Errorf("%s: %w", f.Ref, err)
		}
		done = append(done, said...)
	}
	return r, done, nil
}

// linkLetter links a letter to one finding: its inspectorate position, its
// closure stage as RecordReportEvent says, and the document as evidence.
func linkLetter(tx Tx, f Finding, e ReportEvent, file []byte) ([]string, error) {
	var said []string
	switch e.Kind {
	case EventClosureAgreed:
		f.InspectoratePosition = "Closure agreed by the inspectorate's letter of " + e.Date.String() + "."
		if f.Status == ClosureProposed {
			f.Status, f.ClosedDate = Closed, e.Date
			said = append(said, fmt.Sprintf("%s is closed as from %s.", f.Ref, e.Date))
		}
	case EventClosureDeclined:
		f.InspectoratePosition = "Closure declined by the inspectorate's letter of " + e.Date.String() + "."
		if f.Status == ClosureProposed {
			f.Reopenings = append(f.Reopenings, Reopening{Date: e.Date,
				Reason: "the inspectorate declined closure by its letter of " + e.Date.String()})
			f.Status, f.RAG = InProgress, Amber
			said = append(said, fmt.Sprintf("%s is back in progress (amber): the inspectorate declined closure.", f.Ref))
		}
	default:
		f.InspectoratePosition = string(e.Kind) + " of " + e.Date.String() + "."
	}
	if s := e.Summary; s != "" {
		f.InspectoratePosition += " " + s
	}
	f.InspectoratePositionDate = e.Date
	if err := tx.SaveFinding(&f); err != nil {
		return nil, err
	}
	said = append(said, fmt.Sprintf("%s: inspectorate position set to %q.", f.Ref, f.InspectoratePosition))
	if file != nil {
		ev := Evidence{FindingID: f.ID, Title: string(e.Kind) + " of " + e.Date.String(), Location: e.Link,
			EffectiveDate: e.Date, Shared: true, FileName: e.FileName}
		if err := tx.AddEvidence(&ev, file); err != nil {
			return nil, err
		}
		said = append(said, fmt.Sprintf("%s: the letter is attached as evidence.", f.Ref))
	}
	return said, nil
}
