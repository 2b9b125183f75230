package export_test

import (
	"archive/zip"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

func buildBriefing(t *testing.T, s model.Store, opts export.BriefingOptions) (*export.Workbook, string) {
	t.Helper()
	w, err := newBriefing(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = w.Close() })
	path := filepath.Join(t.TempDir(), w.DefaultFileName())
	if _, err := w.Save(path, export.SaveOptions{}); err != nil {
		t.Fatal(err)
	}
	return w, path
}

// sections reads the briefing's column A into its sections: heading -> the
// first cells of the rows under it.
func sections(t *testing.T, path string) (map[string][][]string, []string) {
	t.Helper()
	f := openBook(t, path)
	out := map[string][][]string{}
	var order []string
	current := ""
	headings := []string{"Red and overdue findings", "Slipped milestones", "Proposed for closure to the inspectorate", "PCC responses due or overdue",
		"Changes since the last briefing", "Changes in the last 30 days", model.FigureInViewName}
	for _, r := range rows(t, f, export.SheetBriefing) {
		if len(r) == 0 {
			continue
		}
		isHeading := false
		for _, h := range headings {
			if r[0] == h {
				current, isHeading = h, true
				order = append(order, h)
			}
		}
		if !isHeading && current != "" {
			out[current] = append(out[current], r)
		}
	}
	return out, order
}

func TestBriefingExceptionsFirstWithChart(t *testing.T) {
	s, _ := sampleStore(t)
	asAt := model.MustDate("31/12/2025")
	w, path := buildBriefing(t, s, export.BriefingOptions{AsAt: asAt, Marking: sensitive})
	if got := filepath.Base(path); got != "OFFICIAL-SENSITIVE – Kent Police – chief officer briefing 31-12-2025.xlsx" {
		t.Errorf("file name %q", got)
	}
	secs, order := sections(t, path)
	// The Kent PCC's response (due 23/06/2022) is not recorded in the
	// sample, so the briefing lists it as overdue.
	want := []string{"Red and overdue findings", "Slipped milestones", "Proposed for closure to the inspectorate", "PCC responses due or overdue",
		"Changes in the last 30 days", model.FigureInViewName}
	if strings.Join(order, "|") != strings.Join(want, "|") {
		t.Errorf("sections %v, want %v", order, want)
	}

	// Every red or overdue finding of the snapshot is listed with its
	// latest reason.
	var snap *model.Snapshot
	if err := s.View(context.Background(), func(tx model.ReadTx) (err error) { snap, err = model.TakeSnapshot(tx, asAt); return }); err != nil {
		t.Fatal(err)
	}
	exceptions := snap.Exceptions()
	if len(exceptions) == 0 {
		t.Fatal("the sample has no exceptions at 31/12/2025")
	}
	listed := map[string][]string{}
	for _, r := range secs["Red and overdue findings"][1:] {
		listed[r[0]] = r
	}
	for _, e := range exceptions {
		r, ok := listed[e.Finding.Ref]
		if !ok {
			t.Errorf("%s is red or overdue but not listed", e.Finding.Ref)
			continue
		}
		if r[len(r)-1] != e.Reason || e.Reason == "" {
			t.Errorf("%s reason %q, want %q", e.Finding.Ref, r[len(r)-1], e.Reason)
		}
	}
	if len(w.Rows()) != len(exceptions) {
		t.Errorf("recorded rows %d, exceptions %d", len(w.Rows()), len(exceptions))
	}
	if n := len(secs["Slipped milestones"]) - 1; n != len(snap.SlippedMilestones()) {
		t.Errorf("%d slipped milestones listed, want %d", n, len(snap.SlippedMilestones()))
	}

	f := openBook(t, path)
	if got := cell(t, f, export.SheetBriefing, 1, 1); got != "OFFICIAL-SENSITIVE" {
		t.Errorf("A1 = %q", got)
	}
	hf, _ := f.GetHeaderFooter(export.SheetBriefing)
	if !strings.Contains(hf.OddHeader, "&COFFICIAL-SENSITIVE") && !strings.Contains(hf.OddHeader, "&12OFFICIAL-SENSITIVE&R") {
		t.Errorf("header %q lacks the marking", hf.OddHeader)
	}
	if !strings.Contains(hf.OddFooter, "OFFICIAL-SENSITIVE&R") || !strings.Contains(hf.OddFooter, "Page &P of &N") {
		t.Errorf("footer %q", hf.OddFooter)
	}
	if pages := briefingPages(t, path); len(pages) < 1 || len(pages) > 2 {
		t.Errorf("the briefing prints on %d pages, want one or two", len(pages))
	}

	// A native chart, of areas by RAG.
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	charts := 0
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/charts/chart") {
			continue
		}
		charts++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		// Each series' legend entry names a RAG; "Not rated" is there
		// only when some finding charted has no rating.
		series := regexp.MustCompile(`<ser>.*?<tx><strRef><f>[^<]*!\$([A-Z]+)\$(\d+)</f>.*?<val><numRef><f>[^<]*!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)</f>`).
			FindAllStringSubmatch(string(xml), -1)
		if len(series) == 0 {
			t.Fatalf("the chart has no series: %.300s", xml)
		}
		for _, m := range series {
			name := cell(t, f, export.SheetBriefing, colNum(t, m[1]), atoi(t, m[2]))
			if name != "Not rated" {
				continue
			}
			total := 0
			for r := atoi(t, m[4]); r <= atoi(t, m[5]); r++ {
				if v := cell(t, f, export.SheetBriefing, colNum(t, m[3]), r); v != "" {
					total += atoi(t, v)
				}
			}
			if total == 0 {
				t.Errorf("the chart's legend shows Not rated, though every finding charted is rated")
			}
		}
	}
	if charts != 1 {
		t.Errorf("%d charts in the workbook, want 1", charts)
	}
}

// colNum is a column's number from its letters.
func colNum(t *testing.T, letters string) int {
	t.Helper()
	n, err := excelize.ColumnNameToNumber(letters)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBriefingFilterAndChangesSinceLast(t *testing.T) {
	s, c := sampleStore(t)
	var lead model.Person
	err := s.View(context.Background(), func(tx model.ReadTx) error {
		leads, err := model.ChiefOfficers(tx)
		if err != nil {
			return err
		}
		lead, err = model.FindLead(leads, "acc crime")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	first := model.MustDate("30/11/2025")
	w, path := buildBriefing(t, s, export.BriefingOptions{AsAt: first, LeadID: lead.ID})
	if w.Filter != lead.Label() || !strings.Contains(filepath.Base(path), lead.Label()) {
		t.Errorf("filter %q, file %q", w.Filter, filepath.Base(path))
	}
	var mine map[string]bool
	err = s.View(context.Background(), func(tx model.ReadTx) error {
		fs, err := tx.Findings()
		mine = map[string]bool{}
		for _, f := range fs {
			mine[f.Ref] = f.ChiefOfficerID == lead.ID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	secs, _ := sections(t, path)
	for name, rs := range secs {
		if name == model.FigureInViewName {
			continue
		}
		for _, r := range rs[1:] {
			if strings.HasPrefix(r[0], "KEN-") && !mine[r[0]] {
				t.Errorf("%s lists %s, which another chief officer leads", name, r[0])
			}
		}
	}

	sub := w.Submission(export.Saved{Path: path, SHA256: "00"}, "Improvement lead", c.now)
	if err := export.RecordSubmission(s, &sub); err != nil {
		t.Fatal(err)
	}
	_, next := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), LeadID: lead.ID})
	secs, order := sections(t, next)
	found := false
	for _, h := range order {
		found = found || h == "Changes since the last briefing"
	}
	if !found {
		t.Errorf("sections %v: the next briefing does not compare with the recorded one", order)
	}
	f := openBook(t, next)
	if caption := cell(t, f, export.SheetBriefing, 1, 3); !strings.Contains(caption, "since the last briefing, as at 30/11/2025") {
		t.Errorf("caption %q", caption)
	}
	for _, r := range secs["Changes since the last briefing"][1:] {
		// The date column takes the room of the empty column before it:
		// it starts in column D.
		if strings.HasPrefix(r[0], "KEN-") && len(r) > 3 {
			d, err := model.ParseDate(r[3])
			if err != nil || !d.After(first) {
				t.Errorf("change dated %q is not after the last briefing", r[3])
			}
		}
	}
}
