package export_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

var returnSheets = []string{export.SheetSummary, export.SheetReturn, export.SheetDetails, export.SheetMilestones,
	export.SheetChanges, export.SheetSinceLast, export.SheetKey}

func TestReturnSheetsColumnsAndMarking(t *testing.T) {
	s, _ := sampleStore(t)
	w, path := buildReturn(t, s, export.ReturnOptions{Marking: model.Marking{Classification: model.OfficialSensitive, Descriptor: "personal"}})
	if got := filepath.Base(path); got != "OFFICIAL-SENSITIVE PERSONAL – Kent Police – progress return Q3 2025-26.xlsx" {
		t.Errorf("file name %q", got)
	}
	f := openBook(t, path)
	if got := f.GetSheetList(); !reflect.DeepEqual(got, returnSheets) {
		t.Fatalf("sheets %v, want %v", got, returnSheets)
	}

	// Every column domain.md lists, with the two compound ones split so
	// that their dates are date cells.
	domain := [][]string{
		{"Ref"}, {"Inspectorate ref"}, {"Type"}, {"Report"}, {"Published"}, {"Area"}, {"Grade"},
		{"Finding (verbatim)"}, {"Chief officer lead"}, {"Delivery lead"}, {"Original target"},
		{"Current target"}, {"Revisions"}, {"Status"}, {"RAG"}, {"Days overdue"}, {"Progress this period"},
		{"Next milestone", "Next milestone due"}, {"Evidence"}, {"Closure proposed"},
		{"Inspectorate position"}, {"Last updated", "Last updated by"},
	}
	head, data := table(t, f, export.SheetReturn)
	if !reflect.DeepEqual(head, export.ReturnHeaders()) {
		t.Errorf("Return header %v, want %v", head, export.ReturnHeaders())
	}
	for _, cols := range domain {
		for _, c := range cols {
			colOf(t, head, c)
		}
	}
	if len(data) == 0 {
		t.Fatal("the sample's Q3 2025/26 return has no rows")
	}
	want := []string{"domestic abuse", "released under investigation", "registered sex offender"}
	all := ""
	for _, r := range data {
		all += strings.ToLower(r["Finding (verbatim)"] + " " + r["Title"])
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("the return does not mention %q", w)
		}
	}

	mark := "OFFICIAL-SENSITIVE PERSONAL"
	for _, sheet := range returnSheets {
		if got := cell(t, f, sheet, 1, 1); got != mark {
			t.Errorf("%s!A1 = %q, want the marking", sheet, got)
		}
		hf, err := f.GetHeaderFooter(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for name, text := range map[string]string{"header": hf.OddHeader, "footer": hf.OddFooter} {
			centre := text[strings.Index(text, "&C"):]
			centre = centre[:strings.Index(centre, "&R")]
			if !strings.HasSuffix(centre, mark) {
				t.Errorf("%s %s centre section %q lacks the marking", sheet, name, centre)
			}
		}
		for _, want := range []string{"Kent Police"} {
			if !strings.Contains(hf.OddHeader, want) {
				t.Errorf("%s header %q lacks %q", sheet, hf.OddHeader, want)
			}
		}
		if !strings.Contains(hf.OddHeader, "Q3 2025/26") || !strings.Contains(hf.OddHeader, "31/12/2025") {
			t.Errorf("%s header %q lacks the period and as-at date", sheet, hf.OddHeader)
		}
		if !strings.Contains(hf.OddFooter, "Page &P of &N") {
			t.Errorf("%s footer %q lacks page numbers", sheet, hf.OddFooter)
		}
		layout, err := f.GetPageLayout(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if *layout.Orientation != "landscape" || *layout.FitToWidth != 1 {
			t.Errorf("%s page layout: %s, %d wide", sheet, *layout.Orientation, *layout.FitToWidth)
		}
	}
	// Header rows repeat on every printed page of the table sheets.
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range []string{export.SheetReturn, export.SheetMilestones, export.SheetChanges, export.SheetSinceLast} {
		if !strings.HasSuffix(titles[sheet], "!$3:$3") {
			t.Errorf("%s print titles %q, want row 3", sheet, titles[sheet])
		}
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 3 {
			t.Errorf("%s panes %+v %v, want the rows to 3 frozen", sheet, panes, err)
		}
		tables, err := f.GetTables(sheet)
		if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A3:") {
			t.Errorf("%s tables %+v %v, want one table from A3", sheet, tables, err)
		}
	}

	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Title != "Kent Police – progress return Q3 2025/26" || props.Creator == "" || props.Created == "" || props.Subject == "" {
		t.Errorf("document properties %+v", props)
	}
	if w.Warnings != nil {
		t.Errorf("unexpected warnings %v", w.Warnings)
	}
}

func TestReturnDateCellsValidationAndColours(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	head, data := table(t, f, export.SheetReturn)

	raw := openBook(t, path, excelize.Options{RawCellValue: true})
	dates := 0
	for _, h := range []string{"Published", "Original target", "Current target", "Next milestone due", "Last updated"} {
		col := colOf(t, head, h)
		for i, r := range data {
			shown := r[h]
			if shown == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(col, 4+i)
			if _, err := model.ParseDate(shown); err != nil || len(shown) != 10 {
				t.Errorf("%s %s shows %q, want dd/mm/yyyy", h, ref, shown)
			}
			v, _ := raw.GetCellValue(export.SheetReturn, ref)
			typ, _ := raw.GetCellType(export.SheetReturn, ref)
			if strings.Contains(v, "/") || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
				t.Errorf("%s %s is stored as %q (type %v), want a date serial number", h, ref, v, typ)
			}
			dates++
		}
	}
	if dates == 0 {
		t.Fatal("no dates on the Return sheet")
	}

	dvs, err := f.GetDataValidations(export.SheetReturn)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, dv := range dvs {
		lists[strings.Split(dv.Sqref, ":")[0]] = dv.Formula1
	}
	statusCol, _ := excelize.ColumnNumberToName(colOf(t, head, "Status"))
	ragCol, _ := excelize.ColumnNumberToName(colOf(t, head, "RAG"))
	for _, st := range model.Statuses {
		if !strings.Contains(lists[statusCol+"4"], string(st)) {
			t.Errorf("status drop-down %q lacks %q", lists[statusCol+"4"], st)
		}
	}
	if got := lists[ragCol+"4"]; got != `"Red,Amber,Green,Blue"` {
		t.Errorf("RAG drop-down %q", got)
	}

	cfs, err := f.GetConditionalFormats(export.SheetReturn)
	if err != nil {
		t.Fatal(err)
	}
	var ragRules []string
	for ref, opts := range cfs {
		if strings.HasPrefix(ref, ragCol+"4:") {
			for _, o := range opts {
				ragRules = append(ragRules, o.Value)
			}
		}
	}
	if len(ragRules) != 4 {
		t.Errorf("RAG colour rules %v, want one per rating", ragRules)
	}
}

func TestReturnTotalsAddUp(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	_, data := table(t, f, export.SheetReturn)
	n := len(data)

	figure := func(label string) int {
		r := findRow(t, f, export.SheetSummary, label)
		if r == 0 {
			t.Fatalf("Summary has no %q", label)
		}
		return atoi(t, cell(t, f, export.SheetSummary, 2, r))
	}
	// The findings on the Return sheet are the total of the block by RAG.
	if r := findRow(t, f, export.SheetSummary, "Key figures"); r == 0 || cell(t, f, export.SheetSummary, 4, r) != export.FigureOnReturn {
		t.Fatalf("Summary has no %q beside its key figures", export.FigureOnReturn)
	} else if got := atoi(t, cell(t, f, export.SheetSummary, 5, r+7)); got != n {
		t.Errorf("Summary says %d findings, the Return sheet has %d rows", got, n)
	}
	if figure(export.FigureOpen)+figure(export.FigureClosed) != n {
		t.Errorf("open + closed != %d", n)
	}
	overdue, closed := 0, 0
	for _, r := range data {
		if r["Days overdue"] != "" {
			overdue++
		}
		if st, _ := model.ParseStatus(r["Status"]); st.IsFinal() {
			closed++
		}
	}
	if got := figure(export.FigureOverdue); got != overdue {
		t.Errorf("Summary overdue %d, Return has %d with days overdue", got, overdue)
	}
	if got := figure(export.FigureClosed); got != closed {
		t.Errorf("Summary closed %d, Return has %d closed", got, closed)
	}

	// Every "Total" row's last number is the row count, and each block's
	// column totals add up to it.
	all := rows(t, f, export.SheetSummary)
	totals := 0
	for i, r := range all {
		// A block's "Total" row starts in its first column: A, or D for
		// the counts by RAG beside the key figures. (A header's "Total"
		// has no count after it.)
		at := -1
		for j, v := range r {
			if v == "Total" && j+1 < len(r) {
				at = j
			}
		}
		if at < 0 {
			continue
		}
		r = r[at:]
		totals++
		sum := 0
		for _, v := range r[1 : len(r)-1] {
			sum += atoi(t, v)
		}
		last := atoi(t, r[len(r)-1])
		if last != n || (len(r) > 2 && sum != n) {
			t.Errorf("Summary row %d %v: total %d, sum %d, want %d", i+1, r, last, sum, n)
		}
	}
	if totals != 3 {
		t.Errorf("found %d total rows on the Summary, want 3", totals)
	}
}

func TestReturnFormulaInjectionIsText(t *testing.T) {
	s, _ := sampleStore(t)
	evil := `=HYPERLINK("http://x","y")`
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		f, err := tx.FindingByRef(firstRef(t, tx))
		if err != nil {
			return err
		}
		f.Title = evil
		f.InspectoratePosition = "@SUM(1+1)*cmd|' /C calc'!A0"
		return tx.SaveFinding(&f)
	})
	if err != nil {
		t.Fatal(err)
	}
	_, path := buildReturn(t, s, export.ReturnOptions{Period: thisQuarter})
	f := openBook(t, path)
	head, data := table(t, f, export.SheetReturn)
	found := false
	for i, r := range data {
		if r["Title"] != evil {
			continue
		}
		found = true
		for _, h := range []string{"Title", "Inspectorate position"} {
			ref, _ := excelize.CoordinatesToCellName(colOf(t, head, h), 4+i)
			formula, err := f.GetCellFormula(export.SheetReturn, ref)
			if err != nil || formula != "" {
				t.Errorf("%s holds formula %q (%v)", ref, formula, err)
			}
			typ, _ := f.GetCellType(export.SheetReturn, ref)
			if typ != excelize.CellTypeInlineString && typ != excelize.CellTypeSharedString {
				t.Errorf("%s has type %v, want text", ref, typ)
			}
			styleID, _ := f.GetCellStyle(export.SheetReturn, ref)
			style, _ := f.GetStyle(styleID)
			if style.NumFmt != 49 {
				t.Errorf("%s number format %d, want text (49)", ref, style.NumFmt)
			}
		}
	}
	if !found {
		t.Fatalf("no row titled %q", evil)
	}
}

// thisQuarter holds the test clock's date, so edits made in a test show in
// its return.
var thisQuarter = model.Quarter{StartYear: 2026, Q: 3}

func firstRef(t *testing.T, tx model.ReadTx) string {
	t.Helper()
	fs, err := tx.Findings()
	if err != nil || len(fs) == 0 {
		t.Fatal("no findings", err)
	}
	for _, f := range fs {
		if f.Type.Tracked() && !f.Status.IsFinal() {
			return f.Ref
		}
	}
	t.Fatal("no open finding")
	return ""
}

func TestReturnLongTextIsCutWithWarning(t *testing.T) {
	s, _ := sampleStore(t)
	long := strings.Repeat("The force will review every case. ", 1500) // about 51,000 characters
	var ref string
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		ref = firstRef(t, tx)
		f, err := tx.FindingByRef(ref)
		if err != nil {
			return err
		}
		f.Verbatim = long
		f.WordingMissing = false
		return tx.SaveFinding(&f)
	})
	if err != nil {
		t.Fatal(err)
	}
	w, path := buildReturn(t, s, export.ReturnOptions{Period: thisQuarter, AsAt: model.MustDate("25/11/2026")})
	if len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], ref) {
		t.Errorf("warnings %v, want one naming %s", w.Warnings, ref)
	}
	f := openBook(t, path)
	_, data := table(t, f, export.SheetReturn)
	for _, r := range data {
		if r["Ref"] != ref {
			continue
		}
		got := r["Finding (verbatim)"]
		if n := len(utf16.Encode([]rune(got))); n > export.MaxCellChars {
			t.Errorf("cell holds %d characters, over the limit", n)
		}
		if !strings.HasSuffix(got, export.TruncatedNote) || !strings.HasPrefix(got, "The force will review") {
			t.Errorf("cut text ends %q", got[len(got)-60:])
		}
		return
	}
	t.Fatalf("no row for %s", ref)
}

// TestReturnReproducible exports a past quarter, changes the register in
// every way a user might afterwards, and exports the same quarter again:
// every cell must be the same.
func TestReturnReproducible(t *testing.T) {
	s, c := sampleStore(t)
	_, before := buildReturn(t, s, export.ReturnOptions{})

	c.now = c.now.AddDate(0, 0, 1)
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		people, err := tx.People()
		if err != nil {
			return err
		}
		for i, f := range fs {
			if !f.Type.Tracked() || i%2 == 1 {
				continue
			}
			f.Title = "Renamed " + f.Title
			f.InspectoratePosition = "Changed after the return was sent"
			if !f.CurrentTarget.IsZero() {
				to := f.CurrentTarget.AddDays(90)
				f.TargetRevisions = append(f.TargetRevisions, model.Revision{From: f.CurrentTarget, To: to, Reason: "Slipped", AgreedBy: "Board", At: c.now})
				f.CurrentTarget = to
			}
			if len(people) > 1 {
				f.DeliveryLeadID = people[i%len(people)].ID
			}
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
			if err := tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.DateOf(c.now), Narrative: "Later progress",
				Status: model.InProgress, RAG: model.Red}); err != nil {
				return err
			}
			ms, err := tx.Milestones(f.ID)
			if err != nil {
				return err
			}
			for _, m := range ms {
				m.Completed = model.DateOf(c.now)
				m.Title += " (renamed)"
				if err := tx.SaveMilestone(&m); err != nil {
					return err
				}
			}
		}
		for _, p := range people {
			p.Name = "New " + p.Name
			if err := tx.SavePerson(&p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, after := buildReturn(t, s, export.ReturnOptions{})
	fb, fa := openBook(t, before), openBook(t, after)
	for _, sheet := range returnSheets {
		rb, ra := rows(t, fb, sheet), rows(t, fa, sheet)
		if !reflect.DeepEqual(rb, ra) {
			for i := range max(len(rb), len(ra)) {
				var x, y []string
				if i < len(rb) {
					x = rb[i]
				}
				if i < len(ra) {
					y = ra[i]
				}
				if !reflect.DeepEqual(x, y) {
					t.Errorf("%s row %d changed:\nbefore %q\nafter  %q", sheet, i+1, x, y)
					break
				}
			}
		}
	}
	// And the edits do show in today's return.
	_, today := buildReturn(t, s, export.ReturnOptions{Period: model.QuarterOf(model.DateOf(c.now)), AsAt: model.DateOf(c.now)})
	_, data := table(t, openBook(t, today), export.SheetReturn)
	renamed := false
	for _, r := range data {
		renamed = renamed || strings.HasPrefix(r["Title"], "Renamed ")
	}
	if !renamed {
		t.Error("today's return does not show the edits")
	}
}

func TestSavePasswordAndReplace(t *testing.T) {
	s, _ := sampleStore(t)
	w, err := newReturn(s, export.ReturnOptions{Period: q3, Marking: sensitive})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, w.DefaultFileName())
	if err := os.WriteFile(path, []byte("an earlier file"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Save(path, export.SaveOptions{Password: "s3cret"}); !errors.Is(err, export.ErrExists) {
		t.Fatalf("saving over a file without Replace: %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "an earlier file" {
		t.Fatal("the existing file was touched")
	}
	saved, err := w.Save(path, export.SaveOptions{Password: "s3cret", Replace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.SHA256) != 64 || saved.Size == 0 {
		t.Errorf("saved %+v", saved)
	}
	if _, err := excelize.OpenFile(path); err == nil {
		t.Error("the encrypted workbook opened without its password")
	}
	if _, err := excelize.OpenFile(path, excelize.Options{Password: "wrong"}); err == nil {
		t.Error("the encrypted workbook opened with the wrong password")
	}
	f := openBook(t, path, excelize.Options{Password: "s3cret"})
	if got := cell(t, f, export.SheetReturn, 1, 1); got != "OFFICIAL-SENSITIVE" {
		t.Errorf("A1 = %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want just the workbook", len(entries))
	}
}

func TestSaveFailureLeavesNoFile(t *testing.T) {
	s, _ := sampleStore(t)
	w, err := newReturn(s, export.ReturnOptions{Period: q3, Marking: sensitive})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := w.Save(filepath.Join(dir, "return.xlsx"), export.SaveOptions{}); err == nil {
		t.Fatal("saving a closed workbook succeeded")
	}
	if _, err := w.Save(filepath.Join(dir, "no such folder", "return.xlsx"), export.SaveOptions{}); err == nil {
		t.Fatal("saving into a missing folder succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed save left %v", entries)
	}
}

func TestSubmissionsAndChangesSinceLastReturn(t *testing.T) {
	s, c := sampleStore(t)
	q2 := model.Quarter{StartYear: 2025, Q: 2}
	w, path := buildReturn(t, s, export.ReturnOptions{Period: q2})
	_, data := table(t, openBook(t, path), export.SheetSinceLast)
	if len(data) != 1 || data[0]["Ref"] != "None: no earlier return has been recorded as submitted." {
		t.Errorf("with nothing recorded, the comparison lists %v; want only a line saying there is none", data)
	}
	saved := export.Saved{Path: path, SHA256: "ab12"}
	sub := w.Submission(saved, "", c.now)
	if err := export.RecordSubmission(s, &sub); err != nil {
		t.Fatal(err)
	}
	var subs []model.Submission
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { subs, err = tx.Submissions(); return }); err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Period != q2 || subs[0].AsAt != q2.LastDay() || subs[0].Marking != sensitive ||
		subs[0].SHA256 != "ab12" || len(subs[0].Rows) != len(w.Rows()) || subs[0].By == "" {
		t.Fatalf("recorded %+v", subs)
	}

	_, path3 := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path3)
	caption := cell(t, f, export.SheetSinceLast, 1, 2)
	if !strings.Contains(caption, "Q2 2025/26") || !strings.Contains(caption, "30/09/2025") {
		t.Errorf("caption %q does not name the last return", caption)
	}
	_, changes := table(t, f, export.SheetSinceLast)
	if len(changes) == 0 {
		t.Fatal("no changes since the Q2 return")
	}
	kinds := map[string]bool{}
	for _, ch := range changes {
		kinds[ch["Change"]+"/"+ch["Column"]] = true
	}
	if !kinds["Changed/Status"] && !kinds["Changed/RAG"] {
		t.Errorf("no status or RAG changes among %v", kinds)
	}
}

func TestExportsOfAnEmptyRegister(t *testing.T) {
	s, _ := openStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	// Each empty table says so in words rather than looking unfinished,
	// and keeps its reference column empty, which a return read back in
	// takes as a finding.
	for sheet, none := range map[string]string{
		export.SheetReturn:     "Title",
		export.SheetMilestones: "Milestone",
		export.SheetChanges:    "Date",
		export.SheetSinceLast:  "Ref",
	} {
		_, data := table(t, f, sheet)
		if len(data) != 1 || !strings.HasPrefix(data[0][none], "None: ") {
			t.Errorf("an empty register's %s sheet has rows %v; want one saying None in its %s column", sheet, data, none)
			continue
		}
		for h, v := range data[0] {
			if h != none && v != "" {
				t.Errorf("%s: the None line also fills %s with %q", sheet, h, v)
			}
		}
	}
	if got := cell(t, f, export.SheetSummary, 1, 1); got != "OFFICIAL-SENSITIVE" {
		t.Errorf("Summary!A1 = %q", got)
	}
	_, bpath := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025")})
	secs, _ := sections(t, bpath)
	if len(secs["Red and overdue findings"]) != 1 || !strings.Contains(secs["Red and overdue findings"][0][0], "No open finding") {
		t.Errorf("empty briefing: %v", secs["Red and overdue findings"])
	}
}

// TestControlCharactersStayReadable: the register refuses control
// characters now, but a file written before it did may hold them; the
// return still shows the text. The finding is written as such a file
// holds it, past the rules.
func TestControlCharactersStayReadable(t *testing.T) {
	s, _ := sampleStore(t)
	var f model.Finding
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		var err error
		f, err = tx.FindingByRef(firstRef(t, tx))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	f.InspectoratePosition = "Pasted from a PDF\x01\x02 with a form feed\f and a bell\a."
	if err := s.UpdateRecords(context.Background(), func(rec model.RecordWriter) error {
		return rec.Put(model.KindFinding, f.ID, &f)
	}); err != nil {
		t.Fatal(err)
	}
	_, path := buildReturn(t, s, export.ReturnOptions{Period: thisQuarter})
	_, data := table(t, openBook(t, path), export.SheetReturn)
	for _, r := range data {
		if strings.HasPrefix(r["Inspectorate position"], "Pasted from a PDF") {
			return
		}
	}
	t.Error("the text with control characters is missing from the return")
}
