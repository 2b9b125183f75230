// Package returns reads back a progress return that Improvement Tracker
// exported and a delivery lead edited in Excel or LibreOffice, works out what
// they changed against the register, and applies the changes the person
// ticks, in one transaction.
//
// People edit spreadsheets freely: they move, hide and delete columns,
// re-sort and filter rows, and type dates and statuses their own way.
// Columns are therefore found by their header and rows by their reference;
// a value that cannot be read is listed against its row, never guessed.
package returns

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"improvementtracker/internal/infile"
	"improvementtracker/model"
)

// MaxFileBytes caps the workbook read. A return of a few hundred findings
// is well under a megabyte.
const MaxFileBytes = 32 << 20

// maxRows caps the rows read from one sheet: far more than any register,
// and small enough that a damaged file cannot keep the app busy.
const maxRows = 50_000

// MaxUnzipBytes caps what a workbook may unpack to, all its parts
// together. A return of ten thousand findings unpacks to a few tens of
// megabytes; a zip bomb (a small file made to unpack to gigabytes and
// exhaust the computer's memory) is refused before anything is unpacked,
// and everything under the cap is unpacked in memory, so no temporary file
// is ever left behind.
const MaxUnzipBytes = 64 << 20

// maxColumns caps the cells read from one row: a return has about twenty.
const maxColumns = 1000

// maxCellChars is the most characters a spreadsheet cell may hold.
const maxCellChars = excelize.TotalCellChars

// The headers the reader looks for. They are the export's column headers;
// other spellings a person might type are accepted too.
var (
	hRef      = []string{"Ref", "Reference", "Local ref", "Finding ref"}
	hStatus   = []string{"Status"}
	hRAG      = []string{"RAG", "RAG rating"}
	hTarget   = []string{"Current target", "Current target date", "Revised target"}
	hReason   = []string{"Reason for new target", "Target change reason", "Reason for target change", "Revision reason", "Reason"}
	hProgress = []string{"Progress this period", "Progress", "Update"}
	// Milestones sheet.
	hMsRef       = []string{"Finding ref", "Ref"}
	hMsTitle     = []string{"Milestone"}
	hMsCompleted = []string{"Completed", "Completed on", "Date completed"}
	// Headers a return has besides Ref: a sheet with two of these is a
	// return whose Ref column went missing.
	returnHeaders = []string{"Inspectorate ref", "Type", "Report", "Area", "Grade", "Title", "Finding (verbatim)",
		"Chief officer lead", "Delivery lead", "Original target", "Current target", "Status", "RAG", "Progress this period"}
)

// Problem is something in the file that could not be read: a whole-file
// problem has no row.
type Problem struct {
	Sheet string `json:"sheet,omitempty"`
	Row   int    `json:"row,omitempty"` // the spreadsheet's row number
	Ref   string `json:"ref,omitempty"`
	What  string `json:"problem"`
}

func (p Problem) String() string {
	var where []string
	if p.Sheet != "" {
		where = append(where, p.Sheet)
	}
	if p.Row > 0 {
		where = append(where, "row "+strconv.Itoa(p.Row))
	}
	if p.Ref != "" {
		where = append(where, p.Ref)
	}
	if len(where) == 0 {
		return p.What
	}
	return strings.Join(where, ", ") + ": " + p.What
}

// Row is one row of the Return sheet as the person left it. Fields are nil
// when their column is not in the sheet (deleted), so that a deleted column
// never reads as "cleared".
type Row struct {
	Line     int
	Ref      string
	Status   *model.Status
	RAG      *model.RAG
	Target   *model.Date
	Reason   string
	Progress *string
}

// MilestoneRow is one row of the Milestones sheet.
type MilestoneRow struct {
	Line      int
	Ref       string
	Title     string
	Completed *model.Date
}

// Return is what was read from a returned workbook.
type Return struct {
	FileName string
	// Exported is when the app wrote the workbook (its created property);
	// zero when the file does not say.
	Exported time.Time
	// AsAt is the date the return speaks for, when the file says.
	AsAt model.Date
	// DeliveryLead and DeliveryLeadID say whose update request the
	// workbook is, when it is one: only rows for the findings they lead
	// are taken.
	DeliveryLead   string
	DeliveryLeadID model.ID
	Rows           []Row
	Milestones     []MilestoneRow
	// Problems are rows or cells that could not be read.
	Problems []Problem
}

// Errors for a file that cannot be read as a return at all.
var (
	ErrNotReturn     = errors.New("this is not a progress return exported by Improvement Tracker: it has no Return sheet with a Ref column")
	ErrNoRefColumn   = errors.New("the Return sheet has no Ref column, so its rows cannot be matched to findings; put the Ref column back (undo its deletion, or copy it from the exported file)")
	ErrPassword      = errors.New("the file is protected with a password: give the password it was saved with")
	ErrWrongPassword = errors.New("the password is not right for this file")
)

// ReadFile reads a returned workbook from disk.
func ReadFile(path, password string) (*Return, error) {
	// Only a regular file is read, its size known first: a device or a
	// pipe given by mistake would never end or never start.
	b, err := infile.Read(path, "the return", MaxFileBytes)
	if err != nil {
		return nil, err
	}
	return Read(filepath.Base(path), b, password)
}

// oleMagic starts a Compound File: how an encrypted .xlsx (and an old
// .xls) is stored.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// decrypt reads the workbook inside a password-protected one: a compound
// file holding the EncryptionInfo and EncryptedPackage streams. A
// compound file without them is an old Excel file (.xls), which asks for
// no password, and is told as such.
func decrypt(name string, b []byte, password string) ([]byte, error) {
	doc, err := mscfb.New(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s is damaged and cannot be read as a workbook", name)
	}
	encrypted := false
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		if e.Name == "EncryptionInfo" && len(e.Path) == 0 {
			encrypted = true
			break
		}
	}
	if !encrypted {
		return nil, fmt.Errorf("%s: %w (it is an old Excel 97-2003 file, .xls: open it in Excel and save it as an Excel Workbook, .xlsx)", name, ErrNotReturn)
	}
	if password == "" {
		return nil, fmt.Errorf("%s: %w", name, ErrPassword)
	}
	// Decrypted here rather than by excelize as it opens the file, so
	// that the workbook inside is checked like any other.
	plain, err := excelize.Decrypt(b, &excelize.Options{Password: password})
	switch {
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return nil, fmt.Errorf("%s: %w", name, ErrWrongPassword)
	case err != nil:
		return nil, fmt.Errorf("%s is protected in a way that cannot be read (%v): open it in Excel and save it again with a password", name, err)
	case !bytes.HasPrefix(plain, []byte("PK")):
		// Agile Encryption's key is not checked against the password's
		// verifier by the library: a wrong password decrypts to bytes
		// that are not a workbook.
		return nil, fmt.Errorf("%s: %w", name, ErrWrongPassword)
	case len(plain) > MaxFileBytes:
		return nil, fmt.Errorf("%s is too large to be a progress return", name)
	}
	return plain, nil
}

// Read reads a returned workbook's bytes. name is the file's name, for
// messages and the audit trail.
func Read(name string, b []byte, password string) (ret *Return, err error) {
	if len(b) > MaxFileBytes {
		return nil, fmt.Errorf("%s is too large to be a progress return", name)
	}
	// A damaged file must give a message, never stop the app.
	defer func() {
		if p := recover(); p != nil {
			ret, err = nil, fmt.Errorf("%s is damaged and cannot be read as a workbook", name)
		}
	}()
	if bytes.HasPrefix(b, oleMagic) {
		plain, err := decrypt(name, b, password)
		if err != nil {
			return nil, err
		}
		b = plain
	}
	if !bytes.HasPrefix(b, []byte("PK")) {
		return nil, fmt.Errorf("%s: %w (it is not an Excel workbook)", name, ErrNotReturn)
	}
	// Every part is unpacked and read through once, streamed, before
	// excelize is let at the file: what it would need too much memory
	// or time for is refused first, in words.
	scan, err := checkUnzipSize(name, b)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{
		UnzipSizeLimit: MaxUnzipBytes, UnzipXMLSizeLimit: MaxUnzipBytes})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size") {
			return nil, tooBig(name)
		}
		return nil, fmt.Errorf("%s is damaged or is not an Excel workbook: its parts cannot be read", name)
	}
	defer f.Close()

	ret = &Return{FileName: name}
	if props, err := f.GetDocProps(); err == nil && props.Created != "" {
		if t, err := time.Parse(time.RFC3339, props.Created); err == nil {
			ret.Exported = t
		}
	}
	if custom, err := f.GetCustomProps(); err == nil {
		for _, c := range custom {
			s, _ := c.Value.(string)
			switch c.Name {
			case "As at":
				ret.AsAt, _ = model.ParseDate(s)
			case "Delivery lead":
				ret.DeliveryLead = s
			case "Delivery lead ID":
				// A request names its lead by ID; one that cannot be
				// read takes no rows at all rather than every row.
				id, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
				if err != nil || id == 0 {
					id = math.MaxUint64
				}
				ret.DeliveryLeadID = model.ID(id)
			}
		}
	}

	sheet, hi, head, rows, err := findReturnSheet(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	rows = ret.cleanCells(sheet, rows)
	ret.formulasWithoutResults(scan.formulas[sheet], sheet, hi, head, rows)
	ret.readRows(sheet, hi, head, rows)
	if ms := findSheet(f, "Milestones"); ms != "" {
		if err := ret.readMilestones(f, ms); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return ret, nil
}

// sheetParts maps each worksheet's part name (lower case) to its sheet's
// name, from the workbook and its relationships.
func sheetParts(zr *zip.Reader) map[string]string {
	read := func(name string, v any) {
		for _, f := range zr.File {
			if strings.EqualFold(f.Name, name) && f.UncompressedSize64 < 16<<20 {
				if rc, err := f.Open(); err == nil {
					_ = xml.NewDecoder(rc).Decode(v)
					rc.Close()
				}
				return
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	read("xl/workbook.xml", &wb)
	read("xl/_rels/workbook.xml.rels", &rels)
	target := map[string]string{}
	for _, r := range rels.Rel {
		t := strings.TrimPrefix(r.Target, "/")
		if !strings.HasPrefix(t, "xl/") {
			t = "xl/" + t
		}
		target[r.ID] = strings.ToLower(t)
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		if t := target[s.RID]; t != "" {
			out[t] = s.Name
		}
	}
	// Sheets the workbook does not list are still parts excelize may read.
	for _, f := range zr.File {
		if n := strings.ToLower(f.Name); strings.HasPrefix(n, "xl/worksheets/") && strings.HasSuffix(n, ".xml") && out[n] == "" {
			out[n] = strings.TrimSuffix(filepath.Base(f.Name), ".xml")
		}
	}
	return out
}

// tooBig is the error for a workbook that unpacks to more than
// MaxUnzipBytes.
func tooBig(name string) error {
	return fmt.Errorf("%s unpacks to more than %d MB, far more than a progress return: it was not read. It may have been made to exhaust the computer's memory (a \"zip bomb\"); if it is a genuine return, save it again from Excel without unused sheets", name, MaxUnzipBytes>>20)
}

// findReturnSheet finds the sheet with the return's rows and its header
// row: the sheet named Return if it has one, else the first sheet whose
// header row has a Ref column and other return columns.
func findReturnSheet(f *excelize.File) (string, int, map[string]int, [][]string, error) {
	sheets := f.GetSheetList()
	order := []string{}
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), "Return") {
			order = append([]string{s}, order...)
		} else {
			order = append(order, s)
		}
	}
	sawHeadersWithoutRef := false
	var unreadable error
	for _, s := range order {
		rows, err := readRows(f, s)
		var limit *limitError
		if errors.As(err, &limit) {
			return "", 0, nil, nil, err
		}
		if err != nil {
			if strings.EqualFold(strings.TrimSpace(s), "Return") {
				unreadable = err
			}
			continue
		}
		hi, head := headerRow(rows, hRef)
		if hi >= 0 && countHeaders(head) >= 2 {
			return s, hi, head, rows, nil
		}
		if _, head := headerRow(rows, returnHeaders); countHeaders(head) >= 3 {
			if strings.EqualFold(strings.TrimSpace(s), "Return") {
				return "", 0, nil, nil, ErrNoRefColumn
			}
			sawHeadersWithoutRef = true
		}
	}
	if sawHeadersWithoutRef {
		return "", 0, nil, nil, ErrNoRefColumn
	}
	if unreadable != nil {
		return "", 0, nil, nil, unreadable
	}
	return "", 0, nil, nil, ErrNotReturn
}

func findSheet(f *excelize.File, name string) string {
	for _, s := range f.GetSheetList() {
		if strings.EqualFold(strings.TrimSpace(s), name) {
			return s
		}
	}
	return ""
}

// readRows reads a sheet's cells as text, dates as their serial numbers so
// that they can be read without the workbook's display format.
// At most maxRows rows of maxColumns cells are read: the rows are read one
// at a time, so a sheet of a million rows costs no more than the rows kept.
// A cell with something in it past either limit refuses the sheet, naming
// the limit: an edit there must not be passed over as if it were not made.
func readRows(f *excelize.File, sheet string) (rows [][]string, err error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, sheetError(sheet)
	}
	defer it.Close()
	for it.Next() {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, sheetError(sheet)
		}
		if len(rows) == maxRows {
			if filled(cells) {
				return nil, &limitError{fmt.Sprintf("the %s sheet has something in row %d, past the %d rows a return may have: nothing was imported. A return has a row for each finding; if this row is meant to be there, split the return into two files of fewer rows and import each", sheet, maxRows+1, maxRows)}
			}
			continue
		}
		if len(cells) > maxColumns {
			if filled(cells[maxColumns:]) {
				return nil, &limitError{fmt.Sprintf("the %s sheet has something in row %d past column %d, more columns than a return may have: nothing was imported. Delete the columns past the return's own and save the file again", sheet, len(rows)+1, maxColumns)}
			}
			cells = cells[:maxColumns]
		}
		rows = append(rows, cells)
	}
	if it.Error() != nil {
		return nil, sheetError(sheet)
	}
	// Trailing empty rows, as GetRows leaves them out.
	for len(rows) > 0 && len(rows[len(rows)-1]) == 0 {
		rows = rows[:len(rows)-1]
	}
	return rows, nil
}

// limitError is a sheet refused for holding more than a return may.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// filled reports whether any of cells has something in it.
func filled(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return true
		}
	}
	return false
}

// sheetError says a sheet cannot be read, in words: the XML parser's
// message names bytes and offsets a person cannot act on.
func sheetError(sheet string) error {
	return fmt.Errorf("the %s sheet cannot be read: its contents are damaged, or hold characters a spreadsheet may not (such as a NUL byte); open it in Excel and save it again", sheet)
}

// cleanCells blanks the cells no register field may take, naming each as a
// problem against its row: text that is not valid UTF-8, a NUL or other
// control character, or more characters than a spreadsheet cell may hold.
func (ret *Return) cleanCells(sheet string, rows [][]string) [][]string {
	for i, row := range rows {
		for c, v := range row {
			what := ""
			switch {
			case !utf8.ValidString(v):
				what = "holds bytes that are not text (it may have been pasted from another program)"
			case strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }):
				what = "holds a control character (such as a NUL byte) that is not text"
			case utf8.RuneCountInString(v) > maxCellChars:
				what = fmt.Sprintf("holds %d characters, more than a spreadsheet cell may (%d)", utf8.RuneCountInString(v), maxCellChars)
			}
			if what == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(c+1, i+1)
			ret.Problems = append(ret.Problems, Problem{Sheet: sheet, Row: i + 1, What: "cell " + cell + " " + what + "; it was not read: retype it"})
			rows[i][c] = ""
		}
	}
	return rows
}

// headerRow finds, in the first rows, the row holding one of the wanted
// headers, and maps each header in it (folded) to its column.
func headerRow(rows [][]string, want []string) (int, map[string]int) {
	best := -1
	var bestHead map[string]int
	for i := 0; i < len(rows) && i < 12; i++ {
		head := map[string]int{}
		for c, v := range rows[i] {
			k := foldHeader(v)
			if _, dup := head[k]; k != "" && !dup {
				head[k] = c
			}
		}
		if _, ok := col(head, want); ok {
			return i, head
		}
		if n := countHeaders(head); n > len(bestHead) && n >= 3 {
			best, bestHead = i, head
		}
	}
	if best >= 0 && len(want) > 0 && want[0] == returnHeaders[0] {
		return best, bestHead
	}
	return -1, bestHead
}

func countHeaders(head map[string]int) int {
	n := 0
	for _, h := range returnHeaders {
		if _, ok := head[foldHeader(h)]; ok {
			n++
		}
	}
	return n
}

func foldHeader(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimRight(s, " :*")
}

// col returns the column of the first of names present in head.
func col(head map[string]int, names []string) (int, bool) {
	for _, n := range names {
		if c, ok := head[foldHeader(n)]; ok {
			return c, true
		}
	}
	return 0, false
}

func cellAt(row []string, c int) string {
	if c < len(row) {
		return strings.TrimSpace(row[c])
	}
	return ""
}

// readRows reads the Return sheet's rows below its header row hi.
func (ret *Return) readRows(sheet string, hi int, head map[string]int, rows [][]string) {
	refCol, _ := col(head, hRef)
	statusCol, hasStatus := col(head, hStatus)
	ragCol, hasRAG := col(head, hRAG)
	targetCol, hasTarget := col(head, hTarget)
	reasonCol, hasReason := col(head, hReason)
	progCol, hasProg := col(head, hProgress)
	seen := map[string]int{}
	for k := hi + 1; k < len(rows); k++ {
		r, i := rows[k], k+1 // i is the spreadsheet's row number
		ref := cellAt(r, refCol)
		if ref == "" {
			continue // a blank row, or a note below the table
		}
		row := Row{Line: i, Ref: ref}
		bad := func(what string) {
			ret.Problems = append(ret.Problems, Problem{Sheet: sheet, Row: i, Ref: ref, What: what})
		}
		if prev, dup := seen[strings.ToUpper(ref)]; dup {
			bad(fmt.Sprintf("%s appears twice (also row %d); only the first is read", ref, prev))
			continue
		}
		seen[strings.ToUpper(ref)] = i
		if hasStatus {
			if v := cellAt(r, statusCol); v != "" {
				st, err := model.ParseStatus(v)
				if err != nil {
					bad("the status " + err.Error())
				} else {
					row.Status = &st
				}
			}
		}
		if hasRAG {
			v := cellAt(r, ragCol)
			rag, err := model.ParseRAG(v)
			if err != nil {
				bad(err.Error())
			} else {
				row.RAG = &rag
			}
		}
		if hasTarget {
			v := cellAt(r, targetCol)
			d, err := cellDate(v)
			if err != nil {
				bad("the current target " + err.Error())
			} else {
				row.Target = &d
			}
		}
		if hasReason {
			row.Reason = cellAt(r, reasonCol)
		}
		if hasProg {
			v := cellAt(r, progCol)
			row.Progress = &v
		}
		ret.Rows = append(ret.Rows, row)
	}
}

func (ret *Return) readMilestones(f *excelize.File, sheet string) error {
	rows, err := readRows(f, sheet)
	var limit *limitError
	if errors.As(err, &limit) {
		return err
	}
	if err != nil {
		ret.Problems = append(ret.Problems, Problem{Sheet: sheet, What: err.Error()})
		return nil
	}
	rows = ret.cleanCells(sheet, rows)
	hi, head := headerRow(rows, hMsRef)
	if hi < 0 {
		return nil
	}
	refCol, _ := col(head, hMsRef)
	titleCol, okTitle := col(head, hMsTitle)
	doneCol, okDone := col(head, hMsCompleted)
	if !okTitle || !okDone {
		return nil
	}
	for i, r := range rows[hi+1:] {
		line := hi + i + 2
		ref := cellAt(r, refCol)
		if ref == "" {
			continue
		}
		m := MilestoneRow{Line: line, Ref: ref, Title: cellAt(r, titleCol)}
		d, err := cellDate(cellAt(r, doneCol))
		if err != nil {
			ret.Problems = append(ret.Problems, Problem{Sheet: sheet, Row: line, Ref: ref, What: "the completion date of “" + m.Title + "” " + err.Error()})
			continue
		}
		m.Completed = &d
		ret.Milestones = append(ret.Milestones, m)
	}
	return nil
}

// cellDate reads a date cell: a date serial number as Excel stores dates,
// or text typed the UK way.
func cellDate(v string) (model.Date, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return model.Date{}, nil
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 1 || n > 2958465 || math.IsNaN(n) {
			return model.Date{}, fmt.Errorf("%q is not a date: write it as dd/mm/yyyy", v)
		}
		t, err := excelize.ExcelDateToTime(n, false)
		if err != nil {
			return model.Date{}, fmt.Errorf("%q is not a date: write it as dd/mm/yyyy", v)
		}
		return model.DateOf(t), nil
	}
	d, err := model.ParseDate(v)
	if err != nil {
		return model.Date{}, fmt.Errorf("cannot be read: %v", err)
	}
	return d, nil
}
