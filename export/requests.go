package export

import (
	"fmt"
	"slices"
	"strings"

	"improvementtracker/model"
)

// Custom properties an update request carries, so that the import of the
// workbook sent back knows whose it is.
const (
	PropDeliveryLead   = "Delivery lead"
	PropDeliveryLeadID = "Delivery lead ID"
)

// UpdateRequestFileName is the default name of one delivery lead's update
// request: the marking first, then whose it is.
func UpdateRequestFileName(m model.Marking, force, lead string, q model.Quarter) string {
	return safeFileName(m.String()+" – "+forceOr(force)+" – update request "+q.FileLabel()+" – "+lead) + ".xlsx"
}

// BuildUpdateRequests builds one workbook per delivery lead, holding only
// the findings they lead and those findings' milestones, in the return's
// sheets and columns, so that the workbook each sends back is merged by the
// return's import. Findings with no delivery lead are named in the second
// result: nobody is asked about them. src is read as at opts.AsAtDate().
func BuildUpdateRequests(src Source, opts ReturnOptions) ([]*Workbook, []string, error) {
	if err := src.check(opts.AsAtDate()); err != nil {
		return nil, nil, fmt.Errorf("the update requests: %w", err)
	}
	snap := src.Snapshot
	byLead := map[model.ID]bool{}
	var unled []string
	for _, f := range snap.Findings {
		if !f.Type.Tracked() || f.Status.IsFinal() {
			continue
		}
		if f.DeliveryLeadID == 0 {
			unled = append(unled, f.Ref)
			continue
		}
		byLead[f.DeliveryLeadID] = true
	}
	leads := make([]model.ID, 0, len(byLead))
	for id := range byLead {
		leads = append(leads, id)
	}
	slices.SortFunc(leads, func(a, b model.ID) int {
		return strings.Compare(snap.PersonLabel(a), snap.PersonLabel(b))
	})
	var out []*Workbook
	fail := func(err error) ([]*Workbook, []string, error) {
		for _, w := range out {
			_ = w.Close()
		}
		return nil, nil, err
	}
	for _, id := range leads {
		mine := snap.Filter(func(f model.Finding) bool { return f.DeliveryLeadID == id })
		// The lead's workbook is compared with no earlier return: the
		// force's last return held everybody's findings, and its changes
		// sheet would list the others as gone.
		w, err := BuildReturn(Source{Snapshot: mine}, opts)
		if err != nil {
			return fail(fmt.Errorf("the update request for %s: %w", snap.PersonLabel(id), err))
		}
		w.DeliveryLeadID, w.DeliveryLead = id, snap.PersonLabel(id)
		w.fileName = UpdateRequestFileName(w.Marking, w.Force, w.DeliveryLead, opts.Period)
		// The properties were written with the return's: written again
		// with whose the request is.
		title := "Update request " + opts.Period.String() + " – " + w.DeliveryLead
		if err := w.book.setProps(title, "Findings led by "+w.DeliveryLead+", as at "+w.AsAt.String()+": update and send back",
			creator(snap.Settings), clock(opts.Now), w.customProps()); err != nil {
			_ = w.Close()
			return fail(err)
		}
		out = append(out, w)
	}
	return out, unled, nil
}
