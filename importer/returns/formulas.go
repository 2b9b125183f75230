package returns

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// formulasWithoutResults lists, as problems, the cells of the columns the
// import reads that hold a formula with no saved result: a workbook written
// by a program that does not calculate reads them as empty, which would
// look like "no change" and be passed over without a word.
//
// The cells were noted as the sheet was first read through (partScan):
// asking excelize cell by cell would make it hold the whole sheet in
// memory, some fifty times its size.
func (ret *Return) formulasWithoutResults(formulas map[string]string, sheet string, hi int, head map[string]int, rows [][]string) {
	if len(formulas) == 0 {
		return
	}
	refCol, _ := col(head, hRef)
	var cols []int
	for _, names := range [][]string{hStatus, hRAG, hTarget, hReason, hProgress} {
		if c, ok := col(head, names); ok {
			cols = append(cols, c)
		}
	}
	for k := hi + 1; k < len(rows); k++ {
		for _, c := range cols {
			if cellAt(rows[k], c) != "" {
				continue
			}
			name, err := excelize.CoordinatesToCellName(c+1, k+1)
			if err != nil {
				continue
			}
			formula, ok := formulas[name]
			if !ok {
				continue
			}
			shown := ""
			if formula != "" {
				shown = " (=" + formula + ")"
			}
			ret.Problems = append(ret.Problems, Problem{Sheet: sheet, Row: k + 1, Ref: cellAt(rows[k], refCol),
				What: fmt.Sprintf("cell %s holds a formula%s with no saved result, so its value cannot be read: open the file in Excel or LibreOffice, let it calculate, save it, and import it again", name, shown)})
		}
	}
}
