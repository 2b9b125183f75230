package export

import (
	"fmt"
	"io"
	"strings"

	"improvementtracker/model"
)

// FindingPaperOptions say which finding's paper to write, and how.
type FindingPaperOptions struct {
	PaperOptions
	Ref string
	// Pack makes the paper the cover of a closure evidence pack: titled
	// so, with the closure rationale first and each attached file's name
	// in the pack.
	Pack bool
	// PackNames are the names the attached files have in the pack, by
	// evidence ID.
	PackNames map[model.ID]string
}

// FindingPaperFileName is the default name of one finding's PDF.
func FindingPaperFileName(m model.Marking, ref string) string {
	return safeFileName(m.String()+" – "+ref) + ".pdf"
}

// WriteFindingPaper writes one finding as a PDF for a meeting: its wording,
// the force's reading of it, leads, status and dates, the action plan's
// milestones with their outcomes, the progress updates, the closure
// rationale and the evidence. snap is the register as at opts.AsAtDate().
func WriteFindingPaper(out io.Writer, snap *model.Snapshot, opts FindingPaperOptions) error {
	f, err := snapFinding(snap, opts.Ref)
	if err != nil {
		return err
	}
	what := "finding " + f.Ref
	if opts.Pack {
		what = "closure evidence pack " + f.Ref
	}
	p, err := newPaper(opts.PaperOptions, forceName(snap.Settings), what, false)
	if err != nil {
		return err
	}
	title := f.Ref + " – " + f.DisplayTitle()
	if opts.Pack {
		title = "Closure evidence pack: " + title
	}
	p.title(title)
	r := snap.Reports[f.ReportID]
	p.fields(findingFields(snap, f, r))
	p.heading("The inspectorate's wording (verbatim)")
	p.text(f.Verbatim, "(The wording could not be found in the report's text.)")
	if opts.Pack || f.ClosureRationale != "" {
		p.heading("Closure rationale")
		p.text(f.ClosureRationale, "(No closure rationale recorded.)")
	}
	p.heading("Action taken: the force's interpretation")
	p.text(f.Interpretation, "(None recorded.)")
	p.heading("Milestones and their outcomes")
	if ms := snap.MilestonesOf(f.ID); len(ms) > 0 {
		rows := make([][]string, len(ms))
		for i, m := range ms {
			rows[i] = []string{m.Title, snap.PersonLabel(m.OwnerID), m.OriginalDue.String(), m.CurrentDue.String(),
				fmt.Sprint(len(m.Revisions)), milestoneOutcome(m)}
		}
		p.table(paperTable{headers: []string{"Milestone", "Owner", "Original due", "Current due", "Moved", "Outcome"},
			widths: []float64{0.30, 0.18, 0.12, 0.12, 0.09, 0.19}}, rows)
	} else {
		p.text("", "No milestones recorded.")
	}
	p.heading("Progress")
	if us := snap.UpdatesOf(f.ID); len(us) > 0 {
		rows := make([][]string, 0, len(us))
		for i := len(us) - 1; i >= 0; i-- { // newest first
			u := us[i]
			rows = append(rows, []string{u.Date.String(), string(u.Status), ragText(u.RAG), orDash(u.Narrative), u.Author})
		}
		p.table(paperTable{headers: []string{"Date", "Status", "RAG", "Progress", "By"},
			widths: []float64{0.12, 0.17, 0.07, 0.46, 0.18}}, rows)
	} else {
		p.text("", "No progress updates recorded.")
	}
	p.heading("Evidence")
	if ev := snap.EvidenceOf(f.ID); len(ev) > 0 {
		rows := make([][]string, len(ev))
		for i, e := range ev {
			where := e.Location
			if e.HasFile() {
				name := e.FileName
				if n, ok := opts.PackNames[e.ID]; ok {
					name = "in this pack: " + n
				}
				where = strings.TrimSpace(where + "\n" + name + " (" + model.HumanSize(e.FileSize) + ")\nSHA-256 " + e.SHA256)
			}
			rows[i] = []string{e.Title, e.EffectiveDate.String(), yesNo(e.Shared), orDash(where)}
		}
		p.table(paperTable{headers: []string{"What it shows", "Effective", "Shared", "Where it is"},
			widths: []float64{0.34, 0.12, 0.08, 0.46}}, rows)
	} else {
		p.text("", "No evidence recorded.")
	}
	return p.finish(out)
}

// snapFinding finds a finding of the snapshot by its reference.
func snapFinding(snap *model.Snapshot, ref string) (model.Finding, error) {
	for _, f := range snap.Findings {
		if strings.EqualFold(f.Ref, strings.TrimSpace(ref)) {
			return f, nil
		}
	}
	return model.Finding{}, fmt.Errorf("there is no finding %s in the register as at %s: %w", ref, snap.AsAt, model.ErrNotFound)
}

// findingFields are the label–value lines at the top of a finding's paper.
func findingFields(snap *model.Snapshot, f model.Finding, r model.Report) [][2]string {
	target := f.CurrentTarget.String()
	if n := len(f.TargetRevisions); n > 0 {
		target += fmt.Sprintf(" (original %s; moved %d %s)", f.OriginalTarget, n, model.Plural(n, "time", "times"))
	}
	overdue := ""
	if d := model.DaysOverdue(f, snap.AsAt); d > 0 {
		overdue = fmt.Sprintf("%d days", d)
	}
	area := f.Area
	if f.Grade != "" {
		area += " (" + string(f.Grade) + ")"
	}
	return [][2]string{
		{"Reference", f.Ref},
		{"Inspectorate ref", f.InspectorateRef},
		{"Report", reportText(r.Title, r.Published)},
		{"Type", string(f.Type)},
		{"Area", area},
		{"Chief officer lead", snap.PersonLabel(f.ChiefOfficerID)},
		{"Delivery lead", snap.PersonLabel(f.DeliveryLeadID)},
		{"Governance board", f.GovernanceBoard},
		{"Status", string(f.Status)},
		{"RAG", ragText(f.RAG)},
		{"Target", target},
		{"Days overdue", overdue},
		{"Closure proposed", f.ClosureProposedDate.String()},
		{"Closed", f.ClosedDate.String()},
		{"Inspectorate position", f.InspectoratePosition},
	}
}

// milestoneOutcome says how a milestone stands.
func milestoneOutcome(m model.Milestone) string {
	if m.Completed.IsZero() {
		return "Open"
	}
	if m.Outcome == "" {
		return "Completed " + m.Completed.String()
	}
	return string(m.Outcome) + " " + m.Completed.String()
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}
