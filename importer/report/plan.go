package report

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"improvementtracker/model"
)

// Row is one proposed finding as the person sees it in the preview: they may
// change its title, type, area and grade, and untick it.
type Row struct {
	Proposed
	// Include is whether to import the row.
	Include bool `json:"include"`
	// Duplicate is the reference of a finding of the same report already
	// in the register with the same wording; such rows are never imported.
	Duplicate string `json:"duplicate,omitempty"`
}

// Plan is what an import will do: the report the findings belong to (new
// or already in the register) and the proposed findings.
type Plan struct {
	// Source names the input in the audit trail: the file's name, or
	// "pasted text".
	Source string
	Parsed *Parsed
	// Report is the report in the register (ID set) or the one the
	// import will create.
	Report model.Report
	Rows   []Row
}

// Result says what an import did.
type Result struct {
	Report  model.Report
	Created []model.Finding
	// Skipped counts rows not imported: unticked or duplicates.
	Skipped int
}

// DefaultTitle is the title given to a new report when the person gives
// none: "Kent Police PEEL 2021/22".
func DefaultTitle(p *Parsed, source string) string {
	parts := []string{}
	if p.Force != "" {
		parts = append(parts, p.Force)
	}
	if p.Cycle != "" {
		parts = append(parts, "PEEL "+p.Cycle)
	}
	if len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	if p.Title != "" {
		return p.Title
	}
	base := strings.TrimSuffix(filepath.Base(source), filepath.Ext(source))
	if base == "" || base == "." || source == PastedText {
		return "Imported report"
	}
	return base
}

// PastedText is the source name of text pasted into the app.
const PastedText = "pasted text"

// NewPlan matches the parsed report to one in the register (by title, else
// by force, type and cycle) and marks the findings it already holds.
// reportTitle may be empty; s may be nil when there is no register yet.
func NewPlan(s model.Store, parsed *Parsed, source, reportTitle string) (*Plan, error) {
	pl := &Plan{Source: source, Parsed: parsed}
	for _, f := range parsed.Findings {
		// A recommendation addressed to others is listed for the record
		// but not ticked: the force does not own it.
		pl.Rows = append(pl.Rows, Row{Proposed: f, Include: !f.NotForForce})
	}
	pl.Rows = cloneRows(pl.Rows)
	if s == nil {
		// No register to compare with (a dry run with no register file):
		// the report would be new.
		pl.Report, _ = matchReport(nil, parsed, source, reportTitle)
		return pl, nil
	}
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		r, err := matchReport(tx, parsed, source, reportTitle)
		if err != nil {
			return err
		}
		pl.Report = r
		return pl.markDuplicates(tx)
	})
	if err != nil {
		return nil, fmt.Errorf("reading the register: %w", err)
	}
	return pl, nil
}

func cloneRows(rows []Row) []Row {
	for i := range rows {
		rows[i].Flags = append([]string(nil), rows[i].Flags...)
	}
	return rows
}

// matchReport finds the report the findings belong to, or describes the one
// to create.
func matchReport(tx model.ReadTx, p *Parsed, source, title string) (model.Report, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		title = DefaultTitle(p, source)
	}
	var reports []model.Report
	if tx != nil {
		var err error
		if reports, err = tx.Reports(); err != nil {
			return model.Report{}, err
		}
	}
	for _, r := range reports {
		if strings.EqualFold(strings.TrimSpace(r.Title), title) {
			return r, nil
		}
	}
	typ := model.OtherInspection
	switch {
	case p.Cycle != "" || strings.HasPrefix(p.Layout, "PEEL") && p.Force != "":
		typ = model.PEEL
	case p.Layout == LayoutThematic:
		typ = model.Thematic
	}
	if p.Force != "" && p.Cycle != "" {
		for _, r := range reports {
			if r.Type == typ && strings.EqualFold(r.Force, p.Force) && foldCycle(r.Cycle) == foldCycle(p.Cycle) {
				return r, nil
			}
		}
	}
	return model.Report{Title: title, Force: p.Force, Type: typ, Cycle: p.Cycle, Published: p.Published}, nil
}

// foldCycle folds a cycle for comparison: "2021/22", "2021–22",
// "2021-2022" are one cycle.
func foldCycle(c string) string {
	m := cycleParts.FindStringSubmatch(c)
	if m == nil {
		return strings.NewReplacer("–", "-", "—", "-", "/", "-", " ", "").Replace(c)
	}
	if n, ok := Cycle(m[1], m[2]); ok {
		return n
	}
	return m[1] + "-" + m[2]
}

var cycleParts = regexp.MustCompile(`(20\d\d)\s*[/–—-]\s*(?:20)?(\d\d)`)

// markDuplicates sets Duplicate (and clears Include) on rows whose wording
// the report already has in the register.
func (pl *Plan) markDuplicates(tx model.ReadTx) error {
	for i := range pl.Rows {
		pl.Rows[i].Duplicate = ""
	}
	if pl.Report.ID == 0 {
		return nil
	}
	all, err := tx.Findings()
	if err != nil {
		return err
	}
	var existing []model.Finding
	for _, f := range all {
		if f.ReportID == pl.Report.ID {
			existing = append(existing, f)
		}
	}
	for i := range pl.Rows {
		if ref := duplicateOf(pl.Rows[i].Proposed, existing); ref != "" {
			pl.Rows[i].Duplicate = ref
			pl.Rows[i].Include = false
		}
	}
	return nil
}

// duplicateOf returns the reference of an existing finding with the same
// wording as p. The register may hold the wording with its heading as the
// first paragraph, or without it, so both are compared. Two findings with
// missing wording are the same when their type and area are.
func duplicateOf(p Proposed, existing []model.Finding) string {
	missing := p.HasFlag(FlagWordingMissing)
	with := foldWording(p.Title + " " + p.Text)
	without := foldWording(p.Text)
	for _, f := range existing {
		if missing || f.WordingMissing {
			if missing && f.WordingMissing && f.Type == p.Type && foldArea(f.Area) == foldArea(p.Area) {
				return f.Ref
			}
			continue
		}
		v := foldWording(f.Verbatim)
		if v == "" {
			continue
		}
		if v == with || v == without || foldWording(f.Title+" "+f.Verbatim) == with {
			return f.Ref
		}
	}
	return ""
}

// foldWording folds wording for comparison: case, quotes, dashes, spacing
// and the full stop at the end.
func foldWording(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("’", "'", "‘", "'", "“", "\"", "”", "\"", "–", "-", "—", "-").Replace(s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.TrimRight(s, ". ")
}

// Included counts the rows that will be imported.
func (pl *Plan) Included() int {
	n := 0
	for _, r := range pl.Rows {
		if r.Include && r.Duplicate == "" {
			n++
		}
	}
	return n
}

// ErrNothingToImport is returned by Apply when no row is ticked.
var ErrNothingToImport = errors.New("nothing to import: every finding is unticked or already in the register")

// Apply stores the report (when new) and the ticked findings in one
// transaction, so that a failure stores nothing. Duplicates are checked
// again inside the transaction. Every audit entry says "imported from
// SOURCE".
func (pl *Plan) Apply(s model.Store, who string) (Result, error) {
	var res Result
	if pl.Included() == 0 {
		return res, ErrNothingToImport
	}
	err := s.Update(context.Background(), model.Actor{Who: who, Note: "imported from " + pl.Source}, func(tx model.Tx) error {
		res = Result{}
		report := pl.Report
		if report.ID == 0 {
			if strings.TrimSpace(report.Title) == "" {
				return errors.New("give the report a title")
			}
			if err := tx.SaveReport(&report); err != nil {
				return fmt.Errorf("saving the report %q: %w", report.Title, err)
			}
		}
		res.Report = report
		all, err := tx.Findings()
		if err != nil {
			return err
		}
		var existing []model.Finding
		for _, f := range all {
			if f.ReportID == report.ID {
				existing = append(existing, f)
			}
		}
		ids := make([]model.ID, len(pl.Rows)) // row → finding ID, stored or matched
		for i, row := range pl.Rows {
			if ref := duplicateOf(row.Proposed, existing); ref != "" {
				if f, err := tx.FindingByRef(ref); err == nil {
					ids[i] = f.ID
				}
				res.Skipped++
				continue
			}
			if !row.Include {
				res.Skipped++
				continue
			}
			f := model.Finding{
				ReportID: report.ID,
				Type:     row.Type,
				Area:     strings.TrimSpace(row.Area),
				Grade:    row.Grade,
				Title:    strings.TrimSpace(row.Title),
				Verbatim: row.Text,
				// Wording partly elided ("[...]") is kept, flagged, for the
				// person to complete from the report.
				WordingMissing: row.HasFlag(FlagWordingMissing),
				Status:         model.AwaitingAllocation,
			}
			if row.Parent > 0 && row.Parent <= len(ids) && f.Type == model.Recommendation {
				f.ParentID = ids[row.Parent-1]
			}
			d := row.Target
			if d.IsZero() {
				d, _ = DeadlineDate(row.Deadline, report.Published)
			}
			if !d.IsZero() && f.Type.Tracked() {
				f.CurrentTarget = d
			}
			if err := tx.SaveFinding(&f); err != nil {
				return fmt.Errorf("finding %d (%s): %w", i+1, model.FirstSentence(f.DisplayTitle()), err)
			}
			ids[i] = f.ID
			existing = append(existing, f)
			res.Created = append(res.Created, f)
		}
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("nothing was imported: %w", err)
	}
	return res, nil
}

// SetPublished sets the report's publication date, typed by the person
// where the text gives none or gives it wrong, and counts again the
// targets of the deadlines that run from it.
func (pl *Plan) SetPublished(d model.Date) {
	if pl.Report.ID == 0 || pl.Report.Published.IsZero() {
		pl.Report.Published = d
	}
	for i := range pl.Rows {
		setTarget(&pl.Rows[i].Proposed, d)
	}
}
