package returns

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"improvementtracker/model"
)

// Kind is what a change touches.
type Kind string

// The kinds of change a return can bring.
const (
	KindProgress  Kind = "Progress this period"
	KindStatus    Kind = "Status"
	KindRAG       Kind = "RAG"
	KindTarget    Kind = "Current target"
	KindMilestone Kind = "Milestone"
)

// Change is one change the return brings to a finding.
type Change struct {
	Kind Kind `json:"kind"`
	// Words says the change in plain words.
	Words string `json:"change"`
	// From is the value when the return was exported; To is the value in
	// the return.
	From string `json:"from"`
	To   string `json:"to"`
	// Conflict: the app changed the same thing after the return was
	// exported. AppNow is what the app holds now.
	Conflict bool   `json:"conflict,omitempty"`
	AppNow   string `json:"app_now,omitempty"`
	// Apply is whether to apply it; conflicts start unticked.
	Apply bool `json:"apply"`

	status    model.Status
	rag       model.RAG
	target    model.Date
	reason    string
	progress  string
	milestone model.ID
	completed model.Date
	// current is the register's value when compared, checked again before
	// applying so that a change made meanwhile is not overwritten.
	current string
}

// FindingDiff is every change to one finding.
type FindingDiff struct {
	Ref       string   `json:"ref"`
	Title     string   `json:"title"`
	FindingID model.ID `json:"-"`
	Row       int      `json:"row,omitempty"`
	Changes   []Change `json:"changes"`
	// ChangedInApp lists what was changed in the app after the export.
	ChangedInApp []string `json:"changed_in_app,omitempty"`
}

// Diff is what a returned workbook would change.
type Diff struct {
	FileName string        `json:"file"`
	Exported time.Time     `json:"exported,omitempty"`
	AsAt     model.Date    `json:"as_at,omitempty"`
	Findings []FindingDiff `json:"findings"`
	Problems []Problem     `json:"problems,omitempty"`
	Warnings []string      `json:"warnings,omitempty"`
	// DeliveryLead is whose update request the workbook is, when it is
	// one.
	DeliveryLead string `json:"delivery_lead,omitempty"`
}

// Count returns the number of changes and how many are ticked.
func (d *Diff) Count() (all, ticked int) {
	for _, f := range d.Findings {
		for _, c := range f.Changes {
			all++
			if c.Apply {
				ticked++
			}
		}
	}
	return all, ticked
}

// Compare works out what the return changes against the register. A value
// the person left as exported is no change, even if the app has changed it
// since; a value both changed is a conflict.
func Compare(s model.Store, ret *Return) (*Diff, error) {
	d := &Diff{FileName: ret.FileName, Exported: ret.Exported, AsAt: ret.AsAt, Problems: append([]Problem(nil), ret.Problems...)}
	if ret.DeliveryLeadID != 0 {
		d.DeliveryLead = ret.DeliveryLead
		d.Warnings = append(d.Warnings, fmt.Sprintf("This is the update request sent to %s: only rows for the findings they lead are taken.", ret.DeliveryLead))
	}
	if ret.Exported.IsZero() {
		d.Warnings = append(d.Warnings, "The file does not say when it was exported, so changes made in the app since then cannot be told apart from the return's: check each change before applying it.")
	}
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		// What the export wrote: the register as it stood at the return's
		// as-at date, which is what the person saw and edited.
		var snap *model.Snapshot
		if !ret.AsAt.IsZero() {
			var err error
			if snap, err = model.TakeSnapshot(tx, ret.AsAt); err != nil {
				return err
			}
		}
		byRef := map[string]*FindingDiff{}
		var order []string
		get := func(ref string, line int, sheet string) (*FindingDiff, model.Finding, bool, error) {
			f, err := tx.FindingByRef(ref)
			if errors.Is(err, model.ErrNotFound) {
				d.Problems = append(d.Problems, Problem{Sheet: sheet, Row: line, Ref: ref, What: fmt.Sprintf("%s is not a reference in this register (was the return exported from another register, or the reference mistyped?)", ref)})
				return nil, f, false, nil
			} else if err != nil {
				return nil, f, false, err
			}
			if p := notTheirs(tx, ret, f); p != "" {
				d.Problems = append(d.Problems, Problem{Sheet: sheet, Row: line, Ref: ref, What: p})
				return nil, f, false, nil
			}
			fd := byRef[f.Ref]
			if fd == nil {
				fd = &FindingDiff{Ref: f.Ref, Title: f.DisplayTitle(), FindingID: f.ID, Row: line}
				byRef[f.Ref] = fd
				order = append(order, f.Ref)
			}
			return fd, f, true, nil
		}
		for _, row := range ret.Rows {
			fd, f, ok, err := get(row.Ref, row.Line, "Return")
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := compareRow(tx, ret, snap, d, fd, f, row); err != nil {
				return fmt.Errorf("%s: %w", f.Ref, err)
			}
		}
		for _, m := range ret.Milestones {
			if m.Completed == nil || m.Completed.IsZero() {
				continue
			}
			fd, f, ok, err := get(m.Ref, m.Line, "Milestones")
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			if err := compareMilestone(tx, ret, snap, d, fd, f, m); err != nil {
				return fmt.Errorf("%s: %w", f.Ref, err)
			}
		}
		for _, ref := range order {
			fd := byRef[ref]
			if err := checkLifecycle(tx, d, fd); err != nil {
				return fmt.Errorf("%s: %w", ref, err)
			}
			if len(fd.Changes) > 0 {
				d.Findings = append(d.Findings, *fd)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("comparing %s with the register: %w", ret.FileName, err)
	}
	sort.SliceStable(d.Problems, func(i, j int) bool {
		if d.Problems[i].Sheet != d.Problems[j].Sheet {
			return d.Problems[i].Sheet > d.Problems[j].Sheet // Return before Milestones
		}
		return d.Problems[i].Row < d.Problems[j].Row
	})
	return d, nil
}

// checkLifecycle holds a finding's status and RAG changes to the rules the
// app obeys (model's lifecycle), so that a returned spreadsheet cannot do
// what the finding editor refuses. A change the lifecycle forbids, a RAG
// that contradicts the status, and closing with milestones still open are
// listed as problems in words and not imported; the rest of the row is.
// Where the person changed the status and left the RAG as exported, the RAG
// follows the status as it does in the app: complete means Blue.
func checkLifecycle(tx model.ReadTx, d *Diff, fd *FindingDiff) error {
	f, err := tx.Finding(fd.FindingID)
	if err != nil {
		return err
	}
	var status, rag *Change
	completing := map[model.ID]bool{}
	for i := range fd.Changes {
		switch c := &fd.Changes[i]; c.Kind {
		case KindStatus:
			status = c
		case KindRAG:
			rag = c
		case KindMilestone:
			if c.Apply {
				completing[c.milestone] = true
			}
		}
	}
	if status == nil && rag == nil {
		return nil
	}
	to, toRAG := f.Status, f.RAG
	if status != nil {
		to = status.status
	}
	if rag != nil {
		toRAG = rag.rag
	}
	refuse := func(what string) {
		d.Problems = append(d.Problems, Problem{Sheet: "Return", Row: fd.Row, Ref: fd.Ref, What: what + " (the status and RAG are not imported)"})
		fd.Changes = slices.DeleteFunc(fd.Changes, func(c Change) bool { return c.Kind == KindStatus || c.Kind == KindRAG })
	}
	if status != nil && !model.CanMove(f.Status, to) {
		refuse(model.TransitionError(f.Ref, f.Status, to).(*model.ValidationError).Problem)
		return nil
	}
	if status != nil && f.Status.IsFinal() && !to.IsFinal() {
		refuse(fmt.Sprintf("%s was %s; reopening it needs a reason, recorded in the app", f.Ref, strings.ToLower(string(f.Status))))
		return nil
	}
	if to.InClosure() || to.IsFinal() {
		if rag == nil {
			settings, err := tx.Settings()
			if err != nil {
				return err
			}
			toRAG = settings.ClosedRAG()
		}
	}
	if p := model.RAGFits(to, toRAG); p != "" {
		refuse(fmt.Sprintf("the status and RAG contradict each other: %s", p))
		return nil
	}
	if status != nil {
		status.rag = toRAG
	}
	if status != nil && (to.InClosure() || to.IsFinal()) && !f.Status.InClosure() {
		ms, err := tx.Milestones(f.ID)
		if err != nil {
			return err
		}
		var open []string
		for _, m := range ms {
			if m.Open() && !completing[m.ID] {
				open = append(open, "“"+m.Title+"”")
			}
		}
		if len(open) > 0 {
			refuse(fmt.Sprintf("%s cannot become %q while milestones are open: %s. Complete them in the Milestones sheet, or record in the app whether each is no longer needed or carried into a successor",
				f.Ref, to, strings.Join(open, ", ")))
		}
	}
	return nil
}

// since returns the audit events of a finding after the export, oldest
// first.
func since(tx model.ReadTx, ret *Return, findingID model.ID) ([]model.AuditEvent, error) {
	if ret.Exported.IsZero() {
		return nil, nil
	}
	all, err := tx.Audit(findingID)
	if err != nil {
		return nil, err
	}
	// The workbook records when it was exported to the second; an edit in
	// that same second came before the export that read it.
	var out []model.AuditEvent
	for _, e := range all {
		if e.At.Truncate(time.Second).After(ret.Exported) {
			out = append(out, e)
		}
	}
	return out, nil
}

// asExported rolls a record back over the changes made to it after the
// export.
func asExported[T any](rec T, events []model.AuditEvent, entity model.Entity, id model.ID) (T, error) {
	var changes []model.FieldChange
	for _, e := range events {
		if e.Entity == entity && e.EntityID == id && e.Action == model.ActionChange {
			changes = append(changes, e.Changes...)
		}
	}
	if len(changes) == 0 {
		return rec, nil
	}
	err := model.RollBack(&rec, changes)
	return rec, err
}

func describeEvents(events []model.AuditEvent) []string {
	var out []string
	for _, e := range events {
		out = append(out, fmt.Sprintf("%s, %s: %s", e.At.Local().Format("02/01/2006 15:04"), e.Who, e.Summary))
	}
	return out
}

// compareRow compares one row with the finding. Three values meet: what
// the export showed (shown, the register as at the return's date), the
// register when the export was made (then) and now (f). The person changed
// a value when the row differs from what was shown; the app changed it
// when now differs from then; both is a conflict.
func compareRow(tx model.ReadTx, ret *Return, snap *model.Snapshot, d *Diff, fd *FindingDiff, f model.Finding, row Row) error {
	events, err := since(tx, ret, f.ID)
	if err != nil {
		return err
	}
	if len(events) > 0 && len(fd.ChangedInApp) == 0 {
		fd.ChangedInApp = describeEvents(events)
	}
	then, err := asExported(f, events, model.EntityFinding, f.ID)
	if err != nil {
		return err
	}
	base := then
	if snap != nil {
		if shown, ok := snap.Finding(f.ID); ok {
			base = shown
		}
	}
	add := func(c Change, appChanged bool) {
		c.Apply = true
		if appChanged {
			c.Conflict, c.Apply = true, false
		}
		fd.Changes = append(fd.Changes, c)
	}
	if row.Status != nil && *row.Status != base.Status && *row.Status != f.Status {
		add(Change{Kind: KindStatus, From: string(base.Status), To: string(*row.Status), AppNow: string(f.Status),
			Words:  fmt.Sprintf("Status: %s → %s", words(string(base.Status)), *row.Status),
			status: *row.Status, current: string(f.Status)}, f.Status != then.Status)
	}
	if row.RAG != nil && *row.RAG != base.RAG && *row.RAG != f.RAG {
		add(Change{Kind: KindRAG, From: ragWords(base.RAG), To: ragWords(*row.RAG), AppNow: ragWords(f.RAG),
			Words: fmt.Sprintf("RAG: %s → %s", ragWords(base.RAG), ragWords(*row.RAG)),
			rag:   *row.RAG, current: string(f.RAG)}, f.RAG != then.RAG)
	}
	if row.Target != nil && *row.Target != base.CurrentTarget && *row.Target != f.CurrentTarget {
		if row.Target.IsZero() {
			d.Problems = append(d.Problems, Problem{Sheet: "Return", Row: row.Line, Ref: row.Ref, What: "the current target was cleared; a target date cannot be removed, only moved (the change is not imported)"})
		} else if strings.TrimSpace(row.Reason) == "" {
			// The app asks for the reason a target moved and who agreed
			// it; a return is held to the same rule.
			d.Problems = append(d.Problems, Problem{Sheet: "Return", Row: row.Line, Ref: row.Ref,
				What: fmt.Sprintf("the current target moved from %s to %s with no reason; add a “%s” column with the reason it moved and who agreed it, or move it in the app (the change is not imported)",
					words(base.CurrentTarget.String()), row.Target, hReason[0])})
		} else {
			reason := strings.TrimSpace(row.Reason)
			w := fmt.Sprintf("Current target: %s → %s (reason: %s)", words(base.CurrentTarget.String()), row.Target, reason)
			add(Change{Kind: KindTarget, From: base.CurrentTarget.String(), To: row.Target.String(), AppNow: f.CurrentTarget.String(),
				Words: w, target: *row.Target, reason: reason, current: f.CurrentTarget.String()}, f.CurrentTarget != then.CurrentTarget)
		}
	}
	if row.Progress != nil {
		updates, err := tx.Updates(f.ID)
		if err != nil {
			return err
		}
		text := newProgress(*row.Progress, updates)
		if text != "" {
			var appNew []string
			for _, u := range updates {
				if !ret.Exported.IsZero() && u.Recorded.After(ret.Exported) {
					appNew = append(appNew, u.Date.String()+" – "+u.Author+": "+u.Narrative)
				}
			}
			add(Change{Kind: KindProgress, To: text, AppNow: strings.Join(appNew, "\n\n"),
				Words: "New progress this period: “" + model.FirstSentence(text) + "”", progress: text,
				current: fmt.Sprint(len(updates))}, len(appNew) > 0)
		}
	}
	return nil
}

func compareMilestone(tx model.ReadTx, ret *Return, snap *model.Snapshot, d *Diff, fd *FindingDiff, f model.Finding, row MilestoneRow) error {
	ms, err := tx.Milestones(f.ID)
	if err != nil {
		return err
	}
	var m model.Milestone
	for _, x := range ms {
		if strings.EqualFold(strings.Join(strings.Fields(x.Title), " "), strings.Join(strings.Fields(row.Title), " ")) {
			m = x
			break
		}
	}
	if m.ID == 0 {
		d.Problems = append(d.Problems, Problem{Sheet: "Milestones", Row: row.Line, Ref: row.Ref,
			What: fmt.Sprintf("%s has no milestone “%s” (was it renamed in the spreadsheet?)", f.Ref, row.Title)})
		return nil
	}
	events, err := since(tx, ret, f.ID)
	if err != nil {
		return err
	}
	then, err := asExported(m, events, model.EntityMilestone, m.ID)
	if err != nil {
		return err
	}
	base := then
	if snap != nil {
		for _, x := range snap.MilestonesOf(f.ID) {
			if x.ID == m.ID {
				base = x
			}
		}
	}
	if *row.Completed == base.Completed || *row.Completed == m.Completed {
		return nil
	}
	c := Change{Kind: KindMilestone, From: words(base.Completed.String()), To: row.Completed.String(), AppNow: words(m.Completed.String()),
		Words:     fmt.Sprintf("Milestone “%s”: completed on %s", m.Title, row.Completed),
		milestone: m.ID, completed: *row.Completed, current: m.Completed.String(), Apply: true}
	if m.Completed != then.Completed {
		c.Conflict, c.Apply = true, false
	}
	fd.Changes = append(fd.Changes, c)
	return nil
}

// newProgress returns the text the person added to the progress cell: the
// cell without the updates the export wrote into it.
func newProgress(cell string, updates []model.Update) string {
	text := strings.ReplaceAll(cell, "\r\n", "\n")
	// Longest first, so an update's narrative is not removed from inside
	// the line that carries it.
	var known []string
	for _, u := range updates {
		n := strings.TrimSpace(u.Narrative)
		head := u.Date.String()
		if u.Author != "" {
			head += " – " + u.Author
		}
		known = append(known, head+": "+n, n)
	}
	sort.SliceStable(known, func(i, j int) bool { return len(known[i]) > len(known[j]) })
	for _, k := range known {
		if k != "" {
			text = strings.ReplaceAll(text, k, "")
		}
	}
	return strings.TrimSpace(collapseBlankLines(text))
}

func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	blank := false
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, strings.TrimRight(l, " "))
	}
	return strings.Join(out, "\n")
}

func words(s string) string {
	if strings.TrimSpace(s) == "" {
		return "(none)"
	}
	return s
}

func ragWords(r model.RAG) string {
	if r == "" {
		return "not rated"
	}
	return string(r)
}

// Applied says what an apply did.
type Applied struct {
	Findings   int
	Updates    int
	Targets    int
	Milestones int
}

// ErrNothingTicked is returned by Apply when no change is ticked.
var ErrNothingTicked = errors.New("no change is ticked: nothing to apply")

// Apply applies the ticked changes in one transaction: either all are
// stored, each with its audit entry saying "imported from FILE", or none
// is. New progress, status and RAG become one dated update per finding;
// a new target becomes a revision with its reason.
func (d *Diff) Apply(s model.Store, who string) (Applied, error) {
	var res Applied
	if _, ticked := d.Count(); ticked == 0 {
		return res, ErrNothingTicked
	}
	source := "imported from " + d.FileName
	err := s.Update(context.Background(), model.Actor{Who: who, Note: source}, func(tx model.Tx) error {
		res = Applied{}
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		author := strings.TrimSpace(who)
		if author == "" {
			author = strings.TrimSpace(settings.Author)
		}
		if author == "" {
			author = "Improvement Tracker user"
		}
		now := s.Now()
		day := model.Today(now)
		if !d.AsAt.IsZero() && day.After(d.AsAt) {
			// Progress written for a return belongs to its period.
			day = d.AsAt
		}
		for _, fd := range d.Findings {
			var picked []Change
			for _, c := range fd.Changes {
				if c.Apply {
					picked = append(picked, c)
				}
			}
			if len(picked) == 0 {
				continue
			}
			f, err := tx.Finding(fd.FindingID)
			if err != nil {
				return fmt.Errorf("%s: %w", fd.Ref, err)
			}
			updates, err := tx.Updates(f.ID)
			if err != nil {
				return err
			}
			var u *model.Update
			for _, c := range picked {
				if err := stillCurrent(tx, f, len(updates), c); err != nil {
					return fmt.Errorf("%s: %w", fd.Ref, err)
				}
				switch c.Kind {
				case KindTarget:
					f.TargetRevisions = append(f.TargetRevisions, model.Revision{From: f.CurrentTarget, To: c.target,
						Reason: c.reason, AgreedBy: author, Agreed: day, At: now, By: author})
					f.CurrentTarget = c.target
					if err := tx.SaveFinding(&f); err != nil {
						return fmt.Errorf("%s: %w", fd.Ref, err)
					}
					res.Targets++
				case KindMilestone:
					ms, err := tx.Milestones(f.ID)
					if err != nil {
						return err
					}
					for _, m := range ms {
						if m.ID == c.milestone {
							m.Completed = c.completed
							if err := tx.SaveMilestone(&m); err != nil {
								return fmt.Errorf("%s milestone “%s”: %w", fd.Ref, m.Title, err)
							}
							res.Milestones++
						}
					}
				default:
					if u == nil {
						u = &model.Update{FindingID: f.ID, Date: day, Status: f.Status, RAG: f.RAG, Author: author, Source: source}
					}
					switch c.Kind {
					case KindProgress:
						u.Narrative = c.progress
					case KindStatus:
						u.Status = c.status
						if c.rag != "" {
							// The RAG that goes with the new status
							// (checkLifecycle): complete means Blue.
							u.RAG = c.rag
						}
					case KindRAG:
						u.RAG = c.rag
					}
				}
			}
			if u != nil {
				if u.Narrative == "" {
					var what []string
					if u.Status != f.Status {
						what = append(what, "status to "+string(u.Status))
					}
					if u.RAG != f.RAG {
						what = append(what, "RAG to "+ragWords(u.RAG))
					}
					u.Narrative = "Changed " + strings.Join(what, " and ") + " in the returned spreadsheet " + d.FileName + "."
				}
				if err := tx.AppendUpdate(u); err != nil {
					return fmt.Errorf("%s: %w", fd.Ref, err)
				}
				res.Updates++
			}
			res.Findings++
		}
		return nil
	})
	if err != nil {
		return Applied{}, fmt.Errorf("nothing was applied: %w", err)
	}
	return res, nil
}

// ErrChangedSince is returned when the register changed between the
// comparison and the apply.
var ErrChangedSince = errors.New("changed in the register since the file was compared; compare the file again")

func stillCurrent(tx model.ReadTx, f model.Finding, nUpdates int, c Change) error {
	var now string
	switch c.Kind {
	case KindStatus:
		now = string(f.Status)
	case KindRAG:
		now = string(f.RAG)
	case KindTarget:
		now = f.CurrentTarget.String()
	case KindProgress:
		now = fmt.Sprint(nUpdates)
	case KindMilestone:
		ms, err := tx.Milestones(f.ID)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if m.ID == c.milestone {
				now = m.Completed.String()
			}
		}
	}
	if now != c.current {
		return ErrChangedSince
	}
	return nil
}

// notTheirs refuses a row of an update request for a finding its delivery
// lead does not lead, in words; "" when the row may be taken (or the
// workbook is not an update request).
func notTheirs(tx model.ReadTx, ret *Return, f model.Finding) string {
	if ret.DeliveryLeadID == 0 || f.DeliveryLeadID == ret.DeliveryLeadID {
		return ""
	}
	now := "no delivery lead"
	if p, err := tx.Person(f.DeliveryLeadID); err == nil {
		now = p.Label()
	}
	return fmt.Sprintf("%s is led by %s, not by %s, whose update request this is: the row is refused", f.Ref, now, ret.DeliveryLead)
}
