package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fixedMeasure measures text as 7 pixels a character, 8 in bold.
func fixedMeasure(t string, bold bool) float32 {
	if bold {
		return 8 * float32(len([]rune(t)))
	}
	return 7 * float32(len([]rune(t)))
}

func TestColumnTextsKeepsTheLongest(t *testing.T) {
	rows := []regRow{}
	for _, title := range []string{"a", "abcdefgh", "abc", "abcdefghijkl", "ab", "abcd", "abcde", "abcdef", "x"} {
		r := regRow{}
		r.f.Title = title
		r.f.Verbatim = title
		rows = append(rows, r)
	}
	got := columnTexts(rows)[colTitle]
	want := []string{"abcdefghijkl", "abcdefgh", "abcdef", "abcde", "abcd", "abc"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("longest titles %v, want %v", got, want)
	}
}

func TestFitColumnsTitleTakesTheRoom(t *testing.T) {
	var texts [numCols][]string
	texts[colRef] = []string{"KEN-PEEL2122-AFI-16"}
	texts[colStatus] = []string{"In progress"}
	texts[colRAG] = []string{"Amber"}
	texts[colTarget] = []string{"31/12/2026"}
	texts[colOverdue] = []string{"245"}
	texts[colChief] = []string{"ACC (Crime)"}
	texts[colDelivery] = []string{"Ch Supt Dan Hollands"}
	texts[colTitle] = []string{"Short title"}
	texts[colArea] = []string{strings.Repeat("w", 100)}
	ws := fitColumns(texts, fixedMeasure, 20, 24, 1200, colRef, defaultColumns, nil)
	byCol := map[int]float32{}
	sum := float32(0)
	for i, col := range defaultColumns {
		byCol[col] = ws[i]
	}
	for _, col := range defaultColumns {
		sum += byCol[col]
	}
	if sum != 1200 {
		t.Errorf("the first screen's columns take %v of 1200", sum)
	}
	if want := float32(8*19 + 20); byCol[colRef] != want {
		t.Errorf("Ref %v, want its content %v", byCol[colRef], want)
	}
	if want := 7*float32(len("Overdue")) + 20; byCol[colOverdue] != want {
		t.Errorf("Overdue %v, want its header %v", byCol[colOverdue], want)
	}
	if byCol[colArea] != colCaps[colArea] {
		t.Errorf("a very long area gives %v, want the cap %v", byCol[colArea], colCaps[colArea])
	}
	// A narrow window keeps the title readable and lets the rest scroll.
	ws = fitColumns(texts, fixedMeasure, 20, 24, 600, colRef, defaultColumns, nil)
	for i, col := range defaultColumns {
		if col == colTitle && ws[i] != minTitle {
			t.Errorf("title in a narrow window %v, want %v", ws[i], minTitle)
		}
	}
}

// At 1280×720 the register's default columns fit the window with the Kent
// sample, with no sideways scroll, each wide enough for its header, and
// the title takes the rest; a cell cut short shows in full below the table.
func TestRegisterDefaultColumnsFitAt1280(t *testing.T) {
	h := newHarness(t, true)
	r := h.u.register
	h.u.win.Resize(fyne.NewSize(1280, 720))
	if !slices.Equal(r.order, defaultColumns) {
		t.Fatalf("columns %v, want the default %v", r.order, defaultColumns)
	}
	sum := theme.Padding() * float32(len(r.order)-1)
	for i, col := range r.order {
		t.Logf("%-20s %v", colTitles[col], r.widths[i])
		sum += r.widths[i]
		head := fyne.MeasureText(colTitles[col], theme.TextSize(), fyne.TextStyle{}).Width
		if r.widths[i] < head {
			t.Errorf("%s is %v wide, under its header's %v", colTitles[col], r.widths[i], head)
		}
	}
	if room := r.tableW - theme.ScrollBarSize(); sum > room || sum < room-60 {
		t.Errorf("the default columns take %v of the table's %v", sum, room)
	}
	if title := r.widths[slices.Index(r.order, colTitle)]; title < minTitle {
		t.Errorf("title column %v", title)
	}
	// Point at a cut cell.
	for row := range r.shown {
		for pos := range r.order {
			r.showFull(row, pos)
			if r.full.Text != fullHint {
				if !strings.Contains(r.full.Text, cellText(&r.data.rows[r.shown[row]], r.order[pos])) {
					t.Errorf("the full text reads %q", r.full.Text)
				}
				return
			}
		}
	}
}
