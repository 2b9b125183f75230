package officecrypt

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestEncryptRoundTrip encrypts packages around the segment size and
// decrypts them with the spreadsheet library's own reader, which knows
// Agile Encryption: each comes back as it went in with the password, and
// not with another. Sizes around 4096 bytes exercise the last, short
// segment and a package of whole segments.
func TestEncryptRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []int{1, 15, 16, 17, agileSegment - 1, agileSegment, agileSegment + 1, 3*agileSegment + 100} {
		pkg := make([]byte, size)
		for i := range pkg {
			pkg[i] = byte(rng.Uint32())
		}
		const password = "Corr3ct – horse ✓"
		raw, err := Encrypt(pkg, password)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		streams, _ := cfbStreams(t, raw)
		if n := binary.LittleEndian.Uint64(streams["EncryptedPackage"]); n != uint64(size) {
			t.Errorf("size %d: EncryptedPackage declares %d bytes", size, n)
		}
		got, err := excelize.Decrypt(raw, &excelize.Options{Password: password})
		if err != nil {
			t.Fatalf("size %d: decrypting with the password: %v", size, err)
		}
		// The reader returns whole AES blocks; the package is the length
		// stored before it.
		if len(got) < size || !bytes.Equal(got[:size], pkg) {
			t.Errorf("size %d: decrypted %d bytes that differ from the package", size, len(got))
		}
		// The library does not check the password's verifier here: a
		// wrong one gives other bytes (and a zip that will not open).
		if bad, err := excelize.Decrypt(raw, &excelize.Options{Password: "wrong"}); err == nil && len(bad) >= size && bytes.Equal(bad[:size], pkg) {
			t.Errorf("size %d: the wrong password decrypted the package", size)
		}
	}
}

// TestEncryptIsFreshEachTime checks that salts and keys are drawn anew:
// the same package and password never give the same file.
func TestEncryptIsFreshEachTime(t *testing.T) {
	a, err := Encrypt([]byte("workbook"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Encrypt([]byte("workbook"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Error("two encryptions of the same package are the same bytes")
	}
}

// TestEncryptRefusesNoPassword: a file "protected" by an empty password
// would open for anyone, so it is refused in words.
func TestEncryptRefusesNoPassword(t *testing.T) {
	if _, err := Encrypt([]byte("workbook"), ""); err == nil {
		t.Error("encrypted with an empty password")
	}
}
