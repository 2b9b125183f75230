package app

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Column sizing for the register. The widths follow the register's
// content: each column is as wide as its widest entry (within a cap, past
// which the cell is cut with "…" and its full text shows below the table
// when the pointer is over it), and the title takes whatever the columns
// on the first screen leave of the window's width. This file makes no
// Fyne calls: text is measured through the function it is given.

// firstScreen are the columns that should be in view without scrolling:
// what is late and who owns it.
var firstScreen = []int{colRef, colTitle, colStatus, colRAG, colTarget, colOverdue, colChief, colDelivery}

// colCaps are the widest a column grows; a longer entry is cut.
var colCaps = [numCols]float32{
	colRef: 220, colType: 180, colArea: 230, colGrade: 190, colChief: 150,
	colDelivery: 170, colStatus: 190, colTarget: 130, colOverdue: 130}

// ragWidth is the RAG column's width: its chip, which is as wide for
// every rating.
const ragWidth = 95

// minTitle is the narrowest the title column gets, however wide the rest.
const minTitle = 240

// measureFunc gives the width of text drawn in the table's font.
type measureFunc func(text string, bold bool) float32

// columnTexts returns, for each column, the few longest entries by
// character count (measuring every cell of a 10,000-finding register on
// each load would cost more than it is worth).
func columnTexts(rows []regRow) [numCols][]string {
	const keep = 6
	var out [numCols][]string
	for col := range numCols {
		var longest []string
		for i := range rows {
			t := cellText(&rows[i], col)
			if t == "" {
				continue
			}
			n := utf8.RuneCountInString(t)
			if len(longest) < keep {
				longest = append(longest, t)
			} else if n > utf8.RuneCountInString(longest[keep-1]) {
				longest[keep-1] = t
			} else {
				continue
			}
			slices.SortFunc(longest, func(a, b string) int {
				return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
			})
		}
		out[col] = longest
	}
	return out
}

// fitColumns returns the width of each column, by its position in
// colOrder, for a table width wide: content widths within the caps, the
// header's own width at least (pad is what a cell adds around its text;
// the sorted column's header also has room for its arrow), and the title
// filling what the first screen leaves.
func fitColumns(texts [numCols][]string, measure measureFunc, pad, arrow, wide float32, sorted int) [numCols]float32 {
	var w [numCols]float32
	for col := range numCols {
		need := measure(colTitles[col], false)
		if col == sorted {
			need += arrow
		}
		for _, t := range texts[col] {
			n := measure(t, col == colRef || col == colOverdue)
			if col == colStatus {
				// A status wraps onto two lines: a little over half its
				// width is enough, and the longest word at least.
				n = n * 0.6
				for _, word := range strings.Fields(t) {
					n = max(n, measure(word, false))
				}
			}
			need = max(need, n)
		}
		w[col] = min(need+pad, colCaps[col])
	}
	w[colRAG] = ragWidth
	used := float32(0)
	for _, col := range firstScreen {
		if col != colTitle {
			used += w[col]
		}
	}
	w[colTitle] = max(minTitle, wide-used)
	var byPos [numCols]float32
	for i, col := range colOrder {
		byPos[i] = w[col]
	}
	return byPos
}
