package returns

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// formulasWithoutResults lists, as problems, the cells of the columns the
// import reads that hold a formula with no saved result: a workbook written
// by a program that does not calculate reads them as empty, which would
// look like "no change" and be passed over without a word.
func (ret *Return) formulasWithoutResults(f *excelize.File, sheet string, hi int, head map[string]int, rows [][]string) {
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
			if formula, err := f.GetCellFormula(sheet, name); err == nil && formula != "" {
				ret.Problems = append(ret.Problems, Problem{Sheet: sheet, Row: k + 1, Ref: cellAt(rows[k], refCol),
					What: fmt.Sprintf("cell %s holds a formula (=%s) with no saved result, so its value cannot be read: open the file in Excel or LibreOffice, let it calculate, save it, and import it again", name, formula)})
			}
		}
	}
}
