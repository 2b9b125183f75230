package export

import (
	"bytes"
	"math/rand/v2"
	"testing"
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
