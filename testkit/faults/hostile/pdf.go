// Package hostile makes the hostile inputs of the tests and the fault
// campaign that are not zip bombs (package bomb makes those): PDFs whose
// page tree loops or claims billions of pages, a flat tree of thousands of
// pages, a compressed stream that inflates past gigabytes, and workbooks
// small on disk that would take a gigabyte of memory to read. They are
// made on the fly, so no large or dangerous file sits in the repository.
package hostile

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"io"
	"strings"
)

// PDFKind names one hostile PDF.
type PDFKind string

// The hostile PDFs.
const (
	// PDFLoop is a page tree whose only kid is the tree itself.
	PDFLoop PDFKind = "page tree that loops"
	// PDFParentLoop is a page whose parent is itself.
	PDFParentLoop PDFKind = "page that is its own parent"
	// PDFHugeCount claims 2^31 pages and has one.
	PDFHugeCount PDFKind = "page count of 2^31"
	// PDFFlat is a flat tree of 5,000 pages, each with a line of text.
	PDFFlat PDFKind = "flat tree of 5,000 pages"
	// PDFInflate holds a content stream that inflates past 4 GB.
	PDFInflate PDFKind = "stream that inflates past 4 GB"
	// PDFTooMany is a flat tree of more pages than a report may have.
	PDFTooMany PDFKind = "flat tree of 20,000 pages"
)

// PDFs lists every hostile PDF.
var PDFs = []PDFKind{PDFLoop, PDFParentLoop, PDFHugeCount, PDFFlat, PDFInflate, PDFTooMany}

// PDF returns the bytes of a hostile PDF.
func PDF(kind PDFKind) []byte {
	switch kind {
	case PDFLoop:
		return pdfFile([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
		}, nil)
	case PDFParentLoop:
		return pdfFile([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 3 0 R >>",
		}, nil)
	case PDFHugeCount:
		return pdfFile([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 2147483648 >>",
			"<< /Type /Page /Parent 2 0 R >>",
		}, nil)
	case PDFFlat:
		return flat(5000)
	case PDFTooMany:
		return flat(20000)
	case PDFInflate:
		return inflating(4 << 30)
	}
	panic("unknown hostile PDF " + string(kind))
}

// flat is a PDF of n pages, all kids of the root, each showing one line.
func flat(n int) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", ""}
	kids := make([]string, 0, n)
	objs = append(objs, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>") // 3
	streams := map[int][]byte{}
	for i := range n {
		page := len(objs) + 1
		content := page + 1
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", content),
			"")
		streams[content] = fmt.Appendf(nil, "BT /F1 12 Tf 72 720 Td (Page %d of the report.) Tj ET", i+1)
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n)
	return pdfFile(objs, streams)
}

// inflating is a one-page PDF whose content stream inflates to size bytes,
// about a thousand times what it takes on disk: a string of spaces that
// never ends, which a reader that keeps the string would keep in memory.
func inflating(size int64) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
		"<< /Filter /FlateDecode >>",
	}
	return pdfFile(objs, map[int][]byte{4: Spaces("BT /F1 12 Tf 72 720 Td (", size)})
}

// Spaces is a zlib stream of prefix then size spaces (rounded up to a
// mebibyte), made in milliseconds: once the compressor has seen a mebibyte
// of spaces, every further mebibyte compresses, with a flush after it, to
// the same bytes, so they are written once and repeated.
func Spaces(prefix string, size int64) []byte {
	const mib = 1 << 20
	chunk := bytes.Repeat([]byte(" "), mib)
	var out bytes.Buffer
	out.Write([]byte{0x78, 0xda}) // zlib header: deflate, best compression
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.BestCompression)
	step := func() []byte {
		z.Reset()
		_, _ = fw.Write(chunk)
		_ = fw.Flush()
		return bytes.Clone(z.Bytes())
	}
	n := (size + mib - 1) / mib
	_, _ = fw.Write([]byte(prefix))
	first, second := step(), step()
	out.Write(first)
	var i int64 = 1
	if third := step(); bytes.Equal(second, third) {
		for ; i < n; i++ {
			out.Write(second)
		}
	} else {
		// Not this compressor's way: compress the lot.
		out.Write(second)
		out.Write(third)
		for i = 3; i < n; i++ {
			out.Write(step())
		}
	}
	z.Reset()
	_ = fw.Close()
	out.Write(z.Bytes())
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], adlerAfter(adler32.Checksum([]byte(prefix)), n*mib))
	out.Write(sum[:])
	return out.Bytes()
}

// adlerAfter is the Adler-32 checksum sum of some bytes carried on over n
// spaces, worked out rather than summed over gigabytes: with the sums A0
// and B0 so far, A = A0 + 32n and B = B0 + n*A0 + 32n(n+1)/2, modulo 65521.
func adlerAfter(sum uint32, n int64) uint32 {
	const mod = 65521
	a0, b0 := uint64(sum&0xffff), uint64(sum>>16)
	nm := uint64(n % mod)
	a := (a0 + 32*nm) % mod
	// n(n+1)/2 modulo 65521, halving whichever of n and n+1 is even.
	x, y := uint64(n), uint64(n+1)
	if x%2 == 0 {
		x /= 2
	} else {
		y /= 2
	}
	tri := (x % mod) * (y % mod) % mod
	b := (b0 + nm*a0 + 32*tri) % mod
	return uint32(b<<16 | a)
}

// pdfFile writes objects numbered from 1, with a cross-reference table:
// a stream object's dictionary is given in objs (its Length added), its
// data in streams.
func pdfFile(objs []string, streams map[int][]byte) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs)+1)
	for i, o := range objs {
		id := i + 1
		offsets[id] = b.Len()
		data, isStream := streams[id]
		if !isStream {
			fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", id, o)
			continue
		}
		dict := strings.TrimSuffix(strings.TrimSpace(o), ">>")
		if dict == "" {
			dict = "<< "
		}
		fmt.Fprintf(&b, "%d 0 obj\n%s /Length %d >>\nstream\n", id, dict, len(data))
		b.Write(data)
		b.WriteString("\nendstream\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for id := 1; id <= len(objs); id++ {
		fmt.Fprintf(&b, "%010d 00000 n \n", offsets[id])
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// WritePDF writes a hostile PDF to w.
func WritePDF(w io.Writer, kind PDFKind) error {
	_, err := w.Write(PDF(kind))
	return err
}
