package export

import (
	"improvementtracker/model"
)

// recording keeps what a workbook was made of: every sheet's page set-up,
// columns, rows, cells, merges and heights. It exists so that the export
// benchmark can have another spreadsheet library write the same workbook
// and compare; it is nil, and costs nothing, in every other export.
type recording struct {
	Sheets []*recSheet `json:"sheets"`
}

type recSheet struct {
	Name    string    `json:"name"`
	Paper   int       `json:"paper"`
	Tall    int       `json:"tall"`
	Header  string    `json:"header"`
	Footer  string    `json:"footer"`
	Marking string    `json:"marking"`
	Widths  []float64 `json:"widths,omitempty"`
	// A table sheet: marking row, caption, header row 3, data from row 4.
	Table   string    `json:"table,omitempty"`
	Caption string    `json:"caption,omitempty"`
	Cols    []recCol  `json:"cols,omitempty"`
	Rows    [][]any   `json:"rows,omitempty"`
	Heights []float64 `json:"heights,omitempty"`
	// A sheet written cell by cell.
	Cells      []recCell       `json:"cells,omitempty"`
	Merges     [][2]string     `json:"merges,omitempty"`
	RowHeights map[int]float64 `json:"rowHeights,omitempty"`
}

type recCol struct {
	Header string   `json:"header"`
	Kind   string   `json:"kind"`
	List   []string `json:"list,omitempty"`
	RAG    bool     `json:"rag,omitempty"`
}

type recCell struct {
	Col   int    `json:"c"`
	Row   int    `json:"r"`
	Value any    `json:"v"`
	Type  string `json:"t"` // s, n or d
	Style string `json:"s"`
}

var kindNames = map[kind]string{textCol: "text", wrapCol: "wrap", dateCol: "date", numberCol: "number"}

func (r *recording) sheet(name string) *recSheet {
	if r == nil {
		return nil
	}
	for _, s := range r.Sheets {
		if s.Name == name {
			return s
		}
	}
	s := &recSheet{Name: name, RowHeights: map[int]float64{}}
	r.Sheets = append(r.Sheets, s)
	return s
}

// recValue writes a cell value in the recording's terms.
func recValue(v any) (any, string) {
	switch x := v.(type) {
	case model.Date:
		if x.IsZero() {
			return nil, "s"
		}
		return x.ISO(), "d"
	case int:
		return x, "n"
	case string:
		s, _ := fitCell(x)
		return s, "s"
	}
	return v, "s"
}

func (b *book) recTable(t table, widths, heights []float64) {
	s := b.rec.sheet(t.sheet)
	if s == nil {
		return
	}
	s.Table, s.Caption, s.Widths, s.Heights = t.name, t.caption, widths, heights
	for _, c := range t.cols {
		s.Cols = append(s.Cols, recCol{Header: c.header, Kind: kindNames[c.kind], List: c.list, RAG: c.rag})
	}
	s.Rows = make([][]any, len(t.rows))
	for i, row := range t.rows {
		out := make([]any, len(row))
		for j, v := range row {
			out[j], _ = recValue(v)
		}
		s.Rows[i] = out
	}
}

func (b *book) recCell(sheet string, col, row int, v any, style int) {
	s := b.rec.sheet(sheet)
	if s == nil {
		return
	}
	val, typ := recValue(v)
	s.Cells = append(s.Cells, recCell{Col: col, Row: row, Value: val, Type: typ, Style: b.styleNames[style]})
}
