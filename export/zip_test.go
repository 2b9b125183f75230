package export

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"improvementtracker/model"
)

// The blocks a compressed part is held in give back exactly the bytes
// written, whatever the sizes of the writes and wherever they cross from
// one block to the next.
func TestBlocksKeepEveryByte(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for _, total := range []int{0, 1, 4 << 10, 4<<10 + 1, 3 * blockSize, 5*blockSize + 77} {
		var b blocks
		var want bytes.Buffer
		for want.Len() < total {
			p := make([]byte, min(rnd.IntN(70000)+1, total-want.Len()))
			for i := range p {
				p[i] = byte(rnd.Uint32())
			}
			if n, err := b.Write(p); n != len(p) || err != nil {
				t.Fatalf("Write gave %d, %v for %d bytes", n, err, len(p))
			}
			want.Write(p)
		}
		var got bytes.Buffer
		if n, err := b.WriteTo(&got); err != nil || n != int64(total) || b.Len() != total {
			t.Fatalf("%d bytes: WriteTo gave %d, %v; Len %d", total, n, err, b.Len())
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%d bytes: the bytes read back differ from those written", total)
		}
		for i, blk := range b.list {
			if cap(blk) > blockSize || i < len(b.list)-1 && len(blk) != cap(blk) {
				t.Errorf("%d bytes: block %d holds %d of %d", total, i, len(blk), cap(blk))
			}
		}
	}
}

// A table sheet's rows that find no place in the workbook fail the write
// with a sentence naming the sheet, never a workbook quietly without them:
// when the sheet's part does not come, and when it has no </sheetData>.
func TestRowsWithoutAPlaceFailTheWrite(t *testing.T) {
	tbl := rowsTable()
	b, err := newBook(model.Marking{Classification: model.Official}, "Force", "Period", &warnings{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	if err := b.writeTables(tbl); err != nil {
		t.Fatal(err)
	}
	if len(b.rows) != 1 {
		t.Fatalf("%d sheets hold rows to write, want 1", len(b.rows))
	}
	var st *stream
	for name, s := range b.rows {
		st = s
		delete(b.rows, name)
	}
	b.rows["xl/worksheets/sheet99.xml"] = st
	err = b.writeZip(io.Discard)
	if err == nil || !strings.Contains(err.Error(), "the Rows sheet's rows have no place in the workbook") {
		t.Errorf("writing with the sheet's part missing: %v", err)
	}

	var out bytes.Buffer
	z := newOrderedZip(&out, &book{rows: map[string]*stream{"xl/worksheets/sheet1.xml": st}})
	w, err := z.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(`<worksheet><sheetData/></worksheet>`)); err != nil {
		t.Fatal(err)
	}
	if err := z.Close(); err == nil || !strings.Contains(err.Error(), "the Rows sheet has no place for its rows") {
		t.Errorf("a sheet part without </sheetData>: %v", err)
	}
}

// writeSizes is a destination that keeps only the size of each write.
type writeSizes struct{ total, largest int }

func (w *writeSizes) Write(p []byte) (int, error) {
	w.total += len(p)
	w.largest = max(w.largest, len(p))
	return len(p), nil
}

// The workbook goes to its destination as it is made, never whole in a
// buffer first: the spreadsheet library's own Write builds the file in
// memory and hands it over in one write, which for a large return held
// the file three times over.
func TestWorkbookIsWrittenAsItIsMade(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	cols := []column{{header: "Reference", kind: textCol, max: 20}, {header: "Text", kind: wrapCol, max: 80}}
	var rows [][]any
	for i := range 3000 {
		// Letters at random compress to about three quarters of their size,
		// so the file is several blocks long.
		p := make([]byte, 1000)
		for j := range p {
			p[j] = byte('a' + rnd.IntN(26))
		}
		rows = append(rows, []any{"REF-" + strconv.Itoa(i), string(p)})
	}
	b, err := newBook(model.Marking{Classification: model.Official}, "Force", "Period", &warnings{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.f.Close()
	if err := b.writeTables(table{sheet: "Rows", name: "RowsTable", caption: "Random rows", cols: cols, rows: rows,
		where: func(r int) string { return rows[r][0].(string) }}); err != nil {
		t.Fatal(err)
	}
	var out writeSizes
	if err := b.writeZip(&out); err != nil {
		t.Fatal(err)
	}
	if out.total < 4*blockSize {
		t.Fatalf("the file is %d bytes; the test needs one of several blocks", out.total)
	}
	if out.largest > blockSize {
		t.Errorf("the file (%d bytes) was handed over in a write of %d bytes: it was held whole before it was written", out.total, out.largest)
	}
}
