package app

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"
)

// Column choice and sizing for the register. A person chooses which
// columns show, in what order, and may set a column's width (by dragging
// its header's edge, or in the Columns dialog); the choice is kept in the
// user's preferences. Columns without a width of the person's own are as
// wide as their widest entry (within a cap, past which the cell is cut
// with "…" and its full text shows below the table when the pointer is
// over it), and the title takes whatever the other columns leave of the
// window's width. This file makes no Fyne calls: text is measured through
// the function it is given.

// colKeys name the columns in the preferences, so that a kept choice
// survives a change in the columns' numbering.
var colKeys = [numCols]string{colRef: "ref", colType: "type", colArea: "area", colGrade: "grade",
	colTitle: "title", colChief: "chief", colDelivery: "delivery", colStatus: "status", colRAG: "rag",
	colTarget: "target", colOverdue: "overdue"}

// defaultColumns are the columns shown until a person chooses: what is
// late and who owns it first, then the area. They fit a 1280-pixel window
// with no sideways scroll (TestRegisterDefaultColumnsFitAt1280). Type and
// grade are a tick away in Columns…: the type is in every reference
// (AFI, COC, REC) and the area's grade is the report's, not the finding's.
var defaultColumns = []int{colRef, colTitle, colStatus, colRAG, colTarget, colOverdue,
	colChief, colDelivery, colArea}

// prefColumns keeps a person's choice of columns between runs.
const prefColumns = "register.columns"

// columnChoice is what a person has chosen: the columns shown, in order,
// and the widths they set. The reference is always first: it names the
// row, and stays in view while the rest scroll sideways.
type columnChoice struct {
	Shown  []string           `json:"shown"`
	Widths map[string]float32 `json:"widths,omitempty"`
}

// minColWidth is the narrowest a person may make a column.
const minColWidth = 40

// parseColumns reads a kept choice; anything it cannot read (a damaged
// preference, an unknown column) falls back to the default rather than
// hiding the register.
func parseColumns(raw string) (order []int, widths map[int]float32) {
	widths = map[int]float32{}
	var c columnChoice
	if raw == "" || json.Unmarshal([]byte(raw), &c) != nil {
		return slices.Clone(defaultColumns), widths
	}
	order = []int{colRef}
	for _, k := range c.Shown {
		col := slices.Index(colKeys[:], k)
		if col > 0 && !slices.Contains(order, col) {
			order = append(order, col)
		}
	}
	if len(order) == 1 && len(c.Shown) == 0 {
		order = slices.Clone(defaultColumns)
	}
	for k, w := range c.Widths {
		if col := slices.Index(colKeys[:], k); col >= 0 && w >= minColWidth {
			widths[col] = w
		}
	}
	return order, widths
}

// formatColumns is the kept form of a choice; "" for the default, so that
// a reset forgets it and later changes to the default apply.
func formatColumns(order []int, widths map[int]float32) string {
	if slices.Equal(order, defaultColumns) && len(widths) == 0 {
		return ""
	}
	c := columnChoice{Widths: map[string]float32{}}
	for _, col := range order {
		c.Shown = append(c.Shown, colKeys[col])
	}
	for col, w := range widths {
		c.Widths[colKeys[col]] = w
	}
	raw, err := json.Marshal(c)
	if err != nil {
		return ""
	}
	return string(raw)
}

// colCaps are the widest a column grows; a longer entry is cut.
var colCaps = [numCols]float32{
	colRef: 220, colType: 130, colArea: 150, colGrade: 130, colChief: 130,
	colDelivery: 150, colStatus: 190, colTarget: 130, colOverdue: 130}

// ragWidth is the RAG column's width: its chip, which is as wide for
// every rating.
const ragWidth = 84

// minTitle is the narrowest the title column gets, however wide the rest.
const minTitle = 220

// wrapped reports whether a column's entries wrap onto the row's second
// line (every row is two lines high): all but the reference, the RAG chip,
// the date and the day count, which are single words.
func wrapped(col int) bool {
	switch col {
	case colRef, colRAG, colTarget, colOverdue:
		return false
	}
	return true
}

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

// fitColumns returns the width of each column of order, by position, for
// a table width wide: the person's own widths where set; otherwise content
// widths within the caps, the header's own width at least (pad is what a
// cell adds around its text; the sorted column's header also has room for
// its arrow), and the title filling what the others leave.
func fitColumns(texts [numCols][]string, measure measureFunc, pad, arrow, wide float32, sorted int,
	order []int, set map[int]float32) []float32 {
	var w [numCols]float32
	for col := range numCols {
		need := measure(colTitles[col], false)
		if col == sorted {
			need += arrow
		}
		for _, t := range texts[col] {
			n := measure(t, col == colRef || col == colOverdue)
			if wrapped(col) {
				// The entry wraps onto two lines: a little over half its
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
	for col, v := range set {
		w[col] = v
	}
	if _, ok := set[colTitle]; !ok {
		used := float32(0)
		for _, col := range order {
			if col != colTitle {
				used += w[col]
			}
		}
		w[colTitle] = max(minTitle, wide-used)
	}
	byPos := make([]float32, len(order))
	for i, col := range order {
		byPos[i] = w[col]
	}
	return byPos
}
