package returns_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/importer/returns"
	"improvementtracker/model"
	"improvementtracker/sample"
	"improvementtracker/storage/bolt"
)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// The sample's progress runs into 2026, so the return is the quarter the
// clock is in.
var q3 = model.Quarter{StartYear: 2026, Q: 3}

// setup loads the sample and exports its Q3 2025/26 return, as an
// improvement lead would before sending it to delivery leads.
func setup(t *testing.T, password string) (*bolt.Store, *clock, string) {
	t.Helper()
	c := &clock{now: time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)}
	s, err := bolt.Open(filepath.Join(t.TempDir(), "register.db"), bolt.Options{Now: c.Now, NoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if problems, err := s.Check(); err != nil || len(problems) > 0 {
			t.Errorf("register check: %v %v", problems, err)
		}
		s.Close()
	})
	if err := sample.Load(s); err != nil {
		t.Fatal(err)
	}
	opts := export.ReturnOptions{Period: q3, Marking: model.Marking{Classification: model.OfficialSensitive}, Now: s.Now()}
	var src export.Source
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { src, err = export.ReadSource(tx, opts.AsAtDate()); return }); err != nil {
		t.Fatal(err)
	}
	w, err := export.BuildReturn(src, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	path := filepath.Join(t.TempDir(), "Q3 return (delivery lead).xlsx")
	if _, err := w.Save(path, export.SaveOptions{Password: password}); err != nil {
		t.Fatal(err)
	}
	c.now = c.now.Add(time.Hour)
	return s, c, path
}

// sheet is a worksheet opened for editing the way a person would.
type sheet struct {
	t    *testing.T
	f    *excelize.File
	name string
}

func edit(t *testing.T, path, password string, fn func(ret, ms *sheet)) {
	t.Helper()
	f, err := excelize.OpenFile(path, excelize.Options{Password: password})
	if err != nil {
		t.Fatal(err)
	}
	fn(&sheet{t, f, "Return"}, &sheet{t, f, "Milestones"})
	if err := f.SaveAs(path, excelize.Options{Password: password}); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

const headerRow = 3

func (s *sheet) col(header string) string {
	s.t.Helper()
	rows, err := s.f.GetRows(s.name)
	if err != nil {
		s.t.Fatal(err)
	}
	for i, h := range rows[headerRow-1] {
		if h == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	s.t.Fatalf("%s has no column %q", s.name, header)
	return ""
}

// row returns the spreadsheet row holding ref in the given column.
func (s *sheet) row(refCol, ref string) int {
	s.t.Helper()
	rows, _ := s.f.GetRows(s.name)
	c, _ := excelize.ColumnNameToNumber(refCol)
	for i, r := range rows {
		if len(r) >= c && r[c-1] == ref {
			return i + 1
		}
	}
	s.t.Fatalf("%s has no row for %s", s.name, ref)
	return 0
}

func (s *sheet) get(col string, row int) string {
	v, _ := s.f.GetCellValue(s.name, fmt.Sprintf("%s%d", col, row))
	return v
}

func (s *sheet) set(col string, row int, v any) {
	s.t.Helper()
	if err := s.f.SetCellValue(s.name, fmt.Sprintf("%s%d", col, row), v); err != nil {
		s.t.Fatal(err)
	}
}

func auditCount(t *testing.T, s model.Store) int {
	var n int
	s.View(context.Background(), func(tx model.ReadTx) error {
		ev, err := tx.Audit(0)
		n = len(ev)
		return err
	})
	return n
}

func finding(t *testing.T, s model.Store, ref string) (model.Finding, []model.Update) {
	t.Helper()
	var f model.Finding
	var us []model.Update
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		if f, err = tx.FindingByRef(ref); err != nil {
			return err
		}
		us, err = tx.Updates(f.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return f, us
}

func TestRoundTrip(t *testing.T) {
	s, c, path := setup(t, "")
	const (
		statusRef   = "KEN-PEEL2122-AFI-08" // domestic abuse team resourcing
		progressRef = "KEN-PEEL2122-AFI-16" // bail and RUI
		targetRef   = "KEN-PEEL2122-AFI-17" // RSO model
		deletedRef  = "KEN-PEEL2122-AFI-01"
		conflictRef = "KEN-PEEL2122-AFI-13"
	)
	conflictBefore, _ := finding(t, s, conflictRef)
	// After the export, someone changes the conflict finding's RAG in the app.
	appRAG := model.Red
	if conflictBefore.RAG == model.Red {
		appRAG = model.Amber
	}
	if err := s.Update(context.Background(), model.Actor{Who: "Improvement Lead"}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: conflictBefore.ID, Date: model.NewDate(2026, 11, 25),
			Narrative: "Reviewed at the board.", Status: conflictBefore.Status, RAG: appRAG})
	}); err != nil {
		t.Fatal(err)
	}
	oldProgress := ""
	var milestoneTitle string
	edit(t, path, "", func(r, ms *sheet) {
		ref := r.col("Ref")
		// A person re-sorts the rows (newest reference first) ...
		rows, _ := r.f.GetRows(r.name)
		data := rows[headerRow:]
		for i := range data {
			src := data[len(data)-1-i]
			for j, v := range src {
				cell, _ := excelize.CoordinatesToCellName(j+1, headerRow+1+i)
				r.f.SetCellValue(r.name, cell, v)
			}
		}
		// ... moves the Status column to the end and hides Finding (verbatim) ...
		status := r.col("Status")
		last, _ := excelize.ColumnNumberToName(len(rows[headerRow-1]) + 1)
		for i := 1; i <= len(rows); i++ {
			r.set(last, i, r.get(status, i))
		}
		if err := r.f.RemoveCol(r.name, status); err != nil {
			t.Fatal(err)
		}
		r.f.SetColVisible(r.name, r.col("Finding (verbatim)"), false)
		ref = r.col("Ref")
		// ... changes a status, typing it short ...
		r.set(r.col("Status"), r.row(ref, statusRef), "complete")
		// ... adds progress under what was exported ...
		pr := r.row(ref, progressRef)
		oldProgress = r.get(r.col("Progress this period"), pr)
		r.set(r.col("Progress this period"), pr, strings.TrimSpace(oldProgress+"\n\nBail reviews now weekly; 40 RUI cases closed in December."))
		// ... moves a target, adding a column for the reason ...
		tr := r.row(ref, targetRef)
		r.set(r.col("Current target"), tr, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC))
		reason, _ := excelize.ColumnNumberToName(len(rows[headerRow-1]) + 2)
		r.set(reason, headerRow, "Reason for new target")
		r.set(reason, tr, "Awaiting the new ViSOR unit structure")
		// ... changes the RAG the app also changed ...
		r.set(r.col("RAG"), r.row(ref, conflictRef), "Green")
		// ... and deletes a row.
		if err := r.f.RemoveRow(r.name, r.row(ref, deletedRef)); err != nil {
			t.Fatal(err)
		}
		// On the Milestones sheet, a milestone of the status finding is done.
		mref := ms.col("Finding ref")
		mr := ms.row(mref, statusRef)
		for ms.get(ms.col("Completed"), mr) != "" {
			mr++
			if ms.get(mref, mr) != statusRef {
				t.Fatal("no open milestone to complete")
			}
		}
		milestoneTitle = ms.get(ms.col("Milestone"), mr)
		ms.set(ms.col("Completed"), mr, time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC))
	})

	ret, err := returns.ReadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, s)
	d, err := returns.Compare(s, ret)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Problems) != 0 {
		t.Errorf("problems: %v", d.Problems)
	}
	got := map[string][]returns.Change{}
	for _, fd := range d.Findings {
		got[fd.Ref] = fd.Changes
	}
	want := map[string][]returns.Kind{
		statusRef:   {returns.KindStatus, returns.KindMilestone},
		progressRef: {returns.KindProgress},
		targetRef:   {returns.KindTarget},
		conflictRef: {returns.KindRAG},
	}
	if len(got) != len(want) {
		t.Errorf("changes for %d findings, want %d: %+v", len(got), len(want), d.Findings)
	}
	for ref, kinds := range want {
		cs := got[ref]
		if len(cs) != len(kinds) {
			t.Errorf("%s: %d changes %+v, want %v", ref, len(cs), cs, kinds)
			continue
		}
		for i, k := range kinds {
			if cs[i].Kind != k {
				t.Errorf("%s change %d: %s, want %s", ref, i, cs[i].Kind, k)
			}
		}
	}
	if c := got[conflictRef]; len(c) == 1 && (!c[0].Conflict || c[0].Apply || c[0].AppNow != string(appRAG) || c[0].To != "Green") {
		t.Errorf("conflict not shown side by side: %+v", c[0])
	}
	if c := got[progressRef]; len(c) == 1 && c[0].To != "Bail reviews now weekly; 40 RUI cases closed in December." {
		t.Errorf("new progress %q", c[0].To)
	}
	if c := got[targetRef]; len(c) == 1 && !strings.Contains(c[0].Words, "30/09/2026 (reason: Awaiting the new ViSOR unit structure)") {
		t.Errorf("target change in words: %q", c[0].Words)
	}
	if auditCount(t, s) != before {
		t.Fatal("comparing changed the register")
	}

	c.now = c.now.Add(time.Hour)
	res, err := d.Apply(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if res.Findings != 3 || res.Updates != 2 || res.Targets != 1 || res.Milestones != 1 {
		t.Errorf("applied %+v", res)
	}
	f, us := finding(t, s, statusRef)
	if f.Status != model.CompletePending {
		t.Errorf("%s status %q", statusRef, f.Status)
	}
	if last := us[len(us)-1]; last.Source != "imported from Q3 return (delivery lead).xlsx" || last.Date != model.NewDate(2026, 11, 25) {
		t.Errorf("update source %q date %v", last.Source, last.Date)
	}
	_, us = finding(t, s, progressRef)
	if last := us[len(us)-1]; last.Narrative != "Bail reviews now weekly; 40 RUI cases closed in December." {
		t.Errorf("progress %q", last.Narrative)
	}
	f, _ = finding(t, s, targetRef)
	if f.CurrentTarget != model.NewDate(2026, 9, 30) || f.TargetRevisions[len(f.TargetRevisions)-1].Reason != "Awaiting the new ViSOR unit structure" {
		t.Errorf("target %v revisions %+v", f.CurrentTarget, f.TargetRevisions)
	}
	f, _ = finding(t, s, conflictRef)
	if f.RAG != appRAG {
		t.Errorf("the unticked conflict was applied: RAG %q", f.RAG)
	}
	var done bool
	s.View(context.Background(), func(tx model.ReadTx) error {
		sf, _ := tx.FindingByRef(statusRef)
		ms, _ := tx.Milestones(sf.ID)
		for _, m := range ms {
			if m.Title == milestoneTitle && m.Completed == model.NewDate(2026, 11, 19) {
				done = true
			}
		}
		ev, _ := tx.Audit(0)
		for _, e := range ev[before:] {
			if !strings.Contains(e.Note, "imported from Q3 return (delivery lead).xlsx") {
				t.Errorf("audit event without its source: %+v", e)
			}
		}
		return nil
	})
	if !done {
		t.Errorf("milestone %q not completed", milestoneTitle)
	}

	// The same file again: nothing left to apply.
	again, err := returns.Compare(s, ret)
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range again.Findings {
		for _, ch := range fd.Changes {
			if !ch.Conflict {
				t.Errorf("after applying, %s still shows %s", fd.Ref, ch.Words)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	s, _, path := setup(t, "")
	const ref = "KEN-PEEL2122-AFI-08"
	copyOf := func(name string, fn func(r, ms *sheet)) string {
		b, _ := os.ReadFile(path)
		p := filepath.Join(t.TempDir(), name)
		os.WriteFile(p, b, 0o644)
		if fn != nil {
			edit(t, p, "", fn)
		}
		return p
	}
	rowProblems := map[string]struct {
		edit func(r, ms *sheet)
		want string
	}{
		"unknown ref": {func(r, _ *sheet) { r.set(r.col("Ref"), r.row(r.col("Ref"), ref), "KEN-PEEL2122-AFI-99") },
			"KEN-PEEL2122-AFI-99 is not a reference in this register"},
		"unreadable date": {func(r, _ *sheet) { r.set(r.col("Current target"), r.row(r.col("Ref"), ref), "end of March") },
			`the current target cannot be read: "end of March" is not a date`},
		"status not in the list": {func(r, _ *sheet) { r.set(r.col("Status"), r.row(r.col("Ref"), ref), "Nearly done") },
			`the status "Nearly done" is not a status; use one of:`},
	}
	for name, tc := range rowProblems {
		t.Run(name, func(t *testing.T) {
			before := auditCount(t, s)
			ret, err := returns.ReadFile(copyOf(name+".xlsx", tc.edit), "")
			if err != nil {
				t.Fatal(err)
			}
			d, err := returns.Compare(s, ret)
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, p := range d.Problems {
				if strings.Contains(p.String(), tc.want) && p.Row > headerRow {
					found = true
				}
			}
			if !found {
				t.Errorf("problems %v, want one with %q", d.Problems, tc.want)
			}
			if auditCount(t, s) != before {
				t.Error("the register changed")
			}
		})
	}

	fileErrors := map[string]struct {
		path     func() string
		password string
		want     error
	}{
		"not a return": {func() string {
			f := excelize.NewFile()
			f.SetCellValue("Sheet1", "A1", "Budget")
			p := filepath.Join(t.TempDir(), "budget.xlsx")
			f.SaveAs(p)
			return p
		}, "", returns.ErrNotReturn},
		"not a workbook": {func() string {
			p := filepath.Join(t.TempDir(), "notes.xlsx")
			os.WriteFile(p, []byte("just some notes"), 0o644)
			return p
		}, "", returns.ErrNotReturn},
		"missing ref column": {func() string {
			return copyOf("noref.xlsx", func(r, _ *sheet) {
				if err := r.f.RemoveCol(r.name, r.col("Ref")); err != nil {
					t.Fatal(err)
				}
			})
		}, "", returns.ErrNoRefColumn},
		"password without the password": {func() string {
			_, _, p := setup(t, "Secret-2026")
			return p
		}, "", returns.ErrPassword},
		"wrong password": {func() string {
			_, _, p := setup(t, "Secret-2026")
			return p
		}, "guess", returns.ErrWrongPassword},
	}
	for name, tc := range fileErrors {
		t.Run(name, func(t *testing.T) {
			_, err := returns.ReadFile(tc.path(), tc.password)
			if !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	t.Run("right password", func(t *testing.T) {
		_, _, p := setup(t, "Secret-2026")
		ret, err := returns.ReadFile(p, "Secret-2026")
		if err != nil || len(ret.Rows) == 0 {
			t.Errorf("got %v with %d rows", err, len(ret.Rows))
		}
	})
}

// TestFailedApplyChangesNothing: one ticked change the register refuses
// when it is applied (its finding changed in the app after the comparison)
// stops the whole apply, so the good change beside it is not stored either.
func TestFailedApplyChangesNothing(t *testing.T) {
	s, _, path := setup(t, "")
	edit(t, path, "", func(r, _ *sheet) {
		ref := r.col("Ref")
		r.set(r.col("RAG"), r.row(ref, "KEN-PEEL2122-AFI-13"), "Amber")
		r.set(r.col("RAG"), r.row(ref, "KEN-PEEL2122-AFI-16"), "Amber")
	})
	ret, err := returns.ReadFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := returns.Compare(s, ret)
	if err != nil {
		t.Fatal(err)
	}
	if all, ticked := d.Count(); all != 2 || ticked != 2 {
		t.Fatalf("%d changes, %d ticked: %+v", all, ticked, d.Findings)
	}
	// Someone changes AFI-16 in the app before the import is applied.
	f16, _ := finding(t, s, "KEN-PEEL2122-AFI-16")
	if err := s.Update(context.Background(), model.Actor{}, func(tx model.Tx) error {
		return tx.AppendUpdate(&model.Update{FindingID: f16.ID, Date: model.MustDate("25/11/2026"), Narrative: "Reviewed at the board.", Status: model.InProgress, RAG: model.Green})
	}); err != nil {
		t.Fatal(err)
	}
	before := auditCount(t, s)
	rag := func() model.RAG { f, _ := finding(t, s, "KEN-PEEL2122-AFI-13"); return f.RAG }
	ragBefore := rag()
	_, err = d.Apply(s, "")
	if err == nil || !strings.Contains(err.Error(), "nothing was applied") || !strings.Contains(err.Error(), "KEN-PEEL2122-AFI-16") {
		t.Fatalf("want a refusal naming the finding, got %v", err)
	}
	if auditCount(t, s) != before || rag() != ragBefore {
		t.Error("a failed apply changed the register")
	}
}
