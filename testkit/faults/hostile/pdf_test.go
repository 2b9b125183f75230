package hostile

import (
	"bytes"
	"compress/zlib"
	"io"
	"testing"
)

// TestSpaces inflates the stream made by repetition: it must be a sound
// zlib stream of exactly the spaces asked for, checksum and all, or the
// reader could refuse it for being broken rather than for its size.
func TestSpaces(t *testing.T) {
	const size = 8 << 20
	zr, err := zlib.NewReader(bytes.NewReader(Spaces("(", size)))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	buf := make([]byte, 1<<16)
	for {
		k, err := zr.Read(buf)
		for i, c := range buf[:k] {
			if want := byte(' '); n+int64(i) == 0 && c != '(' || n+int64(i) > 0 && c != want {
				t.Fatalf("byte %d is %q", n+int64(i), c)
			}
		}
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", n, err)
		}
	}
	if n != size+1 {
		t.Errorf("inflated to %d bytes, want %d", n, size+1)
	}
}
