package export_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
	"improvementtracker/model"
)

// summaryHeight adds up the heights of the Summary's rows, in points, as
// written: what it takes on paper at full size.
func summaryHeight(t *testing.T, f *excelize.File) (float64, int) {
	t.Helper()
	n := len(rows(t, f, export.SheetSummary))
	total := 0.0
	for r := 1; r <= n; r++ {
		h, err := f.GetRowHeight(export.SheetSummary, r)
		if err != nil {
			t.Fatal(err)
		}
		total += h
	}
	return total, n
}

// TestSummaryPrintsOnOnePage checks the sample's Summary on paper: one A4
// landscape page, fitted to one page wide and tall, and its rows, at full
// size, take no more than the page with a line to spare (LibreOffice's
// footer takes a little beyond the margin; make verify-xlsx renders it),
// so that fitting it to the page does not shrink its text at all. The
// counts by RAG stand beside the key figures.
func TestSummaryPrintsOnOnePage(t *testing.T) {
	s, _ := sampleStore(t)
	_, path := buildReturn(t, s, export.ReturnOptions{})
	f := openBook(t, path)

	layout, err := f.GetPageLayout(export.SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if layout.Size == nil || *layout.Size != 9 || layout.Orientation == nil || *layout.Orientation != "landscape" {
		t.Errorf("Summary page: size %v, orientation %v; want A4 (9) landscape", deref(layout.Size), deref(layout.Orientation))
	}
	if layout.FitToWidth == nil || *layout.FitToWidth != 1 || layout.FitToHeight == nil || *layout.FitToHeight != 1 {
		t.Errorf("Summary fitted to %v wide by %v tall; want 1 by 1", deref(layout.FitToWidth), deref(layout.FitToHeight))
	}
	props, err := f.GetSheetProps(export.SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if props.FitToPage == nil || !*props.FitToPage {
		t.Error("the Summary is not fitted to its page")
	}
	height, n := summaryHeight(t, f)
	if room := export.PagePrintHeight - export.LineHeight; height > room {
		t.Errorf("the Summary's %d rows are %.1f points high; an A4 landscape page holds %.1f with a line to spare", n, height, room)
	}

	// Every block is there: the key figures and the counts by RAG side
	// by side, then by type and status, then by area and RAG.
	key := findRow(t, f, export.SheetSummary, "Key figures")
	if key == 0 {
		t.Fatal("the Summary has no key figures")
	}
	if got := cell(t, f, export.SheetSummary, 4, key); got != export.FigureOnReturn {
		t.Errorf("beside the key figures (D%d): %q, want the findings by RAG", key, got)
	}
	for i, want := range [][2]string{{"RAG", "Findings"}, {"Red", "2"}, {"Amber", "7"}, {"Green", "7"}, {"Blue", "3"}, {"Not rated", "0"}, {"Total", "19"}} {
		r := key + 1 + i
		if got := [2]string{cell(t, f, export.SheetSummary, 4, r), cell(t, f, export.SheetSummary, 5, r)}; got != want {
			t.Errorf("D%d:E%d = %q, want %q", r, r, got, want)
		}
	}
	for i, want := range []string{export.FigureOpen, export.FigureToActOn, export.FigureOverdue, export.FigureInClosure, export.FigureClosed, export.FigureNew, export.FigureChanged} {
		if got := cell(t, f, export.SheetSummary, 1, key+1+i); got != want {
			t.Errorf("A%d = %q, want %q", key+1+i, got, want)
		}
	}
	byType, byArea := findRow(t, f, export.SheetSummary, "Findings by type and status"), findRow(t, f, export.SheetSummary, "Findings by area and RAG")
	if byType <= key+7 || byArea <= byType {
		t.Errorf("blocks at rows %d (key figures), %d (by type), %d (by area); want them in that order, apart", key, byType, byArea)
	}
}

// TestSummaryOfManyAreasKeepsItsSize checks that a Summary too long for one
// page is not shrunk to fit it, below the size printed text may take: it
// prints on as many pages as it needs, at full size.
func TestSummaryOfManyAreasKeepsItsSize(t *testing.T) {
	s, _ := sampleStore(t)
	// Every finding in an area of its own, with a name that wraps.
	err := s.Update(context.Background(), model.Actor{Who: "test"}, func(tx model.Tx) error {
		fs, err := tx.Findings()
		if err != nil {
			return err
		}
		for i, f := range fs {
			f.Area = fmt.Sprintf("Area %02d: a long name for one of the areas the inspectorate looked at", i+1)
			if err := tx.SaveFinding(&f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// As at this quarter: a return as at an earlier date shows the areas
	// as they were then.
	_, path := buildReturn(t, s, export.ReturnOptions{Period: thisQuarter})
	f := openBook(t, path)
	height, n := summaryHeight(t, f)
	if height*export.MinPrintScale <= export.PagePrintHeight {
		t.Fatalf("the Summary's %d rows are %.1f points high, which fits a page; the test needs more", n, height)
	}
	layout, err := f.GetPageLayout(export.SheetSummary)
	if err != nil {
		t.Fatal(err)
	}
	if layout.FitToHeight == nil || *layout.FitToHeight != 0 {
		t.Errorf("a Summary of %.1f points is fitted to %v pages tall; want as many as it needs (0)", height, deref(layout.FitToHeight))
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
