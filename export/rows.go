package export

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The data rows of a table sheet are written as sheet XML straight into the
// sheet's part of the zip file while the workbook is being written (see
// orderedZip), not through the spreadsheet library's stream writer. That
// writer holds each sheet's XML in a memory buffer of up to 16 MB before it
// spills to a temporary file, and builds every cell through several
// allocations; on a register of 10,000 findings the rows were most of the
// export's time and a third of its memory. Here a row is built in one
// reused buffer and goes straight into the compressor, and the sheets are
// compressed at the same time, one goroutine each.
//
// The XML is what the stream writer writes, byte for byte: the library's
// readers, and TestRowXMLAsTheLibraryWritesIt, hold it to that.

// writeRows writes the data rows of a table sheet as sheet XML, with the
// heights fillTable measured. It reads only the table and the book's
// styles, so several run at once.
func (b *book) writeRows(w io.Writer, st *stream) error {
	t := st.t
	cols := make([]string, len(t.cols))
	for i := range cols {
		cols[i], _ = excelize.ColumnNumberToName(i + 1)
	}
	var c excelize.Cell
	line := make([]byte, 0, 4096)
	for r, row := range t.rows {
		n := firstData + r
		line = append(line[:0], `<row r="`...)
		line = strconv.AppendInt(line, int64(n), 10)
		line = append(line, '"')
		if h := st.heights[r]; h > 0 {
			line = append(line, ` ht="`...)
			line = strconv.AppendFloat(line, h, 'f', -1, 64)
			line = append(line, `" customHeight="1"`...)
		}
		line = append(line, '>')
		for i, v := range row {
			if !b.cell(&c, t, r, i, v, false) {
				continue
			}
			var err error
			if line, err = appendCell(line, cols[i], n, c); err != nil {
				return fmt.Errorf("writing row %d of the %s sheet: %w", r+1, t.sheet, err)
			}
		}
		line = append(line, `</row>`...)
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// appendCell appends one cell: a number (a date's serial is one) or an
// inline string, as b.cell fills it.
func appendCell(dst []byte, col string, row int, c excelize.Cell) ([]byte, error) {
	dst = append(dst, `<c r="`...)
	dst = append(dst, col...)
	dst = strconv.AppendInt(dst, int64(row), 10)
	dst = append(dst, '"')
	if c.StyleID != 0 {
		dst = append(dst, ` s="`...)
		dst = strconv.AppendInt(dst, int64(c.StyleID), 10)
		dst = append(dst, '"')
	}
	switch v := c.Value.(type) {
	case int:
		dst = append(dst, `><v>`...)
		dst = strconv.AppendInt(dst, int64(v), 10)
		dst = append(dst, `</v>`...)
	case float64:
		// Only whole numbers are written this way (a date's serial):
		// the library rounds other numbers to 15 significant digits.
		if v != math.Trunc(v) || math.Abs(v) >= 1e15 {
			return nil, fmt.Errorf("the number %v cannot be written as a whole number", v)
		}
		dst = append(dst, `><v>`...)
		dst = strconv.AppendFloat(dst, v, 'f', -1, 64)
		dst = append(dst, `</v>`...)
	case string:
		dst = append(dst, ` t="inlineStr"><is><t`...)
		if v != "" && (spaceByte(v[0]) || spaceByte(v[len(v)-1])) {
			dst = append(dst, ` xml:space="preserve"`...)
		}
		dst = append(dst, '>')
		dst = appendCellText(dst, v)
		dst = append(dst, `</t></is>`...)
	default:
		return nil, fmt.Errorf("a cell cannot hold a %T", c.Value)
	}
	return append(dst, `</c>`...), nil
}

// spaceByte is a character at either end of the text that makes a cell
// keep its spaces (xml:space="preserve").
func spaceByte(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }

// appendCellText appends text as the library writes a cell's: escaped for
// XML with line breaks kept as they are, characters XML cannot hold replaced
// by U+FFFD, and text that looks like one of Excel's own escapes (_x0041_)
// escaped in its turn, so that it reads back as typed.
func appendCellText(dst []byte, s string) []byte {
	start := len(dst)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch c {
			case '"':
				dst = append(dst, "&#34;"...)
			case '\'':
				dst = append(dst, "&#39;"...)
			case '&':
				dst = append(dst, "&amp;"...)
			case '<':
				dst = append(dst, "&lt;"...)
			case '>':
				dst = append(dst, "&gt;"...)
			case '\t':
				dst = append(dst, "&#x9;"...)
			case '\r':
				dst = append(dst, "&#xD;"...)
			case '\n':
				dst = append(dst, '\n')
			default:
				if c < 0x20 {
					dst = append(dst, "\uFFFD"...)
				} else {
					dst = append(dst, c)
				}
			}
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r) || (r == utf8.RuneError && width == 1) {
			dst = append(dst, "\uFFFD"...)
		} else {
			dst = append(dst, s[i:i+width]...)
		}
		i += width
	}
	if bytes.Contains(dst[start:], []byte("_x")) {
		escaped := excelEscapes(string(dst[start:]))
		dst = append(dst[:start], escaped...)
	}
	return dst
}

// xmlChar reports whether r is a character XML 1.0 allows.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

var (
	excelEscape     = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	excelEscapeTail = regexp.MustCompile(`^x[a-fA-F\d]{4}_`)
)

// excelEscapes escapes, as the library does, text that Excel would read as
// one of its escapes for a character (_xHHHH_): it puts _x005F (the escape
// of "_") before it. "_x005F_" itself is escaped the same way, and when it
// is followed by what would complete another escape ("_x005F_x0041_"), that
// is kept apart from it as well. Unlike the library, which drops an escape
// naming half of a UTF-16 pair (_xD800_) from the text, it escapes that too:
// the cell reads back as typed.
func excelEscapes(s string) string {
	var out []byte
	cursor := 0
	for _, m := range excelEscape.FindAllStringIndex(s, -1) {
		out = append(out, s[cursor:m[0]]...)
		sub := s[m[0]:m[1]]
		cursor = m[1]
		switch {
		case sub == "_x005F_" && excelEscapeTail.MatchString(s[m[1]:]):
			out = append(out, sub+"x005F"+sub...)
		case sub == "_x005F_":
			out = append(out, sub+"x005F_"...)
		default:
			out = append(out, "_x005F"+sub...)
		}
	}
	return string(append(out, s[cursor:]...))
}
