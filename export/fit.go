package export

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"improvementtracker/model"
)

// Sizing: column widths and row heights worked out from the text, as a
// spreadsheet would lay it out, so that nothing is clipped on screen or
// on paper.

// widths fits each column to its header and contents, within its maximum.
func (b *book) widths(t table) []float64 {
	out := make([]float64, len(t.cols))
	for i, c := range t.cols {
		// Headers are bold, a tenth wider than the cells' text, and wrap
		// at spaces: the longest word must fit.
		w := max(float64(longestWord(c.header))*1.1+1, 7)
		switch c.kind {
		case dateCol:
			w = max(w, 10.5)
		case numberCol:
			w = max(w, 7)
		}
		for _, row := range t.rows {
			s, ok := row[i].(string)
			if !ok {
				continue
			}
			if n := float64(longestLine(s)) + 1; n > w {
				w = n
				if w >= c.max {
					break
				}
			}
		}
		limit := c.max
		if limit == 0 {
			limit = 40
		}
		if len(t.rows) == 0 && c.kind != dateCol && c.kind != numberCol {
			// An empty table is laid out as it would be with rows in it,
			// not squeezed to its headers.
			w = limit
		}
		out[i] = min(w, limit)
	}
	return out
}

// Row heights are set rather than left to the spreadsheet: neither Excel
// nor LibreOffice reliably grows a row to fit wrapped text in a file it
// opens, and text hidden below a row's edge would be missed in print.
const (
	lineHeight = 12.75 // points per line of 10-point Arial
	maxHeight  = 409   // Excel's tallest row
)

// fitRow sets the height of a row written cell by cell to fit its wrapped
// text.
func (b *book) fitRow(sheet string, row int, values []any, widths []float64, wrap []bool) error {
	if h := rowHeight(values, widths, wrap); h > 0 {
		if r := b.rec.sheet(sheet); r != nil {
			r.RowHeights[row] = h
		}
		return b.f.SetRowHeight(sheet, row, h)
	}
	return nil
}

// boldWidths are column widths as bold text sees them: bold Arial is about
// a tenth wider, so a header estimated as plain text would be given too
// few lines and clipped ("Next milestone due" in a date column).
func boldWidths(widths []float64) []float64 {
	out := make([]float64, len(widths))
	for i, w := range widths {
		out[i] = w * 0.88
	}
	return out
}

// rowHeight estimates the height a row needs for its wrapped text, or 0
// when one line will do.
func rowHeight(row []any, widths []float64, wrap []bool) float64 {
	lines := 1
	for i, v := range row {
		s, ok := v.(string)
		if !ok || i >= len(widths) || !wrap[i] {
			continue
		}
		lines = max(lines, wrappedLines(s, widths[i]))
	}
	if lines == 1 {
		return 0
	}
	return min(float64(lines)*lineHeight+3, maxHeight)
}

// wrappedLines estimates how many lines text takes in a column of the given
// width, breaking at spaces as a spreadsheet does. A column width counts
// the digits of the default font; the 10-point Arial of the cells is
// narrower, so a line holds about 1.15 characters per unit of width (a
// little less than it might, as LibreOffice lays text out wider than
// Excel).
func wrappedLines(s string, width float64) int {
	per := max(int(width*1.15), 4)
	n, used, word := 1, 0, 0
	place := func() { // puts the word just read on the current line or the next
		switch {
		case word == 0:
		case used == 0:
			used = word
		case used+1+word <= per:
			used += 1 + word
		default:
			n++
			used = word
		}
		for used > per { // a word longer than a line
			n++
			used -= per
		}
		word = 0
	}
	for _, r := range s {
		switch r {
		case '\n':
			place()
			n++
			used = 0
			if n > 40 {
				return n // taller than any row can be; no need to count on
			}
		case ' ', '\t':
			place()
		default:
			word++
		}
	}
	place()
	return n
}

func longestLine(s string) int {
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n = max(n, utf8.RuneCountInString(line))
	}
	return n
}

func longestWord(s string) int {
	n := 0
	for _, w := range strings.Fields(s) {
		n = max(n, utf8.RuneCountInString(w))
	}
	return n
}

// text renders a value as the text a reader sees in its cell, for the
// record of rows as sent.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case model.Date:
		return x.String()
	case int:
		return strconv.Itoa(x)
	case string:
		s, _ := fitCell(x)
		return s
	}
	return fmt.Sprint(v)
}
