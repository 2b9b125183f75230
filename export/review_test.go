package export_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

// TestHeaderKeepsLongNamesWithinTheLimit gives the force a long name with
// an ampersand and filters the briefing to a chief officer: the page header
// and footer stay within the 255 characters a spreadsheet allows, keep the
// marking whole in the centre, and cut the force's name only as far as they
// must, never leaving half of an escaped "&&".
func TestHeaderKeepsLongNamesWithinTheLimit(t *testing.T) {
	s, _ := sampleStore(t)
	force := "The Police Service of Northern Shires, Eastern Marches & Western Isles (Joint Collaboration Unit for Protective Services and Regional Organised Crime)"
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		st, err := tx.Settings()
		if err != nil {
			return err
		}
		st.ForceName = force
		return tx.SaveSettings(st)
	})
	if err != nil {
		t.Fatal(err)
	}
	marking := model.Marking{Classification: model.OfficialSensitive, Descriptor: "PERSONAL"}
	var lead model.ID
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		leads, err := model.ChiefOfficers(tx)
		if err != nil || len(leads) == 0 {
			t.Fatalf("no chief officers: %v", err)
		}
		lead = leads[0].ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	_, path := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), LeadID: lead, Marking: marking})
	_, rpath := buildReturn(t, s, export.ReturnOptions{Marking: marking})
	for _, p := range []string{path, rpath} {
		// The default name is cut to what every file system takes, the
		// marking first.
		name := filepath.Base(p)
		if len(name) > 130 || !strings.HasPrefix(name, "OFFICIAL-SENSITIVE PERSONAL – The Police Service") || !strings.HasSuffix(name, "….xlsx") {
			t.Errorf("default file name %q (%d bytes)", name, len(name))
		}
		f := openBook(t, p)
		for _, sheet := range f.GetSheetList() {
			hf, err := f.GetHeaderFooter(sheet)
			if err != nil {
				t.Fatal(err)
			}
			for what, text := range map[string]string{"header": hf.OddHeader, "footer": hf.OddFooter} {
				if n := utf8.RuneCountInString(text); n > 255 {
					t.Errorf("%s %s is %d characters, over 255", sheet, what, n)
				}
				if !strings.Contains(text, "&C&\"Arial,Bold\"&12OFFICIAL-SENSITIVE PERSONAL&R") {
					t.Errorf("%s %s lacks the whole marking in the centre: %q", sheet, what, text)
				}
				left := strings.TrimLeft(text[strings.Index(text, "&L&")+3:strings.Index(text, "&C")], "0123456789")
				if !strings.HasPrefix(left, "The Police Service of Northern Shires, Eastern Marches && Western Isles") {
					t.Errorf("%s %s cuts the force's name too short: %q", sheet, what, left)
				}
				if strings.HasSuffix(strings.TrimSuffix(left, "…"), "&") && !strings.HasSuffix(left, "&&…") {
					t.Errorf("%s %s ends in a lone &: %q", sheet, what, left)
				}
			}
		}
	}
}

// TestKeyExplainsTypesStatusesAndRAG checks that a reader who does not use
// the inspectorate's terms finds each type, status and RAG value on the Key
// sheet, "Not rated" included, with its meaning beside it.
func TestKeyExplainsTypesStatusesAndRAG(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	var terms []string
	for _, ty := range model.FindingTypes {
		terms = append(terms, string(ty))
	}
	for _, st := range model.Statuses {
		terms = append(terms, string(st))
	}
	for _, r := range model.RAGs {
		terms = append(terms, string(r))
	}
	terms = append(terms, "Not rated")
	for _, term := range terms {
		row := findRow(t, f, export.SheetKey, term)
		if row == 0 {
			t.Errorf("the Key does not list %q", term)
			continue
		}
		if meaning := cell(t, f, export.SheetKey, 2, row); meaning == "" {
			t.Errorf("the Key explains %q as %q", term, meaning)
		}
	}
	afi := findRow(t, f, export.SheetKey, "AFI")
	if got := cell(t, f, export.SheetKey, 2, afi); !strings.HasPrefix(got, "Area for improvement") {
		t.Errorf("the Key explains AFI as %q", got)
	}
	// Its meaning takes two lines: the row is tall enough to show both.
	if h, err := f.GetRowHeight(export.SheetKey, afi); err != nil || h < 25 {
		t.Errorf("the Key's AFI row is %.1f points tall (%v); its meaning needs two lines", h, err)
	}
}

// TestReturnBeforeItsAsAtDateIsProvisional exports the quarter under way,
// whose as-at date (its last day) has not come: the user is warned and the
// Summary says the figures are provisional. A return as at today is not.
func TestReturnBeforeItsAsAtDateIsProvisional(t *testing.T) {
	s, _ := sampleStore(t)
	w, path := buildReturn(t, s, export.ReturnOptions{Period: thisQuarter})
	if len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], "31/12/2026 has not come yet") {
		t.Errorf("warnings %q, want one saying the as-at date is still to come", w.Warnings)
	}
	f := openBook(t, path)
	if got := cell(t, f, export.SheetSummary, 1, 4); !strings.HasPrefix(got, "Provisional: made on 25/11/2026, before the as-at date.") {
		t.Errorf("Summary!A4 = %q, want the provisional note", got)
	}
	if row := findRow(t, f, export.SheetSummary, export.FigureOverdue); row == 0 {
		t.Error("the Summary lost its key figures")
	}

	w, path = buildReturn(t, s, export.ReturnOptions{Period: thisQuarter, AsAt: model.MustDate("25/11/2026")})
	if len(w.Warnings) != 0 {
		t.Errorf("a return as at today warns %q", w.Warnings)
	}
	if got := cell(t, openBook(t, path), export.SheetSummary, 1, 4); got != "" {
		t.Errorf("a return as at today says %q under its caption", got)
	}
}

// briefingPages reads back how the briefing sheet prints: landscape A4 at a
// set scale (a spreadsheet ignores manual page breaks when fitting to
// pages), with at most one manual break, which must fall on a section
// heading. It returns the height each page's content takes in print, in
// points, the chart included, and checks that each fits the page and that
// the columns fit its width.
func briefingPages(t *testing.T, path string) []float64 {
	t.Helper()
	f := openBook(t, path)
	const sheet = export.SheetBriefing
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage != nil && *props.FitToPage {
		t.Error("the briefing is fitted to pages, so its page break would be ignored")
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if layout.AdjustTo == nil {
		t.Fatal("the briefing has no set print scale")
	}
	if *layout.Orientation != "landscape" || *layout.Size != 9 || *layout.AdjustTo < 30 || *layout.AdjustTo > 100 {
		t.Fatalf("page layout %s, paper %d, scale %d%%; want landscape A4 at a readable set scale", *layout.Orientation, *layout.Size, *layout.AdjustTo)
	}
	scale := float64(*layout.AdjustTo) / 100

	read := func(name string) string { return unzipped(t, path, name) }
	var breaks []int
	for _, m := range regexp.MustCompile(`<brk id="(\d+)"`).FindAllStringSubmatch(read("xl/worksheets/sheet1.xml"), -1) {
		breaks = append(breaks, atoi(t, m[1])+1) // the first row of the next page
	}
	if len(breaks) > 1 {
		t.Fatalf("page breaks before rows %v; want two pages at most", breaks)
	}
	headings := map[string]bool{"Red and overdue findings": true, "Slipped milestones": true, "Proposed for closure to the inspectorate": true,
		"PCC responses due or overdue":    true,
		"Changes since the last briefing": true, "Changes in the last 30 days": true, model.FigureInViewName: true, "Area": true}
	for _, b := range breaks {
		// Page 2 starts at a section's heading, or inside a list with the
		// list's heading, marked as continued, and its column headings.
		a := cell(t, f, sheet, 1, b)
		if title, continued := strings.CutSuffix(a, " (continued)"); continued {
			if !headings[title] || cell(t, f, sheet, 1, b+1) != "Ref" || cell(t, f, sheet, 1, b-1) == "" {
				t.Errorf("page 2 starts at row %d, %q, without the list's column headings below or inside the list", b, a)
			}
		} else if !headings[a] {
			t.Errorf("page 2 starts at row %d, %q, not at a section heading", b, a)
		}
	}

	// The chart covers the rows from its anchor's first row (0-based in
	// the file) down to an offset (in EMU) into its last.
	chartTo, chartEnd := -1, 0.0
	if m := regexp.MustCompile(`<xdr:from><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row>.*<xdr:to><xdr:col>\d+</xdr:col><xdr:colOff>\d+</xdr:colOff><xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)</xdr:rowOff>`).
		FindStringSubmatch(read("xl/drawings/drawing1.xml")); m != nil {
		chartTo, chartEnd = atoi(t, m[2])+1, float64(atoi(t, m[3]))/12700
	}
	last := len(rows(t, f, sheet))
	if chartTo > last {
		last = chartTo
	}
	pages := []float64{0}
	for r := 1; r <= last; r++ {
		if len(breaks) > 0 && r == breaks[0] {
			pages = append(pages, 0)
		}
		h, err := f.GetRowHeight(sheet, r)
		if err != nil {
			t.Fatal(err)
		}
		if r == chartTo {
			h = chartEnd // the chart's foot; the rest of its row is blank
		}
		pages[len(pages)-1] += h * scale
	}
	for i, h := range pages {
		if h > 595.3-72 {
			t.Errorf("page %d holds %.0f points of rows at %.0f%%; an A4 landscape page holds 523", i+1, h, scale*100)
		}
	}
	width := 0.0
	for c := 1; c <= 8; c++ {
		name, _ := excelize.ColumnNumberToName(c)
		w, err := f.GetColWidth(sheet, name)
		if err != nil {
			t.Fatal(err)
		}
		width += w
	}
	if width*5.625*scale > 841.9-72 {
		t.Errorf("the columns take %.0f points at %.0f%%; the page is 770 wide", width*5.625*scale, scale*100)
	}
	return pages
}

// TestBriefingWithLongListsStaysOnTwoPages lists every exception of the
// sample at today's date (no limit on the lists): the briefing still prints
// on two pages, breaking at a section, at a smaller scale.
func TestBriefingWithLongListsStaysOnTwoPages(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("25/11/2026"), Limit: 100})
	if pages := briefingPages(t, path); len(pages) != 2 {
		t.Errorf("the briefing prints on %d pages (%v), want two", len(pages), pages)
	}
	_, short := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("25/11/2026"), Limit: 1})
	briefingPages(t, short)
}

// TestBriefingShortensLongReasons gives an overdue finding an update whose
// narrative runs to pages: the briefing shows its start, cut at a word
// with "…", so that the row stays a few lines and the page readable.
func TestBriefingShortensLongReasons(t *testing.T) {
	s, _ := sampleStore(t)
	const ref = "KEN-PEEL2122-AFI-10"
	long := strings.Repeat("The review board met again and asked for a further audit of supervision. ", 40)
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		f, err := tx.FindingByRef(ref)
		if err != nil {
			return err
		}
		return tx.AppendUpdate(&model.Update{FindingID: f.ID, Date: model.MustDate("20/11/2026"), Narrative: long,
			Status: model.InProgress, RAG: model.Red, Author: "test"})
	})
	if err != nil {
		t.Fatal(err)
	}
	w, path := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("25/11/2026")})
	secs, _ := sections(t, path)
	found := false
	for _, r := range secs["Red and overdue findings"] {
		if len(r) < 8 || r[0] != ref {
			continue
		}
		found = true
		start, cut := strings.CutSuffix(r[7], "…")
		if n := utf8.RuneCountInString(r[7]); n > 120 || n < 80 || !cut || !strings.HasPrefix(long, start) || !strings.ContainsRune(" .,;:", rune(long[len(start)])) {
			t.Errorf("the reason shown (%d characters) is %q; want the start of the text, cut at a word", n, r[7])
		}
	}
	if !found {
		t.Fatalf("%s is not among the red and overdue findings: %v", ref, secs["Red and overdue findings"])
	}
	// What is recorded when the briefing is submitted keeps the whole text.
	for _, row := range w.Rows() {
		if row.Ref == ref && row.Values["Latest reason"] != strings.TrimSpace(long) {
			t.Errorf("the recorded row's reason is %d characters, want the whole %d", len(row.Values["Latest reason"]), len(strings.TrimSpace(long)))
		}
	}
	briefingPages(t, path)
}

// TestReturnTextIsNeverClipped reads every table sheet of the sample's
// return: text in a cell that does not wrap must fit its column, or the
// spreadsheet cuts it off at the next cell (or the page's edge) and the
// reader never sees the rest.
func TestReturnTextIsNeverClipped(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)
	for _, sheet := range []string{export.SheetReturn, export.SheetMilestones, export.SheetChanges} {
		all := rows(t, f, sheet)
		for r := 3; r < len(all); r++ { // the header row and the data
			for c, v := range all[r] {
				if v == "" {
					continue
				}
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				id, err := f.GetCellStyle(sheet, ref)
				if err != nil {
					t.Fatal(err)
				}
				style, err := f.GetStyle(id)
				if err != nil {
					t.Fatal(err)
				}
				if style.Alignment != nil && style.Alignment.WrapText {
					continue
				}
				name, _ := excelize.ColumnNumberToName(c + 1)
				width, err := f.GetColWidth(sheet, name)
				if err != nil {
					t.Fatal(err)
				}
				if n := utf8.RuneCountInString(v); float64(n) > width {
					t.Errorf("%s!%s %q (%d characters) does not wrap and is wider than its column (%.0f)", sheet, ref, v, n, width)
				}
			}
		}
	}
}

// TestBriefingKeepsListsWholeWhenTheyFit builds one chief officer's
// briefing, whose lists fit two pages at full size: page 2 starts at a
// section's heading, no list is split, and nothing is shrunk below the
// scale the page's width sets.
func TestBriefingKeepsListsWholeWhenTheyFit(t *testing.T) {
	s, _ := sampleStore(t)
	var lead model.ID
	if err := s.View(context.Background(), func(tx model.ReadTx) error {
		leads, err := model.ChiefOfficers(tx)
		if err != nil {
			return err
		}
		p, err := model.FindLead(leads, "ACC Crime")
		lead = p.ID
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, path := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), LeadID: lead})
	if pages := briefingPages(t, path); len(pages) != 2 {
		t.Fatalf("%d pages, want two", len(pages))
	}
	f := openBook(t, path)
	// Page 2 starts at a section's heading, not inside a list.
	starts := false
	for _, heading := range []string{"Proposed for closure to the inspectorate", "PCC responses due or overdue", "Changes in the last 30 days", model.FigureInViewName} {
		if row := findRow(t, f, export.SheetBriefing, heading); row > 0 && strings.Contains(unzipped(t, path, "xl/worksheets/sheet1.xml"), fmt.Sprintf(`<brk id="%d"`, row-1)) {
			starts = true
		}
	}
	if !starts {
		t.Error("page 2 does not start at a section's heading")
	}
	if layout, _ := f.GetPageLayout(export.SheetBriefing); *layout.AdjustTo < 90 {
		t.Errorf("printed at %d%%, smaller than the page's width needs", *layout.AdjustTo)
	}
}

// unzipped returns one part of a workbook's file, or "" when it has none.
func unzipped(t *testing.T, path, name string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, zf := range z.File {
		if zf.Name == name {
			r, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	return "" // a briefing with nothing to chart has no drawing
}

// TestLongDescriptorIsRefusedInPlainWords: a descriptor too long for the
// page header is refused before anything is written, saying how long it may
// be; the longest allowed, ampersands and all, prints within the limit.
func TestLongDescriptorIsRefusedInPlainWords(t *testing.T) {
	s, _ := sampleStore(t)
	long := model.Marking{Classification: model.OfficialSensitive, Descriptor: strings.Repeat("P", export.MaxDescriptor+1)}
	if _, err := newReturn(s, export.ReturnOptions{Period: q3, Marking: long}); err == nil || !strings.Contains(err.Error(), "60 or fewer") {
		t.Errorf("return with a %d-character descriptor: %v", export.MaxDescriptor+1, err)
	}
	if _, err := newBriefing(s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), Marking: long}); err == nil || !strings.Contains(err.Error(), "descriptor") {
		t.Errorf("briefing with a %d-character descriptor: %v", export.MaxDescriptor+1, err)
	}
	longest := model.Marking{Classification: model.OfficialSensitive, Descriptor: strings.Repeat("&", export.MaxDescriptor)}
	_, path := buildBriefing(t, s, export.BriefingOptions{AsAt: model.MustDate("31/12/2025"), Marking: longest})
	hf, err := openBook(t, path).GetHeaderFooter(export.SheetBriefing)
	if err != nil || !strings.Contains(hf.OddHeader, strings.Repeat("&", 2*export.MaxDescriptor)) {
		t.Errorf("header %q (%v) lacks the whole marking", hf.OddHeader, err)
	}
}
