package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"

	"github.com/xuri/excelize/v2"
)

// orderedZip is the zip writer the workbook is saved through. The
// spreadsheet library writes the parts of a workbook in an order that
// changes from run to run (its streamed sheets come out of a map), so two
// exports of the same register would differ byte for byte. Each part is
// compressed as it arrives, at deflate's fastest level (a large return is
// tens of megabytes of XML, and the fastest level writes it several times
// faster for a file about a third larger), and held compressed; Close
// writes the parts sorted by name, which also puts [Content_Types].xml
// first, where some readers look for it.
type orderedZip struct {
	out   *zip.Writer
	parts []*zipPart
	open  *zipPart
	fw    *flate.Writer
}

type zipPart struct {
	name string
	data bytes.Buffer
	crc  hash.Hash32
	size uint64
}

func newOrderedZip(w io.Writer) excelize.ZipWriter {
	return &orderedZip{out: zip.NewWriter(w)}
}

// Create starts a part; the previous one is complete.
func (z *orderedZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &zipPart{name: name, crc: crc32.NewIEEE()}
	if z.fw == nil {
		fw, err := flate.NewWriter(&p.data, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		z.fw = fw
	} else {
		z.fw.Reset(&p.data)
	}
	z.open = p
	z.parts = append(z.parts, p)
	return z, nil
}

// Write adds to the part being written.
func (z *orderedZip) Write(b []byte) (int, error) {
	p := z.open
	p.crc.Write(b)
	p.size += uint64(len(b))
	return z.fw.Write(b)
}

func (z *orderedZip) finish() error {
	if z.open == nil {
		return nil
	}
	z.open = nil
	return z.fw.Close()
}

// AddFS is not used by the workbook's writer.
func (z *orderedZip) AddFS(fsys fs.FS) error { return z.out.AddFS(fsys) }

// Close writes the parts in order of name and ends the file.
func (z *orderedZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	sort.Slice(z.parts, func(i, j int) bool { return z.parts[i].name < z.parts[j].name })
	for _, p := range z.parts {
		w, err := z.out.CreateRaw(&zip.FileHeader{
			Name:               p.name,
			Method:             zip.Deflate,
			CRC32:              p.crc.Sum32(),
			CompressedSize64:   uint64(p.data.Len()),
			UncompressedSize64: p.size,
		})
		if err != nil {
			return err
		}
		if _, err := p.data.WriteTo(w); err != nil {
			return err
		}
		p.data = bytes.Buffer{}
	}
	z.parts = nil
	return z.out.Close()
}
