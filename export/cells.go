package export

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"
)

// MaxCellChars is Excel's limit on the text in one cell, in UTF-16 units.
// Longer text makes Excel repair the file, so it is cut with TruncatedNote.
const MaxCellChars = 32767

// TruncatedNote ends text that was cut to fit a cell, so the reader knows
// there is more.
const TruncatedNote = "[truncated: full text in the app]"

// formulaLead reports whether text starts with a character a spreadsheet
// reads as the start of a formula (or, for tab and carriage return, that
// some spreadsheets strip before reading one). Such text is written as a
// text cell with Excel's quote prefix, so that it is shown, never run, even
// after the reader edits the cell.
func formulaLead(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// fitCell cuts s to Excel's cell limit, ending it with TruncatedNote, and
// reports whether it did.
func fitCell(s string) (string, bool) {
	// A UTF-8 string never has more UTF-16 units than bytes, so short
	// strings need no counting.
	if len(s) <= MaxCellChars || utf16Len(s) <= MaxCellChars {
		return s, false
	}
	note := "\n" + TruncatedNote
	budget := MaxCellChars - utf16Len(note)
	n, cut := 0, 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if n+w > budget {
			cut = i
			break
		}
		n += w
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool { return r == ' ' || r == '\n' }) + note, true
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// warnings collects what the user should hear about after an export. Sheets
// are written at the same time, so it takes a lock.
type warnings struct {
	mu   sync.Mutex
	list []string
}

func (w *warnings) add(format string, a ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = append(w.list, fmt.Sprintf(format, a...))
}

// reset forgets the warnings so far, for a workbook written again.
func (w *warnings) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.list = nil
}

// all returns the warnings so far.
func (w *warnings) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.list...)
}

// truncated records that the text at where was cut to fit a cell.
func (w *warnings) truncated(where string) {
	w.add("%s was longer than a spreadsheet cell holds (%d characters); the workbook shows the start of it, ending %q.",
		where, MaxCellChars, TruncatedNote)
}

// clean prepares text for a cell: it cuts it to the cell limit (with a
// warning naming where) and reports whether it needs the quote prefix.
func (w *warnings) clean(s, where string) (string, bool) {
	s, cut := fitCell(s)
	if cut {
		w.truncated(where)
	}
	return s, formulaLead(s)
}

// CSVCell is text for a CSV cell that a spreadsheet opening the file shows
// as typed: text it could read as a formula (the same starts a workbook
// cell is quoted for) gets a leading apostrophe, which a CSV has no other
// way to say. The apostrophe shows; a formula never runs.
func CSVCell(s string) string {
	if formulaLead(s) {
		return "'" + s
	}
	return s
}

// CSVByteOrderMark begins a CSV file so that Excel reads it as UTF-8: without
// it, Excel takes the bytes of "–" and "’" for those of another code page.
const CSVByteOrderMark = "\ufeff"
