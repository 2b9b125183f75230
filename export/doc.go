// Package export writes the workbooks the force sends out: the quarterly
// progress return for the inspectorate and the chief officer briefing. Both
// are built from a model.Snapshot, so they show the register as it stood at
// their as-at date and can be regenerated identically later.
//
// Every workbook carries the protective marking the user chose, in the page
// header and footer and in row 1 of every sheet; text that a spreadsheet
// could read as a formula is written as text; over-long text is cut with a
// visible note; and files are written to a temporary file beside the target
// and renamed into place, so a failure never leaves half a workbook behind.
package export
