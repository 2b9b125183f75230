package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"sort"
	"sync"

	"improvementtracker/internal/parallel"

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
//
// The part of a table sheet with data rows arrives without them: the
// library writes its marking, caption and header rows and what follows the
// rows. It is held as it comes (a few kilobytes), and once complete it is
// compressed in a goroutine of its own with the rows (book.writeRows)
// written in before its closing </sheetData>, so that the large sheets are
// written at the same time and none is ever whole in memory uncompressed.
type orderedZip struct {
	out   *zip.Writer
	book  *book
	parts []*zipPart
	open  *zipPart
	fw    *flate.Writer
	// rows are the table sheets whose rows are still to be written in.
	rows map[string]*stream
	wg   sync.WaitGroup
}

type zipPart struct {
	name string
	data blocks // compressed
	crc  hash.Hash32
	size uint64
	// For a table sheet with rows: what the library wrote, and the rows
	// to write into it.
	held *bytes.Buffer
	rows *stream
	err  error
}

func newOrderedZip(w io.Writer, b *book) excelize.ZipWriter {
	z := &orderedZip{out: zip.NewWriter(w), book: b, rows: map[string]*stream{}}
	for name, st := range b.rows {
		z.rows[name] = st
	}
	return z
}

// Create starts a part; the previous one is complete.
func (z *orderedZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	p := &zipPart{name: name, crc: crc32.NewIEEE()}
	z.open = p
	z.parts = append(z.parts, p)
	if st, ok := z.rows[name]; ok {
		delete(z.rows, name)
		p.held, p.rows = &bytes.Buffer{}, st
		return z, nil
	}
	if z.fw == nil {
		fw, err := flate.NewWriter(&p.data, flate.BestSpeed)
		if err != nil {
			return nil, err
		}
		z.fw = fw
	} else {
		z.fw.Reset(&p.data)
	}
	return z, nil
}

// Write adds to the part being written.
func (z *orderedZip) Write(b []byte) (int, error) {
	p := z.open
	if p.held != nil {
		return p.held.Write(b)
	}
	p.crc.Write(b)
	p.size += uint64(len(b))
	return z.fw.Write(b)
}

func (z *orderedZip) finish() error {
	p := z.open
	if p == nil {
		return nil
	}
	z.open = nil
	if p.held == nil {
		return z.fw.Close()
	}
	z.wg.Add(1)
	go func() {
		defer z.wg.Done()
		// Nothing above this goroutine would catch a fault in it.
		defer func() {
			if r := recover(); r != nil {
				p.err = parallel.Fault("writing the rows of the " + p.rows.t.sheet + " sheet")(r)
			}
		}()
		p.err = p.compressWithRows(z.book)
	}()
	return nil
}

// sheetDataEnd closes the cells of a sheet's XML. Text in a cell has its
// "<" escaped, so this is found only where the library wrote it.
var sheetDataEnd = []byte("</sheetData>")

// compressWithRows compresses a table sheet's part with its data rows
// written in before </sheetData>.
func (p *zipPart) compressWithRows(b *book) error {
	held := p.held.Bytes()
	at := bytes.Index(held, sheetDataEnd)
	if at < 0 {
		return fmt.Errorf("the %s sheet has no place for its rows", p.rows.t.sheet)
	}
	fw, err := flate.NewWriter(&p.data, flate.BestSpeed)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(io.MultiWriter(fw, p.crc, (*counter)(&p.size)), 64<<10)
	if _, err := out.Write(held[:at]); err != nil {
		return err
	}
	if err := b.writeRows(out, p.rows); err != nil {
		return err
	}
	if _, err := out.Write(held[at:]); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	p.held = nil
	return fw.Close()
}

// counter counts the bytes written through it.
type counter uint64

func (c *counter) Write(b []byte) (int, error) {
	*c += counter(len(b))
	return len(b), nil
}

// AddFS is not used by the workbook's writer.
func (z *orderedZip) AddFS(fsys fs.FS) error { return z.out.AddFS(fsys) }

// Close writes the parts in order of name and ends the file.
func (z *orderedZip) Close() error {
	err := z.finish()
	z.wg.Wait()
	if err != nil {
		return err
	}
	for _, p := range z.parts {
		if p.err != nil {
			return p.err
		}
	}
	for _, st := range z.rows {
		return errors.New("the " + st.t.sheet + " sheet's rows have no place in the workbook")
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
		p.data = blocks{}
	}
	z.parts = nil
	return z.out.Close()
}

// blocks holds a part's compressed bytes in blocks, each twice the last up
// to blockSize, where one buffer grown by doubling would copy and clear its
// contents again at each step (a large sheet compresses to several
// megabytes).
type blocks struct {
	list [][]byte
	n    int
}

const blockSize = 256 << 10

func (b *blocks) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if len(b.list) == 0 || len(b.list[len(b.list)-1]) == cap(b.list[len(b.list)-1]) {
			// Small parts stay small: each block is twice the last.
			size := 4 << 10
			if len(b.list) > 0 {
				size = min(2*cap(b.list[len(b.list)-1]), blockSize)
			}
			b.list = append(b.list, make([]byte, 0, size))
		}
		last := &b.list[len(b.list)-1]
		k := min(len(p), cap(*last)-len(*last))
		*last = append(*last, p[:k]...)
		p = p[k:]
	}
	b.n += n
	return n, nil
}

// Len is the number of bytes held.
func (b *blocks) Len() int { return b.n }

// WriteTo writes the bytes held, in order.
func (b *blocks) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for _, blk := range b.list {
		n, err := w.Write(blk)
		total += int64(n)
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
