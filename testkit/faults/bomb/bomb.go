// Package bomb writes hostile workbooks for the tests and the fault
// campaign: zip files a few hundred kilobytes long that unpack to a
// gigabyte, a sheet whose header lies about its size, cells longer than a
// spreadsheet allows, and cells holding bytes XML forbids. They are made
// on the fly so that no multi-megabyte file is kept in the repository.
package bomb

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"strings"
)

// Kind names one hostile workbook.
type Kind string

// The corpus.
const (
	// SharedString holds one shared string of Size bytes: the sheet is
	// small, the string table huge.
	SharedString Kind = "shared string"
	// ReturnSheet is a Return sheet whose rows unpack to Size bytes.
	ReturnSheet Kind = "return sheet"
	// LyingHeader declares a tiny sheet in its zip header and unpacks to
	// Size bytes.
	LyingHeader Kind = "lying header"
	// LongCell is a return with one cell of Size characters, more than
	// the 32,767 a spreadsheet cell may hold.
	LongCell Kind = "long cell"
	// NULCell is a return with a NUL byte in a cell.
	NULCell Kind = "NUL in a cell"
	// BadUTF8 is a return with bytes that are not UTF-8 in a cell.
	BadUTF8 Kind = "invalid UTF-8"
)

// Corpus is every hostile workbook, with the size a test or the campaign
// uses for it.
var Corpus = []struct {
	Kind Kind
	Size int64
}{
	{SharedString, 1 << 30},
	{ReturnSheet, 1 << 30},
	{LyingHeader, 1 << 30},
	{LongCell, 1 << 20},
	{NULCell, 0},
	{BadUTF8, 0},
}

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`

const workbook = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>`

const workbookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
const sheetTail = `</sheetData></worksheet>`

// header is a return's header row and one finding's row, as inline strings.
func header() string {
	cell := func(ref, text string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
	}
	return `<row r="1">` + cell("A1", "Ref") + cell("B1", "Status") + cell("C1", "RAG") + cell("D1", "Progress this period") + `</row>` +
		`<row r="2">` + cell("A2", "KEN-PEEL2122-AFI-01") + cell("B2", "In progress") + cell("C2", "Amber") + cell("D2", "On track.") + `</row>`
}

const emptyStrings = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>`

// repeat is a reader of n bytes: prefix, then unit repeated, then suffix.
func repeat(prefix, unit, suffix string, n int64) io.Reader {
	body := n - int64(len(prefix)) - int64(len(suffix))
	if body < 0 {
		body = 0
	}
	units := body / int64(len(unit))
	return io.MultiReader(strings.NewReader(prefix), io.LimitReader(&cycle{unit: unit}, units*int64(len(unit))), strings.NewReader(suffix))
}

// cycle repeats unit for ever.
type cycle struct {
	unit string
	off  int
}

func (c *cycle) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], c.unit[c.off:])
		n += k
		c.off = (c.off + k) % len(c.unit)
	}
	return n, nil
}

// Write writes the workbook of kind, size as the corpus gives it, to w.
func Write(w io.Writer, kind Kind, size int64) error {
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
	parts := []struct{ name, text string }{
		{"[Content_Types].xml", contentTypes}, {"_rels/.rels", rootRels},
		{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", workbookRels},
	}
	for _, p := range parts {
		if err := add(p.name, strings.NewReader(p.text)); err != nil {
			return err
		}
	}
	sheet := sheetHead + header() + sheetTail
	strs := emptyStrings
	var err error
	switch kind {
	case SharedString:
		if err = add("xl/worksheets/sheet1.xml", strings.NewReader(sheetHead+header()+
			`<row r="3"><c r="A3" t="s"><v>0</v></c></row>`+sheetTail)); err == nil {
			err = add("xl/sharedStrings.xml", repeat(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`, "A", `</t></si></sst>`, size))
		}
		return finish(zw, err)
	case ReturnSheet:
		unit := `<row><c t="inlineStr"><is><t>KEN-PEEL2122-AFI-01</t></is></c><c t="inlineStr"><is><t>In progress</t></is></c></row>`
		if err = add("xl/worksheets/sheet1.xml", repeat(sheetHead+header(), unit, sheetTail, size)); err == nil {
			err = add("xl/sharedStrings.xml", strings.NewReader(strs))
		}
		return finish(zw, err)
	case LyingHeader:
		return lying(w, zw, size)
	case LongCell:
		sheet = sheetHead + header() + `<row r="3"><c r="A3" t="inlineStr"><is><t>KEN-PEEL2122-AFI-02</t></is></c><c r="D3" t="inlineStr"><is><t>` +
			strings.Repeat("x", int(size)) + `</t></is></c></row>` + sheetTail
	case NULCell:
		sheet = strings.Replace(sheet, "On track.", "On\x00track.", 1)
	case BadUTF8:
		sheet = strings.Replace(sheet, "On track.", "On \xff\xfe track.", 1)
	default:
		return fmt.Errorf("no hostile workbook of kind %q", kind)
	}
	if err = add("xl/worksheets/sheet1.xml", strings.NewReader(sheet)); err == nil {
		err = add("xl/sharedStrings.xml", strings.NewReader(strs))
	}
	return finish(zw, err)
}

func finish(zw *zip.Writer, err error) error {
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	return err
}

// lying writes a workbook whose sheet's zip headers say it is 1 KB while its
// deflated data unpacks to size bytes. archive/zip writes the sizes it
// counted, so the sheet is written with CreateRaw and made-up sizes.
func lying(w io.Writer, zw *zip.Writer, size int64) error {
	var data bytes.Buffer
	fw, err := flate.NewWriter(&data, flate.BestSpeed)
	if err != nil {
		return err
	}
	unit := `<row><c t="inlineStr"><is><t>KEN-PEEL2122-AFI-01</t></is></c></row>`
	if _, err := io.Copy(fw, repeat(sheetHead+header(), unit, sheetTail, size)); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	f, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CRC32: 0x1234, CompressedSize64: uint64(data.Len()), UncompressedSize64: 1024})
	if err != nil {
		return err
	}
	if _, err := f.Write(data.Bytes()); err != nil {
		return err
	}
	s, err := zw.Create("xl/sharedStrings.xml")
	if err == nil {
		_, err = io.WriteString(s, emptyStrings)
	}
	return finish(zw, err)
}

// Bytes is Write into memory.
func Bytes(kind Kind, size int64) ([]byte, error) {
	var b bytes.Buffer
	err := Write(&b, kind, size)
	return b.Bytes(), err
}
