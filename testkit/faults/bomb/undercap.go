package bomb

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
)

// The workbooks under the unzip cap that would still take a gigabyte and
// seconds to read: their parts unpack to less than 64 MB, but into
// millions of entries or elements.
const (
	// ManyStrings holds 3.4 million shared strings in about 200 KB.
	ManyStrings Kind = "3.4 million shared strings"
	// DeepNesting holds 8 million elements each inside the last.
	DeepNesting Kind = "8 million nested elements"
	// WideRows is a return of 50,000 rows of 24 cells, each row with
	// text of its own.
	WideRows Kind = "50,000 rows of 24 cells"
	// LargestReturn is the largest return read: 10,000 findings of 24
	// cells, every row with text of its own.
	LargestReturn Kind = "10,000 rows of 24 cells"
	// RowPastCap is a return with a finding in row 2 and an edit in row
	// 50,001, one past the most rows read, with nothing between.
	RowPastCap Kind = "an edit in row 50,001"
)

// UnderCap lists the workbooks under the cap.
var UnderCap = []Kind{ManyStrings, DeepNesting, WideRows, RowPastCap, LargestReturn}

// wideHeaders are the 24 columns of the wide return.
var wideHeaders = []string{"Ref", "Inspectorate ref", "Type", "Report", "Area", "Grade", "Title", "Finding (verbatim)",
	"Chief officer lead", "Delivery lead", "Original target", "Current target", "Status", "RAG", "Progress this period",
	"Reason for new target", "Notes 1", "Notes 2", "Notes 3", "Notes 4", "Notes 5", "Notes 6", "Notes 7", "Notes 8"}

// WriteUnderCap writes the workbook of kind to w.
func WriteUnderCap(w io.Writer, kind Kind) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	add := func(name string, r io.Reader) error {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		_, err = io.Copy(f, r)
		return err
	}
	for _, p := range []struct{ name, text string }{
		{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", workbookRels},
	} {
		if err := add(p.name, strings.NewReader(p.text)); err != nil {
			return err
		}
	}
	sheet, strs := sheetHead+header()+sheetTail, emptyStrings
	var sheetR, strsR io.Reader
	switch kind {
	case ManyStrings:
		const n = 3_400_000
		strsR = repeat(sstHead, `<si><t>A</t></si>`, `</sst>`, int64(len(sstHead)+n*len(`<si><t>A</t></si>`)+len(`</sst>`)))
	case DeepNesting:
		const n = 8_000_000
		sheetR = io.MultiReader(strings.NewReader(sheetHead+header()+`<row r="3"><c r="A3">`),
			repeat("", "<x>", "", 3*n), repeat("", "</x>", "", 4*n), strings.NewReader(`</c></row>`+sheetTail))
	case WideRows:
		sheetR = wideRows(2, 50_000, -1, true)
	case LargestReturn:
		sheetR = wideRows(2, 10_001, -1, true)
	case RowPastCap:
		sheetR = io.MultiReader(wideRows(2, 2, -1, false), wideRows(50_001, 50_001, 50_001, true))
	default:
		return fmt.Errorf("no workbook under the cap of kind %q", kind)
	}
	if sheetR == nil {
		sheetR = strings.NewReader(sheet)
	}
	if strsR == nil {
		strsR = strings.NewReader(strs)
	}
	err := add("xl/worksheets/sheet1.xml", sheetR)
	if err == nil {
		err = add("xl/sharedStrings.xml", strsR)
	}
	return finish(zw, err)
}

const sstHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3400000" uniqueCount="3400000">`

// wideRows is a Return sheet with a row of 24 headers and rows first to
// last of 24 cells each, every row with a reference and text of its own;
// row edited alone has a status (the rest are left blank, as exported).
// The sheet's head and header row come first when first is 2, its tail
// last when end is set.
func wideRows(first, last, edited int, end bool) io.Reader {
	var b bytes.Buffer
	if first == 2 {
		b.WriteString(sheetHead)
		b.WriteString(`<row r="1">`)
		for c, h := range wideHeaders {
			fmt.Fprintf(&b, `<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>`, colName(c), h)
		}
		b.WriteString(`</row>`)
	}
	for r := first; r <= last; r++ {
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for c := range wideHeaders {
			text := fmt.Sprintf("Row %d column %d", r, c+1)
			switch wideHeaders[c] {
			case "Ref":
				text = fmt.Sprintf("KEN-PEEL2122-AFI-%05d", r)
			case "Status":
				text = ""
				if r == edited {
					text = "Complete"
				}
			case "RAG", "Current target", "Original target", "Reason for new target":
				text = ""
			}
			if text != "" {
				fmt.Fprintf(&b, `<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>`, colName(c), r, text)
			}
		}
		b.WriteString(`</row>`)
	}
	if end {
		b.WriteString(sheetTail)
	}
	return &b
}

// colName is a column's letters: 0 is A, 25 is Z, 26 is AA.
func colName(c int) string {
	if c < 26 {
		return string(rune('A' + c))
	}
	return colName(c/26-1) + string(rune('A'+c%26))
}

// UnderCapBytes is WriteUnderCap into memory.
func UnderCapBytes(kind Kind) ([]byte, error) {
	var b bytes.Buffer
	err := WriteUnderCap(&b, kind)
	return b.Bytes(), err
}
