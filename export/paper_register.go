package export

import (
	"fmt"
	"io"
	"strings"

	"improvementtracker/model"
)

// RegisterFilter narrows the register to what a meeting looks at: the same
// filters for "list" and "export register". Every text matches a part of
// the field, in any case; empty fields keep everything.
type RegisterFilter struct {
	Status string // a status, or "open" for every status not final
	RAG    string
	Type   string // a finding type: AFI, cause of concern, …
	// Lead matches the chief officer lead or the delivery lead.
	Lead   string
	Area   string
	Report string // the report's title or code
	// Search matches the reference, title, wording or interpretation.
	Search  string
	Overdue bool
	// More are filters of the screen's own, in words, that Keep does not
	// apply ("due within 30 days"): the screen applied them.
	More []string
}

// IsZero reports whether the filter keeps every finding.
func (rf RegisterFilter) IsZero() bool {
	return strings.TrimSpace(rf.Status+rf.RAG+rf.Type+rf.Lead+rf.Area+rf.Report+rf.Search) == "" && !rf.Overdue && len(rf.More) == 0
}

// Check refuses a status or RAG that is not one, in words, before the
// register is read.
func (rf RegisterFilter) Check() error {
	if s := strings.TrimSpace(rf.Status); s != "" && !strings.EqualFold(s, "open") {
		if _, err := model.ParseStatus(s); err != nil {
			return fmt.Errorf("%w, or open", err)
		}
	}
	if _, err := model.ParseRAG(rf.RAG); err != nil {
		return err
	}
	return nil
}

// Keep reports whether a finding of snap passes the filter.
func (rf RegisterFilter) Keep(snap *model.Snapshot, f model.Finding) bool {
	has := func(field, part string) bool {
		return strings.Contains(strings.ToLower(field), strings.ToLower(strings.TrimSpace(part)))
	}
	if s := strings.TrimSpace(rf.Status); s != "" {
		if strings.EqualFold(s, "open") {
			if f.Status.IsFinal() {
				return false
			}
		} else if st, err := model.ParseStatus(s); err != nil || st != f.Status {
			return false
		}
	}
	if rf.RAG != "" {
		if r, err := model.ParseRAG(rf.RAG); err != nil || r != f.RAG {
			return false
		}
	}
	if t := strings.TrimSpace(rf.Type); t != "" && !strings.EqualFold(t, string(f.Type)) && !strings.EqualFold(t, f.Type.Code()) {
		return false
	}
	if rf.Lead != "" && !has(snap.PersonLabel(f.ChiefOfficerID), rf.Lead) && !has(snap.PersonLabel(f.DeliveryLeadID), rf.Lead) {
		return false
	}
	if rf.Area != "" && !has(f.Area, rf.Area) {
		return false
	}
	if rf.Report != "" {
		r := snap.Reports[f.ReportID]
		if !has(r.Title, rf.Report) && !has(r.RefCode(), rf.Report) {
			return false
		}
	}
	if rf.Search != "" && !has(f.Ref+"\n"+f.Title+"\n"+f.Verbatim+"\n"+f.Interpretation, rf.Search) {
		return false
	}
	if rf.Overdue && !model.Overdue(f, snap.AsAt) {
		return false
	}
	return true
}

// Describe says in words what the filter keeps, for the paper's caption.
func (rf RegisterFilter) Describe() string {
	var parts []string
	add := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, label+" "+v)
		}
	}
	add("status", rf.Status)
	add("RAG", rf.RAG)
	add("type", rf.Type)
	add("lead", rf.Lead)
	add("area", rf.Area)
	add("report", rf.Report)
	add("containing", rf.Search)
	if rf.Overdue {
		parts = append(parts, "overdue only")
	}
	parts = append(parts, rf.More...)
	if len(parts) == 0 {
		return "every finding"
	}
	return "filtered: " + strings.Join(parts, "; ")
}

// RegisterView is the register as a meeting sees it: the findings shown, in
// the order shown, and the words for how they were chosen.
type RegisterView struct {
	Snapshot *model.Snapshot
	Findings []model.Finding
	// Filter says how the findings were chosen: "every finding", or the
	// filters of the screen or the command line.
	Filter string
}

// registerViewColumns are the columns of the register's paper and
// workbook.
var registerViewColumns = []column{
	{header: ColRef, kind: textCol, max: 22}, {header: "Type", kind: textCol, max: 14},
	{header: ColArea, kind: wrapCol, max: 24}, {header: "Status", kind: wrapCol, max: 22},
	{header: "RAG", kind: textCol, max: 8, rag: true}, {header: "Delivery lead", kind: wrapCol, max: 26},
	{header: "Current target", kind: dateCol, max: 12}, {header: "Days overdue", kind: numberCol, max: 9},
	{header: "Title", kind: wrapCol, max: 50},
}

// rows are the view's rows: text, dates and numbers per column.
func (v RegisterView) rows() [][]any {
	out := make([][]any, len(v.Findings))
	for i, f := range v.Findings {
		var days any
		if d := model.DaysOverdue(f, v.Snapshot.AsAt); d > 0 {
			days = d
		}
		lead := v.Snapshot.PersonLabel(f.DeliveryLeadID)
		if lead == "" {
			lead = v.Snapshot.PersonLabel(f.ChiefOfficerID)
		}
		var target any
		if !f.CurrentTarget.IsZero() {
			target = f.CurrentTarget
		}
		out[i] = []any{f.Ref, string(f.Type), f.Area, string(f.Status), ragText(f.RAG), lead, target, days, f.DisplayTitle()}
	}
	return out
}

// RegisterFileName is the default name of the register's paper or
// workbook.
func RegisterFileName(m model.Marking, force string, asAt model.Date, ext string) string {
	return safeFileName(m.String()+" – "+forceOr(force)+" – register "+strings.ReplaceAll(asAt.String(), "/", "-")) + "." + ext
}

// WriteRegisterPaper writes the view as a PDF list, landscape, one line
// of the table per finding.
func WriteRegisterPaper(out io.Writer, v RegisterView, opts PaperOptions) error {
	p, err := newPaper(opts, forceName(v.Snapshot.Settings), "register of findings", true)
	if err != nil {
		return err
	}
	p.title("Register of findings")
	p.text(fmt.Sprintf("%d %s as at %s, %s.", len(v.Findings), model.Plural(len(v.Findings), "finding", "findings"), v.Snapshot.AsAt, v.Filter), "")
	p.pdf.Ln(2)
	headers := make([]string, len(registerViewColumns))
	for i, c := range registerViewColumns {
		headers[i] = c.header
	}
	rows := v.rows()
	cells := make([][]string, len(rows))
	for i, r := range rows {
		cells[i] = make([]string, len(r))
		for j, c := range r {
			cells[i][j] = text(c)
		}
	}
	if len(cells) == 0 {
		p.text("", "No finding matches.")
	} else {
		// The reference column is as wide as the longest reference, so
		// that none is broken across lines; the title takes what is left.
		p.pdf.SetFont(fontFamily, "", sizeTable)
		refW := 0.0
		for _, f := range v.Findings {
			refW = max(refW, p.pdf.GetStringWidth(f.Ref)+3)
		}
		ref := min(max(refW/p.width, 0.1), 0.3)
		widths := []float64{ref, 0.07, 0.12, 0.12, 0.05, 0.14, 0.08, 0.06, 0}
		widths[8] = 1 - (ref + 0.64)
		p.table(paperTable{headers: headers, widths: widths}, cells)
	}
	return p.finish(out)
}

// BuildRegisterView builds the view as a workbook: one sheet, the marking
// in its first row and in every page's header and footer, with the filter
// in its caption. It is saved like the return (Workbook.Save).
func BuildRegisterView(v RegisterView, opts PaperOptions) (*Workbook, error) {
	if opts.Marking.Classification == "" {
		opts.Marking.Classification = model.Official
	}
	if err := checkMarking(opts.Marking); err != nil {
		return nil, err
	}
	force := forceName(v.Snapshot.Settings)
	asAt := v.Snapshot.AsAt
	w := &Workbook{Kind: "register", AsAt: asAt, Marking: opts.Marking, Force: force, cols: registerViewColumns,
		fileName: RegisterFileName(opts.Marking, force, asAt, "xlsx")}
	w.rows = v.rows()
	for _, f := range v.Findings {
		w.refs = append(w.refs, f.Ref)
	}
	var err error
	if w.book, err = newBook(opts.Marking, force+" – register of findings", "As at "+asAt.String(), &w.warn); err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = w.Close()
		}
	}()
	caption := fmt.Sprintf("Register of findings as at %s, %s: %d %s.", asAt, v.Filter, len(v.Findings), model.Plural(len(v.Findings), "finding", "findings"))
	if err := w.book.writeTable(table{sheet: "Register", name: "Register", caption: caption, cols: registerViewColumns, rows: w.rows,
		where: func(i int) string { return w.refs[i] }, none: "None: no finding matches the filter.", noneCol: 8}); err != nil {
		return nil, err
	}
	if err := w.book.setProps("Register of findings – "+force, caption, creator(v.Snapshot.Settings), clock(opts.Now), w.customProps()); err != nil {
		return nil, err
	}
	w.Warnings = w.warn.all()
	ok = true
	return w, nil
}
