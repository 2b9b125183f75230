package export_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"improvementtracker/export"
)

// TestPasswordUsesAgileEncryption saves the sample's return with a password
// and reads it back: the file is a compound file whose EncryptionInfo says
// Agile Encryption with AES-256 and SHA-512, the spreadsheet library opens
// it with the password (and decrypts it to the very workbook written
// without one), and refuses it without.
func TestPasswordUsesAgileEncryption(t *testing.T) {
	s, _ := sampleStore(t)
	w, err := newReturn(s, export.ReturnOptions{Period: q3, Marking: sensitive})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var plain bytes.Buffer
	if _, err := w.Write(&plain, ""); err != nil {
		t.Fatal(err)
	}
	const password = "Corr3ct – horse ✓"
	path := filepath.Join(t.TempDir(), "return.xlsx")
	saved, err := w.Save(path, export.SaveOptions{Password: password})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(raw)) != saved.Size {
		t.Errorf("saved size %d, file %d bytes", saved.Size, len(raw))
	}

	doc, err := mscfb.New(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not a compound file: %v", err)
	}
	streams := map[string][]byte{}
	for e, err := doc.Next(); err == nil; e, err = doc.Next() {
		buf := make([]byte, e.Size)
		if _, err := doc.Read(buf); err != nil && e.Size > 0 {
			t.Fatal(err)
		}
		streams[e.Name] = buf
	}
	info := streams["EncryptionInfo"]
	if len(info) < 8 || binary.LittleEndian.Uint16(info) != 4 || binary.LittleEndian.Uint16(info[2:]) != 4 {
		t.Fatalf("EncryptionInfo does not begin with version 4.4 (Agile): % x", info[:min(8, len(info))])
	}
	xml := string(info[8:])
	for _, want := range []string{`keyBits="256"`, `hashAlgorithm="SHA512"`, `cipherAlgorithm="AES"`, `spinCount="100000"`, `cipherChaining="ChainingModeCBC"`} {
		if !strings.Contains(xml, want) {
			t.Errorf("EncryptionInfo lacks %s:\n%s", want, xml)
		}
	}
	pkg := streams["EncryptedPackage"]
	if len(pkg) < 8 || binary.LittleEndian.Uint64(pkg) != uint64(plain.Len()) {
		t.Errorf("EncryptedPackage declares %d bytes; the workbook is %d", binary.LittleEndian.Uint64(pkg), plain.Len())
	}

	got, err := excelize.Decrypt(raw, &excelize.Options{Password: password})
	if err != nil {
		t.Fatalf("decrypting with the password: %v", err)
	}
	if !bytes.Equal(got[:plain.Len()], plain.Bytes()) {
		t.Error("the decrypted workbook differs from the one written without a password")
	}
	f, err := excelize.OpenFile(path, excelize.Options{Password: password})
	if err != nil {
		t.Fatalf("opening with the password: %v", err)
	}
	if v, _ := f.GetCellValue(export.SheetReturn, "A1"); v != "OFFICIAL-SENSITIVE" {
		t.Errorf("Return A1 %q after decrypting", v)
	}
	f.Close()
	if f, err := excelize.OpenFile(path, excelize.Options{Password: "wrong"}); err == nil {
		f.Close()
		t.Error("the workbook opened with the wrong password")
	}
}
