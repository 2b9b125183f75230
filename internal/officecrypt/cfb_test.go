package officecrypt

import (
	"bytes"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/richardlehane/mscfb"
)

// TestCompoundFileRoundTrip writes compound files of several sizes, each
// with the data spaces' nested storages, and reads every stream back
// with an independent reader. The largest needs more allocation table
// sectors than the header lists (109 × 128 sectors of 512 bytes, about
// 7 MB), so the DIFAT chain is written and followed too.
func TestCompoundFileRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	for _, size := range []int{0, 1, 63, 64, 4095, 4096, 4097, 512 * 1000, 9 << 20} {
		want := map[string][]byte{
			"EncryptionInfo":   random(1234),
			"EncryptedPackage": random(size),
		}
		root := append(dataSpaces(), cfbStreamOf("EncryptionInfo", want["EncryptionInfo"]), cfbStreamOf("EncryptedPackage", want["EncryptedPackage"]))
		want["DataSpaces/Version"] = dataSpaceVersion()
		want["DataSpaces/DataSpaceMap"] = dataSpaceMap()
		want["DataSpaces/DataSpaceInfo/StrongEncryptionDataSpace"] = dataSpaceDefinition()
		want["DataSpaces/TransformInfo/StrongEncryptionTransform/Primary"] = transformInfo()
		raw, err := compoundFile(root)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw)%cfbSector != 0 {
			t.Errorf("size %d: the file is %d bytes, not whole sectors", size, len(raw))
		}
		doc, err := mscfb.New(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("size %d: not a compound file: %v", size, err)
		}
		got := map[string][]byte{}
		for e, err := doc.Next(); err == nil; e, err = doc.Next() {
			if e.FileInfo().IsDir() {
				continue
			}
			b, err := io.ReadAll(doc)
			if err != nil {
				t.Fatal(err)
			}
			got[strings.Join(append(append([]string{}, e.Path...), e.Name), "/")] = b
		}
		for name, w := range want {
			if g, ok := got[name]; !ok {
				t.Errorf("size %d: no stream %s; have %d streams", size, name, len(got))
			} else if !bytes.Equal(g, w) {
				t.Errorf("size %d: stream %s read back %d bytes, want %d, or differs", size, name, len(g), len(w))
			}
		}
		if len(got) != len(want) {
			t.Errorf("size %d: %d streams, want %d", size, len(got), len(want))
		}
	}
}

// TestCompoundFileRefusesBadNames checks the names the format cannot hold.
func TestCompoundFileRefusesBadNames(t *testing.T) {
	for name, root := range map[string][]*cfbEntry{
		"empty":     {cfbStreamOf("", nil)},
		"too long":  {cfbStreamOf(strings.Repeat("x", 32), nil)},
		"same name": {cfbStreamOf("Data", nil), cfbStreamOf("DATA", nil)},
	} {
		if _, err := compoundFile(root); err == nil {
			t.Errorf("%s: written without complaint", name)
		}
	}
}
