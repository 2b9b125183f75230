package returns

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The bounds on what a workbook's parts may hold besides their size. A
// part under the unzip cap can still hold millions of tiny entries, each
// of which excelize would keep as a structure many times its size: 3.4
// million shared strings fit in 200 KB on disk and would take well over a
// gigabyte.
const (
	// MaxSharedStrings is the most entries the workbook's shared text
	// may have. Every cell of a return of 50,000 rows by 24 columns with
	// text of its own would need 1.2 million; a real return a few
	// thousand.
	MaxSharedStrings = 500_000
	// maxDepth is how deep elements may be nested in a part: a sheet
	// goes five or six deep.
	maxDepth = 100
	// MaxSheetCells is the most cells with something in them one sheet
	// may have: a return of ten thousand findings, each row of 25
	// columns. Every cell read costs about a microsecond and a hundred
	// bytes twice over (here and in excelize), so this bounds the time
	// and memory of the largest return to a few seconds and well under
	// 300 MB.
	MaxSheetCells = 250_000
)

// scanned is what the read through a workbook's parts found.
type scanned struct {
	// formulas maps a sheet's name to its cells (such as "D7") that
	// hold a formula without a saved result, to the formula's text
	// (empty when the cell shares another cell's formula).
	formulas map[string]map[string]string
}

// checkUnzipSize refuses a workbook whose parts, as its zip directory
// declares them, unpack to more than MaxUnzipBytes, and then reads every
// part through (checkParts). The declared sizes can be trusted to be upper
// bounds: the zip reader refuses a part that unpacks to more than its
// declared size.
func checkUnzipSize(name string, b []byte) (*scanned, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%s is damaged or is not an Excel workbook: its table of contents cannot be read", name)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnzipBytes || total > MaxUnzipBytes {
			return nil, tooBig(name)
		}
	}
	return checkParts(name, zr)
}

// checkParts unpacks every part of a workbook (at most MaxUnzipBytes in
// all, streamed, never kept), so that a part whose data does not match its
// table of contents is found out, and reads each XML part through once:
// nesting deeper than maxDepth and more than MaxSharedStrings pieces of
// shared text are refused, and the cells holding formulas without saved
// results are noted. excelize stops reading a sheet without a word at a
// cell whose text is not valid XML (a NUL byte, bytes that are not UTF-8):
// the rest of the sheet would be read as empty, and a progress cell as
// cleared. So such a cell refuses the file, naming the cell.
func checkParts(name string, zr *zip.Reader) (*scanned, error) {
	sheets := sheetParts(zr)
	out := &scanned{formulas: map[string]map[string]string{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s is damaged or is not an Excel workbook: its part %s cannot be unpacked", name, f.Name)
		}
		part := strings.TrimPrefix(strings.ReplaceAll(f.Name, `\`, "/"), "/")
		low := strings.ToLower(part)
		sheet, isSheet := sheets[low]
		if strings.HasSuffix(low, ".xml") || strings.HasSuffix(low, ".rels") {
			p := &partScan{sheet: isSheet, strings: low == "xl/sharedstrings.xml"}
			err := p.read(rc)
			if err == nil && isSheet && len(p.formulas) > 0 {
				out.formulas[sheet] = p.formulas
			}
			if err != nil {
				rc.Close()
				return nil, p.refusal(name, sheet, part, err)
			}
		}
		_, err = io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s is damaged: its part %s does not unpack as its table of contents says", name, f.Name)
		}
	}
	return out, nil
}

// partScan reads one XML part through.
type partScan struct {
	sheet, strings bool
	// where is the cell (a sheet) or the entry of shared text last begun.
	where   string
	entries int
	// cells counts a sheet's cells with a value.
	cells int
	// formulas are the sheet's cells with a formula and no result.
	formulas map[string]string
}

var (
	errBadChar     = errors.New("bad character")
	errTooDeep     = errors.New("too deep")
	errManyStrings = errors.New("too many shared strings")
	errManyCells   = errors.New("too many cells")
)

// read reads r through. A part that is merely cut short or otherwise
// breaks as XML is left to the unpacking and to excelize to report.
func (p *partScan) read(r io.Reader) error {
	d := xml.NewDecoder(r)
	d.Strict = true
	depth := 0
	// The cell being read, in a sheet: its formula, whether it has one,
	// and its saved value.
	var inF, inV, hasF, hasValue bool
	var formula, value strings.Builder
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			return nil
		}
		var syn *xml.SyntaxError
		if err != nil && errors.As(err, &syn) && (strings.Contains(syn.Msg, "illegal character") || strings.Contains(syn.Msg, "UTF-8")) {
			return errBadChar
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDepth {
				return errTooDeep
			}
			switch {
			case p.sheet && t.Name.Local == "c":
				p.where, hasF, hasValue = "", false, false
				formula.Reset()
				value.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "r" {
						p.where = a.Value
					}
				}
			case p.sheet && t.Name.Local == "f":
				inF, hasF = true, true
			case p.sheet && t.Name.Local == "v":
				inV, hasValue = true, true
			case p.sheet && t.Name.Local == "is":
				hasValue = true
			case p.strings && t.Name.Local == "si":
				if p.entries++; p.entries > MaxSharedStrings {
					return errManyStrings
				}
				p.where = strconv.Itoa(p.entries)
			}
		case xml.EndElement:
			depth--
			switch {
			case p.sheet && t.Name.Local == "f":
				inF = false
			case p.sheet && t.Name.Local == "v":
				inV = false
			case p.sheet && t.Name.Local == "c" && hasValue:
				if p.cells++; p.cells > MaxSheetCells {
					return errManyCells
				}
			}
			switch {
			case p.sheet && t.Name.Local == "c" && hasF && strings.TrimSpace(value.String()) == "" && p.where != "":
				if p.formulas == nil {
					p.formulas = map[string]string{}
				}
				p.formulas[p.where] = formula.String()
			}
		case xml.CharData:
			switch {
			case inF && formula.Len() < maxCellChars:
				formula.Write(t)
			case inV && value.Len() < 64:
				value.Write(t)
			}
		}
	}
}

// refusal says why the part stopped the reading, in words.
func (p *partScan) refusal(name, sheet, part string, err error) error {
	switch {
	case errors.Is(err, errTooDeep):
		return fmt.Errorf("%s: its part %s has elements nested more than %d deep, far deeper than a spreadsheet's: it was not read. It may have been made to exhaust the computer's memory; if it is a genuine return, open it in Excel and save it again", name, part, maxDepth)
	case errors.Is(err, errManyCells):
		return fmt.Errorf("%s: the %s sheet has more than %d cells with something in them, more than a progress return of ten thousand findings: nothing was imported. If it is a genuine return, split it into two files of fewer rows and import each", name, sheet, MaxSheetCells)
	case errors.Is(err, errManyStrings):
		return fmt.Errorf("%s holds more than %d pieces of shared text, far more than a progress return: it was not read. It may have been made to exhaust the computer's memory; if it is a genuine return, save it again from Excel without unused sheets", name, MaxSharedStrings)
	case p.sheet:
		return fmt.Errorf("%s: cell %s of the %s sheet holds a NUL byte or other character that is not text, or bytes that are not UTF-8, so the sheet cannot be read past it: retype that cell in Excel and save the file again", name, p.where, sheet)
	case p.strings:
		return fmt.Errorf("%s: text shared between cells (entry %s) holds a NUL byte or other character that is not text, or bytes that are not UTF-8, so the workbook cannot be read: find the cell in Excel, retype it and save the file again", name, p.where)
	default:
		return fmt.Errorf("%s is damaged: its part %s holds a character that is not text, so the workbook cannot be read; open it in Excel and save it again", name, part)
	}
}
