package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The register's Columns dialog: which columns show, in what order and how
// wide, kept in the user's preferences (register_columns.go).

// columnRow is one column's line in the dialog.
type columnRow struct {
	col   int
	shown *widget.Check
	width *lineEntry
	up    *widget.Button
	down  *widget.Button
	box   *fyne.Container
}

// onColumns opens the Columns dialog.
func (s *registerScreen) onColumns() {
	rows := make([]*columnRow, 0, numCols)
	list := container.NewVBox()
	layout := func() {
		list.Objects = list.Objects[:0]
		for i, r := range rows {
			r.up.Enable()
			r.down.Enable()
			if r.col == colRef || i <= 1 {
				r.up.Disable()
			}
			if r.col == colRef || i == len(rows)-1 {
				r.down.Disable()
			}
			list.Objects = append(list.Objects, r.box)
		}
		list.Refresh()
	}
	move := func(r *columnRow, by int) {
		i := slices.Index(rows, r)
		j := i + by
		if j < 1 || j >= len(rows) {
			return
		}
		rows[i], rows[j] = rows[j], rows[i]
		layout()
	}
	// The shown columns in their order, then the hidden ones in the
	// table's usual order.
	order := slices.Clone(s.order)
	for _, col := range append(slices.Clone(defaultColumns), colType, colGrade) {
		if !slices.Contains(order, col) {
			order = append(order, col)
		}
	}
	for _, col := range order {
		r := &columnRow{col: col}
		r.shown = widget.NewCheck(colTitles[col], nil)
		r.shown.SetChecked(slices.Contains(s.order, col))
		r.width = newLineEntry()
		r.width.SetPlaceHolder("automatic")
		if w, ok := s.setW[col]; ok {
			r.width.SetText(strconv.Itoa(int(w + 0.5)))
		}
		r.up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { move(r, -1) })
		r.down = widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { move(r, 1) })
		if col == colRef {
			// The reference names the row: it is always shown, first.
			r.shown.Disable()
		}
		width := container.NewGridWrap(fyne.NewSize(120, r.width.MinSize().Height), r.width)
		r.box = container.NewBorder(nil, nil, nil, container.NewHBox(width, r.up, r.down), r.shown)
		rows = append(rows, r)
	}
	layout()
	reset := widget.NewButtonWithIcon("Reset to the default columns", theme.ViewRefreshIcon(), func() {
		byCol := map[int]*columnRow{}
		for _, r := range rows {
			byCol[r.col] = r
		}
		rows = rows[:0]
		for _, col := range append(slices.Clone(defaultColumns), colType, colGrade) {
			r := byCol[col]
			r.shown.SetChecked(slices.Contains(defaultColumns, col))
			r.width.SetText("")
			rows = append(rows, r)
		}
		layout()
	})
	help := widget.NewLabel("Tick the columns to show and order them with the arrows; Ref is always first and stays in view. " +
		"A width is in pixels (empty fits the entries); you can also drag a header's edge. The default columns fit 1280 pixels.")
	help.Wrapping = fyne.TextWrapWord
	help.TextStyle = fyne.TextStyle{Italic: true}
	problem := newFieldError()
	head := container.NewBorder(nil, nil, nil, widget.NewLabel("Width"), widget.NewLabel("Column"))
	content := container.NewVBox(help, head, list, container.NewHBox(reset), problem)
	s.u.formDialog("Columns", "Apply", content, problem, func() error {
		var order []int
		widths := map[int]float32{}
		var bad []string
		for _, r := range rows {
			if r.shown.Checked || r.col == colRef {
				order = append(order, r.col)
			}
			t := strings.TrimSpace(r.width.Text)
			if t == "" {
				continue
			}
			n, err := strconv.Atoi(t)
			if err != nil || n < minColWidth || n > maxColWidth {
				bad = append(bad, fmt.Sprintf("%s (%q)", colTitles[r.col], t))
				continue
			}
			widths[r.col] = float32(n)
		}
		if len(bad) > 0 {
			return errors.New("a width is a whole number of pixels from " + strconv.Itoa(minColWidth) + " to " +
				strconv.Itoa(maxColWidth) + ", or empty to fit the entries: " + strings.Join(bad, ", "))
		}
		s.setColumns(order, widths)
		return nil
	})
}

// maxColWidth is the widest a column may be set in the dialog.
const maxColWidth = 1000

// setColumns shows and keeps a choice of columns.
func (s *registerScreen) setColumns(order []int, widths map[int]float32) {
	s.order, s.setW = order, widths
	s.saveColumns()
	if s.view.SortCol != colRef && !slices.Contains(order, s.view.SortCol) {
		// Sorting by a column no longer shown would order the rows by
		// something the person cannot see.
		s.view.SortCol, s.view.Desc = colRef, false
		s.onViewChanged()
	}
	s.widths = nil
	s.fitColumns()
	s.table.Refresh()
}

// setColumnWidth keeps the width a person gave a column by dragging.
func (s *registerScreen) setColumnWidth(col int, w float32) {
	s.setW[col] = max(w, minColWidth)
	s.saveColumns()
	s.fitColumns()
}

func (s *registerScreen) saveColumns() {
	s.u.prefs.SetString(prefColumns, formatColumns(s.order, s.setW))
}
